//! The background sync loop: fetch on an interval (and on demand), fast-forward when safe, and
//! back off quietly while the remote cannot be reached. Status goes to the UI as `sync-status`
//! events; an unreachable remote is a state ("offline"), never a stream of error dialogs.

use crate::json::{SyncPhase, SyncStatusView};
use crate::session::Session;
use crate::shell::{ask_in_window, now_unix};
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager};
use wheelhouse_repo::network::{self, Network};
use wheelhouse_repo::{ErrorCode, Repository};

/// First retry after a failure; doubles up to [`MAX_BACKOFF`], and never exceeds the interval.
const FIRST_BACKOFF: Duration = Duration::from_secs(5);
const MAX_BACKOFF: Duration = Duration::from_secs(300);

/// The pause before the next attempt, from the interval and how many attempts failed in a row.
pub fn next_delay(interval: Duration, failures: u32) -> Duration {
    if failures == 0 {
        return interval;
    }
    let backoff = FIRST_BACKOFF.saturating_mul(1 << failures.saturating_sub(1).min(16));
    backoff.min(MAX_BACKOFF).min(interval)
}

pub fn start(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let mut failures = 0u32;
        loop {
            let session = app.state::<Session>();
            let interval = *session.sync_interval.lock().expect("session lock");
            let delay = next_delay(interval, failures);
            {
                let mut status = session.sync.lock().expect("session lock");
                status.next_attempt_unix = Some(now_unix() + delay.as_secs() as i64);
            }
            tokio::select! {
                _ = tokio::time::sleep(delay) => {}
                _ = session.sync_wake.notified() => { failures = 0; }
            }
            if session.current_root().is_none() {
                continue;
            }
            let status = run(app.clone(), false).await;
            failures = match status.phase {
                SyncPhase::Offline | SyncPhase::Error => failures.saturating_add(1),
                _ => 0,
            };
        }
    });
}

/// One sync on demand (the Sync button): may ask for credentials in the window.
pub async fn sync_once(app: AppHandle) -> SyncStatusView {
    run(app, true).await
}

async fn run(app: AppHandle, interactive: bool) -> SyncStatusView {
    set_phase(&app, SyncPhase::Syncing);
    let worker = app.clone();
    let outcome = tauri::async_runtime::spawn_blocking(move || {
        let session = worker.state::<Session>();
        let root = session.current_root()?;
        let repo = Repository::open(root)
            .map_err(|e| tracing::warn!(error = %e, "sync: repository unavailable"))
            .ok()?;
        let ask = ask_in_window(&worker);
        let mut asking = interactive.then_some(ask);
        let mut net = Network::new()
            .credentials(network::keyring_first(&session.credentials, move |r| {
                asking.as_mut().and_then(|ask| ask(r))
            }));
        let result = wheelhouse_api::sync::sync(&repo, &mut net, &session.credentials);
        if let Ok(wheelhouse_api::sync::Synced {
            notes_error: Some(e),
            ..
        }) = &result
        {
            tracing::info!(error = %e, "approval notes were not synced");
        }
        Some((result.map(|s| s.report), repo.sync_state().ok()))
    })
    .await
    .ok()
    .flatten();

    let session = app.state::<Session>();
    let status = {
        let mut status = session.sync.lock().expect("session lock");
        match outcome {
            None => {
                status.phase = SyncPhase::Idle;
            }
            Some((Ok(report), _)) => {
                status.phase = SyncPhase::Idle;
                status.last_success_unix = Some(now_unix());
                status.message = None;
                status.error_code = None;
                status.fast_forwarded = report.fast_forwarded;
                status.state = Some(report.state);
            }
            Some((Err(e), state)) => {
                status.phase = match e.code {
                    ErrorCode::RemoteUnreachable => SyncPhase::Offline,
                    ErrorCode::NoUpstream => SyncPhase::Idle,
                    _ => SyncPhase::Error,
                };
                status.message = Some(e.to_string());
                status.error_code = Some(e.code);
                status.fast_forwarded = 0;
                status.state = state;
                tracing::info!(code = e.code.as_str(), "sync did not complete");
            }
        }
        status.clone()
    };
    let _ = app.emit("sync-status", &status);
    status
}

/// Re-reads ahead/behind without fetching (after a push or a commit) and tells the UI.
pub fn refresh_state(app: &AppHandle) -> SyncStatusView {
    let session = app.state::<Session>();
    let state = session
        .current_root()
        .and_then(|root| Repository::open(root).ok())
        .and_then(|repo| repo.sync_state().ok());
    let status = {
        let mut status = session.sync.lock().expect("session lock");
        status.state = state;
        // `fast_forwarded` reports what one sync did; a re-read reports nothing new.
        status.fast_forwarded = 0;
        status.clone()
    };
    let _ = app.emit("sync-status", &status);
    status
}

fn set_phase(app: &AppHandle, phase: SyncPhase) {
    let session = app.state::<Session>();
    let status = {
        let mut status = session.sync.lock().expect("session lock");
        status.phase = phase;
        status.fast_forwarded = 0;
        status.clone()
    };
    let _ = app.emit("sync-status", &status);
}

#[cfg(test)]
mod tests {
    use super::next_delay;
    use std::time::Duration;

    #[test]
    fn failures_back_off_exponentially_up_to_the_interval_and_five_minutes() {
        let minute = Duration::from_secs(60);
        let hour = Duration::from_secs(3600);
        assert_eq!(next_delay(minute, 0), minute);
        assert_eq!(next_delay(hour, 1), Duration::from_secs(5));
        assert_eq!(next_delay(hour, 2), Duration::from_secs(10));
        assert_eq!(next_delay(hour, 4), Duration::from_secs(40));
        assert_eq!(next_delay(hour, 12), Duration::from_secs(300));
        assert_eq!(next_delay(minute, 12), minute);
        assert_eq!(next_delay(hour, u32::MAX), Duration::from_secs(300));
    }
}
