//! Edits of desired state, scoped to one environment: where a change goes (the environment's own
//! layer, never the shared base), the exact new text of each file (minimal, format-preserving),
//! and promotion between environments. Planning is pure; [`apply`] is the one function that
//! writes, atomically and only if no file changed since it was read.

use crate::model::{DesiredState, Layer, Provenance, Sourced, WorkloadKind, WorkloadState};
use crate::resolve::{split_image, Snapshot, EMBEDDED_PATH_SEPARATOR};
use crate::tree::{self, get, items, str_at};
use crate::yaml::{self, PathSeg};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use ts_rs::TS;

/// What to change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Field {
    /// The image tag of one container (the first one when `container` is `None`).
    ImageTag {
        container: Option<String>,
    },
    Replicas,
    /// A Helm value, by dotted key (`image.tag`, `resources.limits.memory`).
    HelmValue {
        key: String,
    },
    /// An environment variable of one container (the first when `container` is `None`).
    EnvVar {
        container: Option<String>,
        name: String,
    },
    /// A resource request or limit of one container: `requests.cpu`, `limits.memory`, …
    Resource {
        container: Option<String>,
        name: String,
    },
    /// The chart version of a Helm workload: an Argo CD Application's `targetRevision`, a Flux
    /// HelmRelease's `spec.chart.spec.version`. Only where the environment owns it.
    ChartVersion,
}

/// A planned change to one file: the text it was planned from, the new text, and a unified diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FileEdit {
    pub path: String,
    #[serde(skip)]
    pub before: String,
    #[serde(skip)]
    pub after: String,
    pub diff: String,
    /// The file does not exist before the edit (`before` is empty): writing it makes the file,
    /// and only while there is still none.
    #[serde(skip)]
    pub creates: bool,
    /// The edit deletes the file (`after` is empty): the undo of one that made it.
    #[serde(skip)]
    pub removes: bool,
}

impl FileEdit {
    /// The edit that undoes this one once it is written: the file back to `before` — deleted
    /// again if this edit made it, made again if this edit deleted it.
    pub fn reverse(&self) -> FileEdit {
        FileEdit {
            path: self.path.clone(),
            before: self.after.clone(),
            after: self.before.clone(),
            diff: unified_diff(&self.path, &self.after, &self.before),
            creates: self.removes,
            removes: self.creates,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("There is no environment named {0}.")]
    UnknownEnvironment(String),
    #[error("{workload} does not run in {env}.")]
    UnknownWorkload { env: String, workload: String },
    #[error("{0}")]
    InvalidValue(String),
    #[error("{0}")]
    NotEditable(String),
    #[error("{file}:{line}:{column}: {message}")]
    Yaml {
        file: String,
        line: u32,
        column: u32,
        message: String,
    },
    #[error("{0} changed on disk since it was read. Nothing was written; look at the new content and try again.")]
    Conflict(String),
    #[error("Could not write {path}: {message}. Nothing was written.")]
    Io { path: String, message: String },
}

impl From<EditError> for wheelhouse_diagnostics::Problem {
    fn from(e: EditError) -> Self {
        let code = e.code();
        match e {
            EditError::Yaml {
                file,
                line,
                column,
                message,
            } => wheelhouse_diagnostics::Problem::new(code, message).at(
                file,
                Some(line),
                Some(column),
            ),
            other => wheelhouse_diagnostics::Problem::new(code, other.to_string()),
        }
    }
}

impl EditError {
    pub fn code(&self) -> wheelhouse_diagnostics::ErrorCode {
        match self {
            EditError::UnknownEnvironment(_) => {
                wheelhouse_diagnostics::ErrorCode::UnknownEnvironment
            }
            EditError::UnknownWorkload { .. } => wheelhouse_diagnostics::ErrorCode::UnknownWorkload,
            EditError::InvalidValue(_) => wheelhouse_diagnostics::ErrorCode::InvalidValue,
            EditError::NotEditable(_) => wheelhouse_diagnostics::ErrorCode::NotEditable,
            EditError::Yaml { .. } => wheelhouse_diagnostics::ErrorCode::InvalidYaml,
            EditError::Conflict(_) => wheelhouse_diagnostics::ErrorCode::FileChanged,
            EditError::Io { .. } => wheelhouse_diagnostics::ErrorCode::Io,
        }
    }
}

/// Checks a value before anything is planned: the UI refuses to write what this refuses.
pub fn validate_value(field: &Field, value: &str) -> Result<(), EditError> {
    let bad = |m: String| Err(EditError::InvalidValue(m));
    match field {
        Field::ImageTag { .. } => {
            let ok = !value.is_empty()
                && value.len() <= 128
                && value
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                && value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
            let digest = value.starts_with("sha256:")
                && value.len() == 71
                && value[7..].chars().all(|c| c.is_ascii_hexdigit());
            if ok || digest {
                Ok(())
            } else {
                bad(format!("\"{value}\" is not an image tag: use letters, digits, '.', '_' and '-' (at most 128), or sha256:<64 hex digits>."))
            }
        }
        Field::Replicas => match value.parse::<u32>() {
            Ok(_) if !value.starts_with('+') => Ok(()),
            _ => bad(format!(
                "\"{value}\" is not a replica count: use a whole number, 0 or more."
            )),
        },
        Field::EnvVar { name, .. } => {
            let ok = name
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if ok {
                Ok(())
            } else {
                bad(format!("\"{name}\" is not an environment variable name: letters, digits and '_', not starting with a digit."))
            }
        }
        Field::Resource { name, .. } => {
            let known = [
                "requests.cpu",
                "requests.memory",
                "limits.cpu",
                "limits.memory",
            ];
            let number_end = value
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(value.len());
            let (number, unit) = value.split_at(number_end);
            let unit_ok = ["", "m", "k", "M", "G", "T", "Ki", "Mi", "Gi", "Ti"].contains(&unit);
            if !known.contains(&name.as_str()) {
                bad(format!(
                    "\"{name}\" is not a resource: use one of {}.",
                    known.join(", ")
                ))
            } else if number.is_empty() || number.parse::<f64>().is_err() || !unit_ok {
                bad(format!("\"{value}\" is not a Kubernetes quantity: a number with an optional unit such as 250m, 512Mi or 2Gi."))
            } else {
                Ok(())
            }
        }
        Field::ChartVersion => {
            // A version (`1.2.3`, `v1.2.3-rc.1+b5`, `1.2.*`) or a range of them
            // (`^1.2`, `>=1.0.0 <2.0.0`, `~1.2 || ^2`).
            let term = |t: &str| {
                let v = t.trim_start_matches(['>', '<', '=', '^', '~']);
                v.len() + 2 >= t.len()
                    && v.chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '*')
                    && v.chars()
                        .all(|c| c.is_ascii_alphanumeric() || ".-+_*".contains(c))
            };
            let ok = !value.is_empty()
                && value.len() <= 128
                && value == value.trim()
                && value.split("||").all(|alt| {
                    alt.split([' ', ',']).filter(|t| !t.is_empty()).all(term)
                        && !alt.trim().is_empty()
                });
            if ok {
                Ok(())
            } else {
                bad(format!("\"{value}\" is not a chart version: use a version such as 1.2.3 (or a range such as ^1.2 or >=1.0.0 <2.0.0)."))
            }
        }
        Field::HelmValue { key } => {
            if key.is_empty() || key.split('.').any(str::is_empty) {
                bad(format!(
                    "\"{key}\" is not a value key: use dotted names like image.tag."
                ))
            } else {
                Ok(())
            }
        }
    }
}

/// Plans edits over a snapshot, composing several changes to the same file.
#[derive(Debug)]
pub struct Planner<'a> {
    state: &'a DesiredState,
    snapshot: &'a Snapshot,
    texts: BTreeMap<String, String>,
}

/// Provenance paths of an Argo CD Application's own Kustomize overrides.
const ARGO_KUSTOMIZE_IMAGES: &str = ".kustomize.images[";
const ARGO_KUSTOMIZE_REPLICAS: &str = ".kustomize.replicas[";

fn yaml_error(e: yaml::YamlError) -> EditError {
    EditError::Yaml {
        file: e.file,
        line: e.line,
        column: e.column,
        message: e.message,
    }
}

fn edit_error(file: &str, e: yaml::EditError) -> EditError {
    EditError::NotEditable(format!("{file}: {e}"))
}

/// A value as the YAML layer writes it: strings stay strings (quoted when plain would change
/// their type), counts are plain integers.
fn new_value(value: &str, string: bool) -> yaml::NewValue<'_> {
    match value.parse::<i64>() {
        Ok(n) if !string => yaml::NewValue::Int(n),
        _ => yaml::NewValue::Str(value),
    }
}

fn key_path(keys: &str) -> Vec<PathSeg> {
    keys.split('.')
        .map(|k| PathSeg::Key(k.to_owned()))
        .collect()
}

impl<'a> Planner<'a> {
    pub fn new(state: &'a DesiredState, snapshot: &'a Snapshot) -> Self {
        Planner {
            state,
            snapshot,
            texts: BTreeMap::new(),
        }
    }

    fn current(&self, path: &str) -> Option<String> {
        self.texts
            .get(path)
            .cloned()
            .or_else(|| self.snapshot.files.get(path).map(|t| t.to_string()))
    }

    fn env_index(&self, env: &str) -> Result<usize, EditError> {
        self.state
            .environments
            .iter()
            .position(|e| e.name == env)
            .ok_or_else(|| EditError::UnknownEnvironment(env.to_owned()))
    }

    fn workload(&self, env: usize, id: &str) -> Result<&'a WorkloadState, EditError> {
        self.state.workloads[env]
            .iter()
            .find(|w| w.id == id)
            .ok_or_else(|| EditError::UnknownWorkload {
                env: self.state.environments[env].name.clone(),
                workload: id.to_owned(),
            })
    }

    /// The environment's own Kustomize overlay folder, if it has one.
    fn overlay(&self, env: usize) -> Option<&'a str> {
        self.state.environments[env]
            .paths
            .iter()
            .find(|p| !p.ends_with(".yaml") && !p.ends_with(".yml"))
            .map(String::as_str)
    }

    fn kustomization(&self, dir: &str) -> Result<String, EditError> {
        ["kustomization.yaml", "kustomization.yml", "Kustomization"]
            .iter()
            .map(|k| format!("{dir}/{k}"))
            .find(|p| self.snapshot.files.contains_key(p))
            .ok_or_else(|| {
                EditError::NotEditable(format!(
                    "{dir} has no kustomization file to add an override to."
                ))
            })
    }

    /// Plans one change in one environment.
    pub fn set(
        &mut self,
        env: &str,
        workload: &str,
        field: &Field,
        value: &str,
    ) -> Result<(), EditError> {
        validate_value(field, value)?;
        let e = self.env_index(env)?;
        let w = self.workload(e, workload)?;
        match (w.kind, field) {
            (_, Field::ChartVersion) => self.set_chart_version(e, w, value),
            (WorkloadKind::ArgoApplication, Field::ImageTag { .. }) => self.set_argo_value(e, w, "image.tag", value, true),
            (WorkloadKind::ArgoApplication, Field::Replicas) => self.set_argo_value(e, w, "replicaCount", value, false),
            (WorkloadKind::ArgoApplication, Field::HelmValue { key }) => self.set_argo_value(e, w, key, value, value.parse::<f64>().is_err()),
            (WorkloadKind::ArgoApplication, _) => Err(EditError::NotEditable(format!("{} is a Helm chart deployed by an Argo CD Application: change its values by key.", w.id))),
            (WorkloadKind::HelmValues, Field::ImageTag { .. }) => self.set_helm(e, w, "image.tag", value, true),
            (WorkloadKind::HelmValues, Field::Replicas) => self.set_helm(e, w, "replicaCount", value, false),
            (WorkloadKind::HelmValues, Field::HelmValue { key }) => self.set_helm(e, w, key, value, value.parse::<f64>().is_err()),
            (WorkloadKind::HelmRelease, _) => Err(EditError::NotEditable(format!(
                "{} is a Flux HelmRelease in {}, shared by every environment; change it there (editing it here would change all environments).",
                w.id,
                w.files.first().cloned().unwrap_or_default()
            ))),
            (_, Field::ImageTag { container }) => self.set_kustomize_image(e, w, container.as_deref(), value),
            (_, Field::Replicas) => self.set_kustomize_replicas(e, w, value),
            (_, Field::HelmValue { .. }) => Err(EditError::NotEditable(format!("{} is not configured by Helm values.", w.id))),
            (WorkloadKind::HelmValues, _) => Err(EditError::NotEditable(format!("{} is configured by Helm values: change them by key.", w.id))),
            (WorkloadKind::CronJob, _) => Err(EditError::NotEditable(format!("{} is a CronJob: edit its env and resources in the YAML for now.", w.id))),
            (_, Field::EnvVar { container, name }) => self.set_in_patch(e, w, container.as_deref(), &["env"], Some(name), value),
            (_, Field::Resource { container, name }) => {
                let path: Vec<&str> = std::iter::once("resources").chain(name.split('.')).collect();
                self.set_in_patch(e, w, container.as_deref(), &path, None, value)
            }
        }
    }

    /// Sets a container field through the environment's own strategic-merge patch for the
    /// workload: the existing one when the overlay has it, else a new `<workload>-<env>.yaml`
    /// patch added to the overlay's `patches`. `named` is the `name` of a list entry (env vars).
    fn set_in_patch(
        &mut self,
        env: usize,
        w: &WorkloadState,
        container: Option<&str>,
        path: &[&str],
        named: Option<&str>,
        value: &str,
    ) -> Result<(), EditError> {
        let env_name = self.state.environments[env].name.clone();
        let c = match container {
            Some(n) => w.containers.iter().find(|c| c.name == n),
            None => w.containers.first(),
        }
        .ok_or_else(|| EditError::UnknownWorkload {
            env: env_name.clone(),
            workload: format!("{} container {}", w.id, container.unwrap_or("")),
        })?;
        let dir = self
            .overlay(env)
            .ok_or_else(|| {
                EditError::NotEditable(format!("{env_name} has no overlay folder of its own."))
            })?
            .to_owned();
        let kind = match w.kind {
            WorkloadKind::StatefulSet => "StatefulSet",
            WorkloadKind::DaemonSet => "DaemonSet",
            _ => "Deployment",
        };
        // An existing patch of this workload in the overlay.
        let existing = w.files.iter().find(|f| {
            f.starts_with(&format!("{dir}/"))
                && !crate::layout::is_kustomization(f)
                && self
                    .current(f)
                    .and_then(|t| yaml::parse(f, &t).ok())
                    .and_then(|y| {
                        y.documents()
                            .first()
                            .and_then(|d| str_at(d, &["metadata", "name"]).map(|n| n == w.id))
                    })
                    .unwrap_or(false)
        });
        let file = match existing {
            Some(f) => f.clone(),
            None => {
                let file = format!("{dir}/{}-{env_name}.yaml", w.id);
                let text = format!(
                    "# {env_name}: {} settings of {} that differ from the base.\napiVersion: apps/v1\nkind: {kind}\nmetadata:\n  name: {}\nspec:\n  template:\n    spec:\n      containers:\n        - name: {}\n",
                    if named.is_some() { "environment" } else { "resource" },
                    w.id,
                    w.id,
                    c.name
                );
                self.write(&file, text);
                let kfile = self.kustomization(&dir)?;
                let parsed = self.parse(&kfile)?;
                let rel = file
                    .strip_prefix(&format!("{dir}/"))
                    .unwrap_or(&file)
                    .to_owned();
                let updated = yaml::append_item(
                    &parsed,
                    0,
                    &[PathSeg::Key("patches".into())],
                    &[("path", new_value(&rel, true))],
                )
                .map_err(|e| edit_error(&kfile, e))?;
                self.write(&kfile, updated);
                file
            }
        };
        let parsed = self.parse(&file)?;
        let root = parsed.documents().first().cloned();
        let containers_path = [
            PathSeg::Key("spec".into()),
            PathSeg::Key("template".into()),
            PathSeg::Key("spec".into()),
            PathSeg::Key("containers".into()),
        ];
        let index = root
            .as_ref()
            .and_then(|r| r.get(&containers_path))
            .map(|n| {
                items(n)
                    .iter()
                    .position(|i| str_at(i, &["name"]) == Some(c.name.as_str()))
            })
            .unwrap_or(None);
        let (parsed, index) = match index {
            Some(i) => (parsed, i),
            None => {
                let count = root
                    .as_ref()
                    .and_then(|r| r.get(&containers_path))
                    .map(|n| items(n).len())
                    .unwrap_or(0);
                let text = yaml::append_item(
                    &parsed,
                    0,
                    &containers_path,
                    &[("name", new_value(&c.name, true))],
                )
                .map_err(|e| edit_error(&file, e))?;
                (yaml::parse(&file, &text).map_err(yaml_error)?, count)
            }
        };
        let mut target: Vec<PathSeg> = containers_path.to_vec();
        target.push(PathSeg::Index(index));
        let text = match named {
            Some(var) => {
                let mut list = target.clone();
                list.push(PathSeg::Key(path[0].into()));
                let at = parsed
                    .get(0, &list)
                    .map(|n| {
                        items(n)
                            .iter()
                            .position(|i| str_at(i, &["name"]) == Some(var))
                    })
                    .unwrap_or(None);
                match at {
                    Some(i) => {
                        list.push(PathSeg::Index(i));
                        list.push(PathSeg::Key("value".into()));
                        yaml::upsert(&parsed, 0, &list, new_value(value, true))
                    }
                    None => yaml::append_item(
                        &parsed,
                        0,
                        &list,
                        &[
                            ("name", new_value(var, true)),
                            ("value", new_value(value, true)),
                        ],
                    ),
                }
            }
            None => {
                target.extend(path.iter().map(|p| PathSeg::Key((*p).into())));
                yaml::upsert(&parsed, 0, &target, new_value(value, true))
            }
        }
        .map_err(|e| edit_error(&file, e))?;
        self.write(&file, text);
        Ok(())
    }

    /// The other environments whose same workload takes a value from exactly `source`.
    fn sharing(
        &self,
        env: usize,
        w: &WorkloadState,
        source: &Provenance,
        field: impl Fn(&WorkloadState) -> Option<&Sourced>,
    ) -> Vec<String> {
        self.state
            .environments
            .iter()
            .zip(&self.state.workloads)
            .enumerate()
            .filter(|(i, _)| *i != env)
            .filter(|(_, (_, list))| {
                list.iter()
                    .filter(|x| x.id == w.id && x.kind == w.kind)
                    .filter_map(&field)
                    .any(|v| {
                        v.source.file == source.file
                            && v.source.path == source.path
                            && v.source.line == source.line
                    })
            })
            .map(|(_, (e, _))| e.name.clone())
            .collect()
    }

    /// Sets the scalar a value was read from, in place: the document is the one where that
    /// path is at that line.
    fn set_at(&mut self, source: &Provenance, value: yaml::NewValue<'_>) -> Result<(), EditError> {
        let parsed = self.parse(&source.file)?;
        let path = yaml::parse_path(&source.path).map_err(EditError::NotEditable)?;
        let docs = parsed.documents().len();
        let doc = (0..docs)
            .find(|&d| {
                parsed
                    .get(d, &path)
                    .is_some_and(|n| tree::line(n) == source.line)
            })
            .or_else(|| (0..docs).find(|&d| parsed.get(d, &path).is_some()))
            .ok_or_else(|| {
                EditError::NotEditable(format!(
                    "{} no longer has {}; reload and try again.",
                    source.file, source.path
                ))
            })?;
        let text = yaml::set_scalar(&parsed, doc, &path, value)
            .map_err(|e| edit_error(&source.file, e))?;
        self.write(&source.file, text);
        Ok(())
    }

    /// Why a value set at `source` cannot be changed for one environment alone, if it cannot.
    fn not_own(
        &self,
        env: usize,
        w: &WorkloadState,
        what: &str,
        source: &Provenance,
        field: impl Fn(&WorkloadState) -> Option<&Sourced>,
    ) -> Option<EditError> {
        let env_name = &self.state.environments[env].name;
        let at = format!("{} ({}, line {})", source.file, source.path, source.line);
        let others = self.sharing(env, w, source, field);
        if !others.is_empty() {
            let mut all = vec![env_name.clone()];
            all.extend(others);
            return Some(EditError::NotEditable(format!(
                "The {what} of {} is set in {at}, which is shared by {}: changing it there would change all of them. Give {env_name} its own {what} (in its own Application or overlay) first.",
                w.id,
                all.join(", ")
            )));
        }
        if source.layer != Layer::Environment {
            return Some(EditError::NotEditable(format!(
                "The {what} of {} in {env_name} is inherited from {at}, a shared file, not {env_name}'s own layer; set it in {env_name}'s own Application or overlay instead.",
                w.id
            )));
        }
        if source.path.contains(EMBEDDED_PATH_SEPARATOR) {
            return Some(EditError::NotEditable(format!(
                "The {what} of {} in {env_name} is set inside YAML written as a string, at {at}; edit it in the YAML editor.",
                w.id
            )));
        }
        None
    }

    /// The chart version, where the environment owns it: an Argo CD Application of that
    /// environment (`targetRevision`, or its ApplicationSet element's key), a HelmRelease (or a
    /// patch of one) in its overlay folder. Refused when the version lives in a shared file.
    fn set_chart_version(
        &mut self,
        env: usize,
        w: &WorkloadState,
        version: &str,
    ) -> Result<(), EditError> {
        let current = w.chart_version.as_ref().ok_or_else(|| {
            EditError::NotEditable(format!(
                "{} in {} has no chart version to change.",
                w.id, self.state.environments[env].name
            ))
        })?;
        if let Some(refusal) = self.not_own(env, w, "chart version", &current.source, |x| {
            x.chart_version.as_ref()
        }) {
            return Err(refusal);
        }
        self.set_at(&current.source, yaml::NewValue::Str(version))
    }

    /// A Helm value of a chart deployed by an Argo CD Application: where the environment
    /// already sets it (a parameter, its own values file), else in its own values file.
    fn set_argo_value(
        &mut self,
        env: usize,
        w: &WorkloadState,
        key: &str,
        value: &str,
        quoted: bool,
    ) -> Result<(), EditError> {
        let what = format!("value {key}");
        let current = w.values.iter().find(|v| v.name == key);
        let mut refusal = None;
        if let Some(current) = current {
            refusal = self.not_own(env, w, &what, &current.value.source, |x| {
                x.values.iter().find(|v| v.name == key).map(|v| &v.value)
            });
            if refusal.is_none() {
                return self.set_at(&current.value.source, new_value(value, quoted));
            }
        }
        // `w.files` is in Argo CD's order: the chart's values.yaml, Chart.yaml, the value
        // files, the Application (whose values, valuesObject and parameters win over files).
        let paths = &self.state.environments[env].paths;
        let app_file = w.files.last().map_or("", String::as_str);
        let owns = |f: &str| paths.iter().any(|p| wheelhouse_paths::within(f, p));
        let own = w
            .files
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, f)| !f.ends_with("Chart.yaml") && f.as_str() != app_file)
            .find(|(_, f)| owns(f));
        let Some((own_at, file)) = own else {
            return Err(refusal.unwrap_or_else(|| EditError::NotEditable(format!(
                "{} has no values file of {}'s own: add one to its Argo CD Application's helm.valueFiles (or set {key} in its helm.parameters) first.",
                w.id, self.state.environments[env].name
            ))));
        };
        // A value set after that file (a later file, the Application itself) would still win.
        if let Some(current) = current {
            let set_at = w.files.iter().position(|f| *f == current.value.source.file);
            if set_at.is_none_or(|i| i >= own_at) {
                return Err(refusal.unwrap_or_else(|| {
                    EditError::NotEditable(format!(
                        "The {what} of {} is set in {}, which overrides {file}; change it there.",
                        w.id, current.value.source.file
                    ))
                }));
            }
        }
        let file = file.clone();
        let parsed = self.parse(&file)?;
        let text = yaml::upsert(&parsed, 0, &key_path(key), new_value(value, quoted))
            .map_err(|e| edit_error(&file, e))?;
        self.write(&file, text);
        Ok(())
    }

    fn write(&mut self, path: &str, text: String) {
        self.texts.insert(path.to_owned(), text);
    }

    fn parse(&self, path: &str) -> Result<yaml::YamlFile, EditError> {
        let text = self
            .current(path)
            .ok_or_else(|| EditError::NotEditable(format!("{path} does not exist.")))?;
        yaml::parse(path, &text).map_err(yaml_error)
    }

    fn set_helm(
        &mut self,
        env: usize,
        w: &WorkloadState,
        key: &str,
        value: &str,
        quoted: bool,
    ) -> Result<(), EditError> {
        let file = w
            .files
            .iter()
            .find(|f| self.state.environments[env].paths.contains(f))
            .cloned()
            .ok_or_else(|| {
                EditError::NotEditable(format!(
                    "{} has no values file for {}.",
                    w.id, self.state.environments[env].name
                ))
            })?;
        let parsed = self.parse(&file)?;
        let text = yaml::upsert(&parsed, 0, &key_path(key), new_value(value, quoted))
            .map_err(|e| edit_error(&file, e))?;
        self.write(&file, text);
        Ok(())
    }

    fn set_kustomize_image(
        &mut self,
        env: usize,
        w: &WorkloadState,
        container: Option<&str>,
        tag: &str,
    ) -> Result<(), EditError> {
        let c = match container {
            Some(name) => w.containers.iter().find(|c| c.name == name),
            None => w.containers.first(),
        }
        .ok_or_else(|| EditError::UnknownWorkload {
            env: self.state.environments[env].name.clone(),
            workload: format!("{} container {}", w.id, container.unwrap_or("")),
        })?;
        if c.image.source.path.contains(ARGO_KUSTOMIZE_IMAGES) {
            // An Argo CD Application's `kustomize.images` overrides the overlay: change it there.
            let name = c.name.clone();
            if let Some(refusal) = self.not_own(env, w, "image", &c.image.source, |x| {
                x.containers
                    .iter()
                    .find(|y| y.name == name)
                    .map(|y| &y.image)
            }) {
                return Err(refusal);
            }
            let parsed = self.parse(&c.image.source.file)?;
            let path = yaml::parse_path(&c.image.source.path).map_err(EditError::NotEditable)?;
            let raw = (0..parsed.documents().len())
                .filter_map(|d| parsed.get(d, &path))
                .find(|n| tree::line(n) == c.image.source.line)
                .and_then(|n| n.as_str())
                .ok_or_else(|| {
                    EditError::NotEditable(format!(
                        "{} no longer has {}; reload and try again.",
                        c.image.source.file, c.image.source.path
                    ))
                })?;
            let (old, new) = match raw.split_once('=') {
                Some((old, new)) => (format!("{old}="), new),
                None => (String::new(), raw),
            };
            let sep = if tag.starts_with("sha256:") { '@' } else { ':' };
            let entry = format!("{old}{}{sep}{tag}", split_image(new).0);
            let source = c.image.source.clone();
            return self.set_at(&source, yaml::NewValue::Str(&entry));
        }
        let dir = self.overlay(env).ok_or_else(|| {
            EditError::NotEditable(format!(
                "{} has no overlay folder of its own to override {} in.",
                self.state.environments[env].name, w.id
            ))
        })?;
        let file = self.kustomization(dir)?;
        let parsed = self.parse(&file)?;
        let (image_name, _) = split_image(&c.image.value);
        // The images entry that already names this image (by name or by newName), if any.
        let root = parsed.documents().first().cloned();
        let existing = root.as_ref().and_then(|root| {
            items(get(root, "images").unwrap_or(&crate::tree::EMPTY))
                .iter()
                .position(|i| {
                    str_at(i, &["name"]) == Some(image_name)
                        || str_at(i, &["newName"]) == Some(image_name)
                })
        });
        let text = match existing {
            Some(i) => yaml::upsert(
                &parsed,
                0,
                &[
                    PathSeg::Key("images".into()),
                    PathSeg::Index(i),
                    PathSeg::Key("newTag".into()),
                ],
                new_value(tag, true),
            ),
            None => yaml::append_item(
                &parsed,
                0,
                &[PathSeg::Key("images".into())],
                &[
                    ("name", new_value(image_name, true)),
                    ("newTag", new_value(tag, true)),
                ],
            ),
        }
        .map_err(|e| edit_error(&file, e))?;
        self.write(&file, text);
        Ok(())
    }

    fn set_kustomize_replicas(
        &mut self,
        env: usize,
        w: &WorkloadState,
        count: &str,
    ) -> Result<(), EditError> {
        if let Some(current) = w
            .replicas
            .as_ref()
            .filter(|r| r.source.path.contains(ARGO_KUSTOMIZE_REPLICAS))
        {
            // An Argo CD Application's `kustomize.replicas` overrides the overlay.
            if let Some(refusal) = self.not_own(env, w, "replica count", &current.source, |x| {
                x.replicas.as_ref()
            }) {
                return Err(refusal);
            }
            return self.set_at(&current.source, new_value(count, false));
        }
        let dir = self.overlay(env).ok_or_else(|| {
            EditError::NotEditable(format!(
                "{} has no overlay folder of its own.",
                self.state.environments[env].name
            ))
        })?;
        let file = self.kustomization(dir)?;
        let parsed = self.parse(&file)?;
        let root = parsed.documents().first().cloned();
        let existing = root.as_ref().and_then(|root| {
            items(get(root, "replicas").unwrap_or(&crate::tree::EMPTY))
                .iter()
                .position(|i| str_at(i, &["name"]) == Some(w.id.as_str()))
        });
        let text = match existing {
            Some(i) => yaml::upsert(
                &parsed,
                0,
                &[
                    PathSeg::Key("replicas".into()),
                    PathSeg::Index(i),
                    PathSeg::Key("count".into()),
                ],
                new_value(count, false),
            ),
            None => yaml::append_item(
                &parsed,
                0,
                &[PathSeg::Key("replicas".into())],
                &[
                    ("name", new_value(&w.id, true)),
                    ("count", new_value(count, false)),
                ],
            ),
        }
        .map_err(|e| edit_error(&file, e))?;
        self.write(&file, text);
        Ok(())
    }

    /// The planned edits, with unified diffs; files whose text did not change are left out.
    pub fn finish(self) -> Vec<FileEdit> {
        self.texts
            .into_iter()
            .filter_map(|(path, after)| {
                let before = self
                    .snapshot
                    .files
                    .get(&path)
                    .map(|t| t.to_string())
                    .unwrap_or_default();
                let creates = !self.snapshot.files.contains_key(&path);
                (before != after).then(|| FileEdit {
                    diff: unified_diff(&path, &before, &after),
                    path,
                    before,
                    after,
                    creates,
                    removes: false,
                })
            })
            .collect()
    }
}

pub use crate::yaml::unified_diff;

/// A promotion: the values that move and the edits that move them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Promotion {
    pub from: String,
    /// As asked: an environment, or a stage whose variants all receive it (`staging*`).
    pub to: String,
    /// The environments that receive it, in promotion order.
    pub targets: Vec<String>,
    /// One line per moved value: `api 1.4.2` (`api 1.4.2 → staging-eu` into several).
    pub moves: Vec<String>,
    pub edits: Vec<FileEdit>,
    /// A generated commit message that says what moved.
    pub message: String,
    /// The change branch it goes to.
    pub branch: String,
}

/// The environments `to` names: an environment; else every variant of the stage `to`
/// (`staging`, or `staging*` even when an environment is named `staging` too).
pub fn promotion_targets(state: &DesiredState, to: &str) -> Result<Vec<String>, EditError> {
    let group = |stage: &str| -> Vec<String> {
        state
            .environments
            .iter()
            .filter(|e| e.stage.as_deref() == Some(stage))
            .map(|e| e.name.clone())
            .collect()
    };
    if let Some(stage) = to.strip_suffix('*') {
        let members = group(stage);
        if !members.is_empty() {
            return Ok(members);
        }
    } else if state.environments.iter().any(|e| e.name == to) {
        return Ok(vec![to.to_owned()]);
    } else {
        let members = group(to);
        if !members.is_empty() {
            return Ok(members);
        }
    }
    Err(EditError::UnknownEnvironment(to.to_owned()))
}

/// Plans moving the image tags (and Helm image tags) of `workloads` (all, when empty) from one
/// environment into the own layer of the next one, or of every variant of the next stage
/// ([`promotion_targets`]; a variant that does not run a workload is passed over).
pub fn plan_promotion(
    state: &DesiredState,
    snapshot: &Snapshot,
    from: &str,
    to: &str,
    workloads: &[String],
) -> Result<Promotion, EditError> {
    let mut planner = Planner::new(state, snapshot);
    let f = planner.env_index(from)?;
    let targets = promotion_targets(state, to)?;
    let several = targets.len() > 1;
    let mut moves = Vec::new();
    let mut received = vec![false; state.workloads[f].len()];
    for target_env in &targets {
        let t = planner.env_index(target_env)?;
        for (i, source) in state.workloads[f].iter().enumerate() {
            if !workloads.is_empty() && !workloads.contains(&source.id) {
                continue;
            }
            let Some(target) = state.workloads[t]
                .iter()
                .find(|w| w.id == source.id && w.kind == source.kind)
            else {
                continue;
            };
            received[i] = true;
            let into = |m: String| {
                if several {
                    format!("{m} → {target_env}")
                } else {
                    m
                }
            };
            // A chart version moves with the workload (a Flux HelmRelease per cluster, a chart
            // per environment); one set in a file every environment shares has nothing to move.
            if let (Some(sv), Some(tv)) = (&source.chart_version, &target.chart_version) {
                if sv.value != tv.value && sv.source != tv.source {
                    planner.set(target_env, &source.id, &Field::ChartVersion, &sv.value)?;
                    moves.push(into(format!("{} chart {}", source.id, sv.value)));
                }
            }
            if source.kind == WorkloadKind::HelmRelease {
                continue;
            }
            for c in &source.containers {
                let Some(tc) = target.containers.iter().find(|x| x.name == c.name) else {
                    continue;
                };
                if tc.tag != c.tag && !c.tag.is_empty() {
                    planner.set(
                        target_env,
                        &source.id,
                        &Field::ImageTag {
                            container: Some(c.name.clone()),
                        },
                        &c.tag,
                    )?;
                    moves.push(into(if source.containers.len() > 1 {
                        format!("{} ({}) {}", source.id, c.name, c.tag)
                    } else {
                        format!("{} {}", source.id, c.tag)
                    }));
                }
            }
        }
    }
    if let Some(missing) = workloads
        .iter()
        .find(|w| !state.workloads[f].iter().any(|s| &s.id == *w))
    {
        return Err(EditError::UnknownWorkload {
            env: from.to_owned(),
            workload: missing.clone(),
        });
    }
    // A workload asked for by name that no target runs.
    if let Some((i, _)) = state.workloads[f]
        .iter()
        .enumerate()
        .find(|(i, s)| workloads.contains(&s.id) && !received[*i])
    {
        return Err(EditError::UnknownWorkload {
            env: targets.join(", "),
            workload: state.workloads[f][i].id.clone(),
        });
    }
    let edits = planner.finish();
    let stage = to.trim_end_matches('*');
    let label = if several {
        format!("{stage} ({})", targets.join(", "))
    } else {
        targets[0].clone()
    };
    let subject = match moves.as_slice() {
        [] => format!("promote {from} → {label}: nothing to move"),
        [one] if !several => format!("promote {one} → {label}"),
        many if several => format!(
            "promote {from} → {stage}: {} value(s) into {} environments",
            many.len(),
            targets.len()
        ),
        many => format!("promote {} workloads {from} → {label}", many.len()),
    };
    let body: String = moves.iter().map(|m| format!("- {m}\n")).collect();
    let slug: String = match moves.as_slice() {
        [one] if !several => one.replace([' ', '(', ')'], "-"),
        _ => format!("{}-workloads", moves.len()),
    };
    Ok(Promotion {
        from: from.to_owned(),
        to: to.to_owned(),
        message: if moves.len() > 1 {
            format!("{subject}\n\n{body}")
        } else {
            subject
        },
        branch: format!("change/promote-{}-{stage}", slug.trim_matches('-')),
        targets,
        moves,
        edits,
    })
}

/// Whether a value shown comes from the environment's own files: edits go there.
pub fn is_override(layer: Layer) -> bool {
    layer == Layer::Environment
}

/// Writes planned edits under `root` with the one writer ([`crate::yaml::write_files`]): every
/// file must still hold the text it was planned from, and a file an edit creates must still not
/// exist (else nothing is written); each is replaced atomically, and a file an edit removes is
/// deleted last.
pub fn apply(root: &Path, edits: &[FileEdit]) -> Result<(), EditError> {
    let writes: Vec<crate::yaml::FileWrite<'_>> = edits
        .iter()
        .map(|e| crate::yaml::FileWrite {
            path: &e.path,
            before: (!e.creates).then_some(e.before.as_str()),
            after: (!e.removes).then_some(e.after.as_str()),
        })
        .collect();
    crate::yaml::write_files(root, &writes).map_err(|err| match err {
        crate::yaml::WriteError::Changed { path, .. } => EditError::Conflict(path),
        crate::yaml::WriteError::OutsideRoot { path } => EditError::Io {
            message: "it is not a path inside the repository".into(),
            path,
        },
        crate::yaml::WriteError::Io { path, message } => EditError::Io { path, message },
    })
}
