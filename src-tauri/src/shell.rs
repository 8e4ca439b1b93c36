//! What every command shares: the result type, running blocking work off the main thread, the
//! clock (`WHEELHOUSE_NOW` or the system's), and the window's network — credentials from the
//! keyring, else asked in a dialog, with progress events and cancelling. Below every domain
//! module; it knows only the session and the IPC types.

use crate::json::{CommandError, TransferEvent};
use crate::session::Session;
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager};
use wheelhouse_repo::network::{self, Credential, CredentialRequest, Network};
use wheelhouse_status::Timestamp;

/// How long the core waits for someone to answer the credential dialog.
const CREDENTIAL_TIMEOUT: Duration = Duration::from_secs(600);

pub(crate) type CommandResult<T> = Result<T, CommandError>;

pub(crate) fn now_unix() -> i64 {
    wheelhouse_repo::clock::now_unix()
}

/// The moment, as the status page and promotions date things.
pub(crate) fn now() -> Timestamp {
    Timestamp::from_second(wheelhouse_repo::clock::now_unix()).unwrap_or_else(|_| Timestamp::now())
}

pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> CommandResult<T> + Send + 'static,
) -> CommandResult<T> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .unwrap_or_else(|e| Err(CommandError::internal(format!("Internal error: {e}"))))
}

/// A credential source for the app: the keyring first, then a dialog in the window.
pub(crate) fn ask_in_window(
    app: &AppHandle,
) -> impl FnMut(&CredentialRequest) -> Option<Credential> + '_ {
    move |request| {
        let session = app.state::<Session>();
        let reply = session.expect_credentials();
        if app.emit("credentials-needed", request).is_err() {
            return None;
        }
        let answer = reply.recv_timeout(CREDENTIAL_TIMEOUT).ok().flatten();
        *session.credential_reply.lock().expect("session lock") = None;
        answer
    }
}

/// Network options for an operation started from the window: credentials from the keyring, else
/// asked in a dialog; with an `operation` id, progress events and a cancel flag (the caller ends
/// the operation with `Session::end_operation`).
pub(crate) fn window_network<'a>(
    app: &'a AppHandle,
    session: &'a Session,
    operation: Option<&str>,
) -> Network<'a> {
    let mut net = Network::new().credentials(network::keyring_first(
        &session.credentials,
        ask_in_window(app),
    ));
    if let Some(op) = operation {
        let emitter = app.clone();
        let op = op.to_owned();
        net = net
            .cancel_with(session.begin_operation(&op))
            .on_progress(move |p| {
                let _ = emitter.emit(
                    "transfer-progress",
                    TransferEvent {
                        operation: op.clone(),
                        progress: p.clone(),
                    },
                );
            });
    }
    net
}
