//! What every importer shares: the tools an import reads, its result and notes, its error, and
//! the helpers that read the other tool's YAML and make its text safe for ours.

use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

/// The tools an import can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// cState, the Hugo status page theme.
    Cstate,
    /// Upptime, the GitHub Actions uptime monitor.
    Upptime,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Cstate => "cstate",
            Source::Upptime => "upptime",
        }
    }

    /// The tool's name as people write it.
    pub fn label(self) -> &'static str {
        match self {
            Source::Cstate => "cState",
            Source::Upptime => "Upptime",
        }
    }
}

/// What an import produced.
#[derive(Debug, Clone)]
pub struct Import {
    /// Paths relative to the status folder (`page.yaml`, `components.yaml`,
    /// `incidents/2018-05-25-us-east.md`, …) → text.
    pub files: BTreeMap<String, String>,
    /// What was left out or changed on the way, in the order the sources were read.
    pub notes: Vec<Note>,
    pub components: usize,
    pub incidents: usize,
}

/// Something the import could not carry over as it was, or decided for the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// The source file the note is about (relative to the source folder).
    pub file: String,
    pub message: String,
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

/// Why an import could not be made or written. Nothing was written when this is returned.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("`{path}` is not a path inside the source folder; nothing was imported.")]
    UnsafePath { path: String },
    #[error("There is no {what} in the source folder: is it {source_label} repository?")]
    MissingFile {
        what: String,
        source_label: &'static str,
    },
    #[error("{}: {message}", location(file, *line, *column))]
    InvalidSource {
        file: String,
        /// 1-based; 0 when unknown.
        line: u32,
        column: u32,
        message: String,
    },
    #[error("Could not read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is not UTF-8 text.", path.display())]
    NotText { path: PathBuf },
    #[error("{} is larger than {} MB; it is not a file an import needs.", path.display(), MAX_FILE_BYTES / 1_000_000)]
    TooLarge { path: PathBuf },
    #[error("These status files exist already: {}. Pass --force to overwrite them; nothing was written.", paths.join(", "))]
    Exists { paths: Vec<String> },
    #[error("{} is a link or not a regular file; nothing was written.", path.display())]
    UnsafeDestination { path: PathBuf },
    #[error("The imported files together with the status folder's other files would not load ({} error(s)); nothing was written.", errors.len())]
    Invalid { errors: Vec<crate::StatusError> },
    #[error("Could not write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl ImportError {
    /// A stable code for consumers.
    pub fn code(&self) -> wheelhouse_diagnostics::ErrorCode {
        match self {
            ImportError::UnsafePath { .. } => wheelhouse_diagnostics::ErrorCode::PathOutsideSource,
            ImportError::MissingFile { .. } => wheelhouse_diagnostics::ErrorCode::MissingFile,
            ImportError::InvalidSource { .. } => wheelhouse_diagnostics::ErrorCode::InvalidSource,
            ImportError::Read { .. } | ImportError::Write { .. } => {
                wheelhouse_diagnostics::ErrorCode::Io
            }
            ImportError::NotText { .. } | ImportError::TooLarge { .. } => {
                wheelhouse_diagnostics::ErrorCode::InvalidFile
            }
            ImportError::Exists { .. } => wheelhouse_diagnostics::ErrorCode::DestinationExists,
            ImportError::UnsafeDestination { .. } => {
                wheelhouse_diagnostics::ErrorCode::PathOutsideRepository
            }
            ImportError::Invalid { .. } => wheelhouse_diagnostics::ErrorCode::StatusInvalid,
        }
    }
}

fn location(file: &str, line: u32, column: u32) -> String {
    if line == 0 {
        file.to_string()
    } else {
        format!("{file}:{line}:{column}")
    }
}

/// Files larger than this are refused when reading a source (16 MB).
pub const MAX_FILE_BYTES: u64 = 16_000_000;

/// Refuses a source map naming anything outside its folder: absolute paths, `..`, backslashes,
/// empty segments.
pub(super) fn check_paths(files: &BTreeMap<String, String>) -> Result<(), ImportError> {
    for path in files.keys() {
        if !is_safe_relative(path) {
            return Err(ImportError::UnsafePath { path: path.clone() });
        }
    }
    Ok(())
}

/// The source's configuration: the first of `names` present in `files`, read as YAML; its name
/// and value. Refuses a source with none of them (`what` names the file in the message,
/// `source_label` the tool: "a cState") and a configuration that is not a map.
pub(super) fn read_config(
    files: &BTreeMap<String, String>,
    names: &[&'static str],
    what: &str,
    source_label: &'static str,
) -> Result<(&'static str, serde_json::Value), ImportError> {
    let (file, text) = names
        .iter()
        .find_map(|name| files.get(*name).map(|text| (*name, text)))
        .ok_or_else(|| ImportError::MissingFile {
            what: what.to_string(),
            source_label,
        })?;
    let config = parse_yaml(file, &clean(text), 0)?;
    if !config.is_object() {
        return Err(ImportError::InvalidSource {
            file: file.to_string(),
            line: 0,
            column: 0,
            message: "the configuration is not a map of settings".into(),
        });
    }
    Ok((file, config))
}

/// Adds a note about `file`.
pub(super) fn note(notes: &mut Vec<Note>, file: &str, message: impl Into<String>) {
    notes.push(Note {
        file: file.to_string(),
        message: message.into(),
    });
}

pub(super) fn is_safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && !path.contains(':')
        && path
            .split('/')
            .all(|segment| !segment.is_empty() && segment != "." && segment != "..")
}

/// Parses YAML into a loose value; errors carry the file, line and column.
pub(super) fn parse_yaml(
    file: &str,
    text: &str,
    line_offset: u32,
) -> Result<serde_json::Value, ImportError> {
    if text.trim().is_empty() {
        return Ok(serde_json::Value::Null);
    }
    serde_saphyr::from_str::<serde_json::Value>(text).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (clamp(l.line()), clamp(l.column())))
            .unwrap_or((0, 0));
        let message = e.render_with_options(serde_saphyr::render_options! {
            snippets: serde_saphyr::SnippetMode::Off,
            formatter: &serde_saphyr::UserMessageFormatter,
        });
        let message = one_line(&message);
        let suffix = format!(" at line {line}, column {column}");
        ImportError::InvalidSource {
            file: file.to_string(),
            line: if line == 0 { 0 } else { line + line_offset },
            column,
            message: message
                .strip_suffix(&suffix)
                .unwrap_or(&message)
                .to_string(),
        }
    })
}

fn clamp(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A string from a loose YAML value: strings as they are, numbers and booleans written out.
pub(super) fn text_of(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A boolean from a loose YAML value (`true`, or the strings `true`/`yes`).
pub(super) fn bool_of(value: &serde_json::Value) -> Option<bool> {
    match value {
        serde_json::Value::Bool(b) => Some(*b),
        serde_json::Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" => Some(true),
            "false" | "no" | "off" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// Text as the status files can carry it: CRLF as LF, control characters (but tab and
/// newline), noncharacters and byte order marks as U+FFFD.
pub(super) fn clean(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .map(|c| {
            let n = c as u32;
            let control = c.is_control() && !matches!(c, '\t' | '\n');
            let nonchar = (0xFDD0..=0xFDEF).contains(&n) || n & 0xFFFE == 0xFFFE;
            if control || nonchar || c == '\u{feff}' {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// One line of clean text, whitespace runs as one space.
pub(super) fn one_line(text: &str) -> String {
    clean(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A setting's text (see [`text_of`]) as [`one_line`]; `None` when absent, not text, or blank.
pub(super) fn one_line_text(value: Option<&serde_json::Value>) -> Option<String> {
    value
        .and_then(text_of)
        .map(|s| one_line(&s))
        .filter(|s| !s.is_empty())
}

/// An id the status files accept (lowercase ASCII letters, digits, `-`), from any name:
/// accents are dropped from Latin letters, `&` becomes `and`, camelCase is split, everything
/// else separates words. Empty when nothing is left.
pub(super) fn slugify(name: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    let mut dash = false;
    let push_word_char = |out: &mut String, dash: &mut bool, c: char| {
        if *dash && !out.is_empty() {
            out.push('-');
        }
        *dash = false;
        out.push(c);
    };
    for c in name.replace('&', " and ").chars() {
        let base = fold_latin(c);
        match base {
            Some(s) => {
                for b in s.chars() {
                    if b.is_ascii_uppercase() && previous_lower {
                        dash = true;
                    }
                    previous_lower = b.is_ascii_lowercase() || b.is_ascii_digit();
                    push_word_char(&mut out, &mut dash, b.to_ascii_lowercase());
                }
            }
            None => {
                dash = true;
                previous_lower = false;
            }
        }
    }
    out.truncate(64);
    out.trim_end_matches('-').to_string()
}

/// The ASCII letters a character stands for: itself for ASCII letters and digits, the base
/// letter for accented Latin letters, `None` for everything else.
fn fold_latin(c: char) -> Option<&'static str> {
    const ASCII: &str = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    if c.is_ascii_alphanumeric() {
        let i = ASCII.find(c)?;
        return Some(&ASCII[i..i + 1]);
    }
    let s = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ă' | 'Ą' => "A",
        'æ' => "ae",
        'Æ' => "AE",
        'ç' | 'ć' | 'č' | 'ĉ' | 'ċ' => "c",
        'Ç' | 'Ć' | 'Č' | 'Ĉ' | 'Ċ' => "C",
        'ď' | 'đ' | 'ð' => "d",
        'Ď' | 'Đ' | 'Ð' => "D",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ĕ' | 'Ė' | 'Ę' | 'Ě' => "E",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'Ĝ' | 'Ğ' | 'Ġ' | 'Ģ' => "G",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' | 'Ĭ' | 'Į' | 'İ' => "I",
        'ķ' => "k",
        'Ķ' => "K",
        'ĺ' | 'ļ' | 'ľ' | 'ł' => "l",
        'Ĺ' | 'Ļ' | 'Ľ' | 'Ł' => "L",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'Ñ' | 'Ń' | 'Ņ' | 'Ň' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ŏ' | 'Ő' => "O",
        'œ' => "oe",
        'Œ' => "OE",
        'ŕ' | 'ř' => "r",
        'Ŕ' | 'Ř' => "R",
        'ś' | 'š' | 'ş' | 'ŝ' => "s",
        'Ś' | 'Š' | 'Ş' | 'Ŝ' => "S",
        'ß' => "ss",
        'ť' | 'ţ' => "t",
        'Ť' | 'Ţ' => "T",
        'þ' => "th",
        'Þ' => "TH",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ŭ' | 'Ů' | 'Ű' | 'Ų' => "U",
        'ý' | 'ÿ' => "y",
        'Ý' | 'Ÿ' => "Y",
        'ź' | 'ż' | 'ž' => "z",
        'Ź' | 'Ż' | 'Ž' => "Z",
        _ => return None,
    };
    Some(s)
}

/// A file slug from a file name: letters, digits, `.`, `-` and `_`, lowercase.
pub(super) fn file_slug(stem: &str) -> String {
    let mut out = String::new();
    for c in stem.chars() {
        match fold_latin(c) {
            Some(s) => out.push_str(&s.to_ascii_lowercase()),
            None if matches!(c, '.' | '_' | '-') => out.push(c),
            None => out.push('-'),
        }
    }
    let mut collapsed = String::new();
    for c in out.chars() {
        if c == '-' && collapsed.ends_with('-') {
            continue;
        }
        collapsed.push(c);
    }
    collapsed.truncate(150);
    collapsed
        .trim_matches(|c| c == '-' || c == '.' || c == '_')
        .to_string()
}

/// Whether a slug starts with a `YYYY-MM-DD` date.
pub(super) fn starts_with_date(slug: &str) -> bool {
    let b = slug.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
}

/// Hands out ids or slugs once: the second `api` is `api-2`.
#[derive(Debug, Default)]
pub(super) struct Unique(std::collections::BTreeSet<String>);

impl Unique {
    pub(super) fn take(&mut self, wanted: &str) -> String {
        let mut candidate = wanted.to_string();
        let mut n = 2;
        while !self.0.insert(candidate.clone()) {
            candidate = format!("{wanted}-{n}");
            n += 1;
        }
        candidate
    }
}

/// Whether `url` is an absolute http(s) address the page can be published at; the form
/// `page.yaml` takes (no trailing slash) or why not.
pub(super) fn page_url(text: &str) -> Result<String, String> {
    let parsed = url::Url::parse(text.trim())
        .map_err(|e| format!("`{text}` is not an absolute URL ({e})"))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(format!("`{text}` is not an http or https URL"));
    }
    if parsed.query().is_some()
        || parsed.fragment().is_some()
        || !parsed.username().is_empty()
        || parsed.password().is_some()
    {
        return Err(format!("`{text}` has a query, fragment or credentials"));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_string())
}

pub(super) fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or_default();
    (2..=8).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

pub(super) fn is_colour(s: &str) -> bool {
    let Some(hex) = s.strip_prefix('#') else {
        return false;
    };
    matches!(hex.len(), 3 | 6) && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_must_stay_inside_the_source() {
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a//b",
            "a\\b",
            "C:/x",
            "./a",
        ] {
            assert!(!is_safe_relative(bad), "{bad}");
        }
        for good in [
            "config.yml",
            "content/issues/a.md",
            ".upptimerc.yml",
            "history/x.yml",
        ] {
            assert!(is_safe_relative(good), "{good}");
        }
    }

    #[test]
    fn slugs_are_ascii_ids() {
        assert_eq!(slugify("Media Proxy"), "media-proxy");
        assert_eq!(slugify("Démo restaurant"), "demo-restaurant");
        assert_eq!(slugify("fooBar & Baz!"), "foo-bar-and-baz");
        assert_eq!(slugify("  API (v2)  "), "api-v2");
        assert_eq!(slugify("日本"), "");
        assert_eq!(file_slug("Ünïcode Post!"), "unicode-post");
        assert!(starts_with_date("2018-05-25-x") && !starts_with_date("2018-5-25"));
        let mut u = Unique::default();
        assert_eq!(
            (u.take("a"), u.take("a"), u.take("a")),
            ("a".into(), "a-2".into(), "a-3".into())
        );
    }

    #[test]
    fn text_is_cleaned_for_yaml() {
        assert_eq!(
            clean("a\r\nb\u{0}\u{feff}\u{7}"),
            "a\nb\u{fffd}\u{fffd}\u{fffd}"
        );
        assert_eq!(one_line(" a \n b\t"), "a b");
    }
}
