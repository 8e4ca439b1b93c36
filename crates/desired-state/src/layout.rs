//! Which environments a repository has and which files make each of them. Pure: a function of the
//! list of files (and of `.wheelhouse/config.yaml`, when there is one), plus, for Argo CD, a
//! summary of each `Application` ([`AppRef`], read from the files by the resolver).

use std::collections::{BTreeMap, BTreeSet, HashMap};

/// How the files of one environment layer are to be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LayerSpec {
    /// A Kustomize overlay folder (holding a kustomization file).
    Kustomize { dir: String },
    /// `values-<env>.yaml` of a Helm chart folder, merged over the folder's `values.yaml`.
    HelmValues { chart_dir: String, file: String },
    /// A folder of plain manifests.
    Manifests { dir: String },
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
            other => vec![other.path()],
        }
    }

    /// What an edit in this layer may write to: its own folder or file, or for an Argo CD
    /// Application, the paths it owns.
    pub fn owned(&self) -> Vec<&str> {
        match self {
            LayerSpec::Argo { owned, .. } => owned.iter().map(String::as_str).collect(),
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
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvironmentSpec {
    pub name: String,
    pub protected: bool,
    pub layers: Vec<LayerSpec>,
}

/// `.wheelhouse/config.yaml`, as far as layouts go.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WorkspaceConfig {
    pub environments: Vec<ConfiguredEnvironment>,
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
const ORDER: [&str; 12] = [
    "local",
    "dev",
    "development",
    "test",
    "qa",
    "uat",
    "int",
    "staging",
    "stage",
    "preprod",
    "prod",
    "production",
];

fn rank(name: &str) -> (usize, String) {
    let lower = name.to_lowercase();
    match ORDER.iter().position(|o| *o == lower) {
        Some(i) => (i * 10, lower),
        None => (
            ORDER.iter().position(|o| *o == "staging").unwrap_or(0) * 10 + 5,
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

/// The environments of a repository, in promotion order.
pub fn detect(files: &BTreeSet<String>, config: Option<&WorkspaceConfig>) -> Vec<EnvironmentSpec> {
    if let Some(config) = config.filter(|c| !c.environments.is_empty()) {
        return config
            .environments
            .iter()
            .map(|env| EnvironmentSpec {
                name: env.name.clone(),
                protected: env.protected,
                layers: env.paths.iter().map(|p| classify(files, p)).collect(),
            })
            .collect();
    }
    let mut found: BTreeMap<String, Vec<LayerSpec>> = BTreeMap::new();
    for path in files {
        if is_kustomization(path) {
            let dir = parent(path);
            let (above, env) = dir.rsplit_once('/').unwrap_or(("", dir));
            let above_name = above.rsplit('/').next().unwrap_or(above);
            if !env.is_empty() && ENV_PARENTS.contains(&above_name) {
                found
                    .entry(env.to_owned())
                    .or_default()
                    .push(LayerSpec::Kustomize {
                        dir: dir.to_owned(),
                    });
            }
        } else if let Some(env) = helm_env(path) {
            found
                .entry(env.to_owned())
                .or_default()
                .push(LayerSpec::HelmValues {
                    chart_dir: parent(path).to_owned(),
                    file: path.clone(),
                });
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
            protected: name.starts_with("prod"),
            name,
            layers,
        })
        .collect();
    envs.sort_by_key(|e| rank(&e.name));
    envs
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
) -> Vec<EnvironmentSpec> {
    let mut envs = detect(files, config);
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
                    protected: env.starts_with("prod"),
                    layers: Vec::new(),
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
        e.layers.iter().any(|l| {
            let p = l.path();
            app.file == p || (app.file.starts_with(p) && app.file[p.len()..].starts_with('/'))
        })
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
        let envs = detect_with_apps(&files, None, &apps);
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
        };
        let apps = vec![
            app("deploy/live.yaml", "api", &[]),
            app("argocd/api-prod.yaml", "api-prod", &[]),
        ];
        let envs = detect_with_apps(&files(&[]), Some(&config), &apps);
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
