//! Commands for changes and approvals: the list with verdicts, approve, merge and push, and the
//! signing set-up. Each is a few lines around `wheelhouse_api::review`, which decides the target
//! branch, the signing key and the push after a merge as it does for the CLI; a key file's
//! passphrase is asked in Settings and kept in the keyring, never on the wire back.

use crate::json::CommandError;
use crate::session::Session;
use crate::shell::{blocking, now_unix};
use tauri::{AppHandle, Manager};
use wheelhouse_api::review::{self, Approval, Keys, MergeOutcome, SigningSetup};
use wheelhouse_approvals::agent::{self, AgentIdentity};
use wheelhouse_approvals::review::ChangeReview;
use wheelhouse_repo::Repository;

type CommandResult<T> = Result<T, CommandError>;

fn repo(session: &Session) -> CommandResult<Repository> {
    let root = session
        .current_root()
        .ok_or(wheelhouse_repo::Error::NoRepositoryOpen)?;
    Ok(Repository::open(root)?)
}

fn keys(session: &Session) -> Keys<'_> {
    Keys {
        data_dir: &session.data_dir,
        store: &session.credentials,
    }
}

#[tauri::command]
pub async fn list_changes(app: AppHandle) -> CommandResult<Vec<ChangeReview>> {
    blocking(move || {
        let repository = repo(&app.state::<Session>())?;
        let target = review::target_branch(&repository, None);
        Ok(review::changes(&repository, &target, now_unix())?)
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
        let target = review::target_branch(&repository, None);
        let approval = Approval {
            change: &name,
            target: &target,
            approve,
            comment: &comment,
            key: None,
        };
        // A file's passphrase was asked in Settings and kept in the keyring; nothing to ask here.
        let keys = keys(&session);
        Ok(review::approve(
            &repository,
            &keys,
            &approval,
            |_| None,
            now_unix(),
        )?)
    })
    .await
}

/// Merges the change when its verdict allows, then pushes the target and the approval notes and
/// tells the status page's subscribers of the updates it brought.
#[tauri::command]
pub async fn merge_change(app: AppHandle, name: String) -> CommandResult<MergeOutcome> {
    blocking(move || {
        let session = app.state::<Session>();
        let repository = repo(&session)?;
        let target = review::target_branch(&repository, None);
        let mut net = crate::shell::window_network(&app, &session, None);
        let store = &session.credentials;
        let secret = |n: &str| wheelhouse_api::notify::channel_secret(store, n);
        Ok(review::merge(
            &repository,
            &name,
            &target,
            now_unix(),
            Some(&mut net),
            &secret,
        )?)
    })
    .await
}

/// Opening the key (a file, the keyring, the agent) is blocking work: off the main thread.
#[tauri::command]
pub async fn signing_setup(app: AppHandle) -> CommandResult<SigningSetup> {
    blocking(move || {
        let session = app.state::<Session>();
        Ok(review::signing_setup(
            repo(&session).ok().as_ref(),
            &keys(&session),
        ))
    })
    .await
}

/// The keys ssh-agent holds, to choose one in Settings (public keys only).
#[tauri::command]
pub async fn agent_keys() -> CommandResult<Vec<AgentIdentity>> {
    blocking(move || {
        let socket = agent::default_socket().map_err(wheelhouse_api::Problem::from)?;
        Ok(agent::list_identities(&socket).map_err(wheelhouse_api::Problem::from)?)
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
        review::choose_key(&keys(&session), &key, passphrase.as_deref())?;
        Ok(review::signing_setup(
            repo(&session).ok().as_ref(),
            &keys(&session),
        ))
    })
    .await
}
