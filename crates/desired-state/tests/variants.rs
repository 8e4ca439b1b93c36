//! Variants of a stage (`staging-eu`, `staging-us`): grouped under their stage, and a promotion
//! into the stage goes into every variant in one change (or into the one named).

mod common;

use common::{env_names, open};
use wheelhouse_desired_state::edit::{self, EditError};
use wheelhouse_desired_state::{matrix, Workspace};

const BASE: &str = "resources:\n  - api.yaml\n  - web.yaml\n";
const API: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: registry.example/api:1.0\n";
const WEB: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: registry.example/web:1.0\n";

fn overlay(tag: &str) -> String {
    format!("resources:\n  - ../../base\nimages:\n  - name: registry.example/api\n    newTag: \"{tag}\"\n")
}

fn repo() -> tempfile::TempDir {
    // staging-us runs only api (it lists the api file, not the base).
    let us = "resources:\n  - ../../base/api.yaml\nimages:\n  - name: registry.example/api\n    newTag: \"1.1\"\n";
    common::repo(&[
        ("base/kustomization.yaml", BASE.to_owned()),
        ("base/api.yaml", API.to_owned()),
        ("base/web.yaml", WEB.to_owned()),
        ("overlays/dev/kustomization.yaml", overlay("2.0")),
        ("overlays/staging-eu/kustomization.yaml", overlay("1.2")),
        ("overlays/staging-us/kustomization.yaml", us.to_owned()),
        ("overlays/prod/kustomization.yaml", overlay("1.0")),
    ])
}

fn tag(ws: &Workspace, workload: &str, env: &str) -> String {
    let m = matrix::matrix(ws.state());
    let col = m.environments.iter().position(|e| e.name == env).unwrap();
    let row = m.rows.iter().find(|r| r.id == workload).unwrap();
    row.cells[col].as_ref().unwrap().tags[0].clone()
}

#[test]
fn variants_share_their_stage_and_a_lone_stage_has_none() {
    let dir = repo();
    let ws = open(dir.path());
    assert_eq!(
        env_names(&ws),
        vec!["dev", "staging-eu", "staging-us", "prod"]
    );
    let stages: Vec<Option<&str>> = ws
        .state()
        .environments
        .iter()
        .map(|e| e.stage.as_deref())
        .collect();
    assert_eq!(stages, vec![None, Some("staging"), Some("staging"), None]);
}

#[test]
fn a_promotion_into_a_stage_goes_into_every_variant_in_one_change() {
    let dir = repo();
    let mut ws = open(dir.path());
    let p = edit::plan_promotion(ws.state(), ws.snapshot(), "dev", "staging", &[]).unwrap();
    assert_eq!(p.targets, vec!["staging-eu", "staging-us"]);
    assert_eq!(
        p.moves,
        vec!["api 2.0 → staging-eu", "api 2.0 → staging-us"]
    );
    assert_eq!(
        p.message,
        "promote dev → staging: 2 value(s) into 2 environments\n\n- api 2.0 → staging-eu\n- api 2.0 → staging-us\n"
    );
    assert_eq!(p.branch, "change/promote-2-workloads-staging");
    let paths: Vec<&str> = p.edits.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        vec![
            "overlays/staging-eu/kustomization.yaml",
            "overlays/staging-us/kustomization.yaml"
        ]
    );
    // `staging*` says the same; one variant by its name gets it alone.
    let star = edit::plan_promotion(ws.state(), ws.snapshot(), "dev", "staging*", &[]).unwrap();
    assert_eq!(star.edits, p.edits);
    let eu = edit::plan_promotion(ws.state(), ws.snapshot(), "dev", "staging-eu", &[]).unwrap();
    assert_eq!(eu.targets, vec!["staging-eu"]);
    assert_eq!(eu.message, "promote api 2.0 → staging-eu");

    edit::apply(dir.path(), &p.edits).unwrap();
    ws = Workspace::open(dir.path()).unwrap();
    assert_eq!(tag(&ws, "api", "staging-eu"), "2.0");
    assert_eq!(tag(&ws, "api", "staging-us"), "2.0");
    assert_eq!(tag(&ws, "api", "prod"), "1.0");
}

#[test]
fn a_workload_no_variant_runs_and_an_unknown_stage_are_refused() {
    let dir = repo();
    let ws = open(dir.path());
    // web runs in staging-eu only: it goes there, staging-us is passed over.
    let web = edit::plan_promotion(ws.state(), ws.snapshot(), "dev", "staging", &["web".into()]);
    assert_eq!(
        web.unwrap().edits.len(),
        0,
        "web has the same tag in dev and staging-eu"
    );
    match edit::plan_promotion(ws.state(), ws.snapshot(), "dev", "qa", &[]) {
        Err(EditError::UnknownEnvironment(e)) => assert_eq!(e, "qa"),
        other => panic!("{other:?}"),
    }
    match edit::plan_promotion(ws.state(), ws.snapshot(), "dev", "prod*", &[]) {
        Err(EditError::UnknownEnvironment(e)) => assert_eq!(e, "prod*"),
        other => panic!("{other:?}"),
    }
    // A workload only prod runs is refused by name, naming the variants.
    let dir2 = common::repo(&[
        ("base/kustomization.yaml", BASE.to_owned()),
        ("base/api.yaml", API.to_owned()),
        ("base/web.yaml", WEB.to_owned()),
        ("overlays/dev/kustomization.yaml", overlay("2.0")),
        (
            "overlays/staging-eu/kustomization.yaml",
            "resources:\n  - ../../base/api.yaml\n".to_owned(),
        ),
        (
            "overlays/staging-us/kustomization.yaml",
            "resources:\n  - ../../base/api.yaml\n".to_owned(),
        ),
    ]);
    let ws2 = open(dir2.path());
    match edit::plan_promotion(
        ws2.state(),
        ws2.snapshot(),
        "dev",
        "staging",
        &["web".into()],
    ) {
        Err(EditError::UnknownWorkload { env, workload }) => {
            assert_eq!(
                (env.as_str(), workload.as_str()),
                ("staging-eu, staging-us", "web")
            )
        }
        other => panic!("{other:?}"),
    }
}
