//! The judgement itself: (policy, people, CODEOWNERS, change, approvals, now) → verdict.

use super::change::{Approval, Change, FieldKind, ReviewStatus, SignatureState};
use super::codeowners::{Codeowners, CodeownersMatch, CODEOWNERS_LOCATIONS};
use super::glob::{any_match, PathGlob};
use super::people::{is_email, People, PersonRef};
use super::policy_file::Rule;
use super::policy_file::{AutoApprove, Check, Policy, Settings};
use super::verdict::{
    CountedApproval, FreezeInfo, IgnoreReason, IgnoredApproval, NotApplied, RuleSource,
    RuleVerdict, Verdict, VerdictState,
};
use super::when::format_utc;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The `.wheelhouse` files that decide who approves; with [`CODEOWNERS_LOCATIONS`] they are the
/// protected policy files.
pub const POLICY_FILES: [&str; 3] = [
    ".wheelhouse/policy.yaml",
    ".wheelhouse/people.yaml",
    ".wheelhouse/allowed_signers",
];

fn is_policy_file(path: &str) -> bool {
    POLICY_FILES.contains(&path) || CODEOWNERS_LOCATIONS.contains(&path)
}

/// Judges `change` under the target branch's `policy`, `people` and `codeowners` (pass
/// `Codeowners::default()` when the branch has none), given its approval records as verified
/// against the target branch's `allowed_signers`, at `now` (Unix seconds).
pub fn evaluate(
    policy: &Policy,
    people: &People,
    codeowners: &Codeowners,
    change: &Change,
    approvals: &[Approval],
    now: i64,
) -> Verdict {
    let mut requirements = Vec::new();
    let mut not_applied = Vec::new();
    let redefining = redefining(change);
    // A change that could move what the rules protect is judged by the strictest environment
    // rule (the most approvals; the first of equals), whatever it renders.
    let strictest = policy
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.environments.is_empty())
        .max_by_key(|&(i, r)| (r.required_approvals, std::cmp::Reverse(i)))
        .map(|(i, _)| i);
    for (index, rule) in policy.rules.iter().enumerate() {
        let matched = matching(&change.paths, &rule.paths);
        let moved: &[String] = if Some(index) == strictest {
            &redefining
        } else {
            &[]
        };
        let effects = effect_matches(rule, change, moved);
        if matched.is_empty() && effects.is_empty() {
            not_applied.push(NotApplied {
                rule: rule.name.clone(),
                reason: why_not(rule, change),
            });
            continue;
        }
        requirements.push(Requirement {
            name: rule.name.clone(),
            source: RuleSource::Policy,
            matched_paths: matched,
            matched_effects: effects,
            required: rule.required_approvals,
            approvers: rule.approvers.clone(),
            allow_author: rule.allow_author,
            auto_approve: rule.auto_approve.as_ref().map(|auto| (auto, rule)),
        });
    }

    let mut owned: BTreeMap<(usize, usize), Vec<String>> = BTreeMap::new();
    for path in &change.paths {
        for deciding in codeowners.deciding_entries(path) {
            owned.entry(deciding).or_default().push(path.clone());
        }
    }
    for ((section, entry), paths) in owned {
        if let Some(owners) = codeowners.describe(section, entry) {
            requirements.push(Requirement {
                name: codeowners_rule_name(&owners),
                source: RuleSource::Codeowners {
                    section: owners.section,
                    pattern: owners.pattern,
                    line: owners.line,
                },
                matched_paths: paths,
                matched_effects: Vec::new(),
                required: owners.required_approvals,
                approvers: owners.owners,
                allow_author: false,
                auto_approve: None,
            });
        }
    }

    let touched: Vec<String> = change
        .paths
        .iter()
        .filter(|p| is_policy_file(p))
        .cloned()
        .collect();
    if !touched.is_empty() {
        requirements.push(policy_files_requirement(policy, codeowners, touched));
    }

    let rules: Vec<RuleVerdict> = requirements
        .iter()
        .map(|r| judge(r, people, policy.settings, change, approvals))
        .collect();
    let freeze = active_freeze(policy, change, &redefining, now);
    let (state, summary) = match change.render_problems.first() {
        Some(first) if freeze.is_none() => (
            VerdictState::Blocked,
            format!("blocked: the change does not render: {first}"),
        ),
        _ => conclude(&rules, freeze.as_ref()),
    };
    Verdict {
        state,
        summary,
        rules,
        not_applied,
        freeze,
        problem: None,
    }
}

/// The changed files that could move what the rules protect: what defines environments, and
/// the policy files themselves.
fn redefining(change: &Change) -> Vec<String> {
    let mut out = change.redefining.clone();
    for p in &change.paths {
        if is_policy_file(p) && !out.contains(p) {
            out.push(p.clone());
        }
    }
    out
}

/// Why `rule` applies by effect: one sentence per environment of the rule that the change
/// alters (narrowed by the rule's workloads and fields), or one for all of them when the change
/// redefines environments or the policy.
fn effect_matches(rule: &Rule, change: &Change, redefining: &[String]) -> Vec<String> {
    if rule.environments.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    if !redefining.is_empty() {
        out.push(format!(
            "may weaken the protection of every environment: {} edits what defines environments or who approves (the strictest environment rule applies)",
            redefining.join(", ")
        ));
    }
    for touch in &change.effects {
        if !rule.environments.contains(&touch.env) {
            continue;
        }
        let via = if touch.via.is_empty() {
            String::new()
        } else {
            format!(", via {}", touch.via.join(", "))
        };
        if touch.status != "changed" {
            out.push(format!(
                "{} is {} by the change{via}",
                touch.env, touch.status
            ));
            continue;
        }
        let fields: Vec<&str> = change
            .field_changes
            .iter()
            .filter(|f| f.env == touch.env)
            .filter(|f| rule.workloads.is_empty() || any_match(&rule.workloads, &f.workload))
            .filter(|f| rule.fields.is_empty() || rule.fields.contains(&f.field))
            .map(|f| f.summary.as_str())
            .collect();
        let narrowed = !rule.workloads.is_empty() || !rule.fields.is_empty();
        if fields.is_empty() && narrowed {
            continue;
        }
        let what = match fields.len() {
            0 => "its rendered manifests differ".to_owned(),
            1..=3 => fields.join("; "),
            n => format!("{}; and {} more", fields[..3].join("; "), n - 3),
        };
        out.push(format!("changes {}: {what}{via}", touch.env));
    }
    out
}

/// Globs as the policy writes them, comma-separated.
fn listed(globs: &[PathGlob]) -> String {
    globs
        .iter()
        .map(PathGlob::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why a policy rule does not apply, in words.
fn why_not(rule: &Rule, change: &Change) -> String {
    let mut parts = Vec::new();
    if !rule.paths.is_empty() {
        parts.push(format!("no changed file matches {}", listed(&rule.paths)));
    }
    if !rule.environments.is_empty() {
        let touched: Vec<&str> = change
            .effects
            .iter()
            .filter(|t| rule.environments.contains(&t.env))
            .map(|t| t.env.as_str())
            .collect();
        if touched.is_empty() {
            parts.push(format!(
                "{} render{} as before",
                rule.environments.join(", "),
                if rule.environments.len() == 1 {
                    "s"
                } else {
                    ""
                }
            ));
        } else {
            let mut narrow = Vec::new();
            if !rule.workloads.is_empty() {
                narrow.push(format!("workloads {}", listed(&rule.workloads)));
            }
            if !rule.fields.is_empty() {
                narrow.push(format!("fields {}", fields_in_words(&rule.fields)));
            }
            parts.push(format!(
                "{} change{}, but not in {}",
                touched.join(", "),
                if touched.len() == 1 { "s" } else { "" },
                narrow.join(" or ")
            ));
        }
    }
    parts.join("; ")
}

/// One applicable rule, whatever file it came from.
struct Requirement<'a> {
    name: String,
    source: RuleSource,
    matched_paths: Vec<String>,
    matched_effects: Vec<String>,
    required: u32,
    /// Empty: anyone.
    approvers: Vec<String>,
    allow_author: bool,
    /// The criteria and the rule they belong to.
    auto_approve: Option<(&'a AutoApprove, &'a Rule)>,
}

fn matching(paths: &[String], globs: &[PathGlob]) -> Vec<String> {
    paths
        .iter()
        .filter(|p| any_match(globs, p))
        .cloned()
        .collect()
}

fn codeowners_rule_name(owners: &CodeownersMatch) -> String {
    match &owners.section {
        Some(section) => format!("CODEOWNERS [{section}] {}", owners.pattern),
        None => format!("CODEOWNERS {}", owners.pattern),
    }
}

/// A change to the policy files needs what the strictest rule covering any of them needs
/// (at least 1), from that rule's approvers, never the author, never automatically; with no
/// such rule, 1 approval from anyone but the author.
fn policy_files_requirement<'a>(
    policy: &Policy,
    codeowners: &Codeowners,
    touched: Vec<String>,
) -> Requirement<'a> {
    let protected = POLICY_FILES.iter().chain(CODEOWNERS_LOCATIONS.iter());
    let mut strictest: Option<(u32, String, Vec<String>)> = None;
    let mut consider = |required: u32, name: String, approvers: Vec<String>| {
        if strictest.as_ref().is_none_or(|(r, _, _)| required > *r) {
            strictest = Some((required, name, approvers));
        }
    };
    for rule in &policy.rules {
        if protected.clone().any(|f| any_match(&rule.paths, f)) {
            consider(
                rule.required_approvals,
                rule.name.clone(),
                rule.approvers.clone(),
            );
        }
    }
    for file in protected {
        for owners in codeowners.owners_of(file) {
            consider(
                owners.required_approvals,
                codeowners_rule_name(&owners),
                owners.owners,
            );
        }
    }
    let (required, based_on, approvers) = match strictest {
        Some((required, name, approvers)) => (required.max(1), Some(name), approvers),
        None => (1, None, Vec::new()),
    };
    Requirement {
        name: "policy files".to_string(),
        source: RuleSource::PolicyFiles { based_on },
        matched_paths: touched,
        matched_effects: Vec::new(),
        required,
        approvers,
        allow_author: false,
        auto_approve: None,
    }
}

fn judge(
    requirement: &Requirement,
    people: &People,
    settings: Settings,
    change: &Change,
    approvals: &[Approval],
) -> RuleVerdict {
    let mut eligible: Vec<PersonRef> = Vec::new();
    let mut unknown_approvers = Vec::new();
    for approver in &requirement.approvers {
        match people.resolve(approver) {
            Some(persons) => {
                for person in persons {
                    if !eligible
                        .iter()
                        .any(|e| e.email.eq_ignore_ascii_case(&person.email))
                    {
                        eligible.push(person);
                    }
                }
            }
            None => unknown_approvers.push(approver.clone()),
        }
    }
    let anyone = requirement.approvers.is_empty();

    let mut ignored: Vec<(usize, IgnoredApproval)> = Vec::new();
    let mut valid: Vec<(usize, bool)> = Vec::new();
    for (index, approval) in approvals.iter().enumerate() {
        match screen(approval, requirement, settings, change, &eligible, anyone) {
            Ok(stale) => valid.push((index, stale)),
            Err(reason) => ignored.push((index, ignore(approval, reason))),
        }
    }
    // Each person's latest record is their word; earlier ones are superseded.
    valid.sort_by_key(|&(index, _)| (approvals[index].at, index));
    let mut latest: Vec<(usize, bool)> = Vec::new();
    let mut seat: HashMap<String, usize> = HashMap::new();
    for (index, stale) in valid {
        let email = approvals[index].approver_email.trim().to_ascii_lowercase();
        match seat.get(&email) {
            Some(&slot) => {
                let (earlier, _) = latest[slot];
                ignored.push((
                    earlier,
                    ignore(&approvals[earlier], IgnoreReason::Superseded),
                ));
                latest[slot] = (index, stale);
            }
            None => {
                seat.insert(email, latest.len());
                latest.push((index, stale));
            }
        }
    }
    ignored.sort_by_key(|&(index, _)| index);

    let mut counted = Vec::new();
    let mut changes_requested = Vec::new();
    for (index, stale) in latest {
        let approval = &approvals[index];
        let record = CountedApproval {
            person: people.lookup_email(approval.approver_email.trim()),
            at: approval.at,
            signature: approval.signature.clone(),
            commit: approval.commit.clone(),
            stale,
            comment: approval.comment.clone(),
        };
        match approval.status {
            ReviewStatus::Approve => counted.push(record),
            ReviewStatus::RequestChanges => changes_requested.push(record),
        }
    }

    let auto = requirement
        .auto_approve
        .map(|(auto, rule)| auto_approval(auto, rule, change, people));
    let (auto_approved_by, auto_approve_declined) = match auto {
        Some(Ok(criteria)) => (Some(criteria), None),
        Some(Err(why)) => (None, Some(why)),
        None => (None, None),
    };
    let enough = u32::try_from(counted.len()).unwrap_or(u32::MAX) >= requirement.required;
    let satisfied = changes_requested.is_empty() && (auto_approved_by.is_some() || enough);

    RuleVerdict {
        rule: requirement.name.clone(),
        source: requirement.source.clone(),
        matched_paths: requirement.matched_paths.clone(),
        matched_effects: requirement.matched_effects.clone(),
        required: requirement.required,
        approver_names: requirement.approvers.clone(),
        approvers: eligible,
        anyone_may_approve: anyone,
        allow_author: requirement.allow_author,
        unknown_approvers,
        counted,
        changes_requested,
        ignored: ignored.into_iter().map(|(_, record)| record).collect(),
        auto_approved_by,
        auto_approve_declined,
        satisfied,
    }
}

/// Whether a record may speak for this rule: `Ok(stale)` when it may, else why not.
fn screen(
    approval: &Approval,
    requirement: &Requirement,
    settings: Settings,
    change: &Change,
    eligible: &[PersonRef],
    anyone: bool,
) -> Result<bool, IgnoreReason> {
    let email = approval.approver_email.trim();
    // A signature that is there but wrong is evidence of tampering: never trusted.
    match &approval.signature {
        SignatureState::Valid { principal, .. }
            if !principal.trim().eq_ignore_ascii_case(email) =>
        {
            return Err(IgnoreReason::PrincipalMismatch {
                principal: principal.clone(),
            })
        }
        SignatureState::Valid { .. } => {}
        SignatureState::Invalid { reason } => {
            return Err(IgnoreReason::InvalidSignature {
                reason: reason.clone(),
            })
        }
        SignatureState::Missing if settings.require_signatures => {
            return Err(IgnoreReason::Unsigned)
        }
        SignatureState::UnknownKey if settings.require_signatures => {
            return Err(IgnoreReason::UnknownKey)
        }
        SignatureState::Missing | SignatureState::UnknownKey => {}
    }
    let same_head = !change.head_commit.is_empty() && approval.commit == change.head_commit;
    let same_content = !change.content_id.is_empty()
        && approval.content_id.as_deref() == Some(change.content_id.as_str());
    let stale = !same_head && !same_content;
    if stale && settings.dismiss_stale_approvals {
        return Err(IgnoreReason::Stale {
            approved_commit: approval.commit.clone(),
        });
    }
    if !requirement.allow_author && email.eq_ignore_ascii_case(change.author.email.trim()) {
        return Err(IgnoreReason::Author);
    }
    let listed = eligible.iter().any(|p| p.email.eq_ignore_ascii_case(email));
    if !is_email(email) || !(anyone || listed) {
        return Err(IgnoreReason::NotAnApprover);
    }
    Ok(stale)
}

fn ignore(approval: &Approval, reason: IgnoreReason) -> IgnoredApproval {
    IgnoredApproval {
        approver_email: approval.approver_email.clone(),
        status: approval.status,
        at: approval.at,
        signature: approval.signature.clone(),
        commit: approval.commit.clone(),
        reason,
    }
}

/// `Ok(criteria in words)` when every criterion holds, else the first that fails.
fn auto_approval(
    auto: &AutoApprove,
    rule: &Rule,
    change: &Change,
    people: &People,
) -> Result<String, String> {
    let rule_paths = rule.paths.as_slice();
    let redefining = redefining(change);
    if !redefining.is_empty() {
        return Err(format!(
            "{} edits what defines environments or who approves",
            redefining.join(", ")
        ));
    }
    for touch in &change.effects {
        if touch.status != "changed" {
            return Err(format!("{} is {} by the change", touch.env, touch.status));
        }
        if !rule.environments.is_empty() && !rule.environments.contains(&touch.env) {
            return Err(format!(
                "the change also alters {}, outside the rule's environments",
                touch.env
            ));
        }
    }
    let no_effect = change.effects.is_empty() && change.field_changes.is_empty();
    if no_effect && !auto.no_effect {
        return Err(
            "the change alters no rendered output, and the rule does not allow no_effect"
                .to_string(),
        );
    }
    let explained: HashSet<&str> = change
        .field_changes
        .iter()
        .map(|f| f.path.as_str())
        .collect();
    for path in &change.paths {
        if !rule_paths.is_empty() && !any_match(rule_paths, path) {
            return Err(format!("{path} is outside the rule's paths"));
        }
        if let Some(only) = &auto.only_paths {
            if !any_match(only, path) {
                return Err(format!("{path} is outside only_paths"));
            }
        }
        if !no_effect && !explained.contains(path.as_str()) {
            return Err(format!(
                "{path}: no change to a known field (image tag, replicas, chart version, env, resources, Helm value) was recognised"
            ));
        }
    }
    let allowed = fields_in_words(&auto.only_fields);
    for field in &change.field_changes {
        let what = format!("in {}: {}", field.env, field.summary);
        if field.field == FieldKind::Other {
            return Err(format!("{what} is not a field that can be auto-approved"));
        }
        if !auto.only_fields.contains(&field.field) {
            return Err(format!("{what}; only {allowed} may change"));
        }
        if let (FieldKind::Replicas, Some(max)) = (field.field, auto.max_replica_change) {
            let count =
                |v: &Option<String>| v.as_deref().and_then(|v| v.trim().parse::<i64>().ok());
            match (count(&field.from), count(&field.to)) {
                (Some(from), Some(to)) if from.abs_diff(to) <= u64::from(max) => {}
                (Some(from), Some(to)) => {
                    return Err(format!(
                        "{what} changes by {}, more than {max}",
                        from.abs_diff(to)
                    ))
                }
                _ => {
                    return Err(format!(
                        "{what} changes from {} to {}, which cannot be bounded by {max}",
                        field.from.as_deref().unwrap_or("unset"),
                        field.to.as_deref().unwrap_or("unset")
                    ))
                }
            }
        }
    }
    if let Some(authors) = &auto.authors {
        let author = change.author.email.trim();
        let allowed_author = authors
            .iter()
            .filter_map(|a| people.resolve(a))
            .flatten()
            .any(|p| p.email.eq_ignore_ascii_case(author));
        if !allowed_author {
            return Err(format!(
                "the author {author} is not one of {}",
                authors.join(", ")
            ));
        }
    }
    for check in &auto.checks {
        match check {
            Check::Validate if !change.validation_passed => {
                return Err("validation did not pass".to_string())
            }
            Check::Validate => {}
        }
    }

    let scope = auto.only_paths.as_deref().unwrap_or(rule_paths);
    let mut criteria = vec![if no_effect {
        "no environment renders differently".to_owned()
    } else {
        format!("only {allowed} changed")
    }];
    if !scope.is_empty() {
        criteria.push(format!(
            "all in {}",
            scope
                .iter()
                .map(PathGlob::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !rule.environments.is_empty() && !no_effect {
        criteria.push(format!("only in {}", rule.environments.join(", ")));
    }
    if let Some(max) = auto.max_replica_change {
        criteria.push(format!("replicas changed by at most {max}"));
    }
    if let Some(authors) = &auto.authors {
        criteria.push(format!("authored by {}", authors.join(" or ")));
    }
    if auto.checks.contains(&Check::Validate) {
        criteria.push("validation passed".to_string());
    }
    Ok(criteria.join("; "))
}

fn fields_in_words(fields: &[FieldKind]) -> String {
    fields
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join(" or ")
}

/// The active window covering a changed path or an altered environment that ends last.
fn active_freeze(
    policy: &Policy,
    change: &Change,
    redefining: &[String],
    now: i64,
) -> Option<FreezeInfo> {
    policy
        .freeze
        .iter()
        .filter(|w| w.from <= now && now < w.until)
        .filter_map(|w| {
            let paths = matching(&change.paths, &w.paths);
            let environments: Vec<String> = if redefining.is_empty() {
                change
                    .effects
                    .iter()
                    .filter(|t| w.environments.contains(&t.env))
                    .map(|t| t.env.clone())
                    .collect()
            } else {
                w.environments.clone()
            };
            (!paths.is_empty() || !environments.is_empty()).then(|| FreezeInfo {
                reason: w.reason.clone(),
                from: w.from,
                until: w.until,
                until_text: format_utc(w.until),
                paths,
                environments,
            })
        })
        .max_by_key(|f| f.until)
}

fn conclude(rules: &[RuleVerdict], freeze: Option<&FreezeInfo>) -> (VerdictState, String) {
    if let Some(freeze) = freeze {
        let why = if freeze.reason.is_empty() {
            String::new()
        } else {
            format!(" ({})", freeze.reason)
        };
        return (
            VerdictState::Blocked,
            format!("blocked: freeze until {}{why}", freeze.until_text),
        );
    }

    let mut requesters: Vec<&str> = Vec::new();
    for record in rules.iter().flat_map(|r| &r.changes_requested) {
        let name = record.person.display();
        if !requesters.contains(&name) {
            requesters.push(name);
        }
    }
    if !requesters.is_empty() {
        return (
            VerdictState::ChangesRequested,
            format!("changes requested by {}", requesters.join(", ")),
        );
    }

    let needing: Vec<&RuleVerdict> = rules.iter().filter(|r| !r.satisfied).collect();
    if !needing.is_empty() {
        // A rule whose needs another rule's needs already cover (same approvers, at least as
        // many missing) adds nothing to the sentence; the per-rule detail still lists it.
        let shown: Vec<&RuleVerdict> = needing
            .iter()
            .enumerate()
            .filter(|&(i, rule)| {
                !needing.iter().enumerate().any(|(j, other)| {
                    j != i
                        && same_approvers(other, rule)
                        && (other.missing() > rule.missing()
                            || (other.missing() == rule.missing() && j < i))
                })
            })
            .map(|(_, rule)| *rule)
            .collect();
        let parts: Vec<String> = shown
            .iter()
            .map(|rule| {
                let n = rule.missing();
                let mut part = format!(
                    "{n} more approval{} from {}",
                    if n == 1 { "" } else { "s" },
                    approvers_in_words(rule)
                );
                if shown.len() > 1 {
                    part.push_str(&format!(" ({})", rule.rule));
                }
                part
            })
            .collect();
        return (
            VerdictState::NeedsApprovals,
            format!("needs {}", parts.join("; ")),
        );
    }

    if rules.is_empty() {
        return (
            VerdictState::ReadyToMerge,
            "ready to merge: no rule applies".to_string(),
        );
    }
    let auto: Vec<&str> = rules
        .iter()
        .filter(|r| r.auto_approved_by.is_some())
        .map(|r| r.rule.as_str())
        .collect();
    let only_automatic = rules
        .iter()
        .all(|r| r.auto_approved_by.is_some() || r.required == 0);
    if !auto.is_empty() && only_automatic {
        return (
            VerdictState::ReadyToMerge,
            format!("ready to merge: auto-approved by {}", auto.join(", ")),
        );
    }
    (VerdictState::ReadyToMerge, "ready to merge".to_string())
}

fn same_approvers(a: &RuleVerdict, b: &RuleVerdict) -> bool {
    let emails = |r: &RuleVerdict| -> HashSet<String> {
        r.approvers
            .iter()
            .map(|p| p.email.to_ascii_lowercase())
            .collect()
    };
    a.anyone_may_approve == b.anyone_may_approve && emails(a) == emails(b)
}

fn approvers_in_words(rule: &RuleVerdict) -> String {
    if rule.anyone_may_approve {
        return if rule.allow_author {
            "anyone".to_string()
        } else {
            "anyone but the author".to_string()
        };
    }
    rule.approver_names
        .iter()
        .map(|name| {
            if rule.unknown_approvers.contains(name) {
                format!("{name} (not in people.yaml)")
            } else {
                name.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" or ")
}
