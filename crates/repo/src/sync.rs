//! Staying in step with the remote: fetch, decide whether a fast-forward is safe, do it, push.
//!
//! The deciding part ([`plan_update`]) is a pure function of what was read; the rest reads and
//! writes Git at the edges. Local work is never discarded: a fast-forward that would touch a file
//! with uncommitted edits is refused, and says which files block it.

use crate::network::Network;
use crate::overview::{summarize, CommitSummary};
use crate::{Error, Repository};
use serde::Serialize;
use std::collections::BTreeSet;
use ts_rs::TS;

/// Why an incoming update cannot be applied automatically.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum UpdateBlock {
    /// Both sides have commits: a merge or rebase is needed (arrives with changes and approvals).
    Diverged { ahead: u32, behind: u32 },
    /// Uncommitted edits touch files the incoming commits change.
    LocalEdits { paths: Vec<String> },
    /// HEAD is not on a branch.
    DetachedHead,
    /// A merge, rebase, cherry-pick or revert is under way.
    OperationInProgress { operation: String },
}

/// What the sync loop knows after a fetch.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SyncState {
    pub branch: Option<String>,
    pub upstream: Option<String>,
    /// Commits on the upstream not yet in the local branch, newest first (at most 50).
    pub incoming: Vec<CommitSummary>,
    /// Commits on the local branch not yet pushed, newest first (at most 50).
    pub outgoing: Vec<CommitSummary>,
    pub ahead: u32,
    pub behind: u32,
    /// Why `incoming` cannot be fast-forwarded, when it cannot.
    pub blocked: Option<UpdateBlock>,
}

/// What one `sync` did.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SyncReport {
    pub fetched: bool,
    /// How many commits were fast-forwarded into the local branch.
    pub fast_forwarded: u32,
    pub state: SyncState,
}

/// The decision for an update, from plain facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpdatePlan {
    UpToDate,
    FastForward,
    Blocked(UpdateBlock),
}

/// Decides what to do with incoming commits. Pure: takes what was read from the repository.
pub fn plan_update(
    on_branch: bool,
    operation: Option<&str>,
    ahead: u32,
    behind: u32,
    dirty_paths: &BTreeSet<String>,
    incoming_paths: &BTreeSet<String>,
) -> UpdatePlan {
    if behind == 0 {
        return UpdatePlan::UpToDate;
    }
    if let Some(op) = operation {
        return UpdatePlan::Blocked(UpdateBlock::OperationInProgress {
            operation: op.to_owned(),
        });
    }
    if !on_branch {
        return UpdatePlan::Blocked(UpdateBlock::DetachedHead);
    }
    if ahead > 0 {
        return UpdatePlan::Blocked(UpdateBlock::Diverged { ahead, behind });
    }
    let overlap: Vec<String> = dirty_paths.intersection(incoming_paths).cloned().collect();
    if !overlap.is_empty() {
        return UpdatePlan::Blocked(UpdateBlock::LocalEdits { paths: overlap });
    }
    UpdatePlan::FastForward
}

/// The name of a Git operation under way, if any.
pub(crate) fn operation_in_progress(git: &git2::Repository) -> Option<&'static str> {
    use git2::RepositoryState as S;
    match git.state() {
        S::Clean => None,
        S::Merge => Some("merge"),
        S::Revert | S::RevertSequence => Some("revert"),
        S::CherryPick | S::CherryPickSequence => Some("cherry-pick"),
        S::Bisect => Some("bisect"),
        S::Rebase | S::RebaseInteractive | S::RebaseMerge => Some("rebase"),
        S::ApplyMailbox | S::ApplyMailboxOrRebase => Some("am"),
    }
}

impl Repository {
    /// Refuses to write while another Git process holds the index lock.
    pub(crate) fn ensure_unlocked(&self) -> Result<(), Error> {
        let lock = self.git().path().join("index.lock");
        if lock.exists() {
            return Err(Error::IndexLocked {
                path: self.root().to_path_buf(),
                lock,
            });
        }
        Ok(())
    }

    /// Refuses to write during a merge, rebase and the like.
    pub(crate) fn ensure_no_operation(&self) -> Result<(), Error> {
        match operation_in_progress(self.git()) {
            Some(op) => Err(Error::OperationInProgress {
                path: self.root().to_path_buf(),
                operation: op.into(),
            }),
            None => Ok(()),
        }
    }

    pub(crate) fn upstream_remote(&self) -> Result<(String, String, String), Error> {
        let git = self.git();
        let head = git.head().map_err(|e| self.git_error(e))?;
        if !head.is_branch() {
            return Err(Error::DetachedHead {
                path: self.root().to_path_buf(),
            });
        }
        let branch = head.shorthand().unwrap_or_default().to_owned();
        let refname = head.name().unwrap_or_default().to_owned();
        let remote = git
            .branch_upstream_remote(&refname)
            .ok()
            .and_then(|b| b.as_str().map(str::to_owned))
            .ok_or_else(|| Error::NoUpstream {
                branch: branch.clone(),
            })?;
        Ok((branch, refname, remote))
    }

    /// Fetches the current branch's remote (all its branches and the approval notes).
    pub fn fetch(&self, net: &mut Network<'_>) -> Result<(), Error> {
        let (_, _, remote_name) = self.upstream_remote()?;
        self.fetch_remote(&remote_name, net)
    }

    /// Fetches every branch of `remote_name` (a publish reads the remote's pages branch).
    pub fn fetch_remote(&self, remote_name: &str, net: &mut Network<'_>) -> Result<(), Error> {
        let git = self.git();
        let mut remote = git
            .find_remote(remote_name)
            .map_err(|e| self.git_error(e))?;
        let url = remote.url().unwrap_or_default().to_owned();
        let refspec = format!("+refs/heads/*:refs/remotes/{remote_name}/*");
        let result = {
            let mut options = git2::FetchOptions::new();
            options.remote_callbacks(net.callbacks(git.config().ok()));
            options.prune(git2::FetchPrune::On);
            remote.fetch(
                &[refspec.as_str()],
                Some(&mut options),
                Some("wheelhouse: fetch"),
            )
        };
        match result {
            Ok(()) => {
                net.succeeded();
                Ok(())
            }
            Err(e) => Err(net.error("The fetch", &url, e)),
        }
    }

    /// Waits until no other sync of this repository runs, then holds it until the guard is
    /// dropped: an exclusive lock on the Git folder itself (Git takes no such lock, and nothing
    /// is written for it), which the system releases when its holder ends, however it ends.
    /// Where folders cannot be locked (Windows), syncs are not serialised and a warning says so.
    pub fn lock_sync(&self) -> Result<SyncGuard, Error> {
        let path = self.git().path().to_path_buf();
        let io = |source| Error::Io {
            path: path.clone(),
            source,
        };
        let file = match std::fs::File::open(&path) {
            Ok(file) => file,
            Err(e) => {
                tracing::warn!(error = %e, "syncs of this repository cannot be serialised here");
                return Ok(SyncGuard { _file: None });
            }
        };
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                tracing::info!("another sync of this repository is running; waiting for it");
                file.lock().map_err(io)?;
            }
            Err(std::fs::TryLockError::Error(e)) => {
                tracing::warn!(error = %e, "syncs of this repository cannot be serialised here");
            }
        }
        Ok(SyncGuard { _file: Some(file) })
    }

    /// Reads how the current branch relates to its upstream (as of the last fetch), and whether
    /// incoming commits could be fast-forwarded now.
    pub fn sync_state(&self) -> Result<SyncState, Error> {
        let git = self.git();
        let err = |e| self.git_error(e);
        let head = git.head().map_err(err)?;
        let on_branch = head.is_branch();
        let branch = on_branch.then(|| head.shorthand().unwrap_or_default().to_owned());
        let local = head.peel_to_commit().map_err(err)?;
        let upstream_ref = branch.as_ref().and_then(|b| {
            git.find_branch(b, git2::BranchType::Local)
                .ok()
                .and_then(|lb| lb.upstream().ok())
        });
        let Some(upstream_ref) = upstream_ref else {
            return Ok(SyncState {
                branch,
                upstream: None,
                incoming: vec![],
                outgoing: vec![],
                ahead: 0,
                behind: 0,
                blocked: None,
            });
        };
        let upstream_name = upstream_ref
            .name()
            .ok()
            .flatten()
            .unwrap_or_default()
            .to_owned();
        let upstream = upstream_ref.get().peel_to_commit().map_err(err)?;
        let (ahead, behind) = git
            .graph_ahead_behind(local.id(), upstream.id())
            .map_err(err)?;
        let incoming = commits_between(git, upstream.id(), local.id()).map_err(err)?;
        let outgoing = commits_between(git, local.id(), upstream.id()).map_err(err)?;

        let dirty = self.dirty_paths()?;
        let incoming_paths = changed_paths(git, &local, &upstream).map_err(err)?;
        let blocked = match plan_update(
            on_branch,
            operation_in_progress(git),
            ahead as u32,
            behind as u32,
            &dirty,
            &incoming_paths,
        ) {
            UpdatePlan::Blocked(b) => Some(b),
            _ => None,
        };
        Ok(SyncState {
            branch,
            upstream: Some(upstream_name),
            incoming,
            outgoing,
            ahead: ahead as u32,
            behind: behind as u32,
            blocked,
        })
    }

    /// Paths with uncommitted edits (staged, unstaged or untracked).
    pub(crate) fn dirty_paths(&self) -> Result<BTreeSet<String>, Error> {
        let mut options = git2::StatusOptions::new();
        options.include_untracked(true).recurse_untracked_dirs(true);
        let statuses = self
            .git()
            .statuses(Some(&mut options))
            .map_err(|e| self.git_error(e))?;
        Ok(statuses
            .iter()
            .filter_map(|s| s.path().map(str::to_owned))
            .collect())
    }

    /// Moves the current branch to its upstream when that is a fast-forward that touches no file
    /// with uncommitted edits. Returns how many commits came in; refuses otherwise, changing nothing.
    pub fn fast_forward(&self) -> Result<u32, Error> {
        self.ensure_unlocked()?;
        let state = self.sync_state()?;
        if state.behind == 0 {
            return Ok(0);
        }
        if let Some(block) = state.blocked {
            return Err(Error::UpdateBlocked { block });
        }
        let git = self.git();
        let err = |e| self.git_error(e);
        let upstream_name = state.upstream.expect("behind implies an upstream");
        let target = git
            .find_branch(&upstream_name, git2::BranchType::Remote)
            .map_err(err)?
            .get()
            .peel_to_commit()
            .map_err(err)?;
        // A safe checkout refuses to overwrite local modifications; plan_update already made sure
        // none of them is in the way, so this only writes the incoming files.
        let mut checkout = git2::build::CheckoutBuilder::new();
        checkout.safe();
        git.checkout_tree(target.as_object(), Some(&mut checkout))
            .map_err(err)?;
        let mut head = git.head().map_err(err)?;
        head.set_target(target.id(), "wheelhouse: fast-forward")
            .map_err(err)?;
        tracing::info!(commits = state.behind, "fast-forwarded");
        Ok(state.behind)
    }

    /// Fetches, then fast-forwards when that is safe. Never discards local work.
    ///
    /// One sync of a repository at a time, across processes: a sync started while another runs
    /// (Sync now during the app's background sync, `wheelhouse sync` in a terminal meanwhile)
    /// waits for it to end, then fetches itself — see [`Repository::lock_sync`].
    pub fn sync(&self, net: &mut Network<'_>) -> Result<SyncReport, Error> {
        let _one_at_a_time = self.lock_sync()?;
        self.fetch(net)?;
        let before = self.sync_state()?;
        let fast_forwarded = if before.behind > 0 && before.blocked.is_none() {
            self.fast_forward()?
        } else {
            0
        };
        Ok(SyncReport {
            fetched: true,
            fast_forwarded,
            state: self.sync_state()?,
        })
    }

    /// Pushes the current branch to its upstream. A rejected push (the remote moved on) says so.
    pub fn push(&self, net: &mut Network<'_>) -> Result<(), Error> {
        let (branch, refname, remote_name) = self.upstream_remote()?;
        let git = self.git();
        let mut remote = git
            .find_remote(&remote_name)
            .map_err(|e| self.git_error(e))?;
        let url = remote.url().unwrap_or_default().to_owned();
        let upstream_branch = git
            .branch_upstream_name(&refname)
            .ok()
            .and_then(|b| b.as_str().map(str::to_owned))
            .and_then(|n| {
                n.strip_prefix(&format!("refs/remotes/{remote_name}/"))
                    .map(str::to_owned)
            })
            .unwrap_or(branch);
        let spec = format!("{refname}:refs/heads/{upstream_branch}");
        let rejected = std::cell::RefCell::new(None::<String>);
        let result = {
            let mut callbacks = net.callbacks(git.config().ok());
            callbacks.push_update_reference(|name, status| {
                if let Some(reason) = status {
                    *rejected.borrow_mut() = Some(format!("{name}: {reason}"));
                }
                Ok(())
            });
            let mut options = git2::PushOptions::new();
            options.remote_callbacks(callbacks);
            remote.push(&[spec.as_str()], Some(&mut options))
        };
        if let Some(reason) = rejected.into_inner() {
            return Err(Error::PushRejected {
                url: crate::redact_url(&url),
                refname: refname.clone(),
                reason,
            });
        }
        match result {
            Ok(()) => {
                net.succeeded();
                // Keep the remote-tracking branch in step, as `git push` does.
                let local = git.refname_to_id(&refname).map_err(|e| self.git_error(e))?;
                let tracking = format!("refs/remotes/{remote_name}/{upstream_branch}");
                git.reference(&tracking, local, true, "wheelhouse: push")
                    .map_err(|e| self.git_error(e))?;
                Ok(())
            }
            Err(e) if e.code() == git2::ErrorCode::NotFastForward => Err(Error::PushRejected {
                url: crate::redact_url(&url),
                refname,
                reason: "the remote has commits this branch does not have".into(),
            }),
            Err(e) => Err(net.error("The push", &url, e)),
        }
    }
}

/// Commits reachable from `from` but not from `hide`, newest first, at most 50.
fn commits_between(
    git: &git2::Repository,
    from: git2::Oid,
    hide: git2::Oid,
) -> Result<Vec<CommitSummary>, git2::Error> {
    let mut walk = git.revwalk()?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::TIME)?;
    walk.push(from)?;
    walk.hide(hide)?;
    walk.take(50)
        .map(|oid| git.find_commit(oid?).map(|c| summarize(&c)))
        .collect()
}

/// Files that differ between two commits.
fn changed_paths(
    git: &git2::Repository,
    a: &git2::Commit<'_>,
    b: &git2::Commit<'_>,
) -> Result<BTreeSet<String>, git2::Error> {
    let diff = git.diff_tree_to_tree(Some(&a.tree()?), Some(&b.tree()?), None)?;
    let mut out = BTreeSet::new();
    for delta in diff.deltas() {
        for file in [delta.old_file(), delta.new_file()] {
            if let Some(p) = file.path().and_then(|p| p.to_str()) {
                out.insert(p.replace('\\', "/"));
            }
        }
    }
    Ok(out)
}

impl Repository {
    /// Fetches explicit refspecs from the current branch's remote (approval notes, for instance,
    /// which a plain fetch leaves behind). A remote without those refs is not an error.
    pub fn fetch_refspecs(&self, refspecs: &[&str], net: &mut Network<'_>) -> Result<(), Error> {
        let (_, _, remote_name) = self.upstream_remote()?;
        self.fetch_refspecs_from(&remote_name, refspecs, net)
    }

    /// [`Repository::fetch_refspecs`] from `remote_name`.
    pub fn fetch_refspecs_from(
        &self,
        remote_name: &str,
        refspecs: &[&str],
        net: &mut Network<'_>,
    ) -> Result<(), Error> {
        let git = self.git();
        let mut remote = git
            .find_remote(remote_name)
            .map_err(|e| self.git_error(e))?;
        let url = remote.url().unwrap_or_default().to_owned();
        let result = {
            let mut options = git2::FetchOptions::new();
            options.remote_callbacks(net.callbacks(git.config().ok()));
            remote.fetch(
                refspecs,
                Some(&mut options),
                Some("wheelhouse: fetch notes"),
            )
        };
        match result {
            Ok(()) => {
                net.succeeded();
                Ok(())
            }
            Err(e) => Err(net.error("The fetch", &url, e)),
        }
    }

    /// Pushes explicit refspecs to the current branch's remote.
    pub fn push_refspecs(&self, refspecs: &[&str], net: &mut Network<'_>) -> Result<(), Error> {
        let (_, _, remote_name) = self.upstream_remote()?;
        self.push_refspecs_to(&remote_name, refspecs, net)
    }

    /// Pushes explicit refspecs to `remote_name`; a refused update says why.
    pub fn push_refspecs_to(
        &self,
        remote_name: &str,
        refspecs: &[&str],
        net: &mut Network<'_>,
    ) -> Result<(), Error> {
        self.push_refspecs_leased(remote_name, refspecs, None, net)
    }

    /// As [`Repository::push_refspecs_to`]; with `lease` (a remote ref and the id it must still
    /// have, zero: absent) the push goes only while the remote's ref is that — checked against
    /// what the remote advertises, and by the remote against what it has when it updates.
    pub(crate) fn push_refspecs_leased(
        &self,
        remote_name: &str,
        refspecs: &[&str],
        lease: Option<(&str, git2::Oid)>,
        net: &mut Network<'_>,
    ) -> Result<(), Error> {
        let git = self.git();
        let mut remote = git
            .find_remote(remote_name)
            .map_err(|e| self.git_error(e))?;
        let url = remote.url().unwrap_or_default().to_owned();
        let rejected = std::cell::RefCell::new(None::<String>);
        let result = {
            let mut callbacks = net.callbacks(git.config().ok());
            callbacks.push_update_reference(|name, status| {
                if let Some(reason) = status {
                    *rejected.borrow_mut() = Some(format!("{name}: {reason}"));
                }
                Ok(())
            });
            if let Some((refname, expected)) = lease {
                let rejected = &rejected;
                callbacks.push_negotiation(move |updates| {
                    for u in updates {
                        if u.dst_refname() == Some(refname) && u.src() != expected {
                            *rejected.borrow_mut() = Some(format!(
                                "{refname}: the remote's moved since it was last fetched"
                            ));
                            return Err(git2::Error::from_str("the lease does not hold"));
                        }
                    }
                    Ok(())
                });
            }
            let mut options = git2::PushOptions::new();
            options.remote_callbacks(callbacks);
            remote.push(refspecs, Some(&mut options))
        };
        if let Some(reason) = rejected.into_inner() {
            return Err(Error::PushRejected {
                url: crate::redact_url(&url),
                refname: refspecs.join(" "),
                reason,
            });
        }
        match result {
            Ok(()) => {
                net.succeeded();
                Ok(())
            }
            Err(e) => Err(net.error("The push", &url, e)),
        }
    }
}

/// Held while a sync runs ([`Repository::lock_sync`]); dropping it lets the next one start.
#[derive(Debug)]
pub struct SyncGuard {
    _file: Option<std::fs::File>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(items: &[&str]) -> BTreeSet<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    /// name, on a branch, operation under way, ahead, behind, dirty paths, incoming paths, plan.
    type Case<'a> = (
        &'a str,
        bool,
        Option<&'a str>,
        u32,
        u32,
        BTreeSet<String>,
        BTreeSet<String>,
        UpdatePlan,
    );

    #[test]
    fn update_plans() {
        let none = set(&[]);
        let cases: Vec<Case<'_>> = vec![
            (
                "nothing incoming",
                true,
                None,
                0,
                0,
                none.clone(),
                none.clone(),
                UpdatePlan::UpToDate,
            ),
            (
                "only outgoing",
                true,
                None,
                2,
                0,
                none.clone(),
                none.clone(),
                UpdatePlan::UpToDate,
            ),
            (
                "clean fast-forward",
                true,
                None,
                0,
                3,
                none.clone(),
                set(&["a.yaml"]),
                UpdatePlan::FastForward,
            ),
            (
                "edits elsewhere do not block",
                true,
                None,
                0,
                1,
                set(&["b.yaml"]),
                set(&["a.yaml"]),
                UpdatePlan::FastForward,
            ),
            (
                "edits to an incoming file block",
                true,
                None,
                0,
                1,
                set(&["a.yaml", "b.yaml"]),
                set(&["a.yaml"]),
                UpdatePlan::Blocked(UpdateBlock::LocalEdits {
                    paths: vec!["a.yaml".into()],
                }),
            ),
            (
                "diverged",
                true,
                None,
                1,
                2,
                none.clone(),
                none.clone(),
                UpdatePlan::Blocked(UpdateBlock::Diverged {
                    ahead: 1,
                    behind: 2,
                }),
            ),
            (
                "detached",
                false,
                None,
                0,
                1,
                none.clone(),
                none.clone(),
                UpdatePlan::Blocked(UpdateBlock::DetachedHead),
            ),
            (
                "rebase under way",
                true,
                Some("rebase"),
                0,
                1,
                none.clone(),
                none.clone(),
                UpdatePlan::Blocked(UpdateBlock::OperationInProgress {
                    operation: "rebase".into(),
                }),
            ),
        ];
        for (name, on_branch, op, ahead, behind, dirty, incoming, expected) in cases {
            assert_eq!(
                plan_update(on_branch, op, ahead, behind, &dirty, &incoming),
                expected,
                "{name}"
            );
        }
    }
}
