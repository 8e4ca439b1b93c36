//! Sync and push as both faces do them, over a `file://` bare remote: the branch and the
//! approval notes travel together; a remote that is down is a coded problem.

use std::path::Path;
use wheelhouse_api::sync;
use wheelhouse_api::ErrorCode;
use wheelhouse_repo::network::Network;
use wheelhouse_repo::Repository;
use wheelhouse_secrets::CredentialStore;
use wheelhouse_testsupport::{git_cli, TempRepo};

const REVIEWS: &str = "refs/notes/devtools/reviews";

fn note_on(repo: &Path, rev: &str) -> Option<String> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["notes", "--ref", REVIEWS, "show", rev])
        .output()
        .unwrap();
    out.status
        .success()
        .then(|| String::from_utf8(out.stdout).unwrap())
}

#[test]
fn a_push_carries_the_notes_and_a_sync_brings_both_to_a_teammate() {
    let mine = TempRepo::with_files(&[("apps/api.yaml", "replicas: 1\n")]);
    let bare = mine.add_bare_remote("origin");
    let data = tempfile::tempdir().unwrap();
    let store = CredentialStore::new(data.path());
    let url = format!("file://{}", bare.display());
    let theirs_dir = mine.sibling("theirs");
    let theirs = wheelhouse_repo::clone(&url, &theirs_dir, &mut Network::new()).unwrap();

    // A commit and an approval note on it, pushed together.
    mine.commit(&[("apps/api.yaml", "replicas: 3\n")], "Scale api");
    git_cli(mine.path(), &["config", "user.name", "Maya Chen"]);
    git_cli(
        mine.path(),
        &["config", "user.email", "maya.chen@acme.example"],
    );
    git_cli(
        mine.path(),
        &[
            "notes",
            "--ref",
            REVIEWS,
            "add",
            "-m",
            "{\"approved\":true}",
            "HEAD",
        ],
    );
    let repo = Repository::open(mine.path()).unwrap();
    let pushed = sync::push(&repo, &mut Network::new(), &store).unwrap();
    assert_eq!(pushed.notes_error, None);

    let synced = sync::sync(&theirs, &mut Network::new(), &store).unwrap();
    assert_eq!(synced.report.fast_forwarded, 1);
    assert_eq!(synced.notes_error, None);
    assert_eq!(
        std::fs::read_to_string(theirs_dir.join("apps/api.yaml")).unwrap(),
        "replicas: 3\n"
    );
    assert_eq!(
        note_on(&theirs_dir, "HEAD").as_deref(),
        Some("{\"approved\":true}\n")
    );
    // The JSON a script reads: the report's fields, and the notes beside them.
    let json = serde_json::to_value(&synced).unwrap();
    assert_eq!(json["fast_forwarded"], 1);
    assert!(json["notes_error"].is_null());
}

#[test]
fn a_remote_that_is_gone_is_a_coded_problem_and_nothing_moves() {
    let mine = TempRepo::with_files(&[("a.yaml", "a: 1\n")]);
    let bare = mine.add_bare_remote("origin");
    std::fs::remove_dir_all(&bare).unwrap();
    let data = tempfile::tempdir().unwrap();
    let store = CredentialStore::new(data.path());
    let repo = Repository::open(mine.path()).unwrap();
    let head = mine.git().head().unwrap().target().unwrap();
    let refused = sync::sync(&repo, &mut Network::new(), &store).unwrap_err();
    assert_eq!(refused.code, ErrorCode::NotAGitRemote, "{refused}");
    let refused = sync::push(&repo, &mut Network::new(), &store).unwrap_err();
    assert_eq!(refused.code, ErrorCode::NotAGitRemote, "{refused}");
    assert_eq!(mine.git().head().unwrap().target().unwrap(), head);
}
