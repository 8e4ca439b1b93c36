//! Paths stay inside the repository: every path a repository file names (an environment's
//! folder, a patch, a values file, a generator's file) and every file the workspace reads goes
//! through `wheelhouse_paths`; one that leaves the repository is a located problem and nothing
//! outside is read.

mod common;

use common::open;
use wheelhouse_desired_state::{Severity, Workspace};

const API: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n        - name: api\n          image: registry.example/api:1.0\n";

/// A repository inside a scratch folder that also holds `outside/` beside it, with a file the
/// resolver must never read (its replicas would be 99).
fn scratch(files: &[(&str, &str)]) -> (tempfile::TempDir, std::path::PathBuf) {
    let top = tempfile::tempdir().unwrap();
    let outside = top.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(
        outside.join("patch.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 99\n",
    )
    .unwrap();
    std::fs::write(outside.join("values.yaml"), "replicaCount: 99\n").unwrap();
    std::fs::write(outside.join("secret.env"), "PASSWORD=hunter2\n").unwrap();
    let root = top.path().join("repo");
    for (path, content) in files {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, content).unwrap();
    }
    (top, root)
}

fn outside_problem<'a>(ws: &'a Workspace, file: &str) -> &'a wheelhouse_desired_state::Problem {
    ws.state()
        .problems
        .iter()
        .find(|p| {
            p.file == file && p.code == wheelhouse_desired_state::ErrorCode::PathOutsideRepository
        })
        .unwrap_or_else(|| {
            panic!(
                "no outside-the-repository problem for {file}: {:?}",
                ws.state().problems
            )
        })
}

fn never_read(ws: &Workspace) {
    let dump = format!("{:?}", ws.state());
    assert!(!dump.contains("\"99\""), "a value outside was read");
    assert!(
        !dump.contains("hunter2"),
        "a secret outside the repository was read"
    );
    for f in ws.snapshot().files.keys() {
        assert!(!f.starts_with("..") && !f.starts_with('/'), "read {f}");
    }
}

#[test]
fn a_patch_path_that_climbs_out_is_located_and_not_read() {
    let (_top, root) = scratch(&[
        ("base/kustomization.yaml", "resources:\n  - api.yaml\n"),
        ("base/api.yaml", API),
        (
            "overlays/prod/kustomization.yaml",
            "resources:\n  - ../../base\npatches:\n  - path: ../../../outside/patch.yaml\n",
        ),
    ]);
    let ws = open(&root);
    let p = outside_problem(&ws, "overlays/prod/kustomization.yaml");
    assert_eq!(p.severity, Severity::Error);
    assert_eq!(p.line, Some(4), "{p:?}");
    let api = common::workload(&ws, "prod", "api");
    assert_eq!(api.replicas.as_ref().map(|r| r.value.as_str()), Some("1"));
    never_read(&ws);
}

#[test]
fn a_generator_file_outside_is_located_and_not_read() {
    let (_top, root) = scratch(&[
        ("base/kustomization.yaml", "resources:\n  - api.yaml\n"),
        ("base/api.yaml", API),
        (
            "overlays/prod/kustomization.yaml",
            "resources:\n  - ../../base\nconfigMapGenerator:\n  - name: creds\n    envs:\n      - ../../../outside/secret.env\n",
        ),
    ]);
    let ws = open(&root);
    outside_problem(&ws, "overlays/prod/kustomization.yaml");
    never_read(&ws);
}

#[test]
fn a_values_file_outside_is_located_and_not_read() {
    let app = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: api-prod\nspec:\n  source:\n    repoURL: https://git.example.com/acme/gitops.git\n    path: charts/api\n    targetRevision: HEAD\n    helm:\n      valueFiles:\n        - ../../../outside/values.yaml\n      values: |\n        replicaCount: 2\n  destination:\n    namespace: shop-prod\n";
    let (_top, root) = scratch(&[
        ("argocd/api-prod.yaml", app),
        (
            "charts/api/Chart.yaml",
            "apiVersion: v2\nname: api\nversion: 1.0.0\n",
        ),
        ("charts/api/values.yaml", "replicaCount: 1\n"),
    ]);
    let ws = open(&root);
    let p = outside_problem(&ws, "argocd/api-prod.yaml");
    assert_eq!((p.line, p.severity), (Some(12), Severity::Error), "{p:?}");
    never_read(&ws);
}

#[test]
fn an_environment_path_outside_is_located_and_not_read() {
    let (_top, root) = scratch(&[
        (
            ".wheelhouse/config.yaml",
            "environments:\n  - name: dev\n    paths: [overlays/dev]\n  - name: prod\n    paths: [../outside]\n",
        ),
        ("overlays/dev/kustomization.yaml", "resources:\n  - api.yaml\n"),
        ("overlays/dev/api.yaml", API),
    ]);
    let ws = open(&root);
    let p = outside_problem(&ws, ".wheelhouse/config.yaml");
    assert_eq!(p.line, Some(5), "{p:?}");
    never_read(&ws);
}

#[cfg(unix)]
#[test]
fn a_folder_linked_outside_is_not_read() {
    let (top, root) = scratch(&[
        ("base/kustomization.yaml", "resources:\n  - api.yaml\n"),
        ("base/api.yaml", API),
        (
            "overlays/dev/kustomization.yaml",
            "resources:\n  - ../../base\n",
        ),
    ]);
    std::fs::write(
        top.path().join("outside/kustomization.yaml"),
        "resources:\n  - ../repo/base\npatches:\n  - path: patch.yaml\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(top.path().join("outside"), root.join("overlays/prod")).unwrap();
    let ws = open(&root);
    assert!(
        !ws.snapshot()
            .files
            .keys()
            .any(|f| f.starts_with("overlays/prod/")),
        "{:?}",
        ws.snapshot().files.keys().collect::<Vec<_>>()
    );
    never_read(&ws);
}
