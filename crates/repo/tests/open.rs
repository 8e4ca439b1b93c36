//! Opening repositories: what opens, what is refused and why, and that refusing writes nothing.

use wheelhouse_repo::{ChangeKind, ErrorCode, Repository};
use wheelhouse_testsupport::{snapshot, TempRepo};

fn refused(path: &std::path::Path) -> wheelhouse_repo::Error {
    let before = snapshot(path.parent().unwrap());
    let err = Repository::open(path).expect_err("must be refused");
    assert_eq!(
        before,
        snapshot(path.parent().unwrap()),
        "opening {} changed files on disk",
        path.display()
    );
    err
}

#[test]
fn a_path_that_does_not_exist_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere");
    let err = refused(&missing);
    assert_eq!(err.code(), ErrorCode::PathNotFound);
    assert!(err.to_string().contains("nowhere"), "{err}");
    assert!(!missing.exists());
}

#[test]
fn a_file_is_not_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kustomization.yaml");
    std::fs::write(&file, "resources: []\n").unwrap();
    assert_eq!(refused(&file).code(), ErrorCode::NotADirectory);
}

#[test]
fn a_plain_folder_is_not_a_repository_and_gets_no_dot_git() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("manifests");
    std::fs::create_dir(&plain).unwrap();
    std::fs::write(plain.join("app.yaml"), "kind: Deployment\n").unwrap();
    let err = refused(&plain);
    assert_eq!(err.code(), ErrorCode::NotARepository);
    assert!(err.to_string().contains("git init"), "{err}");
    assert!(!plain.join(".git").exists());
}

#[test]
fn a_subfolder_of_a_repository_points_at_the_repository_root() {
    let repo = TempRepo::with_files(&[("overlays/prod/kustomization.yaml", "resources: []\n")]);
    let err = refused(&repo.path().join("overlays/prod"));
    assert_eq!(err.code(), ErrorCode::NotARepository);
    assert!(
        err.to_string().contains(&repo.path().display().to_string()),
        "{err}"
    );
}

#[test]
fn an_empty_repository_is_refused_with_advice() {
    let repo = TempRepo::init();
    let err = refused(repo.path());
    assert_eq!(err.code(), ErrorCode::EmptyRepository);
}

#[test]
fn a_repository_with_files_but_no_commits_says_to_commit_first() {
    let repo = TempRepo::init();
    repo.write("base/deployment.yaml", "kind: Deployment\n");
    let err = refused(repo.path());
    assert_eq!(err.code(), ErrorCode::NoCommits);
    assert!(err.to_string().contains("git commit"), "{err}");
}

#[test]
fn a_bare_repository_is_refused_with_advice_to_clone() {
    let repo = TempRepo::with_files(&[("a.yaml", "a: 1\n")]);
    let bare = repo.add_bare_remote("origin");
    let err = refused(&bare);
    assert_eq!(err.code(), ErrorCode::BareRepository);
    assert!(err.to_string().contains("git clone"), "{err}");
}

#[test]
fn the_overview_shows_branch_upstream_remotes_changes_and_commits() {
    let repo = TempRepo::with_files(&[("base/api.yaml", "replicas: 1\n")]);
    repo.commit(&[("base/api.yaml", "replicas: 2\n")], "Scale api to 2");
    repo.add_bare_remote("origin");
    repo.commit(&[("base/web.yaml", "replicas: 1\n")], "Add web");
    repo.write("base/api.yaml", "replicas: 3\n");
    repo.write("notes.txt", "draft\n");

    let opened = Repository::open(repo.path()).unwrap();
    let overview = opened.overview(50).unwrap();

    assert_eq!(overview.name, "repo");
    assert_eq!(overview.head.branch.as_deref(), Some("main"));
    assert_eq!(overview.head.commit.summary, "Add web");
    let upstream = overview.upstream.expect("upstream");
    assert_eq!(
        (upstream.name.as_str(), upstream.ahead, upstream.behind),
        ("origin/main", 1, 0)
    );
    assert!(upstream.last_fetched_unix.is_some());
    assert_eq!(overview.remotes.len(), 1);
    assert_eq!(overview.remotes[0].name, "origin");
    assert_eq!(overview.local_branches, vec!["main"]);

    let changes: Vec<_> = overview
        .working_tree
        .changes
        .iter()
        .map(|c| (c.path.as_str(), c.kind))
        .collect();
    assert_eq!(
        changes,
        vec![
            ("base/api.yaml", ChangeKind::Modified),
            ("notes.txt", ChangeKind::Untracked)
        ]
    );
    assert!(!overview.working_tree.clean);

    let summaries: Vec<_> = overview
        .commits
        .iter()
        .map(|c| c.summary.as_str())
        .collect();
    assert_eq!(
        summaries,
        vec!["Add web", "Scale api to 2", "Initial commit"]
    );
    assert_eq!(overview.commits[0].author_name, "Test Author");
    assert_eq!(overview.commits[0].short_id.len(), 7);
}

#[test]
fn the_commit_list_is_capped_at_the_limit() {
    let repo = TempRepo::with_files(&[("a.yaml", "v: 0\n")]);
    for i in 1..=5 {
        repo.commit(&[("a.yaml", &format!("v: {i}\n"))], &format!("Bump to {i}"));
    }
    let overview = Repository::open(repo.path()).unwrap().overview(3).unwrap();
    assert_eq!(overview.commits.len(), 3);
    assert_eq!(overview.commits[0].summary, "Bump to 5");
}

#[test]
fn a_remote_url_with_a_token_never_reaches_the_overview() {
    let repo = TempRepo::with_files(&[("a.yaml", "a: 1\n")]);
    repo.git()
        .remote(
            "origin",
            "https://maya:tok3n-s3cret@git.example.com/acme/gitops.git",
        )
        .unwrap();
    let overview = Repository::open(repo.path()).unwrap().overview(10).unwrap();
    let json = serde_json::to_string(&overview).unwrap();
    assert!(!json.contains("tok3n-s3cret"), "{json}");
    assert_eq!(
        overview.remotes[0].url,
        "https://maya@git.example.com/acme/gitops.git"
    );
}

#[test]
fn a_detached_head_has_no_branch() {
    let repo = TempRepo::with_files(&[("a.yaml", "a: 1\n")]);
    let git = repo.git();
    let head = git.head().unwrap().target().unwrap();
    git.set_head_detached(head).unwrap();
    let overview = Repository::open(repo.path()).unwrap().overview(10).unwrap();
    assert_eq!(overview.head.branch, None);
    assert!(overview.upstream.is_none());
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_listed_not_hidden() {
    use std::os::unix::ffi::OsStrExt;
    let repo = TempRepo::with_files(&[("a.yaml", "a: 1\n")]);
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.yaml");
    std::fs::write(repo.path().join(name), "x: 1\n").unwrap();
    let overview = Repository::open(repo.path()).unwrap().overview(5).unwrap();
    assert_eq!(overview.working_tree.total, 1);
    assert_eq!(overview.working_tree.changes[0].path, "caf\u{fffd}.yaml");
    assert_eq!(overview.working_tree.changes[0].kind, ChangeKind::Untracked);
}

#[test]
fn the_quick_root_answers_only_what_plain_files_prove() {
    // A branch with a commit (a loose ref): the folder is the root, no Git library needed.
    let repo = TempRepo::with_files(&[("a.yaml", "a: 1\n")]);
    assert_eq!(
        Repository::quick_root(repo.path()).as_deref(),
        Some(repo.path())
    );
    // Whatever the files cannot prove is left to `open`, which refuses with its reasons.
    let empty = TempRepo::init();
    assert_eq!(Repository::quick_root(empty.path()), None);
    let bare = repo.add_bare_remote("origin");
    assert_eq!(Repository::quick_root(&bare), None);
    let plain = tempfile::tempdir().unwrap();
    assert_eq!(Repository::quick_root(plain.path()), None);
    assert_eq!(Repository::quick_root(repo.path().join("missing")), None);
    let git = repo.git();
    let head = git.head().unwrap().target().unwrap();
    git.set_head_detached(head).unwrap();
    assert_eq!(Repository::quick_root(repo.path()), None, "a detached HEAD");
}
