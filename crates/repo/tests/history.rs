//! History pages, filters, commit details with diffs, and rollback as a new branch.

use wheelhouse_repo::history::{DiffStatus, HistoryFilter, LineKind};
use wheelhouse_repo::{ErrorCode, Repository};
use wheelhouse_testsupport::TempRepo;

fn repo_with_history() -> TempRepo {
    let t = TempRepo::with_files(&[
        (
            "overlays/dev/kustomization.yaml",
            "# dev\nnewTag: \"1.0\"\n",
        ),
        (
            "overlays/prod/kustomization.yaml",
            "# prod\nnewTag: \"1.0\"\n",
        ),
    ]);
    t.commit(
        &[(
            "overlays/dev/kustomization.yaml",
            "# dev\nnewTag: \"1.1\"\n",
        )],
        "dev 1.1",
    );
    t.commit(
        &[(
            "overlays/prod/kustomization.yaml",
            "# prod\nnewTag: \"1.1\"\n",
        )],
        "prod 1.1",
    );
    t.commit(
        &[(
            "overlays/dev/kustomization.yaml",
            "# dev\nnewTag: \"1.2\"\n",
        )],
        "dev 1.2",
    );
    t
}

fn summaries(page: &wheelhouse_repo::history::HistoryPage) -> Vec<&str> {
    page.commits.iter().map(|c| c.summary.as_str()).collect()
}

#[test]
fn history_pages_through_commits_newest_first() {
    let t = repo_with_history();
    let repo = Repository::open(t.path()).unwrap();
    let first = repo
        .history(&HistoryFilter {
            limit: 2,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(summaries(&first), vec!["dev 1.2", "prod 1.1"]);
    assert!(first.has_more);
    let second = repo
        .history(&HistoryFilter {
            skip: 2,
            limit: 2,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(summaries(&second), vec!["dev 1.1", "Initial commit"]);
    assert!(!second.has_more);
}

#[test]
fn history_filters_by_environment_folder_file_and_author() {
    let t = repo_with_history();
    let repo = Repository::open(t.path()).unwrap();
    let dev = repo
        .history(&HistoryFilter {
            path: Some("overlays/dev".into()),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        summaries(&dev),
        vec!["dev 1.2", "dev 1.1", "Initial commit"]
    );
    let prod_file = repo
        .history(&HistoryFilter {
            path: Some("overlays/prod/kustomization.yaml".into()),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(summaries(&prod_file), vec!["prod 1.1", "Initial commit"]);
    let nobody = repo
        .history(&HistoryFilter {
            author: Some("nobody".into()),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert!(nobody.commits.is_empty());
    let author = repo
        .history(&HistoryFilter {
            author: Some("TEST author".into()),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(author.commits.len(), 4);
}

#[test]
fn a_commit_detail_carries_its_diff_line_by_line() {
    let t = repo_with_history();
    let repo = Repository::open(t.path()).unwrap();
    let head = repo
        .history(&HistoryFilter {
            limit: 1,
            ..Default::default()
        })
        .unwrap();
    let detail = repo.commit_detail(&head.commits[0].id).unwrap();
    assert_eq!(detail.commit.summary, "dev 1.2");
    assert_eq!(detail.files.len(), 1);
    let file = &detail.files[0];
    assert_eq!(file.path, "overlays/dev/kustomization.yaml");
    assert_eq!(file.status, DiffStatus::Modified);
    assert_eq!((file.additions, file.deletions), (1, 1));
    let lines: Vec<_> = file.hunks[0]
        .lines
        .iter()
        .map(|l| (l.kind, l.text.as_str()))
        .collect();
    assert_eq!(
        lines,
        vec![
            (LineKind::Context, "# dev"),
            (LineKind::Removed, "newTag: \"1.1\""),
            (LineKind::Added, "newTag: \"1.2\"")
        ]
    );
}

#[test]
fn an_unknown_commit_is_named_in_the_error() {
    let t = repo_with_history();
    let repo = Repository::open(t.path()).unwrap();
    let err = repo.commit_detail("deadbeef").unwrap_err();
    assert_eq!(err.code(), ErrorCode::CommitNotFound);
    assert!(err.to_string().contains("deadbeef"));
}

#[test]
fn rollback_creates_a_revert_on_a_new_branch_without_touching_the_work_tree() {
    let t = repo_with_history();
    let git = t.git();
    git.config()
        .unwrap()
        .set_str("user.name", "Rollback Person")
        .unwrap();
    git.config()
        .unwrap()
        .set_str("user.email", "rb@example.com")
        .unwrap();
    let repo = Repository::open(t.path()).unwrap();
    let prod = repo
        .history(&HistoryFilter {
            author: None,
            path: Some("overlays/prod".into()),
            limit: 1,
            skip: 0,
        })
        .unwrap();
    let target = &prod.commits[0];
    let work_tree = |root: &std::path::Path| {
        let mut files = wheelhouse_testsupport::snapshot(root);
        files.retain(|path, _| !path.starts_with(root.join(".git")));
        files
            .into_keys()
            .map(|p| (std::fs::read(&p).unwrap(), p))
            .collect::<Vec<_>>()
    };
    let before = work_tree(t.path());

    let rollback = repo.rollback(&target.id).unwrap();
    assert_eq!(
        rollback.branch,
        format!("change/revert-{}", &target.id[..7])
    );
    assert_eq!(rollback.commit.summary, "Revert \"prod 1.1\"");
    assert_eq!(rollback.commit.author_name, "Rollback Person");
    assert!(before == work_tree(t.path()), "the work tree changed");
    assert_eq!(
        repo.overview(1).unwrap().head.branch.as_deref(),
        Some("main")
    );

    let detail = repo.commit_detail(&rollback.commit.id).unwrap();
    assert_eq!(detail.files[0].path, "overlays/prod/kustomization.yaml");
    let added: Vec<_> = detail.files[0].hunks[0]
        .lines
        .iter()
        .filter(|l| l.kind == LineKind::Added)
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(added, vec!["newTag: \"1.0\""]);

    let again = repo.rollback(&target.id).unwrap();
    assert_eq!(again.branch, format!("change/revert-{}-2", &target.id[..7]));
}

#[test]
fn a_rollback_that_conflicts_changes_nothing() {
    let t = repo_with_history();
    let git = t.git();
    git.config().unwrap().set_str("user.name", "R").unwrap();
    git.config()
        .unwrap()
        .set_str("user.email", "r@example.com")
        .unwrap();
    let repo = Repository::open(t.path()).unwrap();
    // "dev 1.1" is followed by "dev 1.2" on the same line: reverting it conflicts.
    let dev = repo
        .history(&HistoryFilter {
            path: Some("overlays/dev".into()),
            skip: 1,
            limit: 1,
            ..Default::default()
        })
        .unwrap();
    let branches_before = git.branches(None).unwrap().count();
    let err = repo.rollback(&dev.commits[0].id).unwrap_err();
    assert_eq!(err.code(), ErrorCode::RevertConflict, "{err}");
    assert!(
        err.to_string().contains("overlays/dev/kustomization.yaml"),
        "{err}"
    );
    assert_eq!(git.branches(None).unwrap().count(), branches_before);
}
