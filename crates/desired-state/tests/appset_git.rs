//! ApplicationSet `git` generators: `directories` make one Application per matching folder
//! (excludes honoured), `files` one per matching config file (its keys are parameters); in
//! both template syntaxes. A generator over folders that do not exist is a located warning.

mod common;

use common::{env_names, open, repo, workload};
use wheelhouse_desired_state::Severity;

const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n        - name: api\n          image: registry.example/api:1.0.0\n";

fn overlay(tag: &str) -> String {
    format!(
        "resources:\n  - ../../base\nimages:\n  - name: registry.example/api\n    newTag: {tag}\n"
    )
}

#[test]
fn git_directories_make_one_application_per_folder() {
    let appset = "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: shop\nspec:\n  goTemplate: true\n  generators:\n    - git:\n        repoURL: https://git.example/shop.git\n        revision: HEAD\n        directories:\n          - path: deploy/stages/*\n          - path: deploy/stages/scratch\n            exclude: true\n  template:\n    metadata:\n      name: 'shop-{{.path.basename}}'\n    spec:\n      project: default\n      source:\n        repoURL: https://git.example/shop.git\n        targetRevision: HEAD\n        path: '{{.path.path}}'\n      destination:\n        server: https://kubernetes.default.svc\n        namespace: 'shop-{{.path.basename}}'\n";
    let (dev, prod, scratch) = (overlay("1.1.0"), overlay("1.0.5"), overlay("0.0.1"));
    let dir = repo(&[
        (
            "deploy/base/kustomization.yaml",
            "resources:\n  - api.yaml\n",
        ),
        ("deploy/base/api.yaml", DEPLOY),
        ("deploy/stages/dev/kustomization.yaml", dev.as_str()),
        ("deploy/stages/prod/kustomization.yaml", prod.as_str()),
        ("deploy/stages/scratch/kustomization.yaml", scratch.as_str()),
        ("argocd/shop.yaml", appset),
    ]);
    let ws = open(dir.path());
    assert_eq!(
        env_names(&ws),
        vec!["dev", "prod"],
        "{:?}",
        ws.state().problems
    );
    assert_eq!(workload(&ws, "dev", "api").containers[0].tag, "1.1.0");
    assert_eq!(workload(&ws, "prod", "api").containers[0].tag, "1.0.5");
    assert_eq!(
        workload(&ws, "prod", "api").namespace.as_deref(),
        Some("shop-prod")
    );
    let sources = &ws.state().environments[1].sources;
    assert!(
        sources[0].starts_with("Argo CD Application `shop-prod` in argocd/shop.yaml"),
        "{sources:?}"
    );
}

#[test]
fn git_files_make_one_application_per_config_file() {
    let appset = "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: ledger\nspec:\n  generators:\n    - git:\n        repoURL: https://git.example/shop.git\n        revision: HEAD\n        files:\n          - path: clusters/*/config.json\n  template:\n    metadata:\n      name: 'ledger-{{path.basename}}'\n    spec:\n      project: default\n      source:\n        repoURL: https://charts.example\n        chart: ledger\n        targetRevision: '{{chart.version}}'\n        helm:\n          parameters:\n            - name: replicaCount\n              value: '{{replicas}}'\n      destination:\n        server: https://kubernetes.default.svc\n        namespace: ledger\n";
    let dir = repo(&[
        (
            "clusters/staging/config.json",
            "{\"env\": \"staging\", \"replicas\": \"2\", \"chart\": {\"version\": \"0.5.0\"}}\n",
        ),
        (
            "clusters/production/config.json",
            "{\"env\": \"production\", \"replicas\": \"6\", \"chart\": {\"version\": \"0.4.2\"}}\n",
        ),
        ("argocd/ledger.yaml", appset),
    ]);
    let ws = open(dir.path());
    assert_eq!(
        env_names(&ws),
        vec!["staging", "production"],
        "{:?}",
        ws.state().problems
    );
    let prod = workload(&ws, "production", "ledger");
    assert_eq!(prod.chart_version.as_ref().unwrap().value, "0.4.2");
    assert_eq!(prod.replicas.as_ref().unwrap().value, "6");
    // Generated values point at the generator that made them.
    assert_eq!(
        prod.chart_version.as_ref().unwrap().source.file,
        "argocd/ledger.yaml"
    );
    assert_eq!(prod.chart_version.as_ref().unwrap().source.line, 7);
}

#[test]
fn a_git_generator_over_folders_that_do_not_exist_is_a_located_warning() {
    let appset = "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: ghost\nspec:\n  generators:\n    - git:\n        repoURL: https://git.example/shop.git\n        directories:\n          - path: nowhere/*\n  template:\n    metadata:\n      name: 'ghost-{{path.basename}}'\n    spec:\n      source:\n        path: '{{path}}'\n";
    let dir = repo(&[
        (
            "deploy/base/kustomization.yaml",
            "resources:\n  - api.yaml\n",
        ),
        ("deploy/base/api.yaml", DEPLOY),
        ("argocd/ghost.yaml", appset),
    ]);
    let ws = open(dir.path());
    let p = ws
        .state()
        .problems
        .iter()
        .find(|p| p.file == "argocd/ghost.yaml")
        .expect("reported");
    assert_eq!((p.line, p.severity), (Some(7), Severity::Warning));
    assert!(p.message.contains("matches no folder or file"), "{p}");
}
