//! How a scalar's text loads (its type under the YAML 1.2 core schema), and how to write a new
//! value so that it loads back as intended, in the style of the text it replaces.
//!
//! Kubernetes tooling still reads YAML 1.1 (`yes`, `on`, `0755`, `2024-01-01`, `1:30` are not
//! strings there), so a string is written plain only when both YAML 1.1 and 1.2 load it as that
//! string; otherwise it is quoted.

use super::{ScalarKind, ScalarStyle};

/// A value to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewValue<'a> {
    /// A string: loads back as this string, written plain when plain text would load as it under
    /// YAML 1.1 and 1.2, quoted otherwise (`1.10`, `on`, `*x` are quoted).
    Str(&'a str),
    /// Text written as YAML reads it: plain, so `3` loads as an int, `true` as a bool, `0.5` as a
    /// float and `nginx` as a string; empty text is null, written `~`. Double-quoted (a string)
    /// only when plain text cannot carry it (`a: b`, a leading `*`, a line break). For values
    /// typed by a person into a YAML field.
    Plain(&'a str),
    /// Written plain: `replicas: 3`.
    Int(i64),
    /// Written plain: `true` or `false`.
    Bool(bool),
}

impl<'a> From<&'a str> for NewValue<'a> {
    fn from(value: &'a str) -> Self {
        NewValue::Str(value)
    }
}

impl<'a> From<&'a String> for NewValue<'a> {
    fn from(value: &'a String) -> Self {
        NewValue::Str(value)
    }
}

impl From<i64> for NewValue<'_> {
    fn from(value: i64) -> Self {
        NewValue::Int(value)
    }
}

impl From<bool> for NewValue<'_> {
    fn from(value: bool) -> Self {
        NewValue::Bool(value)
    }
}

/// The type a plain (unquoted, untagged) scalar loads as under the YAML 1.2 core schema.
pub(crate) fn resolve_plain(s: &str) -> ScalarKind {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return ScalarKind::Null,
        "true" | "True" | "TRUE" | "false" | "False" | "FALSE" => return ScalarKind::Bool,
        _ => {}
    }
    if is_core_int(s) {
        ScalarKind::Int
    } else if is_core_float(s) {
        ScalarKind::Float
    } else {
        ScalarKind::Str
    }
}

fn strip_sign(s: &str) -> &str {
    s.strip_prefix(['-', '+']).unwrap_or(s)
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_core_int(s: &str) -> bool {
    if let Some(oct) = s.strip_prefix("0o") {
        return !oct.is_empty() && oct.bytes().all(|b| (b'0'..=b'7').contains(&b));
    }
    if let Some(hex) = s.strip_prefix("0x") {
        return !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    all_digits(strip_sign(s))
}

fn is_core_float(s: &str) -> bool {
    if matches!(s, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let t = strip_sign(s);
    if matches!(t, ".inf" | ".Inf" | ".INF") {
        return true;
    }
    let (mantissa, exponent) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], Some(&t[i + 1..])),
        None => (t, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => {
            (int.is_empty() && all_digits(frac))
                || (all_digits(int) && (frac.is_empty() || all_digits(frac)))
        }
        None => all_digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| all_digits(strip_sign(e)));
    mantissa_ok && exponent_ok
}

/// Whether a YAML 1.1 reader (go-yaml v2, PyYAML) could load this plain text as something other
/// than a string. Deliberately broad: a false positive only costs a pair of quotes.
fn yaml11_non_string(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off",
        "OFF", "true", "True", "TRUE", "false", "False", "FALSE", "~", "null", "Null", "NULL",
        "<<", "=",
    ];
    if WORDS.contains(&s) {
        return true;
    }
    let t = strip_sign(s);
    let starts_with_digit_or_dot = t.starts_with(|c: char| c.is_ascii_digit() || c == '.');
    if !starts_with_digit_or_dot {
        return false;
    }
    if let Some(bin) = t.strip_prefix("0b") {
        return bin.bytes().all(|b| matches!(b, b'0' | b'1' | b'_'));
    }
    if let Some(hex) = t.strip_prefix("0x") {
        return hex.bytes().all(|b| b.is_ascii_hexdigit() || b == b'_');
    }
    // Integers, octals, sexagesimals (1:30) and floats (1.10, .5, 1.5e+3) with `_` separators.
    let numeric_chars = t
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'_' | b':' | b'.' | b'e' | b'E' | b'+' | b'-'));
    if numeric_chars && t.bytes().filter(|&b| b == b'.').count() <= 1 {
        return true;
    }
    // Timestamps: 2001-12-14, 2001-12-14t21:59:43.10-05:00.
    let b = t.as_bytes();
    b.len() >= 6 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[5].is_ascii_digit()
}

/// YAML's printable characters, without the byte order mark.
fn is_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        && c != '\u{feff}'
}

/// Whether `s` can be written as a plain scalar and read back as the same characters.
pub(crate) fn plain_syntax_ok(s: &str, in_flow: bool) -> bool {
    const FLOW: &[char] = &[',', '[', ']', '{', '}'];
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.starts_with([' ', '\t']) || s.ends_with([' ', '\t', ':']) {
        return false;
    }
    if s.chars()
        .any(|c| !is_printable(c) || matches!(c, '\t' | '\n' | '\r'))
    {
        return false;
    }
    if "#&*!|>'\"%@`,[]{}".contains(first) {
        return false;
    }
    if matches!(first, '-' | '?' | ':') {
        let second = s[1..].chars().next();
        match second {
            None | Some(' ') => return false,
            Some(c) if in_flow && FLOW.contains(&c) => return false,
            _ => {}
        }
    }
    if s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    if s.contains(": ") || s.contains(" #") {
        return false;
    }
    !(in_flow && s.contains(FLOW))
}

/// Whether plain text `s` loads back as the string `s` under both YAML 1.1 and 1.2.
pub(crate) fn plain_string_ok(s: &str, in_flow: bool) -> bool {
    plain_syntax_ok(s, in_flow) && resolve_plain(s) == ScalarKind::Str && !yaml11_non_string(s)
}

pub(crate) fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if !is_printable(c) || c == '\u{85}' || c == '\u{2028}' || c == '\u{2029}' => {
                let code = u32::from(c);
                if code <= 0xff {
                    out.push_str(&format!("\\x{code:02x}"));
                } else if code <= 0xffff {
                    out.push_str(&format!("\\u{code:04x}"));
                } else {
                    out.push_str(&format!("\\U{code:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Single quotes can carry tabs too, but an invisible tab is better written `\t`.
fn single_quoted_ok(s: &str) -> bool {
    s.chars().all(|c| {
        is_printable(c) && !matches!(c, '\t' | '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
    })
}

fn single_quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Text for a one-line scalar, and what it loads back as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InlineText {
    pub(crate) text: String,
    pub(crate) value: String,
    pub(crate) kind: ScalarKind,
}

/// Writes `value` on one line. `preferred` is the style of the text being replaced (or of a
/// sibling); `keep_kind` is the type of a plain integer or boolean being replaced, which new
/// text of the same type keeps, written plain (`replicas: 3` set to "5" stays `5`). Only text
/// that loads back exactly as written qualifies (`5`, `true`; not `007` or `True`). Floats are
/// not kept: plain `1.10` would load as 1.1, the classic lost version number.
pub(crate) fn render_inline(
    value: NewValue<'_>,
    preferred: ScalarStyle,
    keep_kind: Option<ScalarKind>,
    in_flow: bool,
) -> InlineText {
    let plain = |text: String, kind| InlineText {
        value: text.clone(),
        text,
        kind,
    };
    let s = match value {
        NewValue::Int(n) => return plain(n.to_string(), ScalarKind::Int),
        NewValue::Bool(b) => return plain(b.to_string(), ScalarKind::Bool),
        NewValue::Plain("") => return plain("~".to_string(), ScalarKind::Null),
        NewValue::Plain(s) if plain_syntax_ok(s, in_flow) => {
            return plain(s.to_string(), resolve_plain(s))
        }
        NewValue::Plain(s) | NewValue::Str(s) => s,
    };
    let quoted = |text: String| InlineText {
        text,
        value: s.to_string(),
        kind: ScalarKind::Str,
    };
    if preferred == ScalarStyle::Plain {
        let canonical = match keep_kind {
            Some(ScalarKind::Int) => s.parse::<i64>().is_ok_and(|n| n.to_string() == s),
            Some(ScalarKind::Bool) => matches!(s, "true" | "false"),
            _ => false,
        };
        if let (true, Some(kind)) = (canonical, keep_kind) {
            return plain(s.to_string(), kind);
        }
        if plain_string_ok(s, in_flow) {
            return plain(s.to_string(), ScalarKind::Str);
        }
    }
    if preferred == ScalarStyle::SingleQuoted && single_quoted_ok(s) {
        return quoted(single_quoted(s));
    }
    quoted(double_quoted(s))
}

/// A block scalar (`|` or `>`) header and body lines for `value`, or `None` when a block scalar
/// cannot carry it exactly (empty, leading space, trailing blank lines, control characters).
/// Folded style is kept only for a single line; anything longer is written literal, which loads
/// back exactly without re-wrapping.
pub(crate) fn render_block(value: &str, folded: bool) -> Option<(String, Vec<&str>)> {
    let (body, chomp) = match value.strip_suffix('\n') {
        Some(body) => (body, ""),
        None => (value, "-"),
    };
    if body.is_empty() || body.ends_with('\n') {
        return None;
    }
    if value
        .chars()
        .any(|c| !is_printable(c) || matches!(c, '\r' | '\u{85}' | '\u{2028}' | '\u{2029}'))
    {
        return None;
    }
    let lines: Vec<&str> = body.split('\n').collect();
    let first_content = lines.iter().find(|l| !l.is_empty())?;
    if first_content.starts_with([' ', '\t']) {
        return None;
    }
    if lines.last().is_some_and(|l| l.trim().is_empty()) {
        return None;
    }
    if lines.iter().any(|l| !l.is_empty() && l.trim().is_empty()) {
        return None;
    }
    let indicator = if folded && lines.len() == 1 && !body.ends_with([' ', '\t']) {
        format!(">{chomp}")
    } else {
        format!("|{chomp}")
    };
    Some((indicator, lines))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_schema_types() {
        for (s, kind) in [
            ("", ScalarKind::Null),
            ("~", ScalarKind::Null),
            ("true", ScalarKind::Bool),
            ("3", ScalarKind::Int),
            ("-3", ScalarKind::Int),
            ("0x1F", ScalarKind::Int),
            ("0o17", ScalarKind::Int),
            ("1.10", ScalarKind::Float),
            ("1e3", ScalarKind::Float),
            (".5", ScalarKind::Float),
            ("-.inf", ScalarKind::Float),
            (".nan", ScalarKind::Float),
            ("1.4.2", ScalarKind::Str),
            ("yes", ScalarKind::Str),
            ("v1.2", ScalarKind::Str),
            ("1e", ScalarKind::Str),
            (".", ScalarKind::Str),
        ] {
            assert_eq!(resolve_plain(s), kind, "{s:?}");
        }
    }

    #[test]
    fn strings_that_need_quotes() {
        for s in [
            "",
            "1.10",
            "3",
            "on",
            "yes",
            "No",
            "null",
            "~",
            "true",
            "*x",
            "&x",
            "!x",
            "@x",
            "`x",
            "%x",
            "a: b",
            "a #b",
            "0755",
            "1:30",
            "2024-01-01",
            "1_000",
            "-",
            "- x",
            " x",
            "x ",
            "x:",
            "#x",
            "|",
            ">",
            "'x",
            "\"x",
            "a\nb",
            "a\tb",
            "---",
            "...",
            "<<",
            "{x",
            "[x",
        ] {
            assert!(!plain_string_ok(s, false), "{s:?} must be quoted");
        }
        for s in [
            "1.4.2",
            "v1.2.3",
            "nginx",
            "registry/x:1.2",
            "a:b",
            "a#b",
            "-x",
            "é",
            "1.2.3-rc1",
        ] {
            assert!(plain_string_ok(s, false), "{s:?} can stay plain");
        }
        assert!(!plain_string_ok("a,b", true));
        assert!(plain_string_ok("a,b", false));
    }

    #[test]
    fn double_quotes_escape_what_they_must() {
        assert_eq!(
            double_quoted("a\"b\\c\nd\te\u{1}"),
            r#""a\"b\\c\nd\te\x01""#
        );
        assert_eq!(double_quoted("é"), "\"é\"");
    }

    #[test]
    fn styles_are_kept_when_they_can_carry_the_value() {
        let r = render_inline(NewValue::Str("1.4.2"), ScalarStyle::Plain, None, false);
        assert_eq!(r.text, "1.4.2");
        let r = render_inline(NewValue::Str("1.10"), ScalarStyle::Plain, None, false);
        assert_eq!(r.text, "\"1.10\"");
        let r = render_inline(
            NewValue::Str("it's"),
            ScalarStyle::SingleQuoted,
            None,
            false,
        );
        assert_eq!(r.text, "'it''s'");
        let r = render_inline(
            NewValue::Str("a\nb"),
            ScalarStyle::SingleQuoted,
            None,
            false,
        );
        assert_eq!(r.text, "\"a\\nb\"");
        let r = render_inline(
            NewValue::Str("5"),
            ScalarStyle::Plain,
            Some(ScalarKind::Int),
            false,
        );
        assert_eq!((r.text.as_str(), r.kind), ("5", ScalarKind::Int));
        let r = render_inline(NewValue::Int(3), ScalarStyle::DoubleQuoted, None, false);
        assert_eq!((r.text.as_str(), r.kind), ("3", ScalarKind::Int));
    }

    #[test]
    fn block_scalars_choose_chomping_and_refuse_what_they_cannot_carry() {
        assert_eq!(
            render_block("a\nb\n", false),
            Some(("|".into(), vec!["a", "b"]))
        );
        assert_eq!(
            render_block("a\nb", false),
            Some(("|-".into(), vec!["a", "b"]))
        );
        assert_eq!(
            render_block("one line", true),
            Some((">-".into(), vec!["one line"]))
        );
        assert_eq!(
            render_block("a\nb", true),
            Some(("|-".into(), vec!["a", "b"]))
        );
        assert_eq!(render_block("", false), None);
        assert_eq!(render_block(" lead", false), None);
        assert_eq!(render_block("a\n\n", false), None);
        assert_eq!(render_block("a\r\nb", false), None);
    }
}
