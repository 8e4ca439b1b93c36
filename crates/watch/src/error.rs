//! Why a repository could not be watched: a stable machine code plus a sentence for people.

use std::fmt;
use std::path::{Path, PathBuf};

/// The stable code of every [`WatchError`]: one of the one list, `wheelhouse_diagnostics::ErrorCode`.
/// Consumers match on it, never on the message.
pub use wheelhouse_diagnostics::ErrorCode as WatchErrorCode;

/// A repository folder that could not be watched. The message names the folder; watching never
/// changes anything on disk, so there is nothing to undo.
#[derive(Debug)]
pub struct WatchError {
    code: WatchErrorCode,
    path: PathBuf,
    source: Option<notify::Error>,
}

impl WatchError {
    pub(crate) fn new(code: WatchErrorCode, path: &Path) -> Self {
        WatchError {
            code,
            path: path.to_path_buf(),
            source: None,
        }
    }

    pub(crate) fn from_notify(path: &Path, source: notify::Error) -> Self {
        let code = match source.kind {
            notify::ErrorKind::MaxFilesWatch => WatchErrorCode::WatchLimitReached,
            notify::ErrorKind::PathNotFound => WatchErrorCode::PathNotFound,
            _ => WatchErrorCode::WatchFailed,
        };
        WatchError {
            code,
            path: path.to_path_buf(),
            source: Some(source),
        }
    }

    pub fn code(&self) -> WatchErrorCode {
        self.code
    }

    /// The folder that could not be watched.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl fmt::Display for WatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display();
        match self.code {
            WatchErrorCode::PathNotFound => {
                write!(f, "Cannot watch {path}: it does not exist. Check the path.")
            }
            WatchErrorCode::NotADirectory => write!(
                f,
                "Cannot watch {path}: it is a file, not a folder. Choose the repository's folder."
            ),
            WatchErrorCode::WatchLimitReached => write!(
                f,
                "Cannot watch {path}: the system limit on watched folders was reached. On Linux, \
                 raise it (sysctl fs.inotify.max_user_watches=524288). Until then, changes made \
                 outside Wheelhouse show only when you refresh."
            ),
            _ => {
                write!(f, "Cannot watch {path} for changes")?;
                if let Some(source) = &self.source {
                    write!(f, ": {source}")?;
                }
                write!(
                    f,
                    ". Changes made outside Wheelhouse show only when you refresh."
                )
            }
        }
    }
}

impl std::error::Error for WatchError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}
