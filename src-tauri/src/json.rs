//! Transport types: what crosses IPC, and the generated TypeScript that mirrors them.
//!
//! Views come from the core crates as they are; this module adds the envelope types that only
//! exist at the boundary and the error shape `{code, message}` every command returns.

use serde::Serialize;
use ts_rs::TS;
use wheelhouse_repo::recent::RecentRepository;
use wheelhouse_repo::{ErrorCode, RepoOverview};

/// Every command's error: a stable code to branch on, and a sentence for people.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CommandError {
    pub code: ErrorCode,
    pub message: String,
}

impl From<wheelhouse_repo::Error> for CommandError {
    fn from(e: wheelhouse_repo::Error) -> Self {
        Self {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

impl From<wheelhouse_demo::Error> for CommandError {
    fn from(e: wheelhouse_demo::Error) -> Self {
        Self {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

/// What the UI needs when it starts: the recent list, and the repository named on the command
/// line (`--repo PATH`) opened, or why it could not be.
#[derive(Debug, Clone, Serialize, TS)]
pub struct StartupView {
    pub recent: Vec<RecentRepository>,
    pub opened: Option<RepoOverview>,
    pub error: Option<CommandError>,
}

/// The generated TypeScript file: every type above and the core views they contain.
pub fn typescript() -> String {
    use wheelhouse_repo as repo;
    let cfg = ts_rs::Config::new();
    let decls = [
        ErrorCode::decl(&cfg),
        CommandError::decl(&cfg),
        StartupView::decl(&cfg),
        RecentRepository::decl(&cfg),
        RepoOverview::decl(&cfg),
        repo::HeadState::decl(&cfg),
        repo::UpstreamState::decl(&cfg),
        repo::RemoteSummary::decl(&cfg),
        repo::WorkingTree::decl(&cfg),
        repo::FileChange::decl(&cfg),
        repo::ChangeKind::decl(&cfg),
        repo::CommitSummary::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by `make types` (src-tauri/src/json.rs). Do not edit.\n",
    );
    for decl in decls {
        out.push_str("\nexport ");
        out.push_str(&decl);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    /// `make test` fails when the committed TypeScript no longer matches the Rust types;
    /// `WHEELHOUSE_WRITE_TYPES=1 cargo test` (what `make types` runs) rewrites it.
    #[test]
    fn generated_typescript_is_fresh() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/lib/generated/types.ts");
        let fresh = super::typescript();
        if std::env::var_os("WHEELHOUSE_WRITE_TYPES").is_some() {
            std::fs::write(&path, &fresh).expect("write generated types");
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == fresh,
            "{} is stale: run `make types` and commit the result",
            path.display()
        );
    }
}
