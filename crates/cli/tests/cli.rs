//! The `wheelhouse` binary, run as a user or CI would run it.

use std::path::Path;
use std::process::{Command, Output};
use wheelhouse_testsupport::{snapshot, TempRepo};

fn wheelhouse(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wheelhouse"))
        .args(args)
        .env_remove("RUST_LOG")
        .output()
        .expect("run wheelhouse")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn version_and_help_describe_the_tool() {
    let v = wheelhouse(&["--version"]);
    assert!(v.status.success());
    assert_eq!(
        stdout(&v).trim(),
        format!("wheelhouse {}", env!("CARGO_PKG_VERSION"))
    );
    let h = wheelhouse(&["--help"]);
    assert!(h.status.success());
    for word in ["demo", "overview", "--json"] {
        assert!(
            stdout(&h).contains(word),
            "help lacks {word}: {}",
            stdout(&h)
        );
    }
}

#[test]
fn demo_creates_the_workspace_and_reports_it_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("demo");
    let out = wheelhouse(&["--json", "demo", target.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let repo = json["repo"].as_str().unwrap();
    assert!(Path::new(repo).join(".wheelhouse/policy.yaml").is_file());
    assert!(Path::new(json["origin"].as_str().unwrap())
        .join("HEAD")
        .is_file());

    let overview = wheelhouse(&["--json", "overview", "--repo", repo, "--commits", "5"]);
    assert!(overview.status.success(), "{}", stderr(&overview));
    let json: serde_json::Value = serde_json::from_str(&stdout(&overview)).unwrap();
    assert_eq!(json["head"]["branch"], "main");
    assert_eq!(json["upstream"]["behind"], 1);
    assert_eq!(json["commits"].as_array().unwrap().len(), 5);
}

#[test]
fn demo_refuses_a_folder_that_is_not_empty_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("keep.txt"), "mine").unwrap();
    let before = snapshot(dir.path());
    let out = wheelhouse(&["--json", "demo", dir.path().to_str().unwrap()]);
    assert!(!out.status.success());
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["error"]["code"], "destination_not_empty");
    assert_eq!(before, snapshot(dir.path()));
}

/// Every bad path: non-zero exit, a sentence naming the path, the code in --json, nothing written.
#[test]
fn overview_refuses_bad_paths_clearly() {
    let scratch = tempfile::tempdir().unwrap();
    let plain = scratch.path().join("plain");
    std::fs::create_dir(&plain).unwrap();
    let empty = TempRepo::init();
    let no_commits = TempRepo::init();
    no_commits.write("app.yaml", "kind: Deployment\n");
    let with_remote = TempRepo::with_files(&[("a.yaml", "a: 1\n")]);
    let bare = with_remote.add_bare_remote("origin");
    let missing = scratch.path().join("missing");

    let cases: [(&Path, &str); 5] = [
        (&missing, "path_not_found"),
        (&plain, "not_a_repository"),
        (empty.path(), "empty_repository"),
        (no_commits.path(), "no_commits"),
        (&bare, "bare_repository"),
    ];
    for (path, code) in cases {
        let parent = path.parent().unwrap();
        let before = snapshot(parent);
        let text = wheelhouse(&["overview", "--repo", path.to_str().unwrap()]);
        assert_eq!(text.status.code(), Some(1), "{code}");
        assert!(
            stderr(&text).starts_with("error: ")
                && stderr(&text).contains(&path.display().to_string()),
            "{code}: {}",
            stderr(&text)
        );
        let json = wheelhouse(&["--json", "overview", "--repo", path.to_str().unwrap()]);
        assert_eq!(json.status.code(), Some(1));
        let value: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
        assert_eq!(value["error"]["code"], code);
        assert_eq!(before, snapshot(parent), "{code}: something was written");
    }
}

#[test]
fn an_unknown_command_is_a_usage_error() {
    let out = wheelhouse(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unrecognized subcommand"));
}
