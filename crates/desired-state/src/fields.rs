//! What a change does to the desired state, field by field: judged on the resolved state before
//! and after, not on text, so automated approval rules can say "only image tags moved".

use crate::model::DesiredState;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChangedField {
    ImageTag,
    Replicas,
    ChartVersion,
    /// Anything else: env vars, resources, values, a workload added or removed.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FieldChange {
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
        let Some(b) = before.environments.iter().position(|x| x.name == env.name) else {
            out.push(FieldChange {
                env: env.name.clone(),
                workload: String::new(),
                field: ChangedField::Other,
                from: None,
                to: Some("new environment".into()),
            });
            continue;
        };
        let old = &before.workloads[b];
        let new = &after.workloads[e];
        for w in new {
            let Some(o) = old.iter().find(|x| x.id == w.id && x.kind == w.kind) else {
                out.push(FieldChange {
                    env: env.name.clone(),
                    workload: w.id.clone(),
                    field: ChangedField::Other,
                    from: None,
                    to: Some("added".into()),
                });
                continue;
            };
            let mut push = |field, from: Option<String>, to: Option<String>| {
                if from != to {
                    out.push(FieldChange {
                        env: env.name.clone(),
                        workload: w.id.clone(),
                        field,
                        from,
                        to,
                    });
                }
            };
            for c in &w.containers {
                let oc = o.containers.iter().find(|x| x.name == c.name);
                push(
                    ChangedField::ImageTag,
                    oc.map(|x| x.tag.clone()),
                    Some(c.tag.clone()),
                );
                let (name_old, name_new) = (
                    oc.map(|x| crate::resolve::split_image(&x.image.value).0.to_owned()),
                    Some(crate::resolve::split_image(&c.image.value).0.to_owned()),
                );
                push(ChangedField::Other, name_old, name_new);
                let env_of = |x: &crate::model::ContainerState| {
                    x.env
                        .iter()
                        .map(|v| (v.name.clone(), v.value.value.clone()))
                        .collect::<Vec<_>>()
                };
                let res_of = |x: &crate::model::ContainerState| {
                    x.resources
                        .iter()
                        .map(|v| (v.name.clone(), v.value.value.clone()))
                        .collect::<Vec<_>>()
                };
                if oc.map(env_of) != Some(env_of(c)) || oc.map(res_of) != Some(res_of(c)) {
                    push(
                        ChangedField::Other,
                        Some("env or resources".into()),
                        Some("changed".into()),
                    );
                }
            }
            push(
                ChangedField::Replicas,
                o.replicas.as_ref().map(|r| r.value.clone()),
                w.replicas.as_ref().map(|r| r.value.clone()),
            );
            push(
                ChangedField::ChartVersion,
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
            if values(o) != values(w) {
                push(
                    ChangedField::Other,
                    Some("values".into()),
                    Some("changed".into()),
                );
            }
        }
        for o in old {
            if !new.iter().any(|x| x.id == o.id && x.kind == o.kind) {
                out.push(FieldChange {
                    env: env.name.clone(),
                    workload: o.id.clone(),
                    field: ChangedField::Other,
                    from: Some("present".into()),
                    to: None,
                });
            }
        }
    }
    out
}
