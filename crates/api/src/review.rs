//! Reviews, decided once for both faces: which branch changes merge into, the open changes with
//! their verdicts, approving (signed with the key the signing set-up names, recorded under the
//! repository's `user.email`), merging and pushing, and the signing set-up itself. Each face
//! passes only what the person said (a `--target`, a `--key`, `--no-push`, the Settings form)
//! and how it asks for a passphrase; everything else is read here, from the same places.

use crate::{ErrorCode, Problem, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use ts_rs::TS;
use wheelhouse_approvals::agent::AgentKey;
use wheelhouse_approvals::key::{resolve_signing_key, KeyChoice, SigningKey};
use wheelhouse_approvals::review::{self, ChangeReview, ReviewCache, Reviewer, SIGNING_HOST};
use wheelhouse_approvals::signing;
use wheelhouse_repo::network::Network;
use wheelhouse_repo::{CommitSummary, Repository};
use wheelhouse_secrets::{CredentialKind, CredentialStore, Secret};

/// Where a face keeps what signing needs: the data folder the app and the CLI share (the key's
/// setting) and the keyring (a key file's passphrase).
#[derive(Debug, Clone, Copy)]
pub struct Keys<'a> {
    pub data_dir: &'a Path,
    pub store: &'a CredentialStore,
}

/// The branch changes merge into: the one `given`, else the remote's default branch (what
/// `origin/HEAD` names, as `git clone` sets it), else `main`, else `master` when only that
/// exists, else `main`.
pub fn target_branch(repo: &Repository, given: Option<&str>) -> String {
    if let Some(given) = given {
        return given.to_owned();
    }
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

/// The open changes (branches ahead of the target) with their verdicts at `now`.
pub fn changes(repo: &Repository, target: &str, now: i64) -> Result<Vec<ChangeReview>> {
    Ok(review::list(repo, target, now)?)
}

/// A range judged as CI judges it, and the refusal when it may not merge.
#[derive(Debug, Clone)]
pub struct Verified {
    pub review: ChangeReview,
    /// `policy_not_satisfied` with the verdict's summary, unless the verdict allows the merge.
    pub refused: Option<Problem>,
}

/// Judges `base..head` under `base`'s policy at `now` (`wheelhouse verify`, for CI): the verdict,
/// what the change does to each environment, and with `files` the file diff too. `cache` keeps
/// the renders (a caller that exits right after may leave them unfreed).
pub fn verify(
    cache: &mut ReviewCache,
    repo: &Repository,
    base: &str,
    head: &str,
    now: i64,
    files: bool,
) -> Result<Verified> {
    let review = if files {
        cache.review(repo, head, head, base, now)
    } else {
        cache.judge(repo, head, head, base, now)
    }?;
    let refused = (!review.verdict.allows_merge()).then(|| {
        Problem::new(
            ErrorCode::PolicyNotSatisfied,
            review.verdict.summary.clone(),
        )
    });
    Ok(Verified { review, refused })
}

/// An approval (or a request for changes) as a person asks for it.
#[derive(Debug, Clone)]
pub struct Approval<'a> {
    pub change: &'a str,
    pub target: &'a str,
    pub approve: bool,
    pub comment: &'a str,
    /// The key to sign with for this approval only (`--key`); else the set-up's.
    pub key: Option<&'a str>,
}

/// Records a signed approval as a git note on the change's head, under the repository's
/// `user.email`, with the key [`key_setting`] names; `ask` gives a key file's passphrase (asked
/// with the key's setting) when the keyring has none (the CLI asks on the terminal, the app
/// asked in Settings already).
pub fn approve(
    repo: &Repository,
    keys: &Keys<'_>,
    approval: &Approval<'_>,
    ask: impl FnOnce(&str) -> Option<String>,
    now: i64,
) -> Result<ChangeReview> {
    let email = reviewer_email(repo).ok_or_else(|| {
        Problem::new(
            ErrorCode::IdentityMissing,
            "Set your git email (git config user.email, or Settings → Identity): approvals are recorded under it.",
        )
    })?;
    let setting = key_setting(approval.key, keys.data_dir, repo).ok_or_else(|| {
        Problem::new(
            ErrorCode::NoSigningKey,
            "Choose the SSH key approvals are signed with (Settings → Signing, --key, or git config user.signingkey).",
        )
    })?;
    let key = open_key(keys, &setting, || ask(&setting))?;
    let reviewer = Reviewer {
        email: &email,
        key: &key,
    };
    let Approval {
        change,
        target,
        approve,
        comment,
        ..
    } = approval;
    Ok(review::approve(
        repo, change, target, &reviewer, *approve, comment, now,
    )?)
}

/// A merge and whether it reached the remote.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MergeOutcome {
    pub commit: CommitSummary,
    pub pushed: bool,
    /// Why the push failed (offline, rejected, no upstream); the merge is kept locally. `None`
    /// with `pushed: false` when no push was asked for.
    pub push_error: Option<String>,
    /// The status page's subscribers told of the updates the merge brought, once it was
    /// pushed (none when the repository has no `subscribers.yaml`).
    pub notified: Option<crate::notify::Notified>,
    /// Why they could not be told (the merge and the push stand; `wheelhouse status notify`
    /// tells them later).
    pub notify_error: Option<String>,
}

/// Merges the change when its verdict allows, then, given a network, pushes the current branch
/// and the approval notes, then tells the status page's subscribers of the updates the merge
/// brought (`secret` gives the channels' secrets). A push that fails leaves the merge in place
/// and says why; nothing is told before the merge reached the remote.
pub fn merge(
    repo: &Repository,
    change: &str,
    target: &str,
    now: i64,
    net: Option<&mut Network<'_>>,
    secret: &dyn Fn(&str) -> Result<Option<String>>,
) -> Result<MergeOutcome> {
    let before = repo.source_commit(target)?;
    let commit = review::merge(repo, change, target, now)?;
    let Some(net) = net else {
        return Ok(MergeOutcome {
            commit,
            pushed: false,
            push_error: None,
            notified: None,
            notify_error: None,
        });
    };
    let pushed = repo
        .push(net)
        .map_err(|e| e.to_string())
        .and_then(|()| review::push_notes(repo, net).map_err(|e| e.to_string()));
    let (mut notified, mut notify_error) = (None, None);
    if pushed.is_ok() && crate::notify::has_subscribers(repo, &commit.id)? {
        let request = crate::notify::NotifyRequest {
            since: Some(before.id),
            head: commit.id.clone(),
            dry_run: false,
            channel: None,
            // The merge waits for this: one retry; what still fails is recorded, and told by
            // the next notify.
            retry: crate::notify::Retry {
                attempts: 2,
                first_delay: std::time::Duration::from_secs(1),
            },
            timeout: std::time::Duration::from_secs(10),
            smtp_ca: None,
        };
        match crate::notify::notify(repo, &request, secret, Some(net), now) {
            Ok(n) => notified = Some(n),
            Err(e) => notify_error = Some(e.to_string()),
        }
    }
    Ok(MergeOutcome {
        commit,
        pushed: pushed.is_ok(),
        push_error: pushed.err(),
        notified,
        notify_error,
    })
}

/// The signing set-up as Settings shows it.
#[derive(Debug, Clone, Serialize, Deserialize, TS, Default)]
pub struct SigningSetup {
    /// What approvals are signed with, as git's `user.signingkey` takes it: a private key file, a
    /// public key file (the private half in ssh-agent) or `key::ssh-ed25519 AAAA…` (in the agent).
    pub key: Option<String>,
    /// `file` or `agent`: where the private key is.
    pub source: Option<String>,
    /// The email approvals are recorded under (git config user.email of the open repository).
    pub email: Option<String>,
    /// The line to add to `.wheelhouse/allowed_signers` for yourself.
    pub allowed_signers_line: Option<String>,
    pub fingerprint: Option<String>,
    /// Why the key cannot be used, if it cannot.
    pub problem: Option<String>,
    /// No key was chosen in Settings: `key` is git's `user.signingkey` (as the CLI uses it).
    pub from_git_config: bool,
}

/// What approvals would be signed with and recorded under, and whether the key opens (without
/// asking for anything: a passphrase must be in the keyring already).
pub fn signing_setup(repo: Option<&Repository>, keys: &Keys<'_>) -> SigningSetup {
    let email = repo.and_then(reviewer_email);
    let saved = saved_key(keys.data_dir);
    let from_git_config = saved.is_none();
    let setting = saved.or_else(|| repo.and_then(|r| key_setting(None, keys.data_dir, r)));
    let Some(setting) = setting else {
        return SigningSetup {
            email,
            ..SigningSetup::default()
        };
    };
    match open_key(keys, &setting, || None) {
        Ok(key) => SigningSetup {
            allowed_signers_line: email
                .as_deref()
                .map(|e| signing::allowed_signers_line(e, key.public_key())),
            fingerprint: Some(key.fingerprint()),
            source: Some(
                match key {
                    SigningKey::File(_) => "file",
                    SigningKey::Agent(_) => "agent",
                }
                .into(),
            ),
            key: Some(setting),
            email,
            problem: None,
            from_git_config,
        },
        Err(e) => SigningSetup {
            key: Some(setting),
            email,
            problem: Some(e.message),
            from_git_config,
            ..SigningSetup::default()
        },
    }
}

/// Chooses the key approvals are signed with (a key file, a public key file or `key::…` for
/// the agent), once it opens: a file with `passphrase` (kept in the keyring then), an agent key
/// only when the agent holds it. Saved in the data folder both faces read.
pub fn choose_key(keys: &Keys<'_>, setting: &str, passphrase: Option<&str>) -> Result<()> {
    let setting = setting.trim();
    let passphrase = passphrase.filter(|p| !p.is_empty());
    match resolve_signing_key(setting)? {
        KeyChoice::File(path) => {
            signing::load_private_key(&path, passphrase)?;
            if let Some(p) = passphrase {
                let id = path.display().to_string();
                let secret = Secret::new(p.to_owned());
                let kind = CredentialKind::SshKeyPassphrase;
                keys.store.store(kind, SIGNING_HOST, &id, &secret)?;
            }
        }
        KeyChoice::Agent(public) => {
            AgentKey::from_env(public)?;
        }
    }
    let text = serde_json::to_vec_pretty(&serde_json::json!({ "key": setting }))
        .expect("a string serializes");
    wheelhouse_yaml::write_atomic(&signing_file(keys.data_dir), &text).map_err(|e| {
        Problem::new(
            ErrorCode::Io,
            format!("Could not save the signing set-up: {e}"),
        )
    })
}

/// The key approvals are signed with, as git's `user.signingkey` takes it: the one `given`
/// (`--key`), else the one chosen in Settings, else the repository's `user.signingkey`.
pub fn key_setting(given: Option<&str>, data_dir: &Path, repo: &Repository) -> Option<String> {
    given
        .map(str::to_owned)
        .or_else(|| saved_key(data_dir))
        .or_else(|| git_config(repo, "user.signingkey"))
        .filter(|s| !s.trim().is_empty())
}

/// The email approvals are recorded under: the repository's `user.email`.
pub fn reviewer_email(repo: &Repository) -> Option<String> {
    git_config(repo, "user.email").filter(|e| !e.trim().is_empty())
}

fn git_config(repo: &Repository, name: &str) -> Option<String> {
    git2::Repository::open(repo.root())
        .ok()?
        .config()
        .ok()?
        .get_string(name)
        .ok()
}

/// Opens the key `setting` names: a file (as is, with the passphrase in the keyring, else with
/// the one `ask` gives), or a public key whose private half the agent holds.
fn open_key(
    keys: &Keys<'_>,
    setting: &str,
    ask: impl FnOnce() -> Option<String>,
) -> Result<SigningKey> {
    let choice = resolve_signing_key(setting)?;
    Ok(review::open_signing_key(keys.store, &choice, ask)?)
}

/// Where the signing set-up chosen in Settings is kept (only the key's setting; a passphrase is
/// in the keyring).
fn signing_file(data_dir: &Path) -> PathBuf {
    data_dir.join("signing.json")
}

/// The signing key setting saved in Settings, if any.
fn saved_key(data_dir: &Path) -> Option<String> {
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
