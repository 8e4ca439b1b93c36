//! What a change does to the desired state, field by field: judged on what each environment
//! renders to (and, for what is not rendered — Helm values beside a chart, Argo CD Helm
//! applications, shared HelmReleases — on the resolved workloads), never on the text of the
//! files, so approval rules can say "only image tags moved" and mean it.
//!
//! Pure: two resolutions (and their renders) in, a list of `(environment, workload, field,
//! before → after)` out. Whatever is not an image tag, replicas, an environment variable, a
//! container resource, a chart version or a Helm value is `other`, with the resource and the
//! JSON path, and is never auto-approvable.

use crate::model::{DesiredState, WorkloadState};
use crate::render::{Data, Value};
use crate::resolve::split_image;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChangedField {
    ImageTag,
    Replicas,
    ChartVersion,
    /// One environment variable of one container, by name (`key`).
    Env,
    /// One resource request or limit (`key`: `limits.cpu`, `requests.memory`).
    Resources,
    /// One Helm value, by key path (`key`: `service.port`).
    HelmValue,
    /// Anything else: the resource and the JSON path are in `resource` and `key`.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(rename = "RenderedFieldChange")]
pub struct FieldChange {
    /// The file that sets the new value (the old one, for a removal; empty when unknown).
    pub path: String,
    pub env: String,
    pub workload: String,
    pub field: ChangedField,
    /// Which one: the variable's name, the resource key, the values key path, the container of
    /// an image, or the JSON path of an `other` change.
    pub key: Option<String>,
    /// The object, as `Kind name` (`Deployment api`), for changes read off the render.
    pub resource: Option<String>,
    /// `None` when the value did not exist before (or no longer exists after).
    pub from: Option<String>,
    pub to: Option<String>,
    /// [`FieldChange::describe`], for the faces.
    pub summary: String,
}

impl FieldChange {
    /// In words: `api, env FEATURE_NEW_CART false → true`.
    pub fn describe(&self) -> String {
        let from = self.from.as_deref().unwrap_or("unset");
        let to = self.to.as_deref().unwrap_or("unset");
        let key = self.key.as_deref().unwrap_or("");
        let what = match self.field {
            ChangedField::ImageTag if !key.is_empty() && key != self.workload => {
                format!("image tag of container {key}")
            }
            ChangedField::ImageTag => "image tag".to_owned(),
            ChangedField::Replicas => "replicas".to_owned(),
            ChangedField::ChartVersion => "chart version".to_owned(),
            ChangedField::Env => format!("env {key}"),
            ChangedField::Resources => format!("resources {key}"),
            ChangedField::HelmValue => format!("value {key}"),
            ChangedField::Other => match (&self.resource, key) {
                (Some(r), "") => r.clone(),
                (Some(r), k) => format!("{r} {k}"),
                (None, "") => "workload".to_owned(),
                (None, k) => k.to_owned(),
            },
        };
        let subject = if self.workload.is_empty() {
            String::new()
        } else {
            format!("{}, ", self.workload)
        };
        match (&self.from, &self.to) {
            (None, Some(_)) if self.field == ChangedField::Other && key.is_empty() => {
                format!("{subject}{what} added")
            }
            (Some(_), None) if self.field == ChangedField::Other && key.is_empty() => {
                format!("{subject}{what} removed")
            }
            _ => format!("{subject}{what} {from} → {to}"),
        }
    }
}

/// What one environment renders to, as far as the comparison needs it.
#[derive(Debug)]
pub struct RenderedObjects<'a> {
    pub objects: &'a [Value],
    /// The workload id (the name as written) of each object.
    pub ids: &'a [String],
}

/// The field changes of one environment between two states. `before`/`after` are its
/// workloads; `rendered` its objects on each side. Workloads the render holds are judged on the
/// render; the others (Helm values, Argo CD Helm applications, HelmReleases shared by every
/// environment) on the resolved workloads.
pub fn environment_changes(
    env: &str,
    before: &[WorkloadState],
    after: &[WorkloadState],
    rendered: (&RenderedObjects<'_>, &RenderedObjects<'_>),
) -> Vec<FieldChange> {
    let mut out = Vec::new();
    render_changes(env, rendered.0, rendered.1, &mut out);
    let in_render: HashSet<&str> = rendered
        .0
        .ids
        .iter()
        .chain(rendered.1.ids.iter())
        .map(String::as_str)
        .collect();
    let keep = |w: &&WorkloadState| !in_render.contains(w.id.as_str());
    let before: Vec<&WorkloadState> = before.iter().filter(keep).collect();
    let after: Vec<&WorkloadState> = after.iter().filter(keep).collect();
    workload_changes(env, &before, &after, &mut out);
    described(out)
}

fn described(mut list: Vec<FieldChange>) -> Vec<FieldChange> {
    for f in &mut list {
        f.summary = f.describe();
    }
    list
}

/// Every field that differs between two resolutions, judged on the resolved workloads only
/// (no render): for callers that have no render at hand.
pub fn field_changes(before: &DesiredState, after: &DesiredState) -> Vec<FieldChange> {
    let mut out = Vec::new();
    for (e, env) in after.environments.iter().enumerate() {
        let Some(b) = before.environments.iter().position(|x| x.name == env.name) else {
            out.push(FieldChange {
                path: String::new(),
                env: env.name.clone(),
                workload: String::new(),
                field: ChangedField::Other,
                key: None,
                resource: Some(format!("environment {}", env.name)),
                from: None,
                to: Some("new environment".into()),
                summary: String::new(),
            });
            continue;
        };
        let old: Vec<&WorkloadState> = before.workloads[b].iter().collect();
        let new: Vec<&WorkloadState> = after.workloads[e].iter().collect();
        workload_changes(&env.name, &old, &new, &mut out);
    }
    described(out)
}

fn workload_changes(
    env: &str,
    old: &[&WorkloadState],
    new: &[&WorkloadState],
    out: &mut Vec<FieldChange>,
) {
    let change = |path: &str,
                  workload: &str,
                  field,
                  key: Option<&str>,
                  from: Option<String>,
                  to: Option<String>| FieldChange {
        path: path.to_owned(),
        env: env.to_owned(),
        workload: workload.to_owned(),
        field,
        key: key.map(str::to_owned),
        resource: None,
        from,
        to,
        summary: String::new(),
    };
    for w in new {
        let last_file = w.files.last().cloned().unwrap_or_default();
        let Some(o) = old.iter().find(|x| x.id == w.id && x.kind == w.kind) else {
            out.push(change(
                &last_file,
                &w.id,
                ChangedField::Other,
                None,
                None,
                Some("present".into()),
            ));
            continue;
        };
        let mut push = |field, path: &str, key: Option<&str>, from: Option<String>, to| {
            if from != to {
                out.push(change(path, &w.id, field, key, from, to));
            }
        };
        for c in &w.containers {
            let oc = o.containers.iter().find(|x| x.name == c.name);
            let file = c.image.source.file.as_str();
            let key = Some(c.name.as_str());
            push(
                ChangedField::ImageTag,
                file,
                key,
                oc.map(|x| x.tag.clone()),
                Some(c.tag.clone()),
            );
            push(
                ChangedField::Other,
                file,
                Some(&format!("containers[name={}].image", c.name)),
                oc.map(|x| split_image(&x.image.value).0.to_owned()),
                Some(split_image(&c.image.value).0.to_owned()),
            );
            for (field, list, old_list) in [
                (ChangedField::Env, &c.env, oc.map(|x| &x.env)),
                (
                    ChangedField::Resources,
                    &c.resources,
                    oc.map(|x| &x.resources),
                ),
            ] {
                for v in list {
                    let before = old_list
                        .and_then(|l| l.iter().find(|x| x.name == v.name))
                        .map(|x| x.value.value.clone());
                    push(
                        field,
                        &v.value.source.file,
                        Some(&v.name),
                        before,
                        Some(v.value.value.clone()),
                    );
                }
                for v in old_list.into_iter().flatten() {
                    if !list.iter().any(|x| x.name == v.name) {
                        push(
                            field,
                            &v.value.source.file,
                            Some(&v.name),
                            Some(v.value.value.clone()),
                            None,
                        );
                    }
                }
            }
        }
        for oc in &o.containers {
            if !w.containers.iter().any(|c| c.name == oc.name) {
                push(
                    ChangedField::Other,
                    &last_file,
                    Some(&format!("containers[name={}]", oc.name)),
                    Some("present".into()),
                    None,
                );
            }
        }
        let rfile = w
            .replicas
            .as_ref()
            .or(o.replicas.as_ref())
            .map(|r| r.source.file.clone())
            .unwrap_or_default();
        push(
            ChangedField::Replicas,
            &rfile,
            None,
            o.replicas.as_ref().map(|r| r.value.clone()),
            w.replicas.as_ref().map(|r| r.value.clone()),
        );
        let cfile = w
            .chart_version
            .as_ref()
            .or(o.chart_version.as_ref())
            .map(|r| r.source.file.clone())
            .unwrap_or_default();
        push(
            ChangedField::ChartVersion,
            &cfile,
            None,
            o.chart_version.as_ref().map(|r| r.value.clone()),
            w.chart_version.as_ref().map(|r| r.value.clone()),
        );
        // The image tag and replica count of a chart are read into the fields above.
        let classified = |name: &str| {
            name == "image.tag" || name == "replicaCount" || name == "spec.values.replicaCount"
        };
        for (field, list, old_list, prefix) in [
            (ChangedField::HelmValue, &w.values, &o.values, ""),
            (
                ChangedField::Other,
                &w.labels,
                &o.labels,
                "metadata.labels.",
            ),
        ] {
            let old_map: BTreeMap<&str, &crate::model::NamedValue> =
                old_list.iter().map(|v| (v.name.as_str(), v)).collect();
            let new_map: BTreeMap<&str, &crate::model::NamedValue> =
                list.iter().map(|v| (v.name.as_str(), v)).collect();
            for (name, v) in &new_map {
                if field == ChangedField::HelmValue && classified(name) {
                    continue;
                }
                push(
                    field,
                    &v.value.source.file,
                    Some(&format!("{prefix}{name}")),
                    old_map.get(name).map(|x| x.value.value.clone()),
                    Some(v.value.value.clone()),
                );
            }
            for (name, v) in &old_map {
                if !(new_map.contains_key(name)
                    || (field == ChangedField::HelmValue && classified(name)))
                {
                    push(
                        field,
                        &v.value.source.file,
                        Some(&format!("{prefix}{name}")),
                        Some(v.value.value.clone()),
                        None,
                    );
                }
            }
        }
    }
    for o in old {
        if !new.iter().any(|x| x.id == o.id && x.kind == o.kind) {
            let file = o.files.last().cloned().unwrap_or_default();
            out.push(change(
                &file,
                &o.id,
                ChangedField::Other,
                None,
                Some("present".into()),
                None,
            ));
        }
    }
}

/// A step of a JSON path: a key, a list item found by its `name`, or a list index.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Key(String),
    Name(String),
    Index(usize),
}

fn path_text(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Name(n) => s.push_str(&format!("[name={n}]")),
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// `Kind/namespace/name`: how objects of two renders are paired.
pub fn object_key(o: &Value) -> String {
    format!(
        "{}/{}/{}",
        o.str_at(&["kind"]).unwrap_or(""),
        o.str_at(&["metadata", "namespace"]).unwrap_or(""),
        o.str_at(&["metadata", "name"]).unwrap_or("")
    )
}

/// `Deployment api`, or `Deployment shop-prod/api` with a namespace.
pub fn object_label(o: &Value) -> String {
    let kind = o.str_at(&["kind"]).unwrap_or("object");
    let name = o.str_at(&["metadata", "name"]).unwrap_or("?");
    match o.str_at(&["metadata", "namespace"]) {
        Some(ns) => format!("{kind} {ns}/{name}"),
        None => format!("{kind} {name}"),
    }
}

/// Whether two values are equal, provenance and map order aside.
pub fn same(a: &Value, b: &Value) -> bool {
    match (&a.data, &b.data) {
        // One shared tree (both sides built from the same parse, neither wrote there).
        (Data::Map(x), Data::Map(y)) if std::sync::Arc::ptr_eq(x, y) => true,
        (Data::Seq(x), Data::Seq(y)) if std::sync::Arc::ptr_eq(x, y) => true,
        (Data::Map(x), Data::Map(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| b.get(k).is_some_and(|w| same(v, w)))
        }
        (Data::Seq(x), Data::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(v, w)| same(v, w))
        }
        (x, y) => x == y,
    }
}

fn render_changes(
    env: &str,
    before: &RenderedObjects<'_>,
    after: &RenderedObjects<'_>,
    out: &mut Vec<FieldChange>,
) {
    let old: BTreeMap<String, usize> = before
        .objects
        .iter()
        .enumerate()
        .map(|(i, o)| (object_key(o), i))
        .collect();
    let mut seen = HashSet::new();
    for (i, o) in after.objects.iter().enumerate() {
        let key = object_key(o);
        let id = after.ids.get(i).cloned().unwrap_or_default();
        let kind = o.str_at(&["kind"]).unwrap_or("");
        match old.get(&key) {
            Some(&j) => {
                seen.insert(j);
                let b = &before.objects[j];
                if same(b, o) {
                    continue;
                }
                let mut leaves = Vec::new();
                diff(Some(b), Some(o), &mut Vec::new(), &mut leaves);
                for (path, from, to) in leaves {
                    out.push(classify(env, &id, kind, o, &path, from, to));
                }
            }
            None => out.push(FieldChange {
                path: first_file(o).unwrap_or_default(),
                env: env.to_owned(),
                workload: id,
                field: ChangedField::Other,
                key: None,
                resource: Some(object_label(o)),
                from: None,
                to: Some("present".into()),
                summary: String::new(),
            }),
        }
    }
    for (j, o) in before.objects.iter().enumerate() {
        if !seen.contains(&j) {
            out.push(FieldChange {
                path: first_file(o).unwrap_or_default(),
                env: env.to_owned(),
                workload: before.ids.get(j).cloned().unwrap_or_default(),
                field: ChangedField::Other,
                key: None,
                resource: Some(object_label(o)),
                from: Some("present".into()),
                to: None,
                summary: String::new(),
            });
        }
    }
}

type Leaf<'a> = (Vec<Seg>, Option<&'a Value>, Option<&'a Value>);

/// The smallest differing subtrees of `a` and `b`, with their paths.
fn diff<'a>(
    a: Option<&'a Value>,
    b: Option<&'a Value>,
    path: &mut Vec<Seg>,
    out: &mut Vec<Leaf<'a>>,
) {
    match (a, b) {
        (Some(x), Some(y)) if same(x, y) => {}
        (Some(x), Some(y)) => match (&x.data, &y.data) {
            (Data::Map(xm), Data::Map(ym)) => {
                for (k, v) in ym.iter() {
                    path.push(Seg::Key(k.clone()));
                    diff(x.get(k), Some(v), path, out);
                    path.pop();
                }
                for (k, v) in xm.iter() {
                    if y.get(k).is_none() {
                        path.push(Seg::Key(k.clone()));
                        diff(Some(v), None, path, out);
                        path.pop();
                    }
                }
            }
            (Data::Seq(xs), Data::Seq(ys)) => match (named(xs), named(ys)) {
                (Some(xn), Some(yn)) => {
                    for (name, v) in &yn {
                        path.push(Seg::Name((*name).to_owned()));
                        diff(
                            xn.iter().find(|(n, _)| n == name).map(|(_, v)| *v),
                            Some(v),
                            path,
                            out,
                        );
                        path.pop();
                    }
                    for (name, v) in &xn {
                        if !yn.iter().any(|(n, _)| n == name) {
                            path.push(Seg::Name((*name).to_owned()));
                            diff(Some(v), None, path, out);
                            path.pop();
                        }
                    }
                }
                _ if xs.len() == ys.len() => {
                    for (i, (v, w)) in xs.iter().zip(ys.iter()).enumerate() {
                        path.push(Seg::Index(i));
                        diff(Some(v), Some(w), path, out);
                        path.pop();
                    }
                }
                _ => out.push((path.clone(), a, b)),
            },
            _ => out.push((path.clone(), a, b)),
        },
        (None, None) => {}
        _ => out.push((path.clone(), a, b)),
    }
}

/// The items by their `name`, when every item is a map with a unique string `name`.
fn named(items: &[Value]) -> Option<Vec<(&str, &Value)>> {
    if items.is_empty() {
        return None;
    }
    let mut out: Vec<(&str, &Value)> = Vec::with_capacity(items.len());
    for v in items {
        let name = v.str_at(&["name"])?;
        if out.iter().any(|(n, _)| *n == name) {
            return None;
        }
        out.push((name, v));
    }
    Some(out)
}

fn text(v: Option<&Value>) -> Option<String> {
    let v = v?;
    if let Some(s) = v.scalar_text() {
        return Some(s);
    }
    if matches!(v.data, Data::Null) {
        return Some("null".into());
    }
    let s = v.to_json().to_string();
    Some(if s.chars().count() > 120 {
        let cut: String = s.chars().take(117).collect();
        format!("{cut}…")
    } else {
        s
    })
}

fn first_file(v: &Value) -> Option<String> {
    if let Some(src) = &v.src {
        return Some(src.file.to_string());
    }
    match &v.data {
        Data::Map(m) => m.iter().find_map(|(_, v)| first_file(v)),
        Data::Seq(s) => s.iter().find_map(first_file),
        _ => None,
    }
}

const WORKLOAD_KINDS: [&str; 7] = [
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "Job",
    "CronJob",
    "Pod",
];

fn classify(
    env: &str,
    id: &str,
    kind: &str,
    object: &Value,
    path: &[Seg],
    from: Option<&Value>,
    to: Option<&Value>,
) -> FieldChange {
    let file = to
        .and_then(first_file)
        .or_else(|| from.and_then(first_file))
        .unwrap_or_default();
    let keys: Vec<&str> = path
        .iter()
        .map(|s| match s {
            Seg::Key(k) => k.as_str(),
            _ => "",
        })
        .collect();
    let make = |field, key: String, from: Option<String>, to: Option<String>| FieldChange {
        path: file.clone(),
        env: env.to_owned(),
        workload: id.to_owned(),
        field,
        key: Some(key),
        resource: Some(object_label(object)),
        from,
        to,
        summary: String::new(),
    };
    let workload = WORKLOAD_KINDS.contains(&kind);
    // A container: `…containers[name=c]…`.
    let container = path.windows(2).position(|w| {
        matches!(&w[0], Seg::Key(k) if k == "containers" || k == "initContainers")
            && matches!(&w[1], Seg::Name(_))
    });
    if let (true, Some(at)) = (workload, container) {
        let Seg::Name(name) = &path[at + 1] else {
            unreachable!()
        };
        let rest = &path[at + 2..];
        match rest {
            [Seg::Key(k)] if k == "image" => {
                let (f, t) = (text(from), text(to));
                let repo = |s: &Option<String>| s.as_deref().map(|s| split_image(s).0.to_owned());
                if f.is_some() && t.is_some() && repo(&f) == repo(&t) {
                    let tag =
                        |s: &Option<String>| s.as_deref().map(|s| split_image(s).1.to_owned());
                    return make(ChangedField::ImageTag, name.clone(), tag(&f), tag(&t));
                }
            }
            [Seg::Key(k), Seg::Name(var), tail @ ..] if k == "env" => {
                let value = |v: Option<&Value>| -> Option<String> {
                    match tail {
                        [] => v.map(|v| match v.get("value") {
                            Some(x) => text(Some(x)).unwrap_or_default(),
                            None => text(v.get("valueFrom").or(Some(v))).unwrap_or_default(),
                        }),
                        [Seg::Key(k)] if k == "value" => text(v),
                        _ => text(v).map(|t| format!("{} {t}", path_text(tail))),
                    }
                };
                return make(ChangedField::Env, var.clone(), value(from), value(to));
            }
            [Seg::Key(k), tail @ ..]
                if k == "resources" && tail.iter().all(|s| matches!(s, Seg::Key(_))) =>
            {
                let key = if tail.is_empty() {
                    "resources".to_owned()
                } else {
                    path_text(tail)
                };
                return make(ChangedField::Resources, key, text(from), text(to));
            }
            _ => {}
        }
    }
    if workload && keys == ["spec", "replicas"] {
        return make(
            ChangedField::Replicas,
            "spec.replicas".into(),
            text(from),
            text(to),
        );
    }
    if kind == "HelmRelease" {
        if keys.len() > 2 && keys[..2] == ["spec", "values"] && keys.iter().all(|k| !k.is_empty()) {
            return make(
                ChangedField::HelmValue,
                keys[2..].join("."),
                text(from),
                text(to),
            );
        }
        if keys == ["spec", "chart", "spec", "version"] {
            return make(
                ChangedField::ChartVersion,
                "spec.chart.spec.version".into(),
                text(from),
                text(to),
            );
        }
    }
    if kind == "OCIRepository" && keys.len() == 3 && keys[..2] == ["spec", "ref"] {
        return make(
            ChangedField::ChartVersion,
            path_text(path),
            text(from),
            text(to),
        );
    }
    make(ChangedField::Other, path_text(path), text(from), text(to))
}
