//! History: commits filtered by path, folder and author; one commit with its diff; rollback.
//!
//! Pages are cheap (a revwalk that stops after `limit` matches) so the UI can scroll through
//! 50,000 commits by asking for more. Rollback creates a revert commit on a new change branch and
//! never touches the working tree or the checked-out branch.

use crate::overview::{summarize, CommitSummary};
use crate::{Error, Repository};
use serde::Serialize;
use ts_rs::TS;

/// Which commits to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryFilter {
    /// Only commits that change this file or anything under this folder (repository-relative).
    pub path: Option<String>,
    /// Only commits whose author name or email contains this text (case-insensitive).
    pub author: Option<String>,
    /// Start after this many matching commits.
    pub skip: usize,
    pub limit: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct HistoryPage {
    pub commits: Vec<CommitSummary>,
    /// Whether more matching commits follow this page.
    pub has_more: bool,
}

/// One commit in full, with its changes against its first parent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CommitDetail {
    pub commit: CommitSummary,
    pub message: String,
    pub committer_name: String,
    pub parents: Vec<String>,
    pub files: Vec<FileDiff>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FileDiff {
    pub path: String,
    /// The previous path, for renames.
    pub old_path: Option<String>,
    pub status: DiffStatus,
    pub additions: u32,
    pub deletions: u32,
    pub binary: bool,
    pub hunks: Vec<DiffHunk>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DiffStatus {
    Added,
    Modified,
    Deleted,
    Renamed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DiffHunk {
    /// `@@ -12,3 +12,3 @@` and the function context Git found, if any.
    pub header: String,
    pub lines: Vec<DiffLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DiffLine {
    pub kind: LineKind,
    pub old_line: Option<u32>,
    pub new_line: Option<u32>,
    /// The line without its newline.
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    Context,
    Added,
    Removed,
}

/// What a rollback created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Rollback {
    pub branch: String,
    pub commit: CommitSummary,
}

impl Repository {
    /// A page of history from HEAD, newest first.
    pub fn history(&self, filter: &HistoryFilter) -> Result<HistoryPage, Error> {
        let git = self.git();
        let err = |e| self.git_error(e);
        let mut walk = git.revwalk().map_err(err)?;
        walk.set_sorting(git2::Sort::NONE).map_err(err)?;
        walk.push_head().map_err(err)?;
        let path = filter
            .path
            .as_deref()
            .map(|p| p.trim_matches('/').to_owned())
            .filter(|p| !p.is_empty());
        let author = filter.author.as_deref().map(str::to_lowercase);
        let mut commits = Vec::new();
        let mut matched = 0usize;
        for oid in walk {
            let commit = git.find_commit(oid.map_err(err)?).map_err(err)?;
            if let Some(needle) = &author {
                let a = commit.author();
                let hay = format!(
                    "{} {}",
                    a.name().unwrap_or_default(),
                    a.email().unwrap_or_default()
                )
                .to_lowercase();
                if !hay.contains(needle) {
                    continue;
                }
            }
            if let Some(path) = &path {
                if !touches(&commit, path).map_err(err)? {
                    continue;
                }
            }
            matched += 1;
            if matched <= filter.skip {
                continue;
            }
            if commits.len() == filter.limit {
                return Ok(HistoryPage {
                    commits,
                    has_more: true,
                });
            }
            commits.push(summarize(&commit));
        }
        Ok(HistoryPage {
            commits,
            has_more: false,
        })
    }

    fn find_commit(&self, id: &str) -> Result<git2::Commit<'_>, Error> {
        let not_found = || Error::CommitNotFound { id: id.to_owned() };
        let object = self.git().revparse_single(id).map_err(|_| not_found())?;
        object.peel_to_commit().map_err(|_| not_found())
    }

    /// One commit with its diff against its first parent (or the empty tree for a root commit).
    pub fn commit_detail(&self, id: &str) -> Result<CommitDetail, Error> {
        let git = self.git();
        let err = |e| self.git_error(e);
        let commit = self.find_commit(id)?;
        let tree = commit.tree().map_err(err)?;
        let parent_tree = match commit.parent(0) {
            Ok(p) => Some(p.tree().map_err(err)?),
            Err(_) => None,
        };
        let mut options = git2::DiffOptions::new();
        options.context_lines(3);
        let mut diff = git
            .diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), Some(&mut options))
            .map_err(err)?;
        diff.find_similar(None).map_err(err)?;
        let committer_name = commit.committer().name().unwrap_or_default().to_owned();
        Ok(CommitDetail {
            commit: summarize(&commit),
            message: commit.message().unwrap_or_default().to_owned(),
            committer_name,
            parents: commit.parent_ids().map(|p| p.to_string()).collect(),
            files: file_diffs(&diff).map_err(err)?,
        })
    }

    /// The file diff from commit `base` to commit `head` (what a change branch changes).
    pub fn diff_between(&self, base: &str, head: &str) -> Result<Vec<FileDiff>, Error> {
        let git = self.git();
        let err = |e| self.git_error(e);
        let tree = |id: &str| -> Result<git2::Tree<'_>, Error> {
            self.find_commit(id)?.tree().map_err(err)
        };
        let (old, new) = (tree(base)?, tree(head)?);
        let mut options = git2::DiffOptions::new();
        options.context_lines(3);
        let mut diff = git
            .diff_tree_to_tree(Some(&old), Some(&new), Some(&mut options))
            .map_err(err)?;
        diff.find_similar(None).map_err(err)?;
        file_diffs(&diff).map_err(err)
    }

    /// Reverts `id` in a new commit on a new branch `change/revert-<short id>`, based on HEAD.
    /// The working tree and the checked-out branch are not touched.
    pub fn rollback(&self, id: &str) -> Result<Rollback, Error> {
        let git = self.git();
        let err = |e| self.git_error(e);
        let target = self.find_commit(id)?;
        let head = git.head().and_then(|h| h.peel_to_commit()).map_err(err)?;
        let mainline = if target.parent_count() > 1 { 1 } else { 0 };
        let mut index = git
            .revert_commit(&target, &head, mainline, None)
            .map_err(err)?;
        if index.has_conflicts() {
            let mut paths: Vec<String> = index
                .conflicts()
                .map_err(err)?
                .filter_map(Result::ok)
                .filter_map(|c| c.our.or(c.their).or(c.ancestor))
                .map(|e| String::from_utf8_lossy(&e.path).into_owned())
                .collect();
            paths.sort();
            paths.dedup();
            return Err(Error::RevertConflict {
                commit: target.id().to_string()[..7].to_owned(),
                paths,
            });
        }
        let tree_id = index.write_tree_to(git).map_err(err)?;
        let tree = git.find_tree(tree_id).map_err(err)?;
        let signature = self.signature()?;
        let short = &target.id().to_string()[..7];
        let mut branch = format!("change/revert-{short}");
        let mut n = 2;
        while git.find_branch(&branch, git2::BranchType::Local).is_ok() {
            branch = format!("change/revert-{short}-{n}");
            n += 1;
        }
        let message = format!(
            "Revert \"{}\"\n\nThis reverts commit {}.\n",
            target.summary().unwrap_or_default(),
            target.id()
        );
        let oid = git
            .commit(None, &signature, &signature, &message, &tree, &[&head])
            .map_err(err)?;
        let created = git.find_commit(oid).map_err(err)?;
        git.branch(&branch, &created, false).map_err(err)?;
        tracing::info!(%branch, reverted = %target.id(), "rollback branch created");
        Ok(Rollback {
            branch,
            commit: summarize(&created),
        })
    }

    /// The author for new commits, from the user's and the repository's git config.
    pub(crate) fn signature(&self) -> Result<git2::Signature<'static>, Error> {
        self.git().signature().map_err(|_| Error::IdentityMissing {
            path: self.root().to_path_buf(),
        })
    }
}

/// Whether `commit` changes `path` (a file or a folder) compared with its first parent.
fn touches(commit: &git2::Commit<'_>, path: &str) -> Result<bool, git2::Error> {
    let entry_id = |tree: &git2::Tree<'_>| {
        tree.get_path(std::path::Path::new(path))
            .ok()
            .map(|e| e.id())
    };
    let mine = entry_id(&commit.tree()?);
    let parents = commit.parent_count();
    if parents == 0 {
        return Ok(mine.is_some());
    }
    // A merge touches the path only if it differs from every parent, as git log's default does.
    for parent in commit.parents() {
        if entry_id(&parent.tree()?) == mine {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Turns a libgit2 diff into the view the UI shows.
pub(crate) fn file_diffs(diff: &git2::Diff<'_>) -> Result<Vec<FileDiff>, git2::Error> {
    let mut files = Vec::new();
    for (i, delta) in diff.deltas().enumerate() {
        let path_of = |f: git2::DiffFile<'_>| {
            f.path()
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default()
        };
        let new_path = path_of(delta.new_file());
        let old_path = path_of(delta.old_file());
        let status = match delta.status() {
            git2::Delta::Added | git2::Delta::Untracked => DiffStatus::Added,
            git2::Delta::Deleted => DiffStatus::Deleted,
            git2::Delta::Renamed => DiffStatus::Renamed,
            _ => DiffStatus::Modified,
        };
        let mut file = FileDiff {
            path: if status == DiffStatus::Deleted {
                old_path.clone()
            } else {
                new_path.clone()
            },
            old_path: (status == DiffStatus::Renamed).then_some(old_path),
            status,
            additions: 0,
            deletions: 0,
            binary: delta.flags().is_binary(),
            hunks: Vec::new(),
        };
        if let Some(patch) = git2::Patch::from_diff(diff, i)? {
            file.binary = file.binary || patch.delta().flags().is_binary();
            for h in 0..patch.num_hunks() {
                let (hunk, count) = patch.hunk(h)?;
                let mut lines = Vec::with_capacity(count);
                for l in 0..count {
                    let line = patch.line_in_hunk(h, l)?;
                    let kind = match line.origin() {
                        '+' => LineKind::Added,
                        '-' => LineKind::Removed,
                        ' ' => LineKind::Context,
                        _ => continue,
                    };
                    match kind {
                        LineKind::Added => file.additions += 1,
                        LineKind::Removed => file.deletions += 1,
                        LineKind::Context => {}
                    }
                    let text = String::from_utf8_lossy(line.content());
                    lines.push(DiffLine {
                        kind,
                        old_line: line.old_lineno(),
                        new_line: line.new_lineno(),
                        text: text.trim_end_matches(['\n', '\r']).to_owned(),
                    });
                }
                file.hunks.push(DiffHunk {
                    header: String::from_utf8_lossy(hunk.header()).trim_end().to_owned(),
                    lines,
                });
            }
        }
        files.push(file);
    }
    Ok(files)
}
