//! Tauri build script: per-command permissions for our commands only, capabilities from
//! src-tauri/capabilities (the config lives at the repository root, see docs/decisions.md).

const COMMANDS: &[&str] = &[
    "startup",
    "open_repository",
    "choose_repository",
    "open_demo",
    "clone_repository",
    "refresh_overview",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern("./src-tauri/capabilities/**/*")
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script");
}
