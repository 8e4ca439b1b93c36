//! An edit's error (coded from the one list, located in the status folder) and the words the
//! edits take (component, incident and maintenance statuses, impacts), parsed with a message
//! that lists the valid ones.

use crate::error::StatusError;
use crate::error::StatusErrorCode;
use crate::model::{ComponentStatus, Impact, IncidentStatus, MaintenanceStatus};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// A file an edit creates: its path inside the status folder and its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewFile {
    /// e.g. `incidents/2026-11-06-checkout-errors.md`.
    pub path: String,
    pub text: String,
}

/// Stable codes consumers match on (the one list, `wheelhouse_diagnostics::ErrorCode`); the
/// message is for people only.
pub use wheelhouse_diagnostics::ErrorCode as EditErrorCode;

/// The edit code for a problem the loader reports in a result.
fn code_of_problem(code: StatusErrorCode) -> EditErrorCode {
    match code {
        StatusErrorCode::UnknownStatus => EditErrorCode::UnknownStatus,
        StatusErrorCode::InvalidTime => EditErrorCode::InvalidTime,
        StatusErrorCode::InvalidTimeZone => EditErrorCode::InvalidTimeZone,
        StatusErrorCode::UpdateBeforeStart => EditErrorCode::UpdateBeforeStart,
        StatusErrorCode::UnknownComponent => EditErrorCode::UnknownComponent,
        StatusErrorCode::OverlappingMaintenance => EditErrorCode::OverlappingMaintenance,
        StatusErrorCode::DuplicateComponent | StatusErrorCode::InvalidValue => {
            EditErrorCode::InvalidValue
        }
        // MissingFile, InvalidFile, InvalidYaml, InvalidFrontMatter: the file cannot be edited.
        _ => EditErrorCode::InvalidFile,
    }
}

/// Why an edit was refused. Nothing was changed; the file named (inside the status folder)
/// explains it, at the line and column when there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EditError {
    pub code: EditErrorCode,
    /// The file's path inside the status folder, e.g. `components.yaml`.
    pub file: String,
    /// 1-based, counted in the whole file; 0 when the refusal has no place in it.
    pub line: u32,
    /// 1-based, in characters; 0 when unknown.
    pub column: u32,
    pub message: String,
    /// When the file or the result does not load: every problem, located.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<StatusError>,
}

impl EditError {
    pub(crate) fn new(code: EditErrorCode, file: &str, message: impl Into<String>) -> Self {
        EditError {
            code,
            file: file.to_string(),
            line: 0,
            column: 0,
            message: message.into(),
            problems: Vec::new(),
        }
    }

    pub(crate) fn at(mut self, line: u32, column: u32) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    /// The stable code (`unknown_component`, …).
    pub fn code(&self) -> EditErrorCode {
        self.code
    }

    /// A result that would not load: the first problem decides the code and the place.
    pub(crate) fn would_not_load(problems: Vec<StatusError>) -> Self {
        let first = problems[0].clone();
        let more = match problems.len() - 1 {
            0 => String::new(),
            n => format!(" (and {n} more problem{})", if n == 1 { "" } else { "s" }),
        };
        EditError {
            code: code_of_problem(first.code),
            file: first.file.clone(),
            line: first.line,
            column: first.column,
            message: format!("{}{more}; nothing was written", first.message),
            problems,
        }
    }

    /// A file that does not load as it is, so it cannot be edited.
    pub(crate) fn does_not_load(file: &str, problems: Vec<StatusError>) -> Self {
        let first = problems.first().cloned();
        let mut e = EditError::new(
            EditErrorCode::InvalidFile,
            file,
            match &first {
                Some(p) => format!(
                    "{file} has errors ({}); fix them before editing it",
                    p.message
                ),
                None => format!("{file} has errors; fix them before editing it"),
            },
        );
        if let Some(p) = first {
            e = e.at(p.line, p.column);
        }
        e.problems = problems;
        e
    }

    /// The same error with its files named from a parent folder, e.g. `status/` + `page.yaml`.
    pub fn in_folder(mut self, folder: &str) -> Self {
        let folder = folder.trim_end_matches('/');
        if !folder.is_empty() {
            self.file = format!("{folder}/{}", self.file);
            self.problems = self
                .problems
                .into_iter()
                .map(|p| p.in_folder(folder))
                .collect();
        }
        self
    }
}

/// The located form: the message (with the first three problems of a result that would not
/// load), the file inside the status folder, its line and column when there are.
impl From<EditError> for wheelhouse_diagnostics::Problem {
    fn from(e: EditError) -> Self {
        let mut message = e.message.clone();
        for p in e.problems.iter().take(3) {
            message.push_str(&format!("\n{p}"));
        }
        let problem = wheelhouse_diagnostics::Problem::new(e.code, message);
        if e.file.is_empty() {
            problem
        } else {
            problem.at(
                e.file,
                (e.line > 0).then_some(e.line),
                (e.column > 0).then_some(e.column),
            )
        }
    }
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.file.is_empty(), self.line) {
            (true, _) => write!(f, "{}", self.message),
            (false, 0) => write!(f, "{}: {}", self.file, self.message),
            _ => write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            ),
        }
    }
}

impl std::error::Error for EditError {}

fn unknown_word<T: Copy>(
    word: &str,
    what: &str,
    all: &[T],
    name: fn(T) -> &'static str,
) -> EditError {
    let list: Vec<&str> = all.iter().map(|w| name(*w)).collect();
    EditError::new(
        EditErrorCode::UnknownStatus,
        "",
        format!("`{word}` is not {what}; use one of {}", list.join(", ")),
    )
}

impl FromStr for ComponentStatus {
    type Err = EditError;
    fn from_str(word: &str) -> Result<Self, EditError> {
        ComponentStatus::parse(word.trim()).ok_or_else(|| {
            unknown_word(
                word,
                "a component status",
                &ComponentStatus::ALL,
                ComponentStatus::as_str,
            )
        })
    }
}

impl FromStr for IncidentStatus {
    type Err = EditError;
    fn from_str(word: &str) -> Result<Self, EditError> {
        IncidentStatus::parse(word.trim()).ok_or_else(|| {
            unknown_word(
                word,
                "an incident status",
                &IncidentStatus::ALL,
                IncidentStatus::as_str,
            )
        })
    }
}

impl FromStr for MaintenanceStatus {
    type Err = EditError;
    fn from_str(word: &str) -> Result<Self, EditError> {
        MaintenanceStatus::parse(word.trim()).ok_or_else(|| {
            unknown_word(
                word,
                "a maintenance status",
                &MaintenanceStatus::ALL,
                MaintenanceStatus::as_str,
            )
        })
    }
}

impl FromStr for Impact {
    type Err = EditError;
    fn from_str(word: &str) -> Result<Self, EditError> {
        Impact::parse(word.trim())
            .ok_or_else(|| unknown_word(word, "an impact", &Impact::ALL, Impact::as_str))
    }
}
