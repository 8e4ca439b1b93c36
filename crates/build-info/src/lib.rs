//! The version Wheelhouse reports: the workspace version with the Git commit it was built from,
//! captured by the build scripts of the app and the CLI ([`emit`]) and read at run time
//! ([`version!`]), so `wheelhouse --version`, the app's About and a bug report all name the
//! same commit.

use std::path::Path;
use std::process::Command;

/// For a build script: sets `WHEELHOUSE_COMMIT` (12 hex digits) and `WHEELHOUSE_COMMIT_DATE`
/// (`YYYY-MM-DD`) for the crate being built — from those environment variables when they are
/// set (a build from a source tarball), else from Git in the source tree, else `unknown` — and
/// asks Cargo to run it again when HEAD moves.
pub fn emit() {
    for var in ["WHEELHOUSE_COMMIT", "WHEELHOUSE_COMMIT_DATE"] {
        println!("cargo:rerun-if-env-changed={var}");
    }
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let git = |args: &[&str]| git_output(Path::new(&dir), args);
    let commit = std::env::var("WHEELHOUSE_COMMIT")
        .ok()
        .or_else(|| git(&["rev-parse", "--short=12", "HEAD"]))
        .unwrap_or_else(|| "unknown".into());
    let date = std::env::var("WHEELHOUSE_COMMIT_DATE")
        .ok()
        .or_else(|| git(&["log", "-1", "--format=%cs"]))
        .unwrap_or_else(|| "unknown".into());
    // HEAD, and the branch file it names: a commit or a checkout changes one of them. (A path
    // that does not exist would make Cargo run the script on every build.)
    let mut watched = vec!["HEAD".to_owned()];
    if let Some(head) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watched.push(head);
    }
    watched.push("packed-refs".into());
    for name in watched {
        if let Some(path) = git(&["rev-parse", "--path-format=absolute", "--git-path", &name]) {
            if Path::new(&path).exists() {
                println!("cargo:rerun-if-changed={path}");
            }
        }
    }
    println!("cargo:rustc-env=WHEELHOUSE_COMMIT={commit}");
    println!("cargo:rustc-env=WHEELHOUSE_COMMIT_DATE={date}");
}

fn git_output(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    (out.status.success() && !text.is_empty()).then_some(text)
}

/// `0.1.0 (3f2a9c1d0b7e 2026-12-06)`: the crate's version, commit and commit date. For a crate
/// whose build script calls [`emit`].
#[macro_export]
macro_rules! version {
    () => {
        concat!(
            env!("CARGO_PKG_VERSION"),
            " (",
            env!("WHEELHOUSE_COMMIT"),
            " ",
            env!("WHEELHOUSE_COMMIT_DATE"),
            ")"
        )
    };
}
