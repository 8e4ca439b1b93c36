//! What a change does, environment by environment: the two sides resolved and rendered, and
//! compared. A base file that changes prod is a prod change; a comment is no change at all.
//!
//! Pure over two [`Snapshot`]s (the merge base and the head): reading them from Git is the
//! caller's job. Both sides are judged with the **base's** `.wheelhouse/config.yaml`, so a
//! change cannot remap the environments it is judged by; a change that edits what defines
//! environments is reported in [`Effect::redefining`] for the policy to treat as the strictest.

use crate::fields::{self, object_key, object_label, same, FieldChange, RenderedObjects};
use crate::layout::WorkspaceConfig;
use crate::model::{DesiredState, Problem, Severity};
use crate::render::Value;
use crate::resolve::{ParseCache, Rendered, Resolution, Snapshot};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use ts_rs::TS;

/// How one environment fares under a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EffectStatus {
    /// It renders exactly as before.
    Unaffected,
    Changed,
    /// The change creates it.
    Added,
    /// The change makes it disappear (a folder renamed, an Application deleted).
    Removed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ResourceStatus {
    Added,
    Removed,
    Changed,
}

/// One rendered object that differs, with the unified diff of its YAML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ResourceDiff {
    /// `Deployment shop-prod/api`.
    pub resource: String,
    pub status: ResourceStatus,
    /// `--- base` / `+++ head` unified diff of the object as `kustomize build` prints it.
    pub diff: String,
}

/// What the change does to one environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct EnvironmentEffect {
    pub env: String,
    pub status: EffectStatus,
    /// The changed files this environment reads (before or after the change): how the change
    /// reaches it.
    pub via: Vec<String>,
    pub fields: Vec<FieldChange>,
    /// The rendered objects that differ, in render order.
    pub resources: Vec<ResourceDiff>,
}

/// What a change does to every environment.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Effect {
    /// Every environment of either side, in the head's promotion order (removed ones last).
    pub environments: Vec<EnvironmentEffect>,
    /// The changed files that define environments (`.wheelhouse/config.yaml`, Argo CD
    /// Applications, Flux Kustomizations, Kargo Stages): the change may move what the rules
    /// protect.
    pub redefining: Vec<String>,
    /// Errors the head has that the base does not: the head does not render as written.
    pub problems: Vec<Problem>,
    /// The base's environments (the head's are in `after`).
    #[serde(skip)]
    #[ts(skip)]
    pub before_environments: Vec<crate::model::EnvironmentInfo>,
    /// The head's desired state.
    #[serde(skip)]
    #[ts(skip)]
    pub after: DesiredState,
}

impl Effect {
    /// The environments the change affects (changed, added or removed).
    pub fn affected(&self) -> impl Iterator<Item = &EnvironmentEffect> {
        self.environments
            .iter()
            .filter(|e| e.status != EffectStatus::Unaffected)
    }

    /// Every field change, all environments.
    pub fn fields(&self) -> impl Iterator<Item = &FieldChange> {
        self.environments.iter().flat_map(|e| e.fields.iter())
    }
}

/// The renders of the base's environments made so far, by environment index: many changes
/// that start at the same base share them.
pub type BaseRenders = std::collections::HashMap<usize, Rendered>;

/// The effect of changing `base` (already resolved as `before`) into `head`, where `changed`
/// lists the files that differ. The head is judged with `config`, the base's environment
/// mapping, whatever the head says. `kept` holds the base's renders made so far.
pub fn of_change(
    base: &Snapshot,
    before: &Resolution,
    config: Option<&WorkspaceConfig>,
    head: &Snapshot,
    changed: &[String],
    cache: &mut ParseCache,
    kept: &mut BaseRenders,
) -> Effect {
    let after = before.updated(head, cache, config, changed);
    compare(base, before, head, after, changed, cache, kept)
}

/// The effect between two resolutions already made (`after` judged with the base's config),
/// reusing and adding to the base's renders in `kept`.
fn compare(
    base: &Snapshot,
    before: &Resolution,
    head: &Snapshot,
    after: Resolution,
    changed: &[String],
    cache: &mut ParseCache,
    kept: &mut BaseRenders,
) -> Effect {
    let changed_set: BTreeSet<&str> = changed.iter().map(String::as_str).collect();
    let shared_hit = changed
        .iter()
        .any(|c| before.shared_reads().contains(c) || after.shared_reads().contains(c));
    let via = |r: &Resolution, i: usize| -> BTreeSet<String> {
        r.reads(i)
            .iter()
            .chain(r.shared_reads().iter())
            .filter(|f| changed_set.contains(f.as_str()))
            .cloned()
            .collect()
    };
    let names_before: Vec<&str> = before
        .state
        .environments
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    // First which environments could differ (they read a changed file, or their definition
    // moved); then both sides of those are rendered, on every core.
    enum Plan {
        Added,
        Unaffected,
        Compare { b: usize, reach: BTreeSet<String> },
    }
    let plans: Vec<Plan> = after
        .state
        .environments
        .iter()
        .enumerate()
        .map(|(h, env)| {
            let Some(b) = names_before.iter().position(|n| *n == env.name) else {
                return Plan::Added;
            };
            let mut reach = via(before, b);
            reach.extend(via(&after, h));
            if !reach.is_empty() || shared_hit || before.spec(b) != after.spec(h) {
                Plan::Compare { b, reach }
            } else {
                Plan::Unaffected
            }
        })
        .collect();
    let pairs: Vec<(usize, usize)> = plans
        .iter()
        .enumerate()
        .filter_map(|(h, p)| match p {
            Plan::Compare { b, .. } => Some((*b, h)),
            _ => None,
        })
        .collect();
    let bs: Vec<usize> = pairs.iter().map(|p| p.0).collect();
    let hs: Vec<usize> = pairs.iter().map(|p| p.1).collect();
    let missing: Vec<usize> = bs
        .iter()
        .copied()
        .filter(|b| !kept.contains_key(b))
        .collect();
    for (b, r) in missing
        .iter()
        .zip(before.render_many(base, cache, &missing))
    {
        kept.insert(*b, r);
    }
    // Both sides of every compared environment, compared on every core.
    let rendered_after = after.render_many(head, cache, &hs);
    let jobs: Vec<(usize, usize, &Rendered)> = pairs
        .iter()
        .zip(&rendered_after)
        .map(|(&(b, h), rh)| (b, h, rh))
        .collect();
    let kept_ref: &BaseRenders = kept;
    let mut compared = crate::resolve::on_cores(&jobs, |part| {
        part.iter()
            .map(|&(b, h, rh)| {
                let rb = &kept_ref[&b];
                let fields = fields::environment_changes(
                    &after.state.environments[h].name,
                    &before.state.workloads[b],
                    &after.state.workloads[h],
                    (
                        &RenderedObjects {
                            objects: &rb.objects,
                            ids: &rb.ids,
                        },
                        &RenderedObjects {
                            objects: &rh.objects,
                            ids: &rh.ids,
                        },
                    ),
                );
                (fields, resource_diffs(&rb.objects, &rh.objects))
            })
            .collect::<Vec<_>>()
    })
    .into_iter()
    .flatten();
    let mut environments = Vec::new();
    for ((h, env), plan) in after.state.environments.iter().enumerate().zip(plans) {
        let reach = match plan {
            Plan::Added => {
                environments.push(EnvironmentEffect {
                    env: env.name.clone(),
                    status: EffectStatus::Added,
                    via: via(&after, h).into_iter().collect(),
                    fields: Vec::new(),
                    resources: whole(&after.render(head, cache, h).objects, ResourceStatus::Added),
                });
                continue;
            }
            Plan::Unaffected => {
                environments.push(unaffected(&env.name));
                continue;
            }
            Plan::Compare { reach, .. } => reach,
        };
        let (fields, resources) = compared
            .next()
            .expect("one comparison per compared environment");
        let status = if fields.is_empty() && resources.is_empty() {
            EffectStatus::Unaffected
        } else {
            EffectStatus::Changed
        };
        environments.push(EnvironmentEffect {
            env: env.name.clone(),
            status,
            via: if status == EffectStatus::Unaffected {
                Vec::new()
            } else {
                reach.into_iter().collect()
            },
            fields,
            resources,
        });
    }
    for (b, env) in before.state.environments.iter().enumerate() {
        if after.environment(&env.name).is_none() {
            environments.push(EnvironmentEffect {
                env: env.name.clone(),
                status: EffectStatus::Removed,
                via: via(before, b).into_iter().collect(),
                fields: Vec::new(),
                resources: whole(
                    &before.render(base, cache, b).objects,
                    ResourceStatus::Removed,
                ),
            });
        }
    }
    let redefining = changed
        .iter()
        .filter(|c| before.defines_environments(c) || after.defines_environments(c))
        .cloned()
        .collect();
    let known: BTreeSet<(String, Option<u32>, String)> = before
        .state
        .problems
        .iter()
        .map(|p| (p.file.clone(), p.line, p.message.clone()))
        .collect();
    let problems = after
        .state
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .filter(|p| !known.contains(&(p.file.clone(), p.line, p.message.clone())))
        .cloned()
        .collect();
    Effect {
        environments,
        redefining,
        problems,
        before_environments: before.state.environments.clone(),
        after: after.state,
    }
}

fn unaffected(env: &str) -> EnvironmentEffect {
    EnvironmentEffect {
        env: env.to_owned(),
        status: EffectStatus::Unaffected,
        via: Vec::new(),
        fields: Vec::new(),
        resources: Vec::new(),
    }
}

fn whole(objects: &[Value], status: ResourceStatus) -> Vec<ResourceDiff> {
    objects
        .iter()
        .map(|o| {
            let yaml = crate::render::emit::to_yaml(std::slice::from_ref(o));
            let (b, h) = match status {
                ResourceStatus::Added => (String::new(), yaml),
                _ => (yaml, String::new()),
            };
            ResourceDiff {
                resource: object_label(o),
                status,
                diff: unified(&b, &h),
            }
        })
        .collect()
}

/// The objects that differ between two renders, as unified diffs of their YAML.
pub fn resource_diffs(before: &[Value], after: &[Value]) -> Vec<ResourceDiff> {
    let old: BTreeMap<String, &Value> = before.iter().map(|o| (object_key(o), o)).collect();
    let new_keys: BTreeSet<String> = after.iter().map(object_key).collect();
    let emit = |o: &Value| crate::render::emit::to_yaml(std::slice::from_ref(o));
    let mut out = Vec::new();
    for o in after {
        match old.get(&object_key(o)) {
            Some(b) if same(b, o) => {}
            Some(b) => out.push(ResourceDiff {
                resource: object_label(o),
                status: ResourceStatus::Changed,
                diff: unified(&emit(b), &emit(o)),
            }),
            None => out.push(ResourceDiff {
                resource: object_label(o),
                status: ResourceStatus::Added,
                diff: unified("", &emit(o)),
            }),
        }
    }
    for o in before {
        if !new_keys.contains(&object_key(o)) {
            out.push(ResourceDiff {
                resource: object_label(o),
                status: ResourceStatus::Removed,
                diff: unified(&emit(o), ""),
            });
        }
    }
    out
}

fn unified(before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header("base", "head")
        .to_string()
}
