//! Records stored in real repositories: appended line-wise, read back, readable by the git CLI,
//! and merged line-wise when two clones' notes refs diverge — the same result as
//! `git notes merge -s cat_sort_uniq`, and a push afterwards is a fast-forward.

use git2::{Oid, Repository, Signature};
use std::path::Path;
use std::process::Command;
use wheelhouse_approvals::notes::{
    append_record, merge_notes_refs, read_records, remote_notes_ref, to_line, NotesError,
    NotesMerge, ReviewComment, DISCUSS_REF, FETCH_REFSPEC, PUSH_REFSPEC,
};

/// Runs git with a fixed identity and no user or system configuration; returns stdout.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A repository with `n` empty commits on main; returns it and the commits, oldest first.
fn repo_with_commits(dir: &Path, n: usize) -> (Repository, Vec<Oid>) {
    git(dir, &["init", "-q", "-b", "main"]);
    let mut commits = Vec::new();
    for i in 0..n {
        git(
            dir,
            &["commit", "-q", "--allow-empty", "-m", &format!("c{i}")],
        );
        commits.push(Oid::from_str(git(dir, &["rev-parse", "HEAD"]).trim()).unwrap());
    }
    (Repository::open(dir).unwrap(), commits)
}

fn who() -> Signature<'static> {
    Signature::now("Wheelhouse", "wheelhouse@example.com").unwrap()
}

fn approval_line(author: &str, head: Oid) -> String {
    to_line(&ReviewComment::verdict(
        author,
        head,
        "sha256:c0ffee",
        true,
        "",
        1_700_000_000,
    ))
    .unwrap()
}

fn authors(repo: &Repository, notes_ref: &str, commit: Oid) -> Vec<String> {
    read_records::<ReviewComment>(repo, notes_ref, commit)
        .unwrap()
        .into_iter()
        .map(|r| r.unwrap().record.author)
        .collect()
}

fn show(dir: &Path, notes_ref: &str, commit: Oid) -> String {
    git(
        dir,
        &["notes", "--ref", notes_ref, "show", &commit.to_string()],
    )
}

#[test]
fn appended_records_are_read_back_and_shown_by_git_notes() {
    let dir = tempfile::tempdir().unwrap();
    let (repo, commits) = repo_with_commits(dir.path(), 2);
    let bob = approval_line("bob@example.com", commits[1]);
    let alice = approval_line("alice@example.com", commits[1]);

    append_record(&repo, DISCUSS_REF, commits[0], &bob, &who()).unwrap();
    append_record(&repo, DISCUSS_REF, commits[0], &alice, &who()).unwrap();

    assert_eq!(
        show(dir.path(), "devtools/discuss", commits[0]),
        format!("{alice}\n{bob}\n")
    );
    assert_eq!(
        authors(&repo, DISCUSS_REF, commits[0]),
        ["alice@example.com", "bob@example.com"]
    );
    assert!(
        read_records::<ReviewComment>(&repo, DISCUSS_REF, commits[1])
            .unwrap()
            .is_empty()
    );
}

#[test]
fn appending_a_line_that_is_already_there_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (repo, commits) = repo_with_commits(dir.path(), 1);
    let line = approval_line("alice@example.com", commits[0]);

    let first = append_record(&repo, DISCUSS_REF, commits[0], &line, &who()).unwrap();
    let second = append_record(&repo, DISCUSS_REF, commits[0], &line, &who()).unwrap();

    assert_eq!(first, second);
    assert_eq!(authors(&repo, DISCUSS_REF, commits[0]).len(), 1);
}

#[test]
fn a_note_appended_by_git_appraise_is_merged_line_wise() {
    let dir = tempfile::tempdir().unwrap();
    let (repo, commits) = repo_with_commits(dir.path(), 1);
    let sha = commits[0].to_string();
    let carol = approval_line("carol@example.com", commits[0]);
    let bob = approval_line("bob@example.com", commits[0]);
    // git-appraise appends with `git notes append`, which leaves a blank line between entries.
    git(
        dir.path(),
        &["notes", "--ref", DISCUSS_REF, "append", "-m", &carol, &sha],
    );
    git(
        dir.path(),
        &["notes", "--ref", DISCUSS_REF, "append", "-m", &bob, &sha],
    );
    assert_eq!(
        show(dir.path(), DISCUSS_REF, commits[0]),
        format!("{carol}\n\n{bob}\n")
    );
    let alice = approval_line("alice@example.com", commits[0]);

    append_record(&repo, DISCUSS_REF, commits[0], &alice, &who()).unwrap();

    assert_eq!(
        show(dir.path(), DISCUSS_REF, commits[0]),
        format!("{alice}\n{bob}\n{carol}\n")
    );
}

#[test]
fn a_record_that_is_not_one_json_object_on_one_line_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (repo, commits) = repo_with_commits(dir.path(), 1);
    let line = approval_line("alice@example.com", commits[0]);

    for bad in [
        format!("{line}\n{line}"),
        "approved".to_string(),
        "[1,2]".to_string(),
        r#"{"author":"alice@example.com""#.to_string(),
    ] {
        let err = append_record(&repo, DISCUSS_REF, commits[0], &bad, &who()).unwrap_err();
        assert_eq!(err.code(), "invalid_record", "{bad}: {err}");
    }
    let err = append_record(&repo, "refs/heads/main", commits[0], &line, &who()).unwrap_err();
    assert!(matches!(err, NotesError::InvalidRef { .. }));
    assert!(
        repo.find_reference(DISCUSS_REF).is_err(),
        "something was written"
    );
}

#[test]
fn a_truncated_line_in_a_stored_note_is_an_error_entry_beside_the_good_ones() {
    let dir = tempfile::tempdir().unwrap();
    let (repo, commits) = repo_with_commits(dir.path(), 1);
    let good = approval_line("alice@example.com", commits[0]);
    let truncated = &good[..good.len() / 2];
    let note = format!("{good}\n{truncated}");
    git(
        dir.path(),
        &[
            "notes",
            "--ref",
            DISCUSS_REF,
            "add",
            "-m",
            &note,
            &commits[0].to_string(),
        ],
    );

    let parsed = read_records::<ReviewComment>(&repo, DISCUSS_REF, commits[0]).unwrap();

    assert_eq!(parsed.len(), 2);
    assert_eq!(
        parsed[0].as_ref().unwrap().record.author,
        "alice@example.com"
    );
    let err = parsed[1].as_ref().unwrap_err();
    assert_eq!(err.line_no, 2);
    assert!(err.reason.contains("truncated"), "{}", err.reason);
}

/// Two notes refs that diverged from a common notes commit: each added to the note on
/// `commits[0]`, and each annotated a commit of its own.
fn diverged(dir: &Path) -> (Repository, Vec<Oid>, String) {
    let (repo, commits) = repo_with_commits(dir, 3);
    let fetched = remote_notes_ref("origin", DISCUSS_REF);
    let base = approval_line("base@example.com", commits[2]);
    append_record(&repo, DISCUSS_REF, commits[0], &base, &who()).unwrap();
    let tip = repo.refname_to_id(DISCUSS_REF).unwrap();
    repo.reference(&fetched, tip, false, "test").unwrap();

    for (author, commit) in [
        ("alice@example.com", commits[0]),
        ("alice@example.com", commits[1]),
    ] {
        append_record(
            &repo,
            DISCUSS_REF,
            commit,
            &approval_line(author, commits[2]),
            &who(),
        )
        .unwrap();
    }
    for (author, commit) in [
        ("bob@example.com", commits[0]),
        ("bob@example.com", commits[2]),
    ] {
        append_record(
            &repo,
            &fetched,
            commit,
            &approval_line(author, commits[2]),
            &who(),
        )
        .unwrap();
    }
    (repo, commits, fetched)
}

#[test]
fn diverged_notes_refs_merge_into_the_union_of_their_lines() {
    let dir = tempfile::tempdir().unwrap();
    let (repo, commits, fetched) = diverged(dir.path());
    let local_before = repo.refname_to_id(DISCUSS_REF).unwrap();
    let fetched_tip = repo.refname_to_id(&fetched).unwrap();

    let outcome = merge_notes_refs(&repo, DISCUSS_REF, &fetched, &who()).unwrap();

    let NotesMerge::Merged { commit } = outcome else {
        panic!("expected a merge, got {outcome:?}");
    };
    let merge = repo.find_commit(commit).unwrap();
    assert_eq!(repo.refname_to_id(DISCUSS_REF).unwrap(), commit);
    assert_eq!(
        merge.parent_ids().collect::<Vec<_>>(),
        [local_before, fetched_tip]
    );
    assert_eq!(
        authors(&repo, DISCUSS_REF, commits[0]),
        ["alice@example.com", "base@example.com", "bob@example.com"]
    );
    assert_eq!(
        authors(&repo, DISCUSS_REF, commits[1]),
        ["alice@example.com"]
    );
    assert_eq!(authors(&repo, DISCUSS_REF, commits[2]), ["bob@example.com"]);
}

#[test]
fn our_merge_gives_the_same_notes_as_git_notes_merge_cat_sort_uniq() {
    let ours_dir = tempfile::tempdir().unwrap();
    let (repo, commits, fetched) = diverged(ours_dir.path());
    let git_dir = tempfile::tempdir().unwrap();
    let status = Command::new("cp")
        .arg("-a")
        .arg(ours_dir.path().join(".git"))
        .arg(git_dir.path())
        .status()
        .unwrap();
    assert!(status.success());

    merge_notes_refs(&repo, DISCUSS_REF, &fetched, &who()).unwrap();
    git(
        git_dir.path(),
        &[
            "notes",
            "--ref",
            DISCUSS_REF,
            "merge",
            "-q",
            "-s",
            "cat_sort_uniq",
            &fetched,
        ],
    );

    for commit in &commits {
        assert_eq!(
            show(ours_dir.path(), DISCUSS_REF, *commit),
            show(git_dir.path(), DISCUSS_REF, *commit),
            "note on {commit}"
        );
    }
    assert_eq!(
        git(ours_dir.path(), &["notes", "--ref", DISCUSS_REF, "list"]),
        git(git_dir.path(), &["notes", "--ref", DISCUSS_REF, "list"])
    );
}

#[test]
fn merging_says_what_it_did_when_there_is_nothing_to_join() {
    let dir = tempfile::tempdir().unwrap();
    let (repo, commits) = repo_with_commits(dir.path(), 1);
    let fetched = remote_notes_ref("origin", DISCUSS_REF);
    let merge = |repo: &Repository| merge_notes_refs(repo, DISCUSS_REF, &fetched, &who()).unwrap();

    assert_eq!(merge(&repo), NotesMerge::NothingFetched);

    append_record(
        &repo,
        &fetched,
        commits[0],
        &approval_line("a@example.com", commits[0]),
        &who(),
    )
    .unwrap();
    assert_eq!(merge(&repo), NotesMerge::Created);
    assert_eq!(merge(&repo), NotesMerge::UpToDate);

    append_record(
        &repo,
        &fetched,
        commits[0],
        &approval_line("b@example.com", commits[0]),
        &who(),
    )
    .unwrap();
    assert_eq!(merge(&repo), NotesMerge::FastForwarded);
    assert_eq!(
        repo.refname_to_id(DISCUSS_REF).unwrap(),
        repo.refname_to_id(&fetched).unwrap()
    );

    append_record(
        &repo,
        DISCUSS_REF,
        commits[0],
        &approval_line("c@example.com", commits[0]),
        &who(),
    )
    .unwrap();
    assert_eq!(merge(&repo), NotesMerge::UpToDate);
    assert_eq!(authors(&repo, DISCUSS_REF, commits[0]).len(), 3);
}

#[test]
fn two_clones_approving_at_once_keep_both_approvals_through_fetch_merge_and_push() {
    let root = tempfile::tempdir().unwrap();
    let origin = root.path().join("origin.git");
    let seed = root.path().join("seed");
    std::fs::create_dir(&seed).unwrap();
    let (_, commits) = repo_with_commits(&seed, 1);
    git(
        root.path(),
        &[
            "clone",
            "-q",
            "--bare",
            seed.to_str().unwrap(),
            origin.to_str().unwrap(),
        ],
    );
    let url = format!("file://{}", origin.display());
    let clone = |name: &str| {
        git(root.path(), &["clone", "-q", &url, name]);
        Repository::open(root.path().join(name)).unwrap()
    };
    let (a, b) = (clone("a"), clone("b"));
    let push = |name: &str| {
        git(
            &root.path().join(name),
            &["push", "-q", "origin", PUSH_REFSPEC],
        )
    };
    let fetch_and_merge = |repo: &Repository| {
        repo.find_remote("origin")
            .unwrap()
            .fetch(&[FETCH_REFSPEC], None, None)
            .unwrap();
        merge_notes_refs(
            repo,
            DISCUSS_REF,
            &remote_notes_ref("origin", DISCUSS_REF),
            &who(),
        )
        .unwrap()
    };

    append_record(
        &a,
        DISCUSS_REF,
        commits[0],
        &approval_line("alice@example.com", commits[0]),
        &who(),
    )
    .unwrap();
    append_record(
        &b,
        DISCUSS_REF,
        commits[0],
        &approval_line("bob@example.com", commits[0]),
        &who(),
    )
    .unwrap();
    push("a");
    assert!(matches!(fetch_and_merge(&b), NotesMerge::Merged { .. }));
    push("b"); // not forced: only succeeds as a fast-forward
    assert_eq!(fetch_and_merge(&a), NotesMerge::FastForwarded);

    for repo in [&a, &b] {
        assert_eq!(
            authors(repo, DISCUSS_REF, commits[0]),
            ["alice@example.com", "bob@example.com"]
        );
    }
    assert_eq!(
        show(&origin, DISCUSS_REF, commits[0]),
        show(&root.path().join("a"), DISCUSS_REF, commits[0])
    );
}
