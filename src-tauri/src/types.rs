//! The generated TypeScript (`ui/src/lib/generated/types.ts`): every type that crosses IPC, from
//! the core crates and the shell's modules, and each error code's title and hint. At the top of
//! the shell's modules: it names them all, none names it.

use crate::json::*;
use ts_rs::TS;
use wheelhouse_repo::network::CredentialRequest;
use wheelhouse_repo::recent::RecentRepository;
use wheelhouse_repo::sync::SyncState;
use wheelhouse_repo::{ErrorCode, RepoOverview};

/// The generated TypeScript file: every type above and the core views they contain.
pub fn typescript() -> String {
    use wheelhouse_approvals as ap;
    use wheelhouse_desired_state as ds;
    use wheelhouse_repo as repo;
    let cfg = ts_rs::Config::new();
    let decls = [
        ErrorCode::decl(&cfg),
        wheelhouse_api::ErrorReport::decl(&cfg),
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
        MonitorWatchView::decl(&cfg),
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
        wheelhouse_api::promote::MaintenanceWindow::decl(&cfg),
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
        wheelhouse_api::publish::Publication::decl(&cfg),
        wheelhouse_api::publish::ExportChange::decl(&cfg),
        wheelhouse_api::publish::LastPublish::decl(&cfg),
        wheelhouse_api::notify::SubscribersView::decl(&cfg),
        wheelhouse_api::monitor::MonitorsView::decl(&cfg),
        wheelhouse_api::monitor::MonitorView::decl(&cfg),
        wheelhouse_api::monitor::MonitorRun::decl(&cfg),
        wheelhouse_api::monitor::CheckResult::decl(&cfg),
        wheelhouse_api::monitor::ConditionResult::decl(&cfg),
        wheelhouse_api::monitor::Draft::decl(&cfg),
        wheelhouse_status::monitor::MonitorState::decl(&cfg),
        wheelhouse_status::monitor::MonitorKind::decl(&cfg),
        wheelhouse_status::monitor::Transition::decl(&cfg),
        wheelhouse_api::notify::ChannelState::decl(&cfg),
        wheelhouse_api::notify::DeliveryRecord::decl(&cfg),
        wheelhouse_api::notify::Notified::decl(&cfg),
        wheelhouse_api::notify::Delivery::decl(&cfg),
        wheelhouse_api::notify::DeliveryOutcome::decl(&cfg),
        wheelhouse_status::notify::Event::decl(&cfg),
        wheelhouse_status::notify::EventKind::decl(&cfg),
        wheelhouse_status::notify::EventComponent::decl(&cfg),
        wheelhouse_status::FileChange::decl(&cfg),
        wheelhouse_status::ComponentStatus::decl(&cfg),
        wheelhouse_status::IncidentStatus::decl(&cfg),
        wheelhouse_status::Impact::decl(&cfg),
        wheelhouse_status::ComponentChange::decl(&cfg),
        wheelhouse_status::edit::NewIncident::decl(&cfg),
        wheelhouse_status::edit::NewChannel::decl(&cfg),
        wheelhouse_status::notify::ChannelKind::decl(&cfg),
        wheelhouse_status::edit::NewMaintenance::decl(&cfg),
        wheelhouse_status::StatusEdit::decl(&cfg),
        wheelhouse_api::review::SigningSetup::decl(&cfg),
        wheelhouse_api::review::MergeOutcome::decl(&cfg),
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
