//! The window's state: the open repository and its watcher, cancellable operations, the pending
//! credential question, and the sync loop's status. Locks are taken here, at the boundary.

use crate::json::{CommandError, SyncStatusView};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wheelhouse_repo::network::Credential;
use wheelhouse_repo::RepoOverview;
use wheelhouse_secrets::CredentialStore;
use wheelhouse_watch::RepoWatcher;

use crate::json::DEFAULT_SYNC_INTERVAL;

/// Opening the repository the app was started on, done while the window is made.
#[derive(Debug)]
pub struct InitialOpen {
    pub opened: Result<RepoOverview, CommandError>,
    /// [`Session::changes_reported`] before the repository was opened: when it has not moved
    /// since, the overview read then is still current.
    pub changes_before: u64,
}

#[derive(Debug)]
pub struct OpenRepository {
    pub root: PathBuf,
    /// Held for its drop: watching stops when another repository is opened.
    pub _watcher: Option<RepoWatcher>,
}

#[derive(Debug)]
pub struct Session {
    pub data_dir: PathBuf,
    /// The outcome of opening the repository the app was started on (`--repo`), taken by the
    /// first `startup`.
    pub initial_open: Mutex<Option<Receiver<InitialOpen>>>,
    /// How many changes the repository's watcher has reported (edits on disk, a moved HEAD):
    /// an overview read before the count moved is still current.
    pub changes_reported: AtomicU64,
    pub current: Mutex<Option<OpenRepository>>,
    /// Cancel flags of running operations, by operation id.
    pub operations: Mutex<HashMap<String, Arc<AtomicBool>>>,
    /// Where the answer to the credential question being asked goes.
    pub credential_reply: Mutex<Option<Sender<Option<Credential>>>>,
    pub sync: Mutex<SyncStatusView>,
    pub sync_interval: Mutex<Duration>,
    /// Wakes the sync loop early (a sync on demand, a new repository).
    pub sync_wake: tokio::sync::Notify,
    pub credentials: CredentialStore,
    /// The open repository's desired state, loaded on first use and refreshed on file changes.
    pub workspace: Mutex<Option<wheelhouse_desired_state::Workspace>>,
    /// Edits written in the app and not committed, to undo and redo.
    pub edits: Mutex<wheelhouse_api::edits::EditHistory>,
    /// The status page's last build (the preview serves it) and the last view that loaded.
    pub status: Mutex<wheelhouse_status::view::StatusCache>,
    pub status_last: Mutex<wheelhouse_status::view::LastGood>,
    /// The monitors' background checking (`monitor_loop`).
    pub monitor_watch: Mutex<crate::json::MonitorWatchView>,
    /// What the monitor loop's rounds checked and have not recorded yet.
    pub monitor_held: Mutex<wheelhouse_api::monitor::Held>,
    /// Wakes the monitor loop (switched on or off).
    pub monitor_wake: tokio::sync::Notify,
    /// A run of the monitors is under way (the loop's or Check now's): one at a time, so two
    /// runs never record the same minute twice.
    pub monitor_running: std::sync::atomic::AtomicBool,
}

impl Session {
    pub fn new(data_dir: PathBuf) -> Self {
        Session {
            credentials: CredentialStore::new(data_dir.clone()),
            data_dir,
            initial_open: Mutex::new(None),
            changes_reported: AtomicU64::new(0),
            current: Mutex::new(None),
            operations: Mutex::new(HashMap::new()),
            credential_reply: Mutex::new(None),
            sync: Mutex::new(SyncStatusView::idle()),
            sync_interval: Mutex::new(DEFAULT_SYNC_INTERVAL),
            sync_wake: tokio::sync::Notify::new(),
            workspace: Mutex::new(None),
            edits: Mutex::default(),
            status: Mutex::new(wheelhouse_status::view::StatusCache::default()),
            status_last: Mutex::new(wheelhouse_status::view::LastGood::default()),
            monitor_watch: Mutex::default(),
            monitor_held: Mutex::default(),
            monitor_wake: tokio::sync::Notify::new(),
            monitor_running: std::sync::atomic::AtomicBool::new(false),
        }
    }

    pub fn current_root(&self) -> Option<PathBuf> {
        self.current
            .lock()
            .expect("session lock")
            .as_ref()
            .map(|r| r.root.clone())
    }

    /// Registers a cancellable operation and returns its flag.
    pub fn begin_operation(&self, id: &str) -> Arc<AtomicBool> {
        let flag = Arc::new(AtomicBool::new(false));
        self.operations
            .lock()
            .expect("session lock")
            .insert(id.to_owned(), flag.clone());
        flag
    }

    pub fn end_operation(&self, id: &str) {
        self.operations.lock().expect("session lock").remove(id);
    }

    /// Opens a channel for the next credential answer; the UI replies with `answer_credentials`.
    pub fn expect_credentials(&self) -> Receiver<Option<Credential>> {
        let (tx, rx) = std::sync::mpsc::channel();
        *self.credential_reply.lock().expect("session lock") = Some(tx);
        rx
    }
}
