//! Rules and freezes judged by what a change does, on real git repositories (the demo, with
//! commits made by git itself): the attack suite of issue 12. Each change is reviewed exactly as
//! `wheelhouse verify` and the app review it — the target branch's policy, people, CODEOWNERS
//! and environment mapping; the head resolved and rendered beside the merge base.

use std::path::{Path, PathBuf};
use wheelhouse_approvals::policy::{FieldKind, VerdictState};
use wheelhouse_approvals::review::{self, ChangeReview};
use wheelhouse_desired_state::effect::EffectStatus;
use wheelhouse_repo::Repository;

/// 2026-11-26T12:00:00Z: outside the demo's holiday freeze.
const NOW: i64 = 1_795_694_400;
/// 2026-12-24T12:00:00Z: inside it.
const FROZEN: i64 = 1_798_113_600;

struct Demo {
    _dir: tempfile::TempDir,
    repo: PathBuf,
}

fn git(repo: &Path, args: &[&str]) -> String {
    wheelhouse_testsupport::git_cli(repo, args)
}

fn demo() -> Demo {
    let dir = tempfile::tempdir().unwrap();
    let ws = wheelhouse_demo::create(&dir.path().join("demo")).unwrap();
    let repo = PathBuf::from(ws.repo);
    git(&repo, &["config", "user.name", "Priya Natarajan"]);
    git(
        &repo,
        &["config", "user.email", "priya.natarajan@acme.example"],
    );
    Demo { _dir: dir, repo }
}

impl Demo {
    fn path(&self, rel: &str) -> PathBuf {
        self.repo.join(rel)
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    fn replace(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} has {from:?}");
        self.write(rel, &text.replacen(from, to, 1));
    }

    /// Commits what `edit` does on `branch` (made from main), and goes back to main.
    fn change(&self, branch: &str, edit: impl FnOnce(&Demo)) -> String {
        git(&self.repo, &["checkout", "-q", "-B", branch, "main"]);
        edit(self);
        git(&self.repo, &["add", "-A"]);
        git(
            &self.repo,
            &["commit", "-qm", &format!("{branch}: the change")],
        );
        git(&self.repo, &["checkout", "-q", "main"]);
        branch.to_owned()
    }

    /// Commits what `edit` does on main itself (the target branch moves on).
    fn on_main(&self, edit: impl FnOnce(&Demo)) {
        edit(self);
        git(&self.repo, &["add", "-A"]);
        git(&self.repo, &["commit", "-qm", "main: set-up"]);
    }

    fn review(&self, branch: &str, now: i64) -> ChangeReview {
        let repo = Repository::open(&self.repo).unwrap();
        review::review(&repo, branch, branch, "main", now).unwrap()
    }
}

fn rule<'a>(
    r: &'a ChangeReview,
    name: &str,
) -> Option<&'a wheelhouse_approvals::policy::RuleVerdict> {
    r.verdict.rules.iter().find(|x| x.rule == name)
}

fn affected(r: &ChangeReview) -> Vec<(&str, EffectStatus)> {
    r.effect
        .affected()
        .map(|e| (e.env.as_str(), e.status))
        .collect()
}

#[test]
fn a_base_change_that_flips_an_env_var_is_a_prod_change_and_frozen_in_the_freeze() {
    let d = demo();
    let b = d.change("change/cart", |d| {
        d.replace(
            "base/api.yaml",
            "- name: FEATURE_NEW_CART\n              value: \"false\"",
            "- name: FEATURE_NEW_CART\n              value: \"true\"",
        )
    });
    let r = d.review(&b, NOW);
    // dev already turns the flag on in its own patch: it renders as before.
    assert_eq!(
        affected(&r),
        [
            ("staging", EffectStatus::Changed),
            ("prod", EffectStatus::Changed)
        ]
    );
    assert_eq!(r.environments, ["staging", "prod"]);
    let prod = rule(&r, "production").expect("the production rule applies by effect");
    assert_eq!(
        prod.matched_effects,
        ["changes prod: api, env FEATURE_NEW_CART false → true, via base/api.yaml"]
    );
    assert_eq!(prod.required, 2);
    assert!(r
        .verdict
        .summary
        .contains("2 more approvals from @ops-leads"));
    let env = r
        .field_changes
        .iter()
        .find(|f| f.env == "prod")
        .expect("a prod field change");
    assert_eq!(
        (
            env.field,
            env.key.as_deref(),
            env.from.as_deref(),
            env.to.as_deref()
        ),
        (
            FieldKind::Env,
            Some("FEATURE_NEW_CART"),
            Some("false"),
            Some("true")
        )
    );
    assert!(r
        .verdict
        .not_applied
        .iter()
        .any(|n| n.rule == "dev image bumps" && n.reason == "dev renders as before"));
    // The rendered diff of prod's Deployment shows the line.
    let prod_effect = r
        .effect
        .environments
        .iter()
        .find(|e| e.env == "prod")
        .unwrap();
    assert_eq!(prod_effect.resources.len(), 1);
    assert_eq!(
        prod_effect.resources[0].resource,
        "Deployment shop-prod/api"
    );
    assert!(prod_effect.resources[0]
        .diff
        .contains("+          value: \"true\""));

    let frozen = d.review(&b, FROZEN);
    assert_eq!(frozen.verdict.state, VerdictState::Blocked);
    assert_eq!(
        frozen.verdict.freeze.as_ref().unwrap().environments,
        ["prod"]
    );
}

#[test]
fn a_comment_only_change_has_no_effect_is_not_frozen_and_can_be_auto_approved() {
    let d = demo();
    d.on_main(|d| {
        d.replace(
            ".wheelhouse/policy.yaml",
            "  - name: status page",
            "  - name: formatting\n    paths: [\"base/**\"]\n    auto_approve:\n      no_effect: true\n  - name: status page",
        )
    });
    let b = d.change("change/comment", |d| {
        d.replace(
            "base/api.yaml",
            "kind: Deployment\n",
            "kind: Deployment # the API\n",
        )
    });
    let r = d.review(&b, FROZEN);
    assert!(affected(&r).is_empty(), "{:?}", r.effect.environments);
    assert!(r.field_changes.is_empty());
    assert!(
        r.verdict.freeze.is_none(),
        "no environment changes: not frozen"
    );
    assert!(rule(&r, "production").is_none());
    assert_eq!(
        rule(&r, "formatting").unwrap().auto_approved_by.as_deref(),
        Some("no environment renders differently; all in base/**")
    );

    // The same rule does not wave through a change that does something.
    let b = d.change("change/real", |d| {
        d.replace("base/api.yaml", "value: info", "value: warn")
    });
    let r = d.review(&b, NOW);
    let formatting = rule(&r, "formatting").unwrap();
    assert_eq!(formatting.auto_approved_by, None);
    assert!(formatting
        .auto_approve_declined
        .as_deref()
        .unwrap()
        .contains("env LOG_LEVEL info → warn"));
}

#[test]
fn a_change_inside_a_component_used_by_prod_is_a_prod_change() {
    let d = demo();
    d.on_main(|d| {
        d.write(
            "components/ha/kustomization.yaml",
            "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n  - path: spread.yaml\n",
        );
        d.write(
            "components/ha/spread.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          env:\n            - name: HA_MODE\n              value: \"zonal\"\n",
        );
        d.replace(
            "overlays/prod/kustomization.yaml",
            "resources:\n  - ../../base\n",
            "resources:\n  - ../../base\ncomponents:\n  - ../../components/ha\n",
        );
    });
    let b = d.change("change/ha", |d| {
        d.replace("components/ha/spread.yaml", "\"zonal\"", "\"regional\"")
    });
    let r = d.review(&b, NOW);
    assert_eq!(affected(&r), [("prod", EffectStatus::Changed)]);
    assert_eq!(
        rule(&r, "production").unwrap().matched_effects,
        ["changes prod: api, env HA_MODE zonal → regional, via components/ha/spread.yaml"]
    );
    assert_eq!(d.review(&b, FROZEN).verdict.state, VerdictState::Blocked);
}

#[test]
fn a_new_patch_file_pulled_into_prod_by_one_line_is_a_prod_change() {
    let d = demo();
    let b = d.change("change/patch", |d| {
        d.write(
            "shared/patches/debug.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: payments\nspec:\n  template:\n    spec:\n      containers:\n        - name: payments\n          env:\n            - name: LOG_LEVEL\n              value: trace\n",
        );
        d.replace(
            "overlays/prod/kustomization.yaml",
            "  - path: worker-memory.yaml\n",
            "  - path: worker-memory.yaml\n  - path: ../../shared/patches/debug.yaml\n",
        );
    });
    let r = d.review(&b, NOW);
    assert_eq!(affected(&r), [("prod", EffectStatus::Changed)]);
    let prod = &r
        .effect
        .environments
        .iter()
        .find(|e| e.env == "prod")
        .unwrap();
    assert_eq!(
        prod.via,
        [
            "overlays/prod/kustomization.yaml",
            "shared/patches/debug.yaml"
        ]
    );
    assert!(prod
        .fields
        .iter()
        .any(|f| f.workload == "payments" && f.key.as_deref() == Some("LOG_LEVEL")));
    assert!(rule(&r, "production").is_some());
}

#[test]
fn a_values_file_every_environment_shares_changes_prod() {
    // prod sets its own database.pool: a change to the shared pool would not change prod.
    let d0 = demo();
    let b = d0.change("change/pool", |d| {
        d.replace("helm/ledger/values.yaml", "pool: 10", "pool: 50")
    });
    let r = d0.review(&b, NOW);
    assert!(
        !affected(&r).iter().any(|(e, _)| *e == "prod"),
        "{:?}",
        affected(&r)
    );

    let d = demo();
    let b = d.change("change/port", |d| {
        d.replace("helm/ledger/values.yaml", "port: 5432", "port: 6432")
    });
    let r = d.review(&b, NOW);
    let envs: Vec<&str> = affected(&r).iter().map(|(e, _)| *e).collect();
    assert!(envs.contains(&"prod"), "{envs:?}");
    let change = r
        .field_changes
        .iter()
        .find(|f| f.env == "prod")
        .expect("prod's ledger changes");
    assert_eq!(change.field, FieldKind::HelmValue);
    assert_eq!(change.key.as_deref(), Some("database.port"));
    assert_eq!(
        (change.from.as_deref(), change.to.as_deref()),
        (Some("5432"), Some("6432"))
    );
    assert_eq!(change.path, "helm/ledger/values.yaml");
    assert!(rule(&r, "production").is_some());
}

#[test]
fn a_label_that_makes_a_patch_selector_match_a_prod_workload_is_a_prod_change() {
    let d = demo();
    d.on_main(|d| {
        d.write(
            "components/limits/kustomization.yaml",
            "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n  - target:\n      kind: Deployment\n      labelSelector: tier=batch\n    patch: |-\n      - op: add\n        path: /spec/template/spec/containers/0/resources/limits/cpu\n        value: \"4\"\n",
        );
        d.replace(
            "overlays/prod/kustomization.yaml",
            "resources:\n  - ../../base\n",
            "resources:\n  - ../../base\ncomponents:\n  - ../../components/limits\n",
        );
    });
    // Only a base file changes; the patch that now applies sits in a component.
    let b = d.change("change/label", |d| {
        d.replace(
            "base/worker.yaml",
            "  labels:\n    app.kubernetes.io/name: worker\n",
            "  labels:\n    app.kubernetes.io/name: worker\n    tier: batch\n",
        )
    });
    let r = d.review(&b, NOW);
    let prod = r
        .effect
        .environments
        .iter()
        .find(|e| e.env == "prod")
        .unwrap();
    assert_eq!(prod.status, EffectStatus::Changed);
    let cpu = prod
        .fields
        .iter()
        .find(|f| f.field == wheelhouse_desired_state::fields::ChangedField::Resources)
        .expect("the component's patch now sets worker's CPU limit");
    assert_eq!(
        (
            cpu.workload.as_str(),
            cpu.key.as_deref(),
            cpu.from.as_deref(),
            cpu.to.as_deref()
        ),
        ("worker", Some("limits.cpu"), None, Some("4"))
    );
    assert!(rule(&r, "production").is_some());
}

#[test]
fn renaming_overlays_prod_to_overlays_dev_is_judged_as_a_prod_change() {
    let d = demo();
    let b = d.change("change/rename", |d| {
        git(&d.repo, &["rm", "-rq", "overlays/dev"]);
        git(&d.repo, &["mv", "overlays/prod", "overlays/dev"]);
    });
    let r = d.review(&b, NOW);
    let prod = r
        .effect
        .environments
        .iter()
        .find(|e| e.env == "prod")
        .unwrap();
    assert_ne!(prod.status, EffectStatus::Unaffected, "{prod:?}");
    assert!(rule(&r, "production").is_some());
    assert_eq!(d.review(&b, FROZEN).verdict.state, VerdictState::Blocked);
}

#[test]
fn remapping_prod_in_the_config_needs_the_strictest_rule() {
    let d = demo();
    let b = d.change("change/remap", |d| {
        d.replace(
            ".wheelhouse/config.yaml",
            "{name: prod,    paths: [overlays/prod,",
            "{name: prod,    paths: [overlays/dev,",
        )
    });
    let r = d.review(&b, NOW);
    // Judged with main's mapping, nothing renders differently; the mapping is what moves.
    assert!(affected(&r).is_empty());
    assert_eq!(r.effect.redefining, [".wheelhouse/config.yaml"]);
    let prod = rule(&r, "production").expect("the strictest environment rule applies");
    assert!(
        prod.matched_effects[0].contains(".wheelhouse/config.yaml edits what defines environments")
    );
    assert_eq!(prod.required, 2);
    let frozen = d.review(&b, FROZEN);
    assert_eq!(frozen.verdict.state, VerdictState::Blocked);
}

#[test]
fn a_symlink_pointing_a_prod_file_elsewhere_is_blocked_and_a_prod_change() {
    let d = demo();
    let b = d.change("change/link", |d| {
        let p = d.path("overlays/prod/api-resources.yaml");
        std::fs::remove_file(&p).unwrap();
        std::os::unix::fs::symlink("../dev/api-debug.yaml", &p).unwrap();
    });
    let r = d.review(&b, NOW);
    assert_eq!(r.verdict.state, VerdictState::Blocked);
    assert!(
        r.verdict.summary.starts_with("blocked: the change does not render: overlays/prod/api-resources.yaml: is a symbolic link to ../dev/api-debug.yaml"),
        "{}",
        r.verdict.summary
    );
    assert!(affected(&r).iter().any(|(e, _)| *e == "prod"));
    assert!(rule(&r, "production").is_some());
}

#[test]
fn a_head_that_does_not_render_is_blocked_with_the_located_problem() {
    let d = demo();
    let b = d.change("change/broken", |d| {
        d.replace("base/api.yaml", "  replicas: 1\n", "  replicas: [1\n")
    });
    let r = d.review(&b, NOW);
    assert_eq!(r.verdict.state, VerdictState::Blocked);
    assert!(
        r.verdict
            .summary
            .starts_with("blocked: the change does not render: base/api.yaml:"),
        "{}",
        r.verdict.summary
    );
}

#[test]
fn a_rule_naming_an_environment_that_does_not_exist_blocks_with_its_line() {
    let d = demo();
    d.on_main(|d| {
        d.replace(
            ".wheelhouse/policy.yaml",
            "environments: [staging]",
            "environments: [stagign]",
        )
    });
    let b = d.change("change/tag", |d| {
        d.replace(
            "overlays/dev/kustomization.yaml",
            "newTag: \"1.4.2\"",
            "newTag: \"1.4.3\"",
        )
    });
    let r = d.review(&b, NOW);
    assert_eq!(r.verdict.state, VerdictState::Blocked);
    let line = d
        .read(".wheelhouse/policy.yaml")
        .lines()
        .position(|l| l.contains("stagign"))
        .unwrap()
        + 1;
    assert!(
        r.verdict.summary.starts_with(&format!(
            "blocked: policy invalid at .wheelhouse/policy.yaml line {line}"
        )),
        "{}",
        r.verdict.summary
    );
    assert!(r
        .verdict
        .summary
        .contains("no environment is named `stagign`"));
}

#[test]
fn a_change_without_a_merge_base_is_an_error_never_no_effect() {
    let d = demo();
    git(&d.repo, &["checkout", "-q", "--orphan", "change/orphan"]);
    git(&d.repo, &["rm", "-rqf", "."]);
    d.write("overlays/prod/kustomization.yaml", "resources: []\n");
    git(&d.repo, &["add", "-A"]);
    git(&d.repo, &["commit", "-qm", "unrelated history"]);
    git(&d.repo, &["checkout", "-q", "-f", "main"]);
    let repo = Repository::open(&d.repo).unwrap();
    let e = review::review(&repo, "change/orphan", "change/orphan", "main", NOW).unwrap_err();
    assert!(e.to_string().to_lowercase().contains("merge base"), "{e}");
}

#[test]
fn a_dev_image_bump_is_still_auto_approved_by_the_dev_environment_rule() {
    let d = demo();
    let text = d.read("overlays/dev/kustomization.yaml");
    let tag = text
        .lines()
        .find(|l| l.contains("newTag"))
        .unwrap()
        .trim()
        .to_owned();
    let b = d.change("change/dev-bump", |d| {
        d.replace("overlays/dev/kustomization.yaml", &tag, "newTag: \"9.9.9\"")
    });
    let r = d.review(&b, NOW);
    assert_eq!(affected(&r), [("dev", EffectStatus::Changed)]);
    let dev = rule(&r, "dev image bumps").unwrap();
    assert_eq!(
        dev.auto_approved_by.as_deref(),
        Some("only image_tag or replicas changed; only in dev; validation passed"),
        "{:?}",
        dev.auto_approve_declined
    );
}

#[test]
fn a_codeowners_file_that_is_a_symlink_is_never_followed_and_blocks() {
    let d = demo();
    d.on_main(|d| {
        let loc = [
            "CODEOWNERS",
            ".github/CODEOWNERS",
            "docs/CODEOWNERS",
            ".gitlab/CODEOWNERS",
        ]
        .into_iter()
        .find(|l| d.path(l).exists())
        .expect("the demo has a CODEOWNERS file");
        d.write("elsewhere/owners", "* @nobody\n");
        std::fs::remove_file(d.path(loc)).unwrap();
        let up = "../".repeat(loc.matches('/').count());
        std::os::unix::fs::symlink(format!("{up}elsewhere/owners"), d.path(loc)).unwrap();
    });
    let b = d.change("change/readme", |d| d.write("README.md", "hello\n"));
    let r = d.review(&b, NOW);
    assert_eq!(r.verdict.state, VerdictState::Blocked);
    let problem = r
        .verdict
        .problem
        .as_ref()
        .expect("a located policy problem");
    assert!(problem.file.ends_with("CODEOWNERS"), "{problem:?}");
    assert!(problem.message.contains("symbolic link"), "{problem:?}");
}

#[test]
fn a_change_to_a_generator_input_of_any_name_is_a_prod_change() {
    let d = demo();
    d.on_main(|d| {
        d.write("overlays/prod/run.sh", "#!/bin/sh\nexec /api --workers 4\n");
        d.replace(
            "overlays/prod/kustomization.yaml",
            "resources:\n  - ../../base\n",
            "resources:\n  - ../../base\nconfigMapGenerator:\n  - name: scripts\n    files:\n      - start=run.sh\n",
        );
    });
    let b = d.change("change/script", |d| {
        d.replace("overlays/prod/run.sh", "--workers 4", "--workers 8")
    });
    let r = d.review(&b, NOW);
    assert_eq!(affected(&r), [("prod", EffectStatus::Changed)]);
    let prod = r
        .effect
        .environments
        .iter()
        .find(|e| e.env == "prod")
        .unwrap();
    assert_eq!(prod.via, ["overlays/prod/run.sh"]);
    assert!(
        prod.resources
            .iter()
            .any(|x| x.diff.contains("+    exec /api --workers 8")),
        "{:?}",
        prod.resources
    );
    assert!(rule(&r, "production").is_some());
    assert_eq!(d.review(&b, FROZEN).verdict.state, VerdictState::Blocked);
}
