//! Resolution: from the repository's files to the effective desired state of every workload in
//! every environment, with provenance. Pure over a [`Snapshot`] of file contents; parses are
//! cached by content so a refresh after one file changed re-parses one file.
//!
//! The Kustomize subset: `resources` (files and folders, recursively, with loop detection),
//! `patches`/`patchesStrategicMerge` (strategic merge of replicas, container images, env and
//! resources; JSON 6902 `replace`/`add` of the same fields), `images`, `replicas`,
//! `namePrefix`/`nameSuffix`, `namespace`. Helm: `values.yaml` then `values-<env>.yaml`. Flux
//! `HelmRelease`: chart version and values. Anything else is listed, never hidden.

use crate::layout::{self, EnvironmentSpec, LayerSpec};
use crate::model::*;
use crate::tree::{self, as_str, get, get_path, items, str_at};
use crate::yaml::{self, Node, YamlFile};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// The repository's text files that resolution may read, by repository-relative path.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub files: BTreeMap<String, Arc<str>>,
    /// Files that exist but could not be read as text (binary, too large), with why.
    pub unreadable: BTreeMap<String, String>,
}

type Parsed = Result<Arc<YamlFile>, yaml::YamlError>;

/// Parsed files by path, reused while their text is unchanged.
#[derive(Debug, Default)]
pub struct ParseCache {
    entries: HashMap<String, (Arc<str>, Parsed)>,
}

impl ParseCache {
    /// Parses every file of `snapshot` not parsed yet, on all cores: a cold open parses thousands
    /// of files, and parsing is independent per file.
    pub fn warm(&mut self, snapshot: &Snapshot) {
        let todo: Vec<(&String, &Arc<str>)> = snapshot
            .files
            .iter()
            .filter(|(path, _)| !self.entries.contains_key(*path))
            .collect();
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(8);
        let chunk = todo.len().div_ceil(threads).max(1);
        let parsed: Vec<Vec<(String, Arc<str>, Parsed)>> = std::thread::scope(|scope| {
            let handles: Vec<_> = todo
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(move || {
                        part.iter()
                            .map(|(path, text)| {
                                (
                                    (*path).clone(),
                                    Arc::clone(text),
                                    yaml::parse(path, text).map(Arc::new),
                                )
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("parser thread"))
                .collect()
        });
        for (path, text, result) in parsed.into_iter().flatten() {
            self.entries.insert(path, (text, result));
        }
    }

    /// The parse of `text` for `path`, from the cache when the text is unchanged.
    pub fn parse(&mut self, path: &str, text: &Arc<str>) -> Parsed {
        if let Some((cached_text, parsed)) = self.entries.get(path) {
            if Arc::ptr_eq(cached_text, text) || **cached_text == **text {
                return parsed.clone();
            }
        }
        let parsed = yaml::parse(path, text).map(Arc::new);
        self.entries
            .insert(path.to_owned(), (text.clone(), parsed.clone()));
        parsed
    }
}

const WORKLOAD_KINDS: [(&str, WorkloadKind); 4] = [
    ("Deployment", WorkloadKind::Deployment),
    ("StatefulSet", WorkloadKind::StatefulSet),
    ("DaemonSet", WorkloadKind::DaemonSet),
    ("CronJob", WorkloadKind::CronJob),
];

struct Ctx<'a> {
    snapshot: &'a Snapshot,
    cache: &'a mut ParseCache,
    problems: Vec<Problem>,
    used: BTreeSet<String>,
    /// The environment layer being built, with a trailing `/`: files under it are
    /// `Layer::Environment`.
    env_prefix: String,
}

impl Ctx<'_> {
    fn layer_of(&self, file: &str) -> Layer {
        if !self.env_prefix.is_empty() && file.starts_with(&self.env_prefix) {
            Layer::Environment
        } else {
            Layer::Base
        }
    }

    fn load(&mut self, path: &str) -> Option<Arc<YamlFile>> {
        self.used.insert(path.to_owned());
        if let Some(why) = self.snapshot.unreadable.get(path) {
            self.problem(path, None, why.clone(), Severity::Error);
            return None;
        }
        let text = self.snapshot.files.get(path)?.clone();
        match self.cache.parse(path, &text) {
            Ok(file) => Some(file),
            Err(e) => {
                self.problems.push(Problem {
                    file: path.to_owned(),
                    line: Some(e.line),
                    column: Some(e.column),
                    message: e.message.clone(),
                    severity: Severity::Error,
                });
                None
            }
        }
    }

    fn problem(&mut self, file: &str, node: Option<&Node>, message: String, severity: Severity) {
        self.problems.push(Problem {
            file: file.to_owned(),
            line: node.map(tree::line),
            column: node.map(tree::column),
            message,
            severity,
        });
    }

    fn sourced(&self, file: &str, path: String, node: &Node) -> Option<Sourced> {
        Some(Sourced {
            value: scalar_text(node)?,
            source: Provenance {
                file: file.to_owned(),
                path,
                line: tree::line(node),
                layer: self.layer_of(file),
            },
        })
    }
}

fn scalar_text(node: &Node) -> Option<String> {
    match node {
        Node::Scalar { value, .. } => Some(value.clone()),
        _ => None,
    }
}

/// The loaded key/value pairs of a mapping.
fn map_entries(node: &Node) -> impl Iterator<Item = (&str, &Node)> {
    tree::entries(node)
        .iter()
        .map(|e| (e.key.as_str(), &e.value))
}

/// Joins a folder and a relative path, resolving `.` and `..`; `None` if it climbs out of the
/// repository.
pub fn join(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = if rel.starts_with('/') {
        return None;
    } else {
        dir.split('/').filter(|p| !p.is_empty()).collect()
    };
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Splits an image reference into (name, tag-or-digest).
pub fn split_image(image: &str) -> (&str, &str) {
    if let Some((name, digest)) = image.split_once('@') {
        return (name, digest);
    }
    let slash = image.rfind('/').map_or(0, |i| i + 1);
    match image[slash..].rfind(':') {
        Some(i) => (&image[..slash + i], &image[slash + i + 1..]),
        None => (image, ""),
    }
}

/// A resolution plus what it needs to be updated cheaply: which files each environment read, so
/// a change to one overlay re-resolves one environment, not thirty.
#[derive(Debug, Clone)]
pub struct Resolution {
    pub state: DesiredState,
    paths: BTreeSet<String>,
    envs: Vec<EnvironmentSpec>,
    env_files: Vec<BTreeSet<String>>,
    env_problems: Vec<Vec<Problem>>,
    shared_files: BTreeSet<String>,
    shared_problems: Vec<Problem>,
    shared_releases: Vec<WorkloadState>,
}

fn all_paths(snapshot: &Snapshot) -> BTreeSet<String> {
    snapshot
        .files
        .keys()
        .chain(snapshot.unreadable.keys())
        .cloned()
        .collect()
}

/// Resolves every environment.
pub fn resolve(
    snapshot: &Snapshot,
    cache: &mut ParseCache,
    config: Option<&layout::WorkspaceConfig>,
) -> Resolution {
    let paths = all_paths(snapshot);
    let envs = layout::detect(&paths, config);
    let mut ctx = Ctx {
        snapshot,
        cache,
        problems: Vec::new(),
        used: BTreeSet::new(),
        env_prefix: String::new(),
    };
    let env_roots: Vec<String> = envs
        .iter()
        .flat_map(|e| e.layers.iter().map(|l| l.path().to_owned()))
        .collect();
    let shared_releases = shared_helm_releases(&mut ctx, &paths, &env_roots);
    let shared_files = std::mem::take(&mut ctx.used);
    let shared_problems = std::mem::take(&mut ctx.problems);
    let mut workloads = Vec::new();
    let mut env_files = Vec::new();
    let mut env_problems = Vec::new();
    for env in &envs {
        workloads.push(environment_with_releases(&mut ctx, env, &shared_releases));
        env_files.push(std::mem::take(&mut ctx.used));
        env_problems.push(std::mem::take(&mut ctx.problems));
    }
    let used: BTreeSet<&String> = env_files
        .iter()
        .flatten()
        .chain(shared_files.iter())
        .collect();
    let other_files = paths
        .iter()
        .filter(|p| is_yaml(p) && !used.contains(p))
        .filter(|p| !p.starts_with(".wheelhouse/") && !p.starts_with(".github/"))
        .cloned()
        .collect();
    let mut resolution = Resolution {
        state: DesiredState {
            environments: envs
                .iter()
                .map(|e| EnvironmentInfo {
                    name: e.name.clone(),
                    protected: e.protected,
                    paths: e.layers.iter().map(|l| l.path().to_owned()).collect(),
                })
                .collect(),
            workloads,
            other_files,
            problems: Vec::new(),
        },
        paths,
        envs,
        env_files,
        env_problems,
        shared_files,
        shared_problems,
        shared_releases,
    };
    resolution.collect_problems(snapshot);
    resolution
}

fn environment_with_releases(
    ctx: &mut Ctx<'_>,
    env: &EnvironmentSpec,
    shared: &[WorkloadState],
) -> Vec<WorkloadState> {
    let mut list = resolve_environment(ctx, env);
    for release in shared {
        if !list.iter().any(|w| w.id == release.id) {
            list.push(release.clone());
        }
    }
    list.sort_by(|a, b| (a.kind, &a.id).cmp(&(b.kind, &b.id)));
    list
}

impl Resolution {
    fn collect_problems(&mut self, snapshot: &Snapshot) {
        let mut problems: Vec<Problem> = self
            .shared_problems
            .iter()
            .chain(self.env_problems.iter().flatten())
            .cloned()
            .collect();
        for (file, why) in &snapshot.unreadable {
            if !problems.iter().any(|p| &p.file == file) {
                problems.push(Problem {
                    file: file.clone(),
                    line: None,
                    column: None,
                    message: why.clone(),
                    severity: Severity::Warning,
                });
            }
        }
        problems.sort_by(|a, b| (&a.file, a.line, &a.message).cmp(&(&b.file, b.line, &b.message)));
        problems.dedup();
        self.state.problems = problems;
    }

    /// Brings the resolution up to date after `changed` files changed in `snapshot`. Re-resolves
    /// only the environments that read one of them; falls back to a full resolution when the set
    /// of files changed, or a shared file (a HelmRelease, the config) did.
    pub fn update(
        &mut self,
        snapshot: &Snapshot,
        cache: &mut ParseCache,
        config: Option<&layout::WorkspaceConfig>,
        changed: &[String],
    ) {
        let full = all_paths(snapshot) != self.paths
            || changed.iter().any(|c| {
                self.shared_files.contains(c)
                    || c.starts_with(".wheelhouse/")
                    || snapshot
                        .files
                        .get(c)
                        .is_some_and(|t| t.contains("HelmRelease"))
            });
        if full {
            *self = resolve(snapshot, cache, config);
            return;
        }
        let affected: Vec<usize> = (0..self.envs.len())
            .filter(|&i| changed.iter().any(|c| self.env_files[i].contains(c)))
            .collect();
        if affected.is_empty() {
            return;
        }
        let mut ctx = Ctx {
            snapshot,
            cache,
            problems: Vec::new(),
            used: BTreeSet::new(),
            env_prefix: String::new(),
        };
        for i in affected {
            self.state.workloads[i] =
                environment_with_releases(&mut ctx, &self.envs[i], &self.shared_releases);
            self.env_files[i] = std::mem::take(&mut ctx.used);
            self.env_problems[i] = std::mem::take(&mut ctx.problems);
        }
        self.collect_problems(snapshot);
    }
}

pub fn is_yaml(path: &str) -> bool {
    path.ends_with(".yaml") || path.ends_with(".yml") || path.ends_with("/Kustomization")
}

fn resolve_environment(ctx: &mut Ctx<'_>, env: &EnvironmentSpec) -> Vec<WorkloadState> {
    let mut out: Vec<WorkloadState> = Vec::new();
    let mut index: HashMap<(WorkloadKind, String), usize> = HashMap::new();
    for layer in &env.layers {
        ctx.env_prefix = format!("{}/", layer.path());
        let found = match layer {
            LayerSpec::Kustomize { dir } => {
                let mut stack = Vec::new();
                build_kustomization(ctx, dir, &mut stack)
            }
            LayerSpec::HelmValues { chart_dir, file } => {
                helm_values(ctx, chart_dir, file).into_iter().collect()
            }
            LayerSpec::Manifests { dir } => {
                let files: Vec<String> = ctx
                    .snapshot
                    .files
                    .keys()
                    .filter(|p| p.starts_with(&format!("{dir}/")) && is_yaml(p))
                    .cloned()
                    .collect();
                files
                    .iter()
                    .flat_map(|f| workloads_in_file(ctx, f))
                    .collect()
            }
        };
        for w in found {
            match index.get(&(w.kind, w.id.clone())) {
                Some(&i) => out[i] = w,
                None => {
                    index.insert((w.kind, w.id.clone()), out.len());
                    out.push(w);
                }
            }
        }
    }
    ctx.env_prefix.clear();
    out
}

fn kustomization_file(ctx: &Ctx<'_>, dir: &str) -> Option<String> {
    ["kustomization.yaml", "kustomization.yml", "Kustomization"]
        .iter()
        .map(|k| {
            if dir.is_empty() {
                (*k).to_owned()
            } else {
                format!("{dir}/{k}")
            }
        })
        .find(|p| ctx.snapshot.files.contains_key(p) || ctx.snapshot.unreadable.contains_key(p))
}

fn build_kustomization(
    ctx: &mut Ctx<'_>,
    dir: &str,
    stack: &mut Vec<String>,
) -> Vec<WorkloadState> {
    let Some(kfile) = kustomization_file(ctx, dir) else {
        return Vec::new();
    };
    let Some(parsed) = ctx.load(&kfile) else {
        return Vec::new();
    };
    let Some(root) = parsed.documents().first() else {
        return Vec::new();
    };
    stack.push(dir.to_owned());
    let mut workloads = Vec::new();

    for key in ["resources", "bases"] {
        for entry in items(get(root, key).unwrap_or(&tree::EMPTY)) {
            let Some(rel) = as_str(entry) else { continue };
            if rel.contains("://") || rel.starts_with("github.com/") {
                ctx.problem(
                    &kfile,
                    Some(entry),
                    format!("remote resource {rel} is not resolved; it is listed as is"),
                    Severity::Warning,
                );
                continue;
            }
            let Some(target) = join(dir, rel) else {
                ctx.problem(
                    &kfile,
                    Some(entry),
                    format!("{rel} points outside the repository"),
                    Severity::Error,
                );
                continue;
            };
            if stack.contains(&target) {
                ctx.problem(&kfile, Some(entry), format!("{rel} loops back to {target}, which is already being built; it was skipped"), Severity::Error);
                continue;
            }
            if ctx.snapshot.files.contains_key(&target)
                || ctx.snapshot.unreadable.contains_key(&target)
            {
                workloads.extend(workloads_in_file(ctx, &target));
            } else if kustomization_file(ctx, &target).is_some() {
                workloads.extend(build_kustomization(ctx, &target, stack));
            } else if ctx
                .snapshot
                .files
                .keys()
                .any(|p| p.starts_with(&format!("{target}/")))
            {
                let files: Vec<String> = ctx
                    .snapshot
                    .files
                    .keys()
                    .filter(|p| {
                        p.starts_with(&format!("{target}/"))
                            && is_yaml(p)
                            && !p[target.len() + 1..].contains('/')
                    })
                    .cloned()
                    .collect();
                for f in files {
                    workloads.extend(workloads_in_file(ctx, &f));
                }
            } else {
                ctx.problem(
                    &kfile,
                    Some(entry),
                    format!("{rel} does not exist"),
                    Severity::Error,
                );
            }
        }
    }

    // Patches.
    let mut patch_sources: Vec<(String, Arc<YamlFile>, Option<&Node>)> = Vec::new();
    let patch_entries: Vec<&Node> = ["patches", "patchesStrategicMerge", "patchesJson6902"]
        .iter()
        .flat_map(|k| items(get(root, k).unwrap_or(&tree::EMPTY)).iter())
        .collect();
    for entry in patch_entries {
        let path_node = get(entry, "path").or(if matches!(entry, Node::Scalar { .. }) {
            Some(entry)
        } else {
            None
        });
        if let Some(rel) = path_node.and_then(as_str) {
            match join(dir, rel) {
                Some(p) if ctx.snapshot.files.contains_key(&p) => {
                    if let Some(parsed) = ctx.load(&p) {
                        patch_sources.push((p, parsed, get(entry, "target")));
                    }
                }
                _ => ctx.problem(
                    &kfile,
                    path_node,
                    format!("patch {rel} does not exist"),
                    Severity::Error,
                ),
            }
        } else if get(entry, "patch").is_some() {
            ctx.problem(
                &kfile,
                Some(entry),
                "inline patches are not resolved yet; the values they set are not shown".into(),
                Severity::Warning,
            );
        }
    }
    // Workloads by current name, so patches and entries find theirs without a scan each.
    let by_name: HashMap<String, Vec<usize>> =
        workloads
            .iter()
            .enumerate()
            .fold(HashMap::new(), |mut m, (i, w)| {
                m.entry(w.name.clone()).or_default().push(i);
                m
            });
    for (file, parsed, target) in patch_sources {
        for (d, doc) in parsed.documents().iter().enumerate() {
            apply_patch(ctx, &file, d, doc, target, &mut workloads, &by_name);
        }
    }

    // images: containers by image name (without tag).
    let mut by_image: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
    for (wi, w) in workloads.iter().enumerate() {
        for (ci, c) in w.containers.iter().enumerate() {
            by_image
                .entry(split_image(&c.image.value).0.to_owned())
                .or_default()
                .push((wi, ci));
        }
    }
    for (i, entry) in items(get(root, "images").unwrap_or(&tree::EMPTY))
        .iter()
        .enumerate()
    {
        let Some(name) = str_at(entry, &["name"]) else {
            continue;
        };
        let Some(targets) = by_image.get(name) else {
            ctx.problem(
                &kfile,
                Some(entry),
                format!("images entry {name} matches no container"),
                Severity::Warning,
            );
            continue;
        };
        let (field, node) = if let Some(n) = get(entry, "digest") {
            ("digest", n)
        } else if let Some(n) = get(entry, "newTag") {
            ("newTag", n)
        } else if let Some(n) = get(entry, "newName") {
            ("newName", n)
        } else {
            continue;
        };
        let new_name = str_at(entry, &["newName"]).unwrap_or(name).to_owned();
        let Some(sourced) = ctx.sourced(&kfile, format!("images[{i}].{field}"), node) else {
            continue;
        };
        for &(wi, ci) in targets {
            let c = &mut workloads[wi].containers[ci];
            let tag = match field {
                "newName" => split_image(&c.image.value).1.to_owned(),
                _ => sourced.value.clone(),
            };
            let image = if field == "digest" {
                format!("{new_name}@{tag}")
            } else if tag.is_empty() {
                new_name.clone()
            } else {
                format!("{new_name}:{tag}")
            };
            c.tag = tag;
            c.image = Sourced {
                value: image,
                source: sourced.source.clone(),
            };
        }
    }

    // replicas
    for (i, entry) in items(get(root, "replicas").unwrap_or(&tree::EMPTY))
        .iter()
        .enumerate()
    {
        let (Some(name), Some(count)) = (str_at(entry, &["name"]), get(entry, "count")) else {
            continue;
        };
        match by_name.get(name) {
            Some(indices) => {
                let value = ctx.sourced(&kfile, format!("replicas[{i}].count"), count);
                for &wi in indices {
                    workloads[wi].replicas = value.clone();
                }
            }
            None => ctx.problem(
                &kfile,
                Some(entry),
                format!("replicas entry {name} matches no workload"),
                Severity::Warning,
            ),
        }
    }

    let prefix = str_at(root, &["namePrefix"]).unwrap_or("");
    let suffix = str_at(root, &["nameSuffix"]).unwrap_or("");
    let namespace = str_at(root, &["namespace"]);
    for w in workloads.iter_mut() {
        w.name = format!("{prefix}{}{suffix}", w.name);
        if let Some(ns) = namespace {
            w.namespace = Some(ns.to_owned());
        }
        if !w.files.contains(&kfile) {
            w.files.push(kfile.clone());
        }
    }
    stack.pop();
    workloads
}

/// Workloads (and Flux HelmReleases) defined in one manifest file.
fn workloads_in_file(ctx: &mut Ctx<'_>, file: &str) -> Vec<WorkloadState> {
    let Some(parsed) = ctx.load(file) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (d, doc) in parsed.documents().iter().enumerate() {
        if let Some(w) = workload_from_doc(ctx, file, d, doc) {
            out.push(w);
        }
    }
    out
}

fn doc_prefix(parsed_docs: usize, d: usize) -> String {
    if parsed_docs > 1 {
        format!("[doc {d}] ")
    } else {
        String::new()
    }
}

fn pod_spec_path(kind: WorkloadKind) -> &'static [&'static str] {
    match kind {
        WorkloadKind::CronJob => &["spec", "jobTemplate", "spec", "template", "spec"],
        _ => &["spec", "template", "spec"],
    }
}

fn workload_from_doc(ctx: &mut Ctx<'_>, file: &str, d: usize, doc: &Node) -> Option<WorkloadState> {
    let kind_name = str_at(doc, &["kind"])?;
    let name = str_at(doc, &["metadata", "name"])?.to_owned();
    let _ = d;
    if kind_name == "HelmRelease" {
        return Some(helm_release(ctx, file, doc, name));
    }
    let kind = WORKLOAD_KINDS.iter().find(|(k, _)| *k == kind_name)?.1;
    let spec_path = pod_spec_path(kind);
    let mut containers = Vec::new();
    let containers_path: Vec<&str> = spec_path.iter().copied().chain(["containers"]).collect();
    let containers_node = get_path(doc, &containers_path).unwrap_or(&tree::EMPTY);
    let base = spec_path.join(".");
    for (i, c) in items(containers_node).iter().enumerate() {
        let Some(cname) = str_at(c, &["name"]) else {
            continue;
        };
        let Some(image_node) = get(c, "image") else {
            continue;
        };
        let Some(image) = ctx.sourced(file, format!("{base}.containers[{i}].image"), image_node)
        else {
            continue;
        };
        let tag = split_image(&image.value).1.to_owned();
        let mut state = ContainerState {
            name: cname.to_owned(),
            image,
            tag,
            env: Vec::new(),
            resources: Vec::new(),
        };
        merge_container(ctx, file, &format!("{base}.containers[{i}]"), c, &mut state);
        containers.push(state);
    }
    let replicas = get_path(doc, &["spec", "replicas"])
        .and_then(|n| ctx.sourced(file, "spec.replicas".into(), n));
    let namespace = str_at(doc, &["metadata", "namespace"]).map(str::to_owned);
    Some(WorkloadState {
        id: name.clone(),
        kind,
        name,
        namespace,
        replicas,
        containers,
        chart_version: None,
        values: Vec::new(),
        files: vec![file.to_owned()],
    })
}

/// Env vars and resources of a container node over `state` (also used for patches).
fn merge_container(ctx: &Ctx<'_>, file: &str, path: &str, c: &Node, state: &mut ContainerState) {
    for (j, e) in items(get(c, "env").unwrap_or(&tree::EMPTY))
        .iter()
        .enumerate()
    {
        let (Some(n), Some(v)) = (str_at(e, &["name"]), get(e, "value")) else {
            continue;
        };
        if let Some(value) = ctx.sourced(file, format!("{path}.env[{j}].value"), v) {
            match state.env.iter_mut().find(|x| x.name == n) {
                Some(existing) => existing.value = value,
                None => state.env.push(NamedValue {
                    name: n.to_owned(),
                    value,
                }),
            }
        }
    }
    for group in ["requests", "limits"] {
        for (key, v) in map_entries(get_path(c, &["resources", group]).unwrap_or(&tree::EMPTY)) {
            let name = format!("{group}.{key}");
            if let Some(value) = ctx.sourced(file, format!("{path}.resources.{name}"), v) {
                match state.resources.iter_mut().find(|x| x.name == name) {
                    Some(existing) => existing.value = value,
                    None => state.resources.push(NamedValue { name, value }),
                }
            }
        }
    }
}

fn kind_name(kind: WorkloadKind) -> &'static str {
    match kind {
        WorkloadKind::Deployment => "Deployment",
        WorkloadKind::StatefulSet => "StatefulSet",
        WorkloadKind::DaemonSet => "DaemonSet",
        WorkloadKind::CronJob => "CronJob",
        WorkloadKind::HelmValues => "HelmValues",
        WorkloadKind::HelmRelease => "HelmRelease",
    }
}

fn apply_patch(
    ctx: &mut Ctx<'_>,
    file: &str,
    d: usize,
    doc: &Node,
    target: Option<&Node>,
    workloads: &mut [WorkloadState],
    by_name: &HashMap<String, Vec<usize>>,
) {
    // JSON 6902: a list of operations, aimed by `target`.
    if let Node::Seq { .. } = doc {
        let Some(target_name) = target.and_then(|t| str_at(t, &["name"])) else {
            ctx.problem(
                file,
                Some(doc),
                "a JSON 6902 patch needs a target with a name".into(),
                Severity::Warning,
            );
            return;
        };
        let found = by_name.get(target_name).and_then(|ix| ix.first().copied());
        let Some(w) = found.map(|i| &mut workloads[i]) else {
            ctx.problem(
                file,
                Some(doc),
                format!("patch targets {target_name}, which no resource defines"),
                Severity::Warning,
            );
            return;
        };
        for (i, op) in items(doc).iter().enumerate() {
            let (Some(kind), Some(path), Some(value)) =
                (str_at(op, &["op"]), str_at(op, &["path"]), get(op, "value"))
            else {
                continue;
            };
            if kind != "replace" && kind != "add" {
                continue;
            }
            let at = format!("[{i}].value");
            if path == "/spec/replicas" {
                w.replicas = ctx.sourced(file, at, value);
            } else if let Some(rest) = path.strip_prefix("/spec/template/spec/containers/") {
                if let Some((idx, field)) = rest.split_once('/') {
                    if let (Ok(idx), "image") = (idx.parse::<usize>(), field) {
                        if let (Some(c), Some(s)) =
                            (w.containers.get_mut(idx), ctx.sourced(file, at, value))
                        {
                            c.tag = split_image(&s.value).1.to_owned();
                            c.image = s;
                        }
                    }
                }
            }
        }
        if !w.files.contains(&file.to_owned()) {
            w.files.push(file.to_owned());
        }
        return;
    }
    // Strategic merge.
    let Some(name) =
        str_at(doc, &["metadata", "name"]).or_else(|| target.and_then(|t| str_at(t, &["name"])))
    else {
        return;
    };
    let kind = str_at(doc, &["kind"]);
    let found = by_name.get(name).and_then(|ix| {
        ix.iter()
            .copied()
            .find(|&i| kind.is_none_or(|k| kind_name(workloads[i].kind) == k))
    });
    let Some(w) = found.map(|i| &mut workloads[i]) else {
        ctx.problem(
            file,
            Some(doc),
            format!(
                "{}patch targets {}{name}, which no resource defines",
                doc_prefix(2, d),
                kind.map(|k| format!("{k} ")).unwrap_or_default()
            ),
            Severity::Warning,
        );
        return;
    };
    if let Some(r) = get_path(doc, &["spec", "replicas"]) {
        w.replicas = ctx.sourced(file, "spec.replicas".into(), r);
    }
    let spec_path = pod_spec_path(w.kind);
    let base = spec_path.join(".");
    let containers_path: Vec<&str> = spec_path.iter().copied().chain(["containers"]).collect();
    let containers = get_path(doc, &containers_path).unwrap_or(&tree::EMPTY);
    for (i, c) in items(containers).iter().enumerate() {
        let Some(cname) = str_at(c, &["name"]) else {
            continue;
        };
        let Some(state) = w.containers.iter_mut().find(|s| s.name == cname) else {
            ctx.problem(
                file,
                Some(c),
                format!("patch names container {cname}, which {name} does not have"),
                Severity::Warning,
            );
            continue;
        };
        let path = format!("{base}.containers[{i}]");
        if let Some(img) =
            get(c, "image").and_then(|n| ctx.sourced(file, format!("{path}.image"), n))
        {
            state.tag = split_image(&img.value).1.to_owned();
            state.image = img;
        }
        merge_container(ctx, file, &path, c, state);
    }
    if !w.files.contains(&file.to_owned()) {
        w.files.push(file.to_owned());
    }
}

/// Flattens the scalar leaves of a values tree as `a.b.c`.
fn flatten(ctx: &Ctx<'_>, file: &str, prefix: &str, node: &Node, out: &mut Vec<NamedValue>) {
    match node {
        Node::Map { .. } => {
            for (k, v) in map_entries(node) {
                let key = if prefix.is_empty() {
                    k.to_owned()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(ctx, file, &key, v, out);
            }
        }
        Node::Seq { items, .. } => {
            for (i, v) in items.iter().enumerate() {
                flatten(ctx, file, &format!("{prefix}[{i}]"), v, out);
            }
        }
        Node::Alias { .. } => {}
        Node::Scalar { .. } => {
            if let Some(value) = ctx.sourced(file, prefix.to_owned(), node) {
                match out.iter_mut().find(|x| x.name == prefix) {
                    Some(existing) => existing.value = value,
                    None => out.push(NamedValue {
                        name: prefix.to_owned(),
                        value,
                    }),
                }
            }
        }
    }
}

fn helm_values(ctx: &mut Ctx<'_>, chart_dir: &str, file: &str) -> Option<WorkloadState> {
    let id = chart_dir.rsplit('/').next().unwrap_or(chart_dir).to_owned();
    let mut values = Vec::new();
    let mut files = Vec::new();
    for f in [format!("{chart_dir}/values.yaml"), file.to_owned()] {
        if f.is_empty()
            || (!ctx.snapshot.files.contains_key(&f) && !ctx.snapshot.unreadable.contains_key(&f))
        {
            continue;
        }
        if let Some(parsed) = ctx.load(&f) {
            if let Some(doc) = parsed.documents().first() {
                flatten(ctx, &f, "", doc, &mut values);
            }
            files.push(f);
        }
    }
    if files.is_empty() {
        return None;
    }
    let find = |key: &str| {
        values
            .iter()
            .find(|v| v.name == key)
            .map(|v| v.value.clone())
    };
    let mut containers = Vec::new();
    if let Some(repo) = find("image.repository") {
        let tag = find("image.tag");
        let tag_value = tag.as_ref().map(|t| t.value.clone()).unwrap_or_default();
        let image = Sourced {
            value: if tag_value.is_empty() {
                repo.value.clone()
            } else {
                format!("{}:{tag_value}", repo.value)
            },
            source: tag.map(|t| t.source).unwrap_or(repo.source),
        };
        containers.push(ContainerState {
            name: id.clone(),
            image,
            tag: tag_value,
            env: Vec::new(),
            resources: Vec::new(),
        });
    }
    Some(WorkloadState {
        id: id.clone(),
        kind: WorkloadKind::HelmValues,
        name: id,
        namespace: None,
        replicas: find("replicaCount"),
        containers,
        chart_version: None,
        values,
        files,
    })
}

fn helm_release(ctx: &Ctx<'_>, file: &str, doc: &Node, name: String) -> WorkloadState {
    let chart_version = get_path(doc, &["spec", "chart", "spec", "version"])
        .and_then(|n| ctx.sourced(file, "spec.chart.spec.version".into(), n));
    let mut values = Vec::new();
    if let Some(v) = get_path(doc, &["spec", "values"]) {
        flatten(ctx, file, "spec.values", v, &mut values);
    }
    WorkloadState {
        id: name.clone(),
        kind: WorkloadKind::HelmRelease,
        name,
        namespace: str_at(doc, &["metadata", "namespace"]).map(str::to_owned),
        replicas: values
            .iter()
            .find(|v| v.name.ends_with(".replicaCount"))
            .map(|v| v.value.clone()),
        containers: Vec::new(),
        chart_version,
        values,
        files: vec![file.to_owned()],
    }
}

/// Flux HelmReleases outside every environment folder apply to all environments.
fn shared_helm_releases(
    ctx: &mut Ctx<'_>,
    paths: &BTreeSet<String>,
    env_roots: &[String],
) -> Vec<WorkloadState> {
    let candidates: Vec<String> = paths
        .iter()
        .filter(|p| is_yaml(p) && !layout::is_kustomization(p))
        .filter(|p| {
            !env_roots
                .iter()
                .any(|r| p.starts_with(&format!("{r}/")) || *p == r)
        })
        .filter(|p| {
            ctx.snapshot
                .files
                .get(*p)
                .is_some_and(|t| t.contains("kind: HelmRelease"))
        })
        .cloned()
        .collect();
    let mut out = Vec::new();
    for file in candidates {
        let Some(parsed) = ctx.load(&file) else {
            continue;
        };
        for doc in parsed.documents() {
            if str_at(doc, &["kind"]) == Some("HelmRelease") {
                if let Some(name) = str_at(doc, &["metadata", "name"]) {
                    out.push(helm_release(ctx, &file, doc, name.to_owned()));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{join, split_image};

    #[test]
    fn image_references_split_into_name_and_tag() {
        assert_eq!(
            split_image("registry.acme.example/shop/api:1.4.2"),
            ("registry.acme.example/shop/api", "1.4.2")
        );
        assert_eq!(
            split_image("localhost:5000/api:1"),
            ("localhost:5000/api", "1")
        );
        assert_eq!(split_image("nginx"), ("nginx", ""));
        assert_eq!(split_image("nginx@sha256:abc"), ("nginx", "sha256:abc"));
    }

    #[test]
    fn relative_paths_resolve_inside_the_repository_only() {
        assert_eq!(join("overlays/prod", "../../base").as_deref(), Some("base"));
        assert_eq!(
            join("overlays/prod", "./patch.yaml").as_deref(),
            Some("overlays/prod/patch.yaml")
        );
        assert_eq!(join("overlays", "../../etc"), None);
        assert_eq!(join("a", "/etc/passwd"), None);
    }
}
