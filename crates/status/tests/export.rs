//! Reading a status folder from disk and writing an export into a folder, all at once.

mod common;

use common::*;
use std::collections::BTreeMap;
use wheelhouse_status::build;
use wheelhouse_status::fs::{configured_folder, read_folder, status_dir, write_export, FsError};

fn export() -> BTreeMap<String, Vec<u8>> {
    build(&demo(), ts(DEMO_NOW))
}

fn listing(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(
                    p.strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    out.sort();
    out
}

#[test]
fn the_export_is_written_into_a_new_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let files = export();
    write_export(&out, &files).unwrap();
    assert_eq!(listing(&out), files.keys().cloned().collect::<Vec<_>>());
    assert_eq!(
        std::fs::read(out.join("index.html")).unwrap(),
        files["index.html"]
    );
    // Nothing is left beside it.
    let beside: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(beside, ["site"]);
}

#[test]
fn an_earlier_export_is_replaced_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let mut files = export();
    files.insert("incidents/deleted-since.html".into(), b"old".to_vec());
    write_export(&out, &files).unwrap();
    let files = export();
    write_export(&out, &files).unwrap();
    assert!(!out.join("incidents/deleted-since.html").exists());
    assert_eq!(listing(&out).len(), files.len());
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
}

#[test]
fn an_empty_folder_is_filled() {
    let tmp = tempfile::tempdir().unwrap();
    write_export(tmp.path(), &export()).unwrap();
    assert!(tmp.path().join("api/v2/summary.json").is_file());
}

#[test]
fn a_folder_with_other_files_is_refused_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("docs");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("notes.txt"), "keep me").unwrap();
    let err = write_export(&out, &export()).unwrap_err();
    assert!(matches!(err, FsError::NotAnExport(_)), "{err}");
    assert_eq!(err.code(), "destination_not_empty");
    assert_eq!(listing(&out), ["notes.txt"]);
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        1,
        "no staging folder left"
    );
}

#[test]
fn a_status_folder_is_read_with_only_the_files_it_knows() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir_all(dir.join("incidents")).unwrap();
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(dir.join("page.yaml"), PAGE).unwrap();
    std::fs::write(dir.join("README.md"), "ignored").unwrap();
    std::fs::write(dir.join("incidents/.gitkeep"), "").unwrap();
    std::fs::write(dir.join("incidents/a.md"), "---\ntitle: A\n---\n").unwrap();
    std::fs::write(dir.join("templates/t.md"), "---\ntitle: T\n---\n").unwrap();
    let files = read_folder(dir).unwrap();
    let keys: Vec<_> = files.keys().map(String::as_str).collect();
    assert_eq!(keys, ["incidents/a.md", "page.yaml", "templates/t.md"]);
    std::fs::write(dir.join("incidents/bin.md"), [0xff, 0xfe, 0x00]).unwrap();
    assert!(matches!(read_folder(dir), Err(FsError::NotText { .. })));
}

#[test]
fn the_status_folder_comes_from_the_workspace_config() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(configured_folder(tmp.path()), "status");
    std::fs::create_dir(tmp.path().join(".wheelhouse")).unwrap();
    std::fs::write(
        tmp.path().join(".wheelhouse/config.yaml"),
        "environments:\n  - {name: dev, paths: [overlays/dev]}\nstatus_page: public/status/\n",
    )
    .unwrap();
    assert_eq!(configured_folder(tmp.path()), "public/status");
}

#[test]
fn a_status_folder_outside_the_repository_is_refused_with_its_line() {
    let top = tempfile::tempdir().unwrap();
    let root = top.path().join("repo");
    std::fs::create_dir_all(root.join(".wheelhouse")).unwrap();
    std::fs::create_dir_all(top.path().join("elsewhere")).unwrap();
    let config = |folder: &str| {
        std::fs::write(
            root.join(".wheelhouse/config.yaml"),
            format!("environments: []\nstatus_page: {folder}\n"),
        )
        .unwrap();
    };
    for bad in ["../elsewhere", "/etc", ".git/hooks"] {
        config(bad);
        match status_dir(&root) {
            Err(FsError::Outside { line, column, .. }) => assert_eq!((line, column), (2, 14)),
            other => panic!("{bad}: {other:?}"),
        }
    }
    std::os::unix::fs::symlink(top.path().join("elsewhere"), root.join("linked")).unwrap();
    config("linked");
    let err = status_dir(&root).unwrap_err();
    assert!(err.to_string().contains("symbolic link linked"), "{err}");
    assert_eq!(err.code(), "path_outside_repository");
    // The app's view says so where the status page is shown, and nothing is read there.
    std::fs::write(top.path().join("elsewhere/page.yaml"), "name: Not ours\n").unwrap();
    let view = wheelhouse_status::view::refresh(
        &root,
        &mut Default::default(),
        &mut Default::default(),
        wheelhouse_status::Timestamp::from_second(1_800_000_000).unwrap(),
        None,
    );
    assert!(!view.exists);
    assert_eq!(view.problems.len(), 1);
    assert_eq!(view.problems[0].file, ".wheelhouse/config.yaml");
    assert!(view.problems[0].message.contains("outside the repository"));
    config("public/status");
    assert_eq!(
        status_dir(&root).unwrap(),
        ("public/status".into(), root.join("public/status"))
    );
}
