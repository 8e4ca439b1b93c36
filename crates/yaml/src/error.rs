//! Why a YAML file could not be read, or why an edit was refused: a stable code, a place in the
//! file and a sentence for people.

use serde::Serialize;
use std::fmt;

/// Why a file could not be read as YAML. Consumers match on this, never on the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum YamlErrorKind {
    /// Not valid YAML.
    Syntax,
    /// The same key twice in one mapping.
    DuplicateKey,
    /// Larger than the size limit.
    TooLarge,
    /// NUL bytes or not UTF-8.
    Binary,
    /// Valid YAML using a construct this layer does not model (complex keys, extreme nesting).
    Unsupported,
}

/// A file that could not be read as YAML, with the place of the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub kind: YamlErrorKind,
    pub file: String,
    /// 1-based; 0 when the problem is the whole file (size, encoding).
    pub line: u32,
    /// 1-based, in characters; 0 when the problem is the whole file.
    pub column: u32,
    pub message: String,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

impl std::error::Error for YamlError {}

/// Why an edit was refused. Consumers match on this, never on the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EditErrorKind {
    /// The file has no document with that number.
    NoSuchDocument,
    /// The path names nothing and the edit does not create it.
    NotFound,
    /// The path is empty or asks for something that cannot be created (a sequence index).
    InvalidPath,
    /// The path goes through a scalar, or expects a mapping where there is a sequence (or back).
    WrongShape,
    /// The path goes through an alias (`*name`), or the target is one.
    ThroughAlias,
    /// The target is, or is inside, an anchored node (`&name`) that aliases refer to.
    AnchoredTarget,
    /// The target is a construct this layer does not edit (a flow pair without braces, a
    /// compact nested sequence item).
    Unsupported,
    /// The edit would have produced text that does not read back as intended. A bug: reported
    /// instead of writing a damaged file.
    Internal,
}

/// An edit that was refused, with the place in the file that explains why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditError {
    pub kind: EditErrorKind,
    pub file: String,
    /// 1-based line of the node that explains the refusal (0 when there is none).
    pub line: u32,
    /// 1-based column, in characters (0 when there is none).
    pub column: u32,
    pub message: String,
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

impl std::error::Error for EditError {}
