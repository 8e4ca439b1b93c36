//! Watches one repository folder and reports, once per burst of activity, what changed in it.
//!
//! Wheelhouse shows a repository that people also edit with other tools: an editor saves a
//! manifest, a terminal runs `git checkout` or `git commit`. [`RepoWatcher`] turns the operating
//! system's file events into typed [`RepoChange`]s so every open view can refresh within a
//! fraction of a second:
//!
//! - working-tree edits set [`RepoChange::worktree`] and list the paths;
//! - Git state the app shows sets [`RepoChange::head`] (`.git/HEAD`), [`RepoChange::git_index`]
//!   (`.git/index`) or [`RepoChange::git_refs`] (`.git/refs/**`, `.git/packed-refs`);
//! - everything else under `.git/` (objects, logs, `*.lock` files, hooks) is ignored, so a
//!   commit is reported by its effect on refs and index, not by the hundred files Git writes to
//!   get there.
//!
//! A burst (a checkout rewriting thousands of files) ends when the folder has been quiet for the
//! debounce interval and arrives as one change.
//!
//! Not for: reading what changed (that is `wheelhouse-repo`'s job: a change only says *which*
//! views are stale); `.gitignore` (ignored files are reported like any other: the tree's owner
//! may still want to see them); linked worktrees and submodule checkouts whose `.git` is a file
//! (their Git state lives elsewhere and is not watched); a folder created with files already in
//! it may be reported as the folder alone, because the OS only starts watching it once it
//! exists.
//!
//! A caller that refreshes on [`RepoChange::git_index`] must not write the index while reading
//! it (the `git status` command does, to refresh its file-time cache): each refresh would then
//! report the next change.
//!
//! The deciding parts (classifying a path, folding a burst) are pure and live in `change`;
//! this file is the thin edge that talks to the OS.

mod burst;
mod change;
mod error;

pub use change::{RepoChange, PATHS_LIMIT};
pub use error::{WatchError, WatchErrorCode};

use change::{classify, relative_path, Observation, PathClass};
use notify::{EventKind, RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

/// Watches a repository folder until dropped.
///
/// Dropping it stops watching: no new callback starts afterwards, though one already being
/// delivered on the watcher's thread may still finish.
pub struct RepoWatcher {
    // Held for its drop: that shuts the OS watch down and hangs up the channel, which ends the
    // delivery thread.
    _watcher: notify::RecommendedWatcher,
    stopped: Arc<AtomicBool>,
    root: PathBuf,
}

impl std::fmt::Debug for RepoWatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RepoWatcher")
            .field("root", &self.root)
            .finish_non_exhaustive()
    }
}

impl RepoWatcher {
    /// Starts watching the repository whose working tree is `root`, recursively, `.git/`
    /// included.
    ///
    /// `on_change` is called once per burst, after `debounce` without relevant activity (a burst
    /// that never goes quiet is still delivered, at least every ten seconds or four `debounce`
    /// intervals, whichever is longer). It runs on a thread of its own, one call at a time, never
    /// on the caller's thread; a slow callback delays later changes but loses none. A burst
    /// holding only ignored paths produces no call.
    ///
    /// When this returns `Ok`, the watch is in place: any later change is reported.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use wheelhouse_watch::RepoWatcher;
    ///
    /// let watcher = RepoWatcher::start(
    ///     "/home/ana/acme-gitops".as_ref(),
    ///     Duration::from_millis(100),
    ///     |change| println!("stale: {change:?}"),
    /// )?;
    /// // Watching lasts as long as `watcher` does.
    /// # drop(watcher);
    /// # Ok::<(), wheelhouse_watch::WatchError>(())
    /// ```
    pub fn start(
        root: &Path,
        debounce: Duration,
        on_change: impl FnMut(RepoChange) + Send + 'static,
    ) -> Result<Self, WatchError> {
        let metadata = std::fs::metadata(root).map_err(|e| {
            let code = if e.kind() == std::io::ErrorKind::NotFound {
                WatchErrorCode::PathNotFound
            } else {
                WatchErrorCode::WatchFailed
            };
            WatchError::new(code, root)
        })?;
        if !metadata.is_dir() {
            return Err(WatchError::new(WatchErrorCode::NotADirectory, root));
        }
        // Some platforms report events under the resolved path (macOS temp folders live behind
        // a symlink), so both spellings of the root are recognised.
        let resolved = std::fs::canonicalize(root)
            .map_err(|_| WatchError::new(WatchErrorCode::WatchFailed, root))?;
        let given = root.to_path_buf();

        let (observe, observations) = mpsc::channel();
        let stopped = Arc::new(AtomicBool::new(false));
        let handler_root = resolved.clone();
        let handler = move |result: notify::Result<notify::Event>| match result {
            Ok(event) => {
                if event.need_rescan() {
                    let _ = observe.send(Observation::Rescan);
                    return;
                }
                // Opening and closing a file is reading it: the app's own refresh would otherwise
                // trigger the next refresh.
                if matches!(event.kind, EventKind::Access(_)) {
                    return;
                }
                for path in &event.paths {
                    let relative =
                        relative_path(&handler_root, path).or_else(|| relative_path(&given, path));
                    let Some(relative) = relative else {
                        tracing::trace!(path = %path.display(), "event outside the repository");
                        continue;
                    };
                    let class = classify(&relative);
                    if class != PathClass::Ignored {
                        let _ = observe.send(Observation::Path(class, relative));
                    }
                }
            }
            Err(error) => {
                tracing::warn!(root = %handler_root.display(), %error, "file watcher error");
            }
        };

        // Git stores symlinks as links; following one could watch half the disk.
        let config = notify::Config::default().with_follow_symlinks(false);
        let mut watcher = notify::RecommendedWatcher::new(handler, config)
            .map_err(|e| WatchError::from_notify(root, e))?;
        burst::spawn(
            observations,
            burst::Timing::for_debounce(debounce),
            stopped.clone(),
            on_change,
        )
        .map_err(|_| WatchError::new(WatchErrorCode::WatchFailed, root))?;
        watcher
            .watch(&resolved, RecursiveMode::Recursive)
            .map_err(|e| WatchError::from_notify(root, e))?;
        tracing::debug!(root = %resolved.display(), ?debounce, "watching repository");

        Ok(RepoWatcher {
            _watcher: watcher,
            stopped,
            root: resolved,
        })
    }

    /// The watched folder, with symlinks resolved.
    pub fn root(&self) -> &Path {
        &self.root
    }
}

impl Drop for RepoWatcher {
    fn drop(&mut self) {
        // The OS watcher, dropped right after this, shuts down on its own thread; the flag makes
        // sure a burst still pending in the meantime is not delivered to a watcher that is gone.
        self.stopped.store(true, Ordering::Release);
    }
}
