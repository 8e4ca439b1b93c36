//! The status page's monitors checked in the background while the app is open: switched on
//! from the status screen (Keep checking), each round runs the monitors that are due and
//! records them as `wheelhouse status monitor --watch` does (the history fetched first and
//! pushed after, incidents drafted — and merged only when the policy auto-approves them), then
//! waits until the next one is due. The UI hears each round as a `monitor-watch` event, on
//! whatever screen it is. Switched off, or once another repository is open, it stops.

use crate::json::MonitorWatchView;
use crate::session::Session;
use crate::shell::{now, now_unix};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager};
use wheelhouse_api::monitor::{self, MonitorRequest, MonitorRun};
use wheelhouse_repo::network::{self, Network};
use wheelhouse_repo::Repository;

/// The shortest and the longest pause between two rounds, seconds.
const MIN_WAIT: u64 = 2;
const MAX_WAIT: u64 = 300;
/// The pause after a round that could not run (a run under way, a file that does not load).
const RETRY_WAIT: u64 = 15;

pub fn start(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        loop {
            let session = app.state::<Session>();
            if !session.monitor_watch.lock().expect("session lock").on {
                session.monitor_wake.notified().await;
                continue;
            }
            let wait = round(app.clone()).await;
            {
                let mut watch = session.monitor_watch.lock().expect("session lock");
                watch.next_check_unix = watch.on.then(|| now_unix() + wait as i64);
            }
            emit(&app);
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs(wait)) => {}
                _ = session.monitor_wake.notified() => {}
            }
        }
    });
}

/// The view as it stands: reset when the repository it checked is no longer the open one.
pub fn view(session: &Session) -> MonitorWatchView {
    let current = session.current_root().map(|r| r.display().to_string());
    let mut watch = session.monitor_watch.lock().expect("session lock");
    if watch.root.is_some() && watch.root != current {
        *watch = MonitorWatchView::default();
    }
    watch.clone()
}

/// Switches the background checking on (for the open repository) or off, and wakes the loop.
pub fn switch(app: &AppHandle, on: bool) -> Result<MonitorWatchView, wheelhouse_repo::Error> {
    let session = app.state::<Session>();
    let root = session
        .current_root()
        .ok_or(wheelhouse_repo::Error::NoRepositoryOpen)?;
    {
        let mut watch = session.monitor_watch.lock().expect("session lock");
        if on && watch.root.as_deref() != Some(&root.display().to_string()) {
            *watch = MonitorWatchView::default();
        }
        watch.on = on;
        watch.root = Some(root.display().to_string());
        watch.next_check_unix = None;
        if on {
            watch.error = None;
        }
    }
    session.monitor_wake.notify_one();
    if !on {
        // What the rounds held is recorded now, off the caller's thread.
        let worker = app.clone();
        tauri::async_runtime::spawn_blocking(move || {
            record_held(&worker.state::<Session>(), &root);
        });
    }
    Ok(emit(app))
}

/// Tells the UI where the checking stands.
fn emit(app: &AppHandle) -> MonitorWatchView {
    let view = view(&app.state::<Session>());
    let _ = app.emit("monitor-watch", &view);
    view
}

/// One round, off the async runtime; how long to wait before the next.
async fn round(app: AppHandle) -> u64 {
    let worker = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let session = worker.state::<Session>();
        let watched = view(&session).root.map(PathBuf::from);
        let Some(root) = watched
            .clone()
            .filter(|r| Some(r) == session.current_root().as_ref())
        else {
            // Another repository is open: this one is no longer watched; what it held is
            // recorded in it.
            tracing::info!("another repository is open: the monitors' checking stops");
            if let Some(old) = watched {
                record_held(&session, &old);
            }
            session.monitor_watch.lock().expect("session lock").on = false;
            return 0;
        };
        let Some(_running) = RunGuard::take(&session) else {
            tracing::info!("a run of the monitors is under way: the round waits");
            return RETRY_WAIT;
        };
        session.monitor_watch.lock().expect("session lock").checking = true;
        emit(&worker);
        let outcome = due_round(&session, root);
        let mut watch = session.monitor_watch.lock().expect("session lock");
        watch.checking = false;
        watch.last_run_unix = Some(now_unix());
        match outcome {
            Ok((run, wait)) => {
                tracing::info!(
                    checked = run.checks.len(),
                    failing = run.failing(),
                    wait,
                    "monitors checked in the background"
                );
                if !run.checks.is_empty() {
                    watch.last = Some(run);
                }
                watch.error = None;
                wait
            }
            Err(e) => {
                tracing::warn!(error = %e, "the monitors could not be checked in the background");
                watch.error = Some(e.to_string());
                RETRY_WAIT
            }
        }
    })
    .await
    .unwrap_or(RETRY_WAIT)
}

/// Runs the monitors of `root` that are due, recording them; and the wait until the next is.
/// Credentials come from the keyring only: a round in the background never asks.
fn due_round(session: &Session, root: PathBuf) -> wheelhouse_api::Result<(MonitorRun, u64)> {
    let repo = Repository::open(root)?;
    // Under a pinned clock (WHEELHOUSE_NOW: tests, demos) no monitor ever falls due: each
    // round checks them all, a round every shortest interval.
    let request = MonitorRequest {
        due_only: !wheelhouse_repo::clock::is_pinned(),
        ..MonitorRequest::default()
    };
    let mut net = quiet_network(session);
    let with_remote = repo.publish_remote().is_ok();
    // What earlier rounds held is taken out for the round (nobody waits on it) and put back.
    let mut held = std::mem::take(&mut *session.monitor_held.lock().expect("session lock"));
    let run = monitor::run_in_loop(
        &repo,
        &request,
        with_remote.then_some(&mut net),
        &|name: &str| wheelhouse_api::notify::channel_secret(&session.credentials, name),
        now(),
        &mut held,
    );
    let wait = monitor::next_round_in(&repo, &held, now());
    *session.monitor_held.lock().expect("session lock") = held;
    Ok((run?, wait?.clamp(MIN_WAIT, MAX_WAIT)))
}

/// Records what the rounds held, for the repository they checked, as the app exits.
pub fn record_on_exit(app: &AppHandle) {
    let Some(session) = app.try_state::<Session>() else {
        return;
    };
    let root = session
        .monitor_watch
        .lock()
        .expect("session lock")
        .root
        .clone();
    if let Some(root) = root {
        record_held(&session, std::path::Path::new(&root));
    }
}

/// Records what the rounds held for `root` (when the checking stops), with the keyring's
/// credentials only.
pub fn record_held(session: &Session, root: &std::path::Path) {
    let mut held = std::mem::take(&mut *session.monitor_held.lock().expect("session lock"));
    if held.since().is_none() {
        return;
    }
    let Some(_running) = RunGuard::take(session) else {
        // A run is under way: it will find the held results back and record them.
        *session.monitor_held.lock().expect("session lock") = held;
        return;
    };
    let outcome = Repository::open(root)
        .map_err(wheelhouse_api::Problem::from)
        .and_then(|repo| {
            let mut net = quiet_network(session);
            let with_remote = repo.publish_remote().is_ok();
            monitor::record_held(&repo, with_remote.then_some(&mut net), &mut held, now())
        });
    match outcome {
        Ok(commit) => tracing::info!(?commit, "held monitor results recorded"),
        Err(e) => tracing::warn!(error = %e, "held monitor results: the remote was not reached"),
    }
}

/// The network a round in the background uses: credentials from the keyring only, never a
/// question in the window.
fn quiet_network(session: &Session) -> Network<'_> {
    Network::new().credentials(network::keyring_first(&session.credentials, |_| None))
}

/// One run of the monitors at a time, the loop's or Check now's: held while it lasts.
pub struct RunGuard<'a>(&'a Session);

impl<'a> RunGuard<'a> {
    /// The guard, or none when a run is under way.
    pub fn take(session: &'a Session) -> Option<RunGuard<'a>> {
        session
            .monitor_running
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .ok()
            .map(|_| RunGuard(session))
    }
}

impl Drop for RunGuard<'_> {
    fn drop(&mut self) {
        self.0.monitor_running.store(false, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::RunGuard;
    use crate::session::Session;

    #[test]
    fn one_run_of_the_monitors_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let session = Session::new(dir.path().to_path_buf());
        let first = RunGuard::take(&session).expect("nothing is running");
        assert!(
            RunGuard::take(&session).is_none(),
            "a second run waits for the first"
        );
        drop(first);
        assert!(
            RunGuard::take(&session).is_some(),
            "free again once it ended"
        );
    }
}
