//! `wheelhouse render`: an environment's manifests as Kustomize prints them, one workload's,
//! as JSON, and `--check` against the real Kustomize (exit 1 on a disagreement).

mod common;

use common::{json_of, stderr, stdout, wheelhouse};
use std::path::Path;
use wheelhouse_testsupport::{snapshot, TempRepo};

/// The corpus case with a Kustomize component, committed in a fresh repository.
fn components_repo() -> TempRepo {
    corpus_repo("02-components")
}

/// The repository of corpus case `name`, committed in a fresh repository.
fn corpus_repo(name: &str) -> TempRepo {
    let case = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../desired-state/tests/corpus/{name}/repo"));
    let mut files = Vec::new();
    let mut stack = vec![case.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(&case)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.push((rel, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    TempRepo::with_files(&refs)
}

/// Whether kubectl is on PATH (it is where CI runs); `--check` is not exercised without it.
fn kubectl_on_path() -> bool {
    let found = std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join("kubectl").is_file()));
    if !found {
        eprintln!("kubectl is not on PATH: --check is not exercised");
    }
    found
}

fn golden(env: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(format!(
        "../desired-state/tests/corpus/02-components/golden/{env}.yaml"
    )))
    .unwrap()
}

#[test]
fn render_prints_what_kustomize_prints_and_filters_one_workload() {
    let repo = components_repo();
    let root = repo.path().to_str().unwrap();
    let before = snapshot(repo.path());
    let out = wheelhouse(&["--repo", root, "render", "prod"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), golden("prod"));

    let api = wheelhouse(&["--repo", root, "render", "prod", "api"]);
    assert!(api.status.success(), "{}", stderr(&api));
    let text = stdout(&api);
    assert!(
        text.contains("kind: Service") && text.contains("kind: Deployment"),
        "{text}"
    );
    assert!(!text.contains("name: web"), "{text}");
    assert!(
        text.contains("name: HA_MODE"),
        "the component's env var: {text}"
    );

    let json = wheelhouse(&["--json", "--repo", root, "render", "prod", "api"]);
    let v = json_of(&json);
    assert_eq!(v["environment"], "prod");
    assert_eq!(v["folders"], serde_json::json!(["overlays/prod"]));
    let deployment = v["objects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["kind"] == "Deployment")
        .unwrap();
    assert_eq!(deployment["spec"]["replicas"], 3);

    let unknown = wheelhouse(&["--repo", root, "render", "qa"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        stderr(&unknown).contains("dev, prod"),
        "{}",
        stderr(&unknown)
    );
    let none = wheelhouse(&["--repo", root, "render", "prod", "ghost"]);
    assert_eq!(none.status.code(), Some(1));
    assert_eq!(before, snapshot(repo.path()), "render wrote something");
}

#[test]
fn check_agrees_with_kubectl_and_fails_on_a_disagreement() {
    if !kubectl_on_path() {
        return;
    }
    let repo = components_repo();
    let root = repo.path().to_str().unwrap();
    let ok = wheelhouse(&["--json", "--repo", root, "render", "prod", "--check"]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    let v = json_of(&ok);
    assert_eq!(v["tool"], "kubectl kustomize");
    assert_eq!(v["disagreements"], serde_json::json!([]));

    // `vars` are not evaluated by Wheelhouse: kubectl substitutes $(API_PORT), we do not, and
    // the check says where.
    repo.write(
        "overlays/dev/kustomization.yaml",
        "resources:\n  - ../../base\nvars:\n  - name: API_NAME\n    objref:\n      kind: Service\n      name: api\n      apiVersion: v1\npatches:\n  - target:\n      kind: Deployment\n      name: web\n    patch: |\n      - op: add\n        path: /spec/template/spec/containers/0/args\n        value: [\"--api=$(API_NAME)\"]\n",
    );
    let bad = wheelhouse(&["--repo", root, "render", "dev", "--check"]);
    assert_eq!(bad.status.code(), Some(1), "{}", stdout(&bad));
    let text = stdout(&bad);
    assert!(
        text.contains("Deployment//web /spec/template/spec/containers/0/args/0"),
        "{text}"
    );
    assert!(
        text.contains("1 disagreement(s) with kubectl kustomize"),
        "{text}"
    );
    let warned = wheelhouse(&["--repo", root, "render", "dev"]);
    assert!(
        stderr(&warned).contains("not evaluated: vars"),
        "{}",
        stderr(&warned)
    );
}

#[test]
fn an_argo_cd_applications_kustomize_edit_is_rendered_and_checked_as_argo_cd_builds_it() {
    let repo = corpus_repo("59-argo-kustomize-edit");
    let root = repo.path().to_str().unwrap();
    let before = snapshot(repo.path());
    let out = wheelhouse(&["--repo", root, "render", "prod"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let golden = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../desired-state/tests/corpus/59-argo-kustomize-edit/golden/prod.yaml"),
    )
    .unwrap();
    assert_eq!(stdout(&out), golden);
    assert!(
        stderr(&out).contains(
            "overlays/prod/kustomization.yaml: built as the Argo CD Application's kustomize: edits it"
        ),
        "{}",
        stderr(&out)
    );
    let json = json_of(&wheelhouse(&["--json", "--repo", root, "render", "prod"]));
    assert_eq!(
        json["edited"],
        serde_json::json!(["overlays/prod/kustomization.yaml"])
    );
    if kubectl_on_path() {
        let check = wheelhouse(&["--repo", root, "render", "prod", "--check"]);
        assert!(check.status.success(), "{}", stderr(&check));
        assert!(
            stdout(&check).contains("0 disagreement(s) with kubectl kustomize on overlays/prod (overlays/prod/kustomization.yaml as the Argo CD Application's kustomize: edits it, in a copy)."),
            "{}",
            stdout(&check)
        );
    }
    assert_eq!(before, snapshot(repo.path()), "render wrote something");
}

#[test]
fn check_stops_a_build_that_hangs_on_a_remote_base_at_the_timeout() {
    if !kubectl_on_path() {
        return;
    }
    // A remote base on a server that accepts the connection and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let held: Vec<_> = listener.incoming().flatten().collect();
        drop(held);
    });
    let repo = components_repo();
    repo.write(
        "overlays/prod/kustomization.yaml",
        &format!(
            "resources:\n  - ../../base\n  - http://127.0.0.1:{port}/shop.git//base?ref=main\n"
        ),
    );
    let root = repo.path().to_str().unwrap();
    let started = std::time::Instant::now();
    let out = wheelhouse(&[
        "--json",
        "--repo",
        root,
        "render",
        "prod",
        "--check",
        "--timeout",
        "1",
    ]);
    assert!(started.elapsed() < std::time::Duration::from_secs(15));
    assert!(!out.status.success());
    let err = &json_of(&out)["error"];
    assert_eq!(err["code"], "check_failed");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("overlays/prod did not finish within 1 s"),
        "{err}"
    );
    let zero = wheelhouse(&[
        "--repo",
        root,
        "render",
        "prod",
        "--check",
        "--timeout",
        "0",
    ]);
    assert!(
        stderr(&zero).contains("0 is not in 1..=3600"),
        "{}",
        stderr(&zero)
    );
}
