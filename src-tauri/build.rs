//! Tauri build script: per-command permissions for our commands only, capabilities from
//! src-tauri/capabilities (the config lives at the repository root, see docs/decisions.md).

const COMMANDS: &[&str] = &[
    "startup",
    "check_update",
    "open_repository",
    "choose_repository",
    "open_demo",
    "clone_repository",
    "cancel_operation",
    "answer_credentials",
    "close_repository",
    "refresh_overview",
    "sync_now",
    "sync_status",
    "set_sync_interval",
    "push",
    "working_diff",
    "discard_file",
    "commit_all",
    "set_identity",
    "history",
    "commit_detail",
    "rollback",
    "list_credentials",
    "forget_credential",
    "desired_matrix",
    "workload_detail",
    "render_environment",
    "check_render",
    "plan_edit",
    "edit_effect",
    "apply_edit",
    "undo_edit",
    "plan_promotion",
    "promotion_effect",
    "create_promotion",
    "compare_environments",
    "validate_repository",
    "open_file",
    "check_file",
    "plan_file",
    "save_file",
    "list_changes",
    "approve_change",
    "merge_change",
    "signing_setup",
    "set_signing_key",
    "agent_keys",
    "status_view",
    "status_edit",
    "render_markdown",
];

fn main() {
    // The commit the app's About names.
    wheelhouse_build_info::emit();
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern("./src-tauri/capabilities/**/*")
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script");
}
