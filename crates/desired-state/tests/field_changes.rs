//! Field changes of a change branch, judged on the resolved state of two commits.

use wheelhouse_desired_state::fields::{field_changes, ChangedField};
use wheelhouse_desired_state::workspace::{resolve_snapshot, snapshot_from_bytes};

#[test]
fn the_demo_promotion_changes_one_image_tag_in_prod() {
    let dir = tempfile::tempdir().unwrap();
    let ws = wheelhouse_demo::create(&dir.path().join("demo")).unwrap();
    let repo = wheelhouse_repo::Repository::open(&ws.repo).unwrap();
    let change = format!("origin/{}", wheelhouse_demo::CHANGE_BRANCH);
    let described = repo.describe_change(&change, &change, "main").unwrap();
    assert_eq!(described.files, vec!["overlays/prod/kustomization.yaml"]);
    let yaml = |p: &str| p.ends_with(".yaml") || p.ends_with(".yml");
    let before = resolve_snapshot(&snapshot_from_bytes(
        repo.files_at(&described.base, yaml).unwrap(),
    ));
    let after = resolve_snapshot(&snapshot_from_bytes(repo.files_at(&change, yaml).unwrap()));
    let changes = field_changes(&before, &after);
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(
        (
            changes[0].env.as_str(),
            changes[0].workload.as_str(),
            changes[0].field
        ),
        ("prod", "api", ChangedField::ImageTag)
    );
    assert_eq!(
        (changes[0].from.as_deref(), changes[0].to.as_deref()),
        (Some("1.4.0"), Some("1.4.2"))
    );
}
