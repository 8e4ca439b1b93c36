//! The demo workspace, resolved: every layout it uses, values with provenance, matrix, compare,
//! edits that change exactly one line, promotion, validation.

use wheelhouse_desired_state::edit::{self, Field, Planner};
use wheelhouse_desired_state::{matrix, Layer, WorkloadKind, Workspace};

fn demo() -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().unwrap();
    let ws = wheelhouse_demo::create(&dir.path().join("demo")).unwrap();
    let workspace = Workspace::open(std::path::Path::new(&ws.repo)).unwrap();
    (dir, workspace)
}

#[test]
fn the_demo_has_three_environments_and_every_workload() {
    let (_d, ws) = demo();
    let state = ws.state();
    let names: Vec<_> = state.environments.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, vec!["dev", "staging", "prod"]);
    assert!(state.environments[2].protected);
    let prod: Vec<_> = state.workloads[2]
        .iter()
        .map(|w| (w.kind, w.id.as_str()))
        .collect();
    for expected in [
        (WorkloadKind::Deployment, "api"),
        (WorkloadKind::Deployment, "web"),
        (WorkloadKind::Deployment, "worker"),
        (WorkloadKind::Deployment, "payments"),
        (WorkloadKind::Deployment, "search"),
        (WorkloadKind::Deployment, "notifications"),
        (WorkloadKind::HelmValues, "ledger"),
        (WorkloadKind::HelmRelease, "ingress-nginx"),
    ] {
        assert!(
            prod.contains(&expected),
            "{expected:?} missing from {prod:?}"
        );
    }
    assert!(state.problems.is_empty(), "{:?}", state.problems);
}

#[test]
fn values_carry_their_provenance() {
    let (_d, ws) = demo();
    let state = ws.state();
    let api = state.workloads[2].iter().find(|w| w.id == "api").unwrap();
    assert_eq!(api.containers[0].tag, "1.4.0");
    assert_eq!(
        api.containers[0].image.value,
        "registry.acme.example/shop/api:1.4.0"
    );
    let src = &api.containers[0].image.source;
    assert_eq!(
        (src.file.as_str(), src.path.as_str(), src.line, src.layer),
        (
            "overlays/prod/kustomization.yaml",
            "images[0].newTag",
            12,
            Layer::Environment
        )
    );
    let replicas = api.replicas.as_ref().unwrap();
    assert_eq!(
        (
            replicas.value.as_str(),
            replicas.source.path.as_str(),
            replicas.source.line
        ),
        ("4", "replicas[0].count", 25)
    );
    assert_eq!(api.namespace.as_deref(), Some("shop-prod"));
    // The prod patch raises the api's memory limit; dev's patch turns on debug logs.
    let limit = api.containers[0]
        .resources
        .iter()
        .find(|r| r.name == "limits.memory")
        .unwrap();
    assert_eq!(
        (limit.value.value.as_str(), limit.value.source.file.as_str()),
        ("1Gi", "overlays/prod/api-resources.yaml")
    );
    let dev_api = state.workloads[0].iter().find(|w| w.id == "api").unwrap();
    let level = dev_api.containers[0]
        .env
        .iter()
        .find(|e| e.name == "LOG_LEVEL")
        .unwrap();
    assert_eq!(
        (level.value.value.as_str(), level.value.source.file.as_str()),
        ("debug", "overlays/dev/api-debug.yaml")
    );
    // Inherited from the base where no overlay sets it.
    let pool = dev_api.containers[0]
        .env
        .iter()
        .find(|e| e.name == "DB_POOL_SIZE")
        .unwrap();
    assert_eq!(
        (pool.value.source.file.as_str(), pool.value.source.layer),
        ("base/api.yaml", Layer::Base)
    );
    // Helm values merge values.yaml then values-<env>.yaml.
    let ledger = state.workloads[1]
        .iter()
        .find(|w| w.id == "ledger")
        .unwrap();
    let replica = ledger
        .values
        .iter()
        .find(|v| v.name == "readReplica.enabled")
        .unwrap();
    assert_eq!(
        (
            replica.value.value.as_str(),
            replica.value.source.file.as_str()
        ),
        ("true", "helm/ledger/values-staging.yaml")
    );
    // values-<env>.yaml is the environment's own layer; values.yaml is shared.
    assert_eq!(replica.value.source.layer, Layer::Environment);
    assert!(ledger
        .values
        .iter()
        .filter(|v| v.value.source.file == "helm/ledger/values.yaml")
        .all(|v| v.value.source.layer == Layer::Base));
    assert_eq!(ledger.replicas.as_ref().unwrap().value, "2");
    let ingress = state.workloads[0]
        .iter()
        .find(|w| w.id == "ingress-nginx")
        .unwrap();
    assert_eq!(ingress.chart_version.as_ref().unwrap().value, "4.11.5");
}

#[test]
fn the_matrix_marks_cells_that_differ_from_the_previous_environment() {
    let (_d, ws) = demo();
    let m = matrix::matrix(ws.state());
    let api = m.rows.iter().find(|r| r.id == "api").unwrap();
    let tags: Vec<_> = api
        .cells
        .iter()
        .map(|c| c.as_ref().unwrap().tags[0].as_str())
        .collect();
    assert_eq!(tags, vec!["1.4.2", "1.4.2", "1.4.0"]);
    let differs: Vec<_> = api
        .cells
        .iter()
        .map(|c| c.as_ref().unwrap().differs_from_previous)
        .collect();
    assert_eq!(
        differs,
        vec![false, false, true],
        "staging runs dev's version; prod an older one"
    );
    let web = m.rows.iter().find(|r| r.id == "web").unwrap();
    assert!(
        web.cells
            .iter()
            .all(|c| !c.as_ref().unwrap().differs_from_previous),
        "replica counts alone do not count"
    );
}

#[test]
fn compare_lists_differences_with_both_sides() {
    let (_d, ws) = demo();
    let diffs = matrix::compare(ws.state(), 1, 2);
    let api_image = diffs
        .iter()
        .find(|d| d.workload == "api" && d.field == "image api")
        .unwrap();
    assert_eq!(
        api_image.left.as_ref().unwrap().value,
        "registry.acme.example/shop/api:1.4.2"
    );
    assert_eq!(
        api_image.right.as_ref().unwrap().source.file,
        "overlays/prod/kustomization.yaml"
    );
    assert!(
        !diffs
            .iter()
            .any(|d| d.workload == "web" && d.field == "image web"),
        "web runs 2.3.0 in both"
    );
}

#[test]
fn an_image_tag_edit_changes_exactly_one_line_in_the_environment_layer() {
    let (_d, mut ws) = demo();
    let mut planner = Planner::new(ws.state(), ws.snapshot());
    planner
        .set("prod", "api", &Field::ImageTag { container: None }, "1.4.2")
        .unwrap();
    let edits = planner.finish();
    assert_eq!(edits.len(), 1);
    assert_eq!(edits[0].path, "overlays/prod/kustomization.yaml");
    let changed: Vec<_> = edits[0]
        .diff
        .lines()
        .filter(|l| {
            (l.starts_with('+') || l.starts_with('-'))
                && !l.starts_with("+++")
                && !l.starts_with("---")
        })
        .collect();
    assert_eq!(
        changed,
        vec!["-    newTag: \"1.4.0\"", "+    newTag: \"1.4.2\""]
    );
    edit::apply(ws.root(), &edits).unwrap();
    ws.refresh(&["overlays/prod/kustomization.yaml".into()]);
    let api = ws.state().workloads[2]
        .iter()
        .find(|w| w.id == "api")
        .unwrap();
    assert_eq!(api.containers[0].tag, "1.4.2");
}

#[test]
fn an_inherited_value_gets_an_override_in_the_environment_not_the_base() {
    let (_d, ws) = demo();
    // ledger replicas come from values-dev.yaml; search has no replicas entry in dev.
    let mut planner = Planner::new(ws.state(), ws.snapshot());
    planner.set("dev", "search", &Field::Replicas, "2").unwrap();
    let edits = planner.finish();
    assert_eq!(edits.len(), 1);
    assert_eq!(edits[0].path, "overlays/dev/kustomization.yaml");
    assert!(
        edits[0]
            .after
            .contains("replicas:\n  - name: search\n    count: 2\n"),
        "{}",
        edits[0].after
    );
    assert!(!edits.iter().any(|e| e.path.starts_with("base/")));
}

#[test]
fn invalid_values_are_refused_before_anything_is_planned() {
    let (_d, ws) = demo();
    let mut planner = Planner::new(ws.state(), ws.snapshot());
    for (field, value) in [
        (Field::Replicas, "-1"),
        (Field::Replicas, "two"),
        (Field::ImageTag { container: None }, "1.4 2"),
        (Field::ImageTag { container: None }, ""),
    ] {
        let err = planner.set("prod", "api", &field, value).unwrap_err();
        assert_eq!(err.code(), "invalid_value", "{value}: {err}");
    }
    assert!(planner.finish().is_empty());
}

#[test]
fn a_file_changed_on_disk_is_never_overwritten() {
    let (_d, ws) = demo();
    let mut planner = Planner::new(ws.state(), ws.snapshot());
    planner
        .set("prod", "api", &Field::ImageTag { container: None }, "9.9.9")
        .unwrap();
    let edits = planner.finish();
    let path = ws.root().join("overlays/prod/kustomization.yaml");
    std::fs::write(&path, "# someone else was here\n").unwrap();
    let err = edit::apply(ws.root(), &edits).unwrap_err();
    assert_eq!(err.code(), "file_changed");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "# someone else was here\n"
    );
}

#[test]
fn promotion_moves_tags_into_the_next_environment_with_a_message() {
    let (_d, ws) = demo();
    let p = edit::plan_promotion(
        ws.state(),
        ws.snapshot(),
        "staging",
        "prod",
        &["api".into()],
    )
    .unwrap();
    assert_eq!(p.moves, vec!["api 1.4.2"]);
    assert_eq!(p.message, "promote api 1.4.2 → prod");
    assert_eq!(p.branch, "change/promote-api-1.4.2-prod");
    assert_eq!(p.edits.len(), 1);
    assert_eq!(p.edits[0].path, "overlays/prod/kustomization.yaml");
    let all = edit::plan_promotion(ws.state(), ws.snapshot(), "dev", "prod", &[]).unwrap();
    assert_eq!(all.moves, vec!["api 1.4.2", "notifications 0.9.0"]);
    assert_eq!(
        all.message,
        "promote 2 workloads dev → prod\n\n- api 1.4.2\n- notifications 0.9.0\n"
    );
    assert_eq!(all.edits.len(), 1, "both tags live in the prod overlay");
    assert_eq!(
        all.edits[0]
            .diff
            .lines()
            .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
            .count(),
        2
    );
}

fn apply_and_refresh(
    ws: &mut Workspace,
    env: &str,
    workload: &str,
    field: Field,
    value: &str,
) -> Vec<edit::FileEdit> {
    let mut planner = Planner::new(ws.state(), ws.snapshot());
    planner.set(env, workload, &field, value).unwrap();
    let edits = planner.finish();
    edit::apply(ws.root(), &edits).unwrap();
    let paths: Vec<String> = edits.iter().map(|e| e.path.clone()).collect();
    ws.refresh(&paths);
    edits
}

fn env_value(ws: &Workspace, env: usize, workload: &str, name: &str) -> (String, String) {
    let w = ws.state().workloads[env]
        .iter()
        .find(|w| w.id == workload)
        .unwrap();
    let v = w.containers[0]
        .env
        .iter()
        .chain(w.containers[0].resources.iter())
        .find(|e| e.name == name)
        .unwrap();
    (v.value.value.clone(), v.value.source.file.clone())
}

#[test]
fn env_vars_and_resources_go_to_the_environments_own_patch() {
    let (_d, mut ws) = demo();
    // dev already patches api's env: one line changes there.
    let edits = apply_and_refresh(
        &mut ws,
        "dev",
        "api",
        Field::EnvVar {
            container: None,
            name: "LOG_LEVEL".into(),
        },
        "trace",
    );
    assert_eq!(edits.len(), 1);
    assert_eq!(edits[0].path, "overlays/dev/api-debug.yaml");
    assert_eq!(
        edits[0]
            .diff
            .lines()
            .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
            .count(),
        1
    );
    assert_eq!(
        env_value(&ws, 0, "api", "LOG_LEVEL"),
        ("trace".into(), "overlays/dev/api-debug.yaml".into())
    );

    // prod patches worker (memory) but not its env: the env list is added to that patch.
    let edits = apply_and_refresh(
        &mut ws,
        "prod",
        "worker",
        Field::EnvVar {
            container: None,
            name: "QUEUE_CONCURRENCY".into(),
        },
        "16",
    );
    assert_eq!(edits.len(), 1);
    assert_eq!(edits[0].path, "overlays/prod/worker-memory.yaml");
    assert_eq!(
        env_value(&ws, 2, "worker", "QUEUE_CONCURRENCY"),
        ("16".into(), "overlays/prod/worker-memory.yaml".into())
    );

    // staging has no patch for web: a new one, listed in the overlay's patches; the base is untouched.
    let base_before = std::fs::read_to_string(ws.root().join("base/web.yaml")).unwrap();
    let edits = apply_and_refresh(
        &mut ws,
        "staging",
        "web",
        Field::Resource {
            container: None,
            name: "limits.memory".into(),
        },
        "512Mi",
    );
    let paths: Vec<_> = edits.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        vec![
            "overlays/staging/kustomization.yaml",
            "overlays/staging/web-staging.yaml"
        ]
    );
    assert_eq!(
        env_value(&ws, 1, "web", "limits.memory"),
        ("512Mi".into(), "overlays/staging/web-staging.yaml".into())
    );
    assert_eq!(
        std::fs::read_to_string(ws.root().join("base/web.yaml")).unwrap(),
        base_before
    );
    assert!(ws.state().problems.is_empty(), "{:?}", ws.state().problems);
}

#[test]
fn bad_env_names_and_quantities_are_refused() {
    let (_d, ws) = demo();
    let mut planner = Planner::new(ws.state(), ws.snapshot());
    let bad_name = planner
        .set(
            "dev",
            "api",
            &Field::EnvVar {
                container: None,
                name: "1BAD".into(),
            },
            "x",
        )
        .unwrap_err();
    assert_eq!(bad_name.code(), "invalid_value");
    let bad_qty = planner
        .set(
            "dev",
            "api",
            &Field::Resource {
                container: None,
                name: "limits.memory".into(),
            },
            "lots",
        )
        .unwrap_err();
    assert_eq!(bad_qty.code(), "invalid_value");
    let bad_res = planner
        .set(
            "dev",
            "api",
            &Field::Resource {
                container: None,
                name: "limits.gpu".into(),
            },
            "1",
        )
        .unwrap_err();
    assert_eq!(bad_res.code(), "invalid_value");
    assert!(planner.finish().is_empty());
}
