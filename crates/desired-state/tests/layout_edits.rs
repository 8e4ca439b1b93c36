//! Edits and promotion in the layouts real repositories have: a value that comes from a
//! Kustomize component or a shared base gets an override in the environment's own layer; a
//! promotion between Kargo stages and between Flux clusters writes the folder that environment
//! really builds. The diff of each is a golden, and the render after the edit equals
//! `kubectl kustomize` of the edited tree.

mod common;

use std::path::{Path, PathBuf};
use wheelhouse_desired_state::edit::{self, Field, Planner};
use wheelhouse_desired_state::render::{compare, parse_documents};
use wheelhouse_desired_state::workspace::kustomize_build;
use wheelhouse_desired_state::Workspace;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let t = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &t);
        } else {
            std::fs::copy(&p, &t).unwrap();
        }
    }
}

/// A writable copy of corpus case `name`'s repository.
fn case(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/corpus/{name}/repo")),
        &root,
    );
    (dir, root)
}

fn golden(name: &str, text: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/golden/{name}.diff"));
    if std::env::var_os("WHEELHOUSE_WRITE_GOLDEN").is_some() {
        std::fs::write(&path, text).unwrap();
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} is missing (WHEELHOUSE_WRITE_GOLDEN=1)", path.display()));
    assert_eq!(text, expected, "golden {name}");
}

/// The render of `env` after the edit equals the real Kustomize on its folders.
fn render_equals_kustomize(ws: &mut Workspace, root: &Path, env: &str) {
    let rendered = ws.render(env).unwrap();
    if !common::kubectl_available() {
        return;
    }
    let mut theirs = Vec::new();
    for f in &rendered.folders {
        theirs.extend(parse_documents(f, &kustomize_build(root, f).unwrap()).unwrap());
    }
    let ours: Vec<_> = rendered.objects.iter().map(|o| o.to_json()).collect();
    assert_eq!(compare(&ours, &theirs), vec![], "{env} after the edit");
}

fn apply(ws: &mut Workspace, root: &Path, edits: &[edit::FileEdit]) -> String {
    edit::apply(root, edits).unwrap();
    let paths: Vec<String> = edits.iter().map(|e| e.path.clone()).collect();
    ws.refresh(&paths);
    edits
        .iter()
        .map(|e| e.diff.clone())
        .collect::<Vec<_>>()
        .join("")
}

#[test]
fn a_value_set_by_a_component_gets_an_override_in_the_overlay() {
    let (_dir, root) = case("02-components");
    let mut ws = Workspace::open(&root).unwrap();
    let component = std::fs::read_to_string(root.join("components/ha/replicas.yaml")).unwrap();
    let mut planner = Planner::new(ws.state(), ws.snapshot());
    planner.set("prod", "api", &Field::Replicas, "5").unwrap();
    planner
        .set(
            "prod",
            "api",
            &Field::EnvVar {
                container: None,
                name: "HA_MODE".into(),
            },
            "degraded",
        )
        .unwrap();
    let edits = planner.finish();
    assert!(
        edits.iter().all(|e| e.path.starts_with("overlays/prod/")),
        "{edits:?}"
    );
    let diff = apply(&mut ws, &root, &edits);
    golden("layout-component-override", &diff);
    assert_eq!(
        std::fs::read_to_string(root.join("components/ha/replicas.yaml")).unwrap(),
        component,
        "the shared component is never edited"
    );
    let api = common::workload(&ws, "prod", "api");
    assert_eq!(api.replicas.as_ref().unwrap().value, "5");
    render_equals_kustomize(&mut ws, &root, "prod");
    render_equals_kustomize(&mut ws, &root, "dev");
}

/// The undo of an edit that made a patch file deletes it again (it used to leave the file
/// behind, empty): the tree is back to what it was, byte for byte, and so is the workload. An
/// undo of an undo makes the file again; a file made meanwhile by someone else is not touched.
#[test]
fn undoing_an_edit_that_created_a_patch_file_removes_the_file() {
    let (_dir, root) = case("02-components");
    let mut ws = Workspace::open(&root).unwrap();
    let kustomization =
        std::fs::read_to_string(root.join("overlays/prod/kustomization.yaml")).unwrap();
    let env_var = Field::EnvVar {
        container: None,
        name: "HA_MODE".into(),
    };
    let mut planner = Planner::new(ws.state(), ws.snapshot());
    planner.set("prod", "api", &env_var, "degraded").unwrap();
    let edits = planner.finish();
    let made: Vec<_> = edits
        .iter()
        .filter(|e| e.creates)
        .map(|e| e.path.as_str())
        .collect();
    assert_eq!(made, ["overlays/prod/api-prod.yaml"]);
    apply(&mut ws, &root, &edits);
    assert!(root.join("overlays/prod/api-prod.yaml").is_file());

    let undo: Vec<_> = edits.iter().map(edit::FileEdit::reverse).collect();
    apply(&mut ws, &root, &undo);
    assert!(
        !root.join("overlays/prod/api-prod.yaml").exists(),
        "the patch file the edit made is gone"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("overlays/prod/kustomization.yaml")).unwrap(),
        kustomization
    );
    let api = common::workload(&ws, "prod", "api");
    let ha = api.containers[0]
        .env
        .iter()
        .find(|e| e.name == "HA_MODE")
        .unwrap();
    assert_eq!(
        (ha.value.value.as_str(), ha.value.source.file.as_str()),
        ("on", "components/ha/replicas.yaml"),
        "the component's value again"
    );

    // Redo: the file is made again.
    let redo: Vec<_> = undo.iter().map(edit::FileEdit::reverse).collect();
    apply(&mut ws, &root, &redo);
    assert!(root.join("overlays/prod/api-prod.yaml").is_file());
    apply(&mut ws, &root, &undo);

    // Someone else made the file since: the edit that would make it is refused, nothing written.
    std::fs::write(root.join("overlays/prod/api-prod.yaml"), "# theirs\n").unwrap();
    let err = edit::apply(&root, &edits).unwrap_err();
    assert_eq!(err.code(), "file_changed");
    assert_eq!(
        std::fs::read_to_string(root.join("overlays/prod/api-prod.yaml")).unwrap(),
        "# theirs\n"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("overlays/prod/kustomization.yaml")).unwrap(),
        kustomization
    );
}

#[test]
fn promotion_between_kargo_stages_writes_the_stage_folder() {
    let (_dir, root) = case("45-kargo-stages");
    let mut ws = Workspace::open(&root).unwrap();
    let p =
        edit::plan_promotion(ws.state(), ws.snapshot(), "test", "uat", &["api".into()]).unwrap();
    assert_eq!(p.edits.len(), 1);
    assert_eq!(p.edits[0].path, "deploy/uat-env/kustomization.yaml");
    let diff = apply(&mut ws, &root, &p.edits);
    golden("layout-kargo-promotion", &diff);
    assert_eq!(
        common::workload(&ws, "uat", "api").containers[0].tag,
        "1.3.0"
    );
    render_equals_kustomize(&mut ws, &root, "uat");
}

#[test]
fn promotion_between_flux_clusters_writes_the_folder_the_cluster_applies() {
    let (_dir, root) = case("43-flux-clusters");
    let mut ws = Workspace::open(&root).unwrap();
    let mut planner = Planner::new(ws.state(), ws.snapshot());
    planner
        .set("staging", "podinfo", &Field::ChartVersion, "6.5.3")
        .unwrap();
    let edits = planner.finish();
    assert!(
        edits.iter().all(|e| e.path.starts_with("apps/staging/")),
        "{edits:?}"
    );
    let diff = apply(&mut ws, &root, &edits);
    golden("layout-flux-chart-version", &diff);
    let hr = common::workload(&ws, "staging", "podinfo");
    assert_eq!(hr.chart_version.as_ref().unwrap().value, "6.5.3");
    render_equals_kustomize(&mut ws, &root, "staging");

    let p = edit::plan_promotion(ws.state(), ws.snapshot(), "staging", "production", &[]).unwrap();
    assert_eq!(p.moves, vec!["podinfo chart 6.5.3"]);
    assert!(
        p.edits
            .iter()
            .all(|e| e.path.starts_with("apps/production/")),
        "{:?}",
        p.edits
    );
    let diff = apply(&mut ws, &root, &p.edits);
    golden("layout-flux-promotion", &diff);
    assert_eq!(
        common::workload(&ws, "production", "podinfo")
            .chart_version
            .as_ref()
            .unwrap()
            .value,
        "6.5.3"
    );
    render_equals_kustomize(&mut ws, &root, "production");
}
