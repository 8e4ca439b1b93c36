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
    /// One environment variable of one container.
    Env,
    /// One resource request or limit of one container.
    Resources,
    /// One Helm value, by key path.
    HelmValue,
    /// Anything else (the resource and JSON path say what): never auto-approved.
    Other,
}

impl FieldKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::ImageTag => "image_tag",
            FieldKind::Replicas => "replicas",
            FieldKind::ChartVersion => "chart_version",
            FieldKind::Env => "env",
            FieldKind::Resources => "resources",
            FieldKind::HelmValue => "helm_value",
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
    /// Which one: the variable's name, the resource key, the values key path, the JSON path.
    pub key: Option<String>,
    /// The object (`Deployment api`), when the change was read off the render.
    pub resource: Option<String>,
    /// `None` when the value did not exist before (or no longer exists after).
    pub from: Option<String>,
    pub to: Option<String>,
    /// In words: `api, env FEATURE_NEW_CART false → true`.
    pub summary: String,
}

/// How one environment fares under the change, judged on what it renders to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct EnvironmentTouch {
    pub env: String,
    /// `changed`, `added` (the change creates it) or `removed` (it disappears).
    pub status: String,
    /// The changed files this environment reads: how the change reaches it.
    pub via: Vec<String>,
}

/// The change under review: a branch's diff against its target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Change {
    pub author: Identity,
    /// Repo-relative, `/`-separated paths the change adds, modifies, deletes or renames (both
    /// sides of a rename).
    pub paths: Vec<String>,
    pub field_changes: Vec<FieldChange>,
    /// The environments whose rendered state the change alters (none: the change has no
    /// effect on any environment).
    pub effects: Vec<EnvironmentTouch>,
    /// Every environment of the target branch and of the change, for checking the policy's
    /// environment names.
    pub environments: Vec<String>,
    /// Changed files that define environments or who approves (`.wheelhouse/config.yaml`,
    /// Flux Kustomizations, Argo CD Applications, Kargo Stages): every environment rule applies.
    pub redefining: Vec<String>,
    /// Located errors that stop the head rendering: the change is blocked.
    pub render_problems: Vec<String>,
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
