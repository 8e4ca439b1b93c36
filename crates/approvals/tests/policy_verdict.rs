//! The verdict, rule by rule: each scenario is a tiny change, its approval records and the time,
//! judged under the demo's policy (or a variant), with the state and sentence it must get.

use wheelhouse_approvals::policy::{
    evaluate, Approval, Change, Codeowners, EnvironmentTouch, FieldChange, FieldKind, Identity,
    IgnoreReason, People, Policy, PolicyError, PolicyErrorCode, ReviewStatus, RuleSource,
    SignatureState, Verdict, VerdictState,
};

// The demo's own policy.yaml (with its holiday freeze), people.yaml and CODEOWNERS: the
// scenarios judge what the demo ships, never a copy that could drift from it.
use wheelhouse_demo::content::{CODEOWNERS as DEMO_CODEOWNERS, PEOPLE as DEMO_PEOPLE};

fn demo_policy() -> String {
    format!(
        "{}{}",
        wheelhouse_demo::content::POLICY,
        wheelhouse_demo::content::POLICY_FREEZE
    )
}

const MAYA: &str = "maya.chen@acme.example";
const TOMAS: &str = "tomas.rivera@acme.example";
const JONAS: &str = "jonas.berg@acme.example";
const PRIYA: &str = "priya.natarajan@acme.example";
const AIKO: &str = "aiko.tanaka@acme.example";

/// 1 Sep 2026, well before the demo's freeze.
const NOW: i64 = 1_788_264_000;
const FREEZE_FROM: i64 = 1_797_724_800;
const FREEZE_UNTIL: i64 = 1_799_020_800;

const HEAD: &str = "c0ffee0000000000000000000000000000000002";
const OLD_HEAD: &str = "c0ffee0000000000000000000000000000000001";
const CONTENT: &str = "content-b";

/// A change by Priya touching `paths`, with no field changes, validated. Like the demo's
/// resolution, a file in `overlays/<env>/` or `helm/ledger/values-<env>.yaml` changes `<env>`.
fn change(paths: &[&str]) -> Change {
    let mut effects: Vec<EnvironmentTouch> = Vec::new();
    for p in paths {
        let env = p
            .strip_prefix("overlays/")
            .and_then(|r| r.split_once('/'))
            .map(|(e, _)| e)
            .or_else(|| {
                p.strip_prefix("helm/ledger/values-")
                    .and_then(|r| r.strip_suffix(".yaml"))
            });
        if let Some(env) = env {
            match effects.iter_mut().find(|t| t.env == env) {
                Some(t) => t.via.push(p.to_string()),
                None => effects.push(EnvironmentTouch {
                    env: env.to_string(),
                    status: "changed".to_string(),
                    via: vec![p.to_string()],
                }),
            }
        }
    }
    Change {
        author: Identity {
            name: "Priya Natarajan".to_string(),
            email: PRIYA.to_string(),
        },
        paths: paths.iter().map(|p| p.to_string()).collect(),
        field_changes: Vec::new(),
        effects,
        environments: ["dev", "staging", "prod"].map(String::from).to_vec(),
        redefining: Vec::new(),
        render_problems: Vec::new(),
        validation_passed: true,
        head_commit: HEAD.to_string(),
        content_id: CONTENT.to_string(),
    }
}

fn field(path: &str, field: FieldKind, from: &str, to: &str) -> FieldChange {
    FieldChange {
        path: path.to_string(),
        env: path.split('/').nth(1).unwrap_or("dev").to_string(),
        workload: "web".to_string(),
        field,
        key: None,
        resource: None,
        from: Some(from.to_string()).filter(|v| !v.is_empty()),
        to: Some(to.to_string()),
        summary: format!("web, {} {from} → {to}", field.as_str()),
    }
}

/// A validly signed approval of the current head by `email`.
fn approve(email: &str) -> Approval {
    Approval {
        approver_email: email.to_string(),
        signature: SignatureState::Valid {
            key_fingerprint: format!("SHA256:key-of-{email}"),
            principal: email.to_string(),
        },
        commit: HEAD.to_string(),
        content_id: Some(CONTENT.to_string()),
        at: NOW - 600,
        status: ReviewStatus::Approve,
        comment: None,
    }
}

trait Record {
    fn request_changes(self) -> Self;
    fn signature(self, state: SignatureState) -> Self;
    fn of(self, commit: &str, content: &str) -> Self;
    fn at(self, at: i64) -> Self;
    fn claiming(self, email: &str) -> Self;
}

impl Record for Approval {
    fn request_changes(mut self) -> Self {
        self.status = ReviewStatus::RequestChanges;
        self
    }
    fn signature(mut self, state: SignatureState) -> Self {
        self.signature = state;
        self
    }
    fn of(mut self, commit: &str, content: &str) -> Self {
        self.commit = commit.to_string();
        self.content_id = Some(content.to_string());
        self
    }
    fn at(mut self, at: i64) -> Self {
        self.at = at;
        self
    }
    /// The same signature, but the record claims another approver.
    fn claiming(mut self, email: &str) -> Self {
        self.approver_email = email.to_string();
        self
    }
}

fn with_author(mut change: Change, email: &str) -> Change {
    change.author.email = email.to_string();
    change
}

struct Scenario {
    name: &'static str,
    /// Replaces the demo policy when set.
    policy: Option<&'static str>,
    codeowners: &'static str,
    change: Change,
    approvals: Vec<Approval>,
    now: i64,
    state: VerdictState,
    summary: &'static str,
    /// Further expectations on the verdict.
    then: fn(&Verdict),
}

impl Scenario {
    fn new(name: &'static str, change: Change) -> Self {
        Scenario {
            name,
            policy: None,
            codeowners: "",
            change,
            approvals: Vec::new(),
            now: NOW,
            state: VerdictState::NeedsApprovals,
            summary: "",
            then: |_| {},
        }
    }
}

fn judge(scenario: &Scenario) -> Verdict {
    let demo = demo_policy();
    let policy =
        Policy::parse("policy.yaml", scenario.policy.unwrap_or(&demo)).expect("policy parses");
    let people = People::parse("people.yaml", DEMO_PEOPLE).expect("people parse");
    let codeowners =
        Codeowners::parse("CODEOWNERS", scenario.codeowners).expect("codeowners parse");
    evaluate(
        &policy,
        &people,
        &codeowners,
        &scenario.change,
        &scenario.approvals,
        scenario.now,
    )
}

fn run(scenarios: Vec<Scenario>) {
    for scenario in &scenarios {
        let verdict = judge(scenario);
        assert_eq!(
            (verdict.state, verdict.summary.as_str()),
            (scenario.state, scenario.summary),
            "scenario: {}\n{verdict:#?}",
            scenario.name
        );
        (scenario.then)(&verdict);
    }
}

fn rule<'a>(verdict: &'a Verdict, name: &str) -> &'a wheelhouse_approvals::policy::RuleVerdict {
    verdict
        .rules
        .iter()
        .find(|r| r.rule == name)
        .unwrap_or_else(|| panic!("rule {name} applies: {verdict:#?}"))
}

fn counted(verdict: &Verdict, name: &str) -> Vec<String> {
    rule(verdict, name)
        .counted
        .iter()
        .map(|c| c.person.email.clone())
        .collect()
}

fn ignored(verdict: &Verdict, name: &str) -> Vec<(String, IgnoreReason)> {
    rule(verdict, name)
        .ignored
        .iter()
        .map(|i| (i.approver_email.clone(), i.reason.clone()))
        .collect()
}

use VerdictState::*;

#[test]
fn rule_1_every_rule_a_changed_path_hits_must_be_satisfied() {
    run(vec![
        Scenario {
            summary: "needs 2 more approvals from @ops-leads",
            then: |v| {
                assert_eq!(v.rules.len(), 1);
                let prod = rule(v, "production");
                assert!(prod.matched_paths.is_empty(), "it applies by effect");
                assert_eq!(
                    prod.matched_effects,
                    ["changes prod: its rendered manifests differ, via overlays/prod/web.yaml"]
                );
                assert_eq!(prod.required, 2);
                let emails: Vec<&str> = prod.approvers.iter().map(|p| p.email.as_str()).collect();
                assert_eq!(emails, [MAYA, TOMAS], "@ops-leads expanded to people");
                assert_eq!(prod.approvers[0].name.as_deref(), Some("Maya Chen"));
                assert!(!prod.satisfied);
            },
            ..Scenario::new("a production change with no approvals", change(&["overlays/prod/web.yaml"]))
        },
        Scenario {
            summary: "needs 2 more approvals from @ops-leads (production); 1 more approval from @ops-leads or @sre (staging)",
            then: |v| {
                let names: Vec<&str> = v.rules.iter().map(|r| r.rule.as_str()).collect();
                assert_eq!(names, ["production", "staging"]);
            },
            ..Scenario::new(
                "a change hitting production and staging needs both",
                change(&["overlays/prod/web.yaml", "overlays/staging/web.yaml", "README.md"]),
            )
        },
        Scenario {
            approvals: vec![approve(JONAS)],
            summary: "needs 2 more approvals from @ops-leads",
            then: |v| {
                assert!(rule(v, "staging").satisfied);
                assert!(!rule(v, "production").satisfied);
                assert_eq!(
                    ignored(v, "production"),
                    [(JONAS.to_string(), IgnoreReason::NotAnApprover)]
                );
            },
            ..Scenario::new(
                "satisfying one of two rules is not enough",
                change(&["overlays/prod/web.yaml", "overlays/staging/web.yaml"]),
            )
        },
        Scenario {
            approvals: vec![approve(MAYA), approve(TOMAS)],
            state: ReadyToMerge,
            summary: "ready to merge",
            then: |v| {
                assert_eq!(counted(v, "production"), [MAYA, TOMAS]);
                assert_eq!(counted(v, "staging"), [MAYA, TOMAS]);
                assert!(v.rules.iter().all(|r| r.satisfied));
                assert!(v.allows_merge());
            },
            ..Scenario::new(
                "two ops leads satisfy production and staging at once",
                change(&["overlays/prod/web.yaml", "overlays/staging/web.yaml"]),
            )
        },
    ]);
}

#[test]
fn rule_2_an_approval_of_another_head_counts_only_with_the_same_content() {
    run(vec![
        Scenario {
            approvals: vec![approve(JONAS).of(OLD_HEAD, "content-a")],
            summary: "needs 1 more approval from @ops-leads or @sre",
            then: |v| {
                assert_eq!(
                    ignored(v, "staging"),
                    [(
                        JONAS.to_string(),
                        IgnoreReason::Stale {
                            approved_commit: OLD_HEAD.to_string()
                        }
                    )]
                );
                assert!(rule(v, "staging").ignored[0].reason.describe().starts_with("stale"));
            },
            ..Scenario::new(
                "attack: an approval of an older head whose content differs",
                change(&["overlays/staging/web.yaml"]),
            )
        },
        Scenario {
            approvals: vec![approve(JONAS).of(OLD_HEAD, CONTENT)],
            state: ReadyToMerge,
            summary: "ready to merge",
            then: |v| {
                let c = &rule(v, "staging").counted[0];
                assert_eq!(c.commit, OLD_HEAD);
                assert!(!c.stale, "same content is not stale");
            },
            ..Scenario::new(
                "a rebase without content changes keeps approvals",
                change(&["overlays/staging/web.yaml"]),
            )
        },
        Scenario {
            approvals: vec![approve(JONAS).of(HEAD, "content-a")],
            state: ReadyToMerge,
            summary: "ready to merge",
            ..Scenario::new(
                "approving the head itself counts",
                change(&["overlays/staging/web.yaml"]),
            )
        },
        Scenario {
            policy: Some(
                "rules:\n  - {name: staging, paths: [\"overlays/staging/**\"], approvers: [\"@sre\"]}\nsettings: {dismiss_stale_approvals: false, require_signatures: true}\n",
            ),
            approvals: vec![approve(JONAS).of(OLD_HEAD, "content-a")],
            state: ReadyToMerge,
            summary: "ready to merge",
            then: |v| {
                let c = &rule(v, "staging").counted[0];
                assert!(c.stale, "counted, but marked as approving another head");
            },
            ..Scenario::new(
                "with dismiss_stale_approvals off, stale approvals still count",
                change(&["overlays/staging/web.yaml"]),
            )
        },
    ]);
}

#[test]
fn rule_3_signatures_must_be_valid_and_the_approvers_own() {
    const UNSIGNED_POLICY: &str =
        "rules:\n  - {name: staging, paths: [\"overlays/staging/**\"], approvers: [\"@sre\"]}\nsettings: {require_signatures: false}\n";
    run(vec![
        Scenario {
            approvals: vec![approve(JONAS).signature(SignatureState::Missing)],
            summary: "needs 1 more approval from @ops-leads or @sre",
            then: |v| {
                assert_eq!(
                    ignored(v, "staging"),
                    [(JONAS.to_string(), IgnoreReason::Unsigned)]
                );
            },
            ..Scenario::new(
                "attack: an unsigned approval when signatures are required",
                change(&["overlays/staging/web.yaml"]),
            )
        },
        Scenario {
            approvals: vec![approve(JONAS).signature(SignatureState::UnknownKey)],
            summary: "needs 1 more approval from @ops-leads or @sre",
            then: |v| {
                assert_eq!(
                    ignored(v, "staging"),
                    [(JONAS.to_string(), IgnoreReason::UnknownKey)]
                );
            },
            ..Scenario::new(
                "attack: a valid signature by a key not in allowed_signers",
                change(&["overlays/staging/web.yaml"]),
            )
        },
        Scenario {
            // Aiko signs with her own (listed) key but writes Maya's email into the record.
            approvals: vec![approve(AIKO).claiming(MAYA)],
            summary: "needs 1 more approval from @ops-leads or @sre",
            then: |v| {
                assert_eq!(
                    ignored(v, "staging"),
                    [(
                        MAYA.to_string(),
                        IgnoreReason::PrincipalMismatch {
                            principal: AIKO.to_string()
                        }
                    )]
                );
            },
            ..Scenario::new(
                "attack: a note claiming another person's email with the attacker's key",
                change(&["overlays/staging/web.yaml"]),
            )
        },
        Scenario {
            approvals: vec![approve(JONAS).signature(SignatureState::Invalid {
                reason: "bad signature".to_string(),
            })],
            summary: "needs 1 more approval from @ops-leads or @sre",
            then: |v| {
                assert!(matches!(
                    ignored(v, "staging")[0].1,
                    IgnoreReason::InvalidSignature { .. }
                ));
            },
            ..Scenario::new(
                "a tampered record's signature does not verify",
                change(&["overlays/staging/web.yaml"]),
            )
        },
        Scenario {
            approvals: vec![approve(MAYA.to_uppercase().as_str()).signature(
                SignatureState::Valid {
                    key_fingerprint: "SHA256:maya".to_string(),
                    principal: MAYA.to_string(),
                },
            )],
            state: ReadyToMerge,
            summary: "ready to merge",
            ..Scenario::new(
                "the principal matches the email case-insensitively",
                change(&["overlays/staging/web.yaml"]),
            )
        },
        Scenario {
            policy: Some(UNSIGNED_POLICY),
            approvals: vec![approve(JONAS).signature(SignatureState::Missing)],
            state: ReadyToMerge,
            summary: "ready to merge",
            ..Scenario::new(
                "without require_signatures an unsigned approval counts",
                change(&["overlays/staging/web.yaml"]),
            )
        },
        Scenario {
            policy: Some(UNSIGNED_POLICY),
            approvals: vec![approve(AIKO).claiming(JONAS)],
            summary: "needs 1 more approval from @sre",
            then: |v| {
                assert!(matches!(
                    ignored(v, "staging")[0].1,
                    IgnoreReason::PrincipalMismatch { .. }
                ));
            },
            ..Scenario::new(
                "even without require_signatures someone else's signature never counts",
                change(&["overlays/staging/web.yaml"]),
            )
        },
    ]);
}

#[test]
fn rule_4_the_author_does_not_count_unless_allowed() {
    run(vec![
        Scenario {
            approvals: vec![approve(MAYA).claiming("Maya.Chen@ACME.example").signature(
                SignatureState::Valid {
                    key_fingerprint: "SHA256:maya".to_string(),
                    principal: "Maya.Chen@ACME.example".to_string(),
                },
            )],
            summary: "needs 1 more approval from @ops-leads or @sre",
            then: |v| {
                assert_eq!(
                    ignored(v, "staging"),
                    [("Maya.Chen@ACME.example".to_string(), IgnoreReason::Author)]
                );
            },
            ..Scenario::new(
                "attack: the author approving their own change (email in other case)",
                with_author(change(&["overlays/staging/web.yaml"]), MAYA),
            )
        },
        Scenario {
            approvals: vec![approve(JONAS)],
            state: ReadyToMerge,
            summary: "ready to merge",
            then: |v| {
                assert_eq!(counted(v, "status page"), [JONAS]);
                assert!(rule(v, "status page").allow_author);
            },
            ..Scenario::new(
                "allow_author lets the author approve their own status page edit",
                with_author(change(&["status/incidents/outage.md"]), JONAS),
            )
        },
    ]);
}

#[test]
fn rule_5_approvers_are_people_ids_emails_and_teams_each_counted_once() {
    const BY_ID_AND_EMAIL: &str = "rules:\n  - name: ledger\n    paths: [\"helm/**\"]\n    required_approvals: 2\n    approvers: [maya, jonas.berg@acme.example, \"@storefront\"]\n";
    run(vec![
        Scenario {
            approvals: vec![approve(MAYA).at(NOW - 900), approve(MAYA).at(NOW - 60)],
            summary: "needs 1 more approval from @ops-leads",
            then: |v| {
                assert_eq!(counted(v, "production"), [MAYA]);
                assert_eq!(ignored(v, "production"), [(MAYA.to_string(), IgnoreReason::Superseded)]);
                assert_eq!(rule(v, "production").counted[0].at, NOW - 60, "the latest record is the one shown");
            },
            ..Scenario::new(
                "approving twice counts once",
                change(&["overlays/prod/web.yaml"]),
            )
        },
        Scenario {
            policy: Some(BY_ID_AND_EMAIL),
            approvals: vec![approve(JONAS), approve(AIKO), approve(TOMAS)],
            state: ReadyToMerge,
            summary: "ready to merge",
            then: |v| {
                let ledger = rule(v, "ledger");
                assert_eq!(counted(v, "ledger"), [JONAS, AIKO]);
                assert_eq!(ignored(v, "ledger"), [(TOMAS.to_string(), IgnoreReason::NotAnApprover)]);
                let emails: Vec<&str> = ledger.approvers.iter().map(|p| p.email.as_str()).collect();
                assert_eq!(emails, [MAYA, JONAS, AIKO]);
                assert_eq!(ledger.approver_names, ["maya", "jonas.berg@acme.example", "@storefront"]);
            },
            ..Scenario::new(
                "approvers by id, by email and by team",
                change(&["helm/ledger/values-dev.yaml"]),
            )
        },
        Scenario {
            policy: Some("rules:\n  - {name: infra, paths: [\"infra/**\"], approvers: [\"@platform\", maya]}\n"),
            approvals: vec![],
            summary: "needs 1 more approval from @platform (not in people.yaml) or maya",
            then: |v| {
                assert_eq!(rule(v, "infra").unknown_approvers, ["@platform"]);
                assert_eq!(rule(v, "infra").approvers.len(), 1);
            },
            ..Scenario::new(
                "an unknown team is reported, not silently dropped",
                change(&["infra/main.tf"]),
            )
        },
        Scenario {
            policy: Some("rules:\n  - {name: infra, paths: [\"infra/**\"], approvers: [\"@platform\"]}\n"),
            approvals: vec![approve(MAYA), approve(AIKO)],
            summary: "needs 1 more approval from @platform (not in people.yaml)",
            then: |v| assert!(rule(v, "infra").counted.is_empty()),
            ..Scenario::new(
                "nobody can satisfy a rule whose only team is unknown",
                change(&["infra/main.tf"]),
            )
        },
        Scenario {
            policy: Some("rules:\n  - {name: docs, paths: [\"docs/**\"]}\nsettings: {require_signatures: true}\n"),
            approvals: vec![approve("contractor@elsewhere.example"), approve(PRIYA)],
            state: ReadyToMerge,
            summary: "ready to merge",
            then: |v| {
                let docs = rule(v, "docs");
                assert!(docs.anyone_may_approve);
                assert_eq!(counted(v, "docs"), ["contractor@elsewhere.example"]);
                assert_eq!(docs.counted[0].person.id, None);
                assert_eq!(ignored(v, "docs"), [(PRIYA.to_string(), IgnoreReason::Author)]);
            },
            ..Scenario::new(
                "a rule without approvers accepts anyone but the author",
                change(&["docs/runbook.md"]),
            )
        },
    ]);
}

#[test]
fn rule_6_a_request_for_changes_stands_until_the_same_person_approves() {
    run(vec![
        Scenario {
            approvals: vec![approve(MAYA), approve(JONAS).request_changes()],
            state: ChangesRequested,
            summary: "changes requested by Jonas Berg",
            then: |v| {
                let staging = rule(v, "staging");
                assert!(!staging.satisfied);
                assert_eq!(staging.changes_requested[0].person.email, JONAS);
                assert_eq!(counted(v, "staging"), [MAYA]);
            },
            ..Scenario::new(
                "one approver asks for changes while another approves",
                change(&["overlays/staging/web.yaml"]),
            )
        },
        Scenario {
            approvals: vec![
                approve(JONAS).at(NOW - 60),
                approve(JONAS).request_changes().at(NOW - 3600),
            ],
            state: ReadyToMerge,
            summary: "ready to merge",
            ..Scenario::new(
                "a later approval by the same person lifts their request",
                change(&["overlays/staging/web.yaml"]),
            )
        },
        Scenario {
            approvals: vec![
                approve(JONAS).at(NOW - 3600),
                approve(JONAS).request_changes().at(NOW - 60),
            ],
            state: ChangesRequested,
            summary: "changes requested by Jonas Berg",
            ..Scenario::new(
                "a later request for changes withdraws an approval",
                change(&["overlays/staging/web.yaml"]),
            )
        },
        Scenario {
            approvals: vec![approve(JONAS), approve(AIKO).request_changes()],
            state: ReadyToMerge,
            summary: "ready to merge",
            then: |v| {
                assert_eq!(
                    ignored(v, "staging"),
                    [(AIKO.to_string(), IgnoreReason::NotAnApprover)]
                );
            },
            ..Scenario::new(
                "a request from someone who is not an approver does not block",
                change(&["overlays/staging/web.yaml"]),
            )
        },
        Scenario {
            approvals: vec![
                approve(JONAS),
                approve(MAYA).request_changes().of(OLD_HEAD, "content-a"),
            ],
            state: ReadyToMerge,
            summary: "ready to merge",
            ..Scenario::new(
                "a request for changes on an older head with other content is stale",
                change(&["overlays/staging/web.yaml"]),
            )
        },
        Scenario {
            approvals: vec![
                approve(JONAS),
                approve(MAYA)
                    .request_changes()
                    .signature(SignatureState::Missing),
            ],
            state: ReadyToMerge,
            summary: "ready to merge",
            ..Scenario::new(
                "an unsigned request for changes cannot block when signatures are required",
                change(&["overlays/staging/web.yaml"]),
            )
        },
    ]);
}

fn dev_change(fields: Vec<FieldChange>, paths: &[&str]) -> Change {
    let mut change = change(paths);
    for f in &fields {
        if !change.effects.iter().any(|t| t.env == f.env) {
            change.effects.push(EnvironmentTouch {
                env: f.env.clone(),
                status: "changed".to_string(),
                via: vec![f.path.clone()],
            });
        }
    }
    change.field_changes = fields;
    change
}

#[test]
fn rule_7_auto_approval_needs_every_criterion() {
    const BOUNDED: &str = "\
rules:
  - name: scale
    paths: [\"overlays/**\"]
    approvers: [\"@sre\"]
    auto_approve:
      only_paths: [\"overlays/dev/**\", \"overlays/staging/**\"]
      only_fields: [replicas]
      max_replica_change: 2
      authors: [\"@payments\", jonas]
";
    run(vec![
        Scenario {
            state: ReadyToMerge,
            summary: "ready to merge: auto-approved by dev image bumps",
            then: |v| {
                let dev = rule(v, "dev image bumps");
                assert!(dev.satisfied);
                assert_eq!(
                    dev.auto_approved_by.as_deref(),
                    Some("only image_tag or replicas changed; only in dev; validation passed")
                );
                assert!(dev.counted.is_empty(), "satisfied without people");
            },
            ..Scenario::new(
                "a validated dev image bump",
                dev_change(
                    vec![field(
                        "overlays/dev/web.yaml",
                        FieldKind::ImageTag,
                        "1.4.0",
                        "1.5.0",
                    )],
                    &["overlays/dev/web.yaml"],
                ),
            )
        },
        Scenario {
            summary: "needs 1 more approval from anyone but the author",
            then: |v| {
                let dev = rule(v, "dev image bumps");
                assert_eq!(dev.auto_approved_by, None);
                assert_eq!(
                    dev.auto_approve_declined.as_deref(),
                    Some("in dev: web, other a → b is not a field that can be auto-approved")
                );
            },
            ..Scenario::new(
                "any other field blocks auto-approval",
                dev_change(
                    vec![
                        field(
                            "overlays/dev/web.yaml",
                            FieldKind::ImageTag,
                            "1.4.0",
                            "1.5.0",
                        ),
                        field("overlays/dev/web.yaml", FieldKind::Other, "a", "b"),
                    ],
                    &["overlays/dev/web.yaml"],
                ),
            )
        },
        Scenario {
            summary: "needs 1 more approval from anyone but the author",
            then: |v| {
                assert_eq!(
                    rule(v, "dev image bumps").auto_approve_declined.as_deref(),
                    Some("validation did not pass")
                );
            },
            ..Scenario::new("a failed validation blocks auto-approval", {
                let mut c = dev_change(
                    vec![field(
                        "overlays/dev/web.yaml",
                        FieldKind::ImageTag,
                        "1.4.0",
                        "1.5.0",
                    )],
                    &["overlays/dev/web.yaml"],
                );
                c.validation_passed = false;
                c
            })
        },
        Scenario {
            summary: "needs 1 more approval from anyone but the author",
            then: |v| {
                let why = rule(v, "dev image bumps")
                    .auto_approve_declined
                    .clone()
                    .unwrap();
                assert!(
                    why.starts_with("overlays/dev/notes.txt: no change to a known field"),
                    "{why}"
                );
            },
            ..Scenario::new(
                "a changed file not understood as field changes blocks auto-approval",
                dev_change(
                    vec![field(
                        "overlays/dev/web.yaml",
                        FieldKind::ImageTag,
                        "1.4.0",
                        "1.5.0",
                    )],
                    &["overlays/dev/web.yaml", "overlays/dev/notes.txt"],
                ),
            )
        },
        Scenario {
            approvals: vec![approve(JONAS)],
            state: ReadyToMerge,
            summary: "ready to merge",
            then: |v| {
                let dev = rule(v, "dev image bumps");
                assert_eq!(
                    dev.auto_approve_declined.as_deref(),
                    Some("the change also alters staging, outside the rule's environments")
                );
                assert_eq!(
                    counted(v, "dev image bumps"),
                    [JONAS],
                    "people can still approve"
                );
            },
            ..Scenario::new(
                "a change reaching beyond the rule's paths is not auto-approved",
                dev_change(
                    vec![
                        field(
                            "overlays/dev/web.yaml",
                            FieldKind::ImageTag,
                            "1.4.0",
                            "1.5.0",
                        ),
                        field(
                            "overlays/staging/web.yaml",
                            FieldKind::ImageTag,
                            "1.4.0",
                            "1.5.0",
                        ),
                    ],
                    &["overlays/dev/web.yaml", "overlays/staging/web.yaml"],
                ),
            )
        },
        Scenario {
            policy: Some(BOUNDED),
            state: ReadyToMerge,
            summary: "ready to merge: auto-approved by scale",
            then: |v| {
                assert_eq!(
                    rule(v, "scale").auto_approved_by.as_deref(),
                    Some("only replicas changed; all in overlays/dev/**, overlays/staging/**; replicas changed by at most 2; authored by @payments or jonas")
                );
            },
            ..Scenario::new(
                "replicas within the bound, by an allowed author, on allowed paths",
                dev_change(
                    vec![field(
                        "overlays/staging/web.yaml",
                        FieldKind::Replicas,
                        "3",
                        "1",
                    )],
                    &["overlays/staging/web.yaml"],
                ),
            )
        },
        Scenario {
            policy: Some(BOUNDED),
            summary: "needs 1 more approval from @sre",
            then: |v| {
                assert_eq!(
                    rule(v, "scale").auto_approve_declined.as_deref(),
                    Some("in dev: web, replicas 2 → 5 changes by 3, more than 2")
                );
            },
            ..Scenario::new(
                "replicas beyond max_replica_change",
                dev_change(
                    vec![field(
                        "overlays/dev/web.yaml",
                        FieldKind::Replicas,
                        "2",
                        "5",
                    )],
                    &["overlays/dev/web.yaml"],
                ),
            )
        },
        Scenario {
            policy: Some(BOUNDED),
            summary: "needs 1 more approval from @sre",
            then: |v| {
                let why = rule(v, "scale").auto_approve_declined.clone().unwrap();
                assert!(why.contains("cannot be bounded"), "{why}");
            },
            ..Scenario::new(
                "replicas set for the first time cannot be bounded",
                dev_change(
                    vec![field("overlays/dev/web.yaml", FieldKind::Replicas, "", "2")],
                    &["overlays/dev/web.yaml"],
                ),
            )
        },
        Scenario {
            policy: Some(BOUNDED),
            summary: "needs 1 more approval from @sre",
            then: |v| {
                assert_eq!(
                    rule(v, "scale").auto_approve_declined.as_deref(),
                    Some("the author aiko.tanaka@acme.example is not one of @payments, jonas")
                );
            },
            ..Scenario::new(
                "an author not in authors",
                with_author(
                    dev_change(
                        vec![field(
                            "overlays/dev/web.yaml",
                            FieldKind::Replicas,
                            "2",
                            "3",
                        )],
                        &["overlays/dev/web.yaml"],
                    ),
                    AIKO,
                ),
            )
        },
        Scenario {
            policy: Some(BOUNDED),
            summary: "needs 1 more approval from @sre",
            then: |v| {
                assert_eq!(
                    rule(v, "scale").auto_approve_declined.as_deref(),
                    Some("overlays/prod/web.yaml is outside only_paths")
                );
            },
            ..Scenario::new(
                "only_paths narrows the rule's paths",
                dev_change(
                    vec![field(
                        "overlays/prod/web.yaml",
                        FieldKind::Replicas,
                        "2",
                        "3",
                    )],
                    &["overlays/prod/web.yaml"],
                ),
            )
        },
        Scenario {
            approvals: vec![approve(JONAS).request_changes()],
            state: ChangesRequested,
            summary: "changes requested by Jonas Berg",
            then: |v| {
                let dev = rule(v, "dev image bumps");
                assert!(dev.auto_approved_by.is_some());
                assert!(
                    !dev.satisfied,
                    "a person's objection outweighs the criteria"
                );
            },
            ..Scenario::new(
                "a request for changes stops an auto-approvable change",
                dev_change(
                    vec![field(
                        "overlays/dev/web.yaml",
                        FieldKind::ImageTag,
                        "1.4.0",
                        "1.5.0",
                    )],
                    &["overlays/dev/web.yaml"],
                ),
            )
        },
    ]);
}

#[test]
fn rule_8_a_freeze_window_blocks_whatever_the_approvals() {
    run(vec![
        Scenario {
            approvals: vec![approve(MAYA), approve(TOMAS)],
            now: FREEZE_FROM + 86_400,
            state: Blocked,
            summary: "blocked: freeze until 4 Jan 2027 00:00 UTC (holidays)",
            then: |v| {
                let freeze = v.freeze.as_ref().expect("freeze info");
                assert_eq!(freeze.reason, "holidays");
                assert_eq!(freeze.until, FREEZE_UNTIL);
                assert!(freeze.paths.is_empty());
                assert_eq!(
                    freeze.environments,
                    ["prod"],
                    "values-prod.yaml changes prod"
                );
                assert!(
                    rule(v, "production").satisfied,
                    "the approvals are there; the freeze blocks"
                );
                assert!(!v.allows_merge());
            },
            ..Scenario::new(
                "attack: a merge during a freeze window",
                change(&["helm/ledger/values-prod.yaml", "README.md"]),
            )
        },
        Scenario {
            now: FREEZE_FROM,
            state: Blocked,
            summary: "blocked: freeze until 4 Jan 2027 00:00 UTC (holidays)",
            ..Scenario::new(
                "the window starts at `from`",
                change(&["overlays/prod/web.yaml"]),
            )
        },
        Scenario {
            approvals: vec![approve(MAYA), approve(TOMAS)],
            now: FREEZE_UNTIL,
            state: ReadyToMerge,
            summary: "ready to merge",
            then: |v| assert!(v.freeze.is_none()),
            ..Scenario::new(
                "the window ends at `until`",
                change(&["overlays/prod/web.yaml"]),
            )
        },
        Scenario {
            approvals: vec![approve(JONAS)],
            now: FREEZE_FROM + 86_400,
            state: ReadyToMerge,
            summary: "ready to merge",
            ..Scenario::new(
                "paths outside the window are not frozen",
                change(&["overlays/staging/web.yaml"]),
            )
        },
    ]);
}

#[test]
fn rule_9_policy_files_are_protected() {
    const NO_RULE_ON_POLICY: &str = "rules:\n  - {name: prod, paths: [\"overlays/prod/**\"], approvers: [\"@ops-leads\"]}\nsettings: {require_signatures: true}\n";
    const LAX_RULE_ON_POLICY: &str = "\
rules:
  - name: wheelhouse
    paths: [\".wheelhouse/**\"]
    required_approvals: 2
    approvers: [\"@ops-leads\", \"@sre\"]
    allow_author: true
    auto_approve:
      only_fields: [image_tag]
  - name: everything
    paths: [\"**\"]
    required_approvals: 1
settings: {require_signatures: true}
";
    run(vec![
        Scenario {
            codeowners: DEMO_CODEOWNERS,
            approvals: vec![approve(PRIYA)],
            summary: "needs 2 more approvals from @ops-leads",
            then: |v| {
                // Editing the policy could weaken prod's protection: prod's rule judges it.
                let prod = rule(v, "production");
                assert_eq!(prod.required, 2);
                assert!(prod.matched_effects[0].starts_with("may weaken the protection of every environment: .wheelhouse/policy.yaml"));
                assert!(v.not_applied.iter().any(|n| n.rule == "staging"));
                let files = rule(v, "policy files");
                assert_eq!(
                    files.source,
                    RuleSource::PolicyFiles {
                        based_on: Some("CODEOWNERS /.wheelhouse/".to_string())
                    }
                );
                assert_eq!(files.matched_paths, [".wheelhouse/policy.yaml"]);
                assert_eq!(ignored(v, "policy files"), [(PRIYA.to_string(), IgnoreReason::Author)]);
            },
            ..Scenario::new(
                "attack: a change to policy.yaml approving itself",
                change(&[".wheelhouse/policy.yaml"]),
            )
        },
        Scenario {
            codeowners: DEMO_CODEOWNERS,
            approvals: vec![approve(TOMAS), approve(MAYA)],
            state: ReadyToMerge,
            summary: "ready to merge",
            ..Scenario::new(
                "the ops leads' approvals (production's rule) let a people.yaml change through",
                change(&[".wheelhouse/people.yaml"]),
            )
        },
        Scenario {
            policy: Some(NO_RULE_ON_POLICY),
            approvals: vec![approve(PRIYA)],
            summary: "needs 1 more approval from anyone but the author",
            then: |v| {
                assert_eq!(
                    rule(v, "policy files").source,
                    RuleSource::PolicyFiles { based_on: None }
                );
            },
            ..Scenario::new(
                "attack: with no rule on the policy files, the author still cannot approve allowed_signers",
                change(&[".wheelhouse/allowed_signers"]),
            )
        },
        Scenario {
            policy: Some(NO_RULE_ON_POLICY),
            approvals: vec![approve(AIKO)],
            state: ReadyToMerge,
            summary: "ready to merge",
            ..Scenario::new(
                "with no rule on the policy files, one non-author approval suffices",
                change(&["CODEOWNERS"]),
            )
        },
        Scenario {
            policy: Some(LAX_RULE_ON_POLICY),
            approvals: vec![approve(MAYA), approve(JONAS)],
            summary: "needs 1 more approval from @ops-leads or @sre",
            then: |v| {
                let lax = rule(v, "wheelhouse");
                assert!(lax.satisfied, "the lax rule itself lets the author count");
                let files = rule(v, "policy files");
                assert_eq!(files.required, 2, "the strictest covering rule sets the count");
                assert_eq!(counted(v, "policy files"), [JONAS]);
                assert_eq!(ignored(v, "policy files"), [(MAYA.to_string(), IgnoreReason::Author)]);
                assert!(files.auto_approved_by.is_none() && files.auto_approve_declined.is_none());
            },
            ..Scenario::new(
                "protection takes the strictest rule's count and never the author",
                with_author(change(&[".wheelhouse/policy.yaml"]), MAYA),
            )
        },
        Scenario {
            codeowners: DEMO_CODEOWNERS,
            approvals: vec![approve(JONAS)],
            summary: "needs 2 more approvals from @ops-leads",
            then: |v| {
                assert!(rule(v, "CODEOWNERS *").satisfied);
                assert_eq!(rule(v, "production").missing(), 2);
                assert_eq!(rule(v, "policy files").matched_paths, [".github/CODEOWNERS"]);
            },
            ..Scenario::new(
                "editing CODEOWNERS itself is protected too",
                change(&[".github/CODEOWNERS"]),
            )
        },
    ]);
}

#[test]
fn rule_10_no_applicable_rule_means_ready() {
    run(vec![
        Scenario {
            state: ReadyToMerge,
            summary: "ready to merge: no rule applies",
            then: |v| assert!(v.rules.is_empty()),
            ..Scenario::new(
                "a README edit under the demo policy",
                change(&["README.md"]),
            )
        },
        Scenario {
            policy: Some(""),
            state: ReadyToMerge,
            summary: "ready to merge: no rule applies",
            ..Scenario::new("an empty policy", change(&["overlays/prod/web.yaml"]))
        },
    ]);
}

#[test]
fn codeowners_entries_are_extra_rules() {
    const SECTIONS: &str = "\
[Database][2] @maya @tomas
/db/
^[Docs] @aiko
*.md
";
    run(vec![
        Scenario {
            codeowners: DEMO_CODEOWNERS,
            approvals: vec![approve(MAYA)],
            summary: "needs 1 more approval from @ops-leads",
            then: |v| {
                let names: Vec<&str> = v.rules.iter().map(|r| r.rule.as_str()).collect();
                assert_eq!(names, ["production", "CODEOWNERS /overlays/prod/"]);
                let owners = rule(v, "CODEOWNERS /overlays/prod/");
                assert!(owners.satisfied);
                assert_eq!(
                    owners.source,
                    RuleSource::Codeowners {
                        section: None,
                        pattern: "/overlays/prod/".to_string(),
                        line: 3
                    }
                );
            },
            ..Scenario::new(
                "the prod owners' need is covered by production's in the sentence",
                change(&["overlays/prod/web.yaml"]),
            )
        },
        Scenario {
            codeowners: DEMO_CODEOWNERS,
            approvals: vec![approve(JONAS)],
            summary: "needs 1 more approval from @payments or @sre (CODEOWNERS /helm/ledger/); 1 more approval from @storefront (CODEOWNERS /base/web.yaml)",
            then: |v| {
                assert!(rule(v, "CODEOWNERS /helm/ledger/").counted.is_empty(), "Jonas is the author here");
                assert_eq!(rule(v, "CODEOWNERS /base/web.yaml").matched_paths, ["base/web.yaml"]);
            },
            ..Scenario::new(
                "each owned path needs one of its owners, never the author",
                with_author(change(&["helm/ledger/Chart.yaml", "base/web.yaml"]), JONAS),
            )
        },
        Scenario {
            policy: Some(""),
            codeowners: SECTIONS,
            approvals: vec![approve(MAYA)],
            summary: "needs 1 more approval from @maya or @tomas",
            then: |v| {
                let db = rule(v, "CODEOWNERS [Database] /db/");
                assert_eq!(db.required, 2);
                let docs = rule(v, "CODEOWNERS [Docs] *.md");
                assert_eq!(docs.required, 0);
                assert!(docs.satisfied, "optional sections need nobody");
            },
            ..Scenario::new(
                "GitLab [Section][N] needs N, ^[Section] needs none",
                change(&["db/schema.sql", "db/README.md"]),
            )
        },
    ]);
}

#[test]
fn an_invalid_policy_blocks_and_says_where() {
    let error = Policy::parse(
        ".wheelhouse/policy.yaml",
        "rules:\n  - name: prod\n    paths: [a/**]\n    aproval: 2\n",
    )
    .expect_err("typo");
    assert_eq!(error.code, PolicyErrorCode::InvalidYaml);
    let verdict = Verdict::policy_invalid(error.clone());
    assert_eq!(verdict.state, Blocked);
    assert!(
        verdict
            .summary
            .starts_with("blocked: policy invalid at .wheelhouse/policy.yaml line 4, column 5: unknown field `aproval`"),
        "{}",
        verdict.summary
    );
    assert_eq!(verdict.problem, Some(error));
    assert!(!verdict.allows_merge());
}

#[test]
fn the_verdict_serialises_for_the_ui_with_stable_tags() {
    let scenario = Scenario {
        approvals: vec![
            approve(MAYA),
            approve(JONAS).signature(SignatureState::Missing),
        ],
        ..Scenario::new("a staging change", change(&["overlays/staging/web.yaml"]))
    };
    let json = serde_json::to_value(judge(&scenario)).expect("serialises");
    assert_eq!(json["state"], "ready_to_merge");
    let staging = &json["rules"][0];
    assert_eq!(staging["source"]["kind"], "policy");
    assert_eq!(staging["counted"][0]["signature"]["kind"], "valid");
    assert_eq!(staging["ignored"][0]["reason"]["kind"], "unsigned");
    assert_eq!(staging["ignored"][0]["signature"]["kind"], "missing");
    assert_eq!(staging["counted"][0]["person"]["name"], "Maya Chen");
}

#[test]
fn policy_errors_are_plain_values_for_the_ui() {
    let error = PolicyError {
        code: PolicyErrorCode::InvalidGlob,
        file: "policy.yaml".to_string(),
        line: 3,
        column: 9,
        message: "bad".to_string(),
    };
    let json = serde_json::to_value(&error).expect("serialises");
    assert_eq!(json["code"], "invalid_glob");
    assert_eq!(error.to_string(), "policy.yaml:3:9: bad");
}
