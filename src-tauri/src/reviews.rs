//! Commands for changes and approvals: the list with verdicts, approve (signed with the key set up
//! in Settings), merge, and the signing set-up itself (key path in the data folder, passphrase in
//! the keyring, never on the wire back). The target branch, the signing key and the push after a
//! merge are decided as the CLI decides them (`wheelhouse_approvals::faces`).

use crate::json::CommandError;
use crate::session::Session;
use crate::shell::{blocking, now_unix};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager};
use ts_rs::TS;
use wheelhouse_approvals::agent::{self, AgentIdentity};
use wheelhouse_approvals::faces::{self, MergeOutcome};
use wheelhouse_approvals::key::{self, KeyChoice, SigningKey};
use wheelhouse_approvals::review::{self, ChangeReview, Reviewer};
use wheelhouse_approvals::signing::{self, SigningError};
use wheelhouse_repo::{ErrorCode, Repository};
use wheelhouse_secrets::{CredentialKind, Secret};

type CommandResult<T> = Result<T, CommandError>;

fn review_error(e: review::ReviewError) -> CommandError {
    CommandError {
        code: e.code(),
        message: e.to_string(),
    }
}

fn signing_error(e: SigningError) -> CommandError {
    CommandError {
        code: e.code(),
        message: e.to_string(),
    }
}

fn repo(session: &Session) -> CommandResult<Repository> {
    let root = session
        .current_root()
        .ok_or(wheelhouse_repo::Error::NoRepositoryOpen)?;
    Ok(Repository::open(root)?)
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
    /// No key was chosen here: `key` is git's `user.signingkey` (as the CLI would use it).
    pub from_git_config: bool,
}

fn load_key(session: &Session, setting: &str) -> Result<SigningKey, SigningError> {
    let choice = key::resolve_signing_key(setting)?;
    // A file's passphrase was asked in Settings and kept in the keyring; nothing to ask here.
    review::open_signing_key(&session.credentials, &choice, || None)
}

fn describe_setup(session: &Session) -> SigningSetup {
    let email = repo(session)
        .ok()
        .and_then(|r| git2::Repository::open(r.root()).ok())
        .and_then(|g| g.config().ok()?.get_string("user.email").ok());
    let saved = faces::saved_signing_key(&session.data_dir);
    let from_git_config = saved.is_none();
    let setting = saved.or_else(|| {
        repo(session)
            .ok()
            .and_then(|r| faces::signing_key_setting(None, &session.data_dir, &r))
    });
    let Some(setting) = setting else {
        return SigningSetup {
            email,
            ..SigningSetup::default()
        };
    };
    match load_key(session, &setting) {
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
            problem: Some(e.to_string()),
            from_git_config,
            ..SigningSetup::default()
        },
    }
}

#[tauri::command]
pub async fn list_changes(app: AppHandle) -> CommandResult<Vec<ChangeReview>> {
    blocking(move || {
        let repository = repo(&app.state::<Session>())?;
        let target = faces::target_branch(&repository);
        review::list(&repository, &target, now_unix()).map_err(review_error)
    })
    .await
}

#[tauri::command]
pub async fn approve_change(
    app: AppHandle,
    name: String,
    approve: bool,
    comment: String,
) -> CommandResult<ChangeReview> {
    blocking(move || {
        let session = app.state::<Session>();
        let repository = repo(&session)?;
        let setup = describe_setup(&session);
        let (Some(setting), Some(email)) = (setup.key, setup.email) else {
            return Err(CommandError {
                code: ErrorCode::NoSigningKey,
                message: "Set up signing first (Settings → Signing): approvals are signed with your SSH key and recorded under your git email.".into(),
            });
        };
        let key = load_key(&session, &setting).map_err(signing_error)?;
        let reviewer = Reviewer {
            email: &email,
            key: &key,
        };
        let target = faces::target_branch(&repository);
        review::approve(&repository, &name, &target, &reviewer, approve, &comment, now_unix())
            .map_err(review_error)
    })
    .await
}

/// Merges the change when its verdict allows, then pushes the target and the approval notes.
#[tauri::command]
pub async fn merge_change(app: AppHandle, name: String) -> CommandResult<MergeOutcome> {
    blocking(move || {
        let session = app.state::<Session>();
        let repository = repo(&session)?;
        let target = faces::target_branch(&repository);
        let mut net = crate::shell::window_network(&app, &session, None);
        faces::merge_and_push(&repository, &name, &target, now_unix(), Some(&mut net))
            .map_err(review_error)
    })
    .await
}

#[tauri::command]
pub fn signing_setup(app: AppHandle) -> SigningSetup {
    describe_setup(&app.state::<Session>())
}

/// The keys ssh-agent holds, to choose one in Settings (public keys only).
#[tauri::command]
pub async fn agent_keys() -> CommandResult<Vec<AgentIdentity>> {
    blocking(move || {
        let socket = agent::default_socket().map_err(signing_error)?;
        agent::list_identities(&socket).map_err(signing_error)
    })
    .await
}

/// Chooses the signing key (a key file, a public key file or `key::…` for the agent); a
/// passphrase, when given, goes to the keyring (only once the key opened with it).
#[tauri::command]
pub async fn set_signing_key(
    app: AppHandle,
    key: String,
    passphrase: Option<String>,
) -> CommandResult<SigningSetup> {
    blocking(move || {
        let session = app.state::<Session>();
        let setting = key.trim().to_owned();
        let choice = key::resolve_signing_key(&setting).map_err(signing_error)?;
        let phrase = passphrase.filter(|p| !p.is_empty());
        match &choice {
            KeyChoice::File(path) => {
                signing::load_private_key(path, phrase.as_deref()).map_err(signing_error)?;
                if let Some(p) = phrase {
                    session.credentials.store(
                        CredentialKind::SshKeyPassphrase,
                        review::SIGNING_HOST,
                        &path.display().to_string(),
                        &Secret::new(p),
                    )?;
                }
            }
            KeyChoice::Agent(public) => {
                agent::AgentKey::from_env(public.clone()).map_err(signing_error)?;
            }
        }
        faces::save_signing_key(&session.data_dir, &setting).map_err(|e| {
            CommandError::internal(format!("Could not save the signing set-up: {e}"))
        })?;
        Ok(describe_setup(&session))
    })
    .await
}
