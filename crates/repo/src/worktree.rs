//! The working tree: what changed against the last commit, discarding one file, committing.
//!
//! Every path comes from outside (the UI, the CLI) and is checked to stay inside the repository
//! before anything is read or written: no absolute paths, no `..`, no symlink that leads out.

use crate::history::{file_diffs, FileDiff};
use crate::overview::{summarize, CommitSummary};
use crate::{Error, Repository};
use std::path::{Path, PathBuf};

impl Repository {
    /// Checks that `relative` names something inside the working tree and returns its full path
    /// (see [`wheelhouse_paths::on_disk`]: no absolute paths, no escaping `..`, nothing in
    /// `.git`, no symbolic link that leads out).
    pub fn resolve_inside(&self, relative: &str) -> Result<PathBuf, Error> {
        wheelhouse_paths::on_disk(self.root(), relative).map_err(|e| match e {
            wheelhouse_paths::Outside::Io { path, source } => Error::Io { path, source },
            _ => Error::PathOutsideRepository {
                path: relative.to_owned(),
            },
        })
    }

    /// Uncommitted changes of one file (index and working tree against HEAD), or of all files.
    pub fn working_diff(&self, path: Option<&str>) -> Result<Vec<FileDiff>, Error> {
        let git = self.git();
        let err = |e| self.git_error(e);
        let mut options = git2::DiffOptions::new();
        options
            .include_untracked(true)
            .recurse_untracked_dirs(true)
            .show_untracked_content(true)
            .context_lines(3);
        if let Some(p) = path {
            self.resolve_inside(p)?;
            options.pathspec(p).disable_pathspec_match(true);
        }
        let head_tree = git.head().and_then(|h| h.peel_to_tree()).map_err(err)?;
        let mut diff = git
            .diff_tree_to_workdir_with_index(Some(&head_tree), Some(&mut options))
            .map_err(err)?;
        diff.find_similar(None).map_err(err)?;
        file_diffs(&diff).map_err(err)
    }

    /// Throws away the uncommitted changes of one file: back to its last committed content, or
    /// removed if it was never committed. Other files are not touched.
    pub fn discard(&self, path: &str) -> Result<(), Error> {
        self.ensure_unlocked()?;
        self.ensure_no_operation()?;
        let full = self.resolve_inside(path)?;
        let git = self.git();
        let err = |e| self.git_error(e);
        let head_commit = git.head().and_then(|h| h.peel_to_commit()).map_err(err)?;
        let head_tree = head_commit.tree().map_err(err)?;
        let in_head = head_tree.get_path(Path::new(path)).is_ok();
        let mut index = git.index().map_err(err)?;
        if in_head {
            // Reset the index entry, then check the file out of it.
            git.reset_default(Some(head_commit.as_object()), [path])
                .map_err(err)?;
            let mut checkout = git2::build::CheckoutBuilder::new();
            checkout.force().path(path).update_index(true);
            git.checkout_head(Some(&mut checkout)).map_err(err)?;
        } else {
            if index.get_path(Path::new(path), 0).is_some() {
                index.remove_path(Path::new(path)).map_err(err)?;
                index.write().map_err(err)?;
            }
            if full.is_file() || full.is_symlink() {
                std::fs::remove_file(&full).map_err(|source| Error::Io {
                    path: full.clone(),
                    source,
                })?;
            }
        }
        tracing::info!(path, "discarded local changes");
        Ok(())
    }

    /// Commits every change in the working tree (like `git add -A && git commit -m`), authored by
    /// the identity in git config. Refuses when there is no identity or nothing to commit.
    pub fn commit_all(&self, message: &str) -> Result<CommitSummary, Error> {
        let message = message.trim();
        if message.is_empty() {
            return Err(Error::InvalidInput {
                message: "Write a commit message that says what changed and why.".into(),
            });
        }
        self.ensure_unlocked()?;
        self.ensure_no_operation()?;
        let signature = self.signature()?;
        let git = self.git();
        let err = |e| self.git_error(e);
        let head = git.head().map_err(err)?;
        if !head.is_branch() {
            return Err(Error::DetachedHead {
                path: self.root().to_path_buf(),
            });
        }
        let parent = head.peel_to_commit().map_err(err)?;
        let mut index = git.index().map_err(err)?;
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .map_err(err)?;
        index.update_all(["*"], None).map_err(err)?;
        let tree_id = index.write_tree().map_err(err)?;
        if tree_id == parent.tree_id() {
            return Err(Error::NothingToCommit);
        }
        index.write().map_err(err)?;
        let tree = git.find_tree(tree_id).map_err(err)?;
        let oid = git
            .commit(
                Some("HEAD"),
                &signature,
                &signature,
                &format!("{message}\n"),
                &tree,
                &[&parent],
            )
            .map_err(err)?;
        let commit = git.find_commit(oid).map_err(err)?;
        tracing::info!(commit = %oid, "committed");
        Ok(summarize(&commit))
    }

    /// Sets `user.name` and `user.email` in this repository's own config (not the global one).
    pub fn set_identity(&self, name: &str, email: &str) -> Result<(), Error> {
        let (name, email) = (name.trim(), email.trim());
        if name.is_empty() || !email.contains('@') {
            return Err(Error::InvalidInput {
                message: "Give a name and an email address (name@example.com).".into(),
            });
        }
        let mut config = self
            .git()
            .config()
            .and_then(|c| c.open_level(git2::ConfigLevel::Local))
            .map_err(|e| self.git_error(e))?;
        config
            .set_str("user.name", name)
            .map_err(|e| self.git_error(e))?;
        config
            .set_str("user.email", email)
            .map_err(|e| self.git_error(e))?;
        Ok(())
    }
}
