//! The Kustomize build over a [`Snapshot`], with kustomize's own order: a folder's
//! `resources` (files and nested kustomizations), then its `components` (each applied over
//! what is accumulated so far), then its generators, then its transformers
//! (`patchesStrategicMerge`, `patches`, `namespace`, `namePrefix`/`nameSuffix`, labels,
//! annotations, `patchesJson6902`, `replicas`, `images`, `replacements`), each step followed
//! by the configurations of kustomize's built-in kinds that `generators:`/`transformers:` name.
//! At the top of a build generated names get their hash and references follow every rename. A
//! folder built for one environment is kept for the next one that reads it (bases are shared).
//!
//! What is not evaluated (a remote base, `helmCharts`, exec and container plugins, custom
//! configurations) is reported, never guessed: a `not evaluated` warning at its line, counted
//! by the caller.

use super::base::{
    is_yaml, join, kustomization_file, pod_spec_path, release_replicas, set_named, split_image,
    Ctx, Memo, Origin, ParseCache, Snapshot, ValueList, WORKLOAD_KINDS,
};
use crate::model::*;
use crate::render::json6902;
use crate::render::select::Selector;
use crate::render::value::{from_node, Locator};
use crate::render::{generate, replace, smp, transform, Data, Resource, Src, Value};
use crate::tree;
use crate::yaml::Node;
use std::collections::HashMap;
use std::sync::Arc;
use wheelhouse_diagnostics::ErrorCode;

/// The prefix of every problem that says something was not evaluated.
pub const NOT_EVALUATED: &str = "not evaluated: ";

impl Memo {
    /// Whether the build read one of `paths` (then it is stale once they changed).
    pub(super) fn reads_any(&self, paths: &[String]) -> bool {
        paths.iter().any(|p| self.used.iter().any(|u| u == p))
    }
}

struct Loc<'o> {
    file: Arc<str>,
    origin: Origin<'o>,
    /// The layer of every value, when the file alone does not decide it.
    layer: Option<Layer>,
}

impl Locator for Loc<'_> {
    fn file(&self) -> &Arc<str> {
        &self.file
    }
    fn path(&self, inner: String) -> String {
        self.origin.path(inner)
    }
    fn line(&self, node: &Node) -> u32 {
        self.origin.line(node)
    }
    fn layer(&self) -> Option<Layer> {
        self.layer
    }
}

/// Locates every value of a text at one line of a file: the patch written there.
struct AtValue {
    file: Arc<str>,
    line: u32,
}

impl Locator for AtValue {
    fn file(&self) -> &Arc<str> {
        &self.file
    }
    fn path(&self, inner: String) -> String {
        inner
    }
    fn line(&self, _: &Node) -> u32 {
        self.line
    }
}

fn to_value(origin: Origin<'_>, node: &Node) -> Value {
    let loc = Loc {
        file: origin.file.into(),
        origin,
        layer: None,
    };
    from_node(node, &loc)
}

/// [`to_value`] with every value in `origin`'s layer (an Argo CD Application's own values,
/// whose file alone does not say whose they are).
pub(super) fn to_value_in_layer(origin: Origin<'_>, node: &Node) -> Value {
    let loc = Loc {
        file: origin.file.into(),
        origin,
        layer: Some(origin.layer),
    };
    from_node(node, &loc)
}

/// Where the first scalar of `v` was written.
fn src_of(v: &Value) -> Option<&Src> {
    if let Some(s) = &v.src {
        return Some(s);
    }
    match &v.data {
        Data::Map(m) => m.iter().find_map(|(_, x)| src_of(x)),
        Data::Seq(items) => items.iter().find_map(src_of),
        _ => None,
    }
}

/// The first line anything in `v` was written at.
fn line_of(v: &Value) -> Option<u32> {
    src_of(v).map(|s| s.line)
}

/// A problem of `file`, at `at` — in the file `at` was written in, when that is another one
/// (an entry an Argo CD Application adds to the kustomization it builds).
fn problem(ctx: &mut Ctx<'_>, file: &str, at: Option<&Value>, message: String, code: ErrorCode) {
    let src = at.and_then(src_of);
    ctx.problems.push(Problem::new(
        code,
        src.map_or(file, |s| &s.file).to_owned(),
        src.map(|s| s.line),
        None,
        message,
    ));
}

fn not_evaluated(ctx: &mut Ctx<'_>, file: &str, at: Option<&Value>, what: String) {
    problem(
        ctx,
        file,
        at,
        format!("{NOT_EVALUATED}{what}"),
        ErrorCode::NotEvaluated,
    );
}

fn is_remote(rel: &str) -> bool {
    rel.contains("://")
        || rel.starts_with("github.com/")
        || rel.starts_with("git@")
        || rel.contains("?ref=")
}

/// The objects of a manifest file, each a resource.
/// Outside a kustomization a document that is no object (a values file, a kustomize
/// configuration) is simply not a workload; kustomize's `resources` would fail on it instead.
pub(super) fn manifest_resources(ctx: &mut Ctx<'_>, file: &str) -> Vec<Resource> {
    let Some(docs) = ctx.documents(file) else {
        return Vec::new();
    };
    docs.iter()
        .filter(|v| v.get("kind").is_some() && v.at(&["metadata", "name"]).is_some())
        .map(|v| Resource::new(v.clone(), file))
        .collect()
}

fn file_resources(ctx: &mut Ctx<'_>, file: &str) -> Vec<Resource> {
    let Some(docs) = ctx.documents(file) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for v in docs.iter() {
        match &v.data {
            Data::Map(_) if v.get("kind").is_some() => out.push(Resource::new(v.clone(), file)),
            // A `List` of items, as `kubectl get -o yaml` writes.
            Data::Map(_) if v.get("items").is_some() => {
                for item in v.items_at("items") {
                    out.push(Resource::new(item.clone(), file));
                }
            }
            Data::Null => {}
            _ => problem(
                ctx,
                file,
                Some(v),
                "this document is not a Kubernetes object (no kind)".into(),
                ErrorCode::InvalidFile,
            ),
        }
    }
    out
}

/// The kind a kustomization file declares (`Kustomization` when it does not say).
fn declared_kind(ctx: &Ctx<'_>, kfile: &str) -> String {
    ctx.snapshot
        .files
        .get(kfile)
        .and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("kind:").map(|k| k.trim().to_owned()))
        })
        .unwrap_or_else(|| "Kustomization".into())
}

/// Builds `dir` for an environment: the accumulated resources, hashed names and the
/// references that follow renames. An empty list when there is no kustomization there.
pub(super) fn render(ctx: &mut Ctx<'_>, dir: &str, stack: &mut Vec<String>) -> Vec<Resource> {
    let saved = std::mem::take(&mut ctx.namerefs);
    let mut resources = if kustomization_file(ctx, dir).is_some() {
        folder(ctx, dir, stack)
    } else {
        implicit(ctx, dir, stack)
    };
    let refs = std::mem::replace(&mut ctx.namerefs, saved);
    finish(&mut resources, &refs);
    resources
}

/// [`render`] of a kustomization folder after `edit`: what Argo CD builds when an Application
/// sets `kustomize:` options (it edits the folder's kustomization, then builds it). The folder
/// itself is not memoised (its build is the Application's own); what it builds on is. Also the
/// kustomization (its file and text) as the edit left it: what the check builds in a copy of the
/// repository, as Argo CD does.
pub(super) fn render_edited(
    ctx: &mut Ctx<'_>,
    dir: &str,
    edit: &Edit,
    stack: &mut Vec<String>,
) -> (Vec<Resource>, Option<(String, String)>) {
    let saved = std::mem::take(&mut ctx.namerefs);
    let mut resources = Vec::new();
    let edited = accumulate(ctx, dir, stack, &mut resources, Some(edit));
    let refs = std::mem::replace(&mut ctx.namerefs, saved);
    finish(&mut resources, &refs);
    let text = edited
        .zip(kustomization_file(ctx, dir))
        .map(|(root, kfile)| (kfile, crate::render::emit::to_yaml(&[root])));
    (resources, text)
}

/// What an Argo CD Application's `kustomize:` asks of the folder it deploys. Argo CD runs
/// `kustomize edit` on the folder's kustomization before it builds it, so these replace or join
/// the kustomization's own fields — they are not an overlay on top of it: a `namePrefix`
/// replaces the folder's, an image entry replaces the one of the same name.
#[derive(Debug, Default)]
pub(super) struct Edit {
    pub(super) name_prefix: Option<Value>,
    pub(super) name_suffix: Option<Value>,
    pub(super) namespace: Option<Value>,
    /// `images` entries as `kustomize edit set image` writes them (`name`, `newName`,
    /// `newTag`, `digest`; `*` keeps the kustomization's own).
    pub(super) images: Vec<Value>,
    /// `replicas` entries (`name`, `count`).
    pub(super) replicas: Vec<Value>,
    pub(super) labels: Vec<(String, Value)>,
    /// `forceCommonLabels`: a label the kustomization sets already is overwritten (else Argo CD
    /// refuses to build).
    pub(super) force_labels: bool,
    /// `labelWithoutSelector`: the labels go to a `labels:` entry that leaves selectors alone
    /// (and templates, unless `labelIncludeTemplates`).
    pub(super) labels_without_selector: bool,
    pub(super) label_include_templates: bool,
    pub(super) annotations: Vec<(String, Value)>,
    pub(super) force_annotations: bool,
    /// Component folders, relative to the kustomization's folder.
    pub(super) components: Vec<Value>,
    /// Inline patches, appended to `patches`: each as an entry of the edited kustomization
    /// and as read (located where the Application writes it).
    pub(super) patches: Vec<(Value, Patch)>,
}

impl Edit {
    /// Whether the edit changes nothing (the folder is built as it is).
    pub(super) fn is_empty(&self) -> bool {
        self.name_prefix.is_none()
            && self.name_suffix.is_none()
            && self.namespace.is_none()
            && self.images.is_empty()
            && self.replicas.is_empty()
            && self.labels.is_empty()
            && self.annotations.is_empty()
            && self.components.is_empty()
            && self.patches.is_empty()
    }

    /// The kustomization `root` as Argo CD's `kustomize edit` commands leave it. A label or
    /// annotation the kustomization sets already, without `force…`, is an error (Argo CD's build
    /// fails on it) and is left out.
    pub(super) fn apply(&self, ctx: &mut Ctx<'_>, kfile: &str, root: &Value) -> Value {
        let mut root = root.clone();
        for (key, v) in [
            ("namePrefix", &self.name_prefix),
            ("nameSuffix", &self.name_suffix),
            ("namespace", &self.namespace),
        ] {
            if let Some(v) = v {
                root.set(key, v.clone());
            }
        }
        // `kustomize edit set image|replicas`: one entry per name, the new one replacing the
        // kustomization's, written back sorted by name.
        let by_name = |list: &[Value], new: &[Value], keep: bool| -> Value {
            let mut out: std::collections::BTreeMap<String, Value> = list
                .iter()
                .map(|e| (e.str_at(&["name"]).unwrap_or("").to_owned(), e.clone()))
                .collect();
            for e in new {
                let name = e.str_at(&["name"]).unwrap_or("").to_owned();
                let mut entry = e.clone();
                if keep {
                    for field in ["newName", "newTag", "digest"] {
                        if entry.str_at(&[field]) != Some("*") {
                            continue;
                        }
                        match out.get(&name).and_then(|old| old.get(field)).cloned() {
                            Some(old) => entry.set(field, old),
                            None => {
                                if let Some(m) = entry.entries_mut() {
                                    m.retain(|(k, _)| k != field);
                                }
                            }
                        }
                    }
                }
                out.insert(name, entry);
            }
            Value::new(Data::seq(out.into_values().collect()))
        };
        if !self.images.is_empty() {
            let list = by_name(root.items_at("images"), &self.images, true);
            root.set("images", list);
        }
        if !self.replicas.is_empty() {
            let list = by_name(root.items_at("replicas"), &self.replicas, false);
            root.set("replicas", list);
        }
        let add = |ctx: &mut Ctx<'_>,
                   root: &mut Value,
                   key: &str,
                   what: &str,
                   pairs: &[(String, Value)],
                   force: bool| {
            let mut map = root
                .get(key)
                .filter(|m| m.is_map())
                .cloned()
                .unwrap_or_else(Value::map);
            for (k, v) in pairs {
                if map.get(k).is_some() && !force {
                    problem(
                        ctx,
                        kfile,
                        Some(v),
                        format!("{what} {k} is set by {kfile} already: Argo CD's `kustomize edit add {what}` fails on it (set force{}), so the Application does not build", if what == "label" { "CommonLabels" } else { "CommonAnnotations" }),
                        ErrorCode::InvalidFile,
                    );
                    continue;
                }
                map.set(k, v.clone());
            }
            root.set(key, map);
        };
        if !self.labels.is_empty() {
            if self.labels_without_selector {
                let mut pairs = Value::map();
                for (k, v) in &self.labels {
                    pairs.set(k, v.clone());
                }
                let mut entry = Value::map();
                entry.set("pairs", pairs);
                if self.label_include_templates {
                    entry.set("includeTemplates", Value::new(Data::Bool(true)));
                }
                let mut list = root.items_at("labels").to_vec();
                list.push(entry);
                root.set("labels", Value::new(Data::seq(list)));
            } else {
                add(
                    ctx,
                    &mut root,
                    "commonLabels",
                    "label",
                    &self.labels,
                    self.force_labels,
                );
            }
        }
        if !self.annotations.is_empty() {
            add(
                ctx,
                &mut root,
                "commonAnnotations",
                "annotation",
                &self.annotations,
                self.force_annotations,
            );
        }
        if !self.components.is_empty() {
            let mut list = root.items_at("components").to_vec();
            list.extend(self.components.iter().cloned());
            root.set("components", Value::new(Data::seq(list)));
        }
        if !self.patches.is_empty() {
            let mut list = root.items_at("patches").to_vec();
            list.extend(self.patches.iter().map(|(entry, _)| entry.clone()));
            root.set("patches", Value::new(Data::seq(list)));
        }
        root
    }
}

/// Hash suffixes for generated objects, then every reference follows every rename (the
/// built-in ones and those `configurations` declare).
pub fn finish(resources: &mut [Resource], custom: &[transform::NameRef]) {
    for r in resources.iter_mut().filter(|r| r.hashed) {
        let hash = generate::name_hash(&r.object);
        r.rename(|name| format!("{name}-{hash}"));
    }
    // Renames by the namespace the renamed object lives in: a reference follows the rename of
    // an object of its own namespace (two bases that each generate `config` in their own
    // namespace keep their own hashed names); cluster-scoped kinds are followed from anywhere.
    let mut by_ns: HashMap<String, HashMap<String, HashMap<String, String>>> = HashMap::new();
    for r in resources.iter() {
        if r.names.len() < 2 {
            continue;
        }
        let last = r.names.last().cloned().unwrap_or_default();
        let ns = namespace_of(&r.object);
        let map = by_ns
            .entry(ns)
            .or_default()
            .entry(r.kind().to_owned())
            .or_default();
        for old in &r.names[..r.names.len() - 1] {
            if *old != last {
                map.insert(old.clone(), last.clone());
            }
        }
    }
    if by_ns.is_empty() {
        return;
    }
    let cluster_scoped: HashMap<String, HashMap<String, String>> = by_ns
        .values()
        .flat_map(|kinds| kinds.iter())
        .filter(|(k, _)| CLUSTER_SCOPED.contains(&k.as_str()))
        .fold(HashMap::new(), |mut acc, (k, m)| {
            acc.entry(k.clone())
                .or_insert_with(HashMap::new)
                .extend(m.iter().map(|(a, b)| (a.clone(), b.clone())));
            acc
        });
    let mut memo: HashMap<String, HashMap<String, HashMap<String, String>>> = HashMap::new();
    for r in resources.iter_mut() {
        let ns = namespace_of(&r.object);
        let renames = memo.entry(ns.clone()).or_insert_with(|| {
            let mut m = by_ns.get(&ns).cloned().unwrap_or_default();
            for (k, names) in &cluster_scoped {
                m.entry(k.clone())
                    .or_default()
                    .extend(names.iter().map(|(a, b)| (a.clone(), b.clone())));
            }
            m
        });
        // Asked first: following references writes, and writing copies a shared object.
        if renames.is_empty()
            || !r
                .object
                .any_str(&|s| renames.values().any(|m| m.contains_key(s)))
        {
            continue;
        }
        let objects = std::slice::from_mut(&mut r.object);
        transform::fix_name_references(objects, renames);
        transform::fix_custom_references(objects, renames, custom);
    }
}

/// Kinds that live in no namespace (their references are followed from every namespace).
const CLUSTER_SCOPED: [&str; 10] = [
    "ClusterRole",
    "ClusterRoleBinding",
    "Namespace",
    "PersistentVolume",
    "StorageClass",
    "CustomResourceDefinition",
    "PriorityClass",
    "IngressClass",
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
];

/// An object's namespace for matching references: none and `default` are the same.
fn namespace_of(o: &Value) -> String {
    match o.str_at(&["metadata", "namespace"]) {
        None | Some("default") => String::new(),
        Some(ns) => ns.to_owned(),
    }
}

/// A folder without a kustomization, as Flux builds it: every manifest under it, and the
/// folders below that have a kustomization built as bases.
fn implicit(ctx: &mut Ctx<'_>, dir: &str, stack: &mut Vec<String>) -> Vec<Resource> {
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    let files: Vec<String> = ctx
        .snapshot
        .files
        .range(prefix.clone()..)
        .map(|(p, _)| p)
        .take_while(|p| p.starts_with(&prefix))
        .filter(|p| is_yaml(p))
        .cloned()
        .collect();
    let mut kust_dirs: Vec<String> = files
        .iter()
        .filter(|p| crate::layout::is_kustomization(p))
        .map(|p| {
            p.rsplit_once('/')
                .map_or(String::new(), |(d, _)| d.to_owned())
        })
        .collect();
    // Only the outermost kustomization folders: the ones below them are theirs.
    kust_dirs.sort();
    let mut outer: Vec<String> = Vec::new();
    for d in kust_dirs {
        if !outer.iter().any(|o| d.starts_with(&format!("{o}/"))) {
            outer.push(d);
        }
    }
    let mut out = Vec::new();
    for f in &files {
        if outer.iter().any(|o| f.starts_with(&format!("{o}/"))) {
            continue;
        }
        let text = ctx.snapshot.files.get(f).cloned().unwrap_or_default();
        // Flux takes Kubernetes manifests only: a values file or a chart's template is not one.
        if !text.contains("kind:") || !text.contains("apiVersion:") || is_chart_file(ctx, f) {
            continue;
        }
        out.extend(file_resources(ctx, f));
    }
    for d in outer {
        out.extend(folder(ctx, &d, stack));
    }
    out
}

/// A file inside a Helm chart (a folder with `Chart.yaml`): templates and values, not manifests.
pub(super) fn is_chart_file(ctx: &Ctx<'_>, file: &str) -> bool {
    let mut dir = file;
    while let Some((parent, _)) = dir.rsplit_once('/') {
        if ctx
            .snapshot
            .files
            .contains_key(&format!("{parent}/Chart.yaml"))
        {
            return true;
        }
        dir = parent;
    }
    ctx.snapshot.files.contains_key("Chart.yaml") && file != "Chart.yaml"
}

/// The accumulated resources of a kustomization folder, reused when already built.
fn folder(ctx: &mut Ctx<'_>, dir: &str, stack: &mut Vec<String>) -> Vec<Resource> {
    if let Some(m) = ctx.memo.get(dir).cloned() {
        ctx.namerefs.extend(m.namerefs.iter().cloned());
        ctx.used.extend(m.used.iter().cloned());
        ctx.problems.extend(m.problems.iter().cloned());
        return m.resources.clone();
    }
    let saved_used = std::mem::take(&mut ctx.used);
    let saved_problems = std::mem::take(&mut ctx.problems);
    let saved_refs = std::mem::take(&mut ctx.namerefs);
    let mut acc = Vec::new();
    accumulate(ctx, dir, stack, &mut acc, None);
    let namerefs = std::mem::replace(&mut ctx.namerefs, saved_refs);
    ctx.namerefs.extend(namerefs.iter().cloned());
    let memo = Memo {
        resources: acc.clone(),
        namerefs,
        used: ctx.used.iter().cloned().collect(),
        problems: std::mem::replace(&mut ctx.problems, saved_problems),
    };
    ctx.problems.extend(memo.problems.iter().cloned());
    let used = std::mem::replace(&mut ctx.used, saved_used);
    ctx.used.extend(used);
    ctx.memo.insert(dir.to_owned(), Arc::new(memo));
    acc
}

/// One kustomization (or component) applied to `acc`: its resources are added, then its
/// components, generators and transformers run over all of `acc`. `edit`: what an Argo CD
/// Application changes in this kustomization before it is built. Returns the kustomization as
/// it was built (edited, when there is an edit).
fn accumulate(
    ctx: &mut Ctx<'_>,
    dir: &str,
    stack: &mut Vec<String>,
    acc: &mut Vec<Resource>,
    edit: Option<&Edit>,
) -> Option<Value> {
    let kfile = kustomization_file(ctx, dir)?;
    let parsed = ctx.load(&kfile)?;
    let root_node = parsed.documents().first()?;
    let root = ctx.documents(&kfile).and_then(|d| d.first().cloned())?;
    if !root.is_map() {
        problem(
            ctx,
            &kfile,
            Some(&root),
            "a kustomization must be a mapping".into(),
            ErrorCode::InvalidFile,
        );
        return None;
    }
    let root = match edit {
        Some(e) => e.apply(ctx, &kfile, &root),
        None => root,
    };
    let extra: Vec<&Patch> =
        edit.map_or(Vec::new(), |e| e.patches.iter().map(|(_, p)| p).collect());
    stack.push(dir.to_owned());
    for key in ["resources", "bases"] {
        for entry in root.items_at(key) {
            resource_entry(ctx, &kfile, dir, entry, stack, acc);
        }
    }
    for entry in root.items_at("components") {
        let Some(rel) = entry.as_str() else { continue };
        let Some(target) = local_target(ctx, &kfile, dir, entry, rel, "component changes") else {
            continue;
        };
        if stack.contains(&target) {
            problem(ctx, &kfile, Some(entry), format!("component {rel} loops back to {target}, which is already being built; it was skipped"), ErrorCode::InvalidFile);
            continue;
        }
        match kustomization_file(ctx, &target) {
            Some(k) if declared_kind(ctx, &k) == "Component" => {
                accumulate(ctx, &target, stack, acc, None);
            }
            Some(k) => {
                let kind = declared_kind(ctx, &k);
                problem(
                    ctx,
                    &kfile,
                    Some(entry),
                    format!(
                        "{rel} is listed under components but {k} is a {kind}, not a Component"
                    ),
                    ErrorCode::InvalidFile,
                )
            }
            None => problem(
                ctx,
                &kfile,
                Some(entry),
                format!("component {rel} does not exist (no kustomization.yaml in {target})"),
                ErrorCode::MissingFile,
            ),
        }
    }
    for entry in root.items_at("configurations") {
        configuration(ctx, &kfile, dir, entry);
    }
    generators(ctx, &kfile, dir, &root, acc);
    for config in plugin_configs(ctx, &kfile, dir, &root, root_node, "generators", stack) {
        run_generator(ctx, &kfile, dir, &config, acc);
    }
    transformers(ctx, &kfile, dir, &root, root_node, &extra, acc);
    for config in plugin_configs(ctx, &kfile, dir, &root, root_node, "transformers", stack) {
        run_transformer(ctx, &kfile, dir, &config, acc);
    }
    for (key, what) in [
        (
            "helmCharts",
            "helmCharts are rendered by Helm, which Wheelhouse does not run",
        ),
        (
            "helmChartInflationGenerator",
            "Helm charts are rendered by Helm, which Wheelhouse does not run",
        ),
        ("validators", "validator plugins are not run"),
        ("crds", "CRD schemas for merging are not read"),
        ("vars", "vars are not substituted"),
        ("openapi", "a custom OpenAPI schema is not read"),
        ("buildMetadata", "build metadata annotations are not added"),
    ] {
        if let Some(v) = root.get(key) {
            not_evaluated(
                ctx,
                &kfile,
                Some(v),
                format!("{key} in {kfile}: {what}; the values they set are not shown"),
            );
        }
    }
    for r in acc.iter_mut() {
        r.touched_by(&kfile);
    }
    stack.pop();
    Some(root)
}

/// The repository path `rel` (an entry of `kfile`) names from `dir`; `None`, reported, for a
/// remote one (never fetched: not evaluated) or one outside the repository. `does` says what the
/// entry does ("resource adds"), for the message.
fn local_target(
    ctx: &mut Ctx<'_>,
    kfile: &str,
    dir: &str,
    entry: &Value,
    rel: &str,
    does: &str,
) -> Option<String> {
    let (what, verb) = does.rsplit_once(' ').unwrap_or((does, "changes"));
    if is_remote(rel) {
        not_evaluated(
            ctx,
            kfile,
            Some(entry),
            format!("remote {what} {rel} is not fetched (Wheelhouse works offline); what it {verb} is not shown"),
        );
        return None;
    }
    let target = join(dir, rel);
    if target.is_none() {
        problem(
            ctx,
            kfile,
            Some(entry),
            format!("{rel} points outside the repository"),
            ErrorCode::PathOutsideRepository,
        );
    }
    target
}

fn resource_entry(
    ctx: &mut Ctx<'_>,
    kfile: &str,
    dir: &str,
    entry: &Value,
    stack: &mut Vec<String>,
    acc: &mut Vec<Resource>,
) {
    let Some(rel) = entry.as_str() else {
        problem(
            ctx,
            kfile,
            Some(entry),
            "a resource must be a path".into(),
            ErrorCode::InvalidFile,
        );
        return;
    };
    let Some(target) = local_target(ctx, kfile, dir, entry, rel, "resource adds") else {
        return;
    };
    if stack.contains(&target) {
        problem(
            ctx,
            kfile,
            Some(entry),
            format!("{rel} loops back to {target}, which is already being built; it was skipped"),
            ErrorCode::InvalidFile,
        );
        return;
    }
    if ctx.exists(&target) {
        for r in file_resources(ctx, &target) {
            if r.names[0].is_empty() {
                let why = if r.object.at(&["metadata", "generateName"]).is_some() {
                    "uses metadata.generateName, which Kustomize does not accept in resources"
                } else {
                    "has no metadata.name"
                };
                problem(
                    ctx,
                    kfile,
                    Some(entry),
                    format!("a {} in {rel} {why}: kustomize build fails on it", r.kind()),
                    ErrorCode::InvalidFile,
                );
                continue;
            }
            acc.push(r);
        }
        return;
    }
    match kustomization_file(ctx, &target) {
        Some(k) if declared_kind(ctx, &k) == "Component" => problem(
            ctx,
            kfile,
            Some(entry),
            format!("{rel} is a Component: list it under components:, not resources:"),
            ErrorCode::InvalidFile,
        ),
        Some(_) => acc.extend(folder(ctx, &target, stack)),
        None if ctx
            .snapshot
            .files
            .range(format!("{target}/")..)
            .next()
            .is_some_and(|(p, _)| p.starts_with(&format!("{target}/"))) =>
        {
            problem(
                ctx,
                kfile,
                Some(entry),
                format!(
                    "{rel} is a folder without a kustomization.yaml; kustomize cannot build it"
                ),
                ErrorCode::InvalidFile,
            )
        }
        None => problem(
            ctx,
            kfile,
            Some(entry),
            format!("{rel} does not exist"),
            ErrorCode::MissingFile,
        ),
    }
}

fn same_ns(a: Option<&str>, b: Option<&str>) -> bool {
    a.unwrap_or("") == b.unwrap_or("")
}

/// The files the kustomizations' `configMapGenerator`/`secretGenerator` entries read (`files:`,
/// in the `key=path` form too, `envs:`, `env:`) that the snapshot does not hold yet: a shell
/// script, a `.conf`, a file with no extension. The edges read them and add them to the
/// snapshot, so the render has every input kustomize has.
pub fn generator_inputs(
    snapshot: &Snapshot,
    cache: &mut ParseCache,
) -> std::collections::BTreeSet<String> {
    // Outlines, on every core: only the keys that name files are read here.
    cache.warm_outlines(snapshot, crate::layout::is_kustomization);
    let mut out = std::collections::BTreeSet::new();
    for (path, text) in &snapshot.files {
        if !crate::layout::is_kustomization(path) {
            continue;
        }
        let Ok(parsed) = cache.outline(path, text) else {
            continue;
        };
        let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
        let mut args: Vec<&Node> = Vec::new();
        let mut configs: Vec<String> = Vec::new();
        let mut inline: Vec<String> = Vec::new();
        for doc in parsed.documents() {
            for key in ["configMapGenerator", "secretGenerator"] {
                args.extend(tree::items(tree::get(doc, key).unwrap_or(&tree::EMPTY)));
            }
            // Generator configurations (in a file, in the files a folder's kustomization lists,
            // or inline) read files as the kustomization's own generators do, from its folder.
            for entry in tree::items(tree::get(doc, "generators").unwrap_or(&tree::EMPTY))
                .iter()
                .filter_map(tree::as_str)
            {
                if entry.contains('\n') {
                    inline.push(entry.to_owned());
                } else if let Some(target) = join(dir, entry) {
                    configs.extend(listed_files(snapshot, cache, &target));
                    configs.push(target);
                }
            }
        }
        let mut rels: Vec<String> = Vec::new();
        let mut collect = |g: &Node| {
            for field in ["files", "envs"] {
                rels.extend(
                    tree::items(tree::get(g, field).unwrap_or(&tree::EMPTY))
                        .iter()
                        .filter_map(tree::as_str)
                        .map(|f| f.split_once('=').map_or(f, |(_, p)| p).to_owned()),
                );
            }
            rels.extend(tree::str_at(g, &["env"]).map(str::to_owned));
        };
        args.into_iter().for_each(&mut collect);
        let mut parsed_configs = Vec::new();
        for config in configs {
            if let Some(Ok(file)) = snapshot.files.get(&config).map(|t| cache.parse(&config, t)) {
                parsed_configs.push(file);
            }
        }
        for text in &inline {
            if let Ok(file) = crate::yaml::parse(path, text) {
                parsed_configs.push(Arc::new(file));
            }
        }
        for file in &parsed_configs {
            for g in file.documents() {
                if tree::str_at(g, &["apiVersion"]) == Some("builtin")
                    && matches!(
                        tree::str_at(g, &["kind"]),
                        Some("ConfigMapGenerator" | "SecretGenerator")
                    )
                {
                    collect(g);
                }
            }
        }
        for rel in rels {
            if let Some(p) = join(dir, &rel) {
                if !snapshot.files.contains_key(&p) {
                    out.insert(p);
                }
            }
        }
    }
    out
}

/// The files the kustomization in folder `dir` lists under `resources` (none when `dir` holds
/// no kustomization).
fn listed_files(snapshot: &Snapshot, cache: &mut ParseCache, dir: &str) -> Vec<String> {
    let Some((kfile, text)) = ["kustomization.yaml", "kustomization.yml", "Kustomization"]
        .iter()
        .find_map(|k| {
            let p = format!("{dir}/{k}");
            snapshot.files.get(&p).map(|t| (p, t))
        })
    else {
        return Vec::new();
    };
    let Ok(parsed) = cache.outline(&kfile, text) else {
        return Vec::new();
    };
    parsed
        .documents()
        .iter()
        .flat_map(|d| tree::items(tree::get(d, "resources").unwrap_or(&tree::EMPTY)))
        .filter_map(tree::as_str)
        .filter_map(|rel| join(dir, rel))
        .filter(|p| snapshot.files.contains_key(p))
        .collect()
}

fn generators(ctx: &mut Ctx<'_>, kfile: &str, dir: &str, root: &Value, acc: &mut Vec<Resource>) {
    let global = root.get("generatorOptions");
    for (key, kind) in [
        ("configMapGenerator", "ConfigMap"),
        ("secretGenerator", "Secret"),
    ] {
        for g in root.items_at(key) {
            generate(ctx, kfile, dir, key, kind, g, global, acc);
        }
    }
}

/// One ConfigMap or Secret generator (an entry of `key`, written in `kfile`, its files read
/// from `dir`) over what is accumulated: created, or merged into or replacing a base's.
#[allow(clippy::too_many_arguments)]
fn generate(
    ctx: &mut Ctx<'_>,
    kfile: &str,
    dir: &str,
    key: &str,
    kind: &str,
    g: &Value,
    global: Option<&Value>,
    acc: &mut Vec<Resource>,
) {
    let Some(name) = g.get("name").filter(|n| n.as_str().is_some()) else {
        problem(
            ctx,
            kfile,
            Some(g),
            format!("a {key} entry needs a name"),
            ErrorCode::InvalidFile,
        );
        return;
    };
    let mut entries: Vec<generate::Entry> = Vec::new();
    let mut envs: Vec<&Value> = g.items_at("envs").iter().collect();
    envs.extend(g.get("env"));
    for e in envs {
        let Some(rel) = e.as_str() else { continue };
        let Some(path) = join(dir, rel) else {
            problem(
                ctx,
                kfile,
                Some(e),
                format!("{rel} points outside the repository"),
                ErrorCode::PathOutsideRepository,
            );
            continue;
        };
        let Some(text) = read_text(ctx, kfile, e, &path) else {
            continue;
        };
        let file: Arc<str> = path.as_str().into();
        entries.extend(generate::env_file_entries(&text, |line| {
            Some(Arc::new(Src {
                file: file.clone(),
                path: String::new(),
                line,
                layer: None,
            }))
        }));
    }
    for f in g.items_at("files") {
        let Some(spec) = f.as_str() else { continue };
        let (key_name, rel) = match spec.split_once('=') {
            Some((k, p)) => (k.to_owned(), p),
            None => (spec.rsplit('/').next().unwrap_or(spec).to_owned(), spec),
        };
        let Some(path) = join(dir, rel) else {
            problem(
                ctx,
                kfile,
                Some(f),
                format!("{rel} points outside the repository"),
                ErrorCode::PathOutsideRepository,
            );
            continue;
        };
        let Some(text) = read_text(ctx, kfile, f, &path) else {
            continue;
        };
        entries.push(generate::Entry {
            key: key_name,
            value: text.to_string(),
            src: Some(Arc::new(Src {
                file: path.as_str().into(),
                path: String::new(),
                line: 1,
                layer: None,
            })),
        });
    }
    for l in g.items_at("literals") {
        let Some(text) = l.scalar_text() else {
            continue;
        };
        match generate::literal(&text) {
            Some((k, v)) => entries.push(generate::Entry {
                key: k,
                value: v,
                src: l.src.clone(),
            }),
            None => problem(
                ctx,
                kfile,
                Some(l),
                format!("literal {text} is not KEY=VALUE"),
                ErrorCode::InvalidFile,
            ),
        }
    }
    let mut object = generate::object(kind, name, g.get("namespace"), g.get("type"), &entries);
    let opts = g.get("options");
    for o in [global, opts].into_iter().flatten() {
        for (field, target) in [("labels", "labels"), ("annotations", "annotations")] {
            for (k, v) in o.entries_at(field) {
                object.ensure_map(&["metadata", target]).set(k, v.clone());
            }
        }
    }
    // As kustomize merges the kustomization's options into the generator's own: a
    // flag set there holds for every generator, whatever the generator says.
    let flag = |name: &str| {
        [global, opts].into_iter().flatten().any(|o| {
            o.get(name)
                .is_some_and(|v| matches!(v.data, Data::Bool(true)))
        })
    };
    let hashed = !flag("disableNameSuffixHash");
    if flag("immutable") {
        let src = [opts, global]
            .into_iter()
            .flatten()
            .find_map(|o| {
                o.get("immutable")
                    .filter(|v| matches!(v.data, Data::Bool(true)))
            })
            .and_then(|v| v.src.clone());
        object.set("immutable", Value::new(Data::Bool(true)).with_src(src));
    }
    let name_s = name.as_str().unwrap_or("").to_owned();
    let ns = g.str_at(&["namespace"]).map(str::to_owned);
    let behavior = g.str_at(&["behavior"]).unwrap_or("create");
    let existing = acc.iter().position(|r| {
        r.kind() == kind
            && r.has_name(&name_s)
            && same_ns(r.object.str_at(&["metadata", "namespace"]), ns.as_deref())
    });
    match (behavior, existing) {
        ("create", None) => {
            let mut r = Resource::new(object, kfile);
            r.hashed = hashed;
            acc.push(r);
        }
        ("create", Some(_)) => problem(
            ctx,
            kfile,
            Some(name),
            format!("{kind} {name_s} already exists; use behavior: merge or replace"),
            ErrorCode::InvalidFile,
        ),
        ("merge", Some(i)) => {
            let r = &mut acc[i];
            generate::merge_data(&mut r.object, &object);
            for field in ["labels", "annotations"] {
                if let Some(Data::Map(m)) = object.at(&["metadata", field]).map(|v| &v.data) {
                    let target = r.object.ensure_map(&["metadata", field]);
                    for (k, v) in m.iter() {
                        target.set(k, v.clone());
                    }
                }
            }
            r.hashed = r.hashed && hashed;
            r.touched_by(kfile);
        }
        ("replace", Some(i)) => {
            let r = &mut acc[i];
            let keep = r.object.at(&["metadata", "name"]).cloned();
            r.object = object;
            if let Some(n) = keep {
                r.object.ensure_map(&["metadata"]).set("name", n);
            }
            r.hashed = hashed;
            r.touched_by(kfile);
        }
        ("merge" | "replace", None) => problem(
            ctx,
            kfile,
            Some(name),
            format!("behavior: {behavior} needs an existing {kind} {name_s} from a base, and there is none"),
            ErrorCode::InvalidFile,
        ),
        (other, _) => problem(
            ctx,
            kfile,
            g.get("behavior"),
            format!("behavior {other} is not one of create, merge, replace"),
            ErrorCode::InvalidFile,
        ),
    }
}

/// A file a kustomization names (`rel` from `dir`) was not found: it climbs out of the
/// repository, or it is not there.
fn missing(ctx: &mut Ctx<'_>, kfile: &str, at: Option<&Value>, dir: &str, rel: &str, what: &str) {
    let (code, why) = if join(dir, rel).is_none() {
        (
            ErrorCode::PathOutsideRepository,
            format!("{what} {rel} points outside the repository; it was not read"),
        )
    } else {
        (
            ErrorCode::MissingFile,
            format!("{what} {rel} does not exist"),
        )
    };
    problem(ctx, kfile, at, why, code);
}

fn read_text(ctx: &mut Ctx<'_>, kfile: &str, at: &Value, path: &str) -> Option<Arc<str>> {
    ctx.used.insert(path.to_owned());
    if let Some(t) = ctx.snapshot.files.get(path) {
        return Some(t.clone());
    }
    let why = ctx
        .snapshot
        .unreadable
        .get(path)
        .cloned()
        .unwrap_or_else(|| "does not exist".into());
    problem(
        ctx,
        kfile,
        Some(at),
        format!("{path} {why}"),
        ErrorCode::MissingFile,
    );
    None
}

/// A patch as read: its documents and where they are written.
#[derive(Debug)]
pub(super) struct Patch {
    docs: Vec<Value>,
    file: String,
    target: Option<Value>,
    allow_name_change: bool,
    allow_kind_change: bool,
    at: Option<Value>,
}

impl Patch {
    /// A patch written inline in `file` (its documents read already), for the objects
    /// `target` selects (or those it names itself), located at `at`.
    pub(super) fn inline(
        docs: Vec<Value>,
        file: &str,
        target: Option<Value>,
        options: Option<&Value>,
        at: Value,
    ) -> Patch {
        let opt = |k: &str| {
            options
                .and_then(|o| o.get(k))
                .is_some_and(|v| matches!(v.data, Data::Bool(true)))
        };
        Patch {
            docs: docs
                .into_iter()
                .filter(|v| !matches!(v.data, Data::Null))
                .collect(),
            file: file.to_owned(),
            target,
            allow_name_change: opt("allowNameChange"),
            allow_kind_change: opt("allowKindChange"),
            at: Some(at),
        }
    }
}

/// The patch of an entry: a file (`path:` or the entry itself) or YAML written inline (the
/// entry itself, or its field `patch_key`).
#[allow(clippy::too_many_arguments)]
fn read_patch(
    ctx: &mut Ctx<'_>,
    kfile: &str,
    dir: &str,
    key: &str,
    i: usize,
    entry: &Value,
    entry_node: Option<&Node>,
    patch_key: &str,
) -> Option<Patch> {
    let target = entry.get("target").cloned();
    let opt = |k: &str| {
        entry
            .at(&["options", k])
            .is_some_and(|v| matches!(v.data, Data::Bool(true)))
    };
    let (inline_node, at) = match (entry.as_str(), entry_node) {
        (Some(text), Some(node)) if text.contains('\n') || text.contains(": ") => {
            (Some(node), format!("{key}[{i}]"))
        }
        _ => (
            entry_node.and_then(|n| tree::get(n, patch_key)),
            format!("{key}[{i}].{patch_key}"),
        ),
    };
    // A patch written inline in a configuration a folder built, whose YAML node is gone: read
    // from its text, every value located at the patch itself.
    let unlocated = match (inline_node, entry.as_str()) {
        (None, Some(text)) if text.contains('\n') || text.contains(": ") => Some(entry),
        (None, _) => entry.get(patch_key).filter(|v| v.as_str().is_some()),
        _ => None,
    };
    if let Some(patch) = unlocated {
        let text = patch.as_str().unwrap_or("");
        let loc = AtValue {
            file: kfile.into(),
            line: line_of(patch).unwrap_or(1),
        };
        let docs = match crate::yaml::parse(kfile, text) {
            Ok(parsed) => parsed
                .documents()
                .iter()
                .map(|d| from_node(d, &loc))
                .filter(|v| !matches!(v.data, Data::Null))
                .collect(),
            Err(e) => {
                problem(
                    ctx,
                    kfile,
                    Some(patch),
                    format!("the inline patch at {at} is not valid YAML: {}", e.message),
                    ErrorCode::InvalidFile,
                );
                return None;
            }
        };
        return Some(Patch {
            docs,
            file: kfile.to_owned(),
            target,
            allow_name_change: opt("allowNameChange"),
            allow_kind_change: opt("allowKindChange"),
            at: Some(patch.clone()),
        });
    }
    let docs = if let Some(node) = inline_node {
        let outer = ctx.origin(kfile);
        let text = tree::as_str(node)?.to_owned();
        let inner = outer.embedded(&at, node)?;
        match crate::yaml::parse(kfile, &text) {
            Ok(parsed) => {
                let parsed = Arc::new(parsed);
                // The embedded origin borrows `at`; values keep owned copies of their paths.
                parsed
                    .documents()
                    .iter()
                    .map(|d| to_value(inner, d))
                    .filter(|v| !matches!(v.data, Data::Null))
                    .collect()
            }
            Err(e) => {
                ctx.problems.push(Problem::new(
                    ErrorCode::InvalidYaml,
                    kfile.to_owned(),
                    Some(inner.line_at(e.line)),
                    None,
                    format!("the inline patch at {at} is not valid YAML: {}", e.message),
                ));
                return None;
            }
        }
    } else {
        let rel = entry.get("path").or(entry.as_str().map(|_| entry))?;
        let rel_s = rel.as_str()?;
        let Some(path) = join(dir, rel_s).filter(|p| ctx.snapshot.files.contains_key(p)) else {
            missing(ctx, kfile, Some(rel), dir, rel_s, "patch");
            return None;
        };
        let docs = ctx
            .documents(&path)?
            .iter()
            .filter(|v| !matches!(v.data, Data::Null))
            .cloned()
            .collect();
        return Some(Patch {
            docs,
            file: path,
            target,
            allow_name_change: opt("allowNameChange"),
            allow_kind_change: opt("allowKindChange"),
            at: Some(rel.clone()),
        });
    };
    Some(Patch {
        docs,
        file: kfile.to_owned(),
        target,
        allow_name_change: opt("allowNameChange"),
        allow_kind_change: opt("allowKindChange"),
        at: Some(entry.clone()),
    })
}

/// Applies a strategic-merge patch document to one resource, as kustomize does: its name,
/// kind and namespace stay unless the patch may change them; `$patch: delete` removes it.
/// Returns false when the resource is gone.
fn apply_smp(
    r: &mut Resource,
    doc: &Value,
    allow_name: bool,
    allow_kind: bool,
    file: &str,
) -> bool {
    match doc.str_at(&["$patch"]) {
        Some("delete") => return false,
        Some("replace") => {
            let name = r.object.at(&["metadata", "name"]).cloned();
            r.object = smp::strip_directives(doc);
            if let Some(n) = name {
                r.object.ensure_map(&["metadata"]).set("name", n);
            }
            r.touched_by(file);
            return true;
        }
        _ => {}
    }
    let name = r.object.at(&["metadata", "name"]).cloned();
    let kind = r.object.get("kind").cloned();
    let ns = r.object.at(&["metadata", "namespace"]).cloned();
    let schema = smp::has_schema(&r.object);
    smp::merge(&mut r.object, doc, schema);
    if !allow_kind {
        if let Some(k) = kind {
            r.object.set("kind", k);
        }
    }
    if allow_name {
        if let Some(n) = r.object.str_at(&["metadata", "name"]).map(str::to_owned) {
            if !r.has_name(&n) {
                r.names.push(n);
            }
        }
    } else if let Some(n) = name {
        r.object.ensure_map(&["metadata"]).set("name", n);
    }
    match ns {
        Some(ns) => r.object.ensure_map(&["metadata"]).set("namespace", ns),
        None => {
            if let Some(m) = r.object.get_mut("metadata") {
                m.remove("namespace");
            }
        }
    }
    r.touched_by(file);
    true
}

/// Resources by every name they have had (built when first needed, dropped when the list or
/// the names change): hundreds of patches each naming one of hundreds of resources.
type NameIndex = Option<HashMap<String, Vec<usize>>>;

fn name_index<'i>(index: &'i mut NameIndex, acc: &[Resource]) -> &'i HashMap<String, Vec<usize>> {
    index.get_or_insert_with(|| {
        let mut map: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, r) in acc.iter().enumerate() {
            for n in &r.names {
                let list = map.entry(n.clone()).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        map
    })
}

/// The resources a patch document names by its own apiVersion, kind, name and namespace.
fn by_own_id_indexed(acc: &[Resource], doc: &Value, index: &mut NameIndex) -> Vec<usize> {
    let Some(name) = doc.str_at(&["metadata", "name"]) else {
        return Vec::new();
    };
    let candidates = name_index(index, acc)
        .get(name)
        .cloned()
        .unwrap_or_default();
    by_own_id_in(acc, doc, candidates)
}

fn by_own_id_in(acc: &[Resource], doc: &Value, candidates: Vec<usize>) -> Vec<usize> {
    let kind = doc.str_at(&["kind"]);
    let name = doc.str_at(&["metadata", "name"]);
    let ns = doc.str_at(&["metadata", "namespace"]);
    let group = |o: &Value| {
        o.str_at(&["apiVersion"])
            .and_then(|a| a.rsplit_once('/'))
            .map_or("", |(g, _)| g)
            .to_owned()
    };
    candidates
        .into_iter()
        .map(|i| (i, &acc[i]))
        .filter(|(_, r)| Some(r.kind()) == kind)
        .filter(|(_, r)| name.is_some_and(|n| r.has_name(n)))
        .filter(|(_, r)| ns.is_none() || r.object.str_at(&["metadata", "namespace"]) == ns)
        .filter(|(_, r)| doc.get("apiVersion").is_none() || group(&r.object) == group(doc))
        .map(|(i, _)| i)
        .collect()
}

fn select(ctx: &mut Ctx<'_>, file: &str, target: &Value, acc: &[Resource]) -> Option<Vec<usize>> {
    match Selector::from_value(target) {
        Ok(sel) => Some(
            acc.iter()
                .enumerate()
                .filter(|(_, r)| sel.matches(&r.object, &r.names_current_first()))
                .map(|(i, _)| i)
                .collect(),
        ),
        Err(e) => {
            problem(
                ctx,
                file,
                Some(target),
                format!("the target is not valid: {e}"),
                ErrorCode::InvalidFile,
            );
            None
        }
    }
}

fn describe(target: &Value) -> String {
    let parts: Vec<String> = target
        .entries()
        .iter()
        .filter_map(|(k, v)| v.scalar_text().map(|t| format!("{k}={t}")))
        .collect();
    parts.join(", ")
}

fn ops_of(doc: &Value) -> Result<Vec<json6902::Op>, String> {
    doc.items()
        .iter()
        .map(|o| {
            Ok(json6902::Op {
                op: o
                    .str_at(&["op"])
                    .ok_or("an operation has no op")?
                    .to_owned(),
                path: o
                    .str_at(&["path"])
                    .ok_or("an operation has no path")?
                    .to_owned(),
                from: o.str_at(&["from"]).map(str::to_owned),
                value: o.get("value").cloned(),
            })
        })
        .collect()
}

fn apply_patch(
    ctx: &mut Ctx<'_>,
    kfile: &str,
    index: &mut NameIndex,
    patch: &Patch,
    acc: &mut Vec<Resource>,
    json_only: bool,
) {
    let json = patch.docs.len() == 1 && matches!(patch.docs[0].data, Data::Seq(_));
    if json || json_only {
        let Some(target) = &patch.target else {
            problem(
                ctx,
                kfile,
                patch.at.as_ref(),
                "a JSON 6902 patch needs a target".into(),
                ErrorCode::InvalidFile,
            );
            return;
        };
        let Some(selected) = select(ctx, kfile, target, acc) else {
            return;
        };
        if selected.is_empty() {
            problem(
                ctx,
                kfile,
                Some(target),
                format!(
                    "the patch's target ({}) matches no resource",
                    describe(target)
                ),
                ErrorCode::NoEffect,
            );
            return;
        }
        let ops = match patch.docs.first().map(ops_of) {
            Some(Ok(ops)) => ops,
            Some(Err(e)) => {
                problem(
                    ctx,
                    &patch.file,
                    patch.docs.first(),
                    e,
                    ErrorCode::InvalidFile,
                );
                return;
            }
            None => return,
        };
        for i in selected {
            if let Err((n, why)) = json6902::apply(&mut acc[i].object, &ops) {
                let at = patch.docs[0].items().get(n);
                problem(
                    ctx,
                    &patch.file,
                    at,
                    format!(
                        "operation {n} of the JSON patch fails on {}: {why}",
                        acc[i].names.last().cloned().unwrap_or_default()
                    ),
                    ErrorCode::InvalidFile,
                );
            } else {
                acc[i].touched_by(&patch.file);
                // A JSON patch may rename: the new name is one the resource has had.
                if let Some(n) = acc[i]
                    .object
                    .str_at(&["metadata", "name"])
                    .map(str::to_owned)
                {
                    if acc[i].names.last() != Some(&n) {
                        acc[i].names.push(n);
                        *index = None;
                    }
                }
            }
        }
        return;
    }
    for doc in &patch.docs {
        let selected = match &patch.target {
            Some(t) => match select(ctx, kfile, t, acc) {
                Some(s) => s,
                None => return,
            },
            None => by_own_id_indexed(acc, doc, index),
        };
        if selected.is_empty() {
            let what = match &patch.target {
                Some(t) => format!("the patch's target ({}) matches no resource", describe(t)),
                None => format!(
                    "the patch for {} {} matches no resource",
                    doc.str_at(&["kind"]).unwrap_or("?"),
                    doc.str_at(&["metadata", "name"]).unwrap_or("?")
                ),
            };
            // With a target, kustomize skips a patch that matches nothing; without, it fails.
            let code = if patch.target.is_some() {
                ErrorCode::NoEffect
            } else {
                ErrorCode::InvalidFile
            };
            problem(ctx, &patch.file, Some(doc), what, code);
            continue;
        }
        let mut gone = Vec::new();
        for i in selected {
            if !apply_smp(
                &mut acc[i],
                doc,
                patch.allow_name_change,
                patch.allow_kind_change,
                &patch.file,
            ) {
                gone.push(i);
            }
        }
        if !gone.is_empty() || patch.allow_name_change || patch.allow_kind_change {
            *index = None;
        }
        for i in gone.into_iter().rev() {
            acc.remove(i);
        }
    }
}

fn pairs(v: Option<&Value>) -> Vec<(String, Value)> {
    v.map(|m| {
        m.entries()
            .iter()
            .map(|(k, v)| (k.clone(), string_valued(v)))
            .collect()
    })
    .unwrap_or_default()
}

/// Label and annotation values are strings in the output, whatever YAML type was written.
fn string_valued(v: &Value) -> Value {
    match &v.data {
        Data::Str(_) => v.clone(),
        _ => Value::str(v.scalar_text().unwrap_or_default()).with_src(v.src.clone()),
    }
}

fn transformers(
    ctx: &mut Ctx<'_>,
    kfile: &str,
    dir: &str,
    root: &Value,
    root_node: &Node,
    extra: &[&Patch],
    acc: &mut Vec<Resource>,
) {
    let entry_node =
        |key: &str, i: usize| tree::items(tree::get(root_node, key).unwrap_or(&tree::EMPTY)).get(i);
    let mut index: NameIndex = None;
    // The patches an edit appended are read already (where the Application writes them).
    let own = root.items_at("patches").len() - extra.len().min(root.items_at("patches").len());
    for (key, json_only) in [("patchesStrategicMerge", false), ("patches", false)] {
        for (i, entry) in root.items_at(key).iter().enumerate() {
            if key == "patches" && i >= own {
                break;
            }
            if let Some(p) = read_patch(ctx, kfile, dir, key, i, entry, entry_node(key, i), "patch")
            {
                apply_patch(ctx, kfile, &mut index, &p, acc, json_only);
            }
        }
    }
    for p in extra {
        apply_patch(ctx, kfile, &mut index, p, acc, false);
    }
    if let Some(ns) = root
        .get("namespace")
        .filter(|v| v.as_str().is_some_and(|s| !s.is_empty()))
    {
        transform::namespace(acc, ns.as_str().unwrap_or(""), &ns.src);
    }
    let prefix = root.str_at(&["namePrefix"]).unwrap_or("").to_owned();
    let suffix = root.str_at(&["nameSuffix"]).unwrap_or("").to_owned();
    transform::prefix_suffix(acc, &prefix, &suffix);
    transform::labels(acc, &pairs(root.get("commonLabels")), true, true);
    for l in root.items_at("labels") {
        let flag = |k: &str| l.get(k).is_some_and(|v| matches!(v.data, Data::Bool(true)));
        if l.get("fields").is_some() {
            not_evaluated(
                ctx,
                kfile,
                l.get("fields"),
                "labels with custom fields: only the default fields are labelled".into(),
            );
        }
        transform::labels(
            acc,
            &pairs(l.get("pairs")),
            flag("includeSelectors"),
            flag("includeTemplates"),
        );
    }
    transform::annotations(acc, &pairs(root.get("commonAnnotations")));
    for (i, entry) in root.items_at("patchesJson6902").iter().enumerate() {
        if let Some(p) = read_patch(
            ctx,
            kfile,
            dir,
            "patchesJson6902",
            i,
            entry,
            entry_node("patchesJson6902", i),
            "patch",
        ) {
            apply_patch(ctx, kfile, &mut None, &p, acc, true);
        }
    }
    let mut counts: Vec<(&str, &Value)> = Vec::new();
    let mut counted: Vec<&Value> = Vec::new();
    for entry in root.items_at("replicas") {
        let (Some(name), Some(count)) = (entry.str_at(&["name"]), entry.get("count")) else {
            problem(
                ctx,
                kfile,
                Some(entry),
                "a replicas entry needs name and count".into(),
                ErrorCode::InvalidFile,
            );
            continue;
        };
        counts.push((name, count));
        counted.push(entry);
    }
    if !counts.is_empty() {
        for ((name, _), (entry, used)) in counts
            .iter()
            .zip(counted.iter().zip(transform::replicas_all(acc, &counts)))
        {
            if !used {
                problem(
                    ctx,
                    kfile,
                    Some(entry),
                    format!("replicas entry {name} matches no workload"),
                    ErrorCode::NoEffect,
                );
            }
        }
    }
    let entries: Vec<&Value> = root
        .items_at("images")
        .iter()
        .filter(|e| e.str_at(&["name"]).is_some())
        .collect();
    if !entries.is_empty() {
        let rules: Vec<transform::ImageRule> = entries
            .iter()
            .map(|entry| transform::ImageRule {
                name: entry.str_at(&["name"]).unwrap_or("").to_owned(),
                new_name: entry.get("newName").cloned(),
                new_tag: entry.get("newTag").cloned(),
                digest: entry.get("digest").cloned(),
            })
            .collect();
        let used = transform::images_all(acc, &rules);
        for (entry, used) in entries.iter().zip(used) {
            if !used {
                let name = entry.str_at(&["name"]).unwrap_or("");
                problem(
                    ctx,
                    kfile,
                    Some(entry),
                    format!("images entry {name} matches no container"),
                    ErrorCode::NoEffect,
                );
            }
        }
        for r in acc.iter_mut() {
            r.touched_by(kfile);
        }
    }
    replacements(ctx, kfile, dir, root.items_at("replacements"), acc);
}

/// A plugin's configuration, as a `generators:` or `transformers:` entry names it: an object
/// of the file it names, of the folder it builds, or written inline.
struct PluginConfig {
    value: Value,
    /// The file it is written in.
    file: String,
    /// Its node, for a patch written inline in it.
    node: Option<Node>,
    /// The kustomization's entry that names it.
    entry: Value,
}

/// The configurations `key` (`generators` or `transformers`) of `kfile` names, in order, as
/// kustomize reads them; what cannot be read is a located problem.
fn plugin_configs(
    ctx: &mut Ctx<'_>,
    kfile: &str,
    dir: &str,
    root: &Value,
    root_node: &Node,
    key: &str,
    stack: &mut Vec<String>,
) -> Vec<PluginConfig> {
    let what = &key[..key.len() - 1];
    let mut out = Vec::new();
    for (i, entry) in root.items_at(key).iter().enumerate() {
        let Some(rel) = entry.as_str() else {
            problem(
                ctx,
                kfile,
                Some(entry),
                format!("a {what} entry must be a path or a configuration written inline"),
                ErrorCode::InvalidFile,
            );
            continue;
        };
        if rel.contains('\n') {
            let at = format!("{key}[{i}]");
            let node = tree::items(tree::get(root_node, key).unwrap_or(&tree::EMPTY)).get(i);
            let Some(inner) = node.and_then(|n| ctx.origin(kfile).embedded(&at, n)) else {
                continue;
            };
            match crate::yaml::parse(kfile, rel) {
                Ok(parsed) => {
                    for d in parsed.documents() {
                        let value = to_value(inner, d);
                        if !matches!(value.data, Data::Null) {
                            out.push(PluginConfig {
                                value,
                                file: kfile.to_owned(),
                                node: Some(d.clone()),
                                entry: entry.clone(),
                            });
                        }
                    }
                }
                Err(e) => ctx.problems.push(Problem::new(
                    ErrorCode::InvalidYaml,
                    kfile.to_owned(),
                    Some(inner.line_at(e.line)),
                    None,
                    format!(
                        "the {what} written inline at {at} is not valid YAML: {}",
                        e.message
                    ),
                )),
            }
            continue;
        }
        let Some(target) = local_target(ctx, kfile, dir, entry, rel, &format!("{what} changes"))
        else {
            continue;
        };
        if ctx.snapshot.files.contains_key(&target) {
            let nodes = ctx.load(&target);
            let Some(docs) = ctx.documents(&target) else {
                continue;
            };
            for (d, value) in docs.iter().enumerate() {
                if matches!(value.data, Data::Null) {
                    continue;
                }
                out.push(PluginConfig {
                    value: value.clone(),
                    file: target.clone(),
                    node: nodes.as_ref().and_then(|f| f.documents().get(d).cloned()),
                    entry: entry.clone(),
                });
            }
            continue;
        }
        if stack.contains(&target) {
            problem(
                ctx,
                kfile,
                Some(entry),
                format!(
                    "{rel} loops back to {target}, which is already being built; it was skipped"
                ),
                ErrorCode::InvalidFile,
            );
            continue;
        }
        if kustomization_file(ctx, &target).is_some() {
            for r in folder(ctx, &target, stack) {
                out.push(PluginConfig {
                    file: r.files[0].clone(),
                    value: r.object,
                    node: None,
                    entry: entry.clone(),
                });
            }
            continue;
        }
        let (code, why) = if let Some(why) = ctx.snapshot.unreadable.get(&target) {
            (ErrorCode::InvalidFile, format!("{what} file {rel} {why}"))
        } else if ctx
            .snapshot
            .files
            .range(format!("{target}/")..)
            .next()
            .is_some_and(|(p, _)| p.starts_with(&format!("{target}/")))
        {
            (
                ErrorCode::InvalidFile,
                format!(
                    "{what} {rel} is a folder without a kustomization.yaml; kustomize cannot build it"
                ),
            )
        } else {
            (
                ErrorCode::MissingFile,
                format!("{what} file {rel} does not exist"),
            )
        };
        ctx.used.insert(target);
        problem(ctx, kfile, Some(entry), why, code);
    }
    out
}

/// The kind of a configuration of one of kustomize's built-in plugins (`apiVersion: builtin`).
fn builtin_kind(config: &Value) -> Option<&str> {
    (config.str_at(&["apiVersion"]) == Some("builtin"))
        .then(|| config.str_at(&["kind"]).unwrap_or(""))
}

/// Built-in kinds Wheelhouse does not run: what they change is marked, not guessed.
const BUILTIN_NOT_RUN: [&str; 6] = [
    "HelmChartInflationGenerator",
    "IAMPolicyGenerator",
    "ValueAddTransformer",
    "HashTransformer",
    "SortOrderTransformer",
    "LegacyOrderTransformer",
];

/// A configuration nobody here runs (an exec or container plugin, a built-in kind Wheelhouse
/// does not evaluate): "not evaluated" at the kustomization's entry, so every cell it builds
/// says so; a built-in kind kustomize does not know fails its build.
fn plugin_not_run(ctx: &mut Ctx<'_>, kfile: &str, c: &PluginConfig, what: &str) {
    let kind = c.value.str_at(&["kind"]).unwrap_or("");
    let version = c.value.str_at(&["apiVersion"]).unwrap_or("");
    match builtin_kind(&c.value) {
        Some(k) if BUILTIN_NOT_RUN.contains(&k) => not_evaluated(
            ctx,
            kfile,
            Some(&c.entry),
            format!("the built-in {what} {k} in {} is not run; what it changes is not shown", c.file),
        ),
        Some(k) => problem(
            ctx,
            &c.file,
            c.value.get("kind"),
            format!("{k} is not one of kustomize's built-in {what}s; kustomize build fails on it"),
            ErrorCode::InvalidFile,
        ),
        None if kind.is_empty() => problem(
            ctx,
            &c.file,
            Some(&c.value),
            format!("this {what} configuration has no kind"),
            ErrorCode::InvalidFile,
        ),
        None => not_evaluated(
            ctx,
            kfile,
            Some(&c.entry),
            format!("the {what} plugin {kind} ({version}) in {} is not run (exec and container plugins are not); what it changes is not shown", c.file),
        ),
    }
}

fn run_generator(
    ctx: &mut Ctx<'_>,
    kfile: &str,
    dir: &str,
    c: &PluginConfig,
    acc: &mut Vec<Resource>,
) {
    let kind = match builtin_kind(&c.value) {
        Some("ConfigMapGenerator") => "ConfigMap",
        Some("SecretGenerator") => "Secret",
        _ => return plugin_not_run(ctx, kfile, c, "generator"),
    };
    // The arguments are the configuration's own fields; its metadata names what is made
    // when they do not (kustomize's generatorOptions do not reach these).
    let mut g = c.value.clone();
    for field in ["name", "namespace"] {
        if g.get(field).is_none() {
            if let Some(v) = c.value.at(&["metadata", field]).cloned() {
                g.set(field, v);
            }
        }
    }
    let key = builtin_kind(&c.value).unwrap_or("");
    generate(ctx, &c.file, dir, key, kind, &g, None, acc);
}

/// The `fieldSpecs` of a transformer's configuration.
fn field_specs(ctx: &mut Ctx<'_>, file: &str, config: &Value) -> Vec<transform::FieldSpec> {
    let mut out = Vec::new();
    for fs in config.items_at("fieldSpecs") {
        let Some(path) = fs.str_at(&["path"]).filter(|p| !p.is_empty()) else {
            problem(
                ctx,
                file,
                Some(fs),
                "a fieldSpecs entry needs a path".into(),
                ErrorCode::InvalidFile,
            );
            continue;
        };
        let text = |k: &str| fs.str_at(&[k]).filter(|v| !v.is_empty()).map(str::to_owned);
        out.push(transform::FieldSpec {
            group: text("group"),
            version: text("version"),
            kind: text("kind"),
            path: path.split('/').map(str::to_owned).collect(),
            create: fs
                .get("create")
                .is_some_and(|v| matches!(v.data, Data::Bool(true))),
        });
    }
    out
}

fn run_transformer(
    ctx: &mut Ctx<'_>,
    kfile: &str,
    dir: &str,
    c: &PluginConfig,
    acc: &mut Vec<Resource>,
) {
    let v = &c.value;
    let file = c.file.as_str();
    let Some(kind) = builtin_kind(v) else {
        return plugin_not_run(ctx, kfile, c, "transformer");
    };
    let fields = field_specs(ctx, file, v);
    match kind {
        "LabelTransformer" => transform::entries_at(acc, &pairs(v.get("labels")), &fields),
        "AnnotationsTransformer" => {
            transform::entries_at(acc, &pairs(v.get("annotations")), &fields)
        }
        "PrefixSuffixTransformer" | "PrefixTransformer" | "SuffixTransformer" => {
            let text = |k: &str| v.str_at(&[k]).unwrap_or("").to_owned();
            transform::prefix_suffix_at(acc, &text("prefix"), &text("suffix"), &fields)
        }
        "NamespaceTransformer" => {
            let Some(ns) = v
                .at(&["metadata", "namespace"])
                .filter(|n| n.as_str().is_some_and(|s| !s.is_empty()))
            else {
                return problem(
                    ctx,
                    file,
                    Some(v),
                    "a NamespaceTransformer needs metadata.namespace".into(),
                    ErrorCode::InvalidFile,
                );
            };
            let subjects = match v.str_at(&["setRoleBindingSubjects"]).unwrap_or("") {
                "" | "defaultOnly" => transform::Subjects::DefaultOnly,
                "allServiceAccounts" => transform::Subjects::AllServiceAccounts,
                "none" => transform::Subjects::None,
                other => {
                    return problem(ctx, file, v.get("setRoleBindingSubjects"), format!("setRoleBindingSubjects {other} is not one of defaultOnly, allServiceAccounts, none"), ErrorCode::InvalidFile);
                }
            };
            let t = transform::Namespace {
                namespace: ns.clone(),
                subjects,
                unset_only: v
                    .get("unsetOnly")
                    .is_some_and(|u| matches!(u.data, Data::Bool(true))),
            };
            transform::namespace_with(acc, &t, &fields);
        }
        "ImageTagTransformer" => {
            let Some(tag) = v.get("imageTag").filter(|t| t.str_at(&["name"]).is_some()) else {
                return problem(
                    ctx,
                    file,
                    Some(v),
                    "an ImageTagTransformer needs imageTag.name".into(),
                    ErrorCode::InvalidFile,
                );
            };
            let rule = transform::ImageRule {
                name: tag.str_at(&["name"]).unwrap_or("").to_owned(),
                new_name: tag.get("newName").cloned(),
                new_tag: tag.get("newTag").cloned(),
                digest: tag.get("digest").cloned(),
            };
            if !transform::image_at(acc, &rule, &fields) {
                problem(
                    ctx,
                    file,
                    Some(tag),
                    format!("image {} matches no container", rule.name),
                    ErrorCode::NoEffect,
                );
            }
        }
        "ReplicaCountTransformer" => {
            let (Some(name), Some(count)) =
                (v.str_at(&["replica", "name"]), v.at(&["replica", "count"]))
            else {
                return problem(
                    ctx,
                    file,
                    Some(v),
                    "a ReplicaCountTransformer needs replica.name and replica.count".into(),
                    ErrorCode::InvalidFile,
                );
            };
            if !transform::replicas_at(acc, name, count, &fields) {
                problem(ctx, file, v.get("replica"), format!("no object named {name} matches the fieldSpecs; kustomize build fails on it"), ErrorCode::InvalidFile);
            }
        }
        "PatchTransformer" | "PatchJson6902Transformer" => {
            let (patch_key, json_only) = if kind == "PatchTransformer" {
                ("patch", false)
            } else {
                ("jsonOp", true)
            };
            if let Some(p) = read_patch(ctx, file, dir, kind, 0, v, c.node.as_ref(), patch_key) {
                apply_patch(ctx, file, &mut None, &p, acc, json_only);
            }
        }
        "PatchStrategicMergeTransformer" => {
            for (i, path) in v.items_at("paths").iter().enumerate() {
                if let Some(p) = read_patch(ctx, file, dir, "paths", i, path, None, "patch") {
                    apply_patch(ctx, file, &mut None, &p, acc, false);
                }
            }
            if let Some(inline) = v.get("patches") {
                let node = c.node.as_ref().and_then(|n| tree::get(n, "patches"));
                if let Some(p) = read_patch(ctx, file, dir, "patches", 0, inline, node, "patch") {
                    apply_patch(ctx, file, &mut None, &p, acc, false);
                }
            }
        }
        "ReplacementTransformer" => replacements(ctx, file, dir, v.items_at("replacements"), acc),
        _ => return plugin_not_run(ctx, kfile, c, "transformer"),
    }
    for r in acc.iter_mut() {
        r.touched_by(file);
    }
}

/// `replacements` entries: each written inline or in the file its `path` names.
fn replacements(ctx: &mut Ctx<'_>, kfile: &str, dir: &str, list: &[Value], acc: &mut [Resource]) {
    for entry in list {
        if let Some(rel) = entry.str_at(&["path"]) {
            let Some(path) = join(dir, rel).filter(|p| ctx.snapshot.files.contains_key(p)) else {
                missing(ctx, kfile, Some(entry), dir, rel, "replacements file");
                continue;
            };
            let Some(docs) = ctx.documents(&path) else {
                continue;
            };
            for d in docs.iter() {
                let list: Vec<&Value> = match &d.data {
                    Data::Seq(items) => items.iter().collect(),
                    Data::Map(_) => vec![d],
                    _ => Vec::new(),
                };
                for r in list {
                    replacement(ctx, &path, r, acc);
                }
            }
        } else {
            replacement(ctx, kfile, entry, acc);
        }
    }
}

fn replacement(ctx: &mut Ctx<'_>, file: &str, entry: &Value, acc: &mut [Resource]) {
    let Some(source) = entry.get("source") else {
        problem(
            ctx,
            file,
            Some(entry),
            "a replacement needs a source".into(),
            ErrorCode::InvalidFile,
        );
        return;
    };
    let Some(found) = select(ctx, file, source, acc) else {
        return;
    };
    let idx = match found.as_slice() {
        [i] => *i,
        [] => {
            problem(
                ctx,
                file,
                Some(source),
                format!(
                    "the replacement's source ({}) matches no resource",
                    describe(source)
                ),
                ErrorCode::InvalidFile,
            );
            return;
        }
        _ => {
            problem(
                ctx,
                file,
                Some(source),
                format!(
                    "the replacement's source ({}) matches {} resources; it must match one",
                    describe(source),
                    found.len()
                ),
                ErrorCode::InvalidFile,
            );
            return;
        }
    };
    let field = source.str_at(&["fieldPath"]).unwrap_or("metadata.name");
    let segs = match replace::parse(field) {
        Ok(s) => s,
        Err(e) => {
            problem(ctx, file, Some(source), e, ErrorCode::InvalidFile);
            return;
        }
    };
    let Some(mut value) = replace::get(&acc[idx].object, &segs).cloned() else {
        problem(
            ctx,
            file,
            Some(source),
            format!("the replacement's source has no {field}"),
            ErrorCode::InvalidFile,
        );
        return;
    };
    if let (Some(d), Some(text)) = (
        source.str_at(&["options", "delimiter"]),
        value.scalar_text(),
    ) {
        let index = source
            .at(&["options", "index"])
            .and_then(Value::scalar_text)
            .and_then(|t| t.parse().ok())
            .unwrap_or(0);
        match replace::part(&text, Some(d), index) {
            Some(p) => value = Value::str(p).with_src(value.src.clone()),
            None => return,
        }
    }
    for t in entry.items_at("targets") {
        let Some(sel) = t.get("select") else { continue };
        let Some(mut chosen) = select(ctx, file, sel, acc) else {
            continue;
        };
        for rej in t.items_at("reject") {
            if let Some(out) = select(ctx, file, rej, acc) {
                chosen.retain(|i| !out.contains(i));
            }
        }
        let create = t
            .at(&["options", "create"])
            .is_some_and(|v| matches!(v.data, Data::Bool(true)));
        let delim = t.str_at(&["options", "delimiter"]).map(str::to_owned);
        let index: i64 = t
            .at(&["options", "index"])
            .and_then(Value::scalar_text)
            .and_then(|x| x.parse().ok())
            .unwrap_or(0);
        for fp in t.items_at("fieldPaths") {
            let Some(fp_s) = fp.as_str() else { continue };
            let segs = match replace::parse(fp_s) {
                Ok(s) => s,
                Err(e) => {
                    problem(ctx, file, Some(fp), e, ErrorCode::InvalidFile);
                    continue;
                }
            };
            for &i in &chosen {
                let v = value.clone();
                replace::visit(&mut acc[i].object, &segs, create, &mut |slot| {
                    *slot = match (&delim, slot.scalar_text(), v.scalar_text()) {
                        (Some(d), Some(old), Some(new)) => {
                            Value::str(replace::splice(&old, &new, Some(d), index))
                                .with_src(v.src.clone())
                        }
                        _ => v.clone(),
                    };
                });
                acc[i].touched_by(file);
            }
        }
    }
}

/// The rendered workloads of an environment, as the matrix shows them: the id is the name as
/// written (before prefixes, suffixes and hashes), every value says where it was set.
pub(super) fn workloads(ctx: &mut Ctx<'_>, resources: &[Resource]) -> Vec<WorkloadState> {
    let mut out = Vec::with_capacity(resources.len());
    for r in resources {
        let kind_name = r.kind();
        if kind_name == "HelmRelease" {
            out.push(helm_release(ctx, r, resources));
            continue;
        }
        let Some(kind) = WORKLOAD_KINDS
            .iter()
            .find(|(k, _)| *k == kind_name)
            .map(|x| x.1)
        else {
            continue;
        };
        let spec_path = pod_spec_path(kind);
        let mut containers = Vec::new();
        let list: Vec<&str> = spec_path.iter().copied().chain(["containers"]).collect();
        for c in r.object.at(&list).map(Value::items).unwrap_or(&[]) {
            let (Some(cname), Some(image)) = (
                c.str_at(&["name"]),
                c.get("image").and_then(|i| sourced(ctx, i)),
            ) else {
                continue;
            };
            let tag = split_image(&image.value).1.to_owned();
            let mut env = Vec::new();
            for e in c.items_at("env") {
                if let (Some(n), Some(v)) = (
                    e.str_at(&["name"]),
                    e.get("value").and_then(|v| sourced(ctx, v)),
                ) {
                    set_named(&mut env, n, v);
                }
            }
            let mut res = Vec::new();
            for group in ["requests", "limits"] {
                for (k, v) in c
                    .at(&["resources", group])
                    .map(Value::entries)
                    .unwrap_or(&[])
                {
                    if let Some(v) = sourced(ctx, v) {
                        set_named(&mut res, &format!("{group}.{k}"), v);
                    }
                }
            }
            containers.push(ContainerState {
                name: cname.to_owned(),
                image,
                tag,
                env,
                resources: res,
            });
        }
        out.push(WorkloadState {
            id: r.names[0].clone(),
            kind,
            name: r.names.last().cloned().unwrap_or_default(),
            namespace: r
                .object
                .str_at(&["metadata", "namespace"])
                .map(str::to_owned),
            replicas: r
                .object
                .at(&["spec", "replicas"])
                .and_then(|v| sourced(ctx, v)),
            containers,
            chart_version: None,
            values: Vec::new(),
            labels: labels(ctx, &r.object),
            files: r.files.clone(),
        });
    }
    out
}

fn labels(ctx: &Ctx<'_>, o: &Value) -> Vec<NamedValue> {
    o.at(&["metadata", "labels"])
        .map(Value::entries)
        .unwrap_or(&[])
        .iter()
        .filter_map(|(k, v)| {
            Some(NamedValue {
                name: k.clone(),
                value: sourced(ctx, v)?,
            })
        })
        .collect()
}

/// A rendered scalar with its provenance (the layer from the environment being built).
pub(super) fn sourced(ctx: &Ctx<'_>, v: &Value) -> Option<Sourced> {
    let value = v.scalar_text()?;
    let src = v.src.as_ref()?;
    Some(Sourced {
        value,
        source: Provenance {
            file: src.file.to_string(),
            path: src.path.clone(),
            line: src.line,
            layer: src.layer.unwrap_or_else(|| ctx.layer_of(&src.file)),
        },
    })
}

fn flatten(ctx: &Ctx<'_>, name: &str, v: &Value, out: &mut ValueList) {
    match &v.data {
        Data::Map(m) => {
            for (k, x) in m.iter() {
                flatten(
                    ctx,
                    &if name.is_empty() {
                        k.clone()
                    } else {
                        format!("{name}.{k}")
                    },
                    x,
                    out,
                );
            }
        }
        Data::Seq(items) => {
            for (i, x) in items.iter().enumerate() {
                flatten(ctx, &format!("{name}[{i}]"), x, out);
            }
        }
        _ => {
            if let Some(s) = sourced(ctx, v) {
                out.set(name.to_owned(), s);
            }
        }
    }
}

/// A Flux HelmRelease: the chart version (`chart.spec.version`, or the `OCIRepository` or
/// `HelmChart` its `chartRef` names), values from `valuesFrom` ConfigMaps and Secrets of the
/// same build, then `spec.values` over them.
fn helm_release(ctx: &mut Ctx<'_>, r: &Resource, all: &[Resource]) -> WorkloadState {
    let o = &r.object;
    let ns = o.str_at(&["metadata", "namespace"]);
    // Problems go at the value's own file (a patch may have written it).
    let file_of = |v: &Value| {
        v.src
            .as_ref()
            .map_or_else(|| r.files[0].clone(), |s| s.file.to_string())
    };
    let mut chart_version = o
        .at(&["spec", "chart", "spec", "version"])
        .and_then(|v| sourced(ctx, v));
    if let Some(cref) = o.at(&["spec", "chartRef"]) {
        let kind = cref.str_at(&["kind"]).unwrap_or("");
        let name = cref.str_at(&["name"]).unwrap_or("");
        let ref_ns = cref.str_at(&["namespace"]).or(ns);
        let found = all
            .iter()
            .find(|x| {
                x.kind() == kind
                    && x.has_name(name)
                    && same_ns(x.object.str_at(&["metadata", "namespace"]), ref_ns)
            })
            .or_else(|| all.iter().find(|x| x.kind() == kind && x.has_name(name)))
            .map(|x| x.object.clone())
            // A source defined in another folder of the repository (infrastructure/sources/).
            .or_else(|| source_elsewhere(ctx, kind, name, ref_ns));
        chart_version = match &found {
            Some(x) => x.get("spec").and_then(|spec| {
                let v = match kind {
                    "OCIRepository" => ["digest", "semver", "tag"]
                        .iter()
                        .find_map(|k| spec.at(&["ref", k])),
                    _ => spec.get("version"),
                }?;
                sourced(ctx, v)
            }),
            None => {
                not_evaluated(
                    ctx,
                    &file_of(cref),
                    Some(cref),
                    format!("chartRef {kind} {name} is not defined in this repository (Flux reads it from the cluster); the chart version is not shown"),
                );
                None
            }
        };
    }
    let mut values = ValueList::default();
    for vf in o
        .at(&["spec", "valuesFrom"])
        .map(Value::items)
        .unwrap_or(&[])
    {
        let kind = vf.str_at(&["kind"]).unwrap_or("ConfigMap");
        let Some(name) = vf.str_at(&["name"]) else {
            problem(
                ctx,
                &file_of(vf),
                Some(vf),
                "a valuesFrom entry needs a name".into(),
                ErrorCode::NoEffect,
            );
            continue;
        };
        let optional = vf
            .get("optional")
            .is_some_and(|v| matches!(v.data, Data::Bool(true)));
        let key = vf.str_at(&["valuesKey"]).unwrap_or("values.yaml");
        let Some(src_obj) = all.iter().find(|x| x.kind() == kind && x.has_name(name)) else {
            if !optional {
                not_evaluated(
                    ctx,
                    &file_of(vf),
                    Some(vf),
                    format!("valuesFrom {kind} {name} is not in this build (Flux reads it from the cluster, and fails the release where it is missing there too); the values it sets are not shown"),
                );
            }
            continue;
        };
        let Some(data) = src_obj
            .object
            .at(&["data", key])
            .or_else(|| src_obj.object.at(&["stringData", key]))
        else {
            if !optional {
                problem(
                    ctx,
                    &file_of(vf),
                    Some(vf),
                    format!(
                        "valuesFrom {kind} {name} has no key {key}; Flux fails the release on it"
                    ),
                    ErrorCode::InvalidFile,
                );
            }
            continue;
        };
        let mut text = data.scalar_text().unwrap_or_default();
        if kind == "Secret" && src_obj.object.at(&["data", key]).is_some() {
            use base64::Engine;
            match base64::engine::general_purpose::STANDARD
                .decode(text.trim().as_bytes())
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
            {
                Some(t) => text = t,
                None => {
                    problem(
                        ctx,
                        &file_of(data),
                        Some(data),
                        format!("Secret {name} key {key} is not base64 text; the values it holds are not shown"),
                        ErrorCode::NotEvaluated,
                    );
                    continue;
                }
            }
        }
        let file = file_of(data);
        match crate::yaml::parse(&file, &text) {
            Ok(parsed) => {
                if let Some(doc) = parsed.documents().first() {
                    let v = to_value(ctx.origin(&file), doc);
                    match vf.str_at(&["targetPath"]) {
                        Some(tp) => {
                            if let Some(s) = sourced(ctx, &v) {
                                values.set(format!("spec.values.{tp}"), s);
                            }
                        }
                        None => flatten(ctx, "spec.values", &v, &mut values),
                    }
                }
            }
            Err(e) if vf.str_at(&["targetPath"]).is_none() => problem(
                ctx,
                &file,
                Some(data),
                format!("valuesFrom {kind} {name} key {key} is not valid YAML ({}); the values it sets are not shown", e.message),
                ErrorCode::NotEvaluated,
            ),
            Err(_) => {
                // A value for one path may be any text.
                let v = Value::str(text.clone()).with_src(data.src.clone());
                if let (Some(tp), Some(s)) = (vf.str_at(&["targetPath"]), sourced(ctx, &v)) {
                    values.set(format!("spec.values.{tp}"), s);
                }
            }
        }
    }
    if let Some(v) = o.at(&["spec", "values"]) {
        flatten(ctx, "spec.values", v, &mut values);
    }
    WorkloadState {
        id: r.names[0].clone(),
        kind: WorkloadKind::HelmRelease,
        name: r.names.last().cloned().unwrap_or_default(),
        namespace: ns.map(str::to_owned),
        replicas: release_replicas(&values.list),
        containers: Vec::new(),
        chart_version,
        values: values.list,
        labels: labels(ctx, o),
        files: r.files.clone(),
    }
}

/// A Flux source (`OCIRepository`, `HelmChart`) named by a `chartRef` and defined anywhere in
/// the repository, outside the build that uses it (read as a file the environment depends on).
fn source_elsewhere(ctx: &mut Ctx<'_>, kind: &str, name: &str, ns: Option<&str>) -> Option<Value> {
    let needle = format!("kind: {kind}");
    let files: Vec<String> = ctx
        .snapshot
        .files
        .iter()
        .filter(|(p, t)| is_yaml(p) && t.contains(&needle) && t.contains(name))
        .map(|(p, _)| p.clone())
        .collect();
    let mut any = None;
    for f in files {
        let Some(docs) = ctx.documents(&f) else {
            continue;
        };
        for d in docs.iter() {
            if d.str_at(&["kind"]) != Some(kind) || d.str_at(&["metadata", "name"]) != Some(name) {
                continue;
            }
            if same_ns(d.str_at(&["metadata", "namespace"]), ns) {
                return Some(d.clone());
            }
            any.get_or_insert_with(|| d.clone());
        }
    }
    any
}

/// How the build of `dir` is ordered: the `sortOptions` of its kustomization (an unknown
/// order is a located error, and the legacy order is used).
pub(super) fn sort_order(ctx: &mut Ctx<'_>, dir: &str) -> transform::SortOrder {
    use transform::SortOrder;
    let Some(kfile) = kustomization_file(ctx, dir) else {
        return SortOrder::Legacy;
    };
    let Some(root) = ctx.documents(&kfile).and_then(|d| d.first().cloned()) else {
        return SortOrder::Legacy;
    };
    let Some(options) = root.get("sortOptions") else {
        return SortOrder::Legacy;
    };
    let kinds = |key: &str| -> Option<Vec<String>> {
        options.at(&["legacySortOptions", key]).map(|v| {
            v.items()
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
    };
    match options.str_at(&["order"]) {
        Some("fifo") => SortOrder::Fifo,
        Some("legacy") | None => match (kinds("orderFirst"), kinds("orderLast")) {
            (None, None) => SortOrder::Legacy,
            (first, last) => SortOrder::LegacyWith {
                first: first.unwrap_or_default(),
                last: last.unwrap_or_default(),
            },
        },
        Some(other) => {
            let at = options.get("order").cloned();
            problem(
                ctx,
                &kfile,
                at.as_ref(),
                format!("sortOptions.order is {other}; kustomize knows legacy and fifo, so the legacy order is shown"),
                ErrorCode::InvalidFile,
            );
            SortOrder::Legacy
        }
    }
}

/// What every kustomization of the snapshot builds on, for environment detection (read
/// without marking the files used).
pub(super) fn references(
    snapshot: &Snapshot,
    cache: &mut ParseCache,
) -> Vec<crate::layout::KustRef> {
    let mut out = Vec::new();
    for (path, text) in &snapshot.files {
        if !crate::layout::is_kustomization(path) {
            continue;
        }
        let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
        let Ok(parsed) = cache.outline(path, text) else {
            continue;
        };
        let Some(root) = parsed.documents().first() else {
            continue;
        };
        let mut refs = Vec::new();
        for key in ["resources", "bases", "components"] {
            for entry in tree::items(tree::get(root, key).unwrap_or(&tree::EMPTY)) {
                let Some(rel) = tree::as_str(entry) else {
                    continue;
                };
                if is_remote(rel) {
                    continue;
                }
                if let Some(target) = join(dir, rel) {
                    if !snapshot.files.contains_key(&target) {
                        refs.push(target);
                    }
                }
            }
        }
        out.push(crate::layout::KustRef {
            dir: dir.to_owned(),
            component: tree::str_at(root, &["kind"]) == Some("Component"),
            refs,
        });
    }
    out
}

/// A `configurations` file: its `nameReference` entries are followed; anything else it
/// configures is reported as not evaluated.
fn configuration(ctx: &mut Ctx<'_>, kfile: &str, dir: &str, entry: &Value) {
    let Some(rel) = entry.as_str() else { return };
    let Some(path) = join(dir, rel).filter(|p| ctx.snapshot.files.contains_key(p)) else {
        missing(ctx, kfile, Some(entry), dir, rel, "configurations file");
        return;
    };
    let Some(parsed) = ctx.load(&path) else {
        return;
    };
    let Some(doc) = parsed.documents().first() else {
        return;
    };
    let v = to_value(ctx.origin(&path), doc);
    for (key, val) in v.entries() {
        if key != "nameReference" {
            not_evaluated(
                ctx,
                &path,
                Some(val),
                format!("the {key} configuration is not applied; only nameReference is"),
            );
            continue;
        }
        for nr in val.items() {
            let Some(kind) = nr.str_at(&["kind"]) else {
                continue;
            };
            for fs in nr.items_at("fieldSpecs") {
                let Some(p) = fs.str_at(&["path"]) else {
                    continue;
                };
                ctx.namerefs.push(transform::NameRef {
                    kind: kind.to_owned(),
                    referrer: fs.str_at(&["kind"]).map(str::to_owned),
                    path: p.split('/').map(str::to_owned).collect(),
                });
            }
        }
    }
}

/// A node of `file` as a rendered value, every scalar located.
pub(super) fn value_of(ctx: &Ctx<'_>, file: &str, node: &Node) -> Value {
    to_value(ctx.origin(file), node)
}

/// What a Flux Kustomization adds over the folder it builds, as Flux does it (an overlay
/// kustomization of its own): `components`, `patches`, `images`, `namePrefix`/`nameSuffix`,
/// `targetNamespace`, `commonMetadata`.
pub(super) fn flux_overlay(
    ctx: &mut Ctx<'_>,
    file: &str,
    path: &str,
    spec: &Value,
    spec_node: &Node,
    stack: &mut Vec<String>,
    acc: &mut Vec<Resource>,
) {
    for entry in spec.items_at("components") {
        let Some(rel) = entry.as_str() else { continue };
        match join(path, rel) {
            Some(target) if kustomization_file(ctx, &target).is_some() => {
                accumulate(ctx, &target, stack, acc, None);
            }
            _ => missing(ctx, file, Some(entry), path, rel, "component"),
        }
    }
    let mut root = Value::map();
    for key in ["patches", "images", "namePrefix", "nameSuffix"] {
        if let Some(v) = spec.get(key) {
            root.set(key, v.clone());
        }
    }
    if let Some(ns) = spec.get("targetNamespace") {
        root.set("namespace", ns.clone());
    }
    transformers(ctx, file, path, &root, spec_node, &[], acc);
    if let Some(meta) = spec.get("commonMetadata") {
        transform::labels(acc, &pairs(meta.get("labels")), false, false);
        for r in acc.iter_mut() {
            for (k, v) in pairs(meta.get("annotations")) {
                r.object.ensure_map(&["metadata", "annotations"]).set(&k, v);
            }
        }
    }
}

/// Workloads (and Flux HelmReleases) defined in one manifest file: read as the render reads
/// them, so a plain manifest and a built kustomization show values the same way.
pub(super) fn workloads_in_file(ctx: &mut Ctx<'_>, file: &str) -> Vec<WorkloadState> {
    let resources = manifest_resources(ctx, file);
    workloads(ctx, &resources)
}
