//! Change branches: a commit of new file contents on a new branch, made from HEAD without
//! touching the working tree or the checked-out branch (how promotions and rollbacks become
//! changes that wait for approval).

use crate::overview::{summarize, CommitSummary};
use crate::{Error, Repository};
use std::path::Path;

impl Repository {
    /// Commits `files` (repository-relative path, new content) on top of HEAD as a new branch
    /// `branch` (a numeric suffix is added when the name is taken). Returns the branch name and
    /// the commit.
    pub fn commit_to_new_branch(
        &self,
        branch: &str,
        files: &[(String, String)],
        message: &str,
    ) -> Result<(String, CommitSummary), Error> {
        let git = self.git();
        let err = |e| self.git_error(e);
        for (path, _) in files {
            self.resolve_inside(path)?;
        }
        let head = git.head().and_then(|h| h.peel_to_commit()).map_err(err)?;
        let mut update = git2::build::TreeUpdateBuilder::new();
        for (path, content) in files {
            let blob = git.blob(content.as_bytes()).map_err(err)?;
            let executable = head
                .tree()
                .ok()
                .and_then(|t| t.get_path(Path::new(path)).ok())
                .is_some_and(|e| e.filemode() == i32::from(git2::FileMode::BlobExecutable));
            let mode = if executable {
                git2::FileMode::BlobExecutable
            } else {
                git2::FileMode::Blob
            };
            update.upsert(path.as_str(), blob, mode);
        }
        let tree_id = update
            .create_updated(git, &head.tree().map_err(err)?)
            .map_err(err)?;
        let tree = git.find_tree(tree_id).map_err(err)?;
        let signature = self.signature()?;
        let mut name = branch.to_owned();
        let mut n = 2;
        while git.find_branch(&name, git2::BranchType::Local).is_ok() {
            name = format!("{branch}-{n}");
            n += 1;
        }
        let oid = git
            .commit(
                None,
                &signature,
                &signature,
                &format!("{}\n", message.trim_end()),
                &tree,
                &[&head],
            )
            .map_err(err)?;
        let commit = git.find_commit(oid).map_err(err)?;
        git.branch(&name, &commit, false).map_err(err)?;
        tracing::info!(branch = %name, commit = %oid, "change branch created");
        Ok((name, summarize(&commit)))
    }
}
