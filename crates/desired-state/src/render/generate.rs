//! `configMapGenerator` and `secretGenerator`: the objects they make, and the content hash
//! kustomize appends to their names, computed exactly as kustomize does (so the names match
//! what the cluster gets).

use super::value::{Data, Src, Value};
use base64::Engine;
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// One key of generated data and where it was written.
#[derive(Debug, Clone)]
pub struct Entry {
    pub key: String,
    pub value: String,
    pub src: Option<Arc<Src>>,
}

/// `KEY=VALUE` lines of an env file (comments and blank lines skipped, a line without `=`
/// names an empty value, as kustomize reads them).
pub fn env_file_entries(text: &str, src: impl Fn(u32) -> Option<Arc<Src>>) -> Vec<Entry> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_start_matches('\u{feff}').trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (k, v) = line.split_once('=').unwrap_or((line, ""));
        out.push(Entry {
            key: k.trim().to_owned(),
            value: v.to_owned(),
            src: src(i as u32 + 1),
        });
    }
    out
}

/// A literal `KEY=VALUE` (quotes around the value removed, as kustomize does).
pub fn literal(text: &str) -> Option<(String, String)> {
    let (k, v) = text.split_once('=')?;
    let v = if v.len() >= 2
        && ((v.starts_with('"') && v.ends_with('"')) || (v.starts_with('\'') && v.ends_with('\'')))
    {
        &v[1..v.len() - 1]
    } else {
        v
    };
    Some((k.to_owned(), v.to_owned()))
}

/// The generated object (without its hash suffix). Secrets hold base64 data.
pub fn object(
    kind: &str,
    name: &Value,
    namespace: Option<&Value>,
    secret_type: Option<&Value>,
    entries: &[Entry],
) -> Value {
    let mut o = Value::map();
    o.set("apiVersion", Value::str("v1"));
    o.set("kind", Value::str(kind));
    let meta = o.ensure_map(&["metadata"]);
    meta.set("name", name.clone());
    if let Some(ns) = namespace {
        meta.set("namespace", ns.clone());
    }
    if kind == "Secret" {
        o.set(
            "type",
            secret_type.cloned().unwrap_or_else(|| Value::str("Opaque")),
        );
    }
    if !entries.is_empty() {
        let mut data = Value::map();
        for e in entries {
            let text = if kind == "Secret" {
                base64::engine::general_purpose::STANDARD.encode(e.value.as_bytes())
            } else {
                e.value.clone()
            };
            data.set(&e.key, Value::str(text).with_src(e.src.clone()));
        }
        o.set("data", data);
    }
    o
}

/// JSON as Go's `encoding/json` writes it (sorted keys, `<`, `>` and `&` escaped): the hash
/// must be computed over the very bytes kustomize hashes.
fn go_json(v: &serde_json::Value, out: &mut String) {
    use serde_json::Value as J;
    match v {
        J::Null => out.push_str("null"),
        J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        J::Number(n) => out.push_str(&n.to_string()),
        J::String(s) => go_string(s, out),
        J::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                go_json(x, out);
            }
            out.push(']');
        }
        J::Object(o) => {
            let mut keys: Vec<&String> = o.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                go_string(k, out);
                out.push(':');
                go_json(&o[k], out);
            }
            out.push('}');
        }
    }
}

fn go_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The suffix kustomize appends: its hash leaves the name out (it reads `metadata/name` with a
/// lookup that finds nothing), so only kind, data (and type for a Secret) count.
pub fn name_hash(object: &Value) -> String {
    let field = |k: &str| match object.get(k) {
        Some(v) if v.is_map() => v.to_json(),
        Some(v) => serde_json::Value::String(v.scalar_text().unwrap_or_default()),
        None => serde_json::Value::String(String::new()),
    };
    let kind = object.str_at(&["kind"]).unwrap_or("");
    let mut m = serde_json::Map::new();
    m.insert("kind".into(), kind.into());
    m.insert("name".into(), "".into());
    m.insert("data".into(), field("data"));
    if kind == "Secret" {
        m.insert("type".into(), field("type"));
        if object.get("stringData").is_some_and(Value::is_map) {
            m.insert("stringData".into(), field("stringData"));
        }
    } else if object.get("binaryData").is_some_and(Value::is_map) {
        m.insert("binaryData".into(), field("binaryData"));
    }
    let mut text = String::new();
    go_json(&serde_json::Value::Object(m), &mut text);
    let hex = format!("{:x}", Sha256::digest(text.as_bytes()));
    hex[..10]
        .chars()
        .map(|c| match c {
            '0' => 'g',
            '1' => 'h',
            '3' => 'k',
            'a' => 'm',
            'e' => 't',
            c => c,
        })
        .collect()
}

/// Merges generated data into an existing generated object (`behavior: merge`).
pub fn merge_data(into: &mut Value, from: &Value) {
    if let Some(Data::Map(new)) = from.get("data").map(|d| &d.data) {
        let data = into.ensure_map(&["data"]);
        for (k, v) in new.iter() {
            data.set(k, v.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_the_one_kustomize_prints() {
        // Both checked against `kubectl kustomize` (Kustomize v5.5.0).
        let cm = object(
            "ConfigMap",
            &Value::str("cfg"),
            None,
            None,
            &[Entry {
                key: "K".into(),
                value: "V".into(),
                src: None,
            }],
        );
        assert_eq!(name_hash(&cm), "882hgddftf");
        let cm = object(
            "ConfigMap",
            &Value::str("other"),
            None,
            None,
            &[
                Entry {
                    key: "K".into(),
                    value: "V".into(),
                    src: None,
                },
                Entry {
                    key: "X".into(),
                    value: "<a&b>".into(),
                    src: None,
                },
            ],
        );
        assert_eq!(name_hash(&cm), "dtmdkdgb99");
    }
}
