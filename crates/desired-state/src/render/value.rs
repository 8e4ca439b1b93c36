//! A Kubernetes object as the render sees it: a plain YAML value tree in which every scalar
//! remembers where it was written (file, YAML path inside that file, line), so a value that a
//! patch, a component or an `images` entry changed still says who changed it.

use crate::yaml::{Node, ScalarKind};
use std::sync::Arc;

/// Where a scalar was written. The layer (base or environment) is decided later, by whoever
/// knows which folders an environment owns: a rendered base is shared by every environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Src {
    pub file: Arc<str>,
    /// Dotted path inside the document, as provenance shows it (`spec.replicas`,
    /// `patches[1].patch > spec.replicas`).
    pub path: String,
    pub line: u32,
    /// The layer, when the file alone does not decide it: what an Argo CD Application (one
    /// environment's own file) or one element of an ApplicationSet sets.
    pub layer: Option<crate::model::Layer>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Data {
    Null,
    Bool(bool),
    /// The integer as written (canonical decimal when it fits an i64).
    Int(String),
    Float(String),
    Str(String),
    /// Lists and maps are shared until written (`Arc::make_mut`): environments built on one
    /// base copy only the parts their overlays change.
    Seq(Arc<Vec<Value>>),
    Map(Arc<Vec<(String, Value)>>),
}

impl Data {
    pub fn seq(items: Vec<Value>) -> Data {
        Data::Seq(Arc::new(items))
    }

    pub fn map(entries: Vec<(String, Value)>) -> Data {
        Data::Map(Arc::new(entries))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub data: Data,
    pub src: Option<Arc<Src>>,
}

impl Value {
    pub fn new(data: Data) -> Value {
        Value { data, src: None }
    }

    pub fn str(s: impl Into<String>) -> Value {
        Value::new(Data::Str(s.into()))
    }

    pub fn map() -> Value {
        Value::new(Data::map(Vec::new()))
    }

    pub fn with_src(mut self, src: Option<Arc<Src>>) -> Value {
        self.src = src;
        self
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        match &self.data {
            Data::Map(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value at `key`, made private to this tree first (a shared map is copied, one
    /// level deep).
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        let m = self.entries_mut()?;
        m.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The entries of a map, to change (copied first when shared).
    pub fn entries_mut(&mut self) -> Option<&mut Vec<(String, Value)>> {
        match &mut self.data {
            Data::Map(m) => Some(Arc::make_mut(m)),
            _ => None,
        }
    }

    /// The items of a list, to change (copied first when shared).
    pub fn items_mut(&mut self) -> Option<&mut Vec<Value>> {
        match &mut self.data {
            Data::Seq(s) => Some(Arc::make_mut(s)),
            _ => None,
        }
    }

    pub fn at(&self, keys: &[&str]) -> Option<&Value> {
        keys.iter().try_fold(self, |v, k| v.get(k))
    }

    pub fn at_mut(&mut self, keys: &[&str]) -> Option<&mut Value> {
        let mut v = self;
        for k in keys {
            v = v.get_mut(k)?;
        }
        Some(v)
    }

    /// The map at `keys`, created (replacing a non-map) on the way.
    pub fn ensure_map(&mut self, keys: &[&str]) -> &mut Value {
        let mut v = self;
        for k in keys {
            if !matches!(v.data, Data::Map(_)) {
                *v = Value::map();
            }
            if v.get(k).is_none_or(|x| !matches!(x.data, Data::Map(_))) {
                v.set(k, Value::map());
            }
            v = v.get_mut(k).expect("just set");
        }
        v
    }

    /// Sets `key` in a map (in place when present, else appended).
    pub fn set(&mut self, key: &str, value: Value) {
        if let Some(m) = self.entries_mut() {
            match m.iter_mut().find(|(k, _)| k == key) {
                Some((_, v)) => *v = value,
                None => m.push((key.to_owned(), value)),
            }
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let i = self.entries().iter().position(|(k, _)| k == key)?;
        Some(self.entries_mut()?.remove(i).1)
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.data {
            Data::Str(s) | Data::Int(s) | Data::Float(s) => Some(s),
            _ => None,
        }
    }

    pub fn str_at(&self, keys: &[&str]) -> Option<&str> {
        self.at(keys).and_then(Value::as_str)
    }

    /// The scalar as text (what the matrix shows): `true`, `3`, `nginx:1.2`; `None` for null
    /// and collections.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.data {
            Data::Str(s) | Data::Int(s) | Data::Float(s) => Some(s.clone()),
            Data::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    pub fn items(&self) -> &[Value] {
        match &self.data {
            Data::Seq(s) => s.as_slice(),
            _ => &[],
        }
    }

    pub fn entries(&self) -> &[(String, Value)] {
        match &self.data {
            Data::Map(m) => m.as_slice(),
            _ => &[],
        }
    }

    /// The items of the list at `key` (none when it is missing or not a list).
    pub fn items_at(&self, key: &str) -> &[Value] {
        self.get(key).map_or(&[], Value::items)
    }

    /// The entries of the map at `key` (none when it is missing or not a map).
    pub fn entries_at(&self, key: &str) -> &[(String, Value)] {
        self.get(key).map_or(&[], Value::entries)
    }

    pub fn is_map(&self) -> bool {
        matches!(self.data, Data::Map(_))
    }

    /// The value as JSON, provenance dropped (for comparing renders and for hashing).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.data {
            Data::Null => J::Null,
            Data::Bool(b) => J::Bool(*b),
            Data::Int(s) => s
                .parse::<i64>()
                .map(J::from)
                .unwrap_or_else(|_| J::String(s.clone())),
            Data::Float(s) => s
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(J::Number)
                .unwrap_or_else(|| J::String(s.clone())),
            Data::Str(s) => J::String(s.clone()),
            Data::Seq(items) => J::Array(items.iter().map(Value::to_json).collect()),
            Data::Map(m) => J::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()),
        }
    }

    /// A value from JSON (a JSON 6902 value written in a string, a generated object).
    pub fn from_json(json: &serde_json::Value) -> Value {
        use serde_json::Value as J;
        Value::new(match json {
            J::Null => Data::Null,
            J::Bool(b) => Data::Bool(*b),
            J::Number(n) if n.is_i64() || n.is_u64() => Data::Int(n.to_string()),
            J::Number(n) => Data::Float(n.to_string()),
            J::String(s) => Data::Str(s.clone()),
            J::Array(a) => Data::seq(a.iter().map(Value::from_json).collect()),
            J::Object(o) => Data::map(
                o.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        })
    }

    /// Whether some scalar inside, as text (strings and numbers as written), is one `f`
    /// accepts. Read-only: walking a shared tree with `&mut` would copy it, so writers ask first.
    pub fn any_str(&self, f: &dyn Fn(&str) -> bool) -> bool {
        match &self.data {
            Data::Str(s) | Data::Int(s) | Data::Float(s) => f(s),
            Data::Seq(items) => items.iter().any(|v| v.any_str(f)),
            Data::Map(m) => m.iter().any(|(_, v)| v.any_str(f)),
            _ => false,
        }
    }

    /// Every scalar's provenance set to `src` (a value an `images` entry or a replacement
    /// wrote).
    pub fn stamp(&mut self, src: &Option<Arc<Src>>) {
        self.src = src.clone();
        match &mut self.data {
            Data::Seq(items) => Arc::make_mut(items).iter_mut().for_each(|v| v.stamp(src)),
            Data::Map(m) => Arc::make_mut(m).iter_mut().for_each(|(_, v)| v.stamp(src)),
            _ => {}
        }
    }
}

/// How a value is located while converting: the file, a prefix for paths (YAML embedded in a
/// string of the file) and how lines inside map to lines of the file.
pub trait Locator {
    fn file(&self) -> &Arc<str>;
    fn path(&self, inner: String) -> String;
    fn line(&self, node: &Node) -> u32;
    /// The layer of every value, when the file alone does not decide it ([`Src::layer`]).
    fn layer(&self) -> Option<crate::model::Layer> {
        None
    }
}

/// A YAML node as a value, every scalar located through `loc`. Aliases are expanded (sharing
/// the anchored value, which keeps where it is written) and merge keys (`<<: *base`,
/// `<<: [*a, *b]`) merged under the keys written beside them, as kustomize reads YAML;
/// [`crate::yaml::parse`] has already refused documents whose aliases expand too far.
pub fn from_node(node: &Node, loc: &dyn Locator) -> Value {
    let mut c = Converter {
        loc,
        anchors: std::collections::HashMap::new(),
    };
    c.convert(node, &mut String::new())
}

struct Converter<'l> {
    loc: &'l dyn Locator,
    /// The value of each anchor defined so far in the document (a later one with the same name
    /// replaces it, as in YAML).
    anchors: std::collections::HashMap<String, Value>,
}

impl Converter<'_> {
    fn convert(&mut self, node: &Node, path: &mut String) -> Value {
        let value = match node {
            Node::Map { entries, .. } => {
                let mut out = Vec::with_capacity(entries.len());
                let mut merged: Vec<(String, Value)> = Vec::new();
                for e in entries {
                    let len = path.len();
                    let seg = crate::yaml::format_path(&[crate::yaml::PathSeg::Key(e.key.clone())]);
                    if !path.is_empty() && !seg.starts_with('[') {
                        path.push('.');
                    }
                    path.push_str(&seg);
                    let v = self.convert(&e.value, path);
                    path.truncate(len);
                    if e.key == "<<" && merge(&mut merged, &v) {
                        continue;
                    }
                    out.push((e.key.clone(), v));
                }
                // Merged keys count only where the mapping does not write them itself.
                for (k, v) in merged {
                    if !out.iter().any(|(x, _)| *x == k) {
                        out.push((k, v));
                    }
                }
                Value::new(Data::map(out))
            }
            Node::Seq { items, .. } => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let len = path.len();
                    path.push_str(&format!("[{i}]"));
                    out.push(self.convert(item, path));
                    path.truncate(len);
                }
                Value::new(Data::seq(out))
            }
            Node::Alias { name, .. } => self
                .anchors
                .get(name)
                .cloned()
                .unwrap_or_else(|| Value::new(Data::Null)),
            Node::Scalar { value, kind, .. } => {
                let data = scalar_data(value, *kind);
                Value {
                    data,
                    src: Some(Arc::new(Src {
                        file: self.loc.file().clone(),
                        path: self.loc.path(path.clone()),
                        line: self.loc.line(node),
                        layer: self.loc.layer(),
                    })),
                }
            }
        };
        if let Some(a) = node.anchor() {
            self.anchors.insert(a.to_owned(), value.clone());
        }
        value
    }
}

/// Adds the entries of a merge key's value (a map, or a list of maps, earlier ones first) to
/// `merged`, where a key already there stays. `false` when the value is no merge (kept as a
/// plain `<<` key).
fn merge(merged: &mut Vec<(String, Value)>, v: &Value) -> bool {
    let maps: Vec<&Value> = match &v.data {
        Data::Map(_) => vec![v],
        Data::Seq(items) if !items.is_empty() && items.iter().all(Value::is_map) => {
            items.iter().collect()
        }
        _ => return false,
    };
    for m in maps {
        for (k, x) in m.entries() {
            if !merged.iter().any(|(y, _)| y == k) {
                merged.push((k.clone(), x.clone()));
            }
        }
    }
    true
}

fn scalar_data(value: &str, kind: ScalarKind) -> Data {
    match kind {
        ScalarKind::Null => Data::Null,
        ScalarKind::Bool => Data::Bool(value.eq_ignore_ascii_case("true")),
        ScalarKind::Int => Data::Int(canonical_int(value)),
        ScalarKind::Float => Data::Float(value.to_owned()),
        ScalarKind::Str => Data::Str(value.to_owned()),
    }
}

fn canonical_int(text: &str) -> String {
    let t = text.trim_start_matches('+');
    let parsed = if let Some(h) = t.strip_prefix("0x") {
        i64::from_str_radix(h, 16).ok()
    } else if let Some(o) = t.strip_prefix("0o") {
        i64::from_str_radix(o, 8).ok()
    } else {
        t.parse::<i64>().ok()
    };
    parsed.map_or_else(|| text.to_owned(), |n| n.to_string())
}

/// A locator for a whole file.
#[derive(Debug)]
pub struct FileLocator(pub Arc<str>);

impl Locator for FileLocator {
    fn file(&self) -> &Arc<str> {
        &self.0
    }
    fn path(&self, inner: String) -> String {
        inner
    }
    fn line(&self, node: &Node) -> u32 {
        node.span().line
    }
}
