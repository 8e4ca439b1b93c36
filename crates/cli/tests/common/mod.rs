//! What the CLI's integration tests share: running the `wheelhouse` binary, reading what it
//! printed, and a fresh demo repository.

// Each test file uses its own subset of these.
#![allow(dead_code)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// 2026-11-26T12:00:00Z: the day the tests judge by (`WHEELHOUSE_NOW`), so that the demo's
/// freeze window (20 December to 4 January) does not change their verdicts on those days.
pub const NOW: &str = "1795694400";

/// The `wheelhouse` binary, without `RUST_LOG` (its output is only its own), at [`NOW`].
pub fn wheelhouse_command() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wheelhouse"));
    cmd.env_remove("RUST_LOG").env("WHEELHOUSE_NOW", NOW);
    cmd
}

/// Runs `wheelhouse ARGS…`.
pub fn wheelhouse(args: &[&str]) -> Output {
    wheelhouse_command()
        .args(args)
        .output()
        .expect("run wheelhouse")
}

/// [`wheelhouse`] with `input` written to its stdin.
pub fn wheelhouse_with_stdin(args: &[&str], input: &str) -> Output {
    run_with_stdin(wheelhouse_command().args(args), input)
}

/// Runs `command` with `input` written to its stdin; its stdout and stderr are captured.
pub fn run_with_stdin(command: &mut Command, input: &str) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The `--json` output, parsed; panics with the output when it is not JSON.
pub fn json_of(o: &Output) -> serde_json::Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

/// Creates the demo workspace in `dir/ws`; the path of its repository.
pub fn demo_repo(dir: &Path) -> String {
    let out = wheelhouse(&["--json", "demo", dir.join("ws").to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    json_of(&out)["repo"].as_str().unwrap().to_owned()
}
