//! The first thing a person sees of a repository: where HEAD is, how it relates to its upstream,
//! which remotes it has, what changed in the working tree, and the latest commits.

use crate::{Error, Repository};
use serde::Serialize;
use std::path::Path;
use ts_rs::TS;

/// How many working-tree entries an overview carries at most; `WorkingTree::total` says how many
/// there are in all.
pub const WORKING_TREE_LIMIT: usize = 500;

#[derive(Debug, Clone, Serialize, TS)]
pub struct RepoOverview {
    /// The folder name.
    pub name: String,
    /// The working tree's root, absolute, for display.
    pub path: String,
    pub head: HeadState,
    pub upstream: Option<UpstreamState>,
    pub remotes: Vec<RemoteSummary>,
    pub local_branches: Vec<String>,
    pub working_tree: WorkingTree,
    pub commits: Vec<CommitSummary>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct HeadState {
    /// The checked-out branch, or `None` when HEAD is detached.
    pub branch: Option<String>,
    pub commit: CommitSummary,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct UpstreamState {
    /// The remote-tracking branch, e.g. `origin/main`.
    pub name: String,
    /// Commits on the local branch that the upstream lacks.
    pub ahead: u32,
    /// Commits on the upstream (as of the last fetch) that the local branch lacks.
    pub behind: u32,
    /// When the repository was last fetched (Unix seconds), if ever.
    #[ts(type = "number | null")]
    pub last_fetched_unix: Option<i64>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct RemoteSummary {
    pub name: String,
    /// The fetch URL with any user password or token removed.
    pub url: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct WorkingTree {
    pub clean: bool,
    /// Every changed path, in path order (at most [`WORKING_TREE_LIMIT`]).
    pub changes: Vec<FileChange>,
    /// How many changed paths there are in all.
    pub total: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FileChange {
    /// Path relative to the repository root, with `/` separators.
    pub path: String,
    pub kind: ChangeKind,
    /// Whether the change is in the index (staged) rather than only in the working tree.
    pub staged: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Modified,
    Deleted,
    Renamed,
    TypeChanged,
    Untracked,
    Conflicted,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CommitSummary {
    pub id: String,
    pub short_id: String,
    pub summary: String,
    pub author_name: String,
    pub author_email: String,
    /// Author time, Unix seconds.
    #[ts(type = "number")]
    pub time_unix: i64,
    /// The author's UTC offset in minutes, as recorded in the commit.
    pub offset_minutes: i32,
}

pub(crate) fn read(repo: &Repository, commit_limit: usize) -> Result<RepoOverview, Error> {
    let git = repo.git();
    let err = |e| repo.git_error(e);

    let head_ref = git.head().map_err(err)?;
    let head_commit = head_ref.peel_to_commit().map_err(err)?;
    let branch = if head_ref.is_branch() {
        head_ref.shorthand().map(str::to_owned)
    } else {
        None
    };

    let upstream = match &branch {
        Some(name) => read_upstream(git, name)?,
        None => None,
    };

    let mut remotes = Vec::new();
    for name in git.remotes().map_err(err)?.iter().flatten() {
        let remote = git.find_remote(name).map_err(err)?;
        remotes.push(RemoteSummary {
            name: name.to_owned(),
            url: remote.url().map(redact_url).unwrap_or_default(),
        });
    }

    let mut local_branches: Vec<String> = git
        .branches(Some(git2::BranchType::Local))
        .map_err(err)?
        .filter_map(Result::ok)
        .filter_map(|(b, _)| b.name().ok().flatten().map(str::to_owned))
        .collect();
    local_branches.sort();

    Ok(RepoOverview {
        name: repo.name(),
        path: repo.root().display().to_string(),
        head: HeadState {
            branch,
            commit: summarize(&head_commit),
        },
        upstream,
        remotes,
        local_branches,
        working_tree: read_working_tree(git).map_err(err)?,
        commits: read_commits(git, commit_limit).map_err(err)?,
    })
}

fn read_upstream(git: &git2::Repository, branch: &str) -> Result<Option<UpstreamState>, Error> {
    let local = match git.find_branch(branch, git2::BranchType::Local) {
        Ok(b) => b,
        Err(_) => return Ok(None),
    };
    let Ok(upstream) = local.upstream() else {
        return Ok(None);
    };
    let (Some(local_oid), Some(upstream_oid)) = (local.get().target(), upstream.get().target())
    else {
        return Ok(None);
    };
    let (ahead, behind) = git
        .graph_ahead_behind(local_oid, upstream_oid)
        .map_err(|source| Error::Git {
            path: git.path().to_path_buf(),
            source,
        })?;
    Ok(Some(UpstreamState {
        name: upstream
            .name()
            .ok()
            .flatten()
            .unwrap_or_default()
            .to_owned(),
        ahead: ahead as u32,
        behind: behind as u32,
        last_fetched_unix: last_fetched(git.path()),
    }))
}

/// Git touches FETCH_HEAD on every fetch; its modification time is when we last heard from a remote.
fn last_fetched(git_dir: &Path) -> Option<i64> {
    let modified = std::fs::metadata(git_dir.join("FETCH_HEAD"))
        .and_then(|m| m.modified())
        .ok()?;
    modified
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .map(|d| d.as_secs() as i64)
}

fn read_working_tree(git: &git2::Repository) -> Result<WorkingTree, git2::Error> {
    let mut options = git2::StatusOptions::new();
    options
        .include_untracked(true)
        .recurse_untracked_dirs(true)
        .exclude_submodules(true)
        .renames_head_to_index(true);
    let statuses = git.statuses(Some(&mut options))?;
    let mut changes = Vec::new();
    for entry in statuses.iter() {
        // A name that is not UTF-8 is still shown (with U+FFFD where bytes do not decode),
        // never silently dropped.
        let path = String::from_utf8_lossy(entry.path_bytes()).into_owned();
        let s = entry.status();
        let (kind, staged) = if s.is_conflicted() {
            (ChangeKind::Conflicted, false)
        } else if s.is_wt_new() {
            (ChangeKind::Untracked, false)
        } else if s.is_index_new() {
            (ChangeKind::Added, true)
        } else if s.is_index_renamed() || s.is_wt_renamed() {
            (ChangeKind::Renamed, s.is_index_renamed())
        } else if s.is_index_deleted() || s.is_wt_deleted() {
            (ChangeKind::Deleted, s.is_index_deleted())
        } else if s.is_index_typechange() || s.is_wt_typechange() {
            (ChangeKind::TypeChanged, s.is_index_typechange())
        } else if s.is_index_modified() || s.is_wt_modified() {
            (
                ChangeKind::Modified,
                s.is_index_modified() && !s.is_wt_modified(),
            )
        } else {
            continue;
        };
        changes.push(FileChange { path, kind, staged });
    }
    changes.sort_by(|a, b| a.path.cmp(&b.path));
    let total = changes.len() as u32;
    changes.truncate(WORKING_TREE_LIMIT);
    Ok(WorkingTree {
        clean: total == 0,
        changes,
        total,
    })
}

fn read_commits(git: &git2::Repository, limit: usize) -> Result<Vec<CommitSummary>, git2::Error> {
    let mut walk = git.revwalk()?;
    walk.set_sorting(git2::Sort::NONE)?;
    walk.push_head()?;
    walk.take(limit)
        .map(|oid| git.find_commit(oid?).map(|c| summarize(&c)))
        .collect()
}

pub(crate) fn summarize(commit: &git2::Commit<'_>) -> CommitSummary {
    let author = commit.author();
    let id = commit.id().to_string();
    CommitSummary {
        short_id: id[..7].to_owned(),
        id,
        summary: commit.summary().unwrap_or_default().to_owned(),
        author_name: author.name().unwrap_or_default().to_owned(),
        author_email: author.email().unwrap_or_default().to_owned(),
        time_unix: author.when().seconds(),
        offset_minutes: author.when().offset_minutes(),
    }
}

/// Removes a password or token from a URL so it can be shown, logged or sent to the UI.
/// scp-style SSH addresses (`git@host:path`) carry no secret and are returned as they are.
pub fn redact_url(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(None);
            parsed.to_string()
        }
        _ => raw.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn redact_url_removes_tokens_but_keeps_user_and_host() {
        assert_eq!(
            redact_url("https://maya:ghp_s3cret@git.example.com/acme/gitops.git"),
            "https://maya@git.example.com/acme/gitops.git"
        );
        assert_eq!(
            redact_url("git@github.com:acme/gitops.git"),
            "git@github.com:acme/gitops.git"
        );
        assert_eq!(redact_url("file:///srv/git/a.git"), "file:///srv/git/a.git");
    }
}
