//! Publishing the status page to a pages branch over real repositories and a `file://` bare
//! remote: reproducible trees, one commit per publish, following the remote's branch, never
//! forcing over it, and nothing written when the page does not load.

use std::path::Path;
use wheelhouse_api::publish::{self, Destination, PublishRequest};
use wheelhouse_api::ErrorCode;
use wheelhouse_repo::network::Network;
use wheelhouse_repo::Repository;
use wheelhouse_testsupport::{git_cli, TempRepo};

const PAGE: &str = "name: Acme Shop\nurl: https://status.acme.example\ntime_zone: Europe/Berlin\n";
const COMPONENTS: &str = "groups:\n  - name: Shop\n    components:\n      - id: web\n        name: Website\n        status: operational\n";

fn page_repo() -> TempRepo {
    TempRepo::with_files(&[
        ("status/page.yaml", PAGE),
        ("status/components.yaml", COMPONENTS),
        ("apps/api.yaml", "replicas: 1\n"),
    ])
}

fn request(push: bool) -> PublishRequest {
    PublishRequest {
        from: "HEAD".into(),
        to: Destination::Branch(publish::DEFAULT_BRANCH.into()),
        now: None,
        push,
        dry_run: false,
    }
}

fn tip(repo: &Path, refname: &str) -> Option<String> {
    git2::Repository::open(repo)
        .unwrap()
        .refname_to_id(refname)
        .ok()
        .map(|id| id.to_string())
}

fn degraded(repo: &TempRepo) {
    repo.commit(
        &[(
            "status/components.yaml",
            &COMPONENTS.replace("operational", "degraded_performance"),
        )],
        "Website degraded",
    );
}

#[test]
fn the_same_commit_gives_the_same_tree_and_a_second_publish_commits_nothing() {
    let mine = page_repo();
    let repo = Repository::open(mine.path()).unwrap();
    let first = publish::publish(&repo, &request(false), None).unwrap();
    assert!(!first.unchanged);
    assert!(first
        .changed
        .iter()
        .any(|c| c.path == "index.html" && c.kind == "added"));
    assert_eq!(first.files, first.changed.len());
    let commit = first.commit.clone().unwrap();
    // Its own history: the first publish has no parent, and names its source.
    let git = mine.git();
    let c = git
        .find_commit(git2::Oid::from_str(&commit).unwrap())
        .unwrap();
    assert_eq!(c.parent_count(), 0);
    assert_eq!(c.tree_id().to_string(), first.tree.clone().unwrap());
    let head = mine.head_id();
    assert!(c.message().unwrap().contains(&head), "{:?}", c.message());
    // The working branch is untouched.
    assert_eq!(git.head().unwrap().shorthand(), Some("main"));

    let again = publish::publish(&repo, &request(false), None).unwrap();
    assert!(again.unchanged);
    assert_eq!(again.commit.as_deref(), Some(commit.as_str()));
    assert!(again.changed.is_empty());

    // Another clone builds the very same tree from the same commit.
    let other = mine.sibling("other");
    git_cli(
        mine.path().parent().unwrap(),
        &[
            "clone",
            "-q",
            mine.path().to_str().unwrap(),
            other.to_str().unwrap(),
        ],
    );
    let theirs = Repository::open(&other).unwrap();
    let rebuilt = publish::publish(&theirs, &request(false), None).unwrap();
    assert_eq!(rebuilt.tree, first.tree);

    // The last publish, as the status screen shows it: current until the page changes.
    let last = publish::last(&repo, publish::DEFAULT_BRANCH)
        .unwrap()
        .unwrap();
    assert_eq!(last.commit, commit);
    assert_eq!(last.source.as_deref(), Some(head.as_str()));
    assert!(!last.outdated);
    mine.commit(&[("apps/api.yaml", "replicas: 2\n")], "Scale api");
    let other_change = publish::last(&repo, publish::DEFAULT_BRANCH)
        .unwrap()
        .unwrap();
    assert!(
        !other_change.outdated,
        "a commit outside the status folder changes no page"
    );

    // The next change's publish follows the first, with only what changed.
    degraded(&mine);
    assert!(
        publish::last(&repo, publish::DEFAULT_BRANCH)
            .unwrap()
            .unwrap()
            .outdated
    );
    let next = publish::publish(&repo, &request(false), None).unwrap();
    assert!(
        !publish::last(&repo, publish::DEFAULT_BRANCH)
            .unwrap()
            .unwrap()
            .outdated
    );
    let n = git
        .find_commit(git2::Oid::from_str(next.commit.as_deref().unwrap()).unwrap())
        .unwrap();
    assert_eq!(n.parent_id(0).unwrap().to_string(), commit);
    assert!(n.message().unwrap().contains("Website degraded"));
    assert!(next.changed.iter().all(|c| c.kind == "modified"));
    assert!(next.changed.iter().any(|c| c.path == "api/v2/summary.json"));
}

#[test]
fn a_push_follows_the_remote_branch_and_a_diverged_one_is_refused_untouched() {
    let mine = page_repo();
    let bare = mine.add_bare_remote("origin");
    let repo = Repository::open(mine.path()).unwrap();
    let pushed = publish::publish(&repo, &request(true), Some(&mut Network::new())).unwrap();
    assert_eq!(pushed.pushed_to.as_deref(), Some("origin"));
    assert_eq!(tip(&bare, "refs/heads/status-pages"), pushed.commit);

    // A teammate's clone publishes the next change on top of the remote's branch.
    let theirs_dir = mine.sibling("theirs");
    let url = format!("file://{}", bare.display());
    let theirs = wheelhouse_repo::clone(&url, &theirs_dir, &mut Network::new()).unwrap();
    std::fs::write(
        theirs_dir.join("status/components.yaml"),
        COMPONENTS.replace("operational", "degraded_performance"),
    )
    .unwrap();
    for args in [
        &["config", "user.name", "Sam Ortiz"][..],
        &["config", "user.email", "sam@acme.example"],
        &["commit", "-qam", "Website degraded"],
    ] {
        git_cli(&theirs_dir, args);
    }
    let second = publish::publish(&theirs, &request(true), Some(&mut Network::new())).unwrap();
    let second_commit = second.commit.clone().unwrap();
    let git = git2::Repository::open(&theirs_dir).unwrap();
    let c = git
        .find_commit(git2::Oid::from_str(&second_commit).unwrap())
        .unwrap();
    assert_eq!(
        c.parent_id(0).unwrap().to_string(),
        pushed.commit.clone().unwrap()
    );
    assert_eq!(
        tip(&bare, "refs/heads/status-pages").as_deref(),
        Some(second_commit.as_str())
    );

    // Meanwhile a publish here, not pushed, made another commit on the old tip: the branches
    // have diverged. Publishing with --push is refused and moves nothing, here or there.
    let local = PublishRequest {
        now: Some("2026-12-01T00:00:00Z".parse().unwrap()),
        ..request(false)
    };
    let diverging = publish::publish(&repo, &local, None).unwrap();
    let before = tip(mine.path(), "refs/heads/status-pages");
    assert_eq!(before, diverging.commit);
    let refused = publish::publish(&repo, &request(true), Some(&mut Network::new())).unwrap_err();
    assert_eq!(refused.code, ErrorCode::NotFastForward, "{refused}");
    assert!(refused.message.contains("diverged"), "{refused}");
    assert_eq!(tip(mine.path(), "refs/heads/status-pages"), before);
    assert_eq!(
        tip(&bare, "refs/heads/status-pages").as_deref(),
        Some(second_commit.as_str())
    );
}

#[test]
fn a_page_that_does_not_load_is_refused_at_its_line_and_nothing_is_published() {
    let mine = page_repo();
    mine.commit(
        &[(
            "status/components.yaml",
            &COMPONENTS.replace("operational", "sideways"),
        )],
        "A status that does not exist",
    );
    let repo = Repository::open(mine.path()).unwrap();
    let refused = publish::publish(&repo, &request(false), None).unwrap_err();
    assert_eq!(refused.code, ErrorCode::StatusInvalid, "{refused}");
    assert_eq!(refused.file.as_deref(), Some("status/components.yaml"));
    assert_eq!(refused.line, Some(6), "{refused}");
    assert_eq!(tip(mine.path(), "refs/heads/status-pages"), None);

    // What is published is the commit, not the working tree: a fix not yet committed does
    // not count.
    mine.write("status/components.yaml", COMPONENTS);
    assert!(publish::publish(&repo, &request(false), None).is_err());

    // No status folder at all.
    let bare_repo = TempRepo::with_files(&[("apps/api.yaml", "replicas: 1\n")]);
    let r = Repository::open(bare_repo.path()).unwrap();
    let none = publish::publish(&r, &request(false), None).unwrap_err();
    assert_eq!(none.code, ErrorCode::NotFound, "{none}");
}

#[test]
fn a_folder_gets_the_same_files_the_branch_does() {
    let mine = page_repo();
    let repo = Repository::open(mine.path()).unwrap();
    let out = mine.sibling("site");
    let folder = PublishRequest {
        to: Destination::Folder(out.clone()),
        ..request(false)
    };
    let written = publish::publish(&repo, &folder, None).unwrap();
    let branch = publish::publish(&repo, &request(false), None).unwrap();
    assert_eq!(written.files, branch.files);
    let git = mine.git();
    let tree = git
        .find_tree(git2::Oid::from_str(branch.tree.as_deref().unwrap()).unwrap())
        .unwrap();
    let index = tree.get_path(Path::new("index.html")).unwrap();
    let blob = git.find_blob(index.id()).unwrap();
    assert_eq!(
        std::fs::read(out.join("index.html")).unwrap(),
        blob.content()
    );
    // A dry run writes nothing.
    let dry = mine.sibling("dry");
    let dry_run = PublishRequest {
        to: Destination::Folder(dry.clone()),
        dry_run: true,
        ..request(false)
    };
    publish::publish(&repo, &dry_run, None).unwrap();
    assert!(!dry.exists());
}
