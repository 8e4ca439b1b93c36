//! The working tree: diffs, discarding one file, committing, identity, and paths that escape.

use wheelhouse_repo::history::DiffStatus;
use wheelhouse_repo::{ErrorCode, Repository};
use wheelhouse_testsupport::{snapshot, TempRepo};

fn with_identity(t: &TempRepo) {
    let mut config = t
        .git()
        .config()
        .unwrap()
        .open_level(git2::ConfigLevel::Local)
        .unwrap();
    config.set_str("user.name", "Maya Chen").unwrap();
    config.set_str("user.email", "maya@example.com").unwrap();
}

#[test]
fn the_working_diff_lists_modified_and_new_files() {
    let t = TempRepo::with_files(&[("a.yaml", "a: 1\nb: 2\n")]);
    t.write("a.yaml", "a: 1\nb: 3\n");
    t.write("new/c.yaml", "c: 1\n");
    let repo = Repository::open(t.path()).unwrap();
    let all = repo.working_diff(None).unwrap();
    let files: Vec<_> = all.iter().map(|f| (f.path.as_str(), f.status)).collect();
    assert_eq!(
        files,
        vec![
            ("a.yaml", DiffStatus::Modified),
            ("new/c.yaml", DiffStatus::Added)
        ]
    );
    let one = repo.working_diff(Some("a.yaml")).unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!((one[0].additions, one[0].deletions), (1, 1));
}

#[test]
fn discarding_one_file_restores_it_and_leaves_the_others() {
    let t = TempRepo::with_files(&[("a.yaml", "a: 1\n"), ("b.yaml", "b: 1\n")]);
    t.write("a.yaml", "a: 2\n");
    t.write("b.yaml", "b: 2\n");
    t.write("draft.yaml", "new\n");
    let repo = Repository::open(t.path()).unwrap();
    repo.discard("a.yaml").unwrap();
    assert_eq!(
        std::fs::read_to_string(t.path().join("a.yaml")).unwrap(),
        "a: 1\n"
    );
    assert_eq!(
        std::fs::read_to_string(t.path().join("b.yaml")).unwrap(),
        "b: 2\n"
    );
    repo.discard("draft.yaml").unwrap();
    assert!(!t.path().join("draft.yaml").exists());
    let changes = repo.overview(1).unwrap().working_tree.changes;
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].path, "b.yaml");
}

#[test]
fn paths_that_escape_the_repository_are_refused_without_touching_anything() {
    let t = TempRepo::with_files(&[("a.yaml", "a: 1\n")]);
    let outside = t.sibling("secret.txt");
    std::fs::write(&outside, "keep").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(t.sibling(""), t.path().join("escape")).unwrap();
    let repo = Repository::open(t.path()).unwrap();
    let before = snapshot(&t.sibling(""));
    for bad in [
        "../secret.txt",
        "/etc/passwd",
        "",
        ".git/config",
        "a/../../secret.txt",
        "escape/secret.txt",
    ] {
        let err = repo.discard(bad).unwrap_err();
        assert_eq!(err.code(), ErrorCode::PathOutsideRepository, "{bad}: {err}");
        assert!(repo.working_diff(Some(bad)).is_err(), "{bad}");
    }
    assert_eq!(before, snapshot(&t.sibling("")));
}

#[test]
fn commit_all_uses_the_configured_identity() {
    let t = TempRepo::with_files(&[("a.yaml", "a: 1\n")]);
    with_identity(&t);
    t.write("a.yaml", "a: 2\n");
    t.write("b.yaml", "b: 1\n");
    let repo = Repository::open(t.path()).unwrap();
    let commit = repo.commit_all("  Bump a and add b  ").unwrap();
    assert_eq!(commit.summary, "Bump a and add b");
    assert_eq!(commit.author_name, "Maya Chen");
    assert!(repo.overview(1).unwrap().working_tree.clean);
    assert_eq!(
        repo.commit_all("again").unwrap_err().code(),
        ErrorCode::NothingToCommit
    );
    assert_eq!(
        repo.commit_all("   ").unwrap_err().code(),
        ErrorCode::InvalidInput
    );
}

#[test]
fn without_an_identity_nothing_is_committed_until_one_is_set() {
    let t = TempRepo::with_files(&[("a.yaml", "a: 1\n")]);
    t.write("a.yaml", "a: 2\n");
    // An empty global config: point HOME-level lookups at nothing for this repository.
    let mut local = t
        .git()
        .config()
        .unwrap()
        .open_level(git2::ConfigLevel::Local)
        .unwrap();
    local.set_str("user.useConfigOnly", "true").unwrap();
    let repo = Repository::open(t.path()).unwrap();
    let has_global_identity = git2::Config::open_default()
        .and_then(|c| c.get_string("user.name"))
        .is_ok();
    if !has_global_identity {
        let err = repo.commit_all("Bump a").unwrap_err();
        assert_eq!(err.code(), ErrorCode::IdentityMissing, "{err}");
        assert_eq!(repo.overview(5).unwrap().commits.len(), 1);
    }
    repo.set_identity("Tomás Rivera", "tomas@example.com")
        .unwrap();
    assert_eq!(
        repo.commit_all("Bump a").unwrap().author_name,
        "Tomás Rivera"
    );
    assert_eq!(
        repo.set_identity("", "x").unwrap_err().code(),
        ErrorCode::InvalidInput
    );
}

#[test]
fn a_merge_in_progress_refuses_writes() {
    let t = TempRepo::with_files(&[("a.yaml", "a: 1\n")]);
    with_identity(&t);
    t.write("a.yaml", "a: 2\n");
    let head = t.git().head().unwrap().target().unwrap();
    std::fs::write(t.path().join(".git/MERGE_HEAD"), format!("{head}\n")).unwrap();
    let repo = Repository::open(t.path()).unwrap();
    let err = repo.commit_all("x").unwrap_err();
    assert_eq!(err.code(), ErrorCode::OperationInProgress, "{err}");
    assert!(err.to_string().contains("merge"));
    assert_eq!(
        repo.discard("a.yaml").unwrap_err().code(),
        ErrorCode::OperationInProgress
    );
    assert_eq!(
        std::fs::read_to_string(t.path().join("a.yaml")).unwrap(),
        "a: 2\n"
    );
}
