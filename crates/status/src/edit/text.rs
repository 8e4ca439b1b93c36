//! What the edits share: the front matter of a Markdown file, splices, new block lines (placed
//! where the YAML engine's [`yaml::insertion_point`] puts them), and values written the way the
//! YAML engine writes them.

use super::error::{EditError, EditErrorCode};
use jiff::{Timestamp, Zoned};
use wheelhouse_yaml::{
    self as yaml, EditErrorKind, NewValue, Node, PathSeg, ScalarStyle, Splice, YamlFile,
};

/// Leading spaces (tabs are not counted, unlike in the YAML engine's insertion rule): the columns
/// a line can be shifted left by.
pub(super) fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The file's line break: CRLF when it uses CRLF.
pub(super) fn line_break(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

/// Where a node's text ends. The YAML engine lets a `{…}` or `[…]` that ends its line run to
/// the end of the line (over a comment after it); this finds its closing bracket.
pub(super) fn value_end(text: &str, node: &Node) -> usize {
    let span = node.span();
    if !matches!(
        node,
        Node::Map { flow: true, .. } | Node::Seq { flow: true, .. }
    ) || !matches!(text.as_bytes().get(span.start), Some(b'{' | b'['))
    {
        return span.end;
    }
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = span.start;
    while i < span.end {
        match bytes[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            b'"' => {
                i += 1;
                while i < span.end && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'\'' => {
                i += 1;
                while i < span.end {
                    if bytes[i] == b'\'' {
                        if bytes.get(i + 1) == Some(&b'\'') {
                            i += 1;
                        } else {
                            break;
                        }
                    }
                    i += 1;
                }
            }
            b'#' if i > 0 && matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'\r') => {
                while i < span.end && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    span.end
}

/// A splice inserting whole lines at a place found by [`yaml::insertion_point`] (or a line
/// start).
pub(super) fn insert_lines(at: (usize, bool), lines: &[String], nl: &str) -> Splice {
    let joined = lines.join(nl);
    Splice {
        start: at.0,
        end: at.0,
        text: if at.1 {
            format!("{nl}{joined}")
        } else {
            format!("{joined}{nl}")
        },
    }
}

// ---- Markdown with front matter ----

/// The lines before the front matter's YAML (the opening `---`).
pub(super) const FRONT_MATTER_LINES: u32 = 1;

/// A Markdown file cut into its parts; `head + yaml + tail + body` is the text.
pub(super) struct Md<'a> {
    /// A byte order mark and the opening `---` line.
    pub head: &'a str,
    pub yaml: &'a str,
    /// The closing `---` line, with its line break when it has one.
    pub tail: &'a str,
    pub body: &'a str,
}

impl Md<'_> {
    pub fn with_yaml(&self, yaml: &str) -> String {
        format!("{}{yaml}{}{}", self.head, self.tail, self.body)
    }
}

pub(super) fn split_md<'a>(path: &str, text: &'a str) -> Result<Md<'a>, EditError> {
    let missing = || {
        EditError::new(
            EditErrorCode::InvalidFile,
            path,
            "the file must start with front matter: a `---` line, YAML, and another `---` line",
        )
        .at(1, 1)
    };
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let first_end = text[bom..].find('\n').ok_or_else(missing)? + bom + 1;
    if text[bom..first_end].trim_end() != "---" {
        return Err(missing());
    }
    let mut offset = first_end;
    for line in text[first_end..].split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Ok(Md {
                head: &text[..first_end],
                yaml: &text[first_end..offset],
                tail: &text[offset..offset + line.len()],
                body: &text[offset + line.len()..],
            });
        }
        offset += line.len();
    }
    Err(missing())
}

/// Parses YAML that starts `line_offset` lines into its file.
pub(super) fn parse_yaml(path: &str, yaml: &str, line_offset: u32) -> Result<YamlFile, EditError> {
    yaml::parse(path, yaml).map_err(|e| {
        let line = if e.line == 0 { 0 } else { e.line + line_offset };
        EditError::new(EditErrorCode::InvalidFile, path, e.message).at(line, e.column)
    })
}

/// A refusal of the YAML engine, placed in the whole file.
pub(super) fn engine_error(e: yaml::EditError, line_offset: u32) -> EditError {
    let code = match e.kind {
        EditErrorKind::ThroughAlias
        | EditErrorKind::AnchoredTarget
        | EditErrorKind::Unsupported => EditErrorCode::Unsupported,
        EditErrorKind::Internal => EditErrorCode::Internal,
        _ => EditErrorCode::InvalidFile,
    };
    let line = if e.line == 0 { 0 } else { e.line + line_offset };
    EditError::new(code, &e.file, e.message).at(line, e.column)
}

pub(super) fn key(k: &str) -> PathSeg {
    PathSeg::Key(k.to_string())
}

/// 1-based line and column of a node in the whole file.
pub(super) fn place(node: &Node, line_offset: u32) -> (u32, u32) {
    let span = node.span();
    (span.line + line_offset, span.column)
}

// ---- writing values ----

/// How a sibling value is quoted; new values follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Quote {
    Plain,
    Single,
    Double,
}

impl Quote {
    pub fn of(node: Option<&Node>) -> Quote {
        match node {
            Some(Node::Scalar {
                style: ScalarStyle::SingleQuoted,
                ..
            }) => Quote::Single,
            Some(Node::Scalar {
                style: ScalarStyle::DoubleQuoted,
                ..
            }) => Quote::Double,
            _ => Quote::Plain,
        }
    }
}

/// `value` written by the YAML engine's own rules, as it would write it over a value quoted
/// like `quote`: plain when plain text loads back as this string, else quoted.
fn engine_scalar(value: NewValue<'_>, quote: Quote, in_flow: bool) -> Result<String, EditError> {
    let seed = match quote {
        Quote::Plain => "~",
        Quote::Single => "''",
        Quote::Double => "\"\"",
    };
    let (doc, prefix, suffix) = if in_flow {
        (format!("{{k: {seed}}}"), "{k: ", "}")
    } else {
        (format!("k: {seed}\n"), "k: ", "\n")
    };
    let internal = |m: String| EditError::new(EditErrorCode::Internal, "", m);
    let file = yaml::parse("value", &doc).map_err(|e| internal(e.message))?;
    let out = yaml::set_scalar(&file, 0, &[key("k")], value).map_err(|e| internal(e.message))?;
    out.strip_prefix(prefix)
        .and_then(|s| s.strip_suffix(suffix))
        .map(str::to_string)
        .ok_or_else(|| internal(format!("cannot write {value:?}")))
}

/// A string value, quoted only when it must be (or like its sibling).
pub(super) fn scalar(value: &str, quote: Quote, in_flow: bool) -> Result<String, EditError> {
    engine_scalar(NewValue::Str(value), quote, in_flow)
}

/// A time, plain like the page's other times (`2026-10-16T09:12:00+02:00`), or quoted like its
/// sibling.
pub(super) fn time_value(value: &str, quote: Quote, in_flow: bool) -> Result<String, EditError> {
    match quote {
        Quote::Plain => engine_scalar(NewValue::Plain(value), quote, in_flow),
        _ => engine_scalar(NewValue::Str(value), quote, in_flow),
    }
}

/// The moment to the second, as the files write it (a clock's nanoseconds are dropped).
pub(super) fn whole_seconds(at: &Zoned) -> Zoned {
    let second = Timestamp::from_second(at.timestamp().as_second()).unwrap_or(at.timestamp());
    second.to_zoned(at.time_zone().clone())
}

/// RFC 3339 with the zone's offset, to the second: `2026-11-06T13:00:00+01:00`.
pub(super) fn format_time(at: &Zoned) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// A Markdown body as the files keep it: line breaks `\n`, no trailing blanks at its ends,
/// lines of only spaces emptied.
pub(super) fn normalize_markdown(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| if l.trim().is_empty() { "" } else { l })
        .collect();
    lines.join("\n").trim().to_string()
}

/// A Markdown body as a YAML value: one line inline, several as a literal block.
pub(super) enum Body {
    Inline(String),
    /// The header (`|` or `|-`) and the lines, not yet indented (empty lines empty).
    Block(String, Vec<String>),
}

pub(super) fn body_value(body: &str, quote: Quote) -> Result<Body, EditError> {
    if !body.contains('\n') {
        return Ok(Body::Inline(scalar(body, quote, false)?));
    }
    let internal = |m: String| EditError::new(EditErrorCode::Internal, "", m);
    let seed = "k: |\n  x\n";
    let file = yaml::parse("value", seed).map_err(|e| internal(e.message))?;
    let out = yaml::set_scalar(&file, 0, &[key("k")], NewValue::Str(body))
        .map_err(|e| internal(e.message))?;
    let rest = out.strip_prefix("k: ").unwrap_or(&out);
    if !rest.starts_with(['|', '>']) {
        // A block scalar cannot carry it (a first line starting with a space…): the engine
        // wrote it quoted on one line.
        return Ok(Body::Inline(rest.trim_end_matches('\n').to_string()));
    }
    let mut parts = rest.trim_end_matches('\n').split('\n');
    let header = parts.next().unwrap_or("|").to_string();
    let lines = parts
        .map(|l| l.strip_prefix("  ").unwrap_or(l).to_string())
        .collect();
    Ok(Body::Block(header, lines))
}

// ---- slugs ----

/// The part of a file name made from a title: lowercase ASCII letters and digits joined by
/// `-`, accented Latin letters folded (`é` → `e`, `ß` → `ss`), other characters dropped, at
/// most 60 characters cut at a word. Empty when nothing is left.
pub fn slug_from_title(title: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in title.chars() {
        let folded = fold(c);
        for f in folded.chars() {
            if f.is_ascii_alphanumeric() {
                if dash && !out.is_empty() {
                    out.push('-');
                }
                dash = false;
                out.push(f.to_ascii_lowercase());
            } else {
                dash = true;
            }
        }
    }
    if out.len() > 60 {
        let cut = out[..=60].rfind('-').unwrap_or(60);
        out.truncate(cut);
    }
    out
}

fn fold(c: char) -> String {
    let s = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "a",
        'ç' | 'Ç' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
        'ñ' | 'Ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
        'ý' | 'ÿ' | 'Ý' => "y",
        'ß' => "ss",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        _ => return c.to_string(),
    };
    s.to_string()
}

/// `folder/date-slug.md`, with `-2`, `-3`… when the name is taken.
pub(super) fn unique_path(
    folder: &str,
    date: &str,
    title: &str,
    fallback: &str,
    taken: impl Fn(&str) -> bool,
) -> String {
    let base = match slug_from_title(title) {
        s if s.is_empty() => format!("{date}-{fallback}"),
        s => format!("{date}-{s}"),
    };
    let mut slug = base.clone();
    let mut n = 2;
    while taken(&slug) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    format!("{folder}/{slug}.md")
}

/// Items of a new block entry: the first line after `- `, the others at the keys' column.
pub(super) fn item_lines(entries: &[Vec<String>], dash: usize, key_col: usize) -> Vec<String> {
    let key_col = key_col.max(dash + 2);
    let mut out = Vec::new();
    for (i, lines) in entries.iter().enumerate() {
        for (j, line) in lines.iter().enumerate() {
            if line.is_empty() {
                out.push(String::new());
            } else if i == 0 && j == 0 {
                out.push(format!(
                    "{}-{}{line}",
                    " ".repeat(dash),
                    " ".repeat(key_col - dash - 1)
                ));
            } else {
                out.push(format!("{}{line}", " ".repeat(key_col)));
            }
        }
    }
    out
}

/// `body: …` as lines relative to its key's column (block lines indented by 2).
pub(super) fn body_entry(body: &str, quote: Quote) -> Result<Vec<String>, EditError> {
    Ok(match body_value(body, quote)? {
        Body::Inline(v) => vec![format!("body: {v}")],
        Body::Block(header, lines) => {
            let mut out = vec![format!("body: {header}")];
            out.extend(
                lines
                    .into_iter()
                    .map(|l| if l.is_empty() { l } else { format!("  {l}") }),
            );
            out
        }
    })
}
