//! The status page in the app: the commands of the Status page view and the offline preview,
//! served on the `wheelhouse-preview:` scheme from the last good export (the views, the cache
//! and the preview's pages are `wheelhouse_status::view`'s).

use crate::json::CommandError;
use crate::session::Session;
use crate::shell::{blocking, now};
use serde::Serialize;
use std::borrow::Cow;
use tauri::{AppHandle, Manager};
use ts_rs::TS;
use wheelhouse_status as status;
use wheelhouse_status::view::{content_type, refresh, StatusView, PREVIEW_CSP};

type CommandResult<T> = Result<T, CommandError>;

/// The URI scheme the preview frame loads from.
pub const PREVIEW_SCHEME: &str = "wheelhouse-preview";

#[tauri::command]
pub async fn status_view(app: AppHandle) -> CommandResult<StatusView> {
    blocking(move || {
        let session = app.state::<Session>();
        let root = session
            .current_root()
            .ok_or(wheelhouse_repo::Error::NoRepositoryOpen)?;
        let now = now();
        let history = recorded_history(&root, now);
        let mut cache = session.status.lock().expect("session lock");
        let mut last = session.status_last.lock().expect("session lock");
        Ok(refresh(&root, &mut cache, &mut last, now, history.as_ref()))
    })
    .await
}

/// The monitors' history as last recorded (read before any lock is taken), for the preview's
/// uptime bars; none without a repository, monitors' records, or when it does not read.
fn recorded_history(
    root: &std::path::Path,
    now: wheelhouse_status::Timestamp,
) -> Option<wheelhouse_status::monitor::History> {
    let repo = wheelhouse_repo::Repository::open(root).ok()?;
    wheelhouse_api::monitor::recorded_window(&repo, now)
        .ok()
        .flatten()
}

/// Serves `wheelhouse-preview://localhost/<path>?theme=…` from the last good export.
pub fn serve_preview(
    app: &AppHandle,
    request: &tauri::http::Request<Vec<u8>>,
) -> tauri::http::Response<Cow<'static, [u8]>> {
    let uri = request.uri();
    let theme = uri
        .query()
        .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("theme=")));
    let session = app.state::<Session>();
    let needs_build = !session.status.lock().expect("session lock").has_export();
    if needs_build {
        if let Some(root) = session.current_root() {
            let now = now();
            let history = recorded_history(&root, now);
            let mut cache = session.status.lock().expect("session lock");
            let mut last = session.status_last.lock().expect("session lock");
            refresh(&root, &mut cache, &mut last, now, history.as_ref());
        }
    }
    let mut cache = session.status.lock().expect("session lock");
    let found = cache.preview(uri.path(), theme);
    let builder = tauri::http::Response::builder()
        .header("Content-Security-Policy", PREVIEW_CSP)
        .header("X-Content-Type-Options", "nosniff")
        .header("Cache-Control", "no-store");
    let response = match found {
        Some(bytes) => builder
            .status(200)
            .header("Content-Type", content_type(uri.path()))
            .body(Cow::Owned(bytes)),
        None => builder
            .status(404)
            .header("Content-Type", "text/plain; charset=utf-8")
            .body(Cow::Borrowed(&b"Not in the export."[..])),
    };
    response.unwrap_or_else(|_| tauri::http::Response::new(Cow::Borrowed(&b""[..])))
}

/// What an edit changed (or would change) and the page afterwards.
#[derive(Debug, Clone, Serialize, TS)]
pub struct StatusEditOutcome {
    pub view: StatusView,
    /// Paths relative to the repository, with their diffs.
    pub changes: Vec<status::FileChange>,
}

/// One edit of the status page (a component's status, an incident update, a maintenance…), as
/// `wheelhouse_api::status::edit` plans and writes it; with `dry_run`, only the diff. Answers
/// the page afterwards too.
#[tauri::command]
pub async fn status_edit(
    app: AppHandle,
    edit: status::StatusEdit,
    dry_run: bool,
) -> CommandResult<StatusEditOutcome> {
    blocking(move || {
        let session = app.state::<Session>();
        let root = session
            .current_root()
            .ok_or(wheelhouse_repo::Error::NoRepositoryOpen)?;
        let now = now();
        let changes = wheelhouse_api::status::edit(&root, &edit, now, dry_run)?;
        let history = recorded_history(&root, now);
        let mut cache = session.status.lock().expect("session lock");
        let mut last = session.status_last.lock().expect("session lock");
        let view = refresh(&root, &mut cache, &mut last, now, history.as_ref());
        Ok(StatusEditOutcome { view, changes })
    })
    .await
}

/// An update's Markdown as the page will show it (sanitised HTML).
#[tauri::command]
pub fn render_markdown(text: String) -> String {
    status::markdown_to_html(&text)
}

/// The last publish of the status page (the `status-pages` branch's last commit); none before
/// the first.
#[tauri::command]
pub async fn status_last_publish(
    app: AppHandle,
) -> CommandResult<Option<wheelhouse_api::publish::LastPublish>> {
    blocking(move || {
        let repo = open_repo(&app.state::<Session>())?;
        Ok(wheelhouse_api::publish::last(
            &repo,
            wheelhouse_api::publish::DEFAULT_BRANCH,
        )?)
    })
    .await
}

/// Publishes the status page as committed at HEAD to the `status-pages` branch
/// (`wheelhouse_api::publish`); with `push`, fetched first and pushed after (the window may ask
/// for credentials); with `dry_run`, only what would change.
#[tauri::command]
pub async fn status_publish(
    app: AppHandle,
    operation: String,
    push: bool,
    dry_run: bool,
) -> CommandResult<wheelhouse_api::publish::Publication> {
    blocking(move || {
        let session = app.state::<Session>();
        let repo = open_repo(&session)?;
        let request = wheelhouse_api::publish::PublishRequest {
            from: "HEAD".into(),
            to: wheelhouse_api::publish::Destination::Branch(
                wheelhouse_api::publish::DEFAULT_BRANCH.into(),
            ),
            now: None,
            push,
            dry_run,
        };
        let mut net = crate::shell::window_network(&app, &session, Some(&operation));
        let result = wheelhouse_api::publish::publish(&repo, &request, push.then_some(&mut net));
        session.end_operation(&operation);
        if result.is_ok() && push {
            wheelhouse_repo::network::remember_accepted(&session.credentials, net.accepted())?;
        }
        Ok(result?)
    })
    .await
}

fn open_repo(session: &Session) -> CommandResult<wheelhouse_repo::Repository> {
    let root = session
        .current_root()
        .ok_or(wheelhouse_repo::Error::NoRepositoryOpen)?;
    Ok(wheelhouse_repo::Repository::open(root)?)
}

/// The subscribers as committed, each channel's last delivery, and the updates not told yet.
#[tauri::command]
pub async fn status_subscribers(
    app: AppHandle,
) -> CommandResult<wheelhouse_api::notify::SubscribersView> {
    blocking(move || {
        let repo = open_repo(&app.state::<Session>())?;
        Ok(wheelhouse_api::notify::subscribers_view(&repo)?)
    })
    .await
}

/// The monitors as committed at HEAD, each with where it stands and its last day of response
/// times (from the status-history branch).
#[tauri::command]
pub async fn status_monitors(
    app: AppHandle,
) -> CommandResult<wheelhouse_api::monitor::MonitorsView> {
    blocking(move || {
        let session = app.state::<Session>();
        let repo = open_repo(&session)?;
        // Where the checking in the background left each monitor, recorded or not yet.
        let held = session.monitor_held.lock().expect("session lock").clone();
        Ok(wheelhouse_api::monitor::monitors_view(&repo, &held, now())?)
    })
    .await
}

/// Runs the monitors once (`due_only`: those whose interval has passed, for the screen's
/// Keep checking) and records the results as `wheelhouse status monitor` does: the history is
/// fetched first and pushed after, drafted incidents pushed too.
#[tauri::command]
pub async fn status_monitor_run(
    app: AppHandle,
    operation: String,
    due_only: bool,
) -> CommandResult<wheelhouse_api::monitor::MonitorRun> {
    blocking(move || {
        let session = app.state::<Session>();
        let repo = open_repo(&session)?;
        let Some(_running) = crate::monitor_loop::RunGuard::take(&session) else {
            return Err(wheelhouse_api::Problem::new(
                wheelhouse_api::ErrorCode::OperationInProgress,
                "The monitors are being checked in the background right now; their results show here when the round ends.",
            )
            .into());
        };
        let request = wheelhouse_api::monitor::MonitorRequest {
            due_only,
            ..Default::default()
        };
        let mut net = crate::shell::window_network(&app, &session, Some(&operation));
        let with_remote = repo.publish_remote().is_ok();
        let result = wheelhouse_api::monitor::run(
            &repo,
            &request,
            with_remote.then_some(&mut net),
            &|name: &str| wheelhouse_api::notify::channel_secret(&session.credentials, name),
            now(),
        );
        session.end_operation(&operation);
        Ok(result?)
    })
    .await
}

/// Switches the monitors' checking in the background on (for the open repository: it goes on
/// while the app is open, whatever the screen) or off.
#[tauri::command]
pub async fn status_monitor_watch(
    app: AppHandle,
    on: bool,
) -> CommandResult<crate::json::MonitorWatchView> {
    Ok(crate::monitor_loop::switch(&app, on)?)
}

/// Where the monitors' checking in the background stands.
#[tauri::command]
pub async fn status_monitor_watch_state(
    app: AppHandle,
) -> CommandResult<crate::json::MonitorWatchView> {
    Ok(crate::monitor_loop::view(&app.state::<Session>()))
}

/// Tells every channel of the updates committed since they were last told
/// (`wheelhouse_api::notify`; the record is fetched first and pushed after, asking for
/// credentials in the window if the remote wants them).
#[tauri::command]
pub async fn status_notify(
    app: AppHandle,
    operation: String,
    dry_run: bool,
) -> CommandResult<wheelhouse_api::notify::Notified> {
    blocking(move || {
        let session = app.state::<Session>();
        let repo = open_repo(&session)?;
        let request = wheelhouse_api::notify::NotifyRequest {
            since: None,
            head: "HEAD".into(),
            dry_run,
            channel: None,
            retry: wheelhouse_api::notify::Retry::default(),
            timeout: std::time::Duration::from_secs(15),
            smtp_ca: None,
        };
        let store = &session.credentials;
        let secret = |name: &str| wheelhouse_api::notify::channel_secret(store, name);
        let mut net = crate::shell::window_network(&app, &session, Some(&operation));
        let with_remote = repo.publish_remote().is_ok() && !dry_run;
        let result = wheelhouse_api::notify::notify(
            &repo,
            &request,
            &secret,
            with_remote.then_some(&mut net),
            crate::shell::now_unix(),
        );
        session.end_operation(&operation);
        Ok(result?)
    })
    .await
}

/// Sends a test message to one channel (not recorded).
#[tauri::command]
pub async fn status_test_notification(
    app: AppHandle,
    channel: String,
) -> CommandResult<wheelhouse_api::notify::Delivery> {
    blocking(move || {
        let session = app.state::<Session>();
        let repo = open_repo(&session)?;
        let store = &session.credentials;
        let secret = |name: &str| wheelhouse_api::notify::channel_secret(store, name);
        Ok(wheelhouse_api::notify::test_notification(
            &repo,
            &channel,
            &secret,
            std::time::Duration::from_secs(15),
            None,
            crate::shell::now_unix(),
        )?)
    })
    .await
}
