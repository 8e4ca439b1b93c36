//! The use cases on the demo repository, on disk and in Git: an edit, its undo and redo (a file
//! the edit made is deleted again; a file changed meanwhile is never overwritten), and a
//! promotion as a change branch with the maintenance it schedules.

use std::path::Path;
use wheelhouse_api::edits::{self, EditHistory};
use wheelhouse_api::promote::{self, MaintenanceWindow, PromotionRequest};
use wheelhouse_api::ErrorCode;
use wheelhouse_desired_state::edit::Field;
use wheelhouse_desired_state::Workspace;
use wheelhouse_repo::Repository;

fn demo(dir: &Path) -> String {
    wheelhouse_demo::create(&dir.join("demo")).unwrap().repo
}

fn read(root: &Path, path: &str) -> Option<String> {
    std::fs::read_to_string(root.join(path)).ok()
}

fn replicas(ws: &Workspace, env: &str, workload: &str) -> String {
    let e = ws
        .state()
        .environments
        .iter()
        .position(|e| e.name == env)
        .unwrap();
    ws.state().workloads[e]
        .iter()
        .find(|w| w.id == workload)
        .and_then(|w| w.replicas.as_ref())
        .map(|r| r.value.clone())
        .unwrap_or_default()
}

#[test]
fn an_edit_is_undone_and_redone_on_disk_and_in_the_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::path::PathBuf::from(demo(dir.path()));
    let mut ws = Workspace::open(&root).unwrap();
    let mut history = EditHistory::default();
    let before = replicas(&ws, "prod", "api");
    assert_ne!(before, "7");

    let written = edits::set(&mut ws, &mut history, "prod", "api", &Field::Replicas, "7").unwrap();
    assert!(!written.is_empty());
    assert_eq!(
        replicas(&ws, "prod", "api"),
        "7",
        "the workspace is refreshed"
    );
    for e in &written {
        assert_eq!(read(&root, &e.path).as_deref(), Some(e.after.as_str()));
    }
    assert!(history.can_undo() && !history.can_redo());

    edits::undo(&mut ws, &mut history).unwrap();
    assert_eq!(replicas(&ws, "prod", "api"), before);
    for e in &written {
        let now = read(&root, &e.path);
        if e.creates {
            assert_eq!(now, None, "{}: the file the edit made is gone", e.path);
        } else {
            assert_eq!(now.as_deref(), Some(e.before.as_str()), "{}", e.path);
        }
    }
    assert!(!history.can_undo() && history.can_redo());

    edits::redo(&mut ws, &mut history).unwrap();
    assert_eq!(replicas(&ws, "prod", "api"), "7");
    for e in &written {
        assert_eq!(read(&root, &e.path).as_deref(), Some(e.after.as_str()));
    }

    // Someone changes the file: the undo is refused and nothing is written.
    let path = &written[0].path;
    let theirs = format!("{}# theirs\n", written[0].after);
    std::fs::write(root.join(path), &theirs).unwrap();
    let refused = edits::undo(&mut ws, &mut history).unwrap_err();
    assert_eq!(refused.code, ErrorCode::FileChanged, "{refused}");
    assert_eq!(read(&root, path).as_deref(), Some(theirs.as_str()));
    assert!(
        history.can_undo(),
        "the step stays to undo once the file is back"
    );

    // A new edit ends what could be redone; with nothing done there is nothing to undo.
    let mut fresh = EditHistory::default();
    let none = edits::undo(&mut ws, &mut fresh).unwrap_err();
    assert_eq!(none.code, ErrorCode::InvalidInput);
    assert!(none.message.contains("no edit to undo"), "{none}");
    let none = edits::redo(&mut ws, &mut fresh).unwrap_err();
    assert_eq!(none.code, ErrorCode::InvalidInput);
}

#[test]
fn an_unknown_environment_or_workload_is_a_coded_problem_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::path::PathBuf::from(demo(dir.path()));
    let mut ws = Workspace::open(&root).unwrap();
    let mut history = EditHistory::default();
    let status = wheelhouse_testsupport::git_cli(&root, &["status", "--porcelain"]);
    let e = edits::set(
        &mut ws,
        &mut history,
        "nowhere",
        "api",
        &Field::Replicas,
        "2",
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::UnknownEnvironment);
    let e = edits::set(
        &mut ws,
        &mut history,
        "prod",
        "nothing",
        &Field::Replicas,
        "2",
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::UnknownWorkload);
    assert_eq!(
        wheelhouse_testsupport::git_cli(&root, &["status", "--porcelain"]),
        status
    );
    assert!(!history.can_undo());
}

fn identify(root: &Path) {
    wheelhouse_testsupport::git_cli(root, &["config", "user.name", "Maya Chen"]);
    wheelhouse_testsupport::git_cli(root, &["config", "user.email", "maya.chen@acme.example"]);
}

fn request(from: &str, to: &str, workloads: &[&str], dry_run: bool) -> PromotionRequest {
    PromotionRequest {
        from: from.into(),
        to: to.into(),
        workloads: workloads.iter().map(|w| w.to_string()).collect(),
        maintenance: None,
        dry_run,
    }
}

#[test]
fn a_promotion_is_a_change_branch_with_its_maintenance_in_the_same_commit() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::path::PathBuf::from(demo(dir.path()));
    identify(&root);
    let repo = Repository::open(&root).unwrap();
    let ws = Workspace::open(&root).unwrap();
    let now = wheelhouse_status::Timestamp::from_second(1_795_694_400).unwrap();

    // A dry run plans and makes nothing.
    let branches = wheelhouse_testsupport::git_cli(&root, &["branch", "--list"]);
    let planned =
        promote::create(&repo, &ws, request("staging", "prod", &["api"], true), now).unwrap();
    assert!(planned.created.is_none() && !planned.promotion.edits.is_empty());
    assert_eq!(
        wheelhouse_testsupport::git_cli(&root, &["branch", "--list"]),
        branches
    );

    let mut asked = request("staging", "prod", &["api"], false);
    asked.maintenance = Some(MaintenanceWindow {
        start: "2026-12-10T22:00".into(),
        end: "2026-12-10T23:00".into(),
        time_zone: Some("America/New_York".into()),
    });
    let outcome = promote::create(&repo, &ws, asked, now).unwrap();
    let created = outcome.require_created().unwrap();
    let files = wheelhouse_testsupport::git_cli(
        &root,
        &["show", "--name-only", "--format=", &created.branch],
    );
    let mut files: Vec<&str> = files.lines().collect();
    files.sort();
    assert_eq!(
        files,
        [
            "overlays/prod/kustomization.yaml",
            "status/maintenances/2026-12-11-deploying-api-1-4-2-to-prod.md"
        ]
    );
    let message =
        wheelhouse_testsupport::git_cli(&root, &["log", "-1", "--format=%B", &created.branch]);
    assert!(
        message.contains("Status page: schedules the maintenance"),
        "{message}"
    );
    assert_eq!(
        wheelhouse_testsupport::git_cli(&root, &["status", "--porcelain"]),
        "",
        "the working tree is not touched"
    );
}

#[test]
fn a_promotion_with_nothing_to_move_or_no_linked_component_makes_no_branch() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::path::PathBuf::from(demo(dir.path()));
    identify(&root);
    let repo = Repository::open(&root).unwrap();
    let ws = Workspace::open(&root).unwrap();
    let now = wheelhouse_status::Timestamp::from_second(1_795_694_400).unwrap();
    let branches = wheelhouse_testsupport::git_cli(&root, &["branch", "--list"]);

    // prod into prod: nothing moves.
    let same = promote::create(&repo, &ws, request("prod", "prod", &[], false), now).unwrap();
    assert!(same.created.is_none());
    let nothing = same.require_created().unwrap_err();
    assert_eq!(nothing.code, ErrorCode::InvalidInput);
    assert!(
        nothing.message.starts_with("Nothing to promote"),
        "{nothing}"
    );

    let mut asked = request("dev", "staging", &["notifications"], false);
    asked.maintenance = Some(MaintenanceWindow {
        start: "2026-12-10T22:00".into(),
        end: "2026-12-10T23:00".into(),
        time_zone: None,
    });
    let refused = promote::create(&repo, &ws, asked, now).unwrap_err();
    assert_eq!(refused.code, ErrorCode::NoLinkedComponent, "{refused}");
    assert_eq!(
        wheelhouse_testsupport::git_cli(&root, &["branch", "--list"]),
        branches
    );
}

#[test]
fn a_status_edit_is_planned_over_the_folder_written_once_and_located_when_refused() {
    use wheelhouse_status::{ComponentStatus, StatusEdit, Timestamp};
    let dir = tempfile::tempdir().unwrap();
    let root = std::path::PathBuf::from(demo(dir.path()));
    let now: Timestamp = "2026-11-26T12:00:00Z".parse().unwrap();
    let before = read(&root, "status/components.yaml").unwrap();
    let set = |id: &str| StatusEdit::SetComponentStatus {
        id: id.into(),
        status: ComponentStatus::MajorOutage,
    };

    // A dry run: the diff, repository-relative, and nothing written.
    let planned = wheelhouse_api::status::edit(&root, &set("api"), now, true).unwrap();
    assert_eq!(planned.len(), 1);
    assert_eq!(planned[0].path, "status/components.yaml");
    assert!(
        planned[0].diff.contains("+        status: major_outage"),
        "{}",
        planned[0].diff
    );
    assert_eq!(read(&root, "status/components.yaml").unwrap(), before);

    let written = wheelhouse_api::status::edit(&root, &set("api"), now, false).unwrap();
    assert_eq!(written[0].diff, planned[0].diff);
    let after = read(&root, "status/components.yaml").unwrap();
    assert_eq!(after, planned[0].after);

    // Refused: coded, located in the repository, nothing written.
    let refused = wheelhouse_api::status::edit(&root, &set("checkout"), now, false).unwrap_err();
    assert_eq!(refused.code, ErrorCode::UnknownComponent);
    assert_eq!(refused.file.as_deref(), Some("status/components.yaml"));
    assert_eq!(read(&root, "status/components.yaml").unwrap(), after);
}
