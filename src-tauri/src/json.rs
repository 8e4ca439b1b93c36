//! Transport types: what crosses IPC, and the generated TypeScript that mirrors them.
//!
//! Views come from the core crates as they are; this module adds the envelope types that only
//! exist at the boundary and the error shape `{code, message}` every command returns.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use wheelhouse_repo::network::{CredentialRequest, TransferProgress};
use wheelhouse_repo::recent::RecentRepository;
use wheelhouse_repo::sync::SyncState;
use wheelhouse_repo::{ErrorCode, RepoOverview};

/// Every command's error: a stable code to branch on, and a sentence for people.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CommandError {
    pub code: ErrorCode,
    pub message: String,
}

impl From<wheelhouse_api::Problem> for CommandError {
    fn from(p: wheelhouse_api::Problem) -> Self {
        Self {
            code: p.code,
            message: p.to_string(),
        }
    }
}

impl From<wheelhouse_repo::Error> for CommandError {
    fn from(e: wheelhouse_repo::Error) -> Self {
        Self {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

impl From<wheelhouse_demo::Error> for CommandError {
    fn from(e: wheelhouse_demo::Error) -> Self {
        Self {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

impl From<wheelhouse_update::UpdateError> for CommandError {
    fn from(e: wheelhouse_update::UpdateError) -> Self {
        Self {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

impl From<wheelhouse_secrets::SecretsError> for CommandError {
    fn from(e: wheelhouse_secrets::SecretsError) -> Self {
        Self {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

impl CommandError {
    pub fn internal(message: impl Into<String>) -> Self {
        Self {
            code: ErrorCode::Io,
            message: message.into(),
        }
    }
}

/// The background sync loop, as the header shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SyncStatusView {
    pub phase: SyncPhase,
    /// When the last fetch succeeded, Unix seconds.
    #[ts(type = "number | null")]
    pub last_success_unix: Option<i64>,
    /// When the loop tries next, Unix seconds.
    #[ts(type = "number | null")]
    pub next_attempt_unix: Option<i64>,
    /// Why the last attempt failed (offline, credentials…), in words.
    pub message: Option<String>,
    pub error_code: Option<ErrorCode>,
    /// Incoming and outgoing commits and what blocks an update, after the last fetch.
    pub state: Option<SyncState>,
    /// Commits fast-forwarded by the last sync.
    pub fast_forwarded: u32,
    pub interval_seconds: u32,
}

impl SyncStatusView {
    pub fn idle() -> Self {
        SyncStatusView {
            phase: SyncPhase::Idle,
            last_success_unix: None,
            next_attempt_unix: None,
            message: None,
            error_code: None,
            state: None,
            fast_forwarded: 0,
            interval_seconds: crate::session::DEFAULT_SYNC_INTERVAL.as_secs() as u32,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SyncPhase {
    Idle,
    Syncing,
    Offline,
    Error,
}

/// Progress of a long operation (clone, push), sent as the `transfer-progress` event.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TransferEvent {
    pub operation: String,
    pub progress: TransferProgress,
}

/// What the person typed into the credential dialog. Travels UI → core only, once.
#[derive(Debug, Deserialize, TS)]
pub struct CredentialAnswer {
    pub username: String,
    /// The token or password (HTTPS), or the key's passphrase (SSH; empty for none).
    pub password: String,
    /// SSH only: the private key file to use.
    pub private_key: Option<String>,
}

/// A request for a page of history.
#[derive(Debug, Deserialize, TS)]
pub struct HistoryQuery {
    pub path: Option<String>,
    pub author: Option<String>,
    pub skip: u32,
    pub limit: u32,
}

/// What the UI needs when it starts: the recent list, and the repository named on the command
/// line (`--repo PATH`) opened, or why it could not be.
#[derive(Debug, Clone, Serialize, TS)]
pub struct StartupView {
    /// The app's version and the commit it was built from (`0.1.0 (3f2a9c1d0b7e 2026-12-06)`).
    pub version: String,
    pub recent: Vec<RecentRepository>,
    pub opened: Option<RepoOverview>,
    pub error: Option<CommandError>,
}

/// The app was started again while it runs, naming a repository (`--repo PATH`) other than the
/// one open here: it was opened in this window (`repository-opened` event), or why it could
/// not be (the window keeps what it shows).
#[derive(Debug, Clone, Serialize, TS)]
pub struct OpenedByAnotherStart {
    pub opened: Option<RepoOverview>,
    pub error: Option<CommandError>,
}

/// The generated TypeScript file: every type above and the core views they contain.
pub fn typescript() -> String {
    use wheelhouse_approvals as ap;
    use wheelhouse_desired_state as ds;
    use wheelhouse_repo as repo;
    let cfg = ts_rs::Config::new();
    let decls = [
        ErrorCode::decl(&cfg),
        CommandError::decl(&cfg),
        StartupView::decl(&cfg),
        OpenedByAnotherStart::decl(&cfg),
        wheelhouse_update::UpdateStatus::decl(&cfg),
        wheelhouse_update::UpdateCheck::decl(&cfg),
        RecentRepository::decl(&cfg),
        RepoOverview::decl(&cfg),
        repo::HeadState::decl(&cfg),
        repo::UpstreamState::decl(&cfg),
        repo::RemoteSummary::decl(&cfg),
        repo::WorkingTree::decl(&cfg),
        repo::FileChange::decl(&cfg),
        repo::ChangeKind::decl(&cfg),
        repo::CommitSummary::decl(&cfg),
        SyncStatusView::decl(&cfg),
        SyncPhase::decl(&cfg),
        TransferEvent::decl(&cfg),
        CredentialAnswer::decl(&cfg),
        HistoryQuery::decl(&cfg),
        repo::network::TransferProgress::decl(&cfg),
        repo::network::TransferPhase::decl(&cfg),
        CredentialRequest::decl(&cfg),
        repo::network::AuthMethod::decl(&cfg),
        SyncState::decl(&cfg),
        repo::sync::UpdateBlock::decl(&cfg),
        repo::history::HistoryPage::decl(&cfg),
        repo::history::CommitDetail::decl(&cfg),
        repo::history::FileDiff::decl(&cfg),
        repo::history::DiffStatus::decl(&cfg),
        repo::history::DiffHunk::decl(&cfg),
        repo::history::DiffLine::decl(&cfg),
        repo::history::LineKind::decl(&cfg),
        repo::history::Rollback::decl(&cfg),
        wheelhouse_secrets::StoredCredential::decl(&cfg),
        wheelhouse_secrets::CredentialKind::decl(&cfg),
        wheelhouse_watch::RepoChange::decl(&cfg),
        ds::matrix::Matrix::decl(&cfg),
        ds::matrix::MatrixRow::decl(&cfg),
        ds::matrix::Cell::decl(&cfg),
        ds::matrix::Difference::decl(&cfg),
        ds::workspace::RenderView::decl(&cfg),
        ds::workspace::RenderCheck::decl(&cfg),
        ds::render::Disagreement::decl(&cfg),
        ds::EnvironmentInfo::decl(&cfg),
        ds::Problem::decl(&cfg),
        ds::Severity::decl(&cfg),
        ds::WorkloadState::decl(&cfg),
        ds::WorkloadKind::decl(&cfg),
        ds::ContainerState::decl(&cfg),
        ds::NamedValue::decl(&cfg),
        ds::Sourced::decl(&cfg),
        ds::Provenance::decl(&cfg),
        ds::Layer::decl(&cfg),
        ds::edit::Field::decl(&cfg),
        ds::edit::FileEdit::decl(&cfg),
        ds::edit::Promotion::decl(&cfg),
        wheelhouse_api::promote::CreatedChange::decl(&cfg),
        crate::desired::OpenedFile::decl(&cfg),
        wheelhouse_approvals::agent::AgentIdentity::decl(&cfg),
        wheelhouse_status::view::StatusProblemView::decl(&cfg),
        wheelhouse_status::view::ComponentView::decl(&cfg),
        wheelhouse_status::view::GroupView::decl(&cfg),
        wheelhouse_status::view::ComponentChangeView::decl(&cfg),
        wheelhouse_status::view::UpdateView::decl(&cfg),
        wheelhouse_status::view::IncidentView::decl(&cfg),
        wheelhouse_status::view::MaintenanceView::decl(&cfg),
        wheelhouse_status::view::TemplateView::decl(&cfg),
        wheelhouse_status::view::StatusView::decl(&cfg),
        crate::status::StatusEditOutcome::decl(&cfg),
        wheelhouse_status::FileChange::decl(&cfg),
        wheelhouse_status::ComponentStatus::decl(&cfg),
        wheelhouse_status::IncidentStatus::decl(&cfg),
        wheelhouse_status::Impact::decl(&cfg),
        wheelhouse_status::ComponentChange::decl(&cfg),
        wheelhouse_status::edit::NewIncident::decl(&cfg),
        wheelhouse_status::edit::NewMaintenance::decl(&cfg),
        wheelhouse_status::StatusEdit::decl(&cfg),
        crate::reviews::SigningSetup::decl(&cfg),
        wheelhouse_approvals::faces::MergeOutcome::decl(&cfg),
        ap::review::ChangeReview::decl(&cfg),
        ap::review::RecordView::decl(&cfg),
        repo::ChangeBranch::decl(&cfg),
        ap::signing::SignatureState::decl(&cfg),
        ap::policy::Verdict::decl(&cfg),
        ap::policy::VerdictState::decl(&cfg),
        ap::policy::RuleVerdict::decl(&cfg),
        ap::policy::RuleSource::decl(&cfg),
        ap::policy::CountedApproval::decl(&cfg),
        ap::policy::IgnoredApproval::decl(&cfg),
        ap::policy::IgnoreReason::decl(&cfg),
        ap::policy::FreezeInfo::decl(&cfg),
        ap::policy::NotApplied::decl(&cfg),
        ap::policy::EnvironmentTouch::decl(&cfg),
        ds::effect::Effect::decl(&cfg),
        ds::effect::EnvironmentEffect::decl(&cfg),
        ds::effect::EffectStatus::decl(&cfg),
        ds::effect::ResourceDiff::decl(&cfg),
        ds::effect::ResourceStatus::decl(&cfg),
        ds::fields::FieldChange::decl(&cfg),
        ds::fields::ChangedField::decl(&cfg),
        ap::policy::PersonRef::decl(&cfg),
        ap::policy::Identity::decl(&cfg),
        ap::policy::FieldChange::decl(&cfg),
        ap::policy::SignatureState::decl(&cfg),
        ap::policy::FieldKind::decl(&cfg),
        ap::policy::ReviewStatus::decl(&cfg),
        ap::policy::PolicyError::decl(&cfg),
        ap::policy::PolicyErrorCode::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by `make types` (src-tauri/src/json.rs). Do not edit.\n",
    );
    for decl in decls {
        out.push_str("\nexport ");
        out.push_str(&decl);
        out.push('\n');
    }
    // Each code's title and hint, from the one list: the UI shows them and matches codes only.
    out.push_str(
        "\n/** What each error code means, for people: a title and what to do. */\nexport const ERROR_WORDS: Record<ErrorCode, { title: string; hint: string }> = {\n",
    );
    for code in ErrorCode::all() {
        out.push_str(&format!(
            "\t{}: {{ title: {}, hint: {} }},\n",
            code.as_str(),
            serde_json::to_string(code.title()).expect("a string serializes"),
            serde_json::to_string(code.hint()).expect("a string serializes"),
        ));
    }
    out.push_str("};\n");
    out
}

#[cfg(test)]
mod tests {
    /// `make test` fails when the committed TypeScript no longer matches the Rust types;
    /// `WHEELHOUSE_WRITE_TYPES=1 cargo test` (what `make types` runs) rewrites it.
    #[test]
    fn generated_typescript_is_fresh() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/lib/generated/types.ts");
        let fresh = super::typescript();
        if std::env::var_os("WHEELHOUSE_WRITE_TYPES").is_some() {
            std::fs::write(&path, &fresh).expect("write generated types");
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == fresh,
            "{} is stale: run `make types` and commit the result",
            path.display()
        );
    }
}
