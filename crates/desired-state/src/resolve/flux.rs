//! Flux and Kargo objects: the Flux `Kustomization`s and Kargo `Stage`s of a snapshot, read for
//! environment detection, and a Flux Kustomization applied as Flux applies it (its folder
//! built, then `targetNamespace`, `components`, `patches`, `images`, `commonMetadata` labels
//! and `postBuild` variable substitution).

use super::base::{files_in, is_yaml, join, Ctx, ParseCache, Snapshot};
use super::kustomize::{self, NOT_EVALUATED};
use crate::layout::{FluxRef, StageRef};
use crate::model::*;
use crate::render::{Data, Resource, Value};
use crate::tree::{self, as_str, get, get_path, items, str_at};
use regex::Regex;
use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;
use wheelhouse_diagnostics::ErrorCode;

pub fn mentions_flux_or_kargo(text: &str) -> bool {
    text.contains("kustomize.toolkit.fluxcd.io") || text.contains("kargo.akuity.io")
}

/// The Flux Kustomizations and Kargo Stages of the snapshot, and the files holding them.
pub(super) fn collect(
    snapshot: &Snapshot,
    cache: &mut ParseCache,
) -> (Vec<FluxRef>, Vec<StageRef>, BTreeSet<String>) {
    let (mut flux, mut stages, mut files) = (Vec::new(), Vec::new(), BTreeSet::new());
    let mut sources: Vec<Source> = Vec::new();
    let mut refs: Vec<Option<(String, String)>> = Vec::new();
    for (path, text) in &snapshot.files {
        if !is_yaml(path) || !(mentions_flux_or_kargo(text) || text.contains(FLUX_SOURCES)) {
            continue;
        }
        let Ok(parsed) = cache.parse(path, text) else {
            continue;
        };
        for (d, doc) in parsed.documents().iter().enumerate() {
            let api = str_at(doc, &["apiVersion"]).unwrap_or("");
            let kind = str_at(doc, &["kind"]).unwrap_or("");
            let name = str_at(doc, &["metadata", "name"]).unwrap_or("").to_owned();
            if api.starts_with(FLUX_SOURCES) {
                sources.push(Source {
                    kind: kind.to_owned(),
                    name: name.clone(),
                    file: path.clone(),
                    url: str_at(doc, &["spec", "url"])
                        .or_else(|| str_at(doc, &["spec", "endpoint"]))
                        .map(str::to_owned),
                });
            } else if api.starts_with("kustomize.toolkit.fluxcd.io/") && kind == "Kustomization" {
                let spath = str_at(doc, &["spec", "path"]).unwrap_or("./");
                let Some(p) = join("", spath.trim_start_matches('/')) else {
                    continue;
                };
                files.insert(path.clone());
                refs.push(str_at(doc, &["spec", "sourceRef", "name"]).map(|n| {
                    (
                        str_at(doc, &["spec", "sourceRef", "kind"])
                            .unwrap_or("GitRepository")
                            .to_owned(),
                        n.to_owned(),
                    )
                }));
                flux.push(FluxRef {
                    file: path.clone(),
                    doc: d,
                    name,
                    path: p,
                    depends_on: items(
                        get_path(doc, &["spec", "dependsOn"]).unwrap_or(&tree::EMPTY),
                    )
                    .iter()
                    .filter_map(|x| str_at(x, &["name"]).map(str::to_owned))
                    .collect(),
                    external: None,
                    remote: get_path(doc, &["spec", "kubeConfig"])
                        .and_then(|_| remote_name(path, doc)),
                });
            } else if api.starts_with("kargo.akuity.io/") && kind == "Stage" {
                files.insert(path.clone());
                stages.push(stage(path, doc, name));
            } else if api.starts_with("kargo.akuity.io/") {
                files.insert(path.clone());
            }
        }
    }
    for (f, r) in flux.iter_mut().zip(refs) {
        f.external = r.and_then(|(kind, name)| external_source(&sources, &kind, &name));
    }
    (flux, stages, files)
}

/// A warning for each Flux Kustomization that deploys to another cluster (`spec.kubeConfig`)
/// without `spec.path`: Flux then builds the whole repository for that cluster, which is rarely
/// what a hub means; the environment shows that build, and says so.
pub(super) fn remote_without_path(
    snapshot: &Snapshot,
    cache: &mut ParseCache,
    refs: &[FluxRef],
) -> Vec<Problem> {
    let mut out = Vec::new();
    for r in refs.iter().filter(|r| r.remote.is_some()) {
        let Some(text) = snapshot.files.get(&r.file) else {
            continue;
        };
        let Ok(parsed) = cache.parse(&r.file, text) else {
            continue;
        };
        let Some(doc) = parsed.documents().get(r.doc) else {
            continue;
        };
        if get_path(doc, &["spec", "path"]).is_some() {
            continue;
        }
        let at = get_path(doc, &["spec", "kubeConfig"]).unwrap_or(doc);
        out.push(Problem::new(
            ErrorCode::NotEvaluated,
            r.file.clone(),
            Some(tree::line(at)),
            Some(tree::column(at)),
            format!(
                "Flux Kustomization `{}` deploys to another cluster but sets no spec.path: Flux builds the whole repository (./) for it, and so does Wheelhouse; set spec.path to that cluster's folder",
                r.name
            ),
        ));
    }
    out
}

/// The environment a Flux Kustomization deploying to another cluster (`spec.kubeConfig`)
/// stands for: `postBuild.substitute.CLUSTER_NAME`, else its file's name (`hub/staging.yaml`),
/// else the namespace it lives in.
fn remote_name(file: &str, doc: &crate::yaml::Node) -> Option<String> {
    let generic = [
        "kustomization",
        "kustomizations",
        "sync",
        "flux",
        "apps",
        "clusters",
        "hub",
    ];
    let stem = file
        .rsplit('/')
        .next()
        .and_then(|n| n.strip_suffix(".yaml").or_else(|| n.strip_suffix(".yml")))
        .filter(|n| !generic.contains(n));
    str_at(doc, &["spec", "postBuild", "substitute", "CLUSTER_NAME"])
        .or(stem)
        .or_else(|| str_at(doc, &["metadata", "namespace"]).filter(|n| *n != "flux-system"))
        .map(str::to_owned)
}

/// Flux's source objects (`GitRepository`, `OCIRepository`, `Bucket`, `HelmRepository`…).
const FLUX_SOURCES: &str = "source.toolkit.fluxcd.io/";

/// A Flux source object of the snapshot.
#[derive(Debug)]
struct Source {
    kind: String,
    name: String,
    file: String,
    url: Option<String>,
}

/// Whether a Kustomization's `sourceRef` is another repository, and which, in words; `None`
/// for this repository's own source: the `GitRepository` `flux bootstrap` writes (in
/// `flux-system/gotk-sync.yaml`, named `flux-system`).
fn external_source(sources: &[Source], kind: &str, name: &str) -> Option<String> {
    let own = |s: &Source| {
        s.kind == "GitRepository"
            && (s.name == "flux-system"
                || s.file.ends_with("gotk-sync.yaml")
                || s.file.split('/').any(|d| d == "flux-system"))
    };
    match sources.iter().find(|s| s.kind == kind && s.name == name) {
        Some(s) if own(s) => None,
        Some(s) => Some(match &s.url {
            Some(url) => format!("{kind} `{name}`, {url}"),
            None => format!("{kind} `{name}` in {}", s.file),
        }),
        // The bootstrap source is often not committed under that name: it is this repository.
        None if kind == "GitRepository" && name == "flux-system" => None,
        None => Some(format!(
            "{kind} `{name}`, which no file of this repository defines"
        )),
    }
}

/// A Flux Kustomization synced from another repository: its folder is not here, so what it
/// applies is not evaluated, and the environment says so.
pub(super) fn not_evaluated(ctx: &mut Ctx<'_>, file: &str, from: &str) {
    ctx.used.insert(file.to_owned());
    ctx.problems.push(Problem::new(
        ErrorCode::NotEvaluated,
        file.to_owned(),
        None,
        None,
        format!("{NOT_EVALUATED}synced from another repository ({from})"),
    ));
}

static CTX_STAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\$\{\{\s*ctx\.stage\s*\}\}").expect("valid"));
static VARS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\$\{\{\s*vars\.([A-Za-z0-9_]+)\s*\}\}").expect("valid"));

fn stage(file: &str, doc: &crate::yaml::Node, name: String) -> StageRef {
    let mut upstreams = Vec::new();
    let spec = get(doc, "spec").unwrap_or(&tree::EMPTY);
    for rf in items(get(spec, "requestedFreight").unwrap_or(&tree::EMPTY)) {
        for s in items(get_path(rf, &["sources", "stages"]).unwrap_or(&tree::EMPTY)) {
            if let Some(u) = as_str(s) {
                upstreams.push((u.to_owned(), tree::line(s)));
            }
        }
    }
    for s in items(get_path(spec, &["subscriptions", "upstreamStages"]).unwrap_or(&tree::EMPTY)) {
        if let Some(n) = get(s, "name") {
            if let Some(u) = as_str(n) {
                upstreams.push((u.to_owned(), tree::line(n)));
            }
        }
    }
    let template = get_path(spec, &["promotionTemplate", "spec"]).unwrap_or(&tree::EMPTY);
    let mut vars: HashMap<String, String> = HashMap::new();
    for list in [get(spec, "vars"), get(template, "vars")]
        .into_iter()
        .flatten()
    {
        for v in items(list) {
            if let (Some(n), Some(x)) = (str_at(v, &["name"]), str_at(v, &["value"])) {
                vars.insert(n.to_owned(), x.to_owned());
            }
        }
    }
    let steps = items(get(template, "steps").unwrap_or(&tree::EMPTY));
    let mut checkouts: Vec<String> = Vec::new();
    for st in steps {
        if str_at(st, &["uses"]) == Some("git-clone") {
            for c in items(get_path(st, &["config", "checkout"]).unwrap_or(&tree::EMPTY)) {
                if let Some(p) = str_at(c, &["path"]) {
                    checkouts.push(p.trim_start_matches("./").trim_end_matches('/').to_owned());
                }
            }
        }
    }
    let expand = |t: &str| {
        let t = CTX_STAGE.replace_all(t, name.as_str()).into_owned();
        VARS.replace_all(&t, |c: &regex::Captures<'_>| {
            vars.get(&c[1]).cloned().unwrap_or_else(|| c[0].to_owned())
        })
        .into_owned()
    };
    let mut path = None;
    for uses in [
        "kustomize-set-image",
        "kustomize-build",
        "helm-update-image",
        "yaml-update",
        "helm-template",
    ] {
        let found = steps
            .iter()
            .filter(|s| str_at(s, &["uses"]) == Some(uses))
            .find_map(|s| str_at(s, &["config", "path"]));
        if let Some(p) = found {
            let mut p = expand(p)
                .trim_start_matches("./")
                .trim_end_matches('/')
                .to_owned();
            for c in &checkouts {
                if let Some(rest) = p.strip_prefix(&format!("{c}/")) {
                    p = rest.to_owned();
                    break;
                }
            }
            if !p.contains("${{") {
                path = join("", &p);
                break;
            }
        }
    }
    let line = get_path(doc, &["metadata", "name"]).map_or(1, tree::line);
    StageRef {
        file: file.to_owned(),
        name,
        upstreams,
        path,
        line,
    }
}

/// The resources a Flux Kustomization applies.
pub(super) fn apply(
    ctx: &mut Ctx<'_>,
    file: &str,
    doc: usize,
    path: &str,
    stack: &mut Vec<String>,
) -> Vec<Resource> {
    let mut res = kustomize::render(ctx, path, stack);
    let Some(parsed) = ctx.load(file) else {
        return res;
    };
    let Some(spec_node) = parsed.documents().get(doc).and_then(|d| get(d, "spec")) else {
        return res;
    };
    let spec = kustomize::value_of(ctx, file, spec_node);
    kustomize::flux_overlay(ctx, file, path, &spec, spec_node, stack, &mut res);
    if let Some(pb) = spec.get("postBuild") {
        substitute(ctx, file, pb, &mut res);
    }
    res
}

static VAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[=-])([^}]*))?\}").expect("valid")
});

/// `postBuild`: `${VAR}` (and `${VAR:=default}`) replaced in every string, from `substitute`
/// and the ConfigMaps and Secrets of `substituteFrom` found in the repository. A variable with
/// no value is left as written and reported as not evaluated.
fn substitute(ctx: &mut Ctx<'_>, file: &str, pb: &Value, res: &mut [Resource]) {
    let mut vars: HashMap<String, Value> = HashMap::new();
    for (k, v) in pb.entries_at("substitute") {
        vars.insert(k.clone(), v.clone());
    }
    let dir = file.rsplit_once('/').map_or("", |(d, _)| d).to_owned();
    for from in pb.items_at("substituteFrom") {
        let kind = from.str_at(&["kind"]).unwrap_or("ConfigMap");
        let Some(name) = from.str_at(&["name"]) else {
            continue;
        };
        match find_object(ctx, &dir, kind, name) {
            Some(o) => {
                for (k, v) in o.entries_at("data").iter().chain(o.entries_at("stringData")) {
                    let mut v = v.clone();
                    if kind == "Secret" && o.get("data").is_some_and(|d| d.get(k).is_some()) {
                        use base64::Engine;
                        if let Some(text) = v.scalar_text().and_then(|t| {
                            base64::engine::general_purpose::STANDARD.decode(t).ok()
                        }) {
                            v = Value::str(String::from_utf8_lossy(&text).into_owned()).with_src(v.src.clone());
                        }
                    }
                    vars.entry(k.clone()).or_insert(v);
                }
            }
            None => ctx.problems.push(Problem::new(
                ErrorCode::NotEvaluated,
                file.to_owned(),
                from.get("name").and_then(|n| n.src.as_ref()).map(|s| s.line),
                None,
                format!(
                    "{NOT_EVALUATED}postBuild.substituteFrom {kind} {name} is not in this repository (Flux reads it from the cluster); the variables it sets are not substituted"
                ),
            )),
        }
    }
    let mut missing: BTreeSet<String> = BTreeSet::new();
    for r in res.iter_mut() {
        if r.object.str_at(&[
            "metadata",
            "annotations",
            "kustomize.toolkit.fluxcd.io/substitute",
        ]) == Some("disabled")
        {
            continue;
        }
        if !r.object.any_str(&|t| t.contains("${")) {
            continue;
        }
        walk_strings(&mut r.object, &mut |v| {
            let Data::Str(text) = &v.data else { return };
            if !text.contains("${") {
                return;
            }
            let whole = VAR
                .find(text)
                .is_some_and(|m| m.start() == 0 && m.end() == text.len());
            let mut src = None;
            let out = VAR
                .replace_all(text, |c: &regex::Captures<'_>| match vars.get(&c[1]) {
                    Some(val) => {
                        src = val.src.clone();
                        val.scalar_text().unwrap_or_default()
                    }
                    None => match c.get(3) {
                        Some(default) => default.as_str().to_owned(),
                        None => {
                            missing.insert(c[1].to_owned());
                            c[0].to_owned()
                        }
                    },
                })
                .into_owned();
            v.data = Data::Str(out);
            if whole && src.is_some() {
                v.src = src;
            }
        });
        r.touched_by(file);
    }
    for m in missing {
        ctx.problems.push(Problem::new(
            ErrorCode::NotEvaluated,
            file.to_owned(),
            line_of(pb),
            None,
            format!(
                "{NOT_EVALUATED}postBuild variable ${{{m}}} has no value in the repository; Flux substitutes it from the cluster or leaves it empty"
            ),
        ));
    }
}

fn line_of(v: &Value) -> Option<u32> {
    v.src.as_ref().map(|s| s.line).or_else(|| match &v.data {
        Data::Map(m) => m.iter().find_map(|(_, x)| line_of(x)),
        Data::Seq(items) => items.iter().find_map(line_of),
        _ => None,
    })
}

fn walk_strings(v: &mut Value, f: &mut dyn FnMut(&mut Value)) {
    match &mut v.data {
        Data::Map(m) => std::sync::Arc::make_mut(m)
            .iter_mut()
            .for_each(|(_, x)| walk_strings(x, f)),
        Data::Seq(items) => std::sync::Arc::make_mut(items)
            .iter_mut()
            .for_each(|x| walk_strings(x, f)),
        Data::Str(_) => f(v),
        _ => {}
    }
}

/// A ConfigMap or Secret written in the repository next to (or under) `dir`.
fn find_object(ctx: &mut Ctx<'_>, dir: &str, kind: &str, name: &str) -> Option<Value> {
    let candidates: Vec<String> = files_in(ctx.snapshot, dir, true)
        .into_iter()
        .filter(|p| {
            ctx.snapshot
                .files
                .get(p)
                .is_some_and(|t| t.contains(kind) && t.contains(name))
        })
        .collect();
    for p in candidates {
        let parsed = ctx.load(&p)?;
        for d in parsed.documents() {
            if str_at(d, &["kind"]) == Some(kind) && str_at(d, &["metadata", "name"]) == Some(name)
            {
                return Some(kustomize::value_of(ctx, &p, d));
            }
        }
    }
    None
}

/// Whether the real Kustomize on `path` prints what this Flux Kustomization applies (it does
/// not when Flux adds patches, images, a namespace, components or substitutions).
pub(super) fn checkable(ctx: &mut Ctx<'_>, file: &str, doc: usize) -> bool {
    let Some(parsed) = ctx.load(file) else {
        return false;
    };
    let Some(spec) = parsed.documents().get(doc).and_then(|d| get(d, "spec")) else {
        return true;
    };
    [
        "patches",
        "images",
        "targetNamespace",
        "components",
        "postBuild",
        "commonMetadata",
        "namePrefix",
        "nameSuffix",
    ]
    .iter()
    .all(|k| get(spec, k).is_none())
}
