//! Why a repository could not be watched: a stable machine code plus a sentence for people.

use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// The stable code of a [`WatchError`]. Consumers match on this, never on the message. New codes
/// are added at the end; existing ones never change meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WatchErrorCode {
    PathNotFound,
    NotADirectory,
    /// The OS limit on watched folders was reached (inotify's `max_user_watches` on Linux).
    WatchLimitReached,
    WatchFailed,
}

impl WatchErrorCode {
    /// The code as it appears on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            WatchErrorCode::PathNotFound => "path_not_found",
            WatchErrorCode::NotADirectory => "not_a_directory",
            WatchErrorCode::WatchLimitReached => "watch_limit_reached",
            WatchErrorCode::WatchFailed => "watch_failed",
        }
    }
}

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
            WatchErrorCode::WatchFailed => {
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
