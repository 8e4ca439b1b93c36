//! Why a policy file could not be read: a stable code, the file, the line and column, a sentence.

use serde::Serialize;
use std::fmt;
use ts_rs::TS;

/// Stable codes consumers match on (the one list, `wheelhouse_diagnostics::ErrorCode`); the
/// message is for people only.
pub use wheelhouse_diagnostics::ErrorCode as PolicyErrorCode;

/// A problem in one of the policy files, located to the character.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PolicyError {
    pub code: PolicyErrorCode,
    /// The label the caller gave the file, e.g. `.wheelhouse/policy.yaml`.
    pub file: String,
    /// 1-based; 0 only when the YAML parser could not tell where the problem is.
    pub line: u32,
    /// 1-based, in characters; 0 when unknown.
    pub column: u32,
    pub message: String,
}

impl fmt::Display for PolicyError {
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

impl std::error::Error for PolicyError {}

impl From<PolicyError> for wheelhouse_diagnostics::Problem {
    fn from(e: PolicyError) -> Self {
        wheelhouse_diagnostics::Problem::new(e.code, e.message).at(
            e.file,
            (e.line > 0).then_some(e.line),
            (e.column > 0).then_some(e.column),
        )
    }
}

impl PolicyError {
    pub(crate) fn new(
        code: PolicyErrorCode,
        file: &str,
        (line, column): (u32, u32),
        message: impl Into<String>,
    ) -> Self {
        PolicyError {
            code,
            file: file.to_string(),
            line,
            column,
            message: message.into(),
        }
    }

    pub(crate) fn from_yaml(file: &str, error: &serde_saphyr::Error) -> Self {
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
        PolicyError::new(PolicyErrorCode::InvalidYaml, file, position, message)
    }
}

/// Where a spanned YAML value starts, as (line, column).
pub(crate) fn position<T>(spanned: &serde_saphyr::Spanned<T>) -> (u32, u32) {
    (
        clamp(spanned.referenced.line()),
        clamp(spanned.referenced.column()),
    )
}

fn clamp(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
