//! What the resolver produces: environments, workloads and their effective values, each with
//! the place it was set (provenance), plus what could not be understood.

use serde::Serialize;
use ts_rs::TS;
use wheelhouse_diagnostics::ErrorCode;

/// Where a value was set: file, YAML path, line. `layer` says whether it comes from a shared
/// base or from the environment's own layer (where an edit would go).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Provenance {
    pub file: String,
    /// Dotted path inside the document, e.g. `images[0].newTag`.
    pub path: String,
    pub line: u32,
    pub layer: Layer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    /// Shared by several environments (a Kustomize base, chart defaults).
    Base,
    /// The environment's own files (an overlay, `values-<env>.yaml`).
    Environment,
}

/// A value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Sourced {
    pub value: String,
    pub source: Provenance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WorkloadKind {
    Deployment,
    StatefulSet,
    DaemonSet,
    CronJob,
    HelmValues,
    HelmRelease,
    /// An Argo CD `Application` (or one element of an `ApplicationSet`) that renders a Helm
    /// chart: its chart version, values and parameters.
    ArgoApplication,
}

/// One container of a workload, as it runs in one environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ContainerState {
    pub name: String,
    /// The full image reference (`registry/name:tag` or `@digest`).
    pub image: Sourced,
    /// The tag (or digest) alone, for the matrix.
    pub tag: String,
    pub env: Vec<NamedValue>,
    /// `requests.cpu`, `limits.memory`, …
    pub resources: Vec<NamedValue>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct NamedValue {
    pub name: String,
    pub value: Sourced,
}

/// One workload as it runs in one environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct WorkloadState {
    /// The stable id across environments (the name before prefixes and suffixes).
    pub id: String,
    pub kind: WorkloadKind,
    /// The name as deployed (after `namePrefix`/`nameSuffix`).
    pub name: String,
    pub namespace: Option<String>,
    pub replicas: Option<Sourced>,
    pub containers: Vec<ContainerState>,
    /// Helm: the chart version; Flux: `spec.chart.spec.version`.
    pub chart_version: Option<Sourced>,
    /// Helm values (flattened `a.b.c` keys), merged in order.
    pub values: Vec<NamedValue>,
    /// The workload's `metadata.labels` with Kustomize `commonLabels` and `labels[].pairs`
    /// merged over them (outermost kustomization last), each with where it was set.
    pub labels: Vec<NamedValue>,
    /// Every file that contributed, base first.
    pub files: Vec<String>,
}

/// One environment, in promotion order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct EnvironmentInfo {
    pub name: String,
    pub protected: bool,
    /// The folders and files that make this environment (its layers).
    pub paths: Vec<String>,
    /// Where it comes from, one line per mechanism naming it ("Flux Kustomization `apps` in
    /// clusters/staging/apps.yaml → ./apps/staging").
    pub sources: Vec<String>,
    /// The stage it is a variant of, shared with the other variants (`staging` for
    /// `staging-eu` beside `staging-us`); none when no other environment has its stage.
    pub stage: Option<String>,
}

/// A problem with a location, shown next to the matrix (which still shows everything else).
/// Its code is from the one list; the three codes of what reading found but is not wrong
/// ([`ErrorCode::NotEvaluated`], [`ErrorCode::NoEffect`], [`ErrorCode::UnknownField`]) are
/// warnings when made by [`Problem::new`], every other code an error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Problem {
    pub code: ErrorCode,
    pub file: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
    pub severity: Severity,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

impl Problem {
    pub fn new(
        code: ErrorCode,
        file: impl Into<String>,
        line: Option<u32>,
        column: Option<u32>,
        message: impl Into<String>,
    ) -> Problem {
        Problem {
            code,
            file: file.into(),
            line,
            column,
            message: message.into(),
            severity: Severity::of(code),
        }
    }
}

impl Severity {
    /// A warning for what reading found but is not wrong, an error for the rest.
    pub fn of(code: ErrorCode) -> Severity {
        match code {
            ErrorCode::NotEvaluated | ErrorCode::NoEffect | ErrorCode::UnknownField => {
                Severity::Warning
            }
            _ => Severity::Error,
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{}:{l}:{c}: {}", self.file, self.message),
            (Some(l), None) => write!(f, "{}:{l}: {}", self.file, self.message),
            _ => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// The effective desired state of every workload in every environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DesiredState {
    pub environments: Vec<EnvironmentInfo>,
    /// `workloads[e]` are the workloads of `environments[e]`, by id.
    pub workloads: Vec<Vec<WorkloadState>>,
    /// YAML files no environment uses and no rule understood: listed, never hidden.
    pub other_files: Vec<String>,
    pub problems: Vec<Problem>,
}
