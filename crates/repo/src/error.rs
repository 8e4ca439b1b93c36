//! Why a repository could not be opened or read: a stable machine code plus a sentence for people.

use std::path::PathBuf;

pub use wheelhouse_diagnostics::ErrorCode;

wheelhouse_diagnostics::from_coded!(Error);

/// An error from opening or reading a repository. Messages name the path and say how to fix it;
/// they never contain credentials (remote URLs are redacted before they reach an error).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{} does not exist. Check the path; nothing was changed.", path.display())]
    PathNotFound { path: PathBuf },
    #[error("{} is a file, not a folder. Choose the folder that holds the repository.", path.display())]
    NotADirectory { path: PathBuf },
    #[error("{} is not a Git repository{}. Nothing was changed.", path.display(), enclosing_hint(enclosing))]
    NotARepository {
        path: PathBuf,
        enclosing: Option<PathBuf>,
    },
    #[error("{} is a bare repository: it has no working tree to show or edit. Clone it first (git clone {} my-gitops) and open the clone.", path.display(), path.display())]
    BareRepository { path: PathBuf },
    #[error("{} is an empty repository: it has no commits and no files yet. Add your manifests, commit them, and open it again.", path.display())]
    EmptyRepository { path: PathBuf },
    #[error("{} has no commits yet. Commit its files first (git add -A && git commit -m \"Initial commit\"), then open it again.", path.display())]
    NoCommits { path: PathBuf },
    #[error("No repository is open. Open a folder, clone a repository or try the demo.")]
    NoRepositoryOpen,
    #[error("{} already exists and is not empty. Choose a new folder; nothing was written.", path.display())]
    DestinationNotEmpty { path: PathBuf },
    #[error("{url} asks for credentials and none are stored for it. Sign in once: in the app, Sync now (or Push) asks for them; on the command line, wheelhouse login HOST stores them in the system keyring. Nothing was written.")]
    AuthRequired { url: String },
    #[error("Could not clone {url}: {reason}. Nothing was written.")]
    CloneFailed { url: String, reason: String },
    #[error("{url} rejected the credentials for {user}. Nothing was stored; check the user name and token and try again.")]
    AuthFailed { url: String, user: String },
    #[error("{what} was cancelled. Nothing was left half-written.")]
    Cancelled { what: String },
    #[error("{url} cannot be reached ({reason}). You are working offline; nothing was changed.")]
    RemoteUnreachable { url: String, reason: String },
    #[error("{url} is not a Git repository that can be cloned or fetched ({reason}). Check the URL; nothing was written.")]
    NotAGitRemote { url: String, reason: String },
    #[error("\"{url}\" is not a URL Git can use. Use https://host/path.git, ssh://user@host/path.git, user@host:path.git or file:///path.")]
    InvalidUrl { url: String },
    #[error("Another Git process is using {}: {} exists. Wait for it to finish; if none is running, delete that file. Nothing was changed.", path.display(), lock.display())]
    IndexLocked { path: PathBuf, lock: PathBuf },
    #[error("{} is in the middle of a {operation}. Finish or abort it with git first (git {operation} --continue or --abort); nothing was changed.", path.display())]
    OperationInProgress { path: PathBuf, operation: String },
    #[error("Git does not know who you are in {}: set user.name and user.email (Wheelhouse can set them for this repository). Nothing was committed.", path.display())]
    IdentityMissing { path: PathBuf },
    #[error("\"{path}\" is outside the repository. Nothing was changed.")]
    PathOutsideRepository { path: String },
    #[error("Reverting {commit} conflicts with later changes to {}. Nothing was changed; revert it by hand or revert the later commits first.", paths.join(", "))]
    RevertConflict { commit: String, paths: Vec<String> },
    #[error("Merging into {target} conflicts in {}. Nothing was changed; update the change from {target} first.", paths.join(", "))]
    MergeConflict { target: String, paths: Vec<String> },
    #[error("{target} cannot be fast-forwarded: it has commits the change lacks. Nothing was changed; rebase the change on {target}, or merge with a merge commit.")]
    NotFastForward { target: String },
    #[error("{branch} here and on {remote} have diverged: each has commits the other lacks. Nothing was published and nothing is forced; reconcile them with git first.")]
    BranchDiverged { branch: String, remote: String },
    #[error("There is no commit {id} in this repository.")]
    CommitNotFound { id: String },
    #[error("There is nothing to commit: the working tree matches the last commit.")]
    NothingToCommit,
    #[error("{url} refused the push of {refname}: {reason}. Pull first, then push again; nothing was lost.")]
    PushRejected {
        url: String,
        refname: String,
        reason: String,
    },
    #[error("HEAD is detached in {}: check out a branch first. Nothing was changed.", path.display())]
    DetachedHead { path: PathBuf },
    #[error("The branch {branch} has no upstream branch to sync with. Push it with an upstream first (git push -u origin {branch}).")]
    NoUpstream { branch: String },
    #[error("{path} changed on disk since it was read. Nothing was overwritten; look at the new content and try again.")]
    FileChanged { path: String },
    #[error("The incoming commits were not applied: {}", describe_block(block))]
    UpdateBlocked { block: crate::sync::UpdateBlock },
    #[error("{message}")]
    InvalidInput { message: String },
    #[error("Git could not read {}: {}", path.display(), source.message())]
    Git { path: PathBuf, source: git2::Error },
    #[error("Could not read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// A sentence saying why incoming commits wait, and what to do about it.
pub fn describe_block(block: &crate::sync::UpdateBlock) -> String {
    use crate::sync::UpdateBlock as B;
    match block {
        B::Diverged { ahead, behind } => format!(
            "this branch has {ahead} commit(s) the remote lacks and the remote has {behind} this branch lacks; they must be merged or rebased. Nothing was changed."
        ),
        B::LocalEdits { paths } => format!(
            "they change {}, which you have edited and not committed. Commit or discard those edits first; nothing was changed.",
            paths.join(", ")
        ),
        B::DetachedHead => "HEAD is not on a branch. Check out a branch first; nothing was changed.".into(),
        B::OperationInProgress { operation } => format!(
            "a {operation} is under way. Finish or abort it first; nothing was changed."
        ),
    }
}

fn enclosing_hint(enclosing: &Option<PathBuf>) -> String {
    match enclosing {
        Some(root) => format!(
            " itself; it is inside the repository at {}. Open that folder instead",
            root.display()
        ),
        None => {
            " (it has no .git folder). Choose the folder you cloned, or run git init there first"
                .to_string()
        }
    }
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::PathNotFound { .. } => ErrorCode::PathNotFound,
            Error::NotADirectory { .. } => ErrorCode::NotADirectory,
            Error::NotARepository { .. } => ErrorCode::NotARepository,
            Error::BareRepository { .. } => ErrorCode::BareRepository,
            Error::EmptyRepository { .. } => ErrorCode::EmptyRepository,
            Error::NoCommits { .. } => ErrorCode::NoCommits,
            Error::NoRepositoryOpen => ErrorCode::NoRepositoryOpen,
            Error::DestinationNotEmpty { .. } => ErrorCode::DestinationNotEmpty,
            Error::InvalidInput { .. } => ErrorCode::InvalidInput,
            Error::Git { .. } => ErrorCode::Git,
            Error::Io { .. } => ErrorCode::Io,
            Error::AuthRequired { .. } => ErrorCode::AuthRequired,
            Error::CloneFailed { .. } => ErrorCode::CloneFailed,
            Error::AuthFailed { .. } => ErrorCode::AuthFailed,
            Error::Cancelled { .. } => ErrorCode::Cancelled,
            Error::RemoteUnreachable { .. } => ErrorCode::RemoteUnreachable,
            Error::NotAGitRemote { .. } => ErrorCode::NotAGitRemote,
            Error::InvalidUrl { .. } => ErrorCode::InvalidUrl,
            Error::IndexLocked { .. } => ErrorCode::IndexLocked,
            Error::OperationInProgress { .. } => ErrorCode::OperationInProgress,
            Error::IdentityMissing { .. } => ErrorCode::IdentityMissing,
            Error::PathOutsideRepository { .. } => ErrorCode::PathOutsideRepository,
            Error::RevertConflict { .. } => ErrorCode::RevertConflict,
            Error::CommitNotFound { .. } => ErrorCode::CommitNotFound,
            Error::MergeConflict { .. } => ErrorCode::MergeConflict,
            Error::NotFastForward { .. } | Error::BranchDiverged { .. } => {
                ErrorCode::NotFastForward
            }
            Error::NothingToCommit => ErrorCode::NothingToCommit,
            Error::PushRejected { .. } => ErrorCode::PushRejected,
            Error::DetachedHead { .. } => ErrorCode::DetachedHead,
            Error::NoUpstream { .. } => ErrorCode::NoUpstream,
            Error::FileChanged { .. } => ErrorCode::FileChanged,
            Error::UpdateBlocked { .. } => ErrorCode::UpdateBlocked,
        }
    }
}
