//! The attack suite of approvals by effect, again through `wheelhouse verify` as CI runs it: each
//! change is judged from Git alone, during the demo's production freeze, and every change that
//! alters prod (whatever file it touches) is blocked with the production rule applying; a
//! comment-only change is not.

mod common;

use common::{demo_repo, json_of, stdout, wheelhouse_command};
use std::path::{Path, PathBuf};

/// 2026-12-24T12:00:00Z: inside the demo's holiday freeze of prod.
const FROZEN: &str = "1798113600";

fn git(repo: &Path, args: &[&str]) {
    let mut all = vec![
        "-c",
        "user.name=Priya",
        "-c",
        "user.email=priya@acme.example",
    ];
    all.extend_from_slice(args);
    wheelhouse_testsupport::git_cli(repo, &all);
}

fn replace(repo: &Path, rel: &str, from: &str, to: &str) {
    let p = repo.join(rel);
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{rel} has {from:?}");
    std::fs::write(p, text.replacen(from, to, 1)).unwrap();
}

fn write(repo: &Path, rel: &str, text: &str) {
    let p = repo.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Commits `edit` on a branch made from main, goes back to main, and returns `wheelhouse --json
/// verify main..BRANCH` (exit code, JSON) judged at FROZEN (in the holiday freeze).
fn verify(repo: &Path, branch: &str, edit: impl FnOnce(&Path)) -> (Option<i32>, serde_json::Value) {
    git(repo, &["checkout", "-q", "-B", branch, "main"]);
    edit(repo);
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-qm", branch]);
    git(repo, &["checkout", "-q", "main"]);
    verify_at(repo, branch, FROZEN)
}

fn rules(v: &serde_json::Value) -> Vec<String> {
    v["verdict"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rule"].as_str().unwrap().to_owned())
        .collect()
}

/// Blocked by the freeze (or by not rendering), with prod judged as changed and the
/// production rule applying.
fn blocked_as_prod(name: &str, (code, v): (Option<i32>, serde_json::Value)) {
    assert_eq!(code, Some(1), "{name}: {v:#}");
    assert_eq!(
        v["verdict"]["state"], "blocked",
        "{name}: {}",
        v["verdict"]["summary"]
    );
    assert!(
        rules(&v).iter().any(|r| r == "production"),
        "{name}: {:?}",
        rules(&v)
    );
}

fn fresh() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let repo = PathBuf::from(demo_repo(dir.path()));
    (dir, repo)
}

#[test]
fn every_change_that_alters_prod_is_blocked_in_the_freeze_through_verify() {
    let (_dir, repo) = fresh();
    blocked_as_prod(
        "base change",
        verify(&repo, "attack/base", |r| {
            replace(
                r,
                "base/api.yaml",
                "- name: FEATURE_NEW_CART\n              value: \"false\"",
                "- name: FEATURE_NEW_CART\n              value: \"true\"",
            )
        }),
    );
    blocked_as_prod(
        "new patch pulled in",
        verify(&repo, "attack/patch", |r| {
            write(r, "shared/patches/debug.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: payments\nspec:\n  template:\n    spec:\n      containers:\n        - name: payments\n          env:\n            - name: LOG_LEVEL\n              value: trace\n");
            replace(
                r,
                "overlays/prod/kustomization.yaml",
                "  - path: worker-memory.yaml\n",
                "  - path: worker-memory.yaml\n  - path: ../../shared/patches/debug.yaml\n",
            );
        }),
    );
    blocked_as_prod(
        "shared values",
        verify(&repo, "attack/values", |r| {
            replace(r, "helm/ledger/values.yaml", "port: 5432", "port: 6432")
        }),
    );
    blocked_as_prod(
        "rename prod to dev",
        verify(&repo, "attack/rename", |r| {
            git(r, &["rm", "-rq", "overlays/dev"]);
            git(r, &["mv", "overlays/prod", "overlays/dev"]);
        }),
    );
    blocked_as_prod(
        "remap prod",
        verify(&repo, "attack/remap", |r| {
            replace(
                r,
                ".wheelhouse/config.yaml",
                "{name: prod,    paths: [overlays/prod,",
                "{name: prod,    paths: [overlays/dev,",
            )
        }),
    );
    blocked_as_prod(
        "symlink",
        verify(&repo, "attack/link", |r| {
            let p = r.join("overlays/prod/api-resources.yaml");
            std::fs::remove_file(&p).unwrap();
            std::os::unix::fs::symlink("../dev/api-debug.yaml", &p).unwrap();
        }),
    );

    // A comment changes nothing any environment renders: not frozen, and no prod rule.
    let (code, v) = verify(&repo, "attack/comment", |r| {
        replace(
            r,
            "base/api.yaml",
            "kind: Deployment\n",
            "kind: Deployment # the API\n",
        )
    });
    assert_ne!(
        v["verdict"]["state"], "blocked",
        "{}",
        v["verdict"]["summary"]
    );
    assert!(v["verdict"]["freeze"].is_null());
    assert!(!rules(&v).iter().any(|r| r == "production"));
    assert_eq!(code, Some(1), "still needs its CODEOWNERS approval");
}

#[test]
fn component_and_selector_changes_that_reach_prod_are_blocked_through_verify() {
    let (_dir, repo) = fresh();
    // main gains a component used by prod, and one whose patch selects by label.
    write(&repo, "components/ha/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n  - path: spread.yaml\n");
    write(&repo, "components/ha/spread.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          env:\n            - name: HA_MODE\n              value: \"zonal\"\n");
    write(&repo, "components/limits/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n  - target:\n      kind: Deployment\n      labelSelector: tier=batch\n    patch: |-\n      - op: add\n        path: /spec/template/spec/containers/0/resources/limits/cpu\n        value: \"4\"\n");
    replace(&repo, "overlays/prod/kustomization.yaml", "resources:\n  - ../../base\n", "resources:\n  - ../../base\ncomponents:\n  - ../../components/ha\n  - ../../components/limits\n");
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "components"]);

    let (code, v) = verify(&repo, "attack/component", |r| {
        replace(r, "components/ha/spread.yaml", "\"zonal\"", "\"regional\"")
    });
    blocked_as_prod("component", (code, v.clone()));
    let why = v["verdict"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "production")
        .unwrap()["matched_effects"][0]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        why,
        "changes prod: api, env HA_MODE zonal → regional, via components/ha/spread.yaml"
    );

    blocked_as_prod(
        "label selector",
        verify(&repo, "attack/label", |r| {
            replace(
                r,
                "base/worker.yaml",
                "  labels:\n    app.kubernetes.io/name: worker\n",
                "  labels:\n    app.kubernetes.io/name: worker\n    tier: batch\n",
            )
        }),
    );
}

#[test]
fn diff_rendered_and_verify_explain_the_change_per_environment() {
    let (_dir, repo) = fresh();
    let r = repo.to_str().unwrap();
    git(&repo, &["checkout", "-q", "-B", "change/cart", "main"]);
    replace(
        &repo,
        "base/api.yaml",
        "- name: FEATURE_NEW_CART\n              value: \"false\"",
        "- name: FEATURE_NEW_CART\n              value: \"true\"",
    );
    git(&repo, &["commit", "-qam", "cart"]);
    git(&repo, &["checkout", "-q", "main"]);

    let out = wheelhouse_command()
        .args(["--repo", r, "diff", "--rendered", "main..change/cart"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.contains("prod: changed via base/api.yaml"), "{text}");
    assert!(
        text.contains("  api, env FEATURE_NEW_CART false → true"),
        "{text}"
    );
    assert!(
        text.contains("  Deployment shop-prod/api (changed)"),
        "{text}"
    );
    assert!(text.contains("+          value: \"true\""), "{text}");
    assert!(text.ends_with("unaffected: dev\n"), "{text}");

    let out = wheelhouse_command()
        .args([
            "--json",
            "--repo",
            r,
            "diff",
            "--rendered",
            "main..change/cart",
        ])
        .output()
        .unwrap();
    let effect = json_of(&out);
    let statuses: Vec<(String, String)> = effect["environments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["env"].as_str().unwrap().into(),
                e["status"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        [
            ("dev", "unaffected"),
            ("staging", "changed"),
            ("prod", "changed")
        ]
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
    );

    let out = wheelhouse_command()
        .env("WHEELHOUSE_NOW", "1795694400")
        .args(["--repo", r, "verify", "main..change/cart"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("  production: needs 2 more\n    changes prod: api, env FEATURE_NEW_CART false → true, via base/api.yaml\n"), "{text}");
    assert!(text.contains(": does not apply ("), "{text}");

    // Not a range: a usage error that says what is expected.
    let out = wheelhouse_command()
        .args(["--json", "--repo", r, "diff", "--rendered", "main"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_of(&out)["error"]["code"], "invalid_input");
}

/// `wheelhouse --json verify main..BRANCH` with `WHEELHOUSE_NOW` set to `now`.
fn verify_at(repo: &Path, branch: &str, now: &str) -> (Option<i32>, serde_json::Value) {
    let out = wheelhouse_command()
        .env("WHEELHOUSE_NOW", now)
        .args([
            "--json",
            "--repo",
            repo.to_str().unwrap(),
            "verify",
            &format!("main..{branch}"),
        ])
        .output()
        .unwrap();
    let json = serde_json::from_str(&stdout(&out)).unwrap_or_else(|_| json_of(&out));
    (out.status.code(), json)
}

/// `WHEELHOUSE_NOW` decides whether the freeze applies: an RFC 3339 time pins it as seconds do,
/// and anything else is refused with the value named, never ignored for the clock.
#[test]
fn the_pinned_time_is_seconds_or_rfc_3339_and_anything_else_is_refused() {
    let (_dir, repo) = fresh();
    let (code, frozen) = verify(&repo, "change/base", |r| {
        replace(r, "base/api.yaml", "value: \"false\"", "value: \"true\"")
    });
    assert_eq!(code, Some(1), "{frozen:#}");
    // FROZEN, 2026-12-24T12:00:00Z, written two ways.
    for same in ["2026-12-24T12:00:00Z", "2026-12-24T13:00:00+01:00"] {
        let (code, v) = verify_at(&repo, "change/base", same);
        assert_eq!(code, Some(1), "{same}: {v:#}");
        assert_eq!(v["verdict"], frozen["verdict"], "{same}");
    }
    // The time matters: a month earlier no freeze applies and the verdict differs.
    let (_, before) = verify_at(&repo, "change/base", "2026-11-24T12:00:00Z");
    assert_ne!(before["verdict"], frozen["verdict"]);

    for bad in ["2026-12-24", "christmas", "1798113600.0"] {
        let (code, v) = verify_at(&repo, "change/base", bad);
        assert_eq!(code, Some(1), "{bad}: {v:#}");
        assert_eq!(v["error"]["code"], "invalid_input", "{bad}: {v:#}");
        let message = v["error"]["message"].as_str().unwrap();
        assert!(
            message.contains(&format!("WHEELHOUSE_NOW is `{bad}`")),
            "{message}"
        );
    }
}
