//! Commands: each one takes an intent from the UI, calls the core, and returns a view or a
//! `{code, message}` error. Blocking Git work runs off the main thread; long work reports
//! progress as events and can be cancelled.

use crate::json::{
    CommandError, CredentialAnswer, HistoryQuery, OpenedByAnotherStart, StartupView, SyncStatusView,
};
use crate::session::{InitialOpen, OpenRepository, Session};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_dialog::DialogExt;
use wheelhouse_repo::history::{CommitDetail, FileDiff, HistoryFilter, HistoryPage, Rollback};
use wheelhouse_repo::network::{self, Credential};
use wheelhouse_repo::recent::{self, RecentRepository};
use wheelhouse_repo::CommitSummary;
use wheelhouse_repo::{RepoOverview, Repository};
use wheelhouse_secrets::{CredentialKind, Secret, StoredCredential};
use wheelhouse_update::UpdateStatus;

/// How many commits the overview lists.
const OVERVIEW_COMMITS: usize = 50;
/// Quiet time before a burst of file events becomes one refresh.
const WATCH_DEBOUNCE: Duration = Duration::from_millis(150);

use crate::shell::{blocking, now_unix, window_network, CommandResult};

fn recent_file(session: &Session) -> PathBuf {
    session.data_dir.join("recent-repositories.json")
}

/// Opens `path`, makes it the window's repository, starts watching it and remembers it.
fn open_and_remember(app: &AppHandle, path: &Path) -> CommandResult<RepoOverview> {
    let session = app.state::<Session>();
    let repo = Repository::open(path)?;
    let root = repo.root().to_path_buf();
    let emitter = app.clone();
    // Watching starts before the overview is read, so that no change falls between the two.
    let watcher = wheelhouse_watch::RepoWatcher::start(&root, WATCH_DEBOUNCE, move |change| {
        let session = emitter.state::<Session>();
        session.changes_reported.fetch_add(1, Ordering::SeqCst);
        // Keep the desired state current before telling the views: they re-read it next.
        if let Some(ws) = session.workspace.lock().expect("session lock").as_mut() {
            if change.rescan || change.head || (change.paths_total as usize) > change.paths.len() {
                if let Ok(fresh) = wheelhouse_desired_state::Workspace::open(ws.root()) {
                    *ws = fresh;
                }
            } else if change.worktree {
                ws.refresh(&change.paths);
            }
        }
        let _ = emitter.emit("repo-changed", change);
    })
    .map_err(|e| tracing::warn!(error = %e, "watching the repository failed; views refresh on demand only"))
    .ok();
    let overview = repo.overview(OVERVIEW_COMMITS)?;
    *session.workspace.lock().expect("session lock") = None;
    session.edits.lock().expect("session lock").clear();
    *session.current.lock().expect("session lock") = Some(OpenRepository {
        root: root.clone(),
        _watcher: watcher,
    });
    {
        let mut sync = session.sync.lock().expect("session lock");
        *sync = SyncStatusView {
            interval_seconds: sync.interval_seconds,
            ..SyncStatusView::idle()
        };
    }
    session.sync_wake.notify_one();
    let file = recent_file(&session);
    let list = recent::remember(
        recent::load(&file),
        RecentRepository {
            path: overview.path.clone(),
            name: overview.name.clone(),
            opened_unix: now_unix(),
        },
    );
    if let Err(e) = recent::save(&file, &list) {
        tracing::warn!(error = %e, "could not save the recent repositories list");
    }
    tracing::info!(repo = %overview.path, "repository opened");
    Ok(overview)
}

fn current_repo(session: &Session) -> CommandResult<Repository> {
    let root = session
        .current_root()
        .ok_or(wheelhouse_repo::Error::NoRepositoryOpen)?;
    Ok(Repository::open(root)?)
}

/// Opens the repository the app was started on (`--repo`), as the window would, from a thread
/// of its own started with the app — while the window is still being made — and then reads its
/// desired state ahead (the watcher is started first, so nothing changed meanwhile is missed).
/// `startup` gives the window the outcome.
pub(crate) fn open_initial(app: &AppHandle, path: PathBuf) {
    let (tx, rx) = std::sync::mpsc::channel();
    *app.state::<Session>()
        .initial_open
        .lock()
        .expect("session lock") = Some(rx);
    let app = app.clone();
    let spawned = std::thread::Builder::new()
        .name("open-initial-repository".into())
        .spawn(move || {
            let started = std::time::Instant::now();
            let before = app
                .state::<Session>()
                .changes_reported
                .load(Ordering::SeqCst);
            let opened = open_and_remember(&app, &path);
            tracing::info!(
                elapsed_ms = started.elapsed().as_millis() as u64,
                "repository given with --repo opened"
            );
            let ok = opened.is_ok();
            let _ = tx.send(InitialOpen {
                opened,
                changes_before: before,
            });
            if ok {
                crate::desired::read_ahead(&app.state::<Session>());
            }
        });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "could not start opening the repository");
    }
}

/// The app was started again while it runs (from the desktop menu, or `wheelhouse-app --repo
/// PATH` in a terminal): the second start exits, and this window comes to the front instead of a
/// duplicate opening. A repository it names that is not the one open here is opened in this
/// window, as Switch repository would (uncommitted work stays on disk; the window says so with
/// a `repository-opened` event, or why it could not be opened, keeping what it shows).
pub(crate) fn started_again(app: &AppHandle, argv: Vec<String>, cwd: String) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
    let Some(path) = crate::repo_argument(argv.into_iter().skip(1)) else {
        return;
    };
    let path = Path::new(&cwd).join(path);
    tracing::info!(repo = %path.display(), "started again");
    let app = app.clone();
    let spawned = std::thread::Builder::new()
        .name("open-from-another-start".into())
        .spawn(move || {
            let session = app.state::<Session>();
            let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
            let here = session.current_root().map(|r| canonical(&r));
            let named = Repository::open(&path).map(|r| canonical(r.root()));
            if let (Some(here), Ok(named)) = (&here, &named) {
                if here == named {
                    return;
                }
            }
            let outcome = match open_and_remember(&app, &path) {
                Ok(o) => OpenedByAnotherStart {
                    opened: Some(o),
                    error: None,
                },
                Err(e) => OpenedByAnotherStart {
                    opened: None,
                    error: Some(e.0),
                },
            };
            let _ = app.emit("repository-opened", outcome);
        });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "could not open the repository of another start");
    }
}

/// Settings → About: whether update checks are on and, with `fetch`, whether a newer signed
/// release exists (`wheelhouse_update::status`; nothing is fetched without `update.json`).
#[tauri::command]
pub async fn check_update(app: AppHandle, fetch: bool) -> CommandResult<UpdateStatus> {
    blocking(move || {
        let session = app.state::<Session>();
        Ok(wheelhouse_update::status(
            &session.data_dir,
            env!("CARGO_PKG_VERSION"),
            fetch,
        )?)
    })
    .await
}

#[tauri::command]
pub async fn startup(app: AppHandle) -> CommandResult<StartupView> {
    blocking(move || {
        let session = app.state::<Session>();
        // The repository the app was started on is opened by `open_initial` (started with the
        // app); the first start-up waits for it, later ones (a reloaded page) find it open.
        let initial = session.initial_open.lock().expect("session lock").take();
        let (opened, error) = match initial.map(|rx| rx.recv()) {
            // Read again if the watcher reported a change since it was read (an edit on disk, a
            // fast-forward): events sent before the window listened are not lost on the overview.
            Some(Ok(InitialOpen {
                opened: Ok(o),
                changes_before,
            })) => {
                if session.changes_reported.load(Ordering::SeqCst) == changes_before {
                    (Some(o), None)
                } else {
                    match current_repo(&session).and_then(|r| Ok(r.overview(OVERVIEW_COMMITS)?)) {
                        Ok(fresh) => (Some(fresh), None),
                        Err(_) => (Some(o), None),
                    }
                }
            }
            Some(Ok(InitialOpen { opened: Err(e), .. })) => (None, Some(e)),
            _ => (None, None),
        };
        Ok(StartupView {
            version: wheelhouse_build_info::version!().to_owned(),
            recent: recent::load(&recent_file(&session)),
            opened,
            error: error.map(|e: CommandError| e.0),
        })
    })
    .await
}

#[tauri::command]
pub async fn open_repository(app: AppHandle, path: String) -> CommandResult<RepoOverview> {
    blocking(move || {
        let path = path.trim();
        if path.is_empty() {
            return Err(wheelhouse_repo::Error::InvalidInput {
                message: "Enter the path of a repository folder.".into(),
            }
            .into());
        }
        open_and_remember(&app, Path::new(path))
    })
    .await
}

/// Shows the native folder picker; `None` when the person cancels.
#[tauri::command]
pub async fn choose_repository(app: AppHandle) -> CommandResult<Option<RepoOverview>> {
    blocking(move || {
        let Some(picked) = app
            .dialog()
            .file()
            .set_title("Open a GitOps repository")
            .blocking_pick_folder()
        else {
            return Ok(None);
        };
        let path = picked.into_path().map_err(|e| {
            CommandError::new(
                wheelhouse_repo::ErrorCode::InvalidInput,
                format!("That folder cannot be opened: {e}"),
            )
        })?;
        open_and_remember(&app, &path).map(Some)
    })
    .await
}

/// Opens the demo workspace in the app's data folder, creating it the first time.
#[tauri::command]
pub async fn open_demo(app: AppHandle) -> CommandResult<RepoOverview> {
    blocking(move || {
        let dir = app.state::<Session>().data_dir.join("demo");
        let repo = dir.join(wheelhouse_demo::REPO_DIR);
        if !repo.exists() {
            wheelhouse_demo::create(&dir)?;
        }
        open_and_remember(&app, &repo)
    })
    .await
}

/// Clones `url` into `destination` (or `<data folder>/clones/<name>`), reporting progress as
/// `transfer-progress` events for `operation`, asking for credentials when needed, and storing
/// them in the keyring once the clone succeeded.
#[tauri::command]
pub async fn clone_repository(
    app: AppHandle,
    operation: String,
    url: String,
    destination: Option<String>,
) -> CommandResult<RepoOverview> {
    blocking(move || {
        let session = app.state::<Session>();
        let dest = match destination.as_deref().map(str::trim) {
            Some(d) if !d.is_empty() => PathBuf::from(d),
            _ => session
                .data_dir
                .join("clones")
                .join(clone_folder_name(&url)),
        };
        let mut net = window_network(&app, &session, Some(&operation));
        let result = wheelhouse_repo::clone(&url, &dest, &mut net);
        session.end_operation(&operation);
        let repo = result?;
        network::remember_accepted(&session.credentials, net.accepted())?;
        drop(net);
        open_and_remember(&app, repo.root())
    })
    .await
}

/// Cancels a running clone or push. Cancelling something that already finished does nothing.
#[tauri::command]
pub fn cancel_operation(app: AppHandle, operation: String) {
    let session = app.state::<Session>();
    if let Some(flag) = session
        .operations
        .lock()
        .expect("session lock")
        .get(&operation)
    {
        flag.store(true, Ordering::Relaxed);
    }
    // A clone waiting for credentials stops waiting too.
    let waiting = session
        .credential_reply
        .lock()
        .expect("session lock")
        .take();
    if let Some(reply) = waiting {
        let _ = reply.send(None);
    }
}

/// The answer to `credentials-needed`; `None` means the person cancelled.
#[tauri::command]
pub fn answer_credentials(app: AppHandle, answer: Option<CredentialAnswer>) {
    let session = app.state::<Session>();
    let credential = answer.map(|a| match a.private_key {
        Some(key) => Credential::SshKey {
            username: a.username.trim().to_owned(),
            private_key: PathBuf::from(key.trim()),
            passphrase: (!a.password.is_empty()).then(|| Secret::new(a.password)),
        },
        None => Credential::UserPassword {
            username: a.username.trim().to_owned(),
            password: Secret::new(a.password),
        },
    });
    let waiting = session
        .credential_reply
        .lock()
        .expect("session lock")
        .take();
    if let Some(reply) = waiting {
        let _ = reply.send(credential);
    }
}

/// The last path segment of a clone URL without `.git`: `…/acme/gitops.git` → `gitops`.
fn clone_folder_name(url: &str) -> String {
    let last = url
        .trim()
        .trim_end_matches('/')
        .rsplit(['/', ':', '\\'])
        .next()
        .unwrap_or_default();
    let name = last.strip_suffix(".git").unwrap_or(last);
    if name.is_empty() || name == ".." || name == "." {
        "repository".into()
    } else {
        name.into()
    }
}

/// Closes the window's repository: watching and background sync stop.
#[tauri::command]
pub fn close_repository(app: AppHandle) {
    let session = app.state::<Session>();
    *session.current.lock().expect("session lock") = None;
    *session.workspace.lock().expect("session lock") = None;
    session.edits.lock().expect("session lock").clear();
    *session.sync.lock().expect("session lock") = SyncStatusView::idle();
}

/// Re-reads the open repository; ahead/behind in the sync status follow (a commit or a checkout
/// made elsewhere changes them without a fetch).
#[tauri::command]
pub async fn refresh_overview(app: AppHandle) -> CommandResult<RepoOverview> {
    blocking(move || {
        let overview = current_repo(&app.state::<Session>())?.overview(OVERVIEW_COMMITS)?;
        crate::sync_loop::refresh_state(&app);
        Ok(overview)
    })
    .await
}

/// Fetches now (and fast-forwards when safe), then returns the sync status.
#[tauri::command]
pub async fn sync_now(app: AppHandle) -> CommandResult<SyncStatusView> {
    let status = crate::sync_loop::sync_once(app.clone()).await;
    Ok(status)
}

#[tauri::command]
pub fn sync_status(app: AppHandle) -> SyncStatusView {
    app.state::<Session>()
        .sync
        .lock()
        .expect("session lock")
        .clone()
}

/// Sets the pause between background fetches (10 s to 1 day).
#[tauri::command]
pub fn set_sync_interval(app: AppHandle, seconds: u32) -> CommandResult<SyncStatusView> {
    if !(10..=86_400).contains(&seconds) {
        return Err(wheelhouse_repo::Error::InvalidInput {
            message: "Choose an interval between 10 seconds and one day.".into(),
        }
        .into());
    }
    let session = app.state::<Session>();
    *session.sync_interval.lock().expect("session lock") = Duration::from_secs(u64::from(seconds));
    let mut status = session.sync.lock().expect("session lock");
    status.interval_seconds = seconds;
    session.sync_wake.notify_one();
    Ok(status.clone())
}

/// Pushes the current branch, reporting progress for `operation`.
#[tauri::command]
pub async fn push(app: AppHandle, operation: String) -> CommandResult<SyncStatusView> {
    let pushed = {
        let app = app.clone();
        blocking(move || {
            let session = app.state::<Session>();
            let repo = current_repo(&session)?;
            let mut net = window_network(&app, &session, Some(&operation));
            let result = wheelhouse_api::sync::push(&repo, &mut net, &session.credentials);
            session.end_operation(&operation);
            if let Some(e) = result?.notes_error {
                tracing::info!(error = %e, "approval notes were not pushed");
            }
            Ok(())
        })
        .await
    };
    pushed?;
    Ok(crate::sync_loop::refresh_state(&app))
}

#[tauri::command]
pub async fn working_diff(app: AppHandle, path: Option<String>) -> CommandResult<Vec<FileDiff>> {
    blocking(move || Ok(current_repo(&app.state::<Session>())?.working_diff(path.as_deref())?))
        .await
}

#[tauri::command]
pub async fn discard_file(app: AppHandle, path: String) -> CommandResult<RepoOverview> {
    blocking(move || {
        let repo = current_repo(&app.state::<Session>())?;
        repo.discard(&path)?;
        Ok(repo.overview(OVERVIEW_COMMITS)?)
    })
    .await
}

#[tauri::command]
pub async fn commit_all(app: AppHandle, message: String) -> CommandResult<CommitSummary> {
    blocking(move || Ok(current_repo(&app.state::<Session>())?.commit_all(&message)?)).await
}

/// Sets user.name and user.email for this repository only.
#[tauri::command]
pub async fn set_identity(app: AppHandle, name: String, email: String) -> CommandResult<()> {
    blocking(move || Ok(current_repo(&app.state::<Session>())?.set_identity(&name, &email)?)).await
}

#[tauri::command]
pub async fn history(app: AppHandle, query: HistoryQuery) -> CommandResult<HistoryPage> {
    blocking(move || {
        let repo = current_repo(&app.state::<Session>())?;
        let path = query
            .path
            .map(|p| p.trim().trim_matches('/').to_owned())
            .filter(|p| !p.is_empty());
        if let Some(p) = &path {
            repo.resolve_inside(p)?;
        }
        Ok(repo.history(&HistoryFilter {
            path,
            author: query.author.filter(|a| !a.trim().is_empty()),
            skip: query.skip as usize,
            limit: query.limit.clamp(1, 1000) as usize,
        })?)
    })
    .await
}

#[tauri::command]
pub async fn commit_detail(app: AppHandle, id: String) -> CommandResult<CommitDetail> {
    blocking(move || Ok(current_repo(&app.state::<Session>())?.commit_detail(&id)?)).await
}

/// Reverts a commit as a new change branch.
#[tauri::command]
pub async fn rollback(app: AppHandle, id: String) -> CommandResult<Rollback> {
    blocking(move || Ok(current_repo(&app.state::<Session>())?.rollback(&id)?)).await
}

/// Stored credentials: hosts and users, never secrets.
#[tauri::command]
pub fn list_credentials(app: AppHandle) -> Vec<StoredCredential> {
    app.state::<Session>().credentials.list()
}

#[tauri::command]
pub async fn forget_credential(
    app: AppHandle,
    kind: CredentialKind,
    host: String,
    user: String,
) -> CommandResult<Vec<StoredCredential>> {
    blocking(move || {
        let session = app.state::<Session>();
        session.credentials.forget(kind, &host, &user)?;
        Ok(session.credentials.list())
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::clone_folder_name;

    #[test]
    fn clone_folders_are_named_after_the_repository() {
        assert_eq!(
            clone_folder_name("https://git.example.com/acme/gitops.git"),
            "gitops"
        );
        assert_eq!(clone_folder_name("git@github.com:acme/fleet.git"), "fleet");
        assert_eq!(clone_folder_name("file:///srv/git/infra/"), "infra");
        assert_eq!(clone_folder_name("https://example.com/.."), "repository");
    }
}
