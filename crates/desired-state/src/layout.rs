//! Which environments a repository has and which files make each of them. Pure: a function of the
//! list of files (and of `.wheelhouse/config.yaml`, when there is one), plus, for Argo CD, a
//! summary of each `Application` ([`AppRef`], read from the files by the resolver).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use wheelhouse_diagnostics::ErrorCode;

/// How the files of one environment layer are to be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LayerSpec {
    /// A Kustomize overlay folder (holding a kustomization file).
    Kustomize { dir: String },
    /// `values-<env>.yaml` of a Helm chart folder, merged over the folder's `values.yaml`.
    HelmValues { chart_dir: String, file: String },
    /// A folder of plain manifests.
    Manifests { dir: String },
    /// A Flux `Kustomization` (document `doc` of `file`) that applies the folder `path` (a
    /// kustomization, or a folder Flux builds without one).
    Flux {
        file: String,
        doc: usize,
        name: String,
        path: String,
        /// Whether other environments apply the same folder (then only the Kustomization's own
        /// file is this environment's).
        shared: bool,
        /// Synced from another repository (`GitRepository \`dev-team\`, https://…`): `path`
        /// is a folder there, never read here, and the layer is not evaluated.
        external: Option<String>,
    },
    /// An Argo CD `Application` (document `doc` of `file`), or one list element of an
    /// `ApplicationSet` there.
    Argo {
        file: String,
        doc: usize,
        element: Option<ElementRef>,
        /// Every repository path it reads (source folders, value files).
        reads: Vec<String>,
        /// Those of `reads` that belong to this environment alone (read by no other
        /// environment's Application, and named after the environment or configured as its
        /// path): values set there are the environment's own, and edits go there.
        owned: Vec<String>,
    },
}

impl LayerSpec {
    pub fn path(&self) -> &str {
        match self {
            LayerSpec::Kustomize { dir } | LayerSpec::Manifests { dir } => dir,
            LayerSpec::Flux { path, .. } => path,
            LayerSpec::HelmValues { file, .. } | LayerSpec::Argo { file, .. } => file,
        }
    }

    /// The folders and files this layer is made of, its own folder first (an Application's
    /// owned overlay folder, where Kustomize edits go, comes before the Application file).
    pub fn paths(&self) -> Vec<&str> {
        match self {
            LayerSpec::Argo { file, owned, .. } => {
                let (dirs, files): (Vec<&String>, Vec<&String>) =
                    owned.iter().partition(|p| !is_yaml_name(p));
                dirs.into_iter()
                    .map(String::as_str)
                    .chain(std::iter::once(file.as_str()))
                    .chain(files.into_iter().map(String::as_str))
                    .collect()
            }
            LayerSpec::Flux {
                file,
                external: Some(_),
                ..
            } => vec![file.as_str()],
            LayerSpec::Flux { file, path, .. } => vec![path.as_str(), file.as_str()],
            other => vec![other.path()],
        }
    }

    /// What an edit in this layer may write to: its own folder or file, or for an Argo CD
    /// Application, the paths it owns.
    pub fn owned(&self) -> Vec<&str> {
        match self {
            LayerSpec::Argo { owned, .. } => owned.iter().map(String::as_str).collect(),
            LayerSpec::Flux {
                file,
                path,
                shared,
                external,
                ..
            } => {
                if *shared || external.is_some() {
                    vec![file.as_str()]
                } else {
                    vec![path.as_str(), file.as_str()]
                }
            }
            other => vec![other.path()],
        }
    }
}

/// One list element of an `ApplicationSet`: `spec.generators[generator].list.elements[element]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ElementRef {
    pub generator: usize,
    pub element: usize,
}

/// What detection needs to know of one Argo CD `Application` (an `ApplicationSet`'s list
/// generator gives one per element), with its templates filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppRef {
    pub file: String,
    pub doc: usize,
    pub element: Option<ElementRef>,
    /// `metadata.name`.
    pub name: String,
    /// The environment an `ApplicationSet` element names outright (`env`, `environment`,
    /// `stage`).
    pub env: Option<String>,
    /// Words that may name an environment but may also not: the element's `cluster`, the
    /// destination namespace and cluster name.
    pub hints: Vec<String>,
    /// Repository paths it reads: source folders (`spec.source.path`) and Helm value files.
    pub reads: Vec<String>,
    /// The line that names it (`metadata.name`, or the ApplicationSet element), for messages.
    pub line: u32,
    /// Made by an ApplicationSet `git` generator, which enumerates folders: a folder beside
    /// the ones it deploys that it does not deploy is not an environment.
    pub generated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvironmentSpec {
    pub name: String,
    pub protected: bool,
    pub layers: Vec<LayerSpec>,
    /// Where the environment comes from, one line per mechanism that names it ("Flux
    /// Kustomization `apps` in clusters/staging/apps.yaml → ./apps/staging").
    pub sources: Vec<String>,
}

/// A Flux `Kustomization` (kustomize.toolkit.fluxcd.io), as detection needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FluxRef {
    pub file: String,
    pub doc: usize,
    pub name: String,
    /// `spec.path`, repository-relative.
    pub path: String,
    /// `spec.dependsOn` names.
    pub depends_on: Vec<String>,
    /// Its `sourceRef` is not this repository: the source, in words (`GitRepository
    /// \`dev-team\`, https://…`). Its `path` is a folder of that source.
    pub external: Option<String>,
    /// With `spec.kubeConfig` it deploys to another cluster (hub and spoke): that cluster's
    /// environment name (`postBuild.substitute.CLUSTER_NAME`, else the file's name
    /// `hub/staging.yaml`, else the namespace the object lives in).
    pub remote: Option<String>,
}

/// A Kargo `Stage` (kargo.akuity.io), as detection needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageRef {
    pub file: String,
    pub name: String,
    /// Upstream stages it takes freight from, each with the line naming it.
    pub upstreams: Vec<(String, u32)>,
    /// The repository folder its promotion steps update, when they name one.
    pub path: Option<String>,
    pub line: u32,
}

/// A problem detection found (a Kargo Stage naming an unknown upstream…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetectProblem {
    /// `NotEvaluated` for what is not shown as an environment, `InvalidFile` for a mistake.
    pub code: ErrorCode,
    pub file: String,
    pub line: u32,
    pub message: String,
}

/// Everything detection reads besides the list of files.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub apps: Vec<AppRef>,
    pub kusts: Vec<KustRef>,
    pub flux: Vec<FluxRef>,
    pub stages: Vec<StageRef>,
}

/// Where a repository's own Wheelhouse settings are kept ([`WorkspaceConfig`]).
pub const CONFIG_PATH: &str = ".wheelhouse/config.yaml";

/// `.wheelhouse/config.yaml`, as far as layouts go.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WorkspaceConfig {
    pub environments: Vec<ConfiguredEnvironment>,
    /// `check.timeout_seconds`: how long one `kustomize build` of a check may run.
    pub check_timeout: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfiguredEnvironment {
    pub name: String,
    pub paths: Vec<String>,
    pub protected: bool,
}

/// Folder names under which each sub-folder is an environment.
const ENV_PARENTS: [&str; 5] = ["overlays", "environments", "envs", "clusters", "apps"];

/// The usual promotion order; unknown names go between the known early and late stages.
/// Integration, test, QA, UAT and load/performance stages come before staging.
const ORDER: [&str; 17] = [
    "local",
    "dev",
    "development",
    "integration",
    "int",
    "test",
    "qa",
    "uat",
    "load",
    "perf",
    "performance",
    "staging",
    "stage",
    "preprod",
    "pre-prod",
    "prod",
    "production",
];

/// The place of a stage name on the usual ladder: the name itself, or for a variant
/// (`prod-eu`, `staging_us`, `eu-prod`) the stage word it holds.
fn stage_rank(name: &str) -> Option<usize> {
    let lower = name.to_lowercase();
    ORDER.iter().position(|o| *o == lower).or_else(|| {
        lower
            .split(['-', '_', '.'])
            .find_map(|w| ORDER.iter().position(|o| *o == w))
    })
}

/// The stage each environment is a variant of, when it shares that stage with another one
/// (`staging`, `staging-eu`, `staging-us` → `staging` for all three; `prod` alone → none): the
/// matrix groups them under one header and a promotion can go into all of them at once.
pub fn stage_groups(names: &[&str]) -> Vec<Option<String>> {
    let words: Vec<Option<&str>> = names
        .iter()
        .map(|n| stage_rank(n).map(|i| ORDER[i]))
        .collect();
    words
        .iter()
        .map(|w| {
            w.filter(|w| words.iter().filter(|x| **x == Some(*w)).count() > 1)
                .map(str::to_owned)
        })
        .collect()
}

/// Promotion order: the usual ladder (variants grouped under their stage, the plain name
/// first), unknown names between the early and the late stages.
fn rank(name: &str) -> (usize, usize, String) {
    let lower = name.to_lowercase();
    let exact = ORDER.iter().any(|o| *o == lower);
    match stage_rank(&lower) {
        Some(i) => (i * 10, usize::from(!exact), lower),
        None => (
            ORDER.iter().position(|o| *o == "staging").unwrap_or(0) * 10 + 5,
            0,
            lower,
        ),
    }
}

pub fn is_kustomization(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    matches!(
        name,
        "kustomization.yaml" | "kustomization.yml" | "Kustomization"
    )
}

fn is_yaml_name(path: &str) -> bool {
    path.ends_with(".yaml") || path.ends_with(".yml")
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(p, _)| p)
}

/// What detection knows of one kustomization folder: whether it is a `Component`, and the
/// local kustomization folders it builds on (`resources`, `bases`, `components`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KustRef {
    pub dir: String,
    pub component: bool,
    pub refs: Vec<String>,
}

/// Folder names that are never environments.
const NOT_ENVIRONMENTS: [&str; 8] = [
    "base",
    "bases",
    "common",
    "shared",
    "components",
    "templates",
    "crds",
    "default",
];

fn last_segment(dir: &str) -> &str {
    dir.rsplit('/').next().unwrap_or(dir)
}

/// Every folder `dir` builds on, transitively.
fn closure<'a>(dir: &'a str, by_dir: &HashMap<&'a str, &'a KustRef>) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![dir];
    while let Some(d) = todo.pop() {
        if let Some(k) = by_dir.get(d) {
            for r in &k.refs {
                if seen.insert(r.as_str()) {
                    todo.push(r.as_str());
                }
            }
        }
    }
    seen
}

/// The kustomization folders that are environments: under a usual parent (`overlays/`,
/// `envs/`, `clusters/`…), or siblings under any parent that share a base (`env/dev`,
/// `env/prod` over `env/base`). Never a Component, a folder named like a base, or a folder
/// another environment's kustomization builds on under another name (`overlays/prod-base`
/// under `overlays/prod`).
fn kustomize_environments(files: &BTreeSet<String>, kusts: &[KustRef]) -> Vec<(String, String)> {
    let mut dirs: Vec<KustRef> = kusts.to_vec();
    for path in files.iter().filter(|p| is_kustomization(p)) {
        let dir = parent(path);
        if !dirs.iter().any(|k| k.dir == dir) {
            dirs.push(KustRef {
                dir: dir.to_owned(),
                ..KustRef::default()
            });
        }
    }
    let by_dir: HashMap<&str, &KustRef> = dirs.iter().map(|k| (k.dir.as_str(), k)).collect();
    let closures: HashMap<&str, BTreeSet<&str>> = dirs
        .iter()
        .map(|k| (k.dir.as_str(), closure(&k.dir, &by_dir)))
        .collect();
    let eligible = |k: &KustRef| {
        !k.component && !k.dir.is_empty() && !NOT_ENVIRONMENTS.contains(&last_segment(&k.dir))
    };
    let mut out = Vec::new();
    for k in dirs.iter().filter(|k| eligible(k)) {
        let dir = k.dir.as_str();
        let name = last_segment(dir);
        let above = parent(dir);
        let under_usual = ENV_PARENTS.contains(&last_segment(above)) && above != dir;
        let shares_base = || {
            dirs.iter().any(|s| {
                s.dir != k.dir
                    && parent(&s.dir) == above
                    && eligible(s)
                    && closures[dir]
                        .intersection(&closures[s.dir.as_str()])
                        .any(|b| *b != dir && *b != s.dir)
            })
        };
        if !(under_usual || shares_base()) {
            continue;
        }
        // Built on by another kustomization named otherwise: a base, not an environment.
        // (A loop between two folders makes neither a base: the build reports the loop.)
        let used_as_base = dirs.iter().any(|r| {
            r.refs.iter().any(|x| x == dir)
                && last_segment(&r.dir) != name
                && !r.component
                && !closures[dir].contains(r.dir.as_str())
        });
        if used_as_base {
            continue;
        }
        out.push((name.to_owned(), dir.to_owned()));
    }
    out
}

/// The same environment under two usual spellings (`prod` and `production`).
const ALIASES: [(&str, &str); 3] = [
    ("prod", "production"),
    ("stage", "staging"),
    ("dev", "development"),
];

/// The environments of a repository, in promotion order.
pub fn detect(files: &BTreeSet<String>, config: Option<&WorkspaceConfig>) -> Vec<EnvironmentSpec> {
    detect_with(files, config, &[])
}

/// [`detect`], knowing what each kustomization builds on.
pub fn detect_with(
    files: &BTreeSet<String>,
    config: Option<&WorkspaceConfig>,
    kusts: &[KustRef],
) -> Vec<EnvironmentSpec> {
    if let Some(config) = config.filter(|c| !c.environments.is_empty()) {
        return config
            .environments
            .iter()
            .map(|env| EnvironmentSpec {
                name: env.name.clone(),
                protected: env.protected,
                layers: env.paths.iter().map(|p| classify(files, p)).collect(),
                sources: vec![format!(
                    "configured in .wheelhouse/config.yaml: {}",
                    env.paths.join(", ")
                )],
            })
            .collect();
    }
    let mut found: BTreeMap<String, Vec<LayerSpec>> = BTreeMap::new();
    for (env, dir) in kustomize_environments(files, kusts) {
        found
            .entry(env)
            .or_default()
            .push(LayerSpec::Kustomize { dir });
    }
    let kustomize_names: BTreeSet<String> = found.keys().cloned().collect();
    for path in files {
        let Some(env) = helm_env(path) else { continue };
        // Beside a chart, or named as a usual stage: a values file of an environment. A stray
        // `values-<anything>.yaml` of an example chart is not one.
        let beside_chart = files.contains(&format!("{}/Chart.yaml", parent(path)))
            || files.contains(&format!("{}/values.yaml", parent(path)));
        let usual = stage_rank(env).is_some() || kustomize_names.contains(env);
        if !(beside_chart && usual) {
            continue;
        }
        found
            .entry(env.to_owned())
            .or_default()
            .push(LayerSpec::HelmValues {
                chart_dir: parent(path).to_owned(),
                file: path.clone(),
            });
    }
    // `values-prod.yaml` beside overlays called `production`: one environment.
    for (a, b) in ALIASES {
        if found.contains_key(a) && found.contains_key(b) {
            let kustomize = |name: &str| {
                found[name]
                    .iter()
                    .filter(|l| matches!(l, LayerSpec::Kustomize { .. }))
                    .count()
            };
            let (from, into) = if kustomize(a) >= kustomize(b) {
                (b, a)
            } else {
                (a, b)
            };
            if kustomize(from) == 0 {
                let moved = found.remove(from).unwrap_or_default();
                found.entry(into.to_owned()).or_default().extend(moved);
            }
        }
    }
    let mut envs: Vec<EnvironmentSpec> = found
        .into_iter()
        .map(|(name, mut layers)| {
            // Overlays first: they are where an environment's own edits go.
            layers.sort_by_key(|l| !matches!(l, LayerSpec::Kustomize { .. }));
            (name, layers)
        })
        .map(|(name, layers)| EnvironmentSpec {
            protected: is_production(&name),
            sources: layers.iter().map(describe_layer).collect(),
            name,
            layers,
        })
        .collect();
    envs.sort_by_key(|e| rank(&e.name));
    envs
}

/// Where a layer found from the repository's structure comes from, for the column header.
fn describe_layer(l: &LayerSpec) -> String {
    match l {
        LayerSpec::Kustomize { dir } => format!(
            "Kustomize overlay {dir} (a kustomization under {} no other environment builds on)",
            if parent(dir).is_empty() {
                "the root"
            } else {
                parent(dir)
            }
        ),
        LayerSpec::HelmValues { chart_dir, file } => {
            format!("Helm values file {file}, over {chart_dir}/values.yaml")
        }
        LayerSpec::Manifests { dir } => format!("manifests in {dir}"),
        LayerSpec::Flux {
            name,
            file,
            external: Some(from),
            ..
        } => {
            format!("Flux Kustomization `{name}` in {file}: not evaluated: synced from another repository ({from})")
        }
        LayerSpec::Flux {
            name, file, path, ..
        } => {
            format!("Flux Kustomization `{name}` in {file} → ./{path}")
        }
        LayerSpec::Argo { file, .. } => format!("Argo CD Application in {file}"),
    }
}

/// Whether a name is a production stage (`prod`, `production`, `prod-eu`).
pub fn is_production(name: &str) -> bool {
    name.starts_with("prod") && !name.starts_with("preprod")
}

/// The environments of a repository with its Argo CD Applications: each Application joins (or,
/// without a config, makes) the environment it names, and replaces the overlay or values file
/// it reads in that environment (it is how that folder is deployed).
///
/// An Application names its environment, in this order: the element of its `ApplicationSet`
/// (`env:`), a source path or value file that is an environment's layer, a layer folder holding
/// the Application file, then a word of its name (`api-prod`), of its file's path
/// (`argocd/prod/api.yaml`), of the paths it reads (`values-prod.yaml`), or of its destination
/// (namespace `shop-prod`, cluster) that is an environment's name (or, without a config, a usual
/// stage name such as `staging`); last, without a config, the folder under `apps/`,
/// `clusters/`, … that holds it. Applications that name none are left out (the resolver reports
/// them).
pub fn detect_with_apps(
    files: &BTreeSet<String>,
    config: Option<&WorkspaceConfig>,
    apps: &[AppRef],
    kusts: &[KustRef],
) -> Vec<EnvironmentSpec> {
    with_apps(detect_with(files, config, kusts), config, apps)
}

/// Every environment of a repository: from the reconcilers' own objects (Flux
/// Kustomizations, Argo CD Applications, Kargo Stages) and from its folders, in promotion
/// order (the Kargo stage graph first, then the usual ladder). Also what detection found wrong.
pub fn detect_all(
    files: &BTreeSet<String>,
    config: Option<&WorkspaceConfig>,
    inputs: &Inputs,
) -> (Vec<EnvironmentSpec>, Vec<DetectProblem>) {
    let configured = config.is_some_and(|c| !c.environments.is_empty());
    let mut envs = detect_with(files, config, &inputs.kusts);
    if !configured {
        flux_environments(&mut envs, &inputs.flux, &inputs.kusts);
    }
    let mut envs = with_apps(envs, config, &inputs.apps);
    let mut problems = Vec::new();
    if !configured {
        drop_undeployed_siblings(&mut envs, &inputs.apps, &mut problems);
    }
    kargo_environments(&mut envs, files, &inputs.stages, configured, &mut problems);
    (envs, problems)
}

/// When an ApplicationSet `git` generator deploys some of a folder's overlays, an overlay
/// beside them that it does not deploy (excluded, or not matched) is not an environment:
/// nothing applies it. It is said.
fn drop_undeployed_siblings(
    envs: &mut Vec<EnvironmentSpec>,
    apps: &[AppRef],
    problems: &mut Vec<DetectProblem>,
) {
    let deployed: Vec<String> = apps
        .iter()
        .filter(|a| a.generated)
        .flat_map(|a| a.reads.iter().cloned())
        .collect();
    if deployed.is_empty() {
        return;
    }
    envs.retain(|e| {
        let structural = e
            .layers
            .iter()
            .all(|l| matches!(l, LayerSpec::Kustomize { .. }));
        let Some(LayerSpec::Kustomize { dir }) = e.layers.first().filter(|_| structural) else {
            return true;
        };
        let sibling_deployed = deployed
            .iter()
            .any(|d| parent(d) == parent(dir) && d != dir);
        if sibling_deployed {
            problems.push(DetectProblem {
                code: ErrorCode::NotEvaluated,
                file: format!("{dir}/kustomization.yaml"),
                line: 1,
                message: format!(
                    "{dir} is not deployed by the ApplicationSet that deploys the folders beside it; it is not shown as an environment"
                ),
            });
        }
        !sibling_deployed
    });
}

fn within(path: &str, dir: &str) -> bool {
    dir.is_empty() || path == dir || path.starts_with(&format!("{dir}/"))
}

/// The environment a Flux object's file names: the folder under a usual parent
/// (`clusters/staging/apps.yaml`), else a folder that is a usual stage name.
fn flux_env_name(file: &str) -> Option<String> {
    let segs: Vec<&str> = file.split('/').collect();
    let dirs = &segs[..segs.len().saturating_sub(1)];
    for w in dirs.windows(2) {
        if ENV_PARENTS.contains(&w[0]) && !NOT_ENVIRONMENTS.contains(&w[1]) && w[1] != "flux-system"
        {
            return Some(w[1].to_owned());
        }
    }
    dirs.iter()
        .find(|d| stage_rank(d).is_some())
        .map(|d| (*d).to_owned())
}

/// Flux Kustomizations make environments: each one in a cluster's folder is a layer of that
/// cluster's environment, and so is each one written inside a folder such a Kustomization
/// applies (`clusters/staging/tenants.yaml` → `./tenants/staging`, which holds more). The one
/// that syncs the cluster's own folder (`flux-system`) is not a layer. The overlays they apply
/// stop being environments of their own.
fn flux_environments(envs: &mut Vec<EnvironmentSpec>, flux: &[FluxRef], kusts: &[KustRef]) {
    if flux.is_empty() {
        return;
    }
    // The folders each Flux Kustomization builds: its path and, through kustomizations'
    // `resources`/`components`, every local folder those pull in (`tenants/staging` →
    // `tenants/base/dev-team`).
    let builds: Vec<BTreeSet<&str>> = flux
        .iter()
        .map(|f| {
            let mut seen: BTreeSet<&str> = BTreeSet::new();
            let mut todo = vec![f.path.as_str()];
            while let Some(dir) = todo.pop() {
                if f.external.is_some() || !seen.insert(dir) {
                    continue;
                }
                if let Some(k) = kusts.iter().find(|k| k.dir == dir) {
                    todo.extend(k.refs.iter().map(String::as_str));
                }
            }
            seen
        })
        .collect();
    let self_sync = |f: &FluxRef| f.external.is_none() && within(parent(&f.file), &f.path);
    let container = |i: usize| {
        (0..flux.len()).find(|&j| {
            j != i
                && flux[j].external.is_none()
                && !self_sync(&flux[j])
                && within(parent(&flux[i].file), &flux[j].path)
        })
    };
    let env_of = |i: usize| -> Option<String> {
        let mut seen = vec![i];
        let mut at = i;
        if self_sync(&flux[at]) {
            return None;
        }
        while let Some(j) = container(at) {
            if seen.contains(&j) {
                break;
            }
            seen.push(j);
            at = j;
        }
        flux[at]
            .remote
            .clone()
            .or_else(|| flux_env_name(&flux[at].file))
    };
    // A Kustomization in a folder another one builds through kustomize references (a tenant's
    // sync object in a shared base) is a layer of each environment that builds it.
    let built_by = |i: usize| -> Vec<String> {
        let dir = parent(&flux[i].file);
        let mut names: Vec<String> = Vec::new();
        for name in (0..flux.len())
            .filter(|&j| j != i && !self_sync(&flux[j]) && builds[j].contains(dir))
            .filter(|&j| !within(dir, &flux[j].path))
            .filter_map(env_of)
        {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names
    };
    let assigned: Vec<Vec<String>> = (0..flux.len())
        .map(|i| {
            let by_reference = built_by(i);
            if by_reference.is_empty() {
                env_of(i).into_iter().collect()
            } else {
                by_reference
            }
        })
        .collect();
    let claimed: Vec<&str> = flux
        .iter()
        .zip(&assigned)
        .filter(|(f, e)| !e.is_empty() && f.external.is_none())
        .map(|(f, _)| f.path.as_str())
        .collect();
    // The overlays Flux applies are its layers now, and the cluster folders holding the
    // Kustomizations are not workloads' folders.
    // A folder an environment's Flux Kustomization builds (through kustomize references, or
    // anywhere under a path with no kustomization, which Flux builds whole) is never an
    // environment of its own.
    let built = |dir: &str| {
        flux.iter().zip(&assigned).enumerate().any(|(j, (f, e))| {
            !e.is_empty()
                && f.external.is_none()
                && (builds[j].contains(dir)
                    || (!kusts.iter().any(|k| k.dir == f.path) && within(dir, &f.path)))
        })
    };
    for env in envs.iter_mut() {
        env.layers.retain(|l| match l {
            LayerSpec::Kustomize { dir } => {
                !claimed.contains(&dir.as_str())
                    && !built(dir)
                    && !flux
                        .iter()
                        .zip(&assigned)
                        .any(|(f, e)| !e.is_empty() && within(parent(&f.file), dir))
            }
            _ => true,
        });
    }
    envs.retain(|e| !e.layers.is_empty());
    for env in envs.iter_mut() {
        env.sources = env.layers.iter().map(describe_layer).collect();
    }
    let mut order: Vec<usize> = (0..flux.len()).collect();
    order.sort_by(|&a, &b| (&flux[a].file, flux[a].doc).cmp(&(&flux[b].file, flux[b].doc)));
    for (i, name) in order
        .into_iter()
        .flat_map(|i| assigned[i].iter().map(move |n| (i, n)))
    {
        let f = &flux[i];
        let at = match envs.iter().position(|e| &e.name == name) {
            Some(at) => at,
            None => {
                envs.push(EnvironmentSpec {
                    name: name.clone(),
                    protected: is_production(name),
                    layers: Vec::new(),
                    sources: Vec::new(),
                });
                envs.len() - 1
            }
        };
        let flux_layers = envs[at]
            .layers
            .iter()
            .filter(|l| matches!(l, LayerSpec::Flux { .. }))
            .count();
        envs[at].layers.insert(
            flux_layers,
            LayerSpec::Flux {
                file: f.file.clone(),
                doc: f.doc,
                name: f.name.clone(),
                path: f.path.clone(),
                shared: flux.iter().zip(&assigned).any(|(g, e)| {
                    g.external.is_none() && g.path == f.path && e.iter().any(|e| e != name)
                }),
                external: f.external.clone(),
            },
        );
        let source = describe_layer(&envs[at].layers[flux_layers]);
        envs[at].sources.insert(flux_layers, source);
    }
    envs.sort_by_key(|e| rank(&e.name));
}

/// Kargo Stages: each names an environment (joining the one of the same name, or taking the
/// folder its promotion steps update), and the stage graph gives the promotion order.
fn kargo_environments(
    envs: &mut Vec<EnvironmentSpec>,
    files: &BTreeSet<String>,
    stages: &[StageRef],
    configured: bool,
    problems: &mut Vec<DetectProblem>,
) {
    if stages.is_empty() {
        return;
    }
    let names: BTreeSet<&str> = stages.iter().map(|s| s.name.as_str()).collect();
    for st in stages {
        for (u, line) in &st.upstreams {
            if !names.contains(u.as_str()) {
                problems.push(DetectProblem {
                    code: ErrorCode::InvalidFile,
                    file: st.file.clone(),
                    line: *line,
                    message: format!("Kargo Stage {} takes freight from stage {u}, which no Stage in the repository defines", st.name),
                });
            }
        }
    }
    for st in stages {
        let source = |e: &EnvironmentSpec| {
            let from = if st.upstreams.is_empty() {
                "freight straight from its Warehouse".to_owned()
            } else {
                format!(
                    "promoted from {}",
                    st.upstreams
                        .iter()
                        .map(|(u, _)| u.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let path = st
                .path
                .as_deref()
                .or_else(|| e.layers.first().map(LayerSpec::path))
                .unwrap_or("");
            format!("Kargo Stage `{}` in {} → {path} ({from})", st.name, st.file)
        };
        if let Some(e) = envs.iter_mut().find(|e| e.name == st.name) {
            let line = source(e);
            e.sources.insert(0, line);
            continue;
        }
        if configured {
            continue;
        }
        let folder_exists = |p: &str| files.iter().any(|f| within(f, p));
        match st.path.as_deref().filter(|p| folder_exists(p)) {
            Some(p) => {
                // The folder may already be an environment under another name: the Stage names it.
                if let Some(e) = envs.iter_mut().find(|e| e.layers.len() == 1 && e.layers[0].path() == p) {
                    e.name = st.name.clone();
                    e.protected = is_production(&st.name);
                    let line = source(e);
                    e.sources.insert(0, line);
                } else {
                    let mut e = EnvironmentSpec {
                        name: st.name.clone(),
                        protected: is_production(&st.name),
                        layers: vec![classify(files, p)],
                        sources: Vec::new(),
                    };
                    let line = source(&e);
                    e.sources.push(line);
                    envs.push(e);
                }
            }
            None => problems.push(DetectProblem {
                code: ErrorCode::NotEvaluated,
                file: st.file.clone(),
                line: st.line,
                message: format!(
                    "Kargo Stage {} updates no folder of this repository Wheelhouse can find{}; it is not shown as an environment",
                    st.name,
                    st.path.as_deref().map(|p| format!(" ({p})")).unwrap_or_default()
                ),
            }),
        }
    }
    if configured {
        return;
    }
    // Depth in the stage graph: 0 for stages fed by a Warehouse, then one more per hop.
    let mut depth: HashMap<&str, usize> = HashMap::new();
    for _ in 0..stages.len() + 1 {
        for st in stages {
            let d = st
                .upstreams
                .iter()
                .map(|(u, _)| depth.get(u.as_str()).map_or(1, |d| d + 1))
                .max()
                .unwrap_or(0);
            depth.insert(st.name.as_str(), d);
        }
    }
    envs.sort_by_key(|e| match depth.get(e.name.as_str()) {
        Some(d) => (0, *d, rank(&e.name)),
        None => (1, 0, rank(&e.name)),
    });
}

fn with_apps(
    mut envs: Vec<EnvironmentSpec>,
    config: Option<&WorkspaceConfig>,
    apps: &[AppRef],
) -> Vec<EnvironmentSpec> {
    if apps.is_empty() {
        return envs;
    }
    let configured = config.is_some_and(|c| !c.environments.is_empty());
    let assigned: Vec<Option<String>> = apps
        .iter()
        .map(|a| assign_environment(a, &envs, configured))
        .collect();
    // Which environments read each path.
    let mut readers: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for (app, env) in apps.iter().zip(&assigned) {
        if let Some(env) = env {
            for r in &app.reads {
                readers.entry(r.as_str()).or_default().insert(env.as_str());
            }
        }
    }
    let app_files: BTreeSet<&str> = apps.iter().map(|a| a.file.as_str()).collect();
    for (app, env) in apps.iter().zip(&assigned) {
        let Some(env) = env else { continue };
        let i = match envs.iter().position(|e| &e.name == env) {
            Some(i) => i,
            None => {
                envs.push(EnvironmentSpec {
                    name: env.clone(),
                    protected: is_production(env),
                    layers: Vec::new(),
                    sources: Vec::new(),
                });
                envs.len() - 1
            }
        };
        let layer_paths: Vec<String> = envs[i]
            .layers
            .iter()
            .filter(|l| !matches!(l, LayerSpec::Argo { .. }))
            .map(|l| l.path().to_owned())
            .collect();
        let owned: Vec<String> = app
            .reads
            .iter()
            .filter(|r| readers.get(r.as_str()).is_some_and(|s| s.len() == 1))
            .filter(|r| names_environment(r, env) || layer_paths.contains(r))
            .cloned()
            .collect();
        // The Application is how the overlay or values file it reads is deployed: it replaces
        // them as a layer (and resolves them itself).
        envs[i].layers.retain(|l| match l {
            LayerSpec::Kustomize { dir } => !app.reads.contains(dir),
            LayerSpec::HelmValues { file, .. } => !app.reads.contains(file),
            _ => true,
        });
        envs[i].sources.insert(
            0,
            format!(
                "Argo CD Application `{}` in {} → {}",
                app.name,
                app.file,
                app.reads.join(", ")
            ),
        );
        envs[i].layers.push(LayerSpec::Argo {
            file: app.file.clone(),
            doc: app.doc,
            element: app.element,
            reads: app.reads.clone(),
            owned,
        });
    }
    for env in envs.iter_mut() {
        // A configured path that is an Application file is that Application, not a values file.
        env.layers.retain(
            |l| !matches!(l, LayerSpec::HelmValues { file, .. } if app_files.contains(file.as_str())),
        );
        // Without a config: overlays first, then Applications (those that own a folder first),
        // then values files, as `detect` orders them. A config's order is kept.
        if !configured
            && env
                .layers
                .iter()
                .any(|l| matches!(l, LayerSpec::Argo { .. }))
        {
            env.layers.sort_by_key(|l| match l {
                LayerSpec::Kustomize { .. } => 0,
                LayerSpec::Argo { owned, .. } if owned.iter().any(|p| !is_yaml_name(p)) => 1,
                LayerSpec::Argo { .. } => 2,
                _ => 3,
            });
        }
    }
    if !configured {
        envs.sort_by_key(|e| rank(&e.name));
    }
    envs
}

/// The words of a path or name: split at `/`, `-`, `_` and `.`.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(['/', '-', '_', '.']).filter(|w| !w.is_empty())
}

/// Whether a path names an environment: one of its folders or words is the name.
fn names_environment(path: &str, env: &str) -> bool {
    path.split('/').any(|seg| seg == env) || words(path).any(|w| w == env)
}

/// Usual stage names too generic to be taken from a word of a name (`local-path-provisioner`).
const TOO_GENERIC: [&str; 2] = ["local", "int"];

/// The environment an Application names; `None` when it names none.
fn assign_environment(app: &AppRef, envs: &[EnvironmentSpec], configured: bool) -> Option<String> {
    let existing = |w: &str| envs.iter().any(|e| e.name == w);
    if let Some(env) = &app.env {
        return (!configured || existing(env)).then(|| env.clone());
    }
    // A path it reads is an environment's layer.
    for r in &app.reads {
        if let Some(e) = envs.iter().find(|e| e.layers.iter().any(|l| l.path() == r)) {
            return Some(e.name.clone());
        }
    }
    // It lives inside an environment's folder (or is a configured path).
    if let Some(e) = envs.iter().find(|e| {
        e.layers
            .iter()
            .any(|l| wheelhouse_paths::within(&app.file, l.path()))
    }) {
        return Some(e.name.clone());
    }
    let folders: Vec<&str> = app.file.rsplit('/').skip(1).collect(); // deepest first
    let stem = app.file.rsplit('/').next().unwrap_or("");
    let candidates = || {
        let mut name_words: Vec<&str> = words(&app.name).collect();
        name_words.reverse();
        name_words
            .into_iter()
            .chain(folders.iter().copied())
            .chain(words(stem))
            .chain(app.reads.iter().flat_map(|r| words(r)))
            .chain(app.hints.iter().flat_map(|h| words(h)))
    };
    if let Some(w) = candidates().find(|w| existing(w)) {
        return Some(w.to_owned());
    }
    if configured {
        return None;
    }
    let usual = |w: &str| {
        let lower = w.to_lowercase();
        ORDER.contains(&lower.as_str()) && !TOO_GENERIC.contains(&lower.as_str())
    };
    if let Some(w) = candidates().find(|w| usual(w)) {
        return Some(w.to_owned());
    }
    // `apps/<env>/api.yaml`: the folder under a usual parent, unless it names the app itself.
    let segs: Vec<&str> = app.file.split('/').collect();
    segs.windows(3)
        .find(|w| ENV_PARENTS.contains(&w[0]))
        .map(|w| w[1])
        .filter(|f| {
            ![
                "templates",
                "base",
                "bases",
                "common",
                "shared",
                "components",
            ]
            .contains(f)
                && !words(&app.name).any(|w| w == *f)
                && app.name != *f
        })
        .map(str::to_owned)
}

/// `values-<env>.yaml` → `<env>`.
fn helm_env(path: &str) -> Option<&str> {
    let name = path.rsplit('/').next()?;
    let env = name
        .strip_prefix("values-")?
        .strip_suffix(".yaml")
        .or_else(|| name.strip_prefix("values-")?.strip_suffix(".yml"))?;
    (!env.is_empty()).then_some(env)
}

fn classify(files: &BTreeSet<String>, path: &str) -> LayerSpec {
    let path = path.trim_end_matches('/').to_owned();
    let has_kustomization = ["kustomization.yaml", "kustomization.yml", "Kustomization"]
        .iter()
        .any(|k| files.contains(&format!("{path}/{k}")));
    if has_kustomization {
        LayerSpec::Kustomize { dir: path }
    } else if path.ends_with(".yaml") || path.ends_with(".yml") {
        LayerSpec::HelmValues {
            chart_dir: parent(&path).to_owned(),
            file: path,
        }
    } else {
        LayerSpec::Manifests { dir: path }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn variants_of_a_stage_form_a_group_and_a_lone_stage_none() {
        let names = [
            "dev",
            "qa",
            "staging",
            "staging-eu",
            "eu_staging",
            "canary",
            "prod-us",
            "prod-asia",
            "perf",
        ];
        let groups = stage_groups(&names);
        let staging = Some("staging".to_owned());
        let prod = Some("prod".to_owned());
        assert_eq!(
            groups,
            vec![
                None,
                None,
                staging.clone(),
                staging.clone(),
                staging,
                None,
                prod.clone(),
                prod,
                None
            ]
        );
    }

    #[test]
    fn the_ladder_puts_integration_test_qa_uat_and_load_before_staging_with_variants_grouped() {
        let mut names = vec![
            "prod-eu",
            "staging-us",
            "load-eu",
            "prod",
            "integration-eu",
            "staging",
            "qa",
            "perf",
            "uat",
            "integration",
            "test",
            "dev",
            "staging-eu",
            "canary",
            "pre-prod",
        ];
        names.sort_by_key(|n| rank(n));
        assert_eq!(
            names,
            vec![
                "dev",
                "integration",
                "integration-eu",
                "test",
                "qa",
                "uat",
                "load-eu",
                "perf",
                "staging",
                "staging-eu",
                "staging-us",
                "canary",
                "pre-prod",
                "prod",
                "prod-eu",
            ]
        );
    }

    #[test]
    fn kustomize_overlays_and_helm_values_become_environments_in_promotion_order() {
        let envs = detect(
            &files(&[
                "base/kustomization.yaml",
                "overlays/prod/kustomization.yaml",
                "overlays/dev/kustomization.yaml",
                "overlays/staging/kustomization.yaml",
                "helm/ledger/values.yaml",
                "helm/ledger/values-dev.yaml",
                "helm/ledger/values-prod.yaml",
                "README.md",
            ]),
            None,
        );
        let names: Vec<_> = envs.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, vec!["dev", "staging", "prod"]);
        assert_eq!(
            envs[0].layers,
            vec![
                LayerSpec::Kustomize {
                    dir: "overlays/dev".into()
                },
                LayerSpec::HelmValues {
                    chart_dir: "helm/ledger".into(),
                    file: "helm/ledger/values-dev.yaml".into()
                }
            ]
        );
        assert!(envs[2].protected && !envs[0].protected);
    }

    #[test]
    fn other_common_folders_are_recognised_and_unknown_names_sit_between() {
        let envs = detect(
            &files(&[
                "clusters/production/kustomization.yaml",
                "clusters/canary/kustomization.yaml",
                "clusters/dev/kustomization.yaml",
                "random/thing/kustomization.yaml",
            ]),
            None,
        );
        let names: Vec<_> = envs.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, vec!["dev", "canary", "production"]);
    }

    fn app(file: &str, name: &str, reads: &[&str]) -> AppRef {
        AppRef {
            file: file.into(),
            doc: 0,
            element: None,
            name: name.into(),
            env: None,
            hints: Vec::new(),
            reads: reads.iter().map(|r| r.to_string()).collect(),
            line: 1,
            generated: false,
        }
    }

    fn argo_layers(env: &EnvironmentSpec) -> Vec<(&str, Vec<&str>)> {
        env.layers
            .iter()
            .filter_map(|l| match l {
                LayerSpec::Argo { file, owned, .. } => {
                    Some((file.as_str(), owned.iter().map(String::as_str).collect()))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn applications_join_or_make_the_environment_they_name() {
        let files = files(&[
            "overlays/dev/kustomization.yaml",
            "overlays/prod/kustomization.yaml",
        ]);
        let apps = vec![
            // Its source path is prod's overlay, whatever its name.
            app("argocd/shop.yaml", "shop", &["overlays/prod"]),
            // Its name.
            app(
                "argocd/api-dev.yaml",
                "api-dev",
                &["charts/api", "charts/api/values-dev.yaml"],
            ),
            // A usual stage name in its folder makes a new environment.
            app(
                "argocd/staging/api.yaml",
                "api",
                &["charts/api", "charts/api/values-staging.yaml"],
            ),
            // An unusual folder under apps/.
            app("apps/canary/api.yaml", "api", &[]),
            // Nothing names an environment; the folder under apps/ is the app itself.
            app("apps/tooling/tooling.yaml", "tooling", &[]),
            // The element says so.
            AppRef {
                env: Some("qa".into()),
                element: Some(ElementRef {
                    generator: 0,
                    element: 0,
                }),
                ..app("argocd/set.yaml", "web-eu", &[])
            },
        ];
        let envs = detect_with_apps(&files, None, &apps, &[]);
        let names: Vec<_> = envs.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, vec!["dev", "qa", "staging", "canary", "prod"]);
        // The Application replaces the overlay it deploys, and owns it.
        assert_eq!(
            envs[4].layers,
            vec![LayerSpec::Argo {
                file: "argocd/shop.yaml".into(),
                doc: 0,
                element: None,
                reads: vec!["overlays/prod".into()],
                owned: vec!["overlays/prod".into()],
            }]
        );
        assert_eq!(
            envs[4].layers[0].paths(),
            vec!["overlays/prod", "argocd/shop.yaml"]
        );
        // The chart folder is read by two environments: shared; the values files are owned.
        assert_eq!(
            argo_layers(&envs[0]),
            vec![("argocd/api-dev.yaml", vec!["charts/api/values-dev.yaml"])]
        );
        assert!(matches!(envs[0].layers[0], LayerSpec::Kustomize { .. }));
        assert_eq!(
            argo_layers(&envs[2]),
            vec![(
                "argocd/staging/api.yaml",
                vec!["charts/api/values-staging.yaml"]
            )]
        );
        assert!(envs[4].protected && !envs[3].protected);
        // Unplaced: tooling is in no environment.
        assert!(!envs
            .iter()
            .any(|e| argo_layers(e).iter().any(|(f, _)| f.contains("tooling"))));
    }

    #[test]
    fn with_a_config_applications_only_join_configured_environments() {
        let config = WorkspaceConfig {
            environments: vec![ConfiguredEnvironment {
                name: "live".into(),
                paths: vec!["deploy/live.yaml".into()],
                protected: true,
            }],
            ..Default::default()
        };
        let apps = vec![
            app("deploy/live.yaml", "api", &[]),
            app("argocd/api-prod.yaml", "api-prod", &[]),
        ];
        let envs = detect_with_apps(&files(&[]), Some(&config), &apps, &[]);
        assert_eq!(envs.len(), 1);
        // The configured path is the Application, not a values file.
        assert_eq!(argo_layers(&envs[0]), vec![("deploy/live.yaml", vec![])]);
        assert_eq!(envs[0].layers.len(), 1);
    }

    #[test]
    fn the_config_wins_and_classifies_its_paths() {
        let config = WorkspaceConfig {
            environments: vec![ConfiguredEnvironment {
                name: "live".into(),
                paths: vec![
                    "deploy/live/".into(),
                    "charts/x/values-live.yaml".into(),
                    "raw".into(),
                ],
                protected: true,
            }],
            ..Default::default()
        };
        let envs = detect(&files(&["deploy/live/kustomization.yaml"]), Some(&config));
        assert_eq!(envs.len(), 1);
        assert_eq!(
            envs[0].layers,
            vec![
                LayerSpec::Kustomize {
                    dir: "deploy/live".into()
                },
                LayerSpec::HelmValues {
                    chart_dir: "charts/x".into(),
                    file: "charts/x/values-live.yaml".into()
                },
                LayerSpec::Manifests { dir: "raw".into() }
            ]
        );
    }
}
