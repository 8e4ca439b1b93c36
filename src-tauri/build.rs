//! Tauri build script: per-command permissions for our commands only, capabilities from
//! src-tauri/capabilities (the config lives at the repository root, see docs/decisions.md).

// The one list of the app's commands (src/command_list.rs): permissions are made from it here,
// and a test checks the invoke handler, the capability file and the UI's backend module against it.
include!("src/command_list.rs");

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
