//! Resolution: from the repository's files to the effective desired state of every workload in
//! every environment, with provenance. Pure over a [`Snapshot`] of file contents; parses are
//! cached by content so a refresh after one file changed re-parses one file.
//!
//! Kustomize folders, Flux Kustomizations and plain manifests are rendered (`kustomize.rs`,
//! `flux.rs`, over the object model of [`crate::render`]) and the workloads are read off the
//! rendered objects, each value with where it was written. Helm: `values.yaml` then
//! `values-<env>.yaml`. Argo CD `Application` and `ApplicationSet` (list and git generators):
//! see `resolve/argo.rs`; its `kustomize:` settings are the `kustomize edit` Argo CD makes to the
//! folder's kustomization before the same render builds it. YAML written inside a string (an inline patch, `helm.values`) is parsed on
//! its own and located at its line in the file. What is not evaluated is reported, never
//! guessed.

use crate::layout::{self, EnvironmentSpec, LayerSpec};
use crate::model::*;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use wheelhouse_diagnostics::ErrorCode;

mod argo;
mod base;
mod flux;
pub mod kustomize;

pub(crate) use base::on_cores;
use base::*;
pub use base::{
    in_chart, is_chart_template, is_yaml, join, split_image, ParseCache, Snapshot,
    EMBEDDED_PATH_SEPARATOR,
};

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
    /// Files holding Argo CD Applications: a change there can move environments.
    argo_files: BTreeSet<String>,
    /// Files holding the Flux Kustomizations and Kargo Stages that define environments.
    gitops_files: BTreeSet<String>,
    /// What each kustomization builds on, as detection read it: when it changes, the
    /// environments may have.
    kusts: Vec<layout::KustRef>,
    /// The kustomization folders built, reused by a refresh when none of their files changed.
    memo: Memos,
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
    cache.warm(snapshot);
    let Detected {
        paths,
        argo,
        kusts,
        gitops_files,
        envs,
        problems,
    } = detect(snapshot, cache, config);
    let cache: &ParseCache = cache;
    let mut ctx = Ctx::new(snapshot, cache);
    ctx.problems = problems;
    argo::report_unplaced(
        &mut ctx,
        &argo.apps,
        &envs,
        config.is_some_and(|c| !c.environments.is_empty()),
    );
    let env_roots: Vec<String> = envs.iter().flat_map(layer_roots).collect();
    let before_releases = ctx.problems.len();
    let shared_releases = shared_helm_releases(&mut ctx, &paths, &env_roots);
    let mut shared_files = std::mem::take(&mut ctx.used);
    shared_files.extend(gitops_files.iter().cloned());
    let mut shared_problems = std::mem::take(&mut ctx.problems);
    let release_problems = shared_problems.split_off(before_releases);
    let mut workloads = Vec::new();
    let mut env_files = Vec::new();
    let mut env_problems = Vec::new();
    let (resolved, memo) = resolve_all(snapshot, cache, &envs, &shared_releases);
    for (w, used, problems) in resolved {
        workloads.push(w);
        env_files.push(used);
        env_problems.push(problems);
    }
    // A release file an environment builds is judged there, with what its build holds (the
    // ConfigMap its valuesFrom names); read alone, it would miss them.
    shared_problems.extend(
        release_problems
            .into_iter()
            .filter(|p| !env_files.iter().any(|f| f.contains(&p.file))),
    );
    let used: BTreeSet<&String> = env_files
        .iter()
        .flatten()
        .chain(shared_files.iter())
        .collect();
    let other_files = paths
        .iter()
        .filter(|p| is_yaml(p) && !used.contains(p))
        .filter(|p| !p.starts_with(".wheelhouse/") && !p.starts_with(".github/"))
        .filter(|p| !in_chart(&paths, p))
        .cloned()
        .collect();
    let mut resolution = Resolution {
        state: DesiredState {
            environments: envs
                .iter()
                .zip(crate::layout::stage_groups(
                    &envs.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(),
                ))
                .map(|(e, stage)| {
                    let mut paths: Vec<String> = Vec::new();
                    for p in e.layers.iter().flat_map(|l| l.paths()) {
                        if !paths.iter().any(|x| x == p) {
                            paths.push(p.to_owned());
                        }
                    }
                    EnvironmentInfo {
                        name: e.name.clone(),
                        protected: e.protected,
                        paths,
                        sources: e.sources.clone(),
                        stage,
                    }
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
        argo_files: argo.files,
        gitops_files: gitops_files.into_iter().collect(),
        kusts,
        memo,
    };
    resolution.collect_problems(snapshot);
    resolution
}

/// What environment detection read and found.
struct Detected {
    paths: BTreeSet<String>,
    argo: argo::Collected,
    kusts: Vec<layout::KustRef>,
    gitops_files: BTreeSet<String>,
    envs: Vec<EnvironmentSpec>,
    /// Located problems of detection (the Argo CD, Flux and Kargo objects read).
    problems: Vec<Problem>,
}

/// The environments of the snapshot, from the Argo CD, Flux and Kargo objects and the
/// kustomizations it holds (parsing those files, not the others).
fn detect(
    snapshot: &Snapshot,
    cache: &mut ParseCache,
    config: Option<&layout::WorkspaceConfig>,
) -> Detected {
    let paths = all_paths(snapshot);
    let mut argo = argo::collect(snapshot, cache);
    let kusts = kustomize::references(snapshot, cache);
    let (flux_refs, stages, gitops_files) = flux::collect(snapshot, cache);
    let mut problems = std::mem::take(&mut argo.problems);
    problems.extend(flux::remote_without_path(snapshot, cache, &flux_refs));
    let (envs, detect_problems) = layout::detect_all(
        &paths,
        config,
        &layout::Inputs {
            apps: argo.apps.clone(),
            kusts: kusts.clone(),
            flux: flux_refs,
            stages,
        },
    );
    for p in detect_problems {
        problems.push(Problem::new(p.code, p.file, Some(p.line), None, p.message));
    }
    Detected {
        paths,
        argo,
        kusts,
        gitops_files,
        envs,
        problems,
    }
}

/// The folders (and files) an environment's layers build from.
fn layer_roots(spec: &EnvironmentSpec) -> Vec<String> {
    spec.layers
        .iter()
        .flat_map(|l| match l {
            LayerSpec::Argo { reads, .. } => reads.clone(),
            other => vec![other.path().to_owned()],
        })
        .collect()
}

/// Renders the environment called `name` alone: environments are detected from the whole
/// snapshot, then only the folders it builds (and those they build on) are parsed and built.
/// `Err` holds the environments' names when none is called `name`.
pub fn render_environment(
    snapshot: &Snapshot,
    cache: &mut ParseCache,
    config: Option<&layout::WorkspaceConfig>,
    name: &str,
) -> Result<Rendered, Vec<String>> {
    let Detected { envs, kusts, .. } = detect(snapshot, cache, config);
    let Some(spec) = envs.iter().find(|e| e.name == name) else {
        return Err(envs.into_iter().map(|e| e.name).collect());
    };
    // The folders it builds, through every kustomization they build on.
    let mut dirs = layer_roots(spec);
    let mut i = 0;
    while i < dirs.len() {
        if let Some(k) = kusts.iter().find(|k| k.dir == dirs[i]) {
            for r in &k.refs {
                if !dirs.contains(r) {
                    dirs.push(r.clone());
                }
            }
        }
        i += 1;
    }
    let inside = |p: &str| {
        dirs.iter()
            .any(|d| d.is_empty() || wheelhouse_paths::within(p, d))
    };
    cache.warm_where(snapshot, inside);
    let cache: &ParseCache = cache;
    Ok(render_spec(&mut Ctx::new(snapshot, cache), spec))
}

type Resolved = (Vec<WorkloadState>, BTreeSet<String>, Vec<Problem>);

/// Every environment of `envs`, on all cores: each thread resolves a run of neighbouring
/// environments (which share most bases, built once per thread). Also the folders built, kept
/// for the next refresh.
fn resolve_all(
    snapshot: &Snapshot,
    cache: &ParseCache,
    envs: &[EnvironmentSpec],
    shared: &[WorkloadState],
) -> (Vec<Resolved>, Memos) {
    let run = |chunk: &[EnvironmentSpec]| -> (Vec<Resolved>, Memos) {
        let mut ctx = Ctx::new(snapshot, cache);
        let out = chunk
            .iter()
            .map(|env| {
                let w = environment_with_releases(&mut ctx, env, shared);
                (
                    w,
                    std::mem::take(&mut ctx.used),
                    std::mem::take(&mut ctx.problems),
                )
            })
            .collect();
        (out, ctx.memo)
    };
    let mut all = Vec::new();
    let mut memos = Memos::new();
    for (part, memo) in on_cores(envs, run) {
        all.extend(part);
        memos.extend(memo);
    }
    (all, memos)
}

/// Kustomization folders already built, by folder.
type Memos = HashMap<String, Arc<Memo>>;

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
    // (kind, id) is unique in the list (a later layer replaced an earlier one of the same id,
    // a shared release joins only where no workload has its id), so the unstable sort orders it
    // as a stable one would, without a buffer of copies of the workloads.
    list.sort_unstable_by(|a, b| (a.kind, &a.id).cmp(&(b.kind, &b.id)));
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
                problems.push(Problem::new(
                    ErrorCode::NotEvaluated,
                    file.clone(),
                    None,
                    None,
                    why.clone(),
                ));
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
        match self.rebuild(snapshot, cache, config, changed) {
            Rebuilt::Full(r) => *self = *r,
            Rebuilt::Unchanged => {}
            Rebuilt::Envs(envs, memo) => {
                self.memo = memo;
                for (i, (workloads, used, problems)) in envs {
                    self.state.workloads[i] = workloads;
                    self.env_files[i] = used;
                    self.env_problems[i] = problems;
                }
                self.collect_problems(snapshot);
            }
        }
    }

    /// [`Resolution::update`] into a new resolution, this one kept: what the environments the
    /// change re-resolves had before is not copied.
    pub fn updated(
        &self,
        snapshot: &Snapshot,
        cache: &mut ParseCache,
        config: Option<&layout::WorkspaceConfig>,
        changed: &[String],
    ) -> Resolution {
        match self.rebuild(snapshot, cache, config, changed) {
            Rebuilt::Full(r) => *r,
            Rebuilt::Unchanged => self.clone(),
            Rebuilt::Envs(envs, memo) => {
                let mut fresh: Vec<Option<Resolved>> = vec![None; self.envs.len()];
                for (i, r) in envs {
                    fresh[i] = Some(r);
                }
                let (mut workloads, mut env_files, mut env_problems) = (
                    Vec::with_capacity(fresh.len()),
                    Vec::with_capacity(fresh.len()),
                    Vec::with_capacity(fresh.len()),
                );
                for (i, r) in fresh.into_iter().enumerate() {
                    let (w, used, problems) = r.unwrap_or_else(|| {
                        (
                            self.state.workloads[i].clone(),
                            self.env_files[i].clone(),
                            self.env_problems[i].clone(),
                        )
                    });
                    workloads.push(w);
                    env_files.push(used);
                    env_problems.push(problems);
                }
                let mut next = Resolution {
                    state: DesiredState {
                        environments: self.state.environments.clone(),
                        workloads,
                        other_files: self.state.other_files.clone(),
                        problems: Vec::new(),
                    },
                    paths: self.paths.clone(),
                    envs: self.envs.clone(),
                    env_files,
                    env_problems,
                    shared_files: self.shared_files.clone(),
                    shared_problems: self.shared_problems.clone(),
                    shared_releases: self.shared_releases.clone(),
                    argo_files: self.argo_files.clone(),
                    gitops_files: self.gitops_files.clone(),
                    kusts: self.kusts.clone(),
                    memo,
                };
                next.collect_problems(snapshot);
                next
            }
        }
    }

    /// What `changed` calls for: a full resolution, nothing, or the environments that read a
    /// changed file resolved again (with the folder builds kept for next time).
    fn rebuild(
        &self,
        snapshot: &Snapshot,
        cache: &mut ParseCache,
        config: Option<&layout::WorkspaceConfig>,
        changed: &[String],
    ) -> Rebuilt {
        let full = all_paths(snapshot) != self.paths
            || changed.iter().any(|c| {
                self.shared_files.contains(c)
                    || self.argo_files.contains(c)
                    || c.starts_with(".wheelhouse/")
                    || snapshot.files.get(c).is_some_and(|t| {
                        t.contains("HelmRelease")
                            || argo::mentions_argo(t)
                            || flux::mentions_flux_or_kargo(t)
                    })
            })
            || (changed.iter().any(|c| layout::is_kustomization(c))
                && kustomize::references(snapshot, cache) != self.kusts);
        if full {
            return Rebuilt::Full(Box::new(resolve(snapshot, cache, config)));
        }
        let affected: Vec<usize> = (0..self.envs.len())
            .filter(|&i| changed.iter().any(|c| self.env_files[i].contains(c)))
            .collect();
        if affected.is_empty() {
            return Rebuilt::Unchanged;
        }
        cache.warm(snapshot);
        let cache: &ParseCache = cache;
        let mut memo = self.memo.clone();
        memo.retain(|_, m| !m.reads_any(changed));
        let (envs, shared, kept) = (&self.envs, &self.shared_releases, &memo);
        let parts = on_cores(&affected, |part| {
            let mut ctx = Ctx::new(snapshot, cache);
            ctx.memo = kept.clone();
            let out: Vec<(usize, Resolved)> = part
                .iter()
                .map(|&i| {
                    let w = environment_with_releases(&mut ctx, &envs[i], shared);
                    (
                        i,
                        (
                            w,
                            std::mem::take(&mut ctx.used),
                            std::mem::take(&mut ctx.problems),
                        ),
                    )
                })
                .collect();
            (out, ctx.memo)
        });
        let mut envs = Vec::new();
        for (out, built) in parts {
            memo.extend(built);
            envs.extend(out);
        }
        Rebuilt::Envs(envs, memo)
    }
}

enum Rebuilt {
    Full(Box<Resolution>),
    Unchanged,
    Envs(Vec<(usize, Resolved)>, Memos),
}

/// What one environment renders to: the objects its reconciler would apply (for the
/// Kustomize and manifest layers; Helm charts are understood at the values level and say so),
/// and what the render found.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub objects: Vec<crate::render::Value>,
    /// The name each object has as written (its workload id), beside `objects`.
    pub ids: Vec<String>,
    /// The folders built (what `kubectl kustomize` is run on to check).
    pub folders: Vec<String>,
    /// Kustomization files (path, text) as an Argo CD Application's `kustomize:` edits them
    /// before its folder is built: the check builds them so, in a copy of the repository.
    pub edited: Vec<(String, String)>,
    pub problems: Vec<Problem>,
}

impl Rendered {
    /// Multi-document YAML, in kustomize's order (`kubectl kustomize` prints the same).
    pub fn to_yaml(&self) -> String {
        crate::render::emit::to_yaml(&self.objects)
    }

    /// Only the objects of one workload: those named `id` as written or as deployed.
    pub fn only(&self, id: &str) -> Rendered {
        let keep: Vec<usize> = (0..self.objects.len())
            .filter(|&i| {
                self.ids[i] == id || self.objects[i].str_at(&["metadata", "name"]) == Some(id)
            })
            .collect();
        Rendered {
            objects: keep.iter().map(|&i| self.objects[i].clone()).collect(),
            ids: keep.iter().map(|&i| self.ids[i].clone()).collect(),
            folders: self.folders.clone(),
            edited: self.edited.clone(),
            problems: self.problems.clone(),
        }
    }
}

impl Resolution {
    /// Renders environment `env` (its index in the state).
    pub fn render(&self, snapshot: &Snapshot, cache: &mut ParseCache, env: usize) -> Rendered {
        cache.warm(snapshot);
        self.render_warm(snapshot, cache, env)
    }

    /// Renders each of `envs` (indexes in the state), on every core, in order.
    pub fn render_many(
        &self,
        snapshot: &Snapshot,
        cache: &mut ParseCache,
        envs: &[usize],
    ) -> Vec<Rendered> {
        cache.warm(snapshot);
        let cache: &ParseCache = cache;
        on_cores(envs, |part| {
            part.iter()
                .map(|&e| self.render_warm(snapshot, cache, e))
                .collect::<Vec<_>>()
        })
        .into_iter()
        .flatten()
        .collect()
    }

    fn render_warm(&self, snapshot: &Snapshot, cache: &ParseCache, env: usize) -> Rendered {
        let mut ctx = Ctx::new(snapshot, cache);
        // The folders the resolution built are this render's too (their files have not changed
        // since, or `update` dropped them).
        ctx.memo = self.memo.clone();
        render_spec(&mut ctx, &self.envs[env])
    }

    /// The files environment `env` read (its layers, the bases and components they build on,
    /// patches, generator inputs…): a change to any other file cannot change what it renders.
    pub fn reads(&self, env: usize) -> &BTreeSet<String> {
        &self.env_files[env]
    }

    /// The files read for every environment (shared HelmReleases, the Flux, Argo CD and Kargo
    /// objects that define environments).
    pub fn shared_reads(&self) -> &BTreeSet<String> {
        &self.shared_files
    }

    /// Whether `path` holds what defines environments: `.wheelhouse/config.yaml`, Argo CD
    /// Applications and ApplicationSets, Flux Kustomizations, Kargo Stages.
    pub fn defines_environments(&self, path: &str) -> bool {
        path == crate::layout::CONFIG_PATH
            || self.argo_files.contains(path)
            || self.gitops_files.contains(path)
    }

    /// How environment `env` is made (its layers), as detection found it.
    pub fn spec(&self, env: usize) -> &layout::EnvironmentSpec {
        &self.envs[env]
    }

    /// The index of environment `name`.
    pub fn environment(&self, name: &str) -> Option<usize> {
        self.envs.iter().position(|e| e.name == name)
    }
}

/// Renders one environment with what `ctx` already built.
fn render_spec(ctx: &mut Ctx<'_>, spec: &EnvironmentSpec) -> Rendered {
    let mut objects: Vec<crate::render::Resource> = Vec::new();
    // Where each (kind, namespace, name) sits in `objects`: a later layer replaces it.
    let mut at: HashMap<(String, String, String), usize> = HashMap::new();
    let mut folders = Vec::new();
    let mut edited = Vec::new();
    for layer in &spec.layers {
        let found = match layer {
            LayerSpec::Kustomize { dir } => {
                folders.push(dir.clone());
                kustomize::render(ctx, dir, &mut Vec::new())
            }
            LayerSpec::Manifests { dir } => files_in(ctx.snapshot, dir, true)
                .iter()
                .flat_map(|f| kustomize::manifest_resources(ctx, f))
                .collect(),
            LayerSpec::Flux {
                file,
                external: Some(from),
                ..
            } => {
                flux::not_evaluated(ctx, file, from);
                Vec::new()
            }
            LayerSpec::Flux {
                file, doc, path, ..
            } => {
                if flux::checkable(ctx, file, *doc) {
                    folders.push(path.clone());
                }
                flux::apply(ctx, file, *doc, path, &mut Vec::new())
            }
            LayerSpec::Argo {
                file, doc, element, ..
            } => argo::render_layer(ctx, file, *doc, *element, &mut folders, &mut edited),
            LayerSpec::HelmValues { chart_dir, .. } => {
                ctx.problems.push(Problem::new(
                    ErrorCode::NotEvaluated,
                    format!("{chart_dir}/Chart.yaml"),
                    None,
                    None,
                    format!(
                            "{}the chart in {chart_dir} is not rendered (Wheelhouse reads its values, it does not run Helm)",
                            kustomize::NOT_EVALUATED
                        ),
                ));
                Vec::new()
            }
        };
        for r in found {
            let key = |o: &crate::render::Value| {
                (
                    o.str_at(&["kind"]).unwrap_or("").to_owned(),
                    o.str_at(&["metadata", "namespace"])
                        .unwrap_or("")
                        .to_owned(),
                    o.str_at(&["metadata", "name"]).unwrap_or("").to_owned(),
                )
            };
            match at.entry(key(&r.object)) {
                std::collections::hash_map::Entry::Occupied(i) => objects[*i.get()] = r,
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(objects.len());
                    objects.push(r);
                }
            }
        }
    }
    let key = |o: &crate::render::Value| {
        format!(
            "{}/{}/{}",
            o.str_at(&["kind"]).unwrap_or(""),
            o.str_at(&["metadata", "namespace"]).unwrap_or(""),
            o.str_at(&["metadata", "name"]).unwrap_or("")
        )
    };
    let originals: HashMap<String, String> = objects
        .iter()
        .map(|r| (key(&r.object), r.names[0].clone()))
        .collect();
    let mut objects: Vec<crate::render::Value> = objects.into_iter().map(|r| r.object).collect();
    // In the order the built folder's `sortOptions` asks for (legacy when it says nothing).
    let order = folders
        .first()
        .map(|d| kustomize::sort_order(ctx, d))
        .unwrap_or_default();
    crate::render::transform::sort(&mut objects, &order);
    let ids = objects
        .iter()
        .map(|o| originals.get(&key(o)).cloned().unwrap_or_default())
        .collect();
    let mut problems = std::mem::take(&mut ctx.problems);
    problems.sort_by(|a, b| (&a.file, a.line, &a.message).cmp(&(&b.file, b.line, &b.message)));
    problems.dedup();
    Rendered {
        objects,
        ids,
        folders,
        edited,
        problems,
    }
}

fn resolve_environment(ctx: &mut Ctx<'_>, env: &EnvironmentSpec) -> Vec<WorkloadState> {
    let mut out: Vec<WorkloadState> = Vec::new();
    let mut index: HashMap<(WorkloadKind, String), usize> = HashMap::new();
    for layer in &env.layers {
        ctx.env_owned = layer.owned().into_iter().map(str::to_owned).collect();
        let found = match layer {
            LayerSpec::Kustomize { dir } => {
                let mut stack = Vec::new();
                build_kustomization(ctx, dir, &mut stack)
            }
            LayerSpec::HelmValues { chart_dir, file } => {
                helm_values(ctx, chart_dir, file).into_iter().collect()
            }
            LayerSpec::Flux {
                file,
                external: Some(from),
                ..
            } => {
                flux::not_evaluated(ctx, file, from);
                Vec::new()
            }
            LayerSpec::Flux {
                file, doc, path, ..
            } => {
                let resources = flux::apply(ctx, file, *doc, path, &mut Vec::new());
                kustomize::workloads(ctx, &resources)
            }
            LayerSpec::Manifests { dir } => files_in(ctx.snapshot, dir, true)
                .iter()
                .flat_map(|f| kustomize::workloads_in_file(ctx, f))
                .collect(),
            LayerSpec::Argo {
                file, doc, element, ..
            } => argo::resolve_layer(ctx, &env.name, file, *doc, *element),
        };
        out.reserve(found.len());
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
    ctx.env_owned.clear();
    out
}

fn build_kustomization(
    ctx: &mut Ctx<'_>,
    dir: &str,
    stack: &mut Vec<String>,
) -> Vec<WorkloadState> {
    if kustomization_file(ctx, dir).is_none() {
        return Vec::new();
    }
    let resources = kustomize::render(ctx, dir, stack);
    kustomize::workloads(ctx, &resources)
}

fn helm_values(ctx: &mut Ctx<'_>, chart_dir: &str, file: &str) -> Option<WorkloadState> {
    let id = chart_dir.rsplit('/').next().unwrap_or(chart_dir).to_owned();
    let mut values = ValueList::default();
    let mut files = Vec::new();
    for f in [format!("{chart_dir}/values.yaml"), file.to_owned()] {
        if f.is_empty() || !ctx.exists(&f) {
            continue;
        }
        if let Some(parsed) = ctx.load(&f) {
            if let Some(doc) = parsed.documents().first() {
                flatten(&ctx.origin(&f), "", "", doc, &mut values);
            }
            files.push(f);
        }
    }
    if files.is_empty() {
        return None;
    }
    // What the values leave to the chart's templates is marked on the cell, never left blank.
    let app_version = ctx
        .documents(&format!("{chart_dir}/Chart.yaml"))
        .and_then(|d| {
            d.first()
                .and_then(|c| c.str_at(&["appVersion"]).map(str::to_owned))
        });
    let mut left: Vec<String> = Vec::new();
    if values.get("image.tag").is_none_or(|t| t.value.is_empty()) {
        left.push(match &app_version {
            Some(v) => format!(
                "the image tag (the chart's templates decide it, commonly its appVersion {v})"
            ),
            None => "the image tag (the chart's templates decide it)".into(),
        });
    }
    if values.get("replicaCount").is_none() {
        left.push("the replicas (no replicaCount in the values)".into());
    }
    if !left.is_empty() {
        ctx.problems.push(Problem::new(
            ErrorCode::NotEvaluated,
            files.last().cloned().unwrap_or_default(),
            None,
            None,
            format!(
                "{}chart templates are not rendered: {} of {id} are not shown",
                kustomize::NOT_EVALUATED,
                left.join(" and ")
            ),
        ));
    }
    Some(WorkloadState {
        id: id.clone(),
        kind: WorkloadKind::HelmValues,
        containers: helm_containers(&id, &values),
        name: id,
        namespace: None,
        replicas: values.get("replicaCount").cloned(),
        chart_version: None,
        values: values.list,
        labels: Vec::new(),
        files,
    })
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
        out.extend(
            kustomize::workloads_in_file(ctx, &file)
                .into_iter()
                .filter(|w| w.kind == WorkloadKind::HelmRelease),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{kustomization_outline, split_image};

    #[test]
    fn a_kustomization_outline_keeps_the_keys_that_name_files_line_for_line() {
        let text = "# prod\nkind: Kustomization\nimages:\n  - name: a\n    newTag: \"1\"\nresources:\n  - ../../base # shared\npatches:\n  - path: p.yaml\nconfigMapGenerator:\n  - name: c\n    files: [run.sh]\n";
        let outline = kustomization_outline(text).unwrap();
        assert_eq!(
            outline,
            "\nkind: Kustomization\n\n\n\nresources:\n  - ../../base # shared\n\n\nconfigMapGenerator:\n  - name: c\n    files: [run.sh]\n"
        );
        let parsed = crate::yaml::parse("k.yaml", &outline).unwrap();
        let root = &parsed.documents()[0];
        let base = &crate::tree::items(crate::tree::get(root, "resources").unwrap())[0];
        assert_eq!((base.span().line, base.span().column), (7, 5));
        // Whatever is not plainly top-level keys is left to the full parse.
        for odd in [
            "resources:\n  - a\n---\nresources: [b]\n",
            "base: &b\n  - x\nresources: *b\n",
            "resources: [\na.yaml\n]\n",
            "%YAML 1.2\n---\nresources: []\n",
            "\"resources\": [a]\n",
            "- a\n",
            "resources:[a]\n",
            "images:\n  - name: a\n",
        ] {
            assert_eq!(kustomization_outline(odd), None, "{odd:?}");
        }
        assert_eq!(
            kustomization_outline("images:\n- name: a\nresources:\n- a.yaml\n").as_deref(),
            Some("\n\nresources:\n- a.yaml\n"),
            "an indentless list at column 0 is its key's"
        );
    }

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
}
