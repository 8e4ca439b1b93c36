//! What the packages install from the CLI itself: `--version` naming the commit it was built
//! from, shell completions and manual pages made from the command definitions.

mod common;

use common::{stderr, stdout, wheelhouse};

#[test]
fn the_version_names_the_commit_it_was_built_from() {
    let out = wheelhouse(&["--version"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let git = std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let head = String::from_utf8(git.stdout).unwrap();
    assert!(
        text.starts_with(&format!(
            "wheelhouse {} ({} ",
            env!("CARGO_PKG_VERSION"),
            head.trim()
        )),
        "{text}"
    );
}

#[test]
fn completions_are_made_for_each_shell_and_an_unknown_shell_is_refused() {
    for (shell, marker) in [
        ("bash", "complete -F _wheelhouse"),
        ("zsh", "#compdef wheelhouse"),
        ("fish", "complete -c wheelhouse"),
    ] {
        let out = wheelhouse(&["completions", shell]);
        assert!(out.status.success(), "{}", stderr(&out));
        let script = stdout(&out);
        assert!(script.contains(marker), "{shell}: {script}");
        assert!(script.contains("render"), "{shell} completes subcommands");
    }
    let bad = wheelhouse(&["completions", "cmd.exe"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("possible values"), "{}", stderr(&bad));
}

#[test]
fn manual_pages_are_written_for_the_command_and_each_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let out = wheelhouse(&["man", dir.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let main = std::fs::read_to_string(dir.path().join("wheelhouse.1")).unwrap();
    assert!(main.contains(".TH wheelhouse 1"), "{main}");
    assert!(main.contains("Steer GitOps environments through Git"));
    let render = std::fs::read_to_string(dir.path().join("wheelhouse-render.1")).unwrap();
    assert!(render.contains("\\-\\-check"), "{render}");
    assert!(
        !dir.path().join("wheelhouse-man.1").exists(),
        "the hidden command has no page"
    );
    let missing = wheelhouse(&["man", dir.path().join("nowhere/deeper").to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr(&missing).contains("could not be written"),
        "{}",
        stderr(&missing)
    );
}
