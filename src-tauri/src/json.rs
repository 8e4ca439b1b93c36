//! Transport types: what crosses IPC (the generated TypeScript that mirrors them is made in
//! `types.rs`).
//!
//! Views come from the core crates as they are; this module adds the envelope types that only
//! exist at the boundary and every command's error, which is the one `ErrorReport`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use wheelhouse_api::ErrorReport;
use wheelhouse_repo::network::TransferProgress;
use wheelhouse_repo::recent::RecentRepository;
use wheelhouse_repo::sync::SyncState;
use wheelhouse_repo::{ErrorCode, RepoOverview};

/// Every command's error: on the wire the one [`ErrorReport`] the CLI's `--json` prints too (a
/// stable code to branch on, the sentence saying where, the place apart, what to do).
#[derive(Debug, Clone)]
pub struct CommandError(pub ErrorReport);

impl Serialize for CommandError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl From<wheelhouse_api::Problem> for CommandError {
    fn from(p: wheelhouse_api::Problem) -> Self {
        CommandError(p.into())
    }
}

/// Each core crate's error reaches the window as its [`wheelhouse_api::Problem`] does: the code
/// from the one list and the message saying where — one conversion, not one per crate.
macro_rules! through_problem {
    ($($error:ty),+ $(,)?) => {$(
        impl From<$error> for CommandError {
            fn from(e: $error) -> Self {
                wheelhouse_api::Problem::from(e).into()
            }
        }
    )+};
}

through_problem!(
    wheelhouse_repo::Error,
    wheelhouse_demo::Error,
    wheelhouse_update::UpdateError,
    wheelhouse_secrets::SecretsError,
    wheelhouse_desired_state::edit::EditError,
);

impl CommandError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        wheelhouse_api::Problem::new(code, message).into()
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Io, message)
    }

    pub fn code(&self) -> ErrorCode {
        self.0.code
    }
}

/// How often the background sync fetches unless Settings says otherwise.
pub const DEFAULT_SYNC_INTERVAL: std::time::Duration = std::time::Duration::from_secs(60);

/// The background sync loop, as the header shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SyncStatusView {
    pub phase: SyncPhase,
    /// When the last fetch succeeded, Unix seconds.
    #[ts(type = "number | null")]
    pub last_success_unix: Option<i64>,
    /// When the loop tries next, Unix seconds.
    #[ts(type = "number | null")]
    pub next_attempt_unix: Option<i64>,
    /// Why the last attempt failed (offline, credentials…), in words.
    pub message: Option<String>,
    pub error_code: Option<ErrorCode>,
    /// Incoming and outgoing commits and what blocks an update, after the last fetch.
    pub state: Option<SyncState>,
    /// Commits fast-forwarded by the last sync.
    pub fast_forwarded: u32,
    pub interval_seconds: u32,
}

impl SyncStatusView {
    pub fn idle() -> Self {
        SyncStatusView {
            phase: SyncPhase::Idle,
            last_success_unix: None,
            next_attempt_unix: None,
            message: None,
            error_code: None,
            state: None,
            fast_forwarded: 0,
            interval_seconds: DEFAULT_SYNC_INTERVAL.as_secs() as u32,
        }
    }
}

/// The monitors' checking in the background: on or off, for which repository, and what its last
/// round found. It runs while the app is open, whatever screen is shown.
#[derive(Debug, Clone, Default, Serialize, TS)]
pub struct MonitorWatchView {
    pub on: bool,
    /// The repository it checks: the one open when it was switched on (opening another one
    /// switches it off).
    pub root: Option<String>,
    /// A round is running now.
    pub checking: bool,
    /// When the next round starts, Unix seconds.
    #[ts(type = "number | null")]
    pub next_check_unix: Option<i64>,
    /// When the last round ended, Unix seconds.
    #[ts(type = "number | null")]
    pub last_run_unix: Option<i64>,
    /// The last round that checked something (a round with nothing due leaves it).
    pub last: Option<wheelhouse_api::monitor::MonitorRun>,
    /// Why the last round could not run, in words.
    pub error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SyncPhase {
    Idle,
    Syncing,
    Offline,
    Error,
}

/// Progress of a long operation (clone, push), sent as the `transfer-progress` event.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TransferEvent {
    pub operation: String,
    pub progress: TransferProgress,
}

/// What the person typed into the credential dialog. Travels UI → core only, once.
#[derive(Debug, Deserialize, TS)]
pub struct CredentialAnswer {
    pub username: String,
    /// The token or password (HTTPS), or the key's passphrase (SSH; empty for none).
    pub password: String,
    /// SSH only: the private key file to use.
    pub private_key: Option<String>,
}

/// A request for a page of history.
#[derive(Debug, Deserialize, TS)]
pub struct HistoryQuery {
    pub path: Option<String>,
    pub author: Option<String>,
    pub skip: u32,
    pub limit: u32,
}

/// What the UI needs when it starts: the recent list, and the repository named on the command
/// line (`--repo PATH`) opened, or why it could not be.
#[derive(Debug, Clone, Serialize, TS)]
pub struct StartupView {
    /// The app's version and the commit it was built from (`0.1.0 (3f2a9c1d0b7e 2026-12-06)`).
    pub version: String,
    pub recent: Vec<RecentRepository>,
    pub opened: Option<RepoOverview>,
    pub error: Option<ErrorReport>,
}

/// The app was started again while it runs, naming a repository (`--repo PATH`) other than the
/// one open here: it was opened in this window (`repository-opened` event), or why it could
/// not be (the window keeps what it shows).
#[derive(Debug, Clone, Serialize, TS)]
pub struct OpenedByAnotherStart {
    pub opened: Option<RepoOverview>,
    pub error: Option<ErrorReport>,
}
