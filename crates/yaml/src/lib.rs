//! The format-preserving YAML engine — where every value is written, edits that change only its
//! bytes, errors with their line and column — and the one atomic, conflict-checked writer of
//! repository files ([`write`]), used by desired state, the status page and approvals alike.
//!
//! What it is for: reading Kubernetes, Kustomize and Helm files so that every key and value
//! carries its byte span, line and column (for provenance: "set in overlays/prod/
//! kustomization.yaml, images[0].newTag, line 12"), and editing them the way a careful person
//! would: the new text is spliced into the original string, so comments, key order, quoting,
//! indentation, anchors, flow style, blank lines, CRLF line breaks, `---` documents and a missing
//! final newline are all kept byte for byte outside the edited value.
//!
//! What it is not for: evaluating YAML. Aliases are not expanded and merge keys (`<<`) are not
//! applied here (the render's values expand them; [`parse`] refuses a document whose aliases
//! would expand past [`MAX_ALIAS_EXPANSION`] nodes); tags are kept in the text but only the core ones (`!!str`, `!!int`, ...) change how a
//! scalar is typed. It does not know Kubernetes: callers give paths.
//!
//! Parsing is `saphyr-parser`, a YAML 1.2 event parser checked against the YAML test suite;
//! this crate builds its own tree with exact byte spans from the events and the text. Every edit is
//! a pure function from the parsed file to new text, and re-parses its result to check that the
//! edited value reads back as intended before returning it.

mod edit;
mod error;
mod load;
mod scalar;
mod text;
pub mod write;

pub use edit::{
    append_item, apply_splices, insertion_point, remove_item, set_scalar, upsert, Splice,
};
pub use error::{EditError, EditErrorKind, YamlError, YamlErrorKind};
pub use scalar::NewValue;
use std::collections::HashMap;
pub use text::LineIndex;
pub use write::{unified_diff, write_atomic, write_files, FileWrite, WriteError};

use std::fmt;

/// Files larger than this are not parsed (the caller lists them as not understood).
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;

/// Where a node is written: byte offsets into the file's text, and the 1-based line and column
/// (in characters) of its first byte.
///
/// A scalar's span is exactly its written value: quotes included, a block scalar from its
/// `|`/`>` to the end of its last non-blank line; anchors, tags and comments are outside it. An
/// empty (null) value has an empty span just after its `:` or `-`. A block collection runs from
/// its first key or `-` to the end of its last value; a flow collection from `{`/`[` to
/// `}`/`]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub line: u32,
    pub column: u32,
}

/// One step of a path into a document: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathSeg {
    Key(String),
    Index(usize),
}

/// How a scalar is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    /// `|`
    Literal,
    /// `>`
    Folded,
}

/// What a scalar loads as under the YAML 1.2 core schema (quoted and block scalars are strings;
/// a core tag such as `!!str` decides over the text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScalarKind {
    Null,
    Bool,
    Int,
    Float,
    Str,
}

/// A mapping entry. Keys are scalars; their text is the loaded key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

/// A node of a document, with where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Map {
        entries: Vec<Entry>,
        span: Span,
        /// Written `{...}`, or a single pair inside a flow sequence (`[a: 1]`).
        flow: bool,
        anchor: Option<String>,
    },
    Seq {
        items: Vec<Node>,
        span: Span,
        /// Written `[...]`.
        flow: bool,
        anchor: Option<String>,
    },
    /// `value` is the loaded text (unescaped, folded); for a null it is the written text
    /// (empty, `~` or `null`) and `kind` says it is null.
    Scalar {
        value: String,
        style: ScalarStyle,
        kind: ScalarKind,
        span: Span,
        anchor: Option<String>,
    },
    /// `*name`, not expanded.
    Alias { name: String, span: Span },
}

impl Node {
    pub fn span(&self) -> Span {
        match self {
            Node::Map { span, .. }
            | Node::Seq { span, .. }
            | Node::Scalar { span, .. }
            | Node::Alias { span, .. } => *span,
        }
    }

    /// The anchor (`&name`) defined on this node.
    pub fn anchor(&self) -> Option<&str> {
        match self {
            Node::Map { anchor, .. } | Node::Seq { anchor, .. } | Node::Scalar { anchor, .. } => {
                anchor.as_deref()
            }
            Node::Alias { .. } => None,
        }
    }

    /// The loaded text of a non-null scalar.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::Scalar { value, kind, .. } if *kind != ScalarKind::Null => Some(value),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(
            self,
            Node::Scalar {
                kind: ScalarKind::Null,
                ..
            }
        )
    }

    /// The value under `key` in a mapping.
    pub fn get_key(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map { entries, .. } => entries.iter().find(|e| e.key == key).map(|e| &e.value),
            _ => None,
        }
    }

    /// The node at `path` below this one. Aliases are not followed.
    pub fn get(&self, path: &[PathSeg]) -> Option<&Node> {
        path.iter().try_fold(self, |node, seg| match (node, seg) {
            (Node::Map { .. }, PathSeg::Key(k)) => node.get_key(k),
            (Node::Seq { items, .. }, PathSeg::Index(i)) => items.get(*i),
            _ => None,
        })
    }
}

/// A parsed file: its original text and its documents.
#[derive(Debug, Clone)]
pub struct YamlFile {
    label: String,
    text: String,
    documents: Vec<Node>,
    lines: LineIndex,
}

impl YamlFile {
    /// The label given to [`parse`], used in error messages.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The original text, unchanged.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// One root node per document (`---`). A file of only comments has none.
    pub fn documents(&self) -> &[Node] {
        &self.documents
    }

    /// The node at `path` in document `doc`. Aliases are not followed.
    pub fn get(&self, doc: usize, path: &[PathSeg]) -> Option<&Node> {
        self.documents.get(doc)?.get(path)
    }

    /// The node carrying anchor `&name` in document `doc` (aliases only refer within a document).
    pub fn anchor(&self, doc: usize, name: &str) -> Option<&Node> {
        fn find<'n>(node: &'n Node, name: &str) -> Option<&'n Node> {
            if node.anchor() == Some(name) {
                return Some(node);
            }
            match node {
                Node::Map { entries, .. } => entries.iter().find_map(|e| find(&e.value, name)),
                Node::Seq { items, .. } => items.iter().find_map(|n| find(n, name)),
                _ => None,
            }
        }
        find(self.documents.get(doc)?, name)
    }

    /// The start of every line of [`text`](YamlFile::text), for finding lines by offset.
    pub fn lines(&self) -> &LineIndex {
        &self.lines
    }

    /// 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> u32 {
        text::to_u32(self.lines.line_of(offset.min(self.text.len())) + 1)
    }
}

/// Parses `text`; `file_label` names the file in errors. Refuses files over
/// [`MAX_FILE_BYTES`].
pub fn parse(file_label: &str, text: &str) -> Result<YamlFile, YamlError> {
    parse_with_limit(file_label, text, MAX_FILE_BYTES)
}

/// [`parse`] with a size limit of `max_bytes`.
pub fn parse_with_limit(
    file_label: &str,
    text: &str,
    max_bytes: usize,
) -> Result<YamlFile, YamlError> {
    let whole_file = |kind, message| YamlError {
        kind,
        file: file_label.to_string(),
        line: 0,
        column: 0,
        message,
    };
    if text.len() > max_bytes {
        return Err(too_large(file_label, text.len(), max_bytes));
    }
    if let Some(nul) = text.find('\0') {
        let lines = LineIndex::new(text);
        let (line, column) = lines.position(text, nul);
        return Err(YamlError {
            line,
            column,
            ..whole_file(
                YamlErrorKind::Binary,
                "the file contains a NUL byte: it is binary, not YAML".into(),
            )
        });
    }
    let lines = LineIndex::new(text);
    let documents = load::Loader::new(file_label, text, &lines).load_documents()?;
    alias_budget(file_label, &documents)?;
    Ok(YamlFile {
        label: file_label.to_string(),
        text: text.to_string(),
        documents,
        lines,
    })
}

/// How many nodes the aliases of one document may add when they are expanded (as the render
/// expands them). More is an alias bomb ("billion laughs"): a few lines that would expand to
/// gigabytes, refused where the budget runs out.
pub const MAX_ALIAS_EXPANSION: u64 = 1_000_000;

fn alias_budget(label: &str, documents: &[Node]) -> Result<(), YamlError> {
    for doc in documents {
        let mut sizes = HashMap::new();
        let mut added = 0u64;
        if let Err(span) = expanded_size(doc, &mut sizes, &mut added) {
            return Err(YamlError {
                kind: YamlErrorKind::Unsupported,
                file: label.to_string(),
                line: span.line,
                column: span.column,
                message: format!(
                    "the aliases up to here expand to more than {MAX_ALIAS_EXPANSION} nodes (an alias bomb); the file is not read"
                ),
            });
        }
    }
    Ok(())
}

/// The number of nodes `node` stands for with its aliases expanded; `added` counts what the
/// aliases of the document added so far. `Err` at the alias that passes the budget.
fn expanded_size<'n>(
    node: &'n Node,
    sizes: &mut HashMap<&'n str, u64>,
    added: &mut u64,
) -> Result<u64, Span> {
    let size = match node {
        Node::Map { entries, .. } => {
            let mut n = 1u64;
            for e in entries {
                n = n.saturating_add(1 + expanded_size(&e.value, sizes, added)?);
            }
            n
        }
        Node::Seq { items, .. } => {
            let mut n = 1u64;
            for i in items {
                n = n.saturating_add(expanded_size(i, sizes, added)?);
            }
            n
        }
        Node::Scalar { .. } => 1,
        Node::Alias { name, span } => {
            let n = sizes.get(name.as_str()).copied().unwrap_or(1);
            *added = added.saturating_add(n);
            if *added > MAX_ALIAS_EXPANSION {
                return Err(*span);
            }
            n
        }
    };
    if let Some(a) = node.anchor() {
        sizes.insert(a, size);
    }
    Ok(size)
}

/// [`parse`] for raw file contents: refuses content that is not UTF-8 before parsing.
pub fn parse_bytes(file_label: &str, bytes: &[u8]) -> Result<YamlFile, YamlError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(too_large(file_label, bytes.len(), MAX_FILE_BYTES));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(file_label, text),
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            let lines = LineIndex::new(valid);
            let (line, column) = lines.position(valid, valid.len());
            Err(YamlError {
                kind: YamlErrorKind::Binary,
                file: file_label.to_string(),
                line,
                column,
                message: format!(
                    "the file is not UTF-8 text (invalid byte at offset {}): it is binary, not YAML",
                    e.valid_up_to()
                ),
            })
        }
    }
}

fn too_large(file_label: &str, len: usize, max_bytes: usize) -> YamlError {
    YamlError {
        kind: YamlErrorKind::TooLarge,
        file: file_label.to_string(),
        line: 0,
        column: 0,
        message: format!(
            "the file is {len} bytes, over the {max_bytes} byte limit for YAML files; it is not read"
        ),
    }
}

/// Reads a path written as `images[0].newTag` or `metadata.annotations["app.kubernetes.io/name"]`
/// (a quoted key may hold dots and brackets; `\"` and `\\` escape inside it).
pub fn parse_path(path: &str) -> Result<Vec<PathSeg>, String> {
    let mut segs = Vec::new();
    let mut chars = path.chars().peekable();
    let mut expect_key = true;
    while let Some(&c) = chars.peek() {
        match c {
            '[' => {
                chars.next();
                if chars.peek() == Some(&'"') {
                    chars.next();
                    let mut key = String::new();
                    loop {
                        match chars.next() {
                            Some('\\') => key.extend(chars.next()),
                            Some('"') => break,
                            Some(c) => key.push(c),
                            None => return Err(format!("unclosed quote in path `{path}`")),
                        }
                    }
                    segs.push(PathSeg::Key(key));
                } else {
                    let digits: String = chars.by_ref().take_while(|c| *c != ']').collect();
                    let index = digits
                        .parse()
                        .map_err(|_| format!("`[{digits}]` is not an index in path `{path}`"))?;
                    segs.push(PathSeg::Index(index));
                    expect_key = false;
                    continue;
                }
                if chars.next() != Some(']') {
                    return Err(format!("expected `]` in path `{path}`"));
                }
                expect_key = false;
            }
            '.' if !expect_key => {
                chars.next();
                expect_key = true;
            }
            _ if expect_key => {
                let mut key = String::new();
                while let Some(&c) = chars.peek() {
                    if c == '.' || c == '[' {
                        break;
                    }
                    key.push(c);
                    chars.next();
                }
                if key.is_empty() {
                    return Err(format!("empty key in path `{path}`"));
                }
                segs.push(PathSeg::Key(key));
                expect_key = false;
            }
            _ => return Err(format!("unexpected `{c}` in path `{path}`")),
        }
    }
    if segs.is_empty() || (expect_key && path.ends_with('.')) {
        return Err(format!("`{path}` is not a path"));
    }
    Ok(segs)
}

/// Writes a path the way [`parse_path`] reads it: `images[0].newTag`.
pub fn format_path(path: &[PathSeg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            PathSeg::Index(i) => out.push_str(&format!("[{i}]")),
            PathSeg::Key(k) if k.is_empty() || k.contains(['.', '[', ']', '"', '\\']) => {
                out.push_str(&format!(
                    "[\"{}\"]",
                    k.replace('\\', "\\\\").replace('"', "\\\"")
                ));
            }
            PathSeg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
        }
    }
    out
}

impl fmt::Display for PathSeg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_path(std::slice::from_ref(self)))
    }
}
