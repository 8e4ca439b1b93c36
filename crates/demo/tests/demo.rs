//! The demo workspace: what a newcomer sees first, and what other tests assert on.

use std::collections::BTreeSet;
use wheelhouse_repo::Repository;

fn demo() -> (tempfile::TempDir, wheelhouse_demo::DemoWorkspace) {
    let dir = tempfile::tempdir().unwrap();
    let ws = wheelhouse_demo::create(&dir.path().join("demo")).unwrap();
    (dir, ws)
}

#[test]
fn the_demo_opens_on_main_one_commit_behind_origin() {
    let (_dir, ws) = demo();
    let overview = Repository::open(&ws.repo).unwrap().overview(100).unwrap();
    assert_eq!(overview.name, "acme-gitops");
    assert_eq!(overview.head.branch.as_deref(), Some("main"));
    assert!(overview.working_tree.clean);
    let upstream = overview.upstream.unwrap();
    assert_eq!((upstream.ahead, upstream.behind), (0, 1));
    assert_eq!(overview.commits.len(), 30);
    assert_eq!(
        overview.commits[0].summary,
        "policy: freeze prod over the holidays"
    );
    let authors: BTreeSet<_> = overview
        .commits
        .iter()
        .map(|c| c.author_name.as_str())
        .collect();
    assert_eq!(authors.len(), 5, "{authors:?}");
    assert_eq!(overview.remotes[0].url, ws.origin);
}

#[test]
fn the_remote_holds_an_incoming_commit_and_a_change_awaiting_approval() {
    let (_dir, ws) = demo();
    let origin = git2::Repository::open_bare(&ws.origin).unwrap();
    let main = origin
        .find_reference("refs/heads/main")
        .unwrap()
        .peel_to_commit()
        .unwrap();
    assert_eq!(
        main.summary(),
        Some("search 1.12.1 → dev: faster incremental indexing")
    );
    let change = origin
        .find_reference(&format!("refs/heads/{}", wheelhouse_demo::CHANGE_BRANCH))
        .unwrap()
        .peel_to_commit()
        .unwrap();
    assert_eq!(change.summary(), Some("promote api 1.4.2 → prod"));
    assert_eq!(change.author().name(), Some("Priya Natarajan"));

    // The change touches exactly one line of the prod overlay.
    let parent = change.parent(0).unwrap();
    let diff = origin
        .diff_tree_to_tree(
            Some(&parent.tree().unwrap()),
            Some(&change.tree().unwrap()),
            None,
        )
        .unwrap();
    let stats = diff.stats().unwrap();
    assert_eq!(
        (stats.files_changed(), stats.insertions(), stats.deletions()),
        (1, 1, 1)
    );
    let delta = diff.deltas().next().unwrap();
    assert_eq!(
        delta.new_file().path().unwrap(),
        std::path::Path::new("overlays/prod/kustomization.yaml")
    );
}

#[test]
fn the_demo_has_every_layout_and_file_the_product_reads() {
    let (_dir, ws) = demo();
    let root = std::path::Path::new(&ws.repo);
    for path in [
        ".wheelhouse/config.yaml",
        ".wheelhouse/policy.yaml",
        ".wheelhouse/people.yaml",
        ".wheelhouse/allowed_signers",
        ".github/CODEOWNERS",
        "base/kustomization.yaml",
        "overlays/dev/kustomization.yaml",
        "overlays/staging/kustomization.yaml",
        "overlays/prod/kustomization.yaml",
        "helm/ledger/values.yaml",
        "helm/ledger/values-dev.yaml",
        "helm/ledger/values-staging.yaml",
        "helm/ledger/values-prod.yaml",
        "infrastructure/ingress-nginx.yaml",
        "status/page.yaml",
        "status/components.yaml",
    ] {
        assert!(root.join(path).is_file(), "{path} is missing");
    }
    for w in wheelhouse_demo::WORKLOADS {
        let text = std::fs::read_to_string(root.join(format!("base/{}.yaml", w.name))).unwrap();
        assert!(
            text.contains("kind: Deployment")
                && text.contains("resources:")
                && text.contains("env:")
        );
    }
    let count = |dir: &str| std::fs::read_dir(root.join(dir)).unwrap().count();
    assert_eq!(count("status/incidents"), 3);
    assert_eq!(count("status/maintenances"), 1);
    let release = std::fs::read_to_string(root.join("infrastructure/ingress-nginx.yaml")).unwrap();
    assert!(release.contains("kind: HelmRelease") && release.contains("version: \"4.11.5\""));
}

#[test]
fn two_demos_are_identical_commit_for_commit() {
    let (_a, first) = demo();
    let (_b, second) = demo();
    let head = |p: &str| {
        Repository::open(p)
            .unwrap()
            .overview(1)
            .unwrap()
            .head
            .commit
            .id
    };
    assert_eq!(head(&first.repo), head(&second.repo));
}

#[test]
fn a_folder_that_is_not_empty_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("mine.txt"), "keep").unwrap();
    let before = wheelhouse_testsupport::snapshot(dir.path());
    let err = wheelhouse_demo::create(dir.path()).unwrap_err();
    assert_eq!(err.code(), wheelhouse_repo::ErrorCode::DestinationNotEmpty);
    assert_eq!(before, wheelhouse_testsupport::snapshot(dir.path()));
}

#[test]
fn a_file_path_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("demo");
    std::fs::write(&file, "x").unwrap();
    assert_eq!(
        wheelhouse_demo::create(&file).unwrap_err().code(),
        wheelhouse_repo::ErrorCode::NotADirectory
    );
}

#[test]
fn an_empty_existing_folder_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let ws = wheelhouse_demo::create(dir.path()).unwrap();
    assert!(Repository::open(&ws.repo).is_ok());
    let names: BTreeSet<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(
        names,
        BTreeSet::from(["acme-gitops".into(), "origin.git".into()])
    );
}

/// Every YAML file and every Markdown front matter in the demo parses: the demo must be a valid
/// repository for every later feature that reads it.
#[test]
fn every_yaml_document_in_the_demo_parses() {
    let (_dir, ws) = demo();
    let root = std::path::Path::new(&ws.repo);
    let mut checked = 0;
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|n| n == ".git") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let yaml = match path.extension().and_then(|e| e.to_str()) {
                Some("yaml") => text,
                Some("md") if path.starts_with(root.join("status")) => {
                    let rest = text.strip_prefix("---\n").expect("front matter opens");
                    rest[..rest.find("\n---\n").expect("front matter closes") + 1].to_owned()
                }
                _ => continue,
            };
            let docs: Vec<serde_json::Value> = serde_saphyr::from_multiple(&yaml)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(!docs.is_empty(), "{} has no document", path.display());
            checked += 1;
        }
    }
    assert!(checked >= 25, "only {checked} YAML files checked");
}
