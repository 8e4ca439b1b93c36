//! Why a repository could not be opened or read: a stable machine code plus a sentence for people.

use serde::Serialize;
use std::path::PathBuf;
use ts_rs::TS;

/// The stable code of every error the app and the CLI report. Consumers match on this, never on
/// the message. New codes are added at the end; existing ones never change meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    PathNotFound,
    NotADirectory,
    NotARepository,
    BareRepository,
    EmptyRepository,
    NoCommits,
    NoRepositoryOpen,
    DestinationNotEmpty,
    InvalidInput,
    Git,
    Io,
    AuthRequired,
    CloneFailed,
}

impl ErrorCode {
    /// The code as it appears on the wire and in `--json` output.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::PathNotFound => "path_not_found",
            ErrorCode::NotADirectory => "not_a_directory",
            ErrorCode::NotARepository => "not_a_repository",
            ErrorCode::BareRepository => "bare_repository",
            ErrorCode::EmptyRepository => "empty_repository",
            ErrorCode::NoCommits => "no_commits",
            ErrorCode::NoRepositoryOpen => "no_repository_open",
            ErrorCode::DestinationNotEmpty => "destination_not_empty",
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::Git => "git",
            ErrorCode::Io => "io",
            ErrorCode::AuthRequired => "auth_required",
            ErrorCode::CloneFailed => "clone_failed",
        }
    }
}

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
    #[error("{url} asked for credentials. Signing in to remotes is not available yet: clone over file:// or a public URL. Nothing was written.")]
    AuthRequired { url: String },
    #[error("Could not clone {url}: {reason}. Nothing was written.")]
    CloneFailed { url: String, reason: String },
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
        }
    }
}
