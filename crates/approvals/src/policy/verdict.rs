//! The verdict on a change: one state, one sentence, and the detail per rule behind them.

use super::change::{ReviewStatus, SignatureState};
use super::error::PolicyError;
use super::people::PersonRef;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum VerdictState {
    ReadyToMerge,
    NeedsApprovals,
    /// A freeze window or an invalid policy: approvals cannot help now.
    Blocked,
    ChangesRequested,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Verdict {
    pub state: VerdictState,
    /// One line in plain words: "ready to merge", "needs 1 more approval from @ops-leads",
    /// "blocked: freeze until 4 Jan 2027 00:00 UTC (holidays)".
    pub summary: String,
    /// Every rule that applies, in order: policy rules, CODEOWNERS entries, policy-file protection.
    pub rules: Vec<RuleVerdict>,
    /// The policy rules that do not apply, and why (so a reviewer sees what was considered).
    pub not_applied: Vec<NotApplied>,
    /// The active freeze window that blocks the change, if any.
    pub freeze: Option<FreezeInfo>,
    /// Why the policy could not be read, when it could not (the change is then blocked).
    pub problem: Option<PolicyError>,
}

impl Verdict {
    /// The verdict when a policy file does not parse: blocked, never approved.
    pub fn policy_invalid(error: PolicyError) -> Verdict {
        let at = if error.line == 0 {
            error.file.clone()
        } else {
            format!(
                "{} line {}, column {}",
                error.file, error.line, error.column
            )
        };
        Verdict {
            state: VerdictState::Blocked,
            summary: format!("blocked: policy invalid at {at}: {}", error.message),
            rules: Vec::new(),
            not_applied: Vec::new(),
            freeze: None,
            problem: Some(error),
        }
    }

    /// Whether the change may merge now.
    pub fn allows_merge(&self) -> bool {
        self.state == VerdictState::ReadyToMerge
    }
}

/// Where an applicable rule comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RuleSource {
    /// A rule in `policy.yaml`.
    Policy,
    /// A CODEOWNERS line.
    Codeowners {
        section: Option<String>,
        pattern: String,
        line: u32,
    },
    /// The change edits the policy files themselves; `based_on` names the strictest rule covering
    /// them, `None` when no rule does and any one non-author approval is required.
    PolicyFiles { based_on: Option<String> },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RuleVerdict {
    pub rule: String,
    pub source: RuleSource,
    /// The changed paths this rule covers.
    pub matched_paths: Vec<String>,
    /// Why the rule applies by effect, one line per environment: "changes prod: api, env
    /// FEATURE_NEW_CART false → true, via base/api.yaml".
    pub matched_effects: Vec<String>,
    pub required: u32,
    /// Who may approve, as the rule writes them: `@ops-leads`, `maya`, an email.
    pub approver_names: Vec<String>,
    /// Who may approve, expanded to people.
    pub approvers: Vec<PersonRef>,
    /// True when the rule names no approvers: anyone but the author counts.
    pub anyone_may_approve: bool,
    pub allow_author: bool,
    /// Approvers the rule names that `people.yaml` does not know (no such team or person id).
    pub unknown_approvers: Vec<String>,
    pub counted: Vec<CountedApproval>,
    /// Valid `request_changes` records that are their author's latest word.
    pub changes_requested: Vec<CountedApproval>,
    pub ignored: Vec<IgnoredApproval>,
    /// The criteria that auto-approved this rule, in words.
    pub auto_approved_by: Option<String>,
    /// Why the rule's `auto_approve` did not apply, in words.
    pub auto_approve_declined: Option<String>,
    pub satisfied: bool,
}

impl RuleVerdict {
    /// Approvals still missing (0 when satisfied).
    pub fn missing(&self) -> u32 {
        if self.satisfied {
            0
        } else {
            let have = u32::try_from(self.counted.len()).unwrap_or(u32::MAX);
            self.required.saturating_sub(have)
        }
    }
}

/// A policy rule that does not apply to the change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct NotApplied {
    pub rule: String,
    /// "no changed file matches overlays/staging/**; staging renders as before".
    pub reason: String,
}

/// A record that counts for a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CountedApproval {
    pub person: PersonRef,
    #[ts(type = "number")]
    pub at: i64,
    pub signature: SignatureState,
    pub commit: String,
    /// It approved another head with other content and counts only because
    /// `dismiss_stale_approvals` is off.
    pub stale: bool,
    pub comment: Option<String>,
}

/// A record that does not count for a rule, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct IgnoredApproval {
    pub approver_email: String,
    pub status: ReviewStatus,
    #[ts(type = "number")]
    pub at: i64,
    pub signature: SignatureState,
    pub commit: String,
    pub reason: IgnoreReason,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IgnoreReason {
    /// It approved another head whose content differs.
    Stale {
        approved_commit: String,
    },
    /// Signatures are required and it has none, or one by a key `allowed_signers` does not list.
    Unsigned,
    UnknownKey,
    /// The signature does not verify.
    InvalidSignature {
        reason: String,
    },
    /// Signed by a key that belongs to someone else than the claimed approver.
    PrincipalMismatch {
        principal: String,
    },
    /// The author approving their own change, and the rule does not allow it.
    Author,
    NotAnApprover,
    /// The same person's later record replaces this one.
    Superseded,
}

impl IgnoreReason {
    /// The reason in plain words.
    pub fn describe(&self) -> String {
        match self {
            IgnoreReason::Stale { approved_commit } => format!(
                "stale: approved {} and the content changed since",
                short(approved_commit)
            ),
            IgnoreReason::Unsigned => "unsigned, and signatures are required".to_string(),
            IgnoreReason::UnknownKey => {
                "signed with a key that allowed_signers does not list".to_string()
            }
            IgnoreReason::InvalidSignature { reason } => {
                format!("the signature does not verify: {reason}")
            }
            IgnoreReason::PrincipalMismatch { principal } => {
                format!("signed with the key of {principal}, not of the approver")
            }
            IgnoreReason::Author => "the author cannot approve their own change".to_string(),
            IgnoreReason::NotAnApprover => "not an approver for this rule".to_string(),
            IgnoreReason::Superseded => "replaced by a later review by the same person".to_string(),
        }
    }
}

fn short(commit: &str) -> &str {
    commit.get(..10).unwrap_or(commit)
}

/// The freeze window that blocks the change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FreezeInfo {
    pub reason: String,
    #[ts(type = "number")]
    pub from: i64,
    #[ts(type = "number")]
    pub until: i64,
    /// `until` in words, UTC: `4 Jan 2027 00:00 UTC`.
    pub until_text: String,
    /// The changed paths inside the window.
    pub paths: Vec<String>,
    /// The window's environments the change alters.
    pub environments: Vec<String>,
}
