//! Argo CD `Application` and `ApplicationSet`: which environment each makes or joins, what it
//! deploys (a Helm chart with its version and values, a Kustomize folder with the
//! Application's own overrides), provenance down to the line, what is not understood reported,
//! and chart version edits in the environment's own file (refused in shared ones).

mod common;

use common::{at, env_names, open, repo, workload};
use wheelhouse_desired_state::edit::{self, Field, Planner};
use wheelhouse_desired_state::{
    matrix, Layer, Severity, Sourced, WorkloadKind, WorkloadState, Workspace,
};

fn value<'a>(w: &'a WorkloadState, name: &str) -> &'a Sourced {
    &w.values
        .iter()
        .find(|v| v.name == name)
        .unwrap_or_else(|| panic!("no value {name} in {:?}", w.values))
        .value
}

fn plan(
    ws: &Workspace,
    env: &str,
    id: &str,
    field: Field,
    v: &str,
) -> Result<Vec<edit::FileEdit>, edit::EditError> {
    let mut planner = Planner::new(ws.state(), ws.snapshot());
    planner.set(env, id, &field, v)?;
    Ok(planner.finish())
}

fn apply(ws: &mut Workspace, edits: &[edit::FileEdit]) {
    edit::apply(ws.root(), edits).unwrap();
    let paths: Vec<String> = edits.iter().map(|e| e.path.clone()).collect();
    ws.refresh(&paths);
}

/// The changed lines of a diff, `-` and `+`.
fn changed(diff: &str) -> Vec<&str> {
    diff.lines()
        .filter(|l| {
            (l.starts_with('+') || l.starts_with('-'))
                && !l.starts_with("+++")
                && !l.starts_with("---")
        })
        .collect()
}

const API_DEV: &str = "\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: api-dev
  namespace: argocd
  labels:
    team: payments
spec:
  project: default
  source:
    repoURL: https://charts.example.com
    chart: api
    targetRevision: 1.2.0
    helm:
      valuesObject:
        image:
          repository: registry.example/api
        replicaCount: 1
      parameters:
        - name: image.tag
          value: \"1.4.2\"
  destination:
    server: https://kubernetes.default.svc
    namespace: shop-dev
";

const API_PROD: &str = "\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: api-prod
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://charts.example.com
    chart: api
    targetRevision: 1.1.0 # pinned until the migration is done
    helm:
      valueFiles:
        - values-prod.yaml
      values: |
        image:
          repository: registry.example/api
          tag: \"1.4.0\"
        replicaCount: 3
  destination:
    server: https://kubernetes.default.svc
    namespace: shop-prod
";

#[test]
fn applications_named_after_environments_make_them_and_resolve_their_chart() {
    let dir = repo(&[
        ("argocd/api-dev.yaml", API_DEV),
        ("argocd/api-prod.yaml", API_PROD),
    ]);
    let mut ws = open(dir.path());
    assert_eq!(env_names(&ws), vec!["dev", "prod"]);
    assert!(ws.state().environments[1].protected);
    assert_eq!(
        ws.state().environments[1].paths,
        vec!["argocd/api-prod.yaml"]
    );

    let dev = workload(&ws, "dev", "api");
    assert_eq!(dev.kind, WorkloadKind::ArgoApplication);
    assert_eq!(
        (dev.name.as_str(), dev.namespace.as_deref()),
        ("api-dev", Some("shop-dev"))
    );
    let f = "argocd/api-dev.yaml";
    assert_eq!(
        at(dev.chart_version.as_ref().unwrap()),
        (
            "1.2.0",
            f,
            "spec.source.targetRevision",
            13,
            Layer::Environment
        )
    );
    assert_eq!(
        at(value(dev, "image.tag")),
        (
            "1.4.2",
            f,
            "spec.source.helm.parameters[0].value",
            21,
            Layer::Environment
        )
    );
    assert_eq!(
        at(value(dev, "image.repository")),
        (
            "registry.example/api",
            f,
            "spec.source.helm.valuesObject.image.repository",
            17,
            Layer::Environment
        )
    );
    assert_eq!(dev.containers[0].image.value, "registry.example/api:1.4.2");
    assert_eq!(dev.replicas.as_ref().unwrap().source.line, 18);
    assert_eq!(
        at(&dev.labels[0].value),
        ("payments", f, "metadata.labels.team", 7, Layer::Environment)
    );

    // helm.values is YAML in a string: provenance points inside it.
    let prod = workload(&ws, "prod", "api");
    let f = "argocd/api-prod.yaml";
    assert_eq!(
        at(prod.chart_version.as_ref().unwrap()),
        (
            "1.1.0",
            f,
            "spec.source.targetRevision",
            11,
            Layer::Environment
        )
    );
    assert_eq!(
        at(value(prod, "image.tag")),
        (
            "1.4.0",
            f,
            "spec.source.helm.values > image.tag",
            18,
            Layer::Environment
        )
    );
    assert_eq!(
        at(prod.replicas.as_ref().unwrap()),
        (
            "3",
            f,
            "spec.source.helm.values > replicaCount",
            19,
            Layer::Environment
        )
    );
    assert_eq!(prod.containers[0].tag, "1.4.0");
    // A value file of a chart from a chart repository is not in this repository: reported.
    let problems: Vec<String> = ws.state().problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("argocd/api-prod.yaml:14:")
            && problems[0].contains("value file values-prod.yaml is not in this repository"),
        "{problems:?}"
    );
    // The matrix shows the chart versions side by side.
    let m = matrix::matrix(ws.state());
    let row = m.rows.iter().find(|r| r.id == "api").unwrap();
    let versions: Vec<_> = row
        .cells
        .iter()
        .map(|c| c.as_ref().unwrap().chart_version.as_deref().unwrap())
        .collect();
    assert_eq!(versions, vec!["1.2.0", "1.1.0"]);
    assert!(row.cells[1].as_ref().unwrap().differs_from_previous);

    // The chart version is edited in prod's own Application, comment kept.
    let edits = plan(&ws, "prod", "api", Field::ChartVersion, "1.2.0").unwrap();
    assert_eq!(edits.len(), 1);
    assert_eq!(
        edits[0].diff,
        "\
--- a/argocd/api-prod.yaml
+++ b/argocd/api-prod.yaml
@@ -8,7 +8,7 @@
   source:
     repoURL: https://charts.example.com
     chart: api
-    targetRevision: 1.1.0 # pinned until the migration is done
+    targetRevision: 1.2.0 # pinned until the migration is done
     helm:
       valueFiles:
         - values-prod.yaml
"
    );
    apply(&mut ws, &edits);
    assert_eq!(
        workload(&ws, "prod", "api")
            .chart_version
            .as_ref()
            .unwrap()
            .value,
        "1.2.0"
    );
    assert_eq!(
        workload(&ws, "dev", "api")
            .chart_version
            .as_ref()
            .unwrap()
            .value,
        "1.2.0"
    );

    // dev's image tag is its own Application's parameter: changed there.
    let edits = plan(
        &ws,
        "dev",
        "api",
        Field::ImageTag { container: None },
        "1.5.0",
    )
    .unwrap();
    assert_eq!(edits[0].path, "argocd/api-dev.yaml");
    assert_eq!(
        changed(&edits[0].diff),
        vec!["-          value: \"1.4.2\"", "+          value: \"1.5.0\""]
    );
    // prod's is inside the helm.values string: refused with the reason, nothing planned.
    let err = plan(
        &ws,
        "prod",
        "api",
        Field::ImageTag { container: None },
        "1.5.0",
    )
    .unwrap_err();
    assert_eq!(err.code(), "not_editable");
    assert_eq!(
        err.to_string(),
        "The value image.tag of api in prod is set inside YAML written as a string, at argocd/api-prod.yaml (spec.source.helm.values > image.tag, line 18); edit it in the YAML editor."
    );
    // Versions are checked before anything is planned.
    for bad in ["", "1.2 .3", "latest!", "1.0\n", " 1.0", ">=", "1.0 ||"] {
        let err = plan(&ws, "prod", "api", Field::ChartVersion, bad).unwrap_err();
        assert_eq!(err.code(), "invalid_value", "{bad:?}");
    }
    for good in [
        "v1.2.3-rc.1+b5",
        "1.2.*",
        "^1.2",
        ">=1.0.0 <2.0.0",
        "~1.2 || ^2",
    ] {
        assert!(
            edit::validate_value(&Field::ChartVersion, good).is_ok(),
            "{good}"
        );
    }
}

const CHART: &str = "apiVersion: v2\nname: api\nversion: 0.3.0\n";
const CHART_VALUES: &str =
    "image:\n  repository: registry.example/api\n  tag: \"1.0\"\nreplicaCount: 1\n";

fn path_app(env: &str, extra: &str) -> String {
    format!(
        "\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: api
spec:
  source:
    repoURL: https://git.example.com/acme/gitops.git
    targetRevision: HEAD
    path: charts/api
    helm:
      valueFiles:
        - values-{env}.yaml
{extra}  destination:
    namespace: shop-{env}
"
    )
}

#[test]
fn a_folder_per_environment_deploys_a_chart_of_this_repository_with_its_value_files() {
    let dir = repo(&[
        ("charts/api/Chart.yaml", CHART),
        ("charts/api/values.yaml", CHART_VALUES),
        ("charts/api/values-dev.yaml", "image:\n  tag: \"1.1\"\n"),
        (
            "charts/api/values-prod.yaml",
            "replicaCount: 5\npodAnnotations:\n  prometheus.io/scrape: \"true\"\n",
        ),
        ("apps/dev/api.yaml", &path_app("dev", "")),
        (
            "apps/prod/api.yaml",
            &path_app(
                "prod",
                "      parameters:\n        - name: image.tag\n          value: \"1.0.1\"\n",
            ),
        ),
    ]);
    let mut ws = open(dir.path());
    assert_eq!(env_names(&ws), vec!["dev", "prod"]);
    assert!(ws.state().problems.is_empty(), "{:?}", ws.state().problems);
    assert!(
        ws.state().other_files.is_empty(),
        "{:?}",
        ws.state().other_files
    );
    // The values files are the Applications', not environments of their own.
    for (e, list) in ws.state().workloads.iter().enumerate() {
        let kinds: Vec<_> = list.iter().map(|w| (w.kind, w.id.as_str())).collect();
        assert_eq!(
            kinds,
            vec![(WorkloadKind::ArgoApplication, "api")],
            "env {e}"
        );
    }
    assert_eq!(
        ws.state().environments[1].paths,
        vec!["apps/prod/api.yaml", "charts/api/values-prod.yaml"]
    );
    let prod = workload(&ws, "prod", "api");
    assert_eq!(
        at(prod.replicas.as_ref().unwrap()),
        (
            "5",
            "charts/api/values-prod.yaml",
            "replicaCount",
            1,
            Layer::Environment
        )
    );
    assert_eq!(prod.containers[0].tag, "1.0.1");
    assert_eq!(
        at(prod.chart_version.as_ref().unwrap()),
        ("0.3.0", "charts/api/Chart.yaml", "version", 3, Layer::Base)
    );
    assert_eq!(
        prod.files,
        vec![
            "charts/api/values.yaml",
            "charts/api/Chart.yaml",
            "charts/api/values-prod.yaml",
            "apps/prod/api.yaml"
        ]
    );
    let dev = workload(&ws, "dev", "api");
    assert_eq!(
        at(value(dev, "image.tag")),
        (
            "1.1",
            "charts/api/values-dev.yaml",
            "image.tag",
            2,
            Layer::Environment
        )
    );
    assert_eq!(
        at(dev.replicas.as_ref().unwrap()),
        (
            "1",
            "charts/api/values.yaml",
            "replicaCount",
            4,
            Layer::Base
        )
    );

    // The chart's own version is shared by both environments: refused, nothing planned.
    let err = plan(&ws, "prod", "api", Field::ChartVersion, "0.4.0").unwrap_err();
    assert_eq!(err.code(), "not_editable");
    assert_eq!(
        err.to_string(),
        "The chart version of api is set in charts/api/Chart.yaml (version, line 3), which is shared by prod, dev: changing it there would change all of them. Give prod its own chart version (in its own Application or overlay) first."
    );
    // Replicas: prod's own values file has them; dev inherits them, so they are added to its
    // own values file, not to the chart's values.yaml.
    let edits = plan(&ws, "prod", "api", Field::Replicas, "6").unwrap();
    assert_eq!(
        (edits[0].path.as_str(), changed(&edits[0].diff)),
        (
            "charts/api/values-prod.yaml",
            vec!["-replicaCount: 5", "+replicaCount: 6"]
        )
    );
    // A key holding dots is found by its quoted path, and changed in place.
    assert_eq!(
        at(value(prod, "podAnnotations.prometheus.io/scrape")),
        (
            "true",
            "charts/api/values-prod.yaml",
            "podAnnotations[\"prometheus.io/scrape\"]",
            3,
            Layer::Environment
        )
    );
    let edits = plan(
        &ws,
        "prod",
        "api",
        Field::HelmValue {
            key: "podAnnotations.prometheus.io/scrape".into(),
        },
        "false",
    )
    .unwrap();
    assert_eq!(
        changed(&edits[0].diff),
        vec![
            "-  prometheus.io/scrape: \"true\"",
            "+  prometheus.io/scrape: \"false\""
        ]
    );
    let edits = plan(&ws, "dev", "api", Field::Replicas, "2").unwrap();
    assert_eq!(edits.len(), 1);
    assert_eq!(edits[0].path, "charts/api/values-dev.yaml");
    assert_eq!(edits[0].after, "image:\n  tag: \"1.1\"\nreplicaCount: 2\n");
    apply(&mut ws, &edits);
    assert_eq!(
        at(workload(&ws, "dev", "api").replicas.as_ref().unwrap()),
        (
            "2",
            "charts/api/values-dev.yaml",
            "replicaCount",
            3,
            Layer::Environment
        )
    );
}

const APPSET: &str = "\
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: api
spec:
  goTemplate: true
  generators:
    - list:
        elements:
          - env: dev
            chartVersion: 1.2.0
          - env: staging
            chartVersion: 1.2.0
          - env: prod
            chartVersion: \"1.1.0\"
    - git:
        repoURL: https://git.example.com/acme/gitops.git
        directories:
          - path: clusters/*
  template:
    metadata:
      name: 'api-{{.env}}'
    spec:
      project: default
      sources:
        - repoURL: https://charts.example.com
          chart: api
          targetRevision: '{{.chartVersion}}'
          helm:
            valueFiles:
              - '$values/envs/{{.env}}/api.yaml'
            parameters:
              - name: image.repository
                value: registry.example/api
        - repoURL: https://git.example.com/acme/gitops.git
          targetRevision: HEAD
          ref: values
      destination:
        server: https://kubernetes.default.svc
        namespace: 'shop-{{ .env }}'
";

#[test]
fn an_application_set_list_generator_makes_one_application_per_element() {
    let dir = repo(&[
        ("argocd/api-set.yaml", APPSET),
        ("envs/dev/api.yaml", "image:\n  tag: \"1.4.2\"\n"),
        (
            "envs/prod/api.yaml",
            "# prod pins the api\nimage:\n  tag: \"1.4.0\"\nreplicaCount: 4\n",
        ),
    ]);
    let mut ws = open(dir.path());
    assert_eq!(env_names(&ws), vec!["dev", "staging", "prod"]);
    let f = "argocd/api-set.yaml";
    let prod = workload(&ws, "prod", "api");
    assert_eq!(
        (prod.name.as_str(), prod.namespace.as_deref()),
        ("api-prod", Some("shop-prod"))
    );
    // The version is the element's own key; the template's literal values are shared.
    assert_eq!(
        at(prod.chart_version.as_ref().unwrap()),
        (
            "1.1.0",
            f,
            "spec.generators[0].list.elements[2].chartVersion",
            15,
            Layer::Environment
        )
    );
    assert_eq!(
        at(value(prod, "image.repository")),
        (
            "registry.example/api",
            f,
            "spec.template.spec.sources[0].helm.parameters[0].value",
            34,
            Layer::Base
        )
    );
    assert_eq!(
        at(value(prod, "image.tag")),
        (
            "1.4.0",
            "envs/prod/api.yaml",
            "image.tag",
            3,
            Layer::Environment
        )
    );
    assert_eq!(prod.replicas.as_ref().unwrap().value, "4");
    assert_eq!(workload(&ws, "dev", "api").containers[0].tag, "1.4.2");
    assert_eq!(
        workload(&ws, "staging", "api")
            .chart_version
            .as_ref()
            .unwrap()
            .value,
        "1.2.0"
    );
    // staging's value file is missing; the git generator's folders (clusters/*) do not exist:
    // both reported.
    let problems: Vec<(String, Option<u32>, Severity)> = ws
        .state()
        .problems
        .iter()
        .map(|p| (p.message.clone(), p.line, p.severity))
        .collect();
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert_eq!(problems[0].1, Some(16));
    assert!(
        problems[0]
            .0
            .contains("the git generator matches no folder or file"),
        "{problems:?}"
    );
    assert_eq!(problems[1].1, Some(31));
    assert!(
        problems[1].0.contains(
            "value file $values/envs/staging/api.yaml (envs/staging/api.yaml) does not exist"
        ),
        "{problems:?}"
    );

    // The chart version is changed in prod's element: one line.
    let edits = plan(&ws, "prod", "api", Field::ChartVersion, "1.2.0").unwrap();
    assert_eq!(
        edits[0].diff,
        "\
--- a/argocd/api-set.yaml
+++ b/argocd/api-set.yaml
@@ -12,7 +12,7 @@
           - env: staging
             chartVersion: 1.2.0
           - env: prod
-            chartVersion: \"1.1.0\"
+            chartVersion: \"1.2.0\"
     - git:
         repoURL: https://git.example.com/acme/gitops.git
         directories:
"
    );
    // A value the template's parameters set for all: a values file could not override it.
    let err = plan(
        &ws,
        "prod",
        "api",
        Field::HelmValue {
            key: "image.repository".into(),
        },
        "mirror.example/api",
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("The value image.repository of api is set in argocd/api-set.yaml")
            && err
                .to_string()
                .contains("which is shared by prod, dev, staging"),
        "{err}"
    );
    // A value nobody sets goes to the environment's own values file; prod's own is changed
    // where it is.
    let edits = plan(&ws, "dev", "api", Field::Replicas, "2").unwrap();
    assert_eq!(edits[0].path, "envs/dev/api.yaml");
    apply(&mut ws, &edits);
    assert_eq!(
        at(workload(&ws, "dev", "api").replicas.as_ref().unwrap()),
        (
            "2",
            "envs/dev/api.yaml",
            "replicaCount",
            3,
            Layer::Environment
        )
    );
    let edits = plan(
        &ws,
        "prod",
        "api",
        Field::ImageTag { container: None },
        "1.4.2",
    )
    .unwrap();
    assert_eq!(
        (edits[0].path.as_str(), changed(&edits[0].diff)),
        (
            "envs/prod/api.yaml",
            vec!["-  tag: \"1.4.0\"", "+  tag: \"1.4.2\""]
        )
    );
}

const BASE_K: &str = "resources:\n  - api.yaml\n";
const BASE_API: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n        - name: api\n          image: registry.example/api:1.0\n";
const SHOP_APP: &str = "\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: shop
spec:
  source:
    repoURL: https://git.example.com/acme/gitops.git
    targetRevision: main
    path: overlays/prod
    kustomize:
      images:
        - registry.example/api:1.2
      replicas:
        - name: api
          count: 4
      commonLabels:
        team: payments
  destination:
    namespace: shop-prod
";

#[test]
fn an_application_of_an_overlay_joins_its_environment_and_its_overrides_win() {
    let dir = repo(&[
        ("base/kustomization.yaml", BASE_K),
        ("base/api.yaml", BASE_API),
        ("overlays/dev/kustomization.yaml", "resources:\n  - ../../base\n"),
        (
            "overlays/prod/kustomization.yaml",
            "resources:\n  - ../../base\nimages:\n  - name: registry.example/api\n    newTag: \"1.1\"\n",
        ),
        ("argocd/shop.yaml", SHOP_APP),
        (
            "argocd/tooling.yaml",
            "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: tooling\nspec:\n  source:\n    repoURL: https://git.example.com/acme/tools.git\n    path: tools\n",
        ),
        (
            "argocd/project.yaml",
            "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: shop\n",
        ),
    ]);
    let mut ws = open(dir.path());
    assert_eq!(env_names(&ws), vec!["dev", "prod"]);
    assert_eq!(
        ws.state().environments[1].paths,
        vec!["overlays/prod", "argocd/shop.yaml"]
    );
    let f = "argocd/shop.yaml";
    let api = workload(&ws, "prod", "api");
    assert_eq!(api.kind, WorkloadKind::Deployment);
    assert_eq!(
        at(&api.containers[0].image),
        (
            "registry.example/api:1.2",
            f,
            "spec.source.kustomize.images[0]",
            12,
            Layer::Environment
        )
    );
    assert_eq!(
        at(api.replicas.as_ref().unwrap()),
        (
            "4",
            f,
            "spec.source.kustomize.replicas[0].count",
            15,
            Layer::Environment
        )
    );
    assert_eq!(
        at(&api.labels[0].value),
        (
            "payments",
            f,
            "spec.source.kustomize.commonLabels.team",
            17,
            Layer::Environment
        )
    );
    assert_eq!(api.namespace.as_deref(), Some("shop-prod"));
    assert_eq!(api.files.last().map(String::as_str), Some(f));
    assert_eq!(workload(&ws, "dev", "api").containers[0].tag, "1.0");
    // An Application that names no environment, and an AppProject: listed, never hidden.
    assert_eq!(
        ws.state().other_files,
        vec!["argocd/project.yaml", "argocd/tooling.yaml"]
    );
    let problems: Vec<String> = ws.state().problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("argocd/tooling.yaml:4:")
            && problems[0].contains("Argo CD Application tooling names no environment"),
        "{problems:?}"
    );

    // Edits go where the value is set: the Application's overrides, not the overlay they shadow.
    let edits = plan(
        &ws,
        "prod",
        "api",
        Field::ImageTag { container: None },
        "1.3",
    )
    .unwrap();
    assert_eq!(
        (edits[0].path.as_str(), changed(&edits[0].diff)),
        (
            f,
            vec![
                "-        - registry.example/api:1.2",
                "+        - registry.example/api:1.3"
            ]
        )
    );
    apply(&mut ws, &edits);
    assert_eq!(workload(&ws, "prod", "api").containers[0].tag, "1.3");
    let edits = plan(&ws, "prod", "api", Field::Replicas, "5").unwrap();
    assert_eq!(
        (edits[0].path.as_str(), changed(&edits[0].diff)),
        (f, vec!["-          count: 4", "+          count: 5"])
    );
    // dev has no Application: its overlay, as before.
    let edits = plan(
        &ws,
        "dev",
        "api",
        Field::ImageTag { container: None },
        "1.3",
    )
    .unwrap();
    assert_eq!(edits[0].path, "overlays/dev/kustomization.yaml");
}

#[test]
fn template_expressions_that_are_not_understood_are_reported_per_element() {
    let set = "\
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: web
spec:
  goTemplate: true
  generators:
    - list:
        elements:
          - env: dev
          - env: prod
  template:
    metadata:
      name: 'web-{{.env}}'
      labels:
        stage: '{{ .env | upper }}'
    spec:
      source:
        repoURL: https://charts.example.com
        chart: web
        targetRevision: '{{.version}}'
";
    let dir = repo(&[("argocd/web.yaml", set)]);
    let ws = open(dir.path());
    assert_eq!(env_names(&ws), vec!["dev", "prod"]);
    let problems: Vec<String> = ws.state().problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        problems,
        vec![
            "argocd/web.yaml:10:13: ApplicationSet web: {{ .env | upper }}, {{.version}} not filled for this element (not a key of it, or a template function); shown as written",
            "argocd/web.yaml:11:13: ApplicationSet web: {{ .env | upper }}, {{.version}} not filled for this element (not a key of it, or a template function); shown as written",
        ]
    );
    let prod = workload(&ws, "prod", "web");
    assert_eq!(prod.chart_version.as_ref().unwrap().value, "{{.version}}");
    assert_eq!(prod.labels[0].value.value, "{{ .env | upper }}");
}

#[test]
fn configured_environments_take_the_applications_in_their_paths() {
    let app = |name: &str, version: &str| {
        format!("apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: {name}\nspec:\n  source:\n    repoURL: https://charts.example.com\n    chart: api\n    targetRevision: {version}\n")
    };
    let dir = repo(&[
        (
            ".wheelhouse/config.yaml",
            "environments:\n  - name: live\n    paths: [argocd/live]\n    protected: true\n",
        ),
        ("argocd/live/api.yaml", &app("api", "2.0.0")),
        ("argocd/api-canary.yaml", &app("api-canary", "2.1.0")),
    ]);
    let ws = open(dir.path());
    assert_eq!(env_names(&ws), vec!["live"]);
    let api = workload(&ws, "live", "api");
    assert_eq!(
        at(api.chart_version.as_ref().unwrap()),
        (
            "2.0.0",
            "argocd/live/api.yaml",
            "spec.source.targetRevision",
            9,
            Layer::Environment
        )
    );
    let problems: Vec<String> = ws.state().problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("api-canary is in no environment of .wheelhouse/config.yaml"),
        "{problems:?}"
    );
    assert_eq!(ws.state().other_files, vec!["argocd/api-canary.yaml"]);
}

fn release(name: &str, version: &str) -> String {
    format!(
        "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: {name}\nspec:\n  interval: 10m\n  chart:\n    spec:\n      chart: {name}\n      # bumped by hand after each upstream release\n      version: {version}\n      sourceRef:\n        kind: HelmRepository\n        name: charts\n  values:\n    replicaCount: 1\n"
    )
}

#[test]
fn flux_chart_versions_are_edited_in_the_environments_overlay_and_refused_when_shared() {
    let dir = repo(&[
        ("base/kustomization.yaml", "resources:\n  - cache.yaml\n"),
        ("base/cache.yaml", &release("cache", "1.0.0")),
        (
            "overlays/dev/kustomization.yaml",
            "resources:\n  - ../../base\n  - redis.yaml\n",
        ),
        ("overlays/dev/redis.yaml", &release("redis", "18.0.0")),
        (
            "overlays/prod/kustomization.yaml",
            "resources:\n  - ../../base\n  - redis.yaml\npatches:\n  - path: cache-version.yaml\n",
        ),
        ("overlays/prod/redis.yaml", &release("redis", "17.3.0")),
        (
            "overlays/prod/cache-version.yaml",
            "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: cache\nspec:\n  chart:\n    spec:\n      version: 1.1.0\n",
        ),
        ("flux/ingress.yaml", &release("ingress-nginx", "4.11.5")),
    ]);
    let mut ws = open(dir.path());
    assert!(ws.state().problems.is_empty(), "{:?}", ws.state().problems);
    let version = |ws: &Workspace, env: &str, id: &str| {
        let w = workload(ws, env, id);
        let v = w.chart_version.as_ref().unwrap();
        (v.value.clone(), v.source.file.clone(), v.source.layer)
    };
    assert_eq!(
        version(&ws, "prod", "cache"),
        (
            "1.1.0".into(),
            "overlays/prod/cache-version.yaml".into(),
            Layer::Environment
        )
    );
    assert_eq!(
        version(&ws, "prod", "redis"),
        (
            "17.3.0".into(),
            "overlays/prod/redis.yaml".into(),
            Layer::Environment
        )
    );

    // A HelmRelease of prod's own overlay: exactly one line, its comment above untouched.
    let edits = plan(&ws, "prod", "redis", Field::ChartVersion, "18.0.0").unwrap();
    assert_eq!(
        edits[0].diff,
        "\
--- a/overlays/prod/redis.yaml
+++ b/overlays/prod/redis.yaml
@@ -8,7 +8,7 @@
     spec:
       chart: redis
       # bumped by hand after each upstream release
-      version: 17.3.0
+      version: 18.0.0
       sourceRef:
         kind: HelmRepository
         name: charts
"
    );
    apply(&mut ws, &edits);
    assert_eq!(version(&ws, "prod", "redis").0, "18.0.0");
    assert_eq!(version(&ws, "dev", "redis").0, "18.0.0");
    // prod's patch of a base release: the patch changes.
    let edits = plan(&ws, "prod", "cache", Field::ChartVersion, "1.2.0").unwrap();
    assert_eq!(edits[0].path, "overlays/prod/cache-version.yaml");
    // dev inherits the base's version; a HelmRelease outside every overlay is everyone's.
    let err = plan(&ws, "dev", "cache", Field::ChartVersion, "1.2.0").unwrap_err();
    assert_eq!(
        err.to_string(),
        "The chart version of cache in dev is inherited from base/cache.yaml (spec.chart.spec.version, line 11), a shared file, not dev's own layer; set it in dev's own Application or overlay instead."
    );
    let err = plan(&ws, "prod", "ingress-nginx", Field::ChartVersion, "4.12.0").unwrap_err();
    assert!(
        err.to_string().starts_with("The chart version of ingress-nginx is set in flux/ingress.yaml (spec.chart.spec.version, line 11), which is shared by prod, dev:"),
        "{err}"
    );
    // Workloads without a chart say so.
    let dir = repo(&[
        ("base/kustomization.yaml", BASE_K),
        ("base/api.yaml", BASE_API),
        (
            "overlays/dev/kustomization.yaml",
            "resources:\n  - ../../base\n",
        ),
    ]);
    let ws = open(dir.path());
    let err = plan(&ws, "dev", "api", Field::ChartVersion, "1.0.0").unwrap_err();
    assert_eq!(
        err.to_string(),
        "api in dev has no chart version to change."
    );
}

#[test]
fn a_change_to_an_application_file_is_seen_on_refresh() {
    let dir = repo(&[
        ("argocd/api-dev.yaml", API_DEV),
        ("argocd/api-prod.yaml", API_PROD),
    ]);
    let mut ws = open(dir.path());
    // A new environment appears from a new Application, and a changed one is re-read.
    std::fs::write(
        dir.path().join("argocd/api-staging.yaml"),
        API_DEV
            .replace("api-dev", "api-staging")
            .replace("shop-dev", "shop-staging"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("argocd/api-prod.yaml"),
        API_PROD.replace("1.1.0", "1.1.1"),
    )
    .unwrap();
    ws.refresh(&[
        "argocd/api-staging.yaml".into(),
        "argocd/api-prod.yaml".into(),
    ]);
    assert_eq!(env_names(&ws), vec!["dev", "staging", "prod"]);
    assert_eq!(
        workload(&ws, "prod", "api")
            .chart_version
            .as_ref()
            .unwrap()
            .value,
        "1.1.1"
    );
    // Only the Application file changed (same set of files): still a full re-read.
    std::fs::write(
        dir.path().join("argocd/api-prod.yaml"),
        API_PROD.replace("1.1.0", "1.1.2"),
    )
    .unwrap();
    ws.refresh(&["argocd/api-prod.yaml".into()]);
    assert_eq!(
        workload(&ws, "prod", "api")
            .chart_version
            .as_ref()
            .unwrap()
            .value,
        "1.1.2"
    );
}
