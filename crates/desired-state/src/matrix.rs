//! The environment matrix and environment comparison: pure views over a [`DesiredState`].

use crate::model::*;
use serde::Serialize;
use ts_rs::TS;

/// What one cell of the matrix shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Cell {
    /// Image tags, one per container, in container order.
    pub tags: Vec<String>,
    pub replicas: Option<String>,
    pub chart_version: Option<String>,
    /// Whether this cell runs a different version (image tags, chart version) than the same
    /// workload in the previous environment. Replica counts differ by design and do not count.
    pub differs_from_previous: bool,
    /// Whether any shown value is set in the environment's own layer (not inherited).
    pub overridden: bool,
    /// What Wheelhouse did not evaluate and may change what this cell shows (a remote base,
    /// `helmCharts`, a Flux variable with no value…), each `file:line: why`.
    pub not_evaluated: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MatrixRow {
    pub id: String,
    pub kind: WorkloadKind,
    /// One per environment, `None` where the workload does not run there.
    pub cells: Vec<Option<Cell>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Matrix {
    pub environments: Vec<EnvironmentInfo>,
    pub rows: Vec<MatrixRow>,
    pub other_files: Vec<String>,
    pub problems: Vec<Problem>,
}

fn cell_of(w: &WorkloadState, problems: &[&Problem]) -> Cell {
    let overridden = w
        .containers
        .iter()
        .map(|c| &c.image.source)
        .chain(w.replicas.iter().map(|r| &r.source))
        .chain(w.chart_version.iter().map(|c| &c.source))
        .any(|s| s.layer == Layer::Environment);
    Cell {
        tags: w.containers.iter().map(|c| c.tag.clone()).collect(),
        replicas: w.replicas.as_ref().map(|r| r.value.clone()),
        chart_version: w.chart_version.as_ref().map(|c| c.value.clone()),
        differs_from_previous: false,
        overridden,
        not_evaluated: problems
            .iter()
            .filter(|p| {
                p.message
                    .starts_with(crate::resolve::kustomize::NOT_EVALUATED)
            })
            .filter(|p| w.files.iter().any(|f| f == &p.file))
            .map(|p| {
                let why = &p.message[crate::resolve::kustomize::NOT_EVALUATED.len()..];
                match p.line {
                    Some(l) => format!("{}:{l}: {why}", p.file),
                    None => format!("{}: {why}", p.file),
                }
            })
            .collect(),
    }
}

fn same_version(a: &Cell, b: &Cell) -> bool {
    a.tags == b.tags && a.chart_version == b.chart_version
}

/// Rows are workloads (by kind, then id), columns environments in promotion order.
pub fn matrix(state: &DesiredState) -> Matrix {
    let mut ids: Vec<(WorkloadKind, String)> = state
        .workloads
        .iter()
        .flatten()
        .map(|w| (w.kind, w.id.clone()))
        .collect();
    ids.sort();
    ids.dedup();
    let not_evaluated: Vec<&Problem> = state
        .problems
        .iter()
        .filter(|p| {
            p.message
                .starts_with(crate::resolve::kustomize::NOT_EVALUATED)
        })
        .collect();
    let rows = ids
        .into_iter()
        .map(|(kind, id)| {
            let mut cells: Vec<Option<Cell>> = state
                .workloads
                .iter()
                .map(|env| {
                    // Each environment's workloads are sorted by kind, then id.
                    env.binary_search_by(|w| (w.kind, w.id.as_str()).cmp(&(kind, id.as_str())))
                        .ok()
                        .or_else(|| env.iter().position(|w| w.kind == kind && w.id == id))
                        .map(|i| cell_of(&env[i], &not_evaluated))
                })
                .collect();
            for i in 1..cells.len() {
                let differs = match (&cells[i - 1], &cells[i]) {
                    (Some(prev), Some(cur)) => !same_version(prev, cur),
                    _ => false,
                };
                if let Some(c) = cells[i].as_mut() {
                    c.differs_from_previous = differs;
                }
            }
            MatrixRow { id, kind, cells }
        })
        .collect();
    Matrix {
        environments: state.environments.clone(),
        rows,
        other_files: state.other_files.clone(),
        problems: state.problems.clone(),
    }
}

/// One value that differs between two environments, with where each side sets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Difference {
    pub workload: String,
    /// `image api`, `replicas`, `env LOG_LEVEL (api)`, `chart version`, `value image.tag`,
    /// `label environment`…
    pub field: String,
    pub left: Option<Sourced>,
    pub right: Option<Sourced>,
}

/// Every value that differs between two environments, both sides with provenance.
pub fn compare(state: &DesiredState, a: usize, b: usize) -> Vec<Difference> {
    let mut out = Vec::new();
    let empty = Vec::new();
    let left = state.workloads.get(a).unwrap_or(&empty);
    let right = state.workloads.get(b).unwrap_or(&empty);
    let mut ids: Vec<(WorkloadKind, &str)> = left
        .iter()
        .chain(right.iter())
        .map(|w| (w.kind, w.id.as_str()))
        .collect();
    ids.sort();
    ids.dedup();
    for (kind, id) in ids {
        let l = left.iter().find(|w| w.kind == kind && w.id == id);
        let r = right.iter().find(|w| w.kind == kind && w.id == id);
        let fields = |w: Option<&WorkloadState>| -> Vec<(String, Sourced)> {
            let Some(w) = w else { return Vec::new() };
            let mut f = Vec::new();
            for c in &w.containers {
                f.push((format!("image {}", c.name), c.image.clone()));
                for e in &c.env {
                    f.push((format!("env {} ({})", e.name, c.name), e.value.clone()));
                }
                for res in &c.resources {
                    f.push((
                        format!("resources {} ({})", res.name, c.name),
                        res.value.clone(),
                    ));
                }
            }
            if let Some(r) = &w.replicas {
                f.push(("replicas".into(), r.clone()));
            }
            if let Some(v) = &w.chart_version {
                f.push(("chart version".into(), v.clone()));
            }
            for v in &w.values {
                f.push((format!("value {}", v.name), v.value.clone()));
            }
            for l in &w.labels {
                f.push((format!("label {}", l.name), l.value.clone()));
            }
            f
        };
        let lf = fields(l);
        let rf = fields(r);
        let mut names: Vec<&String> = lf.iter().chain(rf.iter()).map(|(n, _)| n).collect();
        names.sort();
        names.dedup();
        for name in names {
            let lv = lf.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
            let rv = rf.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
            if lv.as_ref().map(|v| &v.value) != rv.as_ref().map(|v| &v.value) {
                out.push(Difference {
                    workload: id.to_owned(),
                    field: name.clone(),
                    left: lv,
                    right: rv,
                });
            }
        }
    }
    out
}
