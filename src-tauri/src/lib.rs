//! The Wheelhouse desktop app: a thin Tauri shell over the core crates.
//!
//! It registers plugins and commands, holds the little state a window needs (which repository
//! is open, which long operations can be cancelled, the sync loop's status), and forwards every
//! intent to the core. No domain logic lives here.

#[cfg(test)]
mod command_list;
mod commands;
mod desired;
pub mod json;
mod logging;
mod monitor_loop;
pub mod platform;
mod reviews;
mod session;
mod shell;
mod status;
mod sync_loop;
/// Only the test that checks (and `make types` that writes) the generated TypeScript uses it.
#[cfg(test)]
mod types;

use std::path::PathBuf;
use tauri::Manager;

/// Reads `--repo PATH` (or `--repo=PATH`) from the command line.
pub(crate) fn repo_argument(args: impl IntoIterator<Item = String>) -> Option<PathBuf> {
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

/// Whether a D-Bus session bus can be reached, which is how a second start of the app finds the
/// first one on Linux (without one, every start opens its own window, as before).
fn session_bus_available() -> bool {
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
        || std::env::var_os("XDG_RUNTIME_DIR")
            .is_some_and(|dir| PathBuf::from(dir).join("bus").exists())
}

pub fn run(prepared: platform::Prepared) {
    let mut builder = tauri::Builder::default();
    if session_bus_available() {
        // First, as the plugin asks: a second start hands its arguments to this one and exits.
        builder = builder.plugin(tauri_plugin_single_instance::init(|app, argv, cwd| {
            commands::started_again(app, argv, cwd)
        }));
    }
    builder
        .plugin(tauri_plugin_dialog::init())
        .register_uri_scheme_protocol(status::PREVIEW_SCHEME, |ctx, request| {
            status::serve_preview(ctx.app_handle(), &request)
        })
        .setup(move |app| {
            let log_dir = app.path().app_log_dir()?;
            let guard = logging::init(&log_dir)?;
            app.manage(guard);
            let data_dir = std::env::var_os("WHEELHOUSE_DATA_DIR")
                .map(PathBuf::from)
                .map_or_else(|| app.path().app_data_dir(), Ok)?;
            let initial_repo = repo_argument(std::env::args().skip(1));
            tracing::info!(version = env!("CARGO_PKG_VERSION"), data_dir = %data_dir.display(), "Wheelhouse started");
            tracing::info!(
                software_compositing = prepared.software_compositing,
                huge_pages_off = prepared.huge_pages_off,
                "process prepared"
            );
            app.manage(session::Session::new(data_dir));
            if let Some(repo) = initial_repo {
                commands::open_initial(app.handle(), repo);
            }
            sync_loop::start(app.handle().clone());
            monitor_loop::start(app.handle().clone());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::startup,
            commands::check_update,
            commands::open_repository,
            commands::choose_repository,
            commands::open_demo,
            commands::clone_repository,
            commands::cancel_operation,
            commands::answer_credentials,
            commands::close_repository,
            commands::refresh_overview,
            commands::sync_now,
            commands::sync_status,
            commands::set_sync_interval,
            commands::push,
            commands::working_diff,
            commands::discard_file,
            commands::commit_all,
            commands::set_identity,
            commands::history,
            commands::commit_detail,
            commands::rollback,
            commands::list_credentials,
            commands::forget_credential,
            desired::desired_matrix,
            desired::workload_detail,
            desired::render_environment,
            desired::check_render,
            desired::plan_edit,
            desired::edit_effect,
            desired::apply_edit,
            desired::undo_edit,
            desired::redo_edit,
            desired::plan_promotion,
            desired::promotion_effect,
            desired::create_promotion,
            desired::compare_environments,
            desired::validate_repository,
            desired::open_file,
            desired::check_file,
            desired::plan_file,
            desired::save_file,
            reviews::list_changes,
            reviews::approve_change,
            reviews::merge_change,
            reviews::signing_setup,
            reviews::set_signing_key,
            reviews::agent_keys,
            status::status_view,
            status::status_edit,
            status::render_markdown,
            status::status_last_publish,
            status::status_publish,
            status::status_subscribers,
            status::status_monitors,
            status::status_monitor_run,
            status::status_monitor_watch,
            status::status_monitor_watch_state,
            status::status_notify,
            status::status_test_notification,
        ])
        .build(tauri::generate_context!())
        .expect("error while building Wheelhouse")
        .run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                // What the monitors' checking in the background held is recorded before the
                // app goes.
                monitor_loop::record_on_exit(app);
            }
        });
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

    /// The one list of commands (command_list.rs) against the three places that must agree with
    /// it: the invoke handler here, the capability file, and the UI's backend module.
    #[test]
    fn one_list_of_commands() {
        use std::collections::BTreeSet;
        let listed: BTreeSet<&str> = crate::command_list::COMMANDS.iter().copied().collect();
        assert_eq!(
            listed.len(),
            crate::command_list::COMMANDS.len(),
            "a command is listed twice"
        );
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let read = |p: &str| std::fs::read_to_string(root.join(p)).unwrap();
        let differs = |place: &str, found: BTreeSet<String>| {
            let found: BTreeSet<&str> = found.iter().map(String::as_str).collect();
            let missing: Vec<_> = listed.difference(&found).collect();
            let unlisted: Vec<_> = found.difference(&listed).collect();
            assert!(
                missing.is_empty() && unlisted.is_empty(),
                "{place}: missing {missing:?}, not in command_list.rs {unlisted:?}"
            );
        };

        let lib = read("src-tauri/src/lib.rs");
        let start = lib.find("generate_handler![").expect("the invoke handler");
        let handler = &lib[start..start + lib[start..].find(']').unwrap()];
        differs(
            "the invoke handler (lib.rs)",
            handler
                .split([',', '[', '\n'])
                .filter_map(|s| s.trim().rsplit("::").next())
                .filter(|s| !s.is_empty() && !s.contains('!'))
                .map(str::to_owned)
                .collect(),
        );

        let caps: serde_json::Value =
            serde_json::from_str(&read("src-tauri/capabilities/main.json")).unwrap();
        differs(
            "capabilities/main.json",
            caps["permissions"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|p| p.as_str()?.strip_prefix("allow-"))
                .map(|p| p.replace('-', "_"))
                .collect(),
        );

        let backend = read("ui/src/lib/backend.ts");
        differs(
            "ui/src/lib/backend.ts",
            backend
                .split("call")
                .skip(1)
                .filter_map(|rest| {
                    // `call('name'` or `call<Type>('name'`.
                    let (generic, after) = rest.split_once('(')?;
                    if !(generic.is_empty() || generic.starts_with('<') && generic.ends_with('>')) {
                        return None;
                    }
                    let name = after.strip_prefix('\'')?;
                    Some(name[..name.find('\'')?].to_owned())
                })
                .collect(),
        );
    }
}
