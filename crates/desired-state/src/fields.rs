//! What a change does to the desired state, field by field: judged on the resolved state before
//! and after, not on text, so automated approval rules can say "only image tags moved".

use crate::model::DesiredState;
use crate::resolve::split_image;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChangedField {
    ImageTag,
    Replicas,
    ChartVersion,
    /// Anything else: env vars, resources, values, labels, a workload added or removed.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FieldChange {
    /// The file that sets the new value (the old one, for a removal; empty when unknown).
    pub path: String,
    pub env: String,
    pub workload: String,
    pub field: ChangedField,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// Every field that differs between two resolutions of the same repository.
pub fn field_changes(before: &DesiredState, after: &DesiredState) -> Vec<FieldChange> {
    let mut out = Vec::new();
    for (e, env) in after.environments.iter().enumerate() {
        let change =
            |path: &str, workload: &str, field, from: Option<String>, to: Option<String>| {
                FieldChange {
                    path: path.to_owned(),
                    env: env.name.clone(),
                    workload: workload.to_owned(),
                    field,
                    from,
                    to,
                }
            };
        let Some(b) = before.environments.iter().position(|x| x.name == env.name) else {
            out.push(change(
                "",
                "",
                ChangedField::Other,
                None,
                Some("new environment".into()),
            ));
            continue;
        };
        let old = &before.workloads[b];
        let new = &after.workloads[e];
        for w in new {
            let last_file = w.files.last().cloned().unwrap_or_default();
            let Some(o) = old.iter().find(|x| x.id == w.id && x.kind == w.kind) else {
                out.push(change(
                    &last_file,
                    &w.id,
                    ChangedField::Other,
                    None,
                    Some("added".into()),
                ));
                continue;
            };
            let mut push = |field, path: &str, from: Option<String>, to: Option<String>| {
                if from != to {
                    out.push(change(path, &w.id, field, from, to));
                }
            };
            for c in &w.containers {
                let oc = o.containers.iter().find(|x| x.name == c.name);
                let file = c.image.source.file.clone();
                push(
                    ChangedField::ImageTag,
                    &file,
                    oc.map(|x| x.tag.clone()),
                    Some(c.tag.clone()),
                );
                push(
                    ChangedField::Other,
                    &file,
                    oc.map(|x| split_image(&x.image.value).0.to_owned()),
                    Some(split_image(&c.image.value).0.to_owned()),
                );
                let pairs = |list: &[crate::model::NamedValue]| {
                    list.iter()
                        .map(|v| (v.name.clone(), v.value.value.clone()))
                        .collect::<Vec<_>>()
                };
                if oc.map(|x| (pairs(&x.env), pairs(&x.resources)))
                    != Some((pairs(&c.env), pairs(&c.resources)))
                {
                    push(
                        ChangedField::Other,
                        &last_file,
                        Some("env or resources".into()),
                        Some("changed".into()),
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
                o.chart_version.as_ref().map(|r| r.value.clone()),
                w.chart_version.as_ref().map(|r| r.value.clone()),
            );
            let values = |x: &crate::model::WorkloadState| {
                x.values
                    .iter()
                    .filter(|v| {
                        v.name != "image.tag"
                            && v.name != "replicaCount"
                            && !v.name.ends_with(".replicaCount")
                    })
                    .map(|v| (v.name.clone(), v.value.value.clone()))
                    .collect::<Vec<_>>()
            };
            let labels = |x: &crate::model::WorkloadState| {
                x.labels
                    .iter()
                    .map(|v| (v.name.clone(), v.value.value.clone()))
                    .collect::<Vec<_>>()
            };
            if labels(o) != labels(w) {
                push(
                    ChangedField::Other,
                    &last_file,
                    Some("labels".into()),
                    Some("changed".into()),
                );
            }
            if values(o) != values(w) {
                push(
                    ChangedField::Other,
                    &last_file,
                    Some("values".into()),
                    Some("changed".into()),
                );
            }
        }
        for o in old {
            if !new.iter().any(|x| x.id == o.id && x.kind == o.kind) {
                let file = o.files.last().cloned().unwrap_or_default();
                out.push(change(
                    &file,
                    &o.id,
                    ChangedField::Other,
                    Some("present".into()),
                    None,
                ));
            }
        }
    }
    out
}
