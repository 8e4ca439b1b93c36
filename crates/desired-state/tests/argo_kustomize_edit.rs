//! An Argo CD Application's `kustomize:` goes through the same render as everything else: it is
//! the edit Argo CD makes to the kustomization of the folder it deploys (`kustomize edit set …`,
//! `kustomize edit add …`, patches appended), so the matrix, the Rendered tab and the check all
//! see it, located in the Application.

mod common;

use common::{at, kubectl_available, open, repo, workload};
use std::sync::atomic::AtomicBool;
use wheelhouse_desired_state::{Layer, Severity};

const BASE_K: &str = "resources:\n  - api.yaml\n";
const BASE_API: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 1
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
        - name: api
          image: registry.example/api:1.0
";

fn app(name: &str, path: &str, kustomize: &str) -> String {
    let mut text = format!(
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: {name}\nspec:\n  source:\n    repoURL: https://git.example.com/acme/shop.git\n    targetRevision: main\n    path: {path}\n    kustomize:\n"
    );
    for line in kustomize.lines() {
        text.push_str(&format!("      {line}\n"));
    }
    text.push_str("  destination:\n    namespace: shop\n");
    text
}

fn problems(ws: &wheelhouse_desired_state::Workspace) -> Vec<String> {
    ws.state().problems.iter().map(|p| p.to_string()).collect()
}

#[test]
fn the_application_edits_the_kustomization_it_builds_rather_than_overlaying_it() {
    let prod_k = "resources:\n  - ../../base\nnamePrefix: old-\nimages:\n  - name: registry.example/api\n    newName: registry.example/api-eu\n    newTag: \"1.1\"\n";
    let dir = repo(&[
        ("base/kustomization.yaml", BASE_K),
        ("base/api.yaml", BASE_API),
        ("overlays/prod/kustomization.yaml", prod_k),
        (
            "argocd/prod.yaml",
            &app(
                "shop-prod",
                "overlays/prod",
                "namePrefix: prod-\nimages:\n  - registry.example/api=*:1.2\nreplicas:\n  - name: api\n    count: 3\n",
            ),
        ),
    ]);
    let mut ws = open(dir.path());
    assert!(problems(&ws).is_empty(), "{:?}", problems(&ws));
    let api = workload(&ws, "prod", "api");
    // namePrefix replaces the folder's (an overlay would have made `prod-old-api`).
    assert_eq!(api.name, "prod-api");
    // `*` keeps the folder's newName; the tag is the Application's, located there.
    assert_eq!(
        at(&api.containers[0].image),
        (
            "registry.example/api-eu:1.2",
            "argocd/prod.yaml",
            "spec.source.kustomize.images[0]",
            13,
            Layer::Environment
        )
    );
    assert_eq!(
        at(api.replicas.as_ref().unwrap()),
        (
            "3",
            "argocd/prod.yaml",
            "spec.source.kustomize.replicas[0].count",
            16,
            Layer::Environment
        )
    );
    // The Rendered tab shows the same, and says which kustomization the edit changed.
    let rendered = ws.render("prod").unwrap();
    let yaml = rendered.to_yaml();
    assert!(yaml.contains("name: prod-api\n"), "{yaml}");
    assert!(
        yaml.contains("image: registry.example/api-eu:1.2\n"),
        "{yaml}"
    );
    assert_eq!(rendered.edited.len(), 1);
    let (path, text) = &rendered.edited[0];
    assert_eq!(path, "overlays/prod/kustomization.yaml");
    assert!(
        text.contains("namePrefix: prod-\n") && text.contains("newName: registry.example/api-eu\n"),
        "{text}"
    );
    // The check builds the edited kustomization in a copy, as Argo CD does: it agrees, and the
    // repository is not written.
    if kubectl_available() {
        let before = wheelhouse_testsupport::snapshot(dir.path());
        let check = ws
            .prepare_check("prod")
            .unwrap()
            .run(&AtomicBool::new(false))
            .unwrap();
        assert!(check.disagreements.is_empty(), "{:#?}", check.disagreements);
        assert_eq!(before, wheelhouse_testsupport::snapshot(dir.path()));
    }
}

#[test]
fn labels_the_folder_sets_already_need_force_as_in_argo_cd() {
    let k = "resources:\n  - ../../base\ncommonLabels:\n  team: core\n";
    let files = |force: &str| {
        vec![
            ("base/kustomization.yaml".to_owned(), BASE_K.to_owned()),
            ("base/api.yaml".to_owned(), BASE_API.to_owned()),
            ("overlays/prod/kustomization.yaml".to_owned(), k.to_owned()),
            (
                "argocd/prod.yaml".to_owned(),
                app(
                    "shop-prod",
                    "overlays/prod",
                    &format!("{force}commonLabels:\n  team: payments\n  tier: web\n"),
                ),
            ),
        ]
    };
    let refused = files("");
    let refused: Vec<(&str, &str)> = refused
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_str()))
        .collect();
    let dir = repo(&refused);
    let ws = open(dir.path());
    let found = ws
        .state()
        .problems
        .iter()
        .find(|p| {
            p.message
                .contains("label team is set by overlays/prod/kustomization.yaml")
        })
        .unwrap_or_else(|| panic!("{:?}", problems(&ws)));
    assert_eq!(
        (found.file.as_str(), found.line, found.severity),
        ("argocd/prod.yaml", Some(12), Severity::Error)
    );
    assert!(
        found.message.contains("forceCommonLabels"),
        "{}",
        found.message
    );
    let labels = &workload(&ws, "prod", "api").labels;
    let label = |k: &str| {
        labels
            .iter()
            .find(|l| l.name == k)
            .map(|l| l.value.value.as_str())
    };
    assert_eq!((label("team"), label("tier")), (Some("core"), Some("web")));

    let forced = files("forceCommonLabels: true\n");
    let forced: Vec<(&str, &str)> = forced
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_str()))
        .collect();
    let dir = repo(&forced);
    let ws = open(dir.path());
    assert!(problems(&ws).is_empty(), "{:?}", problems(&ws));
    let labels = &workload(&ws, "prod", "api").labels;
    let team = labels.iter().find(|l| l.name == "team").unwrap();
    assert_eq!(
        at(&team.value),
        (
            "payments",
            "argocd/prod.yaml",
            "spec.source.kustomize.commonLabels.team",
            13,
            Layer::Environment
        )
    );
}

#[test]
fn an_applicationset_fills_its_placeholders_in_the_edit_and_its_patches() {
    let set = "\
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: shop
spec:
  generators:
    - list:
        elements:
          - env: staging
            tag: 1.3-rc
            memory: 256Mi
          - env: prod
            tag: \"1.2\"
            memory: 512Mi
  template:
    metadata:
      name: 'shop-{{env}}'
    spec:
      source:
        repoURL: https://git.example.com/acme/shop.git
        targetRevision: main
        path: 'overlays/{{env}}'
        kustomize:
          nameSuffix: '-{{env}}'
          images:
            - 'registry.example/api:{{tag}}'
          patches:
            - target:
                kind: Deployment
              patch: |-
                - op: add
                  path: /spec/template/spec/containers/0/resources
                  value:
                    limits:
                      memory: {{memory}}
      destination:
        namespace: 'shop-{{env}}'
";
    let dir = repo(&[
        ("base/kustomization.yaml", BASE_K),
        ("base/api.yaml", BASE_API),
        (
            "overlays/staging/kustomization.yaml",
            "resources:\n  - ../../base\n",
        ),
        (
            "overlays/prod/kustomization.yaml",
            "resources:\n  - ../../base\n",
        ),
        ("argocd/shop.yaml", set),
    ]);
    let ws = open(dir.path());
    assert!(problems(&ws).is_empty(), "{:?}", problems(&ws));
    let api = workload(&ws, "prod", "api");
    assert_eq!(api.name, "api-prod");
    assert_eq!(api.containers[0].tag, "1.2");
    // Set among other text in the template: the template's, shared by every environment.
    assert_eq!(
        at(&api.containers[0].image),
        (
            "registry.example/api:1.2",
            "argocd/shop.yaml",
            "spec.template.spec.source.kustomize.images[0]",
            26,
            Layer::Base
        )
    );
    let memory = api.containers[0]
        .resources
        .iter()
        .find(|r| r.name == "limits.memory")
        .unwrap();
    assert_eq!(memory.value.value, "512Mi");
    assert_eq!(memory.value.source.file, "argocd/shop.yaml");
    assert!(
        memory
            .value
            .source
            .path
            .starts_with("spec.template.spec.source.kustomize.patches[0].patch > "),
        "{:?}",
        memory.value.source
    );
    assert_eq!(workload(&ws, "staging", "api").containers[0].tag, "1.3-rc");
}

#[test]
fn what_argo_cd_would_refuse_is_a_located_error_and_the_rest_is_shown() {
    let dir = repo(&[
        ("base/kustomization.yaml", BASE_K),
        ("base/api.yaml", BASE_API),
        ("overlays/prod/kustomization.yaml", "resources:\n  - ../../base\n"),
        ("overlays/prod/extra.yaml", "- op: replace\n  path: /spec/replicas\n  value: 7\n"),
        (
            "argocd/prod.yaml",
            &app(
                "shop-prod",
                "overlays/prod",
                "images:\n  - registry.example/other:2.0\n  - a=b=c\nreplicas:\n  - name: api\n    count: many\ncomponents:\n  - ../../components/missing\npatches:\n  - path: nowhere.yaml\n  - path: extra.yaml\n    target:\n      kind: Deployment\n  - patch: |-\n      spec: [unclosed\n",
            ),
        ),
    ]);
    let before = wheelhouse_testsupport::snapshot(dir.path());
    let ws = open(dir.path());
    let found = problems(&ws);
    let has = |line: u32, text: &str| {
        found
            .iter()
            .any(|p| p.starts_with(&format!("argocd/prod.yaml:{line}:")) && p.contains(text))
    };
    assert!(
        has(
            12,
            "images entry registry.example/other matches no container"
        ),
        "{found:?}"
    );
    assert!(
        has(13, "kustomize.images entry a=b=c is not an image override"),
        "{found:?}"
    );
    assert!(has(16, "count many is not a whole number"), "{found:?}");
    assert!(
        has(18, "component ../../components/missing does not exist"),
        "{found:?}"
    );
    assert!(
        has(20, "nowhere.yaml is not a file of overlays/prod"),
        "{found:?}"
    );
    assert!(has(25, "is not valid YAML"), "{found:?}");
    // The patch given by path is applied; the matrix is still there.
    let api = workload(&ws, "prod", "api");
    assert_eq!(api.replicas.as_ref().unwrap().value, "7");
    assert_eq!(api.containers[0].tag, "1.0");
    assert_eq!(before, wheelhouse_testsupport::snapshot(dir.path()));
}

#[test]
fn missing_components_are_passed_over_when_the_application_says_so() {
    let dir = repo(&[
        ("base/kustomization.yaml", BASE_K),
        ("base/api.yaml", BASE_API),
        ("overlays/prod/kustomization.yaml", "resources:\n  - ../../base\n"),
        (
            "components/replicas/kustomization.yaml",
            "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nreplicas:\n  - name: api\n    count: 4\n",
        ),
        (
            "argocd/prod.yaml",
            &app(
                "shop-prod",
                "overlays/prod",
                "ignoreMissingComponents: true\ncomponents:\n  - ../../components/missing\n  - ../../components/replicas\n",
            ),
        ),
    ]);
    let ws = open(dir.path());
    assert!(problems(&ws).is_empty(), "{:?}", problems(&ws));
    let replicas = workload(&ws, "prod", "api").replicas.clone().unwrap();
    assert_eq!(
        (replicas.value.as_str(), replicas.source.file.as_str()),
        ("4", "components/replicas/kustomization.yaml")
    );
}

#[test]
fn annotations_argo_cd_substitutes_into_are_marked_not_evaluated() {
    let dir = repo(&[
        ("base/kustomization.yaml", BASE_K),
        ("base/api.yaml", BASE_API),
        ("overlays/prod/kustomization.yaml", "resources:\n  - ../../base\n"),
        (
            "argocd/prod.yaml",
            &app(
                "shop-prod",
                "overlays/prod",
                "commonAnnotationsEnvsubst: true\ncommonAnnotations:\n  revision: ${ARGOCD_APP_REVISION}\n  team: payments\n",
            ),
        ),
    ]);
    let mut ws = open(dir.path());
    let found = problems(&ws);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("argocd/prod.yaml:13:")
            && found[0].contains("not evaluated: annotation revision"),
        "{found:?}"
    );
    // Shown as written, where it is written.
    let yaml = ws.render("prod").unwrap().to_yaml();
    assert!(yaml.contains("revision: ${ARGOCD_APP_REVISION}"), "{yaml}");
}
