//! Why a status page could not be loaded: a stable code, the file, the line and column, a sentence.

use serde::Serialize;
use std::fmt;

/// Stable codes consumers match on; the message is for people only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusErrorCode {
    /// A required file is absent (`page.yaml`).
    MissingFile,
    /// A file that is not UTF-8, or a Markdown file whose name cannot be a slug.
    InvalidFile,
    /// Not YAML, or YAML of the wrong shape (unknown field, wrong type, missing field).
    InvalidYaml,
    /// A Markdown file without front matter between `---` lines.
    InvalidFrontMatter,
    /// A component, incident or maintenance status, or an impact, that does not exist.
    UnknownStatus,
    /// A time that is not RFC 3339 with an offset, or a window that ends before it starts.
    InvalidTime,
    /// A time zone that is not in the IANA database.
    InvalidTimeZone,
    /// An incident update dated before the incident started.
    UpdateBeforeStart,
    /// Two components with the same id.
    DuplicateComponent,
    /// An incident, maintenance or template naming a component that does not exist.
    UnknownComponent,
    /// Two maintenances of the same component whose windows overlap.
    OverlappingMaintenance,
    /// Well-formed but meaningless: an empty name, a colour that is not one, a bad URL…
    InvalidValue,
}

impl StatusErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            StatusErrorCode::MissingFile => "missing_file",
            StatusErrorCode::InvalidFile => "invalid_file",
            StatusErrorCode::InvalidYaml => "invalid_yaml",
            StatusErrorCode::InvalidFrontMatter => "invalid_front_matter",
            StatusErrorCode::UnknownStatus => "unknown_status",
            StatusErrorCode::InvalidTime => "invalid_time",
            StatusErrorCode::InvalidTimeZone => "invalid_time_zone",
            StatusErrorCode::UpdateBeforeStart => "update_before_start",
            StatusErrorCode::DuplicateComponent => "duplicate_component",
            StatusErrorCode::UnknownComponent => "unknown_component",
            StatusErrorCode::OverlappingMaintenance => "overlapping_maintenance",
            StatusErrorCode::InvalidValue => "invalid_value",
        }
    }
}

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
