//! Watching real repositories: edits, bursts, Git's own writes, and what must stay silent.
//!
//! Every wait is bounded by a channel timeout, so a change that never arrives fails the test
//! instead of hanging it; every "nothing is reported" check is followed, where it matters, by an
//! edit that must be reported, so a watcher that reports nothing at all cannot pass.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};
use tempfile::TempDir;
use wheelhouse_watch::{RepoChange, RepoWatcher, WatchErrorCode, PATHS_LIMIT};

const DEBOUNCE: Duration = Duration::from_millis(100);

fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args([
            "-c",
            "user.name=Ana",
            "-c",
            "user.email=ana@example.invalid",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "core.hooksPath=/dev/null",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git is installed");
    assert!(
        output.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A repository on `main` with one commit holding `apps/api/deployment.yaml`.
fn repo() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    fs::create_dir_all(dir.path().join("apps/api")).unwrap();
    fs::write(dir.path().join("apps/api/deployment.yaml"), "replicas: 2\n").unwrap();
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "Add api"]);
    dir
}

fn watch(root: &Path, debounce: Duration) -> (RepoWatcher, Receiver<RepoChange>) {
    let (report, changes) = mpsc::channel();
    let watcher = RepoWatcher::start(root, debounce, move |change| {
        let _ = report.send(change);
    })
    .unwrap();
    (watcher, changes)
}

fn next_change(changes: &Receiver<RepoChange>, within: Duration, what: &str) -> RepoChange {
    changes
        .recv_timeout(within)
        .unwrap_or_else(|e| panic!("no change reported within {within:?} after {what}: {e:?}"))
}

fn assert_quiet(changes: &Receiver<RepoChange>, for_: Duration, after: &str) {
    match changes.recv_timeout(for_) {
        Err(RecvTimeoutError::Timeout) => {}
        other => panic!("expected no change after {after}, got {other:?}"),
    }
}

/// Collects changes until one satisfies `done`, failing if none does within `within`.
fn changes_until(
    changes: &Receiver<RepoChange>,
    within: Duration,
    what: &str,
    done: impl Fn(&RepoChange) -> bool,
) -> Vec<RepoChange> {
    let deadline = Instant::now() + within;
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match changes.recv_timeout(left) {
            Ok(change) => {
                let finished = done(&change);
                seen.push(change);
                if finished {
                    return seen;
                }
            }
            Err(e) => panic!(
                "{what}: expected change not reported within {within:?} ({e:?}); saw {seen:?}"
            ),
        }
    }
}

fn worktree_change(paths: &[&str]) -> RepoChange {
    RepoChange {
        worktree: true,
        head: false,
        git_index: false,
        git_refs: false,
        rescan: false,
        paths: paths.iter().map(|p| p.to_string()).collect(),
        paths_total: paths.len() as u32,
    }
}

#[test]
fn an_edit_in_the_tree_is_reported_by_path_within_half_a_second() {
    let repo = repo();
    let (_watcher, changes) = watch(repo.path(), DEBOUNCE);

    fs::write(
        repo.path().join("apps/api/deployment.yaml"),
        "replicas: 3\n",
    )
    .unwrap();

    let change = next_change(&changes, Duration::from_millis(500), "saving a manifest");
    assert_eq!(change, worktree_change(&["apps/api/deployment.yaml"]));
    assert_quiet(&changes, Duration::from_millis(400), "the one change");
}

#[test]
fn a_burst_of_three_thousand_files_is_one_change() {
    let repo = repo();
    fs::create_dir(repo.path().join("generated")).unwrap();
    // A longer quiet period than the app uses: this test is about coalescing, and must not split
    // a burst because a busy build machine paused the writing thread for a tick.
    let (_watcher, changes) = watch(repo.path(), Duration::from_millis(250));

    for i in 0..3000 {
        let path = repo.path().join(format!("generated/f{i:04}.yaml"));
        fs::write(path, format!("index: {i}\n")).unwrap();
    }

    let mut received = vec![next_change(&changes, Duration::from_secs(5), "the burst")];
    while let Ok(change) = changes.recv_timeout(Duration::from_secs(1)) {
        received.push(change);
        assert!(received.len() <= 2, "a burst was split into {received:?}");
    }
    for change in &received {
        assert!(change.worktree && !change.rescan, "{change:?}");
        assert!(!change.head && !change.git_index && !change.git_refs);
        assert!(change.paths.len() <= PATHS_LIMIT);
        assert!(change.paths_total <= 3000);
    }
    if let [change] = received.as_slice() {
        assert_eq!(change.paths_total, 3000);
        let first: Vec<String> = (0..PATHS_LIMIT)
            .map(|i| format!("generated/f{i:04}.yaml"))
            .collect();
        assert_eq!(change.paths, first);
    } else {
        // Split across two windows: a file may be counted in both, none may be missing.
        let total: u32 = received.iter().map(|c| c.paths_total).sum();
        assert!(total >= 3000, "only {total} of 3000 paths reported");
    }
}

#[test]
fn writing_git_objects_and_logs_is_not_reported() {
    let repo = repo();
    let git_dir = repo.path().join(".git");
    let (_watcher, changes) = watch(repo.path(), DEBOUNCE);

    fs::create_dir_all(git_dir.join("objects/xx")).unwrap();
    fs::write(git_dir.join("objects/xx/0123456789abcdef"), "blob").unwrap();
    fs::write(git_dir.join("logs/HEAD"), "log line\n").unwrap();
    fs::write(git_dir.join("COMMIT_EDITMSG"), "message\n").unwrap();
    assert_quiet(
        &changes,
        Duration::from_millis(600),
        "writing Git's bookkeeping",
    );

    fs::write(repo.path().join("sentinel.yaml"), "a: 1\n").unwrap();
    let change = next_change(&changes, Duration::from_secs(2), "writing a sentinel");
    assert_eq!(change, worktree_change(&["sentinel.yaml"]));
}

#[test]
fn a_lock_file_alone_is_silent_and_its_rename_into_place_is_an_index_change() {
    let repo = repo();
    let git_dir = repo.path().join(".git");
    let index = fs::read(git_dir.join("index")).unwrap();
    let (_watcher, changes) = watch(repo.path(), DEBOUNCE);

    fs::write(git_dir.join("index.lock"), &index).unwrap();
    assert_quiet(
        &changes,
        Duration::from_millis(600),
        "writing .git/index.lock",
    );

    fs::rename(git_dir.join("index.lock"), git_dir.join("index")).unwrap();
    let change = next_change(&changes, Duration::from_secs(2), "renaming the lock");
    assert_eq!(
        change,
        RepoChange {
            worktree: false,
            head: false,
            git_index: true,
            git_refs: false,
            rescan: false,
            paths: vec![],
            paths_total: 0,
        }
    );
}

#[test]
fn a_ref_lock_alone_is_silent_and_its_rename_into_place_is_a_ref_change() {
    let repo = repo();
    let heads = repo.path().join(".git/refs/heads");
    let main = fs::read(heads.join("main")).unwrap();
    let (_watcher, changes) = watch(repo.path(), DEBOUNCE);

    fs::write(heads.join("main.lock"), &main).unwrap();
    assert_quiet(
        &changes,
        Duration::from_millis(600),
        "writing refs/heads/main.lock",
    );

    fs::rename(heads.join("main.lock"), heads.join("main")).unwrap();
    let change = next_change(&changes, Duration::from_secs(2), "renaming the lock");
    assert!(change.git_refs, "{change:?}");
    assert!(
        !change.worktree && !change.head && !change.git_index,
        "{change:?}"
    );
}

#[test]
fn reading_files_is_not_a_change() {
    // The app reads the tree and `.git/` after every change; if reading were a change, each
    // refresh would trigger the next.
    let repo = repo();
    let (_watcher, changes) = watch(repo.path(), DEBOUNCE);

    fs::read(repo.path().join("apps/api/deployment.yaml")).unwrap();
    fs::read(repo.path().join(".git/HEAD")).unwrap();
    fs::read(repo.path().join(".git/index")).unwrap();
    fs::read_dir(repo.path().join("apps"))
        .unwrap()
        .for_each(drop);
    assert_quiet(&changes, Duration::from_millis(600), "reading files");

    fs::write(repo.path().join("sentinel.yaml"), "a: 1\n").unwrap();
    let change = next_change(&changes, Duration::from_secs(2), "writing a sentinel");
    assert_eq!(change, worktree_change(&["sentinel.yaml"]));
}

#[test]
fn a_commit_is_a_ref_change_that_touches_no_worktree_path() {
    let repo = repo();
    fs::write(
        repo.path().join("apps/api/deployment.yaml"),
        "replicas: 3\n",
    )
    .unwrap();
    git(repo.path(), &["add", "-A"]);
    let (_watcher, changes) = watch(repo.path(), DEBOUNCE);

    git(repo.path(), &["commit", "-q", "-m", "Scale api"]);

    let seen = changes_until(&changes, Duration::from_secs(3), "git commit", |c| {
        c.git_refs || c.head
    });
    assert!(
        seen.iter().all(|c| !c.worktree && c.paths.is_empty()),
        "a commit was reported as a working-tree edit: {seen:?}"
    );
}

#[test]
fn switching_branches_is_a_head_change() {
    let repo = repo();
    git(repo.path(), &["branch", "promote-api"]);
    let (_watcher, changes) = watch(repo.path(), DEBOUNCE);

    git(repo.path(), &["switch", "-q", "promote-api"]);

    changes_until(&changes, Duration::from_secs(3), "git switch", |c| c.head);
}

#[test]
fn a_folder_that_does_not_exist_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere");
    let err = RepoWatcher::start(&missing, DEBOUNCE, |_| {}).unwrap_err();
    assert_eq!(err.code(), WatchErrorCode::PathNotFound);
    assert_eq!(err.code().as_str(), "path_not_found");
    assert!(err.to_string().contains("nowhere"), "{err}");
}

#[test]
fn a_file_is_refused_as_not_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kustomization.yaml");
    fs::write(&file, "resources: []\n").unwrap();
    let err = RepoWatcher::start(&file, DEBOUNCE, |_| {}).unwrap_err();
    assert_eq!(err.code(), WatchErrorCode::NotADirectory);
    assert_eq!(err.code().as_str(), "not_a_directory");
    assert!(err.to_string().contains("kustomization.yaml"), "{err}");
}

#[test]
fn dropping_the_watcher_stops_reporting_and_releases_the_callback() {
    let repo = repo();
    let (watcher, changes) = watch(repo.path(), DEBOUNCE);
    drop(watcher);

    fs::write(repo.path().join("after.yaml"), "a: 1\n").unwrap();
    // The callback owns the only sender: once the watcher's threads are gone, the channel
    // disconnects without having carried a change.
    assert_eq!(
        changes.recv_timeout(Duration::from_secs(2)),
        Err(RecvTimeoutError::Disconnected)
    );
}

/// Folders are watched one by one, so a folder made after the start must be watched too: a file
/// written in it later is reported by its path, and so is one in a folder made inside that one.
#[test]
fn files_in_folders_made_after_the_start_are_reported() {
    let repo = repo();
    let (_watcher, changes) = watch(repo.path(), DEBOUNCE);

    fs::create_dir_all(repo.path().join("apps/web")).unwrap();
    changes_until(&changes, Duration::from_secs(2), "making apps/web", |c| {
        c.paths.iter().any(|p| p == "apps/web")
    });
    fs::write(
        repo.path().join("apps/web/deployment.yaml"),
        "replicas: 1\n",
    )
    .unwrap();
    changes_until(
        &changes,
        Duration::from_secs(2),
        "a file in apps/web",
        |c| c.paths.iter().any(|p| p == "apps/web/deployment.yaml"),
    );

    fs::create_dir(repo.path().join("apps/web/patches")).unwrap();
    changes_until(
        &changes,
        Duration::from_secs(2),
        "making apps/web/patches",
        |c| c.paths.iter().any(|p| p == "apps/web/patches"),
    );
    fs::write(repo.path().join("apps/web/patches/prod.yaml"), "x: 1\n").unwrap();
    changes_until(
        &changes,
        Duration::from_secs(2),
        "a file two new folders down",
        |c| c.paths.iter().any(|p| p == "apps/web/patches/prod.yaml"),
    );
}

/// A branch whose name has a slash lives in a new folder under `.git/refs/heads/`: making it is a
/// ref change, and so is moving it later, when only the file in that new folder changes.
#[test]
fn a_branch_in_a_new_ref_folder_is_a_ref_change() {
    let repo = repo();
    fs::write(
        repo.path().join("apps/api/deployment.yaml"),
        "replicas: 5\n",
    )
    .unwrap();
    git(repo.path(), &["commit", "-qam", "More"]);
    let (_watcher, changes) = watch(repo.path(), DEBOUNCE);

    git(repo.path(), &["branch", "change/promote-api", "HEAD~1"]);
    changes_until(
        &changes,
        Duration::from_secs(2),
        "git branch change/…",
        |c| c.git_refs,
    );
    assert_quiet(&changes, Duration::from_millis(300), "making the branch");
    git(repo.path(), &["branch", "-f", "change/promote-api", "HEAD"]);
    changes_until(
        &changes,
        Duration::from_secs(2),
        "moving change/promote-api",
        |c| c.git_refs,
    );
}
