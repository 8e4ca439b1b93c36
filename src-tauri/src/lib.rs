//! The Wheelhouse desktop app: a thin Tauri shell over the core crates.
//!
//! It registers plugins and commands, holds the little state a window needs (which repository
//! is open), and forwards every intent to the core. No domain logic lives here.

mod commands;
pub mod json;
mod logging;

use std::path::PathBuf;
use std::sync::Mutex;
use tauri::Manager;

/// The shell's state. Locks are taken here, at the boundary, never inside the core.
#[derive(Debug)]
pub struct AppState {
    /// The repository the window shows, once one is open.
    pub current: Mutex<Option<PathBuf>>,
    /// `--repo PATH` from the command line, opened at start.
    pub initial_repo: Option<PathBuf>,
    /// The app's data folder: recent list, demo workspace.
    pub data_dir: PathBuf,
}

/// Reads `--repo PATH` (or `--repo=PATH`) from the command line.
fn repo_argument(args: impl IntoIterator<Item = String>) -> Option<PathBuf> {
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "--repo" {
            return args.next().map(PathBuf::from);
        }
        if let Some(value) = arg.strip_prefix("--repo=") {
            return Some(PathBuf::from(value));
        }
    }
    None
}

pub fn run() {
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let log_dir = app.path().app_log_dir()?;
            let guard = logging::init(&log_dir)?;
            app.manage(guard);
            let data_dir = app.path().app_data_dir()?;
            let initial_repo = repo_argument(std::env::args().skip(1));
            tracing::info!(version = env!("CARGO_PKG_VERSION"), data_dir = %data_dir.display(), "Wheelhouse started");
            app.manage(AppState {
                current: Mutex::new(None),
                initial_repo,
                data_dir,
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::startup,
            commands::open_repository,
            commands::choose_repository,
            commands::open_demo,
            commands::clone_repository,
            commands::refresh_overview,
        ])
        .run(tauri::generate_context!())
        .expect("error while running Wheelhouse");
}

#[cfg(test)]
mod tests {
    use super::repo_argument;
    use std::path::PathBuf;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_repo_argument_is_read_in_both_spellings() {
        assert_eq!(
            repo_argument(args(&["--repo", "/srv/gitops"])),
            Some(PathBuf::from("/srv/gitops"))
        );
        assert_eq!(
            repo_argument(args(&["--repo=/srv/gitops"])),
            Some(PathBuf::from("/srv/gitops"))
        );
        assert_eq!(repo_argument(args(&["--other"])), None);
        assert_eq!(repo_argument(args(&["--repo"])), None);
    }
}
