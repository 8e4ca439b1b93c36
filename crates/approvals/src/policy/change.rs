//! What the engine judges: a change and the approval records made for it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A person as Git knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Identity {
    pub name: String,
    pub email: String,
}

/// Which kind of value a field change touched, judged on the resolved desired state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    ImageTag,
    Replicas,
    ChartVersion,
    /// Anything else: environment variables, resources, whole documents…
    Other,
}

impl FieldKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::ImageTag => "image_tag",
            FieldKind::Replicas => "replicas",
            FieldKind::ChartVersion => "chart_version",
            FieldKind::Other => "other",
        }
    }
}

/// One value of one workload in one environment that the change modifies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FieldChange {
    /// The repo-relative file where the new value is set. Auto-approval uses it to check that
    /// every changed file is explained by field changes.
    pub path: String,
    pub env: String,
    pub workload: String,
    pub field: FieldKind,
    /// `None` when the value did not exist before (or no longer exists after).
    pub from: Option<String>,
    pub to: Option<String>,
}

/// The change under review: a branch's diff against its target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Change {
    pub author: Identity,
    /// Repo-relative, `/`-separated paths the change adds, modifies, deletes or renames (both
    /// sides of a rename).
    pub paths: Vec<String>,
    pub field_changes: Vec<FieldChange>,
    pub validation_passed: bool,
    pub head_commit: String,
    /// A hash of the diff against the merge base: equal ids mean equal content.
    pub content_id: String,
}

/// What the reviewer said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    Approve,
    RequestChanges,
}

/// What signature verification against the target branch's `allowed_signers` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(rename = "PolicySignature")]
pub enum SignatureState {
    /// The signature verifies with a key in `allowed_signers`, listed for `principal`.
    Valid {
        key_fingerprint: String,
        principal: String,
    },
    /// A signature is there but does not verify (tampered record, wrong namespace…).
    Invalid { reason: String },
    /// No signature at all.
    Missing,
    /// A signature by a key that `allowed_signers` does not list.
    UnknownKey,
}

/// One approval record, as read from the notes and verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Approval {
    /// The email the record claims for its author.
    pub approver_email: String,
    pub signature: SignatureState,
    /// The head commit the reviewer looked at.
    pub commit: String,
    /// The content id of the change at that head, when the record carries one.
    pub content_id: Option<String>,
    /// Unix seconds.
    #[ts(type = "number")]
    pub at: i64,
    pub status: ReviewStatus,
    pub comment: Option<String>,
}
