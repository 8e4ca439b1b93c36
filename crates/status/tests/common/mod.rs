//! Fixtures shared by the integration tests: the demo's status page and tiny pages built in code.
#![allow(dead_code)]

pub mod synthetic;

use std::collections::BTreeMap;
use wheelhouse_status::{load, StatusPage};

/// The moment the golden files are rendered at: the day after the demo's last incident update.
pub const DEMO_NOW: &str = "2026-11-06T12:00:00Z";

pub fn ts(s: &str) -> jiff::Timestamp {
    s.parse().expect("a test timestamp")
}

/// The status folder of a freshly created demo workspace, as `load` takes it.
pub fn demo_files() -> BTreeMap<String, String> {
    let dir = tempfile::tempdir().unwrap();
    let demo = wheelhouse_demo::create(&dir.path().join("demo")).unwrap();
    wheelhouse_status::fs::read_folder(&std::path::Path::new(&demo.repo).join("status")).unwrap()
}

pub fn demo() -> StatusPage {
    load(&demo_files()).unwrap_or_else(|e| panic!("the demo loads: {e:#?}"))
}

/// A map of files from (path, text) pairs.
pub fn files(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect()
}

pub const PAGE: &str = "name: Example\ntime_zone: UTC\nurl: https://status.example.com\n";

pub const COMPONENTS: &str = "\
groups:
  - name: Core
    components:
      - {id: api, name: API}
      - {id: web, name: Website}
";

/// A minimal page with two components plus extra files.
pub fn page_with(extra: &[(&str, &str)]) -> BTreeMap<String, String> {
    let mut f = files(&[("page.yaml", PAGE), ("components.yaml", COMPONENTS)]);
    f.extend(files(extra));
    f
}

// ---- checks shared by the validity and XSS tests ----

use html5ever::tendril::TendrilSink;
use markup5ever_rcdom::{Handle, NodeData, RcDom};

/// An element as parsed: its local name and attributes (name, value).
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    /// Text content for `<style>` elements.
    pub text: String,
}

/// Parses a document with html5ever; returns its parse errors and every element.
pub fn parse_html(bytes: &[u8]) -> (Vec<String>, Vec<Element>) {
    let dom = html5ever::parse_document(RcDom::default(), Default::default())
        .from_utf8()
        .read_from(&mut &bytes[..])
        .unwrap();
    let errors = dom.errors.borrow().iter().map(|e| e.to_string()).collect();
    let mut elements = Vec::new();
    walk(&dom.document, &mut elements);
    (errors, elements)
}

fn walk(node: &Handle, out: &mut Vec<Element>) {
    if let NodeData::Element { name, attrs, .. } = &node.data {
        let mut text = String::new();
        for child in node.children.borrow().iter() {
            if let NodeData::Text { contents } = &child.data {
                text.push_str(&contents.borrow());
            }
        }
        out.push(Element {
            name: name.local.to_string(),
            attrs: attrs
                .borrow()
                .iter()
                .map(|a| (a.name.local.to_string(), a.value.to_string()))
                .collect(),
            text,
        });
    }
    for child in node.children.borrow().iter() {
        walk(child, out);
    }
}

/// The HTML rules of the export: parses without errors, no script of any kind, no event
/// handler, no `javascript:` URL, nothing that loads a resource.
pub fn assert_safe_html(path: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    assert!(
        !text.to_ascii_lowercase().contains("<script"),
        "{path} contains <script"
    );
    let (errors, elements) = parse_html(bytes);
    assert!(
        errors.is_empty(),
        "{path} has HTML parse errors: {errors:?}"
    );
    for e in &elements {
        assert!(
            !matches!(
                e.name.as_str(),
                "script"
                    | "iframe"
                    | "object"
                    | "embed"
                    | "img"
                    | "image"
                    | "video"
                    | "audio"
                    | "source"
                    | "form"
                    | "base"
                    | "frame"
                    | "use"
                    | "math"
            ),
            "{path} has a <{}> element",
            e.name
        );
        for (name, value) in &e.attrs {
            let lower = name.to_ascii_lowercase();
            assert!(!lower.starts_with("on"), "{path}: <{}> has {name}=", e.name);
            assert!(
                lower != "style",
                "{path}: <{}> has a style attribute",
                e.name
            );
            assert!(
                !matches!(
                    lower.as_str(),
                    "src" | "srcset" | "action" | "formaction" | "data" | "poster" | "background"
                ),
                "{path}: <{}> loads something with {name}={value}",
                e.name
            );
            let squashed: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            assert!(
                !squashed.starts_with("javascript:")
                    && !squashed.starts_with("vbscript:")
                    && !squashed.starts_with("data:"),
                "{path}: <{}> has {name}={value}",
                e.name
            );
        }
        if e.name == "meta" {
            assert!(
                !e.attrs
                    .iter()
                    .any(|(n, v)| n == "http-equiv" && v.eq_ignore_ascii_case("refresh")),
                "{path} has a meta refresh"
            );
        }
        if e.name == "link" {
            let rel = e
                .attrs
                .iter()
                .find(|(n, _)| n == "rel")
                .map(|(_, v)| v.as_str());
            assert_eq!(
                rel,
                Some("alternate"),
                "{path}: only alternate links, no stylesheet or preload"
            );
        }
        if e.name == "style" {
            let css = e.text.to_ascii_lowercase();
            assert!(
                !css.contains("url(") && !css.contains("@import"),
                "{path}: CSS loads something"
            );
        }
    }
}

/// The schema of the Statuspage v2 documents, with `$ref` pointing at one of its `$defs`.
pub fn schema_for(def: &str) -> jsonschema::Validator {
    let text = include_str!("../../schemas/statuspage-v2.schema.json");
    let mut schema: serde_json::Value = serde_json::from_str(text).unwrap();
    schema["$ref"] = serde_json::Value::String(format!("#/$defs/{def}"));
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

/// Which schema definition each JSON document of the export follows.
pub const JSON_DOCUMENTS: &[(&str, &str)] = &[
    ("api/v2/summary.json", "summary"),
    ("api/v2/status.json", "status_document"),
    ("api/v2/components.json", "components_document"),
    ("api/v2/incidents.json", "incidents_document"),
    ("api/v2/incidents/unresolved.json", "incidents_document"),
    (
        "api/v2/scheduled-maintenances.json",
        "scheduled_maintenances_document",
    ),
    (
        "api/v2/scheduled-maintenances/upcoming.json",
        "scheduled_maintenances_document",
    ),
    (
        "api/v2/scheduled-maintenances/active.json",
        "scheduled_maintenances_document",
    ),
    ("badge.json", "shields_endpoint"),
];

pub fn assert_valid_json(out: &BTreeMap<String, Vec<u8>>) {
    for (path, def) in JSON_DOCUMENTS {
        let bytes = out
            .get(*path)
            .unwrap_or_else(|| panic!("the export has {path}"));
        let doc: serde_json::Value = serde_json::from_slice(bytes).unwrap();
        let validator = schema_for(def);
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{path} does not follow the schema: {errors:#?}"
        );
    }
}
