//! What the integration tests share: a repository written from (path, content) pairs, a
//! workspace opened on it that must not write anything, and lookups into what it resolved.

// Each test file uses its own subset of these.
#![allow(dead_code)]

use std::path::Path;
use wheelhouse_desired_state::{Layer, Sourced, WorkloadState, Workspace};

/// A temporary folder holding `files` (path relative to it, content), folders created as needed.
pub fn repo<C: AsRef<[u8]>>(files: &[(&str, C)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, content) in files {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, content).unwrap();
    }
    dir
}

/// Opens the workspace at `dir`, checking that reading it wrote nothing.
pub fn open(dir: &Path) -> Workspace {
    let before = wheelhouse_testsupport::snapshot(dir);
    let ws = Workspace::open(dir).unwrap();
    assert_eq!(
        before,
        wheelhouse_testsupport::snapshot(dir),
        "reading wrote something"
    );
    ws
}

/// The environments' names, in the matrix's order.
pub fn env_names(ws: &Workspace) -> Vec<&str> {
    ws.state()
        .environments
        .iter()
        .map(|e| e.name.as_str())
        .collect()
}

/// The index of environment `env`.
pub fn env_index(ws: &Workspace, env: &str) -> usize {
    ws.state()
        .environments
        .iter()
        .position(|x| x.name == env)
        .unwrap_or_else(|| panic!("no environment {env}: {:?}", env_names(ws)))
}

/// Workload `id` as resolved in environment `env`.
pub fn workload<'a>(ws: &'a Workspace, env: &str, id: &str) -> &'a WorkloadState {
    let e = env_index(ws, env);
    ws.state().workloads[e]
        .iter()
        .find(|w| w.id == id)
        .unwrap_or_else(|| panic!("no {id} in {env}: {:#?}", ws.state().workloads[e]))
}

/// (value, file, path, line, layer)
pub fn at(s: &Sourced) -> (&str, &str, &str, u32, Layer) {
    (
        s.value.as_str(),
        s.source.file.as_str(),
        s.source.path.as_str(),
        s.source.line,
        s.source.layer,
    )
}

/// Whether kubectl (or kustomize) is on PATH. CI machines have it: there a missing one is a
/// broken set-up and fails, elsewhere the caller skips what needs it.
pub fn kubectl_available() -> bool {
    let found = std::env::var_os("PATH").is_some_and(|p| {
        std::env::split_paths(&p)
            .any(|d| d.join("kubectl").is_file() || d.join("kustomize").is_file())
    });
    assert!(
        found || std::env::var_os("CI").is_none(),
        "CI is set but neither kubectl nor kustomize is on PATH"
    );
    found
}
