//! Environments from the reconcilers' own objects: Flux Kustomizations (with `postBuild`
//! substitution, patches and images of their own) and Kargo Stages (their graph orders the
//! environments); what cannot be evaluated is said, located.

mod common;

use common::{env_names, open, repo, workload};
use wheelhouse_desired_state::{Layer, Severity};

const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: ${API_REPLICAS}\n  template:\n    spec:\n      containers:\n        - name: api\n          image: registry.example/api:1.0.0\n          env:\n            - name: REGION\n              value: ${CLUSTER_REGION}\n            - name: LOG_LEVEL\n              value: ${LOG_LEVEL:=info}\n";

fn flux(name: &str, path: &str, extra: &str) -> String {
    format!("apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: {name}\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: {path}\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n{extra}")
}

#[test]
fn flux_post_build_substitutes_variables_and_says_which_have_no_value() {
    let staging = flux(
        "apps",
        "./apps",
        "  postBuild:\n    substitute:\n      API_REPLICAS: \"2\"\n    substituteFrom:\n      - kind: ConfigMap\n        name: cluster-vars\n",
    );
    let prod = flux(
        "apps",
        "./apps",
        "  images:\n    - name: registry.example/api\n      newTag: 2.0.0\n  postBuild:\n    substitute:\n      API_REPLICAS: \"5\"\n",
    );
    let dir = repo(&[
        ("apps/api.yaml", DEPLOY),
        ("clusters/staging/apps.yaml", staging.as_str()),
        (
            "clusters/staging/vars.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-vars\n  namespace: flux-system\ndata:\n  CLUSTER_REGION: eu-west-1\n",
        ),
        ("clusters/production/apps.yaml", prod.as_str()),
    ]);
    let ws = open(dir.path());
    assert_eq!(env_names(&ws), vec!["staging", "production"]);
    let env = &ws.state().environments[0];
    assert_eq!(
        env.sources,
        vec!["Flux Kustomization `apps` in clusters/staging/apps.yaml → ./apps"]
    );
    let api = workload(&ws, "staging", "api");
    let replicas = api.replicas.as_ref().unwrap();
    assert_eq!(replicas.value, "2");
    // The value comes from the Flux Kustomization's substitute, the environment's own file.
    assert_eq!(replicas.source.file, "clusters/staging/apps.yaml");
    assert_eq!(replicas.source.layer, Layer::Environment);
    let c = &api.containers[0];
    assert_eq!(c.tag, "1.0.0");
    assert_eq!(c.env[0].value.value, "eu-west-1");
    assert_eq!(
        c.env[1].value.value, "info",
        "the default of ${{LOG_LEVEL:=info}}"
    );
    let prod_api = workload(&ws, "production", "api");
    assert_eq!(prod_api.replicas.as_ref().unwrap().value, "5");
    assert_eq!(prod_api.containers[0].tag, "2.0.0");
    assert_eq!(
        prod_api.containers[0].env[0].value.value,
        "${CLUSTER_REGION}"
    );
    let p = ws
        .state()
        .problems
        .iter()
        .find(|p| p.message.contains("${CLUSTER_REGION}"))
        .expect("the variable with no value is reported");
    assert_eq!(
        (p.file.as_str(), p.severity),
        ("clusters/production/apps.yaml", Severity::Warning)
    );
    assert!(p.message.starts_with("not evaluated: "), "{p}");
}

fn stage(name: &str, upstream: Option<&str>, path: &str) -> String {
    let sources = match upstream {
        Some(u) => format!("        stages:\n          - {u}\n"),
        None => "        direct: true\n".into(),
    };
    format!("apiVersion: kargo.akuity.io/v1alpha1\nkind: Stage\nmetadata:\n  name: {name}\n  namespace: shop\nspec:\n  requestedFreight:\n    - origin:\n        kind: Warehouse\n        name: shop\n      sources:\n{sources}  promotionTemplate:\n    spec:\n      steps:\n        - uses: git-clone\n          config:\n            checkout:\n              - branch: main\n                path: ./src\n        - uses: kustomize-set-image\n          config:\n            path: ./src/{path}\n")
}

#[test]
fn kargo_stages_order_environments_and_an_unknown_upstream_is_located() {
    let stages = [
        stage("canary", Some("qa"), "env/canary"),
        stage("qa", None, "env/qa"),
        stage("edge", Some("nowhere"), "env/edge"),
    ]
    .join("---\n");
    let dir = repo(&[
        ("env/base/kustomization.yaml", "resources:\n  - api.yaml\n"),
        (
            "env/base/api.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 1\n",
        ),
        ("env/qa/kustomization.yaml", "resources:\n  - ../base\n"),
        ("env/canary/kustomization.yaml", "resources:\n  - ../base\n"),
        ("env/edge/kustomization.yaml", "resources:\n  - ../base\n"),
        ("kargo/stages.yaml", stages.as_str()),
    ]);
    let ws = open(dir.path());
    // qa feeds canary: the graph wins over the alphabet.
    assert_eq!(&env_names(&ws)[..2], &["qa", "canary"]);
    let p = ws
        .state()
        .problems
        .iter()
        .find(|p| p.message.contains("nowhere"))
        .expect("the unknown upstream is reported");
    assert_eq!(p.file, "kargo/stages.yaml");
    assert_eq!(p.severity, Severity::Error);
    assert_eq!(p.line, Some(62), "{p}");
    let sources = &ws.state().environments[1].sources;
    assert!(
        sources
            .iter()
            .any(|s| s
                == "Kargo Stage `canary` in kargo/stages.yaml → env/canary (promoted from qa)"),
        "{sources:?}"
    );
    // The stage files are read: they are not "YAML files no environment uses".
    assert!(!ws
        .state()
        .other_files
        .contains(&"kargo/stages.yaml".to_owned()));
}

#[test]
fn a_helm_release_takes_values_from_a_configmap_generated_in_its_kustomization() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus/34-helmrelease-values-from-generated/repo");
    let ws = wheelhouse_desired_state::Workspace::open(&root).unwrap();
    let hr = workload(&ws, "prod", "podinfo");
    let value = |name: &str| {
        hr.values
            .iter()
            .find(|v| v.name == name)
            .unwrap_or_else(|| panic!("no {name} in {:?}", hr.values))
            .value
            .clone()
    };
    // From the generated ConfigMap's values.yaml, located in the file the generator read.
    let color = value("spec.values.ui.color");
    assert_eq!(color.value, "#34577c");
    assert_eq!(color.source.file, "apps/base/values.yaml");
    assert_eq!(value("spec.values.resources.limits.memory").value, "256Mi");
    // spec.values wins over valuesFrom; the prod patch wins over the base.
    assert_eq!(value("spec.values.replicaCount").value, "3");
    assert_eq!(hr.chart_version.as_ref().unwrap().value, "6.5.4");
}

/// The usual multi-tenant set-up: the platform repository's clusters apply `./tenants/<env>`,
/// where each tenant has a `GitRepository` of its own and a Flux Kustomization that syncs a folder
/// of that repository. The tenant's folder is not here: it is never read, and the environment
/// says it is not evaluated and why.
#[test]
fn a_flux_kustomization_synced_from_another_repository_is_marked_not_read() {
    let tenants = |env: &str| {
        format!(
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../base/dev-team\npatches:\n  - target:\n      kind: Kustomization\n      name: dev-team\n    patch: |-\n      - op: replace\n        path: /spec/path\n        value: ./{env}\n"
        )
    };
    let sync = "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: dev-team\n  namespace: apps\nspec:\n  interval: 1m\n  url: https://git.example.com/dev-team/apps\n  ref:\n    branch: main\n---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: dev-team\n  namespace: apps\nspec:\n  interval: 5m\n  serviceAccountName: dev-team\n  path: ./\n  sourceRef:\n    kind: GitRepository\n    name: dev-team\n";
    let own = "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  url: ssh://git@git.example.com/platform/fleet\n  ref:\n    branch: main\n";
    let dir = repo(&[
        ("clusters/staging/flux-system/gotk-sync.yaml", own),
        (
            "clusters/staging/tenants.yaml",
            flux("tenants", "./tenants/staging", "").as_str(),
        ),
        (
            "clusters/production/tenants.yaml",
            flux("tenants", "./tenants/production", "").as_str(),
        ),
        (
            "tenants/base/dev-team/kustomization.yaml",
            "resources:\n  - sync.yaml\n",
        ),
        ("tenants/base/dev-team/sync.yaml", sync),
        (
            "tenants/staging/kustomization.yaml",
            tenants("staging").as_str(),
        ),
        (
            "tenants/production/kustomization.yaml",
            tenants("production").as_str(),
        ),
        // A folder of the same name in this repository must not be taken for the tenant's.
        ("staging/api.yaml", DEPLOY),
    ]);
    let ws = open(dir.path());
    assert_eq!(
        env_names(&ws),
        vec!["staging", "production"],
        "{:#?}",
        ws.state().environments
    );
    let staging = &ws.state().environments[0];
    assert!(
        staging.sources.iter().any(|s| s
            == "Flux Kustomization `dev-team` in tenants/base/dev-team/sync.yaml: not evaluated: synced from another repository (GitRepository `dev-team`, https://git.example.com/dev-team/apps)"),
        "{:?}",
        staging.sources
    );
    assert!(
        !staging.paths.iter().any(|p| p.is_empty() || p == "staging"),
        "a folder of the other repository is listed: {:?}",
        staging.paths
    );
    assert!(
        !ws.state().workloads[0].iter().any(|w| w.id == "api"),
        "the local staging/ folder was read as the tenant's"
    );
    let p = ws
        .state()
        .problems
        .iter()
        .find(|p| p.message.contains("synced from another repository"))
        .expect("the environment says what is not evaluated");
    assert!(p.message.starts_with("not evaluated: "), "{p}");
    assert_eq!(p.file, "tenants/base/dev-team/sync.yaml");

    // A sourceRef to a source no file defines says so too.
    let dangling = flux("apps", "./apps", "").replace("name: flux-system\n", "name: missing\n");
    let dir = repo(&[
        ("clusters/qa/apps.yaml", dangling.as_str()),
        ("apps/api.yaml", DEPLOY),
    ]);
    let ws = open(dir.path());
    assert_eq!(env_names(&ws), vec!["qa"]);
    assert!(ws.state().environments[0].sources[0]
        .ends_with("(GitRepository `missing`, which no file of this repository defines)"));
}

/// A single-cluster Flux repository: the cluster's Kustomization applies `./apps`, whose
/// kustomization lists each app's folder. Those folders are what the cluster builds, never
/// environments of their own.
#[test]
fn app_folders_a_flux_environment_builds_are_not_environments_of_their_own() {
    let app = |name: &str| {
        DEPLOY
            .replace("name: api", &format!("name: {name}"))
            .replace("${API_REPLICAS}", "1")
    };
    let dir = repo(&[
        (
            "clusters/my-cluster/apps.yaml",
            flux("apps", "./apps", "").as_str(),
        ),
        (
            "apps/kustomization.yaml",
            "resources:\n  - backend\n  - frontend\n  - loadtest\n",
        ),
        (
            "apps/backend/kustomization.yaml",
            "resources:\n  - deploy.yaml\n",
        ),
        ("apps/backend/deploy.yaml", app("backend").as_str()),
        (
            "apps/frontend/kustomization.yaml",
            "resources:\n  - deploy.yaml\n",
        ),
        ("apps/frontend/deploy.yaml", app("frontend").as_str()),
        (
            "apps/loadtest/kustomization.yaml",
            "resources:\n  - deploy.yaml\n",
        ),
        ("apps/loadtest/deploy.yaml", app("loadtest").as_str()),
    ]);
    let ws = open(dir.path());
    assert_eq!(
        env_names(&ws),
        vec!["my-cluster"],
        "{:#?}",
        ws.state().environments
    );
    let ids: Vec<&str> = ws.state().workloads[0]
        .iter()
        .map(|w| w.id.as_str())
        .collect();
    assert_eq!(ids, vec!["backend", "frontend", "loadtest"]);

    // Without a kustomization at the top, Flux builds every manifest under the folder: the same.
    std::fs::remove_file(dir.path().join("apps/kustomization.yaml")).unwrap();
    std::fs::create_dir_all(dir.path().join("infrastructure/redis")).unwrap();
    std::fs::write(
        dir.path().join("clusters/my-cluster/infrastructure.yaml"),
        flux("infrastructure", "./infrastructure", ""),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("infrastructure/redis/kustomization.yaml"),
        "resources:\n  - deploy.yaml\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("infrastructure/redis/deploy.yaml"),
        app("redis"),
    )
    .unwrap();
    let ws = open(dir.path());
    assert_eq!(
        env_names(&ws),
        vec!["my-cluster"],
        "{:#?}",
        ws.state().environments
    );
}

/// Hub and spoke: the hub's Flux Kustomizations deploy `./clusters/<env>/…` to other clusters
/// through `spec.kubeConfig`. Each target cluster is an environment, named from the file, or
/// from `postBuild.substitute.CLUSTER_NAME` when it sets one.
#[test]
fn hub_kustomizations_with_a_kubeconfig_make_one_environment_per_spoke() {
    let spoke = |name: &str, path: &str, extra: &str| {
        flux(
            name,
            path,
            &format!("  kubeConfig:\n    secretRef:\n      name: {name}-kubeconfig\n{extra}"),
        )
    };
    let app = DEPLOY.replace("${API_REPLICAS}", "2");
    let dir = repo(&[
        ("hub/staging.yaml", spoke("staging-apps", "./deploy/staging", "").as_str()),
        (
            "hub/production.yaml",
            spoke(
                "production-apps",
                "./deploy/production",
                "  dependsOn:\n    - name: staging-apps\n  postBuild:\n    substitute:\n      CLUSTER_NAME: prod-eu\n      API_REPLICAS: \"4\"\n",
            )
            .as_str(),
        ),
        ("deploy/base/kustomization.yaml", "resources:\n  - api.yaml\n"),
        ("deploy/base/api.yaml", app.as_str()),
        ("deploy/staging/kustomization.yaml", "resources:\n  - ../base\n"),
        ("deploy/production/kustomization.yaml", "resources:\n  - ../base\n"),
    ]);
    let ws = open(dir.path());
    assert_eq!(
        env_names(&ws),
        vec!["staging", "prod-eu"],
        "{:#?}",
        ws.state().environments
    );
    assert!(ws.state().environments[1].protected);
    assert_eq!(
        ws.state().environments[1].sources,
        vec!["Flux Kustomization `production-apps` in hub/production.yaml → ./deploy/production"]
    );
    assert_eq!(workload(&ws, "prod-eu", "api").containers[0].tag, "1.0.0");
}

/// Bad input: a hub's Kustomization for another cluster with no `spec.path`. Flux builds the
/// repository root for it; Wheelhouse shows the same and says so at the Kustomization, and the
/// other spoke is unaffected.
#[test]
fn a_spoke_with_no_path_is_a_located_warning_and_the_rest_resolves() {
    let spoke = |name: &str, path: &str| {
        flux(
            name,
            path,
            &format!("  kubeConfig:\n    secretRef:\n      name: {name}-kubeconfig\n"),
        )
    };
    let app = DEPLOY.replace("${API_REPLICAS}", "2");
    let no_path = spoke("production-apps", "./unused").replace("  path: ./unused\n", "");
    let dir = repo(&[
        (
            "hub/staging.yaml",
            spoke("staging-apps", "./deploy/staging").as_str(),
        ),
        ("hub/production.yaml", no_path.as_str()),
        (
            "deploy/base/kustomization.yaml",
            "resources:\n  - api.yaml\n",
        ),
        ("deploy/base/api.yaml", app.as_str()),
        (
            "deploy/staging/kustomization.yaml",
            "resources:\n  - ../base\n",
        ),
    ]);
    let before = std::fs::read_to_string(dir.path().join("hub/production.yaml")).unwrap();
    let ws = open(dir.path());
    let p = ws
        .state()
        .problems
        .iter()
        .find(|p| p.file == "hub/production.yaml")
        .expect("the missing path is reported");
    assert!(p.message.contains("sets no spec.path"), "{}", p.message);
    // Where the kubeConfig it sets is written (its `secretRef`, line 12).
    assert_eq!((p.line, p.severity), (Some(12), Severity::Warning));
    assert_eq!(workload(&ws, "staging", "api").containers[0].tag, "1.0.0");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("hub/production.yaml")).unwrap(),
        before
    );
}
