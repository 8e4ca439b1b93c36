//! Which environments a repository has and which files make each of them. Pure: a function of the
//! list of files (and of `.wheelhouse/config.yaml`, when there is one).

use std::collections::{BTreeMap, BTreeSet};

/// How the files of one environment layer are to be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LayerSpec {
    /// A Kustomize overlay folder (holding a kustomization file).
    Kustomize { dir: String },
    /// `values-<env>.yaml` of a Helm chart folder, merged over the folder's `values.yaml`.
    HelmValues { chart_dir: String, file: String },
    /// A folder of plain manifests.
    Manifests { dir: String },
}

impl LayerSpec {
    pub fn path(&self) -> &str {
        match self {
            LayerSpec::Kustomize { dir } | LayerSpec::Manifests { dir } => dir,
            LayerSpec::HelmValues { file, .. } => file,
        }
    }
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
