//! Reading policy.yaml and people.yaml: the demo's files parse to what they say, and every
//! mistake is reported with file, line and column.

use wheelhouse_approvals::policy::{
    Check, FieldKind, People, Policy, PolicyError, PolicyErrorCode, Settings,
};
use wheelhouse_demo::content::{
    PEOPLE as DEMO_PEOPLE, POLICY as DEMO_POLICY, POLICY_FREEZE as DEMO_POLICY_FREEZE,
};
use wheelhouse_repo::MergeStrategy;

const POLICY_FILE: &str = ".wheelhouse/policy.yaml";

#[test]
fn the_demo_policy_parses_to_its_four_rules_and_settings() {
    let policy = Policy::parse(POLICY_FILE, DEMO_POLICY).expect("demo policy parses");
    let names: Vec<&str> = policy.rules.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        ["production", "staging", "dev image bumps", "status page"]
    );

    let production = &policy.rules[0];
    assert_eq!(production.required_approvals, 2);
    assert_eq!(production.approvers, ["@ops-leads"]);
    assert!(!production.allow_author);
    assert!(production
        .paths
        .iter()
        .any(|g| g.is_match("infrastructure/flux/ingress.yaml")));
    assert!(production.auto_approve.is_none());

    let dev = &policy.rules[2];
    let auto = dev.auto_approve.as_ref().expect("dev rule auto-approves");
    assert_eq!(auto.only_fields, [FieldKind::ImageTag, FieldKind::Replicas]);
    assert_eq!(auto.checks, [Check::Validate]);
    assert_eq!(auto.only_paths, None);
    assert_eq!(auto.max_replica_change, None);
    assert_eq!(
        dev.required_approvals, 1,
        "a rule needs 1 approval unless it says otherwise"
    );
    assert!(
        dev.approvers.is_empty(),
        "no approvers listed means anyone but the author"
    );

    assert!(policy.rules[3].allow_author);
    assert_eq!(
        policy.settings,
        Settings {
            dismiss_stale_approvals: true,
            require_signatures: true,
            merge: MergeStrategy::MergeCommit,
        }
    );
    assert!(policy.freeze.is_empty());
}

#[test]
fn the_demo_policy_with_its_freeze_window_reads_the_window_in_unix_seconds() {
    let text = format!("{DEMO_POLICY}{DEMO_POLICY_FREEZE}");
    let policy = Policy::parse(POLICY_FILE, &text).expect("demo policy with freeze parses");
    assert_eq!(policy.rules.len(), 4);
    assert_eq!(policy.freeze.len(), 1);
    let window = &policy.freeze[0];
    assert_eq!(window.from, 1_797_724_800, "2026-12-20T00:00:00Z");
    assert_eq!(window.until, 1_799_020_800, "2027-01-04T00:00:00Z");
    assert_eq!(window.reason, "holidays");
    assert_eq!(
        window.environments,
        ["prod"],
        "the freeze judges what changes prod"
    );
    assert!(window.paths.is_empty());
    assert_eq!(policy.rules[0].environments, ["prod"]);
}

#[test]
fn the_demo_people_parse_with_names_emails_and_teams() {
    let people = People::parse(".wheelhouse/people.yaml", DEMO_PEOPLE).expect("demo people parse");
    assert_eq!(people.people.len(), 5);
    assert_eq!(people.people["tomas"].name, "Tomás Rivera");
    assert_eq!(people.people["maya"].email, "maya.chen@acme.example");
    assert_eq!(people.teams["ops-leads"], ["maya", "tomas"]);
    assert_eq!(people.teams["sre"], ["jonas", "maya"]);

    let sre: Vec<String> = people
        .resolve("@sre")
        .expect("@sre is a team")
        .into_iter()
        .map(|p| p.email)
        .collect();
    assert_eq!(sre, ["jonas.berg@acme.example", "maya.chen@acme.example"]);
    assert_eq!(
        people.resolve("@acme/payments").map(|p| p.len()),
        Some(1),
        "GitHub's @org/team names the team after the slash"
    );
    assert_eq!(
        people
            .resolve("aiko")
            .map(|p| p[0].email.clone())
            .as_deref(),
        Some("aiko.tanaka@acme.example")
    );
    assert_eq!(
        people
            .resolve("MAYA.CHEN@acme.example")
            .map(|p| p[0].id.clone()),
        Some(Some("maya".to_string())),
        "emails match case-insensitively"
    );
    assert!(people.resolve("@ghosts").is_none());
    assert!(people.resolve("ghost").is_none());
}

#[test]
fn an_empty_policy_file_has_no_rules_and_default_settings() {
    let policy = Policy::parse(POLICY_FILE, "# nothing yet\n").expect("comments only is fine");
    assert!(policy.rules.is_empty());
    assert_eq!(
        policy.settings,
        Settings {
            dismiss_stale_approvals: true,
            require_signatures: false,
            merge: MergeStrategy::MergeCommit,
        }
    );
}

#[test]
fn the_merge_setting_reads_fast_forward_and_refuses_other_words_with_a_location() {
    let policy = Policy::parse(POLICY_FILE, "settings: {merge: fast-forward}\n").unwrap();
    assert_eq!(policy.settings.merge, MergeStrategy::FastForward);
    let err = Policy::parse(POLICY_FILE, "rules: []\nsettings:\n  merge: squash\n").unwrap_err();
    assert_eq!(err.line, 3, "{err}");
}

#[test]
fn a_rule_may_name_approvers_by_id_and_email_and_bound_auto_approval() {
    let text = "\
rules:
  - name: web
    paths: [overlays/dev/web/]
    approvers: [maya, jonas.berg@acme.example]
    auto_approve:
      only_paths: [\"overlays/dev/web/*.yaml\"]
      only_fields: [replicas, replicas, chart_version]
      max_replica_change: 2
      authors: [\"@sre\"]
";
    let policy = Policy::parse(POLICY_FILE, text).expect("parses");
    let rule = &policy.rules[0];
    assert_eq!(rule.approvers, ["maya", "jonas.berg@acme.example"]);
    assert!(
        rule.paths[0].is_match("overlays/dev/web/deep/file.yaml"),
        "a trailing / covers the directory"
    );
    let auto = rule.auto_approve.as_ref().expect("auto_approve");
    assert_eq!(
        auto.only_fields,
        [FieldKind::Replicas, FieldKind::ChartVersion]
    );
    assert_eq!(auto.max_replica_change, Some(2));
    assert_eq!(auto.authors.as_deref(), Some(&["@sre".to_string()][..]));
    assert!(auto.checks.is_empty());
}

struct Bad {
    scenario: &'static str,
    text: &'static str,
    code: PolicyErrorCode,
    line: u32,
    column: u32,
    says: &'static str,
}

fn check_errors(parse: fn(&str, &str) -> Result<(), PolicyError>, file: &str, cases: &[Bad]) {
    for case in cases {
        let error = parse(file, case.text).expect_err(case.scenario);
        assert_eq!(error.file, file, "{}", case.scenario);
        assert_eq!(error.code, case.code, "{}: {error}", case.scenario);
        assert_eq!(
            (error.line, error.column),
            (case.line, case.column),
            "{}: {error}",
            case.scenario
        );
        assert!(
            error.message.contains(case.says),
            "{}: {error:?} should say {:?}",
            case.scenario,
            case.says
        );
        assert!(
            !error.message.contains(" at line "),
            "{}: the position is said once, in front: {error}",
            case.scenario
        );
        assert_eq!(
            error.to_string(),
            format!("{file}:{}:{}: {}", case.line, case.column, error.message)
        );
    }
}

fn parse_policy(file: &str, text: &str) -> Result<(), PolicyError> {
    Policy::parse(file, text).map(|_| ())
}

fn parse_people(file: &str, text: &str) -> Result<(), PolicyError> {
    People::parse(file, text).map(|_| ())
}

#[test]
fn policy_mistakes_name_the_line_and_column() {
    use PolicyErrorCode::*;
    let cases = [
        Bad {
            scenario: "an unknown field in a rule (a typo)",
            text: "rules:\n  - name: prod\n    paths: [a/**]\n    approver: [maya]\n",
            code: InvalidYaml,
            line: 4,
            column: 5,
            says: "unknown field `approver`",
        },
        Bad {
            scenario: "an unknown top-level key",
            text: "rules: []\nfreezes: []\n",
            code: InvalidYaml,
            line: 2,
            column: 1,
            says: "unknown field `freezes`",
        },
        Bad {
            scenario: "an unknown setting",
            text: "settings:\n  require_signature: true\n",
            code: InvalidYaml,
            line: 2,
            column: 3,
            says: "unknown field `require_signature`",
        },
        Bad {
            scenario: "truncated YAML",
            text: "rules:\n  - name: prod\n    paths: [\"a/**\",\n",
            code: InvalidYaml,
            line: 3,
            column: 12,
            says: "unclosed",
        },
        Bad {
            scenario: "a count that is not a number",
            text: "rules:\n  - name: prod\n    paths: [a/**]\n    required_approvals: two\n",
            code: InvalidYaml,
            line: 4,
            column: 25,
            says: "u32",
        },
        Bad {
            scenario: "a rule without paths",
            text: "rules:\n  - name: prod\n    required_approvals: 2\n",
            code: InvalidValue,
            line: 2,
            column: 11,
            says: "has neither paths nor environments",
        },
        Bad {
            scenario: "an unknown field kind",
            text: "rules:\n  - name: dev\n    paths: [a/**]\n    auto_approve:\n      only_fields: [image_tag, image]\n",
            code: InvalidYaml,
            line: 5,
            column: 32,
            says: "unknown variant `image`",
        },
        Bad {
            scenario: "`other` cannot be auto-approved",
            text: "rules:\n  - name: dev\n    paths: [a/**]\n    auto_approve:\n      only_fields: [other]\n",
            code: InvalidValue,
            line: 5,
            column: 21,
            says: "`other` cannot be auto-approved",
        },
        Bad {
            scenario: "an unknown check",
            text: "rules:\n  - name: dev\n    paths: [a/**]\n    auto_approve:\n      only_fields: [replicas]\n      checks: [lint]\n",
            code: InvalidYaml,
            line: 6,
            column: 16,
            says: "unknown variant `lint`",
        },
        Bad {
            scenario: "a glob that does not compile",
            text: "rules:\n  - name: prod\n    paths: [\"overlays/[prod/**\"]\n",
            code: InvalidGlob,
            line: 3,
            column: 13,
            says: "overlays/[prod/**",
        },
        Bad {
            scenario: "two rules with one name",
            text: "rules:\n  - name: prod\n    paths: [a/**]\n  - name: prod\n    paths: [b/**]\n",
            code: InvalidValue,
            line: 4,
            column: 11,
            says: "two rules are named `prod`",
        },
        Bad {
            scenario: "an empty approvers list (nobody, or did they mean anyone?)",
            text: "rules:\n  - name: prod\n    paths: [a/**]\n    approvers: []\n",
            code: InvalidValue,
            line: 2,
            column: 11,
            says: "lists no approvers",
        },
        Bad {
            scenario: "an approver with a space in it",
            text: "rules:\n  - name: prod\n    paths: [a/**]\n    approvers: [\"@ops leads\"]\n",
            code: InvalidValue,
            line: 4,
            column: 17,
            says: "`@ops leads`",
        },
        Bad {
            scenario: "a freeze time that is not RFC 3339",
            text: "freeze:\n  - paths: [a/**]\n    from: 20 Dec 2026\n    until: \"2027-01-04T00:00:00Z\"\n    reason: holidays\n",
            code: InvalidTime,
            line: 3,
            column: 11,
            says: "RFC 3339",
        },
        Bad {
            scenario: "a freeze that ends before it starts",
            text: "freeze:\n  - paths: [a/**]\n    from: \"2027-01-04T00:00:00Z\"\n    until: \"2026-12-20T00:00:00Z\"\n    reason: holidays\n",
            code: InvalidTime,
            line: 4,
            column: 12,
            says: "ends",
        },
        Bad {
            scenario: "a freeze without a reason",
            text: "freeze:\n  - paths: [a/**]\n    from: \"2026-12-20T00:00:00Z\"\n    until: \"2027-01-04T00:00:00Z\"\n",
            code: InvalidYaml,
            line: 4,
            column: 5,
            says: "missing field `reason`",
        },
    ];
    check_errors(parse_policy, POLICY_FILE, &cases);
}

#[test]
fn people_mistakes_name_the_line_and_column() {
    use PolicyErrorCode::*;
    let cases = [
        Bad {
            scenario: "a team member who is not a person",
            text: "people:\n  maya: {name: Maya, email: maya@acme.example}\nteams:\n  ops: [maya, tomas]\n",
            code: InvalidValue,
            line: 4,
            column: 15,
            says: "`tomas`",
        },
        Bad {
            scenario: "an email that is not one",
            text: "people:\n  maya: {name: Maya, email: maya.acme.example}\n",
            code: InvalidValue,
            line: 2,
            column: 29,
            says: "not an email address",
        },
        Bad {
            scenario: "one email for two people",
            text: "people:\n  maya: {name: Maya, email: maya@acme.example}\n  may: {name: May, email: MAYA@acme.example}\n",
            code: InvalidValue,
            line: 3,
            column: 27,
            says: "listed for both",
        },
        Bad {
            scenario: "an unknown field on a person",
            text: "people:\n  maya: {name: Maya, mail: maya@acme.example}\n",
            code: InvalidYaml,
            line: 2,
            column: 22,
            says: "unknown field `mail`",
        },
        Bad {
            scenario: "a person id listed twice",
            text: "people:\n  maya: {name: Maya, email: maya@acme.example}\n  maya: {name: Maya, email: maya2@acme.example}\n",
            code: InvalidYaml,
            line: 3,
            column: 3,
            says: "duplicate",
        },
    ];
    check_errors(parse_people, ".wheelhouse/people.yaml", &cases);
}
