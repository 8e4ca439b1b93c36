//! Checks for one file's text as it is being typed (the YAML editor's inline diagnostics) and the
//! planned write of a whole file from that editor (written by `wheelhouse-checks`). Pure.
//!
//! What is checked: the text parses (duplicate keys included), then the same Kubernetes checks as
//! [`crate::validate`], then a small schema: a kustomization's known fields and their types, and
//! the shape of a manifest's `metadata` and containers. Unknown kustomization fields are warnings
//! (Kustomize has grown many); everything else that would break the resolver is an error.

use crate::edit::{self, EditError, FileEdit};
use crate::layout::is_kustomization;
use crate::model::{Problem, Severity};
use crate::tree::{entries, get, get_path, items};
use crate::yaml::{self, Node};
use std::path::Path;
use wheelhouse_diagnostics::ErrorCode;

/// Kustomization fields Kustomize knows (kustomize v5), with the shape each must have.
const KUSTOMIZATION_FIELDS: &[(&str, Shape)] = &[
    ("apiVersion", Shape::Scalar),
    ("kind", Shape::Scalar),
    ("metadata", Shape::Map),
    ("resources", Shape::ListOfScalars),
    ("bases", Shape::ListOfScalars),
    ("components", Shape::ListOfScalars),
    ("crds", Shape::ListOfScalars),
    ("patches", Shape::ListOfMaps),
    ("patchesStrategicMerge", Shape::List),
    ("patchesJson6902", Shape::ListOfMaps),
    ("images", Shape::ListOfMaps),
    ("replicas", Shape::ListOfMaps),
    ("namePrefix", Shape::Scalar),
    ("nameSuffix", Shape::Scalar),
    ("namespace", Shape::Scalar),
    ("commonLabels", Shape::Map),
    ("commonAnnotations", Shape::Map),
    ("labels", Shape::ListOfMaps),
    ("configMapGenerator", Shape::ListOfMaps),
    ("secretGenerator", Shape::ListOfMaps),
    ("generatorOptions", Shape::Map),
    ("generators", Shape::ListOfScalars),
    ("transformers", Shape::ListOfScalars),
    ("validators", Shape::ListOfScalars),
    ("helmCharts", Shape::ListOfMaps),
    ("helmGlobals", Shape::Map),
    ("replacements", Shape::ListOfMaps),
    ("vars", Shape::ListOfMaps),
    ("openapi", Shape::Map),
    ("buildMetadata", Shape::ListOfScalars),
    ("sortOptions", Shape::Map),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Scalar,
    Map,
    List,
    ListOfScalars,
    ListOfMaps,
}

impl Shape {
    fn describe(self) -> &'static str {
        match self {
            Shape::Scalar => "a single value",
            Shape::Map => "a mapping (key: value)",
            Shape::List => "a list",
            Shape::ListOfScalars => "a list of paths",
            Shape::ListOfMaps => "a list of mappings",
        }
    }

    fn holds(self, node: &Node) -> bool {
        let scalar = |n: &Node| matches!(n, Node::Scalar { .. } | Node::Alias { .. });
        let map = |n: &Node| matches!(n, Node::Map { .. } | Node::Alias { .. });
        match (self, node) {
            (_, Node::Alias { .. }) => true,
            // An empty value (`resources:`) is a null, which Kustomize accepts as "none".
            (_, n) if n.is_null() => true,
            (Shape::Scalar, n) => scalar(n),
            (Shape::Map, n) => map(n),
            (Shape::List, Node::Seq { .. }) => true,
            (Shape::ListOfScalars, Node::Seq { items, .. }) => items.iter().all(scalar),
            (Shape::ListOfMaps, Node::Seq { items, .. }) => items.iter().all(map),
            _ => false,
        }
    }
}

fn at(file: &str, node: &Node, code: ErrorCode, message: String) -> Problem {
    Problem::new(
        code,
        file.to_owned(),
        Some(node.span().line),
        Some(node.span().column),
        message,
    )
}

/// Every problem of `text` as the content of `path`: syntax first (which stops the rest), then the
/// Kubernetes and schema checks, in document order.
pub fn check_text(path: &str, text: &str) -> Vec<Problem> {
    let parsed = match yaml::parse(path, text) {
        Ok(p) => p,
        Err(e) => {
            return vec![Problem::new(
                ErrorCode::InvalidYaml,
                path.to_owned(),
                (e.line > 0).then_some(e.line),
                (e.column > 0).then_some(e.column),
                e.message,
            )]
        }
    };
    let mut out = Vec::new();
    for doc in parsed.documents() {
        if doc.is_null() {
            continue;
        }
        if !matches!(doc, Node::Map { .. }) {
            out.push(at(
                path,
                doc,
                ErrorCode::InvalidFile,
                "a Kubernetes or Kustomize document must be a mapping (key: value)".into(),
            ));
            continue;
        }
        let is_kustomize_doc = get(doc, "kind")
            .and_then(Node::as_str)
            .is_some_and(|k| k == "Kustomization")
            && get(doc, "apiVersion")
                .and_then(Node::as_str)
                .is_none_or(|a| a.starts_with("kustomize.config"));
        if is_kustomization(path) || is_kustomize_doc {
            check_kustomization(path, doc, &mut out);
        } else {
            crate::validate::check_manifest(path, doc, &mut out);
            check_manifest_shape(path, doc, &mut out);
        }
    }
    out.sort_by_key(|p| (p.line, p.column));
    out.dedup();
    out
}

fn check_kustomization(file: &str, doc: &Node, out: &mut Vec<Problem>) {
    for entry in entries(doc) {
        match KUSTOMIZATION_FIELDS.iter().find(|(k, _)| *k == entry.key) {
            None => out.push(Problem::new(
                ErrorCode::UnknownField,
                file.to_owned(),
                Some(entry.key_span.line),
                Some(entry.key_span.column),
                format!(
                    "\"{}\" is not a kustomization field Wheelhouse knows; Kustomize may reject it",
                    entry.key
                ),
            )),
            Some((key, shape)) if !shape.holds(&entry.value) => out.push(at(
                file,
                &entry.value,
                ErrorCode::InvalidFile,
                format!("{key} must be {}", shape.describe()),
            )),
            Some(_) => {}
        }
    }
    for image in items(get(doc, "images").unwrap_or(&crate::tree::EMPTY)) {
        if matches!(image, Node::Map { .. }) && get(image, "name").is_none() {
            out.push(at(
                file,
                image,
                ErrorCode::InvalidFile,
                "an images entry needs a name (the image it rewrites)".into(),
            ));
        }
    }
    for r in items(get(doc, "replicas").unwrap_or(&crate::tree::EMPTY)) {
        if !matches!(r, Node::Map { .. }) {
            continue;
        }
        if get(r, "name").is_none() {
            out.push(at(
                file,
                r,
                ErrorCode::InvalidFile,
                "a replicas entry needs a name (the workload it scales)".into(),
            ));
        }
        match get(r, "count") {
            None => out.push(at(
                file,
                r,
                ErrorCode::InvalidFile,
                "a replicas entry needs a count".into(),
            )),
            Some(c) if c.as_str().is_none_or(|v| v.parse::<u32>().is_err()) => out.push(at(
                file,
                c,
                ErrorCode::InvalidFile,
                "count must be a whole number, 0 or more".into(),
            )),
            Some(_) => {}
        }
    }
}

fn check_manifest_shape(file: &str, doc: &Node, out: &mut Vec<Problem>) {
    if let Some(meta) = get(doc, "metadata") {
        if !matches!(meta, Node::Map { .. } | Node::Alias { .. }) {
            out.push(at(
                file,
                meta,
                ErrorCode::InvalidFile,
                "metadata must be a mapping (name:, labels:, …)".into(),
            ));
        }
        for key in ["labels", "annotations"] {
            if let Some(m) = get(meta, key) {
                let ok = match m {
                    Node::Map { entries, .. } => entries
                        .iter()
                        .all(|e| matches!(e.value, Node::Scalar { .. } | Node::Alias { .. })),
                    n => n.is_null() || matches!(n, Node::Alias { .. }),
                };
                if !ok {
                    out.push(at(
                        file,
                        m,
                        ErrorCode::InvalidFile,
                        format!("metadata.{key} must map names to single values"),
                    ));
                }
            }
        }
    }
    for spec in [
        &["spec", "template", "spec"][..],
        &["spec", "jobTemplate", "spec", "template", "spec"][..],
    ] {
        let path: Vec<&str> = spec.iter().copied().chain(["containers"]).collect();
        let Some(containers) = get_path(doc, &path) else {
            continue;
        };
        if !matches!(containers, Node::Seq { .. } | Node::Alias { .. }) {
            out.push(at(
                file,
                containers,
                ErrorCode::InvalidFile,
                "containers must be a list".into(),
            ));
            continue;
        }
        for c in items(containers) {
            if !matches!(c, Node::Map { .. }) {
                continue;
            }
            for key in ["name", "image"] {
                if get(c, key).is_none() {
                    out.push(at(
                        file,
                        c,
                        ErrorCode::InvalidFile,
                        format!("a container needs {key}"),
                    ));
                }
            }
        }
    }
}

/// The whole-file edit from the YAML editor, judged by `problems` (what [`check_text`] or
/// another checker — a status page file, the policy — found in `after`): refused at the first
/// error, naming its place; otherwise the planned edit, with its diff from `before`.
pub fn plan_judged_edit(
    path: &str,
    before: &str,
    after: &str,
    problems: &[Problem],
) -> Result<FileEdit, EditError> {
    if let Some(p) = problems.iter().find(|p| p.severity == Severity::Error) {
        return Err(EditError::Yaml {
            file: path.to_owned(),
            line: p.line.unwrap_or(0),
            column: p.column.unwrap_or(0),
            message: p.message.clone(),
        });
    }
    Ok(FileEdit {
        path: path.to_owned(),
        before: before.to_owned(),
        after: after.to_owned(),
        diff: edit::unified_diff(path, before, after),
        creates: false,
        removes: false,
    })
}

/// The text of a file to open in the editor (`full` already resolved inside the repository):
/// refused when too large, binary or not UTF-8, naming `label`.
pub fn read_for_edit(full: &Path, label: &str) -> Result<String, EditError> {
    let bytes = std::fs::read(full).map_err(|e| EditError::Io {
        path: label.to_owned(),
        message: e.to_string(),
    })?;
    let refuse = |message: String| EditError::NotEditable(format!("{label}: {message}"));
    if bytes.len() > yaml::MAX_FILE_BYTES {
        return Err(refuse(format!(
            "{} bytes is more than the editor opens ({} MB)",
            bytes.len(),
            yaml::MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    if bytes.contains(&0) {
        return Err(refuse("the file is binary, not text".into()));
    }
    String::from_utf8(bytes).map_err(|_| refuse("the file is not UTF-8 text".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(path: &str, text: &str) -> Vec<String> {
        check_text(path, text)
            .into_iter()
            .map(|p| {
                format!(
                    "{}:{}:{:?} {}",
                    p.line.unwrap_or(0),
                    p.column.unwrap_or(0),
                    p.severity,
                    p.message
                )
            })
            .collect()
    }

    #[test]
    fn a_good_kustomization_has_no_problems() {
        let text = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../../base\nimages:\n  - name: api\n    newTag: 1.4.2\nreplicas:\n  - name: api\n    count: 3\n";
        assert_eq!(
            messages("overlays/prod/kustomization.yaml", text),
            Vec::<String>::new()
        );
    }

    #[test]
    fn syntax_errors_are_located_and_stop_the_rest() {
        let m = messages(
            "overlays/prod/kustomization.yaml",
            "resources:\n  - a\n bad: [\n",
        );
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].contains("Error"), "{m:?}");
        let dup = messages("a.yaml", "kind: A\nkind: B\n");
        assert!(dup[0].starts_with("2:"), "{dup:?}");
        assert!(dup[0].contains("kind"), "{dup:?}");
    }

    #[test]
    fn kustomization_schema() {
        let text = "resources: ../base\nimagez:\n  - name: api\nimages:\n  - newTag: 2\nreplicas:\n  - name: api\n    count: -1\n";
        let m = messages("overlays/dev/kustomization.yaml", text);
        assert_eq!(
            m,
            vec![
                "1:12:Error resources must be a list of paths",
                "2:1:Warning \"imagez\" is not a kustomization field Wheelhouse knows; Kustomize may reject it",
                "5:5:Error an images entry needs a name (the image it rewrites)",
                "8:12:Error count must be a whole number, 0 or more",
            ]
        );
    }

    #[test]
    fn manifest_checks() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  labels:\n    app: [x]\nspec:\n  replicas: two\n  template:\n    spec:\n      containers:\n        - name: api\n          image: Api:1\n        - image: web:1\n";
        let m = messages("base/api.yaml", text);
        assert_eq!(
            m,
            vec![
                "6:5:Error metadata.labels must map names to single values",
                "8:13:Error spec.replicas must be a whole number, 0 or more",
                "13:18:Error \"Api:1\" is not a valid image reference",
                "14:11:Error a container needs name",
            ]
        );
        assert!(messages("base/list.yaml", "- a\n- b\n")[0].contains("must be a mapping"));
    }
}
