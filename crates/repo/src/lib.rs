//! A GitOps repository as Git sees it: open, read, change, and exchange with its remotes.
//!
//! It turns a folder into a [`Repository`] (or a precise [`Error`] saying why it cannot) and reads
//! what a person needs to see first: branch, upstream, remotes, working-tree changes and recent
//! commits ([`RepoOverview`]); the [`history`] of a file or folder and one commit's diff; change
//! branches ([`ChangeBranch`]). It writes commits, discards a file's edits, reverts a commit as a
//! change branch and merges one ([`MergeStrategy`]). It [`clone`]s, fetches, fast-forwards when
//! safe ([`sync`], one sync of a repository at a time) and pushes, asking for credentials through
//! a [`network::Network`] (keyring first, then a person). It keeps the list of recently opened
//! repositories ([`recent`]) and the time verdicts are judged by ([`clock`]).
//!
//! Not for: desired state, approvals and the status page (their own crates, which read Git
//! objects through this one or, for notes, with git2 themselves). Reading never writes: opening a
//! repository, even one that fails to open, leaves every byte on disk as it was.

mod change;
pub mod clock;
pub use change::ChangeBranch;
mod clone;
mod error;
mod merge;
pub use merge::MergeStrategy;
pub mod history;
pub mod network;
mod overview;
pub mod pages;
pub mod recent;
pub mod sync;
mod worktree;

pub use clone::clone;
pub use error::{describe_block, Error, ErrorCode};
pub use overview::redact_url;
pub use overview::{
    ChangeKind, CommitSummary, FileChange, HeadState, RemoteSummary, RepoOverview, UpstreamState,
    WorkingTree, WORKING_TREE_LIMIT,
};

use std::path::{Path, PathBuf};

/// An opened, non-bare Git repository with at least one commit.
pub struct Repository {
    git: git2::Repository,
    root: PathBuf,
}

impl std::fmt::Debug for Repository {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Repository")
            .field("root", &self.root)
            .finish()
    }
}

impl Repository {
    /// Opens the repository whose working tree is exactly `path`.
    ///
    /// Refuses, with a distinct [`ErrorCode`], a path that does not exist, a file, a folder that
    /// is not a repository (naming the enclosing repository if `path` is inside one), a bare
    /// repository, and a repository without commits.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let meta = std::fs::metadata(path).map_err(|source| {
            if source.kind() == std::io::ErrorKind::NotFound {
                Error::PathNotFound {
                    path: path.to_path_buf(),
                }
            } else {
                Error::Io {
                    path: path.to_path_buf(),
                    source,
                }
            }
        })?;
        if !meta.is_dir() {
            return Err(Error::NotADirectory {
                path: path.to_path_buf(),
            });
        }
        let git = match git2::Repository::open_ext(
            path,
            git2::RepositoryOpenFlags::NO_SEARCH,
            std::iter::empty::<&std::ffi::OsStr>(),
        ) {
            Ok(git) => git,
            Err(e) if e.code() == git2::ErrorCode::NotFound => {
                let enclosing = git2::Repository::discover(path)
                    .ok()
                    .and_then(|r| r.workdir().map(Path::to_path_buf));
                return Err(Error::NotARepository {
                    path: path.to_path_buf(),
                    enclosing,
                });
            }
            Err(source) => {
                return Err(Error::Git {
                    path: path.to_path_buf(),
                    source,
                })
            }
        };
        if git.is_bare() {
            return Err(Error::BareRepository {
                path: path.to_path_buf(),
            });
        }
        let root = git
            .workdir()
            .map(|p| p.components().collect::<PathBuf>())
            .unwrap_or_else(|| path.to_path_buf());
        if git.head().is_err() || git.is_empty().unwrap_or(false) {
            let has_files = std::fs::read_dir(&root)
                .map(|entries| {
                    entries
                        .filter_map(Result::ok)
                        .any(|e| e.file_name() != ".git")
                })
                .unwrap_or(false);
            return Err(if has_files {
                Error::NoCommits { path: root }
            } else {
                Error::EmptyRepository { path: root }
            });
        }
        Ok(Self { git, root })
    }

    /// The working tree's root of the repository at `path`, one without commits included (a
    /// status page is often begun right after `git init`): for commands that only write files
    /// for a first commit. Refuses what [`Repository::open`] refuses otherwise.
    pub fn working_tree(path: impl AsRef<Path>) -> Result<PathBuf, Error> {
        match Self::open(path) {
            Ok(repo) => Ok(repo.root),
            Err(Error::EmptyRepository { path } | Error::NoCommits { path }) => Ok(path),
            Err(e) => Err(e),
        }
    }

    /// `path` when plain file checks show it is the root of a repository with commits (a `.git`
    /// folder whose HEAD names a branch with a loose ref); `None` when they cannot tell, and
    /// [`Repository::open`] must say. For commands that only read the working tree: opening
    /// through libgit2 first loads the system's TLS certificates, which costs more than reading
    /// a large repository's files.
    pub fn quick_root(path: impl AsRef<Path>) -> Option<PathBuf> {
        let path = path.as_ref();
        let git = path.join(".git");
        let head = std::fs::read_to_string(git.join("HEAD")).ok()?;
        let branch = head.trim_end().strip_prefix("ref: refs/heads/")?;
        if branch.is_empty() || branch.split('/').any(|s| s.is_empty() || s == "..") {
            return None;
        }
        git.join("refs/heads")
            .join(branch)
            .is_file()
            .then(|| path.to_path_buf())
    }

    /// The working tree's root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The folder's name, which is what people call the repository.
    pub fn name(&self) -> String {
        self.root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.root.display().to_string())
    }

    /// Reads branch, upstream, remotes, working-tree changes and the latest `commit_limit` commits.
    pub fn overview(&self, commit_limit: usize) -> Result<RepoOverview, Error> {
        overview::read(self, commit_limit)
    }

    pub(crate) fn git(&self) -> &git2::Repository {
        &self.git
    }

    pub(crate) fn git_error(&self, source: git2::Error) -> Error {
        Error::Git {
            path: self.root.clone(),
            source,
        }
    }
}
