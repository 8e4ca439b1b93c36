//! Cloning: a real clone over file://, and failures that leave nothing behind.

use wheelhouse_repo::network::Network;
use wheelhouse_repo::{clone, ErrorCode};
use wheelhouse_testsupport::{snapshot, TempRepo};

#[test]
fn a_file_remote_is_cloned_and_opened_on_its_default_branch() {
    let source = TempRepo::with_files(&[("overlays/dev/kustomization.yaml", "resources: []\n")]);
    let bare = source.add_bare_remote("origin");
    let dest = source.sibling("clone");

    let repo = clone(
        &format!("file://{}", bare.display()),
        &dest,
        &mut Network::new(),
    )
    .unwrap();
    let overview = repo.overview(10).unwrap();
    assert_eq!(overview.head.branch.as_deref(), Some("main"));
    assert_eq!(overview.upstream.unwrap().name, "origin/main");
    assert!(dest.join("overlays/dev/kustomization.yaml").is_file());
}

#[test]
fn a_destination_that_is_not_empty_is_refused_untouched() {
    let source = TempRepo::with_files(&[("a.yaml", "a: 1\n")]);
    let bare = source.add_bare_remote("origin");
    let dest = source.sibling("busy");
    std::fs::create_dir(&dest).unwrap();
    std::fs::write(dest.join("mine.txt"), "keep me").unwrap();
    let before = snapshot(&dest);

    let err = clone(
        &format!("file://{}", bare.display()),
        &dest,
        &mut Network::new(),
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::DestinationNotEmpty);
    assert_eq!(before, snapshot(&dest));
}

#[test]
fn a_remote_that_does_not_exist_fails_and_leaves_no_folder() {
    let scratch = tempfile::tempdir().unwrap();
    let dest = scratch.path().join("clone");
    let err = clone(
        &format!("file://{}", scratch.path().join("nowhere.git").display()),
        &dest,
        &mut Network::new(),
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotAGitRemote, "{err}");
    assert!(
        !dest.exists(),
        "a failed clone left {} behind",
        dest.display()
    );
}

#[test]
fn a_failed_clone_into_an_existing_empty_folder_leaves_it_empty() {
    let scratch = tempfile::tempdir().unwrap();
    let dest = scratch.path().join("empty");
    std::fs::create_dir(&dest).unwrap();
    let err = clone(
        "file:///nonexistent/wheelhouse.git",
        &dest,
        &mut Network::new(),
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotAGitRemote, "{err}");
    assert!(dest.is_dir());
    assert_eq!(std::fs::read_dir(&dest).unwrap().count(), 0);
}

#[test]
fn an_empty_url_is_invalid_input() {
    let scratch = tempfile::tempdir().unwrap();
    assert_eq!(
        clone("  ", &scratch.path().join("x"), &mut Network::new())
            .unwrap_err()
            .code(),
        ErrorCode::InvalidInput
    );
}

#[test]
fn a_token_in_the_url_never_reaches_the_error_message() {
    let scratch = tempfile::tempdir().unwrap();
    // Nothing listens on port 9 (discard) on loopback: the connection is refused at once.
    let err = clone(
        "http://maya:s3cret-token@127.0.0.1:9/acme/gitops.git",
        &scratch.path().join("x"),
        &mut Network::new(),
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::RemoteUnreachable, "{err}");
    assert!(!err.to_string().contains("s3cret-token"), "{err}");
    assert!(err.to_string().contains("maya@127.0.0.1"), "{err}");
}

#[test]
fn malformed_urls_are_refused_before_anything_is_written() {
    let scratch = tempfile::tempdir().unwrap();
    let dest = scratch.path().join("x");
    for url in ["htp//nowhere", "ftp://example.com/a.git", "https://"] {
        let err = clone(url, &dest, &mut Network::new()).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidUrl, "{url}: {err}");
        assert!(!dest.exists());
    }
}

#[test]
fn a_cancelled_clone_leaves_nothing_behind() {
    let source = TempRepo::with_files(&[("a.yaml", "a: 1\n")]);
    let bare = source.add_bare_remote("origin");
    let dest = source.sibling("cancelled");
    let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let mut net = Network::new().cancel_with(flag);
    let err = clone(&format!("file://{}", bare.display()), &dest, &mut net).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Cancelled, "{err}");
    assert!(!dest.exists());
}

#[test]
fn clone_reports_progress_up_to_done() {
    let source = TempRepo::with_files(&[("a.yaml", "a: 1\n"), ("b.yaml", "b: 2\n")]);
    let bare = source.add_bare_remote("origin");
    let mut phases = Vec::new();
    {
        let mut net = Network::new().on_progress(|p| phases.push(p.phase));
        clone(
            &format!("file://{}", bare.display()),
            &source.sibling("c"),
            &mut net,
        )
        .unwrap();
    }
    assert_eq!(
        phases.last(),
        Some(&wheelhouse_repo::network::TransferPhase::Done)
    );
    assert!(phases.len() >= 2, "{phases:?}");
}

#[test]
fn cancelling_in_the_middle_of_a_transfer_removes_the_partial_clone() {
    let source = TempRepo::with_files(&[("a.yaml", "a: 0\n")]);
    for i in 1..60 {
        source.commit(
            &[(&format!("env/file-{i}.yaml"), &format!("v: {i}\n"))],
            &format!("c{i}"),
        );
    }
    let bare = source.add_bare_remote("origin");
    let dest = source.sibling("partial");
    let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let seen = std::cell::Cell::new(0);
    let err = {
        let trigger = flag.clone();
        let mut net = Network::new().cancel_with(flag.clone()).on_progress(|p| {
            seen.set(seen.get() + 1);
            if p.objects_done > 0 {
                trigger.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        });
        clone(&format!("file://{}", bare.display()), &dest, &mut net).unwrap_err()
    };
    assert!(
        seen.get() >= 1,
        "no progress was reported before the cancel"
    );
    assert_eq!(err.code(), ErrorCode::Cancelled, "{err}");
    assert!(
        !dest.exists(),
        "a cancelled clone left {} behind",
        dest.display()
    );
}
