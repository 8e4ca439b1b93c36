//! `wheelhouse status import cstate|upptime DIR`, run against the demo repository as a user
//! would: refusals leave the status folder as it was, an import into an empty status folder
//! gives a page that checks and builds.

mod common;

use common::{demo_repo, json_of, stderr, stdout, wheelhouse};
use std::path::{Path, PathBuf};
use wheelhouse_testsupport::snapshot;

/// The source folders the status crate's import tests use, modelled on each tool's files.
fn fixture(name: &str) -> String {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "..",
        "status",
        "tests",
        "fixtures",
        name,
    ]
    .iter()
    .collect();
    path.to_str().unwrap().to_owned()
}

#[test]
fn cstate_import_refuses_to_clobber_then_fills_an_empty_status_folder() {
    let dir = tempfile::tempdir().unwrap();
    let repo = demo_repo(dir.path());
    let status = Path::new(&repo).join("status");
    let cstate = fixture("cstate");

    // The demo has its own page: not overwritten without --force…
    let before = snapshot(&status);
    let refused = wheelhouse(&[
        "--json", "--repo", &repo, "status", "import", "cstate", &cstate,
    ]);
    assert_eq!(refused.status.code(), Some(1), "{}", stdout(&refused));
    let error = &json_of(&refused)["error"];
    assert_eq!(error["code"], "destination_exists");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("status/page.yaml"),
        "{error}"
    );
    assert_eq!(before, snapshot(&status));

    // …and with --force still refused: the demo's incidents name components cState lacks.
    let broken = wheelhouse(&[
        "--repo", &repo, "status", "import", "cstate", &cstate, "--force",
    ]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(
        stderr(&broken).contains("would not load"),
        "{}",
        stderr(&broken)
    );
    assert!(
        stderr(&broken).contains("status/incidents/"),
        "{}",
        stderr(&broken)
    );
    assert_eq!(before, snapshot(&status));

    // An empty status folder: a dry run shows the plan and writes nothing.
    std::fs::remove_dir_all(&status).unwrap();
    let dry = wheelhouse(&[
        "--json",
        "--repo",
        &repo,
        "status",
        "import",
        "cstate",
        &cstate,
        "--dry-run",
    ]);
    assert!(dry.status.success(), "{}", stdout(&dry));
    let plan = json_of(&dry);
    assert_eq!(plan["dry_run"], true);
    assert_eq!(plan["source"], "cstate");
    assert_eq!(
        (plan["components"].as_u64(), plan["incidents"].as_u64()),
        (Some(6), Some(8))
    );
    let files = plan["files"].as_array().unwrap();
    assert!(files.iter().all(|f| f["action"] == "create"));
    assert!(files
        .iter()
        .any(|f| f["path"] == "status/incidents/2018-05-25-us-east-conn-issues.md"));
    let notes = plan["notes"].as_array().unwrap();
    assert!(notes
        .iter()
        .any(|n| n["file"] == "content/issues/2021-05-05-draft.md"));
    assert!(!status.exists());

    // The import itself, in words.
    let done = wheelhouse(&["--repo", &repo, "status", "import", "cstate", &cstate]);
    assert!(done.status.success(), "{}", stderr(&done));
    let text = stdout(&done);
    assert!(text.contains("Imported cState from"), "{text}");
    assert!(text.contains("create     status/page.yaml"), "{text}");
    assert!(
        text.contains("is a draft (Hugo does not publish it): skipped"),
        "{text}"
    );
    assert!(status
        .join("incidents/2017-02-28-major-outage-east-us.md")
        .is_file());

    let check = wheelhouse(&["--json", "--repo", &repo, "status", "check"]);
    assert!(check.status.success(), "{}", stdout(&check));
    assert_eq!(json_of(&check)["components"], 6);
    assert_eq!(json_of(&check)["incidents"], 8);
    let out = dir.path().join("site");
    let build = wheelhouse(&[
        "--repo",
        &repo,
        "status",
        "build",
        out.to_str().unwrap(),
        "--now",
        "2025-01-01T00:00:00Z",
    ]);
    assert!(build.status.success(), "{}", stderr(&build));
    assert!(out.join("incidents/2020-01-01-escaping.html").is_file());

    // Again: the same files, nothing to overwrite.
    let again = wheelhouse(&[
        "--json", "--repo", &repo, "status", "import", "cstate", &cstate,
    ]);
    assert!(again.status.success(), "{}", stdout(&again));
    assert!(json_of(&again)["files"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["action"] == "unchanged"));
}

#[test]
fn upptime_import_with_force_replaces_the_page_and_reports_its_notes() {
    let dir = tempfile::tempdir().unwrap();
    let repo = demo_repo(dir.path());
    let status = Path::new(&repo).join("status");
    // Keep the demo's page but none of its incidents, templates or maintenances.
    for sub in ["incidents", "maintenances", "templates"] {
        let _ = std::fs::remove_dir_all(status.join(sub));
    }
    let upptime = fixture("upptime");
    let out = wheelhouse(&[
        "--json", "--repo", &repo, "status", "import", "upptime", &upptime, "--force",
    ]);
    assert!(out.status.success(), "{}", stdout(&out));
    let json = json_of(&out);
    let action = |path: &str| {
        json["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == path)
            .unwrap_or_else(|| panic!("{path} in {json}"))["action"]
            .clone()
    };
    assert_eq!(action("status/page.yaml"), "overwrite");
    assert_eq!(
        action("status/incidents/2026-10-16-upptime-downtime.md"),
        "create"
    );
    let notes: Vec<&str> = json["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["message"].as_str().unwrap())
        .collect();
    assert!(
        notes.iter().any(|n| n.contains("GitHub issues")),
        "{notes:?}"
    );
    let components = std::fs::read_to_string(status.join("components.yaml")).unwrap();
    assert!(components.contains("id: demo-coiffeur"), "{components}");

    let check = wheelhouse(&["--json", "--repo", &repo, "status", "check"]);
    assert!(check.status.success(), "{}", stdout(&check));
    assert_eq!(json_of(&check)["incidents"], 5);
}

#[test]
fn bad_source_folders_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let repo = demo_repo(dir.path());
    let status = Path::new(&repo).join("status");
    let before = snapshot(&status);

    let missing = dir.path().join("nowhere");
    let out = wheelhouse(&[
        "--json",
        "--repo",
        &repo,
        "status",
        "import",
        "upptime",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_of(&out)["error"]["code"], "io");

    let empty = tempfile::tempdir().unwrap();
    let out = wheelhouse(&[
        "--json",
        "--repo",
        &repo,
        "status",
        "import",
        "cstate",
        empty.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let error = &json_of(&out)["error"];
    assert_eq!(error["code"], "missing_file");
    assert!(
        error["message"].as_str().unwrap().contains("config.yml"),
        "{error}"
    );

    let unknown = wheelhouse(&["--repo", &repo, "status", "import", "statuspage", "."]);
    assert_eq!(unknown.status.code(), Some(2));
    assert_eq!(before, snapshot(&status));
}

#[test]
fn an_import_begins_a_status_page_in_a_repository_without_commits() {
    let dir = tempfile::tempdir().unwrap();
    for (tool, source) in [
        ("cstate", fixture("cstate")),
        ("upptime", fixture("upptime")),
    ] {
        // Right after `git init`: no commit, no branch yet.
        let repo = dir.path().join(tool);
        std::fs::create_dir(&repo).unwrap();
        let init = std::process::Command::new("git")
            .args(["init", "-q"])
            .arg(&repo)
            .output()
            .unwrap();
        assert!(init.status.success());
        let repo = repo.to_str().unwrap();
        let out = wheelhouse(&["--json", "--repo", repo, "status", "import", tool, &source]);
        assert!(
            out.status.success(),
            "{tool}: {}{}",
            stdout(&out),
            stderr(&out)
        );
        assert!(Path::new(repo).join("status/page.yaml").is_file());
        let check = wheelhouse(&["--repo", repo, "status", "check"]);
        assert!(check.status.success(), "{tool}: {}", stdout(&check));
    }

    // Still refused: a folder that is not a repository at all.
    let plain = dir.path().join("plain");
    std::fs::create_dir(&plain).unwrap();
    let out = wheelhouse(&[
        "--json",
        "--repo",
        plain.to_str().unwrap(),
        "status",
        "import",
        "cstate",
        &fixture("cstate"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_of(&out)["error"]["code"], "not_a_repository");
}
