//! Helm, values-level: what a chart's templates decide is marked "not evaluated" on the cell;
//! a Flux HelmRelease's chartRef may name a source in another folder; a valuesFrom source that
//! is missing or unreadable is a located warning; replicas are the chart's own `replicaCount`.

mod common;

use common::{env_index, open, repo, workload};
use wheelhouse_desired_state::{matrix, Severity, Workspace};

fn release(extra: &str) -> String {
    format!("apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\n  namespace: apps\nspec:\n  interval: 10m\n{extra}")
}

fn overlay_with(files: &[&str]) -> String {
    let mut k = String::from("resources:\n");
    for f in files {
        k.push_str(&format!("  - {f}\n"));
    }
    k
}

fn problems_with<'a>(
    ws: &'a Workspace,
    needle: &str,
) -> Vec<&'a wheelhouse_desired_state::Problem> {
    ws.state()
        .problems
        .iter()
        .filter(|p| p.message.contains(needle))
        .collect()
}

#[test]
fn replicas_are_the_charts_own_replica_count_never_a_subcharts() {
    let only_sub = release("  chart:\n    spec:\n      chart: podinfo\n      version: 6.5.0\n  values:\n    redis:\n      replicaCount: 5\n");
    let both = release("  chart:\n    spec:\n      chart: podinfo\n      version: 6.5.0\n  values:\n    replicaCount: 2\n    redis:\n      replicaCount: 5\n");
    let dir = repo(&[
        (
            "overlays/dev/kustomization.yaml",
            overlay_with(&["release.yaml"]).as_str(),
        ),
        ("overlays/dev/release.yaml", only_sub.as_str()),
        (
            "overlays/prod/kustomization.yaml",
            overlay_with(&["release.yaml"]).as_str(),
        ),
        ("overlays/prod/release.yaml", both.as_str()),
    ]);
    let ws = open(dir.path());
    assert_eq!(workload(&ws, "dev", "podinfo").replicas, None);
    assert_eq!(
        workload(&ws, "prod", "podinfo")
            .replicas
            .as_ref()
            .unwrap()
            .value,
        "2"
    );
}

#[test]
fn a_chart_ref_to_a_source_in_another_folder_gives_the_version_and_a_missing_one_is_marked() {
    let oci = "apiVersion: source.toolkit.fluxcd.io/v1beta2\nkind: OCIRepository\nmetadata:\n  name: podinfo\n  namespace: apps\nspec:\n  interval: 10m\n  url: oci://ghcr.io/stefanprodan/charts/podinfo\n  ref:\n    semver: 6.7.1\n";
    let with_ref = release("  chartRef:\n    kind: OCIRepository\n    name: podinfo\n");
    let missing = release("  chartRef:\n    kind: HelmChart\n    name: elsewhere\n");
    let dir = repo(&[
        ("infrastructure/sources/podinfo.yaml", oci),
        (
            "overlays/dev/kustomization.yaml",
            overlay_with(&["release.yaml"]).as_str(),
        ),
        ("overlays/dev/release.yaml", with_ref.as_str()),
        (
            "overlays/prod/kustomization.yaml",
            overlay_with(&["release.yaml"]).as_str(),
        ),
        ("overlays/prod/release.yaml", missing.as_str()),
    ]);
    let ws = open(dir.path());
    let dev = workload(&ws, "dev", "podinfo");
    let v = dev
        .chart_version
        .as_ref()
        .expect("the OCIRepository's semver");
    assert_eq!(
        (v.value.as_str(), v.source.file.as_str(), v.source.line),
        ("6.7.1", "infrastructure/sources/podinfo.yaml", 10)
    );
    assert_eq!(workload(&ws, "prod", "podinfo").chart_version, None);
    let p = problems_with(
        &ws,
        "chartRef HelmChart elsewhere is not defined in this repository",
    );
    assert_eq!(p.len(), 1, "{:?}", ws.state().problems);
    assert_eq!(
        (p[0].file.as_str(), p[0].line, p[0].severity),
        ("overlays/prod/release.yaml", Some(9), Severity::Warning)
    );
    assert!(p[0].message.starts_with("not evaluated: "));
}

#[test]
fn a_values_from_source_that_is_missing_or_unreadable_is_a_located_warning() {
    let values_from = release(
        "  chart:\n    spec:\n      chart: podinfo\n      version: 6.5.0\n  valuesFrom:\n    - kind: ConfigMap\n      name: absent\n    - kind: ConfigMap\n      name: absent-but-optional\n      optional: true\n    - kind: ConfigMap\n      name: broken\n    - kind: Secret\n      name: keyless\n      valuesKey: prod.yaml\n",
    );
    let broken = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\n  namespace: apps\ndata:\n  values.yaml: |\n    image: [unclosed\n";
    let keyless = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: keyless\n  namespace: apps\ndata:\n  other.yaml: eDogMQo=\n";
    let dir = repo(&[
        (
            "overlays/dev/kustomization.yaml",
            overlay_with(&["release.yaml", "broken.yaml", "keyless.yaml"]).as_str(),
        ),
        ("overlays/dev/release.yaml", values_from.as_str()),
        ("overlays/dev/broken.yaml", broken),
        ("overlays/dev/keyless.yaml", keyless),
    ]);
    let before = wheelhouse_testsupport::snapshot(dir.path());
    let ws = Workspace::open(dir.path()).unwrap();
    let absent = problems_with(&ws, "valuesFrom ConfigMap absent is not in this build");
    assert_eq!(absent.len(), 1, "{:?}", ws.state().problems);
    assert_eq!(
        (absent[0].file.as_str(), absent[0].line, absent[0].severity),
        ("overlays/dev/release.yaml", Some(13), Severity::Warning)
    );
    assert!(problems_with(&ws, "absent-but-optional").is_empty());
    let broken = problems_with(
        &ws,
        "valuesFrom ConfigMap broken key values.yaml is not valid YAML",
    );
    assert_eq!(
        (broken[0].file.as_str(), broken[0].line),
        ("overlays/dev/broken.yaml", Some(7))
    );
    let keyless = problems_with(&ws, "valuesFrom Secret keyless has no key prod.yaml");
    assert_eq!(keyless[0].line, Some(20));
    // The release is still shown with what could be read.
    assert_eq!(
        workload(&ws, "dev", "podinfo")
            .chart_version
            .as_ref()
            .unwrap()
            .value,
        "6.5.0"
    );
    assert_eq!(
        before,
        wheelhouse_testsupport::snapshot(dir.path()),
        "nothing written"
    );
}

#[test]
fn what_a_charts_templates_decide_is_marked_on_the_cell() {
    let dir = repo(&[
        (
            "charts/api/Chart.yaml",
            "apiVersion: v2\nname: api\nversion: 1.2.0\nappVersion: 3.4.5\n",
        ),
        (
            "charts/api/values.yaml",
            "image:\n  repository: registry.example/api\n",
        ),
        ("charts/api/values-dev.yaml", "replicaCount: 1\n"),
        (
            "charts/api/values-prod.yaml",
            "replicaCount: 3\nimage:\n  tag: 3.4.0\n",
        ),
        (
            "charts/api/templates/deployment.yaml",
            "kind: Deployment\nspec:\n  replicas: {{ .Values.replicaCount }}\n",
        ),
    ]);
    let ws = open(dir.path());
    let m = matrix::matrix(ws.state());
    let row = m.rows.iter().find(|r| r.id == "api").expect("api row");
    let dev = row.cells[env_index(&ws, "dev")].as_ref().unwrap();
    assert_eq!(dev.tags, vec![""]);
    assert_eq!(dev.not_evaluated.len(), 1, "{:?}", dev.not_evaluated);
    assert!(
        dev.not_evaluated[0].contains("chart templates are not rendered: the image tag (the chart's templates decide it, commonly its appVersion 3.4.5) of api are not shown"),
        "{}",
        dev.not_evaluated[0]
    );
    let prod = row.cells[env_index(&ws, "prod")].as_ref().unwrap();
    assert_eq!(prod.tags, vec!["3.4.0"]);
    assert!(prod.not_evaluated.is_empty(), "{:?}", prod.not_evaluated);
}
