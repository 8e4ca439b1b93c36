//! Kustomize patches written inline (`patches[].patch`, `patchesStrategicMerge` strings) apply
//! like patch files, with provenance at the line inside the block scalar; patch targets select
//! by kind and labels; labels (`metadata.labels`, `commonLabels`, `labels[].pairs`) are
//! resolved with where each is set.

mod common;

use common::{at, open, repo, workload};
use std::path::Path;
use wheelhouse_desired_state::{Layer, Severity, Sourced, Workspace};

fn named<'a>(list: &'a [wheelhouse_desired_state::NamedValue], name: &str) -> &'a Sourced {
    &list
        .iter()
        .find(|v| v.name == name)
        .unwrap_or_else(|| panic!("no {name} in {list:?}"))
        .value
}

const BASE_K: &str = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\ncommonLabels:\n  app.kubernetes.io/part-of: shop\nresources:\n  - api.yaml\n  - web.yaml\n  - worker.yaml\n";

fn deployment(name: &str, tier: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  labels:\n    tier: {tier}\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n        - name: {name}\n          image: registry.example/{name}:1.0\n          env:\n            - name: LOG_LEVEL\n              value: info\n          resources:\n            requests:\n              cpu: 100m\n"
    )
}

const PROD_K: &str = "\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../base
patches:
  - patch: |-
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: api
      spec:
        replicas: 3
        template:
          spec:
            containers:
              - name: api
                image: registry.example/api:2.0
                env:
                  - name: LOG_LEVEL
                    value: warn
                resources:
                  limits:
                    memory: 1Gi
  - target:
      kind: Deployment
      name: api
    patch: |-
      - op: replace
        path: /spec/template/spec/containers/0/resources/requests/cpu
        value: 500m
      - op: add
        path: /metadata/labels/release
        value: canary
patchesStrategicMerge:
  - |-
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: api
      labels:
        tier: edge
labels:
  - pairs:
      environment: prod
";

fn shop(prod: &str) -> tempfile::TempDir {
    let (api, web, worker) = (
        deployment("api", "backend"),
        deployment("web", "frontend"),
        deployment("worker", "backend"),
    );
    repo(&[
        ("base/kustomization.yaml", BASE_K),
        ("base/api.yaml", &api),
        ("base/web.yaml", &web),
        ("base/worker.yaml", &worker),
        (
            "overlays/dev/kustomization.yaml",
            "resources:\n  - ../../base\n",
        ),
        ("overlays/prod/kustomization.yaml", prod),
    ])
}

#[test]
fn inline_patches_apply_like_patch_files_with_the_line_inside_the_block() {
    let dir = shop(PROD_K);
    let ws = open(dir.path());
    assert!(ws.state().problems.is_empty(), "{:?}", ws.state().problems);
    let k = "overlays/prod/kustomization.yaml";
    let api = workload(&ws, "prod", "api");
    assert_eq!(
        at(api.replicas.as_ref().unwrap()),
        (
            "3",
            k,
            "patches[0].patch > spec.replicas",
            12,
            Layer::Environment
        )
    );
    let c = &api.containers[0];
    assert_eq!(c.tag, "2.0");
    assert_eq!(
        at(&c.image),
        (
            "registry.example/api:2.0",
            k,
            "patches[0].patch > spec.template.spec.containers[0].image",
            17,
            Layer::Environment
        )
    );
    assert_eq!(
        at(named(&c.env, "LOG_LEVEL")),
        (
            "warn",
            k,
            "patches[0].patch > spec.template.spec.containers[0].env[0].value",
            20,
            Layer::Environment
        )
    );
    assert_eq!(named(&c.resources, "limits.memory").source.line, 23);
    // The JSON 6902 patch, aimed by its target.
    assert_eq!(
        at(named(&c.resources, "requests.cpu")),
        (
            "500m",
            k,
            "patches[1].patch > [0].value",
            30,
            Layer::Environment
        )
    );
    // Labels: the workload's own, a JSON patch, an inline strategic merge, the overlay's pairs
    // and the base's commonLabels.
    assert_eq!(
        at(named(&api.labels, "tier")),
        (
            "edge",
            k,
            "patchesStrategicMerge[0] > metadata.labels.tier",
            41,
            Layer::Environment
        )
    );
    assert_eq!(named(&api.labels, "release").source.line, 33);
    assert_eq!(
        at(named(&api.labels, "environment")),
        (
            "prod",
            k,
            "labels[0].pairs.environment",
            44,
            Layer::Environment
        )
    );
    assert_eq!(
        at(named(&api.labels, "app.kubernetes.io/part-of")),
        (
            "shop",
            "base/kustomization.yaml",
            "commonLabels[\"app.kubernetes.io/part-of\"]",
            4,
            Layer::Base
        )
    );
    // dev has none of it: everything inherited from the base.
    let dev = workload(&ws, "dev", "api");
    assert_eq!(
        at(named(&dev.labels, "tier")),
        (
            "backend",
            "base/api.yaml",
            "metadata.labels.tier",
            6,
            Layer::Base
        )
    );
    assert_eq!(dev.containers[0].tag, "1.0");
    assert!(dev.replicas.as_ref().unwrap().source.layer == Layer::Base);
    // Patches touch only their target.
    assert_eq!(workload(&ws, "prod", "web").containers[0].tag, "1.0");
}

#[test]
fn targets_select_by_kind_labels_and_patterns_as_kustomize_does() {
    let prod = "\
resources:
  - ../../base
patches:
  - target:
      kind: Deployment
      labelSelector: tier=backend
    patch: |
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: any
      spec:
        replicas: 2
  - target:
      name: w.*
    patch: |
      - op: replace
        path: /spec/replicas
        value: 9
  - target:
      kind: StatefulSet
    patch: |
      - op: replace
        path: /spec/replicas
        value: 7
  - target:
      name: web
    patch: |
      - op: remove
        path: /spec/template/spec/containers/0/env
";
    let dir = shop(prod);
    let ws = open(dir.path());
    let replicas = |id: &str| {
        workload(&ws, "prod", id)
            .replicas
            .as_ref()
            .unwrap()
            .value
            .clone()
    };
    assert_eq!(replicas("api"), "2");
    // `w.*` is an anchored pattern: web and worker, not api.
    assert_eq!(replicas("worker"), "9");
    assert_eq!(replicas("web"), "9");
    assert!(workload(&ws, "prod", "web").containers[0].env.is_empty());
    assert_eq!(workload(&ws, "prod", "api").containers[0].env.len(), 1);
    let k = "overlays/prod/kustomization.yaml";
    let problems: Vec<String> = ws
        .state()
        .problems
        .iter()
        .map(|p| {
            assert_eq!((p.file.as_str(), p.severity), (k, Severity::Warning));
            p.to_string()
        })
        .collect();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].starts_with(&format!("{k}:21:"))
            && problems[0].contains("(kind=StatefulSet) matches no resource"),
        "{problems:?}"
    );
}

#[test]
fn an_inline_patch_that_is_not_yaml_is_an_error_at_its_line() {
    let prod = "resources:\n  - ../../base\npatches:\n  - patch: |\n      kind: Deployment\n      metadata: {name: api\n      spec: {}\n";
    let dir = shop(prod);
    let ws = open(dir.path());
    let p = ws
        .state()
        .problems
        .iter()
        .find(|p| p.file == "overlays/prod/kustomization.yaml")
        .expect("a problem");
    assert_eq!(p.severity, Severity::Error);
    assert!(
        p.message.contains("patches[0].patch is not valid YAML"),
        "{p}"
    );
    // Line 7 of the file is where the unclosed `{name: api` is found.
    assert_eq!(p.line, Some(7), "{p}");
    // The rest still resolves.
    assert_eq!(workload(&ws, "prod", "api").containers[0].tag, "1.0");
}

#[test]
fn the_demo_resolves_labels_from_manifests_bases_and_overlays() {
    let dir = tempfile::tempdir().unwrap();
    let demo = wheelhouse_demo::create(&dir.path().join("demo")).unwrap();
    let ws = Workspace::open(Path::new(&demo.repo)).unwrap();
    let api = workload(&ws, "prod", "api");
    let labels: Vec<(&str, &str, Layer)> = api
        .labels
        .iter()
        .map(|l| {
            (
                l.name.as_str(),
                l.value.source.file.as_str(),
                l.value.source.layer,
            )
        })
        .collect();
    assert_eq!(
        labels,
        vec![
            ("app.kubernetes.io/name", "base/api.yaml", Layer::Base),
            (
                "app.kubernetes.io/part-of",
                "base/kustomization.yaml",
                Layer::Base
            ),
            (
                "environment",
                "overlays/prod/kustomization.yaml",
                Layer::Environment
            ),
        ]
    );
    assert_eq!(named(&api.labels, "environment").value, "prod");
    assert!(ws.state().problems.is_empty(), "{:?}", ws.state().problems);
}

#[test]
fn a_label_change_is_a_change_and_a_difference() {
    use wheelhouse_desired_state::fields::{field_changes, ChangedField};
    use wheelhouse_desired_state::workspace::{resolve_snapshot, snapshot_from_bytes};
    let files = |env_label: &str| {
        let (api, web, worker) = (
            deployment("api", "backend"),
            deployment("web", "frontend"),
            deployment("worker", "backend"),
        );
        let prod = PROD_K.replace("environment: prod", &format!("environment: {env_label}"));
        [
            ("base/kustomization.yaml", BASE_K.to_owned()),
            ("base/api.yaml", api),
            ("base/web.yaml", web),
            ("base/worker.yaml", worker),
            (
                "overlays/dev/kustomization.yaml",
                "resources:\n  - ../../base\n".to_owned(),
            ),
            ("overlays/prod/kustomization.yaml", prod),
        ]
        .into_iter()
        .map(|(p, t)| (p.to_owned(), t.into_bytes()))
        .collect()
    };
    let before = resolve_snapshot(&snapshot_from_bytes(files("prod")));
    let after = resolve_snapshot(&snapshot_from_bytes(files("production")));
    let changes = field_changes(&before, &after);
    assert_eq!(changes.len(), 3, "one per workload: {changes:?}");
    assert!(changes.iter().all(|c| c.env == "prod"
        && c.field == ChangedField::Other
        && c.key.as_deref() == Some("metadata.labels.environment")
        && (c.from.as_deref(), c.to.as_deref()) == (Some("prod"), Some("production"))));
    let prod = after
        .environments
        .iter()
        .position(|e| e.name == "prod")
        .unwrap();
    let diffs = wheelhouse_desired_state::matrix::compare(&after, 0, prod);
    let env_label = diffs
        .iter()
        .find(|d| d.workload == "api" && d.field == "label environment")
        .expect("label difference");
    assert_eq!(env_label.left, None);
    assert_eq!(env_label.right.as_ref().unwrap().value, "production");
}
