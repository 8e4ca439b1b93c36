//! Validation: every YAML file parses (problems located by file, line and column), and the basic
//! Kubernetes checks hold for every manifest: apiVersion, kind and metadata.name present, replicas
//! a non-negative integer, image references well formed. Pure over a snapshot.

use crate::model::Problem;
use crate::resolve::{is_yaml, ParseCache, Snapshot};
use crate::tree::{self, get, get_path, items, str_at};
use crate::yaml::Node;
use wheelhouse_diagnostics::ErrorCode;

/// All problems, errors first within each file, files in path order.
pub fn validate(snapshot: &Snapshot, cache_problems: &[Problem]) -> Vec<Problem> {
    validate_with(snapshot, cache_problems, &mut ParseCache::default())
}

/// [`validate`], reusing (and filling) a parse cache: files already parsed are not parsed again.
pub fn validate_with(
    snapshot: &Snapshot,
    cache_problems: &[Problem],
    cache: &mut ParseCache,
) -> Vec<Problem> {
    let mut out: Vec<Problem> = cache_problems.to_vec();
    for (path, why) in &snapshot.unreadable {
        out.push(Problem::new(
            ErrorCode::NotEvaluated,
            path.clone(),
            None,
            None,
            why.clone(),
        ));
    }
    for (path, text) in &snapshot.files {
        // A chart's templates are Go templates, not YAML: Helm reads them, not us.
        if !is_yaml(path) || crate::resolve::is_chart_template(snapshot, path) {
            continue;
        }
        let parsed = match cache_parse(cache, path, text) {
            Ok(p) => p,
            Err(p) => {
                out.push(p);
                continue;
            }
        };
        for doc in parsed.documents() {
            check_manifest(path, doc, &mut out);
        }
    }
    out.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    out.dedup();
    out
}

fn cache_parse(
    cache: &mut ParseCache,
    path: &str,
    text: &std::sync::Arc<str>,
) -> Result<std::sync::Arc<crate::yaml::YamlFile>, Problem> {
    cache.parse(path, text).map_err(|e| {
        Problem::new(
            ErrorCode::InvalidYaml,
            path.to_owned(),
            Some(e.line),
            Some(e.column),
            e.message,
        )
    })
}

fn at(file: &str, node: &Node, message: String) -> Problem {
    Problem::new(
        ErrorCode::InvalidFile,
        file.to_owned(),
        Some(node.span().line),
        Some(node.span().column),
        message,
    )
}

/// Whether an image reference parses: `[registry[:port]/]name[:tag][@sha256:…]`, lowercase name.
pub fn valid_image(image: &str) -> bool {
    if image.is_empty() || image.chars().any(|c| c.is_whitespace()) {
        return false;
    }
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (image, None),
    };
    if let Some(d) = digest {
        let Some((alg, hex)) = d.split_once(':') else {
            return false;
        };
        if alg.is_empty() || hex.len() < 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return false;
        }
    }
    if rest.ends_with(':') {
        return false;
    }
    let (name, tag) = crate::resolve::split_image(rest);
    if !tag.is_empty()
        && !tag
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        return false;
    }
    let path = name.split_once('/').map_or(name, |(first, rest)| {
        if first.contains('.') || first.contains(':') || first == "localhost" {
            rest
        } else {
            name
        }
    });
    !path.is_empty()
        && path.split('/').all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
        })
}

pub(crate) fn check_manifest(file: &str, doc: &Node, out: &mut Vec<Problem>) {
    let Some(kind_node) = get(doc, "kind") else {
        return;
    };
    let kind = str_at(doc, &["kind"]).unwrap_or_default();
    if kind == "Kustomization"
        && str_at(doc, &["apiVersion"]).is_some_and(|a| a.starts_with("kustomize.config"))
    {
        return;
    }
    if get(doc, "apiVersion").is_none() {
        out.push(at(file, kind_node, format!("{kind} has no apiVersion")));
    }
    match (
        str_at(doc, &["metadata", "name"]),
        str_at(doc, &["metadata", "generateName"]),
    ) {
        (Some(n), _) if !n.is_empty() => {}
        // The API server names it (Helm hooks, Jobs run by Argo CD).
        (_, Some(g)) if !g.is_empty() => {}
        _ => out.push(at(
            file,
            kind_node,
            format!("{kind} has no metadata.name (nor generateName)"),
        )),
    }
    if let Some(r) = get_path(doc, &["spec", "replicas"]) {
        let ok = r.as_str().is_some_and(|v| v.parse::<u32>().is_ok());
        if !ok {
            out.push(at(
                file,
                r,
                "spec.replicas must be a whole number, 0 or more".into(),
            ));
        }
    }
    for spec in [
        &["spec", "template", "spec"][..],
        &["spec", "jobTemplate", "spec", "template", "spec"][..],
    ] {
        for key in ["containers", "initContainers"] {
            let path: Vec<&str> = spec.iter().copied().chain([key]).collect();
            for c in items(get_path(doc, &path).unwrap_or(&tree::EMPTY)) {
                if let Some(img) = get(c, "image") {
                    let value = str_at(c, &["image"]).unwrap_or_default();
                    if !valid_image(value) {
                        out.push(at(
                            file,
                            img,
                            format!("\"{value}\" is not a valid image reference"),
                        ));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::valid_image;

    #[test]
    fn image_references() {
        for ok in [
            "nginx",
            "nginx:1.27",
            "registry.acme.example/shop/api:1.4.2",
            "localhost:5000/a/b:v1",
            "a@sha256:0123456789abcdef0123456789abcdef",
        ] {
            assert!(valid_image(ok), "{ok}");
        }
        for bad in [
            "",
            "Nginx:1",
            "api:1.0 ",
            "api:tag with space",
            "reg/api:",
            "a@sha256:xyz",
        ] {
            assert!(!valid_image(bad), "{bad}");
        }
    }
}
