//! Sync with a real bare remote: fetch, fast-forward when safe, refuse when not, push.

use std::path::Path;
use wheelhouse_repo::network::Network;
use wheelhouse_repo::sync::UpdateBlock;
use wheelhouse_repo::{ErrorCode, Repository};
use wheelhouse_testsupport::{snapshot, TempRepo};

/// A teammate's clone of `bare` that commits `files` and pushes to main.
fn teammate_pushes(bare: &Path, scratch: &Path, files: &[(&str, &str)], message: &str) {
    let dir = scratch.join(format!("teammate-{}", message.len()));
    let repo = git2::Repository::clone(&format!("file://{}", bare.display()), &dir).unwrap();
    for (path, content) in files {
        let full = dir.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, content).unwrap();
    }
    let mut index = repo.index().unwrap();
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let sig = git2::Signature::now("Teammate", "mate@example.com").unwrap();
    let parent = repo.head().unwrap().peel_to_commit().unwrap();
    repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &[&parent])
        .unwrap();
    repo.find_remote("origin")
        .unwrap()
        .push(&["refs/heads/main:refs/heads/main"], None)
        .unwrap();
}

fn setup() -> (TempRepo, std::path::PathBuf) {
    let local = TempRepo::with_files(&[
        ("overlays/dev/kustomization.yaml", "images: []\n"),
        ("overlays/prod/kustomization.yaml", "images: []\n"),
    ]);
    let bare = local.add_bare_remote("origin");
    (local, bare)
}

/// [`setup`], and a teammate has pushed "dev bump" (dev's kustomization → `images: [api]`).
fn one_commit_behind() -> TempRepo {
    let (local, bare) = setup();
    teammate_pushes(
        &bare,
        &local.sibling(""),
        &[("overlays/dev/kustomization.yaml", "images: [api]\n")],
        "dev bump",
    );
    local
}

#[test]
fn an_incoming_commit_is_fetched_then_fast_forwarded() {
    let local = one_commit_behind();
    let repo = Repository::open(local.path()).unwrap();

    repo.fetch(&mut Network::new()).unwrap();
    let state = repo.sync_state().unwrap();
    assert_eq!((state.ahead, state.behind), (0, 1));
    assert_eq!(state.incoming[0].summary, "dev bump");
    assert_eq!(state.blocked, None);

    assert_eq!(repo.fast_forward().unwrap(), 1);
    assert_eq!(
        std::fs::read_to_string(local.path().join("overlays/dev/kustomization.yaml")).unwrap(),
        "images: [api]\n"
    );
    assert_eq!(repo.sync_state().unwrap().behind, 0);
    assert!(repo.overview(1).unwrap().working_tree.clean);
}

#[test]
fn local_edits_to_an_incoming_file_block_the_update_and_are_kept() {
    let (local, bare) = setup();
    teammate_pushes(
        &bare,
        &local.sibling(""),
        &[("overlays/dev/kustomization.yaml", "images: [theirs]\n")],
        "their edit",
    );
    local.write("overlays/dev/kustomization.yaml", "images: [mine]\n");
    let repo = Repository::open(local.path()).unwrap();

    let report = repo.sync(&mut Network::new()).unwrap();
    assert_eq!(report.fast_forwarded, 0);
    assert_eq!(
        report.state.blocked,
        Some(UpdateBlock::LocalEdits {
            paths: vec!["overlays/dev/kustomization.yaml".into()]
        })
    );
    assert_eq!(
        std::fs::read_to_string(local.path().join("overlays/dev/kustomization.yaml")).unwrap(),
        "images: [mine]\n",
        "local work was discarded"
    );
    let err = repo.fast_forward().unwrap_err();
    assert_eq!(err.code(), ErrorCode::UpdateBlocked);
    assert!(
        err.to_string().contains("overlays/dev/kustomization.yaml"),
        "{err}"
    );
}

#[test]
fn local_edits_elsewhere_survive_a_fast_forward() {
    let (local, bare) = setup();
    teammate_pushes(
        &bare,
        &local.sibling(""),
        &[("overlays/dev/kustomization.yaml", "images: [theirs]\n")],
        "their edit",
    );
    local.write("overlays/prod/kustomization.yaml", "images: [mine]\n");
    local.write("notes.txt", "draft\n");
    let repo = Repository::open(local.path()).unwrap();

    let report = repo.sync(&mut Network::new()).unwrap();
    assert_eq!(report.fast_forwarded, 1);
    assert_eq!(
        std::fs::read_to_string(local.path().join("overlays/prod/kustomization.yaml")).unwrap(),
        "images: [mine]\n"
    );
    assert_eq!(
        std::fs::read_to_string(local.path().join("notes.txt")).unwrap(),
        "draft\n"
    );
    assert_eq!(
        std::fs::read_to_string(local.path().join("overlays/dev/kustomization.yaml")).unwrap(),
        "images: [theirs]\n"
    );
}

#[test]
fn diverged_branches_are_reported_not_merged() {
    let (local, bare) = setup();
    teammate_pushes(
        &bare,
        &local.sibling(""),
        &[("a.yaml", "a: theirs\n")],
        "theirs",
    );
    local.commit(&[("b.yaml", "b: mine\n")], "mine");
    let repo = Repository::open(local.path()).unwrap();
    let report = repo.sync(&mut Network::new()).unwrap();
    assert_eq!(
        report.state.blocked,
        Some(UpdateBlock::Diverged {
            ahead: 1,
            behind: 1
        })
    );
    assert_eq!(report.state.outgoing[0].summary, "mine");
    assert_eq!(report.state.incoming[0].summary, "theirs");
}

#[test]
fn push_sends_local_commits_and_a_rejected_push_says_pull_first() {
    let (local, bare) = setup();
    local.commit(&[("c.yaml", "c: 1\n")], "local work");
    let repo = Repository::open(local.path()).unwrap();
    repo.push(&mut Network::new()).unwrap();
    let origin = git2::Repository::open_bare(&bare).unwrap();
    let tip = origin
        .find_reference("refs/heads/main")
        .unwrap()
        .peel_to_commit()
        .unwrap();
    assert_eq!(tip.summary(), Some("local work"));
    assert_eq!(repo.sync_state().unwrap().ahead, 0);

    teammate_pushes(
        &bare,
        &local.sibling(""),
        &[("d.yaml", "d: 1\n")],
        "their later work",
    );
    local.commit(&[("e.yaml", "e: 1\n")], "more local work");
    let err = repo.push(&mut Network::new()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::PushRejected, "{err}");
}

#[test]
fn an_unreachable_remote_is_offline_and_changes_nothing() {
    let (local, _bare) = setup();
    local
        .git()
        .remote_set_url("origin", "http://127.0.0.1:9/acme.git")
        .unwrap();
    let before = snapshot(local.path());
    let repo = Repository::open(local.path()).unwrap();
    let err = repo.sync(&mut Network::new()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::RemoteUnreachable, "{err}");
    let after = snapshot(local.path());
    // libgit2 may rewrite FETCH_HEAD; the working tree and refs must be untouched.
    let relevant = |s: &std::collections::BTreeMap<std::path::PathBuf, _>| {
        s.keys()
            .filter(|p| !p.ends_with("FETCH_HEAD"))
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(relevant(&before), relevant(&after));
}

#[test]
fn a_branch_without_upstream_cannot_sync() {
    let local = TempRepo::with_files(&[("a.yaml", "a: 1\n")]);
    let repo = Repository::open(local.path()).unwrap();
    assert_eq!(
        repo.fetch(&mut Network::new()).unwrap_err().code(),
        ErrorCode::NoUpstream
    );
}

#[test]
fn a_locked_index_refuses_the_update() {
    let (local, bare) = setup();
    teammate_pushes(&bare, &local.sibling(""), &[("a.yaml", "a: 2\n")], "theirs");
    let repo = Repository::open(local.path()).unwrap();
    repo.fetch(&mut Network::new()).unwrap();
    std::fs::write(local.path().join(".git/index.lock"), "").unwrap();
    let err = repo.fast_forward().unwrap_err();
    assert_eq!(err.code(), ErrorCode::IndexLocked);
    assert!(err.to_string().contains("index.lock"), "{err}");
    assert_eq!(repo.sync_state().unwrap().behind, 1);
}

/// One sync of a repository at a time, across handles and processes: a sync started while
/// another holds the repository (the app's background sync, a `wheelhouse sync` in a terminal)
/// waits for it to end, then fetches and fast-forwards itself.
#[test]
fn a_second_sync_waits_for_the_running_one() {
    let local = one_commit_behind();
    let running = Repository::open(local.path()).unwrap();
    let guard = running.lock_sync().unwrap();
    let path = local.path().to_path_buf();
    let second = std::thread::spawn(move || {
        let repo = Repository::open(&path).unwrap();
        let report = repo.sync(&mut Network::new()).unwrap();
        (std::time::Instant::now(), report)
    });
    std::thread::sleep(std::time::Duration::from_millis(400));
    assert!(
        !second.is_finished(),
        "the second sync ran while the first held the repository"
    );
    assert_eq!(
        std::fs::read_to_string(local.path().join("overlays/dev/kustomization.yaml")).unwrap(),
        "images: []\n",
        "nothing was fetched into the working tree meanwhile"
    );
    let released = std::time::Instant::now();
    drop(guard);
    let (finished, report) = second.join().unwrap();
    assert!(finished >= released);
    assert_eq!(report.fast_forwarded, 1);
    // Nothing was written for the lock: the working tree is clean.
    assert!(running.overview(1).unwrap().working_tree.clean);
}
