//! Why a status page could not be loaded: a stable code, the file, the line and column, a sentence.

use serde::Serialize;
use std::fmt;

/// Stable codes consumers match on (the one list, `wheelhouse_diagnostics::ErrorCode`); the
/// message is for people only.
pub use wheelhouse_diagnostics::ErrorCode as StatusErrorCode;

/// A problem in one of the status page's files, located to the character.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusError {
    pub code: StatusErrorCode,
    /// The file's path as given to [`crate::load`], e.g. `incidents/2026-10-16-api-errors.md`.
    pub file: String,
    /// 1-based, counted in the whole file (front matter included); 0 when unknown.
    pub line: u32,
    /// 1-based, in characters; 0 when unknown.
    pub column: u32,
    pub message: String,
}

impl fmt::Display for StatusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )
        }
    }
}

impl std::error::Error for StatusError {}

impl From<StatusError> for wheelhouse_diagnostics::Problem {
    fn from(e: StatusError) -> Self {
        wheelhouse_diagnostics::Problem::new(e.code, e.message).at(
            e.file,
            (e.line > 0).then_some(e.line),
            (e.column > 0).then_some(e.column),
        )
    }
}

impl StatusError {
    pub(crate) fn new(
        code: StatusErrorCode,
        file: &str,
        at: Position,
        message: impl Into<String>,
    ) -> Self {
        StatusError {
            code,
            file: file.to_string(),
            line: at.line,
            column: at.column,
            message: message.into(),
        }
    }

    /// The same error with its file named from a parent folder, e.g. `status/` + `page.yaml`.
    pub fn in_folder(mut self, folder: &str) -> Self {
        let folder = folder.trim_end_matches('/');
        if !folder.is_empty() {
            self.file = format!("{folder}/{}", self.file);
        }
        self
    }

    /// A YAML syntax or shape error; `line_offset` is the number of lines before the YAML text
    /// in its file (the front matter's opening `---`).
    pub(crate) fn from_yaml(file: &str, line_offset: u32, error: &serde_saphyr::Error) -> Self {
        let position = error
            .location()
            .map(|l| (clamp(l.line()), clamp(l.column())))
            .unwrap_or((0, 0));
        let rendered = error.render_with_options(serde_saphyr::render_options! {
            snippets: serde_saphyr::SnippetMode::Off,
            formatter: &serde_saphyr::UserMessageFormatter,
        });
        // The plain rendering appends the position; ours goes in front, once.
        let suffix = format!(" at line {}, column {}", position.0, position.1);
        let message = rendered
            .strip_suffix(&suffix)
            .unwrap_or(&rendered)
            .to_string();
        let at = if position.0 == 0 {
            Position::UNKNOWN
        } else {
            Position {
                line: position.0 + line_offset,
                column: position.1,
            }
        };
        StatusError::new(StatusErrorCode::InvalidYaml, file, at, message)
    }
}

/// A place in a file, 1-based; (0, 0) when unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Position {
    pub line: u32,
    pub column: u32,
}

impl Position {
    pub const UNKNOWN: Position = Position { line: 0, column: 0 };
    pub const START: Position = Position { line: 1, column: 1 };

    /// Where a spanned YAML value starts, shifted by the lines before the YAML text.
    pub fn of<T>(spanned: &serde_saphyr::Spanned<T>, line_offset: u32) -> Position {
        let line = clamp(spanned.referenced.line());
        if line == 0 {
            return Position::UNKNOWN;
        }
        Position {
            line: line + line_offset,
            column: clamp(spanned.referenced.column()),
        }
    }
}

fn clamp(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
