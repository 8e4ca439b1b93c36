//! Writes rendered objects as multi-document YAML, the way `kustomize build` prints them: keys
//! sorted, block style, two-space indentation, strings quoted wherever YAML 1.1 or 1.2 would read
//! them as something else.

use super::value::{Data, Value};

/// The objects as one multi-document YAML text (`---` between documents).
pub fn to_yaml(objects: &[Value]) -> String {
    let mut out = String::new();
    for (i, o) in objects.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        emit_document(o, &mut out);
    }
    out
}

pub fn emit_document(v: &Value, out: &mut String) {
    match &v.data {
        Data::Map(m) if !m.is_empty() => emit_map(m, 0, out),
        Data::Seq(s) if !s.is_empty() => emit_seq(s, 0, out),
        _ => {
            out.push_str(&scalar(v));
            out.push('\n');
        }
    }
}

fn indent(n: usize, out: &mut String) {
    for _ in 0..n {
        out.push(' ');
    }
}

fn sorted(m: &[(String, Value)]) -> Vec<&(String, Value)> {
    let mut entries: Vec<&(String, Value)> = m.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries
}

fn emit_map(m: &[(String, Value)], level: usize, out: &mut String) {
    for (k, v) in sorted(m) {
        indent(level, out);
        out.push_str(&quote_if_needed(k));
        out.push(':');
        emit_value_after_key(v, level, out);
    }
}

fn emit_value_after_key(v: &Value, level: usize, out: &mut String) {
    match &v.data {
        Data::Map(m) if !m.is_empty() => {
            out.push('\n');
            emit_map(m, level + 2, out);
        }
        Data::Seq(s) if !s.is_empty() => {
            out.push('\n');
            emit_seq(s, level, out);
        }
        Data::Str(s) if s.contains('\n') && block_ok(s) => {
            out.push(' ');
            emit_block(s, level + 2, out);
        }
        _ => {
            out.push(' ');
            out.push_str(&scalar(v));
            out.push('\n');
        }
    }
}

fn emit_seq(items: &[Value], level: usize, out: &mut String) {
    for item in items {
        indent(level, out);
        out.push('-');
        match &item.data {
            Data::Map(m) if !m.is_empty() => {
                // The first key on the dash's line, the rest under it.
                let entries = sorted(m);
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i == 0 {
                        out.push(' ');
                    } else {
                        indent(level + 2, out);
                    }
                    out.push_str(&quote_if_needed(k));
                    out.push(':');
                    emit_value_after_key(v, level + 2, out);
                }
            }
            Data::Seq(s) if !s.is_empty() => {
                out.push('\n');
                emit_seq(s, level + 2, out);
            }
            Data::Str(s) if s.contains('\n') && block_ok(s) => {
                out.push(' ');
                emit_block(s, level + 2, out);
            }
            _ => {
                out.push(' ');
                out.push_str(&scalar(item));
                out.push('\n');
            }
        }
    }
}

/// A literal block keeps the text exactly when no line starts with a space before the first
/// one and no line carries trailing spaces that a reader could lose.
fn block_ok(s: &str) -> bool {
    !s.starts_with(' ')
        && !s.starts_with('\n')
        && s.lines().all(|l| !l.ends_with(' ') && !l.contains('\t'))
        && !s.contains('\r')
}

fn emit_block(s: &str, level: usize, out: &mut String) {
    let chomp = if s.ends_with("\n\n") {
        "+"
    } else if s.ends_with('\n') {
        ""
    } else {
        "-"
    };
    out.push('|');
    out.push_str(chomp);
    out.push('\n');
    let body = s.strip_suffix('\n').unwrap_or(s);
    for line in body.split('\n') {
        if !line.is_empty() {
            indent(level, out);
            out.push_str(line);
        }
        out.push('\n');
    }
}

fn scalar(v: &Value) -> String {
    match &v.data {
        Data::Null => "null".into(),
        Data::Bool(b) => b.to_string(),
        Data::Int(s) | Data::Float(s) => s.clone(),
        Data::Str(s) => quote_if_needed(s),
        Data::Seq(_) => "[]".into(),
        Data::Map(_) => "{}".into(),
    }
}

/// Words YAML 1.1 reads as booleans or null; a plain string spelled so is quoted.
const SPECIAL_WORDS: [&str; 22] = [
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
    "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
];

fn looks_like_number(s: &str) -> bool {
    let t = s.strip_prefix(['-', '+']).unwrap_or(s);
    if t.is_empty() {
        return false;
    }
    let t = t.replace('_', "");
    t.parse::<f64>().is_ok()
        || t.starts_with("0x")
        || t.starts_with("0o")
        || t.starts_with("0b")
        || matches!(
            t.as_str(),
            ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN"
        )
        || (t.contains(':')
            && t.split(':')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit())))
}

pub fn quote_if_needed(s: &str) -> String {
    // A string that would read as another type is double-quoted (as go-yaml, which kustomize
    // prints with, does); one that cannot be plain for its characters is single-quoted.
    let other_type = s.is_empty()
        || SPECIAL_WORDS.contains(&s)
        || matches!(s, "~" | "null" | "Null" | "NULL")
        || looks_like_number(s);
    if other_type {
        return serde_json::to_string(s).expect("strings serialise");
    }
    let needs = s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@` \t".contains(c)) && !plain_dash_ok(s)
        || s.ends_with([' ', '\t', ':'])
        || s.contains(": ")
        || s.contains(" #")
        || s.contains(['\n', '\r', '\t'])
        || s.chars().any(|c| c.is_control() || c == '\u{feff}');
    if !needs {
        return s.to_owned();
    }
    if s.chars().any(|c| c.is_control()) || s.contains('\'') && s.contains('"') {
        return serde_json::to_string(s).expect("strings serialise");
    }
    if s.contains('\'') {
        return serde_json::to_string(s).expect("strings serialise");
    }
    format!("'{s}'")
}

/// `-foo` and `:foo` are plain scalars in YAML when the indicator is not followed by a space;
/// kustomize still quotes a leading `-` only when it would read as a sequence or number.
fn plain_dash_ok(s: &str) -> bool {
    let mut chars = s.chars();
    let first = chars.next();
    let second = chars.next();
    matches!(first, Some('-' | '?' | ':')) && second.is_some_and(|c| !c.is_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::value::{from_node, FileLocator};

    fn round_trip(text: &str) -> serde_json::Value {
        let parsed = crate::yaml::parse("t.yaml", text).unwrap();
        let v = from_node(&parsed.documents()[0], &FileLocator("t.yaml".into()));
        let again = to_yaml(std::slice::from_ref(&v));
        let reparsed =
            crate::yaml::parse("t.yaml", &again).unwrap_or_else(|e| panic!("{again}\n{e}"));
        let w = from_node(&reparsed.documents()[0], &FileLocator("t.yaml".into()));
        assert_eq!(v.to_json(), w.to_json(), "{again}");
        v.to_json()
    }

    #[test]
    fn rendered_yaml_reads_back_as_the_same_values() {
        round_trip(
            "a: 'yes'\nb: \"1\"\nc: 1\nd: [x, {y: 'on'}]\ne: \"line1\\nline2\\n\"\nf: ''\ng: null\nh: 'a: b'\ni: \"-1\"\nj: \"it's\"\nk: \"  lead\"\nl: \"tab\\there\"\nm: \"1:20\"\nn: -x\n",
        );
    }

    #[test]
    fn keys_are_sorted_and_lists_sit_under_their_key() {
        let parsed = crate::yaml::parse("t.yaml", "b: 1\na:\n- name: x\n  image: y\n").unwrap();
        let v = from_node(&parsed.documents()[0], &FileLocator("t.yaml".into()));
        assert_eq!(to_yaml(&[v]), "a:\n- image: \"y\"\n  name: x\nb: 1\n");
    }
}
