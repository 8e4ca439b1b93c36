//! Argo CD `Application` and `ApplicationSet` (argoproj.io/v1alpha1).
//!
//! [`collect`] reads every Application (and every element of an ApplicationSet's `list`
//! generator, its template filled in) into an [`AppRef`] for layout detection; [`resolve_layer`]
//! resolves one of them in its environment:
//! - a Helm chart (`source.chart` from a chart repository, or `source.path` to a chart folder of
//!   this repository): the chart version (`targetRevision`, or the folder's `Chart.yaml`), then
//!   the values merged as Argo CD does: the folder's `values.yaml`, `helm.valueFiles` in order
//!   (read from this repository: relative to the chart folder, or `$ref/…` through a `ref`
//!   source), `helm.values`, `helm.valuesObject`, `helm.parameters`;
//! - a Kustomize folder of this repository (`source.path`): resolved as that folder's overlay,
//!   then the Application's own `kustomize` overrides (`images`, `replicas`, `namePrefix`,
//!   `nameSuffix`, `namespace`, `commonLabels`, inline `patches`);
//! - a folder of plain manifests (`directory.recurse` honoured).
//!
//! `spec.sources` (several sources) are read one by one, `ref` sources only serving `$ref/`
//! value files. Everything else is reported as a warning where it is written.

use super::base::{
    files_in, flatten, helm_containers, in_dir, is_chart_template, is_yaml, join, key_path,
    kustomization_file, merge_labels, scalar_text, Ctx, Element, Origin, ParseCache, Snapshot,
    ValueList,
};
use super::kustomize::{self, workloads_in_file};
use crate::layout::{AppRef, ElementRef, EnvironmentSpec, LayerSpec};
use crate::model::*;
use crate::render::{Data, Resource, Src, Value};
use crate::tree::{self, get, get_path, items, str_at};
use crate::yaml::{self, Node};
use std::collections::BTreeSet;
use std::sync::Arc;
use wheelhouse_diagnostics::ErrorCode;

/// Whether a file's text may hold an Argo CD resource (checked before parsing).
pub(super) fn mentions_argo(text: &str) -> bool {
    text.contains("argoproj.io")
}

/// The key of a placeholder's inside (`env`, ` env `, `.env`, `.values.x`); `None` for
/// anything else (functions, pipes).
fn placeholder_key(inner: &str) -> Option<&str> {
    let key = inner.trim();
    let key = key.strip_prefix('.').unwrap_or(key);
    (!key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c)))
    .then_some(key)
}

impl<'a> Element<'a> {
    /// The node of `key` (dotted for nested keys) and its path.
    fn lookup(&self, key: &str) -> Option<(&Node, String)> {
        if self.generated {
            // Generated parameters hold dots (`path.basename`): the whole key first.
            if let Some(n) = get(&self.node, key) {
                return Some((n, self.path.clone()));
            }
            let mut node: &Node = &self.node;
            for part in key.split('.') {
                node = get(node, part)?;
            }
            return Some((node, self.path.clone()));
        }
        let mut node: &Node = &self.node;
        let mut path = self.path.clone();
        for part in key.split('.') {
            node = get(node, part)?;
            path.push_str(&key_path(part));
        }
        Some((node, path))
    }

    /// `text` with `{{key}}`, `{{ key }}` and `{{.key}}` (Go template) replaced by the element's
    /// values, and the placeholders left as written because they are not understood.
    pub(super) fn fill(&self, text: &str) -> (String, Vec<String>) {
        let mut out = String::with_capacity(text.len());
        let mut unknown = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find("{{") {
            let Some(len) = rest[start..].find("}}") else {
                break;
            };
            let whole = &rest[start..start + len + 2];
            out.push_str(&rest[..start]);
            let value = placeholder_key(&whole[2..whole.len() - 2])
                .and_then(|k| self.lookup(k))
                .and_then(|(n, _)| scalar_text(n));
            match value {
                Some(v) => out.push_str(&v),
                None => {
                    out.push_str(whole);
                    unknown.push(whole.to_owned());
                }
            }
            rest = &rest[start + len + 2..];
        }
        out.push_str(rest);
        (out, unknown)
    }

    /// When `text` is one placeholder naming a key, that key's value, set by the element (the
    /// environment's own).
    pub(super) fn whole(&self, text: &str) -> Option<Sourced> {
        let inner = text.trim().strip_prefix("{{")?.strip_suffix("}}")?;
        if inner.contains("{{") || inner.contains("}}") {
            return None;
        }
        let (node, path) = self.lookup(placeholder_key(inner)?)?;
        Some(Sourced {
            value: scalar_text(node)?,
            source: Provenance {
                file: self.file.to_owned(),
                path,
                line: tree::line(node),
                layer: Layer::Environment,
            },
        })
    }
}

/// An Application as written: a document, or an ApplicationSet's template with one element.
struct App<'a> {
    file: &'a str,
    /// The Application document, or the ApplicationSet's `spec.template`.
    root: &'a Node,
    /// The path of `root` in its document: empty, or `spec.template`.
    at: &'static str,
    element: Option<Element<'a>>,
}

/// The element keys that name an environment outright.
const ENV_KEYS: [&str; 4] = ["env", "environment", "stage", "envName"];

impl<'a> App<'a> {
    fn new(
        file: &'a str,
        doc: &'a Node,
        element: Option<ElementRef>,
        snapshot: &Snapshot,
    ) -> Option<App<'a>> {
        let Some(er) = element else {
            return Some(App {
                file,
                root: doc,
                at: "",
                element: None,
            });
        };
        let generators = get_path(doc, &["spec", "generators"]).unwrap_or(&tree::EMPTY);
        let generator = items(generators).get(er.generator)?;
        let element = if let Some(list) = get(generator, "list") {
            Element {
                file,
                node: std::borrow::Cow::Borrowed(items(get(list, "elements")?).get(er.element)?),
                path: format!(
                    "spec.generators[{}].list.elements[{}]",
                    er.generator, er.element
                ),
                generated: false,
            }
        } else {
            let go = str_at(doc, &["spec", "goTemplate"]) == Some("true");
            Element {
                file,
                node: std::borrow::Cow::Owned(
                    git_elements(snapshot, generator, go)
                        .ok()?
                        .into_iter()
                        .nth(er.element)?,
                ),
                path: format!("spec.generators[{}].git", er.generator),
                generated: true,
            }
        };
        Some(App {
            file,
            root: get_path(doc, &["spec", "template"])?,
            at: "spec.template",
            element: Some(element),
        })
    }

    /// The full YAML path of `path` (relative to the Application).
    fn path(&self, path: &str) -> String {
        if self.at.is_empty() {
            path.to_owned()
        } else {
            format!("{}.{path}", self.at)
        }
    }

    /// Values of a plain Application are its environment's own; an ApplicationSet template is
    /// shared by all its elements, except where a value is one element key.
    fn origin(&self) -> Origin<'_> {
        Origin {
            file: self.file,
            layer: if self.element.is_some() {
                Layer::Base
            } else {
                Layer::Environment
            },
            embedded: None,
            element: self.element.as_ref(),
        }
    }

    fn text(&self, node: Option<&Node>) -> Option<String> {
        node.and_then(|n| self.origin().text(n).map(|t| t.into_owned()))
    }

    fn text_at(&self, keys: &[&str]) -> Option<String> {
        self.text(get_path(self.root, keys))
    }

    fn name(&self) -> String {
        self.text_at(&["metadata", "name"]).unwrap_or_default()
    }

    /// `spec.source`, or each of `spec.sources`, with its path relative to the Application.
    fn sources(&self) -> Vec<(&'a Node, String)> {
        if let Some(src) = get_path(self.root, &["spec", "source"]) {
            return vec![(src, "spec.source".into())];
        }
        items(get_path(self.root, &["spec", "sources"]).unwrap_or(&tree::EMPTY))
            .iter()
            .enumerate()
            .map(|(i, s)| (s, format!("spec.sources[{i}]")))
            .collect()
    }

    /// The names of `ref` sources (`$name/…` in value files).
    fn refs(&self) -> Vec<String> {
        self.sources()
            .iter()
            .filter_map(|(s, _)| self.text(get(s, "ref")))
            .collect()
    }

    /// The placeholders of the template that the element does not fill (functions, unknown
    /// keys), each once.
    fn unfilled(&self) -> Vec<String> {
        fn walk(node: &Node, el: &Element<'_>, out: &mut Vec<String>) {
            match node {
                Node::Map { entries, .. } => entries.iter().for_each(|e| walk(&e.value, el, out)),
                Node::Seq { items, .. } => items.iter().for_each(|n| walk(n, el, out)),
                Node::Scalar { value, .. } if value.contains("{{") => {
                    for u in el.fill(value).1 {
                        if !out.contains(&u) {
                            out.push(u);
                        }
                    }
                }
                _ => {}
            }
        }
        let mut out = Vec::new();
        if let Some(el) = &self.element {
            walk(self.root, el, &mut out);
        }
        out
    }

    fn summary(&self, doc: usize, element: Option<ElementRef>, line: u32) -> AppRef {
        let env = self.element.as_ref().and_then(|el| {
            ENV_KEYS
                .iter()
                .find_map(|k| get(&el.node, k).and_then(scalar_text))
        });
        let mut hints: Vec<String> = Vec::new();
        if let Some(el) = &self.element {
            hints.extend(
                ["cluster", "name"]
                    .iter()
                    .filter_map(|k| get(&el.node, k).and_then(scalar_text)),
            );
        }
        hints.extend(self.text_at(&["spec", "destination", "namespace"]));
        hints.extend(self.text_at(&["spec", "destination", "name"]));
        let refs = self.refs();
        let mut reads = Vec::new();
        for (src, _) in self.sources() {
            let dir = self.text(get(src, "path")).and_then(|p| repo_path(&p));
            if let Some(d) = dir.as_ref().filter(|d| !d.is_empty()) {
                reads.push(d.clone());
            }
            let files = items(get_path(src, &["helm", "valueFiles"]).unwrap_or(&tree::EMPTY));
            for vf in files {
                if let Some(p) = self
                    .text(Some(vf))
                    .and_then(|vf| value_file(dir.as_deref(), &vf, &refs))
                {
                    reads.push(p);
                }
            }
        }
        AppRef {
            file: self.file.to_owned(),
            doc,
            element,
            name: self.name(),
            env,
            hints,
            reads,
            line,
            generated: self.element.as_ref().is_some_and(|e| e.generated),
        }
    }
}

/// A repository path from an Argo CD `path` (relative to the repository root); `None` when it
/// climbs out.
fn repo_path(path: &str) -> Option<String> {
    join("", path.trim_end_matches('/'))
}

/// Where a value file is in this repository: relative to the chart folder, or `$ref/path`
/// through a `ref` source. `None` when it is elsewhere (inside a chart from a chart
/// repository, at a URL).
fn value_file(chart_dir: Option<&str>, file: &str, refs: &[String]) -> Option<String> {
    if let Some(rest) = file.strip_prefix('$') {
        let (name, path) = rest.split_once('/')?;
        return refs
            .iter()
            .any(|r| r == name)
            .then(|| join("", path))
            .flatten();
    }
    if file.contains("://") {
        return None;
    }
    join(chart_dir?, file)
}

/// Whether a value file that [`value_file`] did not place is one that climbs out of the
/// repository (rather than one read from a chart or another repository).
fn climbs_out(chart_dir: Option<&str>, file: &str) -> bool {
    if let Some(rest) = file.strip_prefix('$') {
        return rest
            .split_once('/')
            .is_some_and(|(_, p)| join("", p).is_none());
    }
    !file.contains("://") && chart_dir.is_some_and(|d| join(d, file).is_none())
}

/// What [`collect`] found.
#[derive(Debug, Default)]
pub(super) struct Collected {
    pub apps: Vec<AppRef>,
    pub problems: Vec<Problem>,
    /// Every file holding an Application or ApplicationSet.
    pub files: BTreeSet<String>,
}

/// What an ApplicationSet makes that is not shown, or (`NoEffect`) that it makes nothing.
fn warning(file: &str, node: &Node, message: String) -> Problem {
    noted(ErrorCode::NotEvaluated, file, node, message)
}

fn noted(code: ErrorCode, file: &str, node: &Node, message: String) -> Problem {
    Problem::new(
        code,
        file.to_owned(),
        Some(tree::line(node)),
        Some(tree::column(node)),
        message,
    )
}

/// Every Argo CD Application of the snapshot, ApplicationSet list generators expanded. Only
/// files that mention `argoproj.io` are parsed (through the cache).
pub(super) fn collect(snapshot: &Snapshot, cache: &mut ParseCache) -> Collected {
    let mut out = Collected::default();
    for (path, text) in &snapshot.files {
        // An app-of-apps chart's Applications are templates: Helm's to render, not YAML yet.
        if !is_yaml(path) || !mentions_argo(text) || is_chart_template(snapshot, path) {
            continue;
        }
        let parsed = match cache.parse(path, text) {
            Ok(p) => p,
            Err(e) => {
                out.problems.push(Problem::new(
                    ErrorCode::InvalidYaml,
                    path.clone(),
                    Some(e.line),
                    Some(e.column),
                    e.message.clone(),
                ));
                continue;
            }
        };
        for (d, doc) in parsed.documents().iter().enumerate() {
            if !str_at(doc, &["apiVersion"]).is_some_and(|a| a.starts_with("argoproj.io/")) {
                continue;
            }
            match str_at(doc, &["kind"]) {
                Some("Application") => {
                    out.files.insert(path.clone());
                    if let Some(app) = App::new(path, doc, None, snapshot) {
                        let line = get_path(doc, &["metadata", "name"]).unwrap_or(doc);
                        out.apps.push(app.summary(d, None, tree::line(line)));
                    }
                }
                Some("ApplicationSet") => {
                    out.files.insert(path.clone());
                    expand(snapshot, path, d, doc, &mut out);
                }
                _ => {}
            }
        }
    }
    out
}

/// The Applications of an ApplicationSet's `list` generators; other generators are reported.
fn expand(snapshot: &Snapshot, file: &str, d: usize, doc: &Node, out: &mut Collected) {
    let name = str_at(doc, &["metadata", "name"]).unwrap_or("");
    if get_path(doc, &["spec", "template"]).is_none() {
        out.problems.push(warning(
            file,
            doc,
            format!("ApplicationSet {name} has no spec.template; the Applications it makes are not shown"),
        ));
        return;
    }
    if let Some(patch) = get_path(doc, &["spec", "templatePatch"]) {
        out.problems.push(warning(
            file,
            patch,
            format!("ApplicationSet {name}: templatePatch is not applied; values it changes are shown as the template has them"),
        ));
    }
    let generators = get_path(doc, &["spec", "generators"]).unwrap_or(&tree::EMPTY);
    let go = str_at(doc, &["spec", "goTemplate"]) == Some("true");
    for (g, generator) in items(generators).iter().enumerate() {
        if get(generator, "git").is_some() {
            match git_elements(snapshot, generator, go) {
                Ok(elements) if elements.is_empty() => out.problems.push(noted(
                    ErrorCode::NoEffect,
                    file,
                    generator,
                    format!("ApplicationSet {name}: the git generator matches no folder or file of this repository; it makes no Application"),
                )),
                Ok(elements) => {
                    for e in 0..elements.len() {
                        let er = ElementRef {
                            generator: g,
                            element: e,
                        };
                        if let Some(app) = App::new(file, doc, Some(er), snapshot) {
                            out.apps.push(app.summary(d, Some(er), tree::line(generator)));
                        }
                    }
                }
                Err(why) => out.problems.push(warning(
                    file,
                    generator,
                    format!("ApplicationSet {name}: {why}; the Applications it makes are not shown"),
                )),
            }
            continue;
        }
        let Some(list) = get(generator, "list") else {
            let kind = tree::entries(generator)
                .first()
                .map_or("unknown", |e| e.key.as_str());
            out.problems.push(warning(
                file,
                generator,
                format!("ApplicationSet {name}: the {kind} generator is not expanded (only list and git are); the Applications it makes are not shown"),
            ));
            continue;
        };
        if let Some(y) = get(list, "elementsYaml") {
            out.problems.push(warning(
                file,
                y,
                format!("ApplicationSet {name}: elementsYaml is not expanded; the Applications it makes are not shown"),
            ));
        }
        for (e, el) in items(get(list, "elements").unwrap_or(&tree::EMPTY))
            .iter()
            .enumerate()
        {
            let er = ElementRef {
                generator: g,
                element: e,
            };
            if let Some(app) = App::new(file, doc, Some(er), snapshot) {
                let unfilled = app.unfilled();
                if !unfilled.is_empty() {
                    out.problems.push(warning(
                        file,
                        el,
                        format!(
                            "ApplicationSet {name}: {} not filled for this element (not a key of it, or a template function); shown as written",
                            unfilled.join(", ")
                        ),
                    ));
                }
                out.apps.push(app.summary(d, Some(er), tree::line(el)));
            }
        }
    }
}

fn scalar_node(value: &str, span: crate::yaml::Span) -> Node {
    Node::Scalar {
        value: value.to_owned(),
        style: crate::yaml::ScalarStyle::Plain,
        kind: crate::yaml::ScalarKind::Str,
        span,
        anchor: None,
    }
}

fn map_node(entries: Vec<(String, Node)>, span: crate::yaml::Span) -> Node {
    Node::Map {
        entries: entries
            .into_iter()
            .map(|(key, value)| crate::yaml::Entry {
                key,
                key_span: span,
                value,
            })
            .collect(),
        span,
        flow: false,
        anchor: None,
    }
}

/// A name as Argo CD normalises it for `basenameNormalized`: what is not a letter, a digit,
/// `-` or `.` becomes `-`.
fn normalized(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// The parameters Argo CD gives a folder (`path`, `path.basename`, `path[0]`…; with
/// `goTemplate`, `.path.path`, `.path.basename`, `.path.segments`).
fn path_params(
    dir: &str,
    file: Option<&str>,
    go: bool,
    span: crate::yaml::Span,
) -> Vec<(String, Node)> {
    let base = dir.rsplit('/').next().unwrap_or(dir);
    let segments: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    if go {
        let mut m = vec![
            ("path".to_owned(), scalar_node(dir, span)),
            ("basename".to_owned(), scalar_node(base, span)),
            (
                "basenameNormalized".to_owned(),
                scalar_node(&normalized(base), span),
            ),
            (
                "segments".to_owned(),
                Node::Seq {
                    items: segments.iter().map(|s| scalar_node(s, span)).collect(),
                    span,
                    flow: false,
                    anchor: None,
                },
            ),
        ];
        if let Some(f) = file {
            m.push(("filename".to_owned(), scalar_node(f, span)));
            m.push((
                "filenameNormalized".to_owned(),
                scalar_node(&normalized(f), span),
            ));
        }
        return vec![("path".to_owned(), map_node(m, span))];
    }
    let mut out = vec![
        ("path".to_owned(), scalar_node(dir, span)),
        ("path.basename".to_owned(), scalar_node(base, span)),
        (
            "path.basenameNormalized".to_owned(),
            scalar_node(&normalized(base), span),
        ),
    ];
    if let Some(f) = file {
        out.push(("path.filename".to_owned(), scalar_node(f, span)));
        out.push((
            "path.filenameNormalized".to_owned(),
            scalar_node(&normalized(f), span),
        ));
    }
    for (i, s) in segments.iter().enumerate() {
        out.push((format!("path[{i}]"), scalar_node(s, span)));
    }
    out
}

/// A config file's keys as parameters: flattened (`a.b`) without `goTemplate`, nested with it.
fn file_params(node: &Node, prefix: &str, go: bool, out: &mut Vec<(String, Node)>) {
    if go {
        for e in tree::entries(node) {
            out.push((e.key.clone(), e.value.clone()));
        }
        return;
    }
    for e in tree::entries(node) {
        let key = if prefix.is_empty() {
            e.key.clone()
        } else {
            format!("{prefix}.{}", e.key)
        };
        match &e.value {
            Node::Map { .. } => file_params(&e.value, &key, go, out),
            other => out.push((key, other.clone())),
        }
    }
}

/// The elements an ApplicationSet `git` generator makes from this repository: one per folder
/// its `directories` match (less the `exclude: true` ones), or one per file its `files` match
/// (the file's keys, then the path parameters). `Err` says why it cannot be expanded.
fn git_elements(snapshot: &Snapshot, generator: &Node, go: bool) -> Result<Vec<Node>, String> {
    let git = get(generator, "git").ok_or("not a git generator")?;
    let span = generator.span();
    let glob = |pattern: &str| {
        globset::GlobBuilder::new(pattern.trim_start_matches("./").trim_end_matches('/'))
            .literal_separator(true)
            .build()
            .map(|g| g.compile_matcher())
            .map_err(|e| format!("the git generator's pattern {pattern} is not valid: {e}"))
    };
    let mut out = Vec::new();
    let dirs = items(get(git, "directories").unwrap_or(&tree::EMPTY));
    if !dirs.is_empty() {
        let mut include = Vec::new();
        let mut exclude = Vec::new();
        for d in dirs {
            let Some(p) = str_at(d, &["path"]) else {
                continue;
            };
            let m = glob(p)?;
            if str_at(d, &["exclude"]) == Some("true") {
                exclude.push(m);
            } else {
                include.push(m);
            }
        }
        let mut folders: BTreeSet<&str> = BTreeSet::new();
        for path in snapshot.files.keys().chain(snapshot.unreadable.keys()) {
            let mut p = path.as_str();
            while let Some((parent, _)) = p.rsplit_once('/') {
                folders.insert(parent);
                p = parent;
            }
        }
        for f in folders {
            if include.iter().any(|m| m.is_match(f)) && !exclude.iter().any(|m| m.is_match(f)) {
                out.push(map_node(path_params(f, None, go, span), span));
            }
        }
    }
    for f in items(get(git, "files").unwrap_or(&tree::EMPTY)) {
        let Some(p) = str_at(f, &["path"]) else {
            continue;
        };
        let m = glob(p)?;
        for (path, text) in &snapshot.files {
            if !m.is_match(path) {
                continue;
            }
            let parsed = crate::yaml::parse(path, text)
                .map_err(|e| format!("{path}, read by the git generator, is not valid: {e}"))?;
            let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
            let mut params = Vec::new();
            if let Some(doc) = parsed.documents().first() {
                file_params(doc, "", go, &mut params);
            }
            // Spans of a file's values are the generator's: they are written in another file.
            let params = params
                .into_iter()
                .map(|(k, v)| (k, respan(v, span)))
                .chain(path_params(dir, Some(name), go, span))
                .collect();
            out.push(map_node(params, span));
        }
    }
    Ok(out)
}

fn respan(node: Node, span: crate::yaml::Span) -> Node {
    match node {
        Node::Scalar {
            value,
            style,
            kind,
            anchor,
            ..
        } => Node::Scalar {
            value,
            style,
            kind,
            span,
            anchor,
        },
        Node::Map {
            entries,
            flow,
            anchor,
            ..
        } => Node::Map {
            entries: entries
                .into_iter()
                .map(|e| crate::yaml::Entry {
                    key: e.key,
                    key_span: span,
                    value: respan(e.value, span),
                })
                .collect(),
            span,
            flow,
            anchor,
        },
        Node::Seq {
            items,
            flow,
            anchor,
            ..
        } => Node::Seq {
            items: items.into_iter().map(|i| respan(i, span)).collect(),
            span,
            flow,
            anchor,
        },
        other => other,
    }
}

/// Warns about each Application that no environment took.
pub(super) fn report_unplaced(
    ctx: &mut Ctx<'_>,
    apps: &[AppRef],
    envs: &[EnvironmentSpec],
    configured: bool,
) {
    let placed: BTreeSet<(&str, usize, Option<ElementRef>)> = envs
        .iter()
        .flat_map(|e| e.layers.iter())
        .filter_map(|l| match l {
            LayerSpec::Argo {
                file, doc, element, ..
            } => Some((file.as_str(), *doc, *element)),
            _ => None,
        })
        .collect();
    for app in apps {
        if placed.contains(&(app.file.as_str(), app.doc, app.element)) {
            continue;
        }
        let message = match (&app.env, configured) {
            (Some(env), true) => format!(
                "Argo CD Application {} is for environment {env}, which .wheelhouse/config.yaml does not list; what it deploys is not shown",
                app.name
            ),
            (_, true) => format!(
                "Argo CD Application {} is in no environment of .wheelhouse/config.yaml (by its name, folder, source path, value files or destination); what it deploys is not shown",
                app.name
            ),
            _ => format!(
                "Argo CD Application {} names no environment (by its name, folder, source path, value files or destination); what it deploys is not shown. List it in .wheelhouse/config.yaml to place it",
                app.name
            ),
        };
        ctx.problems.push(Problem::new(
            ErrorCode::NotEvaluated,
            app.file.clone(),
            Some(app.line),
            None,
            message,
        ));
    }
}

/// The workload id of an Application across environments: its name without the environment
/// (`api-prod` → `api`), else `fallback`.
fn app_id(name: &str, env: &str, fallback: &str) -> String {
    for sep in ['-', '_', '.'] {
        if let Some(rest) = name.strip_suffix(&format!("{sep}{env}")) {
            return rest.to_owned();
        }
        if let Some(rest) = name.strip_prefix(&format!("{env}{sep}")) {
            return rest.to_owned();
        }
        let middle = format!("{sep}{env}{sep}");
        if let Some(i) = name.find(&middle) {
            return format!("{}{}", &name[..i], &name[i + env.len() + 1..]);
        }
    }
    if name.is_empty() || name == env {
        fallback.to_owned()
    } else {
        name.to_owned()
    }
}

/// Git revisions that mean "what is on the branch", where the working tree is what is deployed.
fn follows_branch(rev: &str) -> bool {
    matches!(rev, "" | "HEAD" | "main" | "master")
}

/// The workloads one Application (or ApplicationSet element) deploys in environment `env`.
pub(super) fn resolve_layer(
    ctx: &mut Ctx<'_>,
    env: &str,
    file: &str,
    doc: usize,
    element: Option<ElementRef>,
) -> Vec<WorkloadState> {
    let Some(parsed) = ctx.load(file) else {
        return Vec::new();
    };
    let Some(app) = parsed
        .documents()
        .get(doc)
        .and_then(|d| App::new(file, d, element, ctx.snapshot))
    else {
        return Vec::new();
    };
    let origin = app.origin();
    let name = app.name();
    let refs = app.refs();
    let namespace = app.text_at(&["spec", "destination", "namespace"]);
    let mut labels = Vec::new();
    merge_labels(
        &origin,
        &app.path("metadata.labels"),
        get_path(app.root, &["metadata", "labels"]),
        &mut labels,
    );
    let sources = app.sources();
    if sources.is_empty() {
        ctx.problem_in(
            &origin,
            app.root,
            format!("Argo CD Application {name} has no spec.source or spec.sources; it deploys nothing we can show"),
            ErrorCode::NotEvaluated,
        );
    }
    let mut out: Vec<WorkloadState> = Vec::new();
    let mut helm_count = 0;
    for (src, at) in sources {
        let chart = app.text(get(src, "chart"));
        let path = app.text(get(src, "path"));
        if let Some(chart) = chart {
            let fallback = chart.clone();
            let id = helm_id(&name, env, &fallback, &mut helm_count);
            out.push(helm_app(ctx, &app, src, &at, None, &refs, id, &labels));
            continue;
        }
        let Some(path) = path else {
            if get(src, "ref").is_none() {
                ctx.problem_in(
                    &origin,
                    src,
                    format!("Argo CD Application {name}: a source with neither chart nor path is not resolved"),
                    ErrorCode::NotEvaluated,
                );
            }
            continue;
        };
        let Some(dir) = repo_path(&path) else {
            ctx.problem_in(
                &origin,
                src,
                format!("{path} points outside the repository"),
                ErrorCode::PathOutsideRepository,
            );
            continue;
        };
        if let Some(rev) = app.text(get(src, "targetRevision")) {
            if !follows_branch(&rev) {
                ctx.problem_in(
                    &origin,
                    get(src, "targetRevision").unwrap_or(src),
                    format!("Argo CD Application {name} deploys {path} at revision {rev}; what is shown is read from this checkout"),
                    ErrorCode::NotEvaluated,
                );
            }
        }
        if ctx.exists(&in_dir(&dir, "Chart.yaml")) || get(src, "helm").is_some() {
            let fallback = dir.rsplit('/').next().unwrap_or(&dir).to_owned();
            let id = helm_id(&name, env, &fallback, &mut helm_count);
            out.push(helm_app(
                ctx,
                &app,
                src,
                &at,
                Some(&dir),
                &refs,
                id,
                &labels,
            ));
        } else if kustomization_file(ctx, &dir).is_some() {
            let resources = build(ctx, &app, src, &at, &dir).0;
            out.extend(kustomize::workloads(ctx, &resources));
        } else {
            let recurse =
                get_path(src, &["directory", "recurse"]).and_then(tree::as_str) == Some("true");
            let files = files_in(ctx.snapshot, &dir, recurse);
            if files.is_empty() {
                let repo = app.text(get(src, "repoURL")).unwrap_or_default();
                ctx.problem_in(
                    &origin,
                    get(src, "path").unwrap_or(src),
                    format!("{path} is not a folder of this repository (repoURL {repo}); what Argo CD Application {name} deploys from it is not shown"),
                    ErrorCode::NotEvaluated,
                );
            }
            for f in files {
                out.extend(workloads_in_file(ctx, &f));
            }
        }
    }
    for w in out.iter_mut() {
        if w.namespace.is_none() {
            w.namespace.clone_from(&namespace);
        }
        if !w.files.iter().any(|f| f == file) {
            w.files.push(file.to_owned());
        }
    }
    out
}

/// The id of the `n`th Helm source of an Application: the Application's id, then `id/chart`.
fn helm_id(name: &str, env: &str, chart: &str, count: &mut usize) -> String {
    let id = app_id(name, env, chart);
    *count += 1;
    if *count == 1 {
        id
    } else {
        format!("{id}/{chart}")
    }
}

/// A Helm source: chart version and values, merged in Argo CD's order.
#[allow(clippy::too_many_arguments)]
fn helm_app(
    ctx: &mut Ctx<'_>,
    app: &App<'_>,
    src: &Node,
    at: &str,
    chart_dir: Option<&str>,
    refs: &[String],
    id: String,
    labels: &[NamedValue],
) -> WorkloadState {
    let origin = app.origin();
    let mut values = ValueList::default();
    let mut files: Vec<String> = Vec::new();
    let mut chart_version = None;
    if let Some(dir) = chart_dir {
        let defaults = in_dir(dir, "values.yaml");
        if ctx.exists(&defaults) {
            if let Some(parsed) = ctx.load(&defaults) {
                if let Some(doc) = parsed.documents().first() {
                    flatten(&ctx.origin(&defaults), "", "", doc, &mut values);
                }
                files.push(defaults);
            }
        }
        let chart_file = in_dir(dir, "Chart.yaml");
        if ctx.exists(&chart_file) {
            if let Some(parsed) = ctx.load(&chart_file) {
                chart_version = parsed
                    .documents()
                    .first()
                    .and_then(|d| get(d, "version"))
                    .and_then(|v| ctx.origin(&chart_file).sourced("version".into(), v));
                files.push(chart_file);
            }
        }
    } else {
        chart_version = get(src, "targetRevision")
            .and_then(|n| origin.sourced(app.path(&format!("{at}.targetRevision")), n));
    }
    let helm = get(src, "helm").unwrap_or(&tree::EMPTY);
    let ignore_missing = str_at(helm, &["ignoreMissingValueFiles"]) == Some("true");
    for vf_node in items(get(helm, "valueFiles").unwrap_or(&tree::EMPTY)) {
        let Some(vf) = app.text(Some(vf_node)) else {
            continue;
        };
        match value_file(chart_dir, &vf, refs) {
            Some(p) if ctx.exists(&p) => {
                if let Some(parsed) = ctx.load(&p) {
                    if let Some(doc) = parsed.documents().first() {
                        flatten(&ctx.origin(&p), "", "", doc, &mut values);
                    }
                    files.push(p);
                }
            }
            Some(p) if !ignore_missing => ctx.problem_in(
                &origin,
                vf_node,
                format!("value file {vf} ({p}) does not exist in this repository; its values are not shown"),
                ErrorCode::NotEvaluated,
            ),
            Some(_) => {}
            None if climbs_out(chart_dir, &vf) => ctx.problem_in(
                &origin,
                vf_node,
                format!("value file {vf} points outside the repository; it was not read"),
                ErrorCode::PathOutsideRepository,
            ),
            None => ctx.problem_in(
                &origin,
                vf_node,
                format!("value file {vf} is not in this repository (it is read from the chart or another repository); its values are not shown"),
                ErrorCode::NotEvaluated,
            ),
        }
    }
    if let Some(inline) = get(helm, "values") {
        let path = app.path(&format!("{at}.helm.values"));
        match inline {
            Node::Scalar { .. } => {
                let text = origin.text(inline).map(|t| t.into_owned());
                if let (Some(text), Some(inner)) = (text, origin.embedded(&path, inline)) {
                    match yaml::parse(app.file, &text) {
                        Ok(parsed) => {
                            if let Some(doc) = parsed.documents().first() {
                                flatten(&inner, "", "", doc, &mut values);
                            }
                        }
                        Err(e) => ctx.problems.push(Problem::new(
                            ErrorCode::InvalidYaml,
                            app.file.to_owned(),
                            Some(inner.line_at(e.line)),
                            None,
                            format!("{path} is not valid YAML: {}", e.message),
                        )),
                    }
                }
            }
            other => flatten(&origin, "", &path, other, &mut values),
        }
    }
    if let Some(object) = get(helm, "valuesObject") {
        let path = app.path(&format!("{at}.helm.valuesObject"));
        flatten(&origin, "", &path, object, &mut values);
    }
    for (i, p) in items(get(helm, "parameters").unwrap_or(&tree::EMPTY))
        .iter()
        .enumerate()
    {
        let (Some(name), Some(v)) = (app.text(get(p, "name")), get(p, "value")) else {
            continue;
        };
        if let Some(value) =
            origin.sourced(app.path(&format!("{at}.helm.parameters[{i}].value")), v)
        {
            values.set(name, value);
        }
    }
    if let Some(fp) = get(helm, "fileParameters") {
        ctx.problem_in(
            &origin,
            fp,
            "helm.fileParameters are not read; the values they set are not shown".into(),
            ErrorCode::NotEvaluated,
        );
    }
    let name = app
        .text(get(helm, "releaseName"))
        .unwrap_or_else(|| app.name());
    files.push(app.file.to_owned());
    WorkloadState {
        containers: helm_containers(&id, &values),
        id,
        kind: WorkloadKind::ArgoApplication,
        name,
        namespace: None,
        replicas: values.get("replicaCount").cloned(),
        chart_version,
        values: values.list,
        labels: labels.to_vec(),
        files,
    }
}

/// The kustomization folder `dir` an Application's source deploys, built as Argo CD builds it
/// (after its `kustomize:` edit); with the edited kustomization (its file and text) when the
/// Application changes it.
fn build(
    ctx: &mut Ctx<'_>,
    app: &App<'_>,
    src: &Node,
    at: &str,
    dir: &str,
) -> (Vec<Resource>, Option<(String, String)>) {
    let mut stack = Vec::new();
    let edit = get(src, "kustomize")
        .map(|k| kustomize_edit(ctx, app, dir, k, &format!("{at}.kustomize")))
        .filter(|e| !e.is_empty());
    match edit {
        None => (kustomize::render(ctx, dir, &mut stack), None),
        Some(e) => kustomize::render_edited(ctx, dir, &e, &mut stack),
    }
}

/// What an Application deploys from kustomization folders of this repository, rendered as Argo
/// CD builds it. `folders` gets each folder built, `edited` each kustomization (file, text) as
/// the Application's `kustomize:` edit leaves it.
pub(super) fn render_layer(
    ctx: &mut Ctx<'_>,
    file: &str,
    doc: usize,
    element: Option<ElementRef>,
    folders: &mut Vec<String>,
    edited: &mut Vec<(String, String)>,
) -> Vec<Resource> {
    let Some(parsed) = ctx.load(file) else {
        return Vec::new();
    };
    let Some(app) = parsed
        .documents()
        .get(doc)
        .and_then(|d| App::new(file, d, element, ctx.snapshot))
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (src, at) in app.sources() {
        if get(src, "chart").is_some() || get(src, "helm").is_some() {
            continue;
        }
        let Some(dir) = app.text(get(src, "path")).and_then(|p| repo_path(&p)) else {
            continue;
        };
        if ctx.exists(&in_dir(&dir, "Chart.yaml")) || kustomization_file(ctx, &dir).is_none() {
            continue;
        }
        folders.push(dir.clone());
        let (resources, text) = build(ctx, &app, src, &at, &dir);
        edited.extend(text);
        out.extend(resources);
    }
    out
}

/// An Application's `kustomize:` as the edit Argo CD makes to the kustomization of the folder
/// it deploys (`kustomize edit set image|replicas|nameprefix|namesuffix|namespace`, `kustomize
/// edit add label|annotation|component`, and its inline patches appended to `patches`): the
/// same render as everything else then builds it.
fn kustomize_edit(
    ctx: &mut Ctx<'_>,
    app: &App<'_>,
    dir: &str,
    k: &Node,
    at: &str,
) -> kustomize::Edit {
    let origin = app.origin();
    // A scalar of the Application, placeholders filled, located where it is set (an
    // ApplicationSet element's key when it is one placeholder) and in that layer.
    let scalar = |path: &str, node: &Node| -> Option<(String, Option<Arc<Src>>)> {
        let s = origin.sourced(app.path(path), node)?;
        let src = Arc::new(Src {
            file: s.source.file.as_str().into(),
            path: s.source.path,
            line: s.source.line,
            layer: Some(s.source.layer),
        });
        Some((s.value, Some(src)))
    };
    let string =
        |path: &str, node: &Node| scalar(path, node).map(|(v, src)| Value::str(v).with_src(src));
    let flag = |key: &str| app.text(get(k, key)).as_deref() == Some("true");
    let mut edit = kustomize::Edit {
        name_prefix: get(k, "namePrefix").and_then(|n| string(&format!("{at}.namePrefix"), n)),
        name_suffix: get(k, "nameSuffix").and_then(|n| string(&format!("{at}.nameSuffix"), n)),
        namespace: get(k, "namespace").and_then(|n| string(&format!("{at}.namespace"), n)),
        force_labels: flag("forceCommonLabels"),
        labels_without_selector: flag("labelWithoutSelector"),
        label_include_templates: flag("labelIncludeTemplates"),
        force_annotations: flag("forceCommonAnnotations"),
        ..Default::default()
    };
    edit.name_prefix = edit.name_prefix.filter(|v| v.as_str() != Some(""));
    edit.name_suffix = edit.name_suffix.filter(|v| v.as_str() != Some(""));
    edit.namespace = edit.namespace.filter(|v| v.as_str() != Some(""));
    for (i, entry) in items(get(k, "images").unwrap_or(&tree::EMPTY))
        .iter()
        .enumerate()
    {
        let Some((text, src)) = scalar(&format!("{at}.images[{i}]"), entry) else {
            continue;
        };
        let Some(fields) = image_override(&text) else {
            ctx.problem_in(
                &origin,
                entry,
                format!("kustomize.images entry {text} is not an image override Argo CD can set (old=new:tag, old=new@digest, old=new, name:tag or name@digest); the Application does not build"),
                ErrorCode::InvalidFile,
            );
            continue;
        };
        let mut image = Value::map();
        for (key, v) in fields {
            image.set(key, Value::str(v).with_src(src.clone()));
        }
        edit.images.push(image);
    }
    for (i, entry) in items(get(k, "replicas").unwrap_or(&tree::EMPTY))
        .iter()
        .enumerate()
    {
        let name = get(entry, "name").and_then(|n| scalar(&format!("{at}.replicas[{i}].name"), n));
        let count =
            get(entry, "count").and_then(|n| scalar(&format!("{at}.replicas[{i}].count"), n));
        let (Some((name, name_src)), Some((count, src))) = (name, count) else {
            ctx.problem_in(
                &origin,
                entry,
                "a kustomize.replicas entry needs name and count".into(),
                ErrorCode::InvalidFile,
            );
            continue;
        };
        if count.parse::<i64>().is_err() {
            ctx.problem_in(
                &origin,
                get(entry, "count").unwrap_or(entry),
                format!("kustomize.replicas count {count} is not a whole number; the Application does not build"),
                ErrorCode::InvalidFile,
            );
            continue;
        }
        let mut r = Value::map();
        r.set("name", Value::str(name).with_src(name_src));
        r.set("count", Value::new(Data::Int(count)).with_src(src));
        edit.replicas.push(r);
    }
    let envsubst = flag("commonAnnotationsEnvsubst");
    for (key, list) in [("commonLabels", 0), ("commonAnnotations", 1)] {
        for e in tree::entries(get(k, key).unwrap_or(&tree::EMPTY)) {
            let Some(v) = string(&format!("{at}.{key}{}", key_path(&e.key)), &e.value) else {
                continue;
            };
            if list == 1 && envsubst && v.as_str().is_some_and(|t| t.contains('$')) {
                ctx.problem_in(
                    &origin,
                    &e.value,
                    format!("{}annotation {}: Argo CD substitutes its build environment ($ARGOCD_APP_NAME…) into it; the value is shown as written", kustomize::NOT_EVALUATED, e.key),
                    ErrorCode::NotEvaluated,
                );
            }
            if list == 0 {
                edit.labels.push((e.key.clone(), v));
            } else {
                edit.annotations.push((e.key.clone(), v));
            }
        }
    }
    let ignore_missing = flag("ignoreMissingComponents");
    for (i, entry) in items(get(k, "components").unwrap_or(&tree::EMPTY))
        .iter()
        .enumerate()
    {
        let Some(v) = string(&format!("{at}.components[{i}]"), entry) else {
            continue;
        };
        let exists = join(dir, v.as_str().unwrap_or(""))
            .is_some_and(|t| kustomization_file(ctx, &t).is_some());
        if exists || !ignore_missing {
            edit.components.push(v);
        }
    }
    for (i, entry) in items(get(k, "patches").unwrap_or(&tree::EMPTY))
        .iter()
        .enumerate()
    {
        if let Some(p) = patch(ctx, app, dir, entry, &format!("{at}.patches[{i}]")) {
            edit.patches.push(p);
        }
    }
    edit
}

/// One `kustomize.patches` entry: written inline (`patch`) or a file of the folder (`path`),
/// with its `target` and `options`; the entry as it is appended, and the patch as read.
fn patch(
    ctx: &mut Ctx<'_>,
    app: &App<'_>,
    dir: &str,
    entry: &Node,
    at: &str,
) -> Option<(Value, kustomize::Patch)> {
    let origin = app.origin();
    let target = get(entry, "target").map(|t| kustomize::to_value_in_layer(origin, t));
    let options = get(entry, "options").map(|o| kustomize::to_value_in_layer(origin, o));
    let mut appended = Value::map();
    let (docs, file) = if let Some(node) = get(entry, "patch") {
        let path = app.path(&format!("{at}.patch"));
        let text = origin.text(node)?.into_owned();
        let inner = origin.embedded(&path, node)?;
        appended.set("patch", Value::str(text.clone()));
        match yaml::parse(app.file, &text) {
            Ok(parsed) => (
                parsed
                    .documents()
                    .iter()
                    .map(|d| kustomize::to_value_in_layer(inner, d))
                    .collect(),
                app.file.to_owned(),
            ),
            Err(e) => {
                ctx.problems.push(Problem::new(
                    ErrorCode::InvalidYaml,
                    app.file.to_owned(),
                    Some(inner.line_at(e.line)),
                    None,
                    format!("{path} is not valid YAML: {}", e.message),
                ));
                return None;
            }
        }
    } else if let Some(node) = get(entry, "path") {
        let rel = origin.text(node)?.into_owned();
        let Some(file) = join(dir, &rel).filter(|f| ctx.exists(f)) else {
            ctx.problem_in(
                &origin,
                node,
                format!("kustomize.patches path {rel} is not a file of {dir}; the Application does not build"),
                ErrorCode::InvalidFile,
            );
            return None;
        };
        appended.set("path", Value::str(rel));
        (ctx.documents(&file)?.to_vec(), file)
    } else {
        ctx.problem_in(
            &origin,
            entry,
            "a kustomize.patches entry needs patch or path".into(),
            ErrorCode::InvalidFile,
        );
        return None;
    };
    if let Some(t) = &target {
        appended.set("target", t.clone());
    }
    if let Some(o) = &options {
        appended.set("options", o.clone());
    }
    let at_value = kustomize::to_value_in_layer(origin, entry);
    Some((
        appended,
        kustomize::Patch::inline(docs, &file, target, options.as_ref(), at_value),
    ))
}

/// The fields of an `images` entry that `kustomize edit set image ARG` writes: `old=new:tag`,
/// `old=new@digest`, `old=new`, `name:tag`, `name@digest` (`*` keeps what the kustomization
/// has). `None` when ARG is none of these (kustomize refuses it).
fn image_override(arg: &str) -> Option<Vec<(&'static str, String)>> {
    let tag_ok = |t: &str| {
        t == "*"
            || t.chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    };
    let split = |a: &str, rename: bool| -> Option<(String, String, String)> {
        if let Some((name, digest)) = a.split_once('@') {
            let digest = digest.split('@').next().unwrap_or(digest);
            return Some((name.to_owned(), String::new(), digest.to_owned()));
        }
        if let Some((name, tag)) = a.rsplit_once(':').filter(|(_, t)| tag_ok(t)) {
            return Some((name.to_owned(), tag.to_owned(), String::new()));
        }
        (rename && !a.is_empty()).then(|| (a.to_owned(), String::new(), String::new()))
    };
    let parts: Vec<&str> = arg.split('=').collect();
    let (name, new_name, tag, digest) = if parts.len() == 2 {
        let (n, t, d) = split(parts[1], true)?;
        (parts[0].to_owned(), n, t, d)
    } else {
        let (n, t, d) = split(arg, false)?;
        (n, String::new(), t, d)
    };
    let mut out = vec![("name", name)];
    for (key, v) in [("newName", new_name), ("newTag", tag), ("digest", digest)] {
        if !v.is_empty() {
            out.push((key, v));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::{app_id, value_file, Element};
    use crate::model::Layer;

    #[test]
    fn placeholders_are_filled_from_the_element_in_both_template_syntaxes() {
        let parsed = crate::yaml::parse(
            "set.yaml",
            "env: prod\nchart: {version: 1.2.0}\nreplicas: 3\n",
        )
        .unwrap();
        let el = Element {
            file: "set.yaml",
            node: std::borrow::Cow::Borrowed(&parsed.documents()[0]),
            path: "spec.generators[0].list.elements[2]".into(),
            generated: false,
        };
        assert_eq!(
            el.fill("api-{{env}}-{{ .env }}/{{.chart.version}}"),
            ("api-prod-prod/1.2.0".to_owned(), vec![])
        );
        assert_eq!(
            el.fill("{{ .env | upper }}-{{missing}}-{{"),
            (
                "{{ .env | upper }}-{{missing}}-{{".to_owned(),
                vec!["{{ .env | upper }}".to_owned(), "{{missing}}".to_owned()]
            )
        );
        let whole = el.whole("{{.chart.version}}").unwrap();
        assert_eq!(
            (
                whole.value.as_str(),
                whole.source.path.as_str(),
                whole.source.line,
                whole.source.layer
            ),
            (
                "1.2.0",
                "spec.generators[0].list.elements[2].chart.version",
                2,
                Layer::Environment
            )
        );
        assert!(el.whole("v{{env}}").is_none());
        assert_eq!(el.whole("{{replicas}}").unwrap().value, "3");
    }

    #[test]
    fn application_names_lose_their_environment() {
        assert_eq!(app_id("api-prod", "prod", "x"), "api");
        assert_eq!(app_id("prod-api", "prod", "x"), "api");
        assert_eq!(app_id("shop-prod-api", "prod", "x"), "shop-api");
        assert_eq!(app_id("api", "prod", "x"), "api");
        assert_eq!(app_id("prod", "prod", "chart"), "chart");
    }

    #[test]
    fn value_files_resolve_in_the_chart_folder_or_through_a_ref() {
        let refs = vec!["values".to_owned()];
        assert_eq!(
            value_file(Some("charts/api"), "values-prod.yaml", &refs).as_deref(),
            Some("charts/api/values-prod.yaml")
        );
        assert_eq!(
            value_file(None, "$values/envs/prod/api.yaml", &refs).as_deref(),
            Some("envs/prod/api.yaml")
        );
        assert_eq!(value_file(None, "values-prod.yaml", &refs), None);
        assert_eq!(value_file(None, "$other/x.yaml", &refs), None);
        assert_eq!(value_file(Some("c"), "https://x/values.yaml", &refs), None);
    }
}
