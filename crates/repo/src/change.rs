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
        let signature = self.signature()?;
        self.commit_to_new_branch_by(branch, files, message, &signature)
    }

    /// [`Self::commit_to_new_branch`] for what a machine drafts (a monitor's incident): by the
    /// repository's identity when it has one, else by `Wheelhouse <wheelhouse@localhost>` (a
    /// CI runner often has none).
    pub fn draft_to_new_branch(
        &self,
        branch: &str,
        files: &[(String, String)],
        message: &str,
    ) -> Result<(String, CommitSummary), Error> {
        let signature = match self.signature() {
            Ok(s) => s,
            Err(_) => git2::Signature::now("Wheelhouse", "wheelhouse@localhost")
                .map_err(|e| self.git_error(e))?,
        };
        self.commit_to_new_branch_by(branch, files, message, &signature)
    }

    fn commit_to_new_branch_by(
        &self,
        branch: &str,
        files: &[(String, String)],
        message: &str,
        signature: &git2::Signature<'_>,
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
        let mut name = branch.to_owned();
        let mut n = 2;
        while git.find_branch(&name, git2::BranchType::Local).is_ok() {
            name = format!("{branch}-{n}");
            n += 1;
        }
        let oid = git
            .commit(
                None,
                signature,
                signature,
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

/// A branch that targets the main branch and has commits it does not: a change awaiting review.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct ChangeBranch {
    /// `change/promote-api` (local) or `origin/change/promote-api` (only on the remote).
    pub name: String,
    pub remote: bool,
    pub head: CommitSummary,
    /// The merge base with the target.
    pub base: String,
    /// The change's own commits, newest first.
    pub commits: Vec<CommitSummary>,
    /// Paths the change touches (against the merge base).
    pub files: Vec<String>,
    /// Identifies the change's content: the same for a rebase that changes nothing.
    pub content_id: String,
    /// Commits on the target since the merge base.
    pub behind_target: u32,
}

impl Repository {
    fn resolve_branch(&self, name: &str) -> Result<(git2::Oid, bool), Error> {
        let git = self.git();
        if let Ok(b) = git.find_branch(name, git2::BranchType::Local) {
            if let Some(oid) = b.get().target() {
                return Ok((oid, false));
            }
        }
        if let Ok(b) = git.find_branch(name, git2::BranchType::Remote) {
            if let Some(oid) = b.get().target() {
                return Ok((oid, true));
            }
        }
        let oid = git
            .revparse_single(name)
            .and_then(|o| o.peel_to_commit())
            .map(|c| c.id())
            .map_err(|_| Error::CommitNotFound {
                id: name.to_owned(),
            })?;
        Ok((oid, false))
    }

    /// Describes `head` as a change against `target` (a branch name or commit).
    pub fn describe_change(
        &self,
        name: &str,
        head: &str,
        target: &str,
    ) -> Result<ChangeBranch, Error> {
        let git = self.git();
        let err = |e| self.git_error(e);
        let (head_oid, remote) = self.resolve_branch(head)?;
        let (target_oid, _) = self.resolve_branch(target)?;
        let base = git.merge_base(head_oid, target_oid).map_err(err)?;
        let mut walk = git.revwalk().map_err(err)?;
        walk.push(head_oid).map_err(err)?;
        walk.hide(base).map_err(err)?;
        let commits = walk
            .take(100)
            .map(|oid| git.find_commit(oid?).map(|c| summarize(&c)))
            .collect::<Result<Vec<_>, _>>()
            .map_err(err)?;
        let (_, behind) = git.graph_ahead_behind(head_oid, target_oid).map_err(err)?;
        let (files, content_id) = self.content_of(base, head_oid)?;
        Ok(ChangeBranch {
            name: name.to_owned(),
            remote,
            head: summarize(&git.find_commit(head_oid).map_err(err)?),
            base: base.to_string(),
            commits,
            files,
            content_id,
            behind_target: behind as u32,
        })
    }

    /// Changed paths from `base` to `head`, and an id of that content: a hash over every changed
    /// path with its old and new blob. A rebase that changes nothing keeps the id.
    pub fn content_of(
        &self,
        base: git2::Oid,
        head: git2::Oid,
    ) -> Result<(Vec<String>, String), Error> {
        let git = self.git();
        let err = |e| self.git_error(e);
        let old = git.find_commit(base).and_then(|c| c.tree()).map_err(err)?;
        let new = git.find_commit(head).and_then(|c| c.tree()).map_err(err)?;
        let diff = git
            .diff_tree_to_tree(Some(&old), Some(&new), None)
            .map_err(err)?;
        let mut lines = Vec::new();
        let mut files = Vec::new();
        for d in diff.deltas() {
            let path = d
                .new_file()
                .path()
                .or(d.old_file().path())
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            lines.push(format!(
                "{path}\t{}\t{}",
                d.old_file().id(),
                d.new_file().id()
            ));
            files.push(path);
        }
        lines.sort();
        files.sort();
        let id = git2::Oid::hash_object(git2::ObjectType::Blob, lines.join("\n").as_bytes())
            .map_err(err)?;
        Ok((files, id.to_string()))
    }

    /// Every branch (local, or only on the remote) with commits `target` does not have, and a
    /// commit in common with it.
    pub fn list_changes(&self, target: &str) -> Result<Vec<ChangeBranch>, Error> {
        let git = self.git();
        let err = |e| self.git_error(e);
        let (target_oid, _) = self.resolve_branch(target)?;
        let mut out: Vec<ChangeBranch> = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for kind in [git2::BranchType::Local, git2::BranchType::Remote] {
            for branch in git.branches(Some(kind)).map_err(err)? {
                let (branch, _) = branch.map_err(err)?;
                let Some(name) = branch.name().ok().flatten().map(str::to_owned) else {
                    continue;
                };
                let short = match kind {
                    git2::BranchType::Remote => match name.split_once('/') {
                        Some((_, rest)) if rest != "HEAD" => rest.to_owned(),
                        _ => continue,
                    },
                    git2::BranchType::Local => name.clone(),
                };
                if short == target || !seen.insert(short.clone()) {
                    continue;
                }
                let Some(oid) = branch.get().target() else {
                    continue;
                };
                let (ahead, _) = git.graph_ahead_behind(oid, target_oid).map_err(err)?;
                if ahead == 0 {
                    continue;
                }
                // A branch of its own history (the published pages, the monitors' records)
                // shares no commit with the target: not a change to it.
                if git.merge_base(oid, target_oid).is_err() {
                    continue;
                }
                out.push(self.describe_change(&name, &name, target)?);
            }
        }
        out.sort_by_key(|c| std::cmp::Reverse(c.head.time_unix));
        Ok(out)
    }

    /// The bytes of every file under `prefixes` (or all files when empty) in a commit's tree.
    pub fn files_at(
        &self,
        rev: &str,
        wanted: impl Fn(&str) -> bool,
    ) -> Result<std::collections::BTreeMap<String, Vec<u8>>, Error> {
        let git = self.git();
        let err = |e| self.git_error(e);
        let (oid, _) = self.resolve_branch(rev)?;
        let tree = git.find_commit(oid).and_then(|c| c.tree()).map_err(err)?;
        let mut blobs: Vec<(String, git2::Oid)> = Vec::new();
        tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
            if entry.kind() == Some(git2::ObjectType::Blob) {
                let path = format!("{dir}{}", entry.name().unwrap_or_default());
                if wanted(&path) {
                    blobs.push((path, entry.id()));
                }
            }
            git2::TreeWalkResult::Ok
        })
        .map_err(err)?;
        // Thousands of blobs are inflated on every core, each thread with its own handle (a
        // libgit2 repository is not shared between threads).
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(8);
        if threads <= 1 || blobs.len() < 256 {
            return Ok(blobs
                .into_iter()
                .filter_map(|(path, id)| Some((path, git.find_blob(id).ok()?.content().to_vec())))
                .collect());
        }
        let chunk = blobs.len().div_ceil(threads);
        let path = git.path().to_owned();
        type Part = Result<Vec<(String, Vec<u8>)>, git2::Error>;
        let parts: Vec<Part> = std::thread::scope(|scope| {
            let handles: Vec<_> = blobs
                .chunks(chunk)
                .map(|part| {
                    let path = &path;
                    scope.spawn(move || {
                        let git = git2::Repository::open(path)?;
                        Ok(part
                            .iter()
                            .filter_map(|(p, id)| {
                                Some((p.clone(), git.find_blob(*id).ok()?.content().to_vec()))
                            })
                            .collect())
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("blob reader thread"))
                .collect()
        });
        let mut out = std::collections::BTreeMap::new();
        for part in parts {
            out.extend(part.map_err(err)?);
        }
        Ok(out)
    }

    /// The symbolic links among `paths` at `rev`, with the path each points to.
    pub fn symlinks_at(&self, rev: &str, paths: &[String]) -> Result<Vec<(String, String)>, Error> {
        let git = self.git();
        let err = |e| self.git_error(e);
        let (oid, _) = self.resolve_branch(rev)?;
        let tree = git.find_commit(oid).and_then(|c| c.tree()).map_err(err)?;
        let mut out = Vec::new();
        for path in paths {
            let Ok(entry) = tree.get_path(std::path::Path::new(path)) else {
                continue;
            };
            if entry.filemode() == 0o120000 {
                let target = git
                    .find_blob(entry.id())
                    .map(|b| String::from_utf8_lossy(b.content()).into_owned())
                    .unwrap_or_default();
                out.push((path.clone(), target));
            }
        }
        Ok(out)
    }
}
