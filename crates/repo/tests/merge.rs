//! Landing a change on its target: merge commit or fast-forward, against real repositories.

use wheelhouse_repo::{ErrorCode, MergeStrategy, Repository};
use wheelhouse_testsupport::TempRepo;

/// A repository on `main` with `change/x` one commit ahead (it edits b.txt).
fn with_change() -> (TempRepo, git2::Oid, git2::Oid) {
    let t = TempRepo::with_files(&[("a.txt", "a\n"), ("b.txt", "b\n")]);
    t.git()
        .config()
        .unwrap()
        .set_str("user.name", "Merger")
        .unwrap();
    t.git()
        .config()
        .unwrap()
        .set_str("user.email", "merger@example.com")
        .unwrap();
    let base = t.git().head().unwrap().peel_to_commit().unwrap().id();
    let git = t.git();
    git.branch("change/x", &git.find_commit(base).unwrap(), false)
        .unwrap();
    git.set_head("refs/heads/change/x").unwrap();
    git.checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
        .unwrap();
    let head = t.commit(&[("b.txt", "b changed\n")], "Change b");
    git.set_head("refs/heads/main").unwrap();
    git.checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
        .unwrap();
    (t, base, head)
}

fn main_tip(t: &TempRepo) -> git2::Oid {
    t.git().refname_to_id("refs/heads/main").unwrap()
}

#[test]
fn a_merge_commit_has_both_parents_and_the_message_and_the_worktree_follows() {
    let (t, base, head) = with_change();
    let repo = Repository::open(t.path()).unwrap();
    let merged = repo
        .merge_into(
            "main",
            &head.to_string(),
            "Merge change/x\n\nReviewed-by: A <a@example.com>\n",
            MergeStrategy::MergeCommit,
        )
        .unwrap();
    let git = t.git();
    let commit = git.find_commit(main_tip(&t)).unwrap();
    assert_eq!(commit.id().to_string(), merged.id);
    assert_eq!(commit.parent_ids().collect::<Vec<_>>(), vec![base, head]);
    assert!(commit
        .message()
        .unwrap()
        .contains("Reviewed-by: A <a@example.com>"));
    assert_eq!(
        std::fs::read_to_string(t.path().join("b.txt")).unwrap(),
        "b changed\n"
    );
    assert!(git.statuses(None).unwrap().is_empty());
}

#[test]
fn fast_forward_moves_the_target_to_the_head_without_a_new_commit() {
    let (t, _base, head) = with_change();
    let repo = Repository::open(t.path()).unwrap();
    let landed = repo
        .merge_into(
            "main",
            &head.to_string(),
            "unused",
            MergeStrategy::FastForward,
        )
        .unwrap();
    assert_eq!(landed.id, head.to_string());
    assert_eq!(main_tip(&t), head);
    assert_eq!(
        std::fs::read_to_string(t.path().join("b.txt")).unwrap(),
        "b changed\n"
    );
}

#[test]
fn fast_forward_is_refused_when_the_target_moved_on() {
    let (t, _base, head) = with_change();
    let moved = t.commit(&[("a.txt", "a moved\n")], "Main moves on");
    let repo = Repository::open(t.path()).unwrap();
    let err = repo
        .merge_into(
            "main",
            &head.to_string(),
            "unused",
            MergeStrategy::FastForward,
        )
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFastForward);
    assert!(err.to_string().contains("rebase"), "{err}");
    assert_eq!(main_tip(&t), moved);
    // A merge commit still works for the same change.
    repo.merge_into(
        "main",
        &head.to_string(),
        "Merge",
        MergeStrategy::MergeCommit,
    )
    .unwrap();
    assert_eq!(t.git().find_commit(main_tip(&t)).unwrap().parent_count(), 2);
}

#[test]
fn a_conflict_is_refused_naming_the_files_and_nothing_changes() {
    let (t, _base, head) = with_change();
    let moved = t.commit(&[("b.txt", "b on main\n")], "Main edits b too");
    let before = wheelhouse_testsupport::snapshot(t.path());
    let repo = Repository::open(t.path()).unwrap();
    let err = repo
        .merge_into(
            "main",
            &head.to_string(),
            "Merge",
            MergeStrategy::MergeCommit,
        )
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::MergeConflict);
    assert!(err.to_string().contains("b.txt"), "{err}");
    assert_eq!(main_tip(&t), moved);
    assert_eq!(wheelhouse_testsupport::snapshot(t.path()), before);
}

#[test]
fn local_edits_to_a_merged_file_are_never_overwritten() {
    let (t, _base, head) = with_change();
    t.write("b.txt", "my local edit\n");
    let repo = Repository::open(t.path()).unwrap();
    let tip = main_tip(&t);
    assert!(repo
        .merge_into(
            "main",
            &head.to_string(),
            "Merge",
            MergeStrategy::MergeCommit
        )
        .is_err());
    assert_eq!(main_tip(&t), tip);
    assert_eq!(
        std::fs::read_to_string(t.path().join("b.txt")).unwrap(),
        "my local edit\n"
    );
}

#[test]
fn an_unknown_head_is_named() {
    let (t, _, _) = with_change();
    let repo = Repository::open(t.path()).unwrap();
    let err = repo
        .merge_into("main", "not-a-commit", "Merge", MergeStrategy::MergeCommit)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::CommitNotFound);
}
