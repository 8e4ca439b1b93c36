//! What the app and the CLI decide the same way about reviews: which branch changes merge into,
//! which key approvals are signed with, and that a merge is pushed. Each face passes what it was
//! told (a `--target`, a `--key`, `--no-push`); everything else is read here, from the same
//! places, so a person gets one behaviour whichever face they use.

use crate::review::{self, ReviewError};
use serde::Serialize;
use std::path::{Path, PathBuf};
use ts_rs::TS;
use wheelhouse_repo::network::Network;
use wheelhouse_repo::{CommitSummary, Repository};

/// The branch changes merge into: the remote's default branch (what `origin/HEAD` names, as
/// `git clone` sets it), else `main`, else `master` when only that exists, else `main`.
pub fn target_branch(repo: &Repository) -> String {
    let Ok(git) = git2::Repository::open(repo.root()) else {
        return "main".into();
    };
    let remote_default = git
        .find_reference("refs/remotes/origin/HEAD")
        .ok()
        .and_then(|r| r.symbolic_target().map(str::to_owned))
        .and_then(|t| t.strip_prefix("refs/remotes/origin/").map(str::to_owned));
    if let Some(branch) = remote_default {
        return branch;
    }
    let exists = |name: &str| git.find_branch(name, git2::BranchType::Local).is_ok();
    if !exists("main") && exists("master") {
        "master".into()
    } else {
        "main".into()
    }
}

/// Where the signing set-up chosen in the app's Settings is kept: the data folder both faces
/// share (only the key's setting; a passphrase is in the keyring).
pub fn signing_file(data_dir: &Path) -> PathBuf {
    data_dir.join("signing.json")
}

/// The signing key setting saved in Settings, if any.
pub fn saved_signing_key(data_dir: &Path) -> Option<String> {
    let bytes = std::fs::read(signing_file(data_dir)).ok()?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    // `key_path` is how set-ups saved before agent keys named it.
    value
        .get("key")
        .or_else(|| value.get("key_path"))?
        .as_str()
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned)
}

/// Saves the signing key setting chosen in Settings.
pub fn save_signing_key(data_dir: &Path, setting: &str) -> std::io::Result<()> {
    let text = serde_json::to_vec_pretty(&serde_json::json!({ "key": setting }))
        .expect("a string serializes");
    wheelhouse_yaml::write_atomic(&signing_file(data_dir), &text)
}

/// The key approvals are signed with, as git's `user.signingkey` takes it: the one `given`
/// (`--key`), else the one chosen in Settings, else the repository's `user.signingkey`.
pub fn signing_key_setting(
    given: Option<&str>,
    data_dir: &Path,
    repo: &Repository,
) -> Option<String> {
    given
        .map(str::to_owned)
        .or_else(|| saved_signing_key(data_dir))
        .or_else(|| {
            git2::Repository::open(repo.root())
                .ok()?
                .config()
                .ok()?
                .get_string("user.signingkey")
                .ok()
        })
        .filter(|s| !s.trim().is_empty())
}

/// A merge and whether it reached the remote.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MergeOutcome {
    pub commit: CommitSummary,
    pub pushed: bool,
    /// Why the push failed (offline, rejected, no upstream); the merge is kept locally. `None`
    /// with `pushed: false` when no push was asked for.
    pub push_error: Option<String>,
}

/// Merges the change when its verdict allows ([`review::merge`]), then, given a network, pushes
/// the current branch and the approval notes. A push that fails leaves the merge in place and
/// says why.
pub fn merge_and_push(
    repo: &Repository,
    change: &str,
    target: &str,
    now: i64,
    net: Option<&mut Network<'_>>,
) -> Result<MergeOutcome, ReviewError> {
    let commit = review::merge(repo, change, target, now)?;
    let Some(net) = net else {
        return Ok(MergeOutcome {
            commit,
            pushed: false,
            push_error: None,
        });
    };
    let pushed = repo
        .push(net)
        .map_err(|e| e.to_string())
        .and_then(|()| review::push_notes(repo, net).map_err(|e| e.to_string()));
    Ok(MergeOutcome {
        commit,
        pushed: pushed.is_ok(),
        push_error: pushed.err(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use wheelhouse_testsupport::TempRepo;

    #[test]
    fn the_target_is_the_remotes_default_branch_else_main_else_master() {
        let repo = TempRepo::with_files(&[("a.yaml", "a: 1\n")]);
        let git = repo.git();
        let head = git.head().unwrap().peel_to_commit().unwrap();
        let current = git.head().unwrap().shorthand().unwrap().to_owned();
        let open = || Repository::open(repo.path()).unwrap();
        if current != "main" {
            git.branch("main", &head, false).unwrap();
        }
        assert_eq!(target_branch(&open()), "main");

        // Only master: master.
        git.set_head_detached(head.id()).unwrap();
        git.find_branch("main", git2::BranchType::Local)
            .unwrap()
            .delete()
            .unwrap();
        git.branch("master", &head, false).unwrap();
        assert_eq!(target_branch(&open()), "master");

        // The remote says its default is trunk: trunk.
        git.reference("refs/remotes/origin/trunk", head.id(), true, "test")
            .unwrap();
        git.reference_symbolic(
            "refs/remotes/origin/HEAD",
            "refs/remotes/origin/trunk",
            true,
            "test",
        )
        .unwrap();
        assert_eq!(target_branch(&open()), "trunk");
    }

    #[test]
    fn the_signing_key_is_the_given_one_else_settings_else_git_config() {
        let repo = TempRepo::with_files(&[("a.yaml", "a: 1\n")]);
        let data = tempfile::tempdir().unwrap();
        let open = || Repository::open(repo.path()).unwrap();
        assert_eq!(signing_key_setting(None, data.path(), &open()), None);

        repo.git()
            .config()
            .unwrap()
            .set_str("user.signingkey", "/keys/git_config")
            .unwrap();
        assert_eq!(
            signing_key_setting(None, data.path(), &open()).as_deref(),
            Some("/keys/git_config")
        );

        save_signing_key(data.path(), "/keys/settings").unwrap();
        assert_eq!(
            saved_signing_key(data.path()).as_deref(),
            Some("/keys/settings")
        );
        assert_eq!(
            signing_key_setting(None, data.path(), &open()).as_deref(),
            Some("/keys/settings")
        );
        assert_eq!(
            signing_key_setting(Some("/keys/given"), data.path(), &open()).as_deref(),
            Some("/keys/given")
        );

        // A set-up saved before agent keys named the field key_path.
        std::fs::write(signing_file(data.path()), r#"{"key_path": "/keys/old"}"#).unwrap();
        assert_eq!(saved_signing_key(data.path()).as_deref(), Some("/keys/old"));
    }
}
