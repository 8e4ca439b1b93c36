//! Sync and push as both faces do them: the branch first, then the approval notes that travel
//! with it (teammates' approvals arrive as notes; yours leave with the push), and the credential
//! that worked kept in the keyring. A notes transfer that fails never undoes the branch's: it is
//! reported beside the outcome. The faces only make the network (the app's may ask in its
//! window, the CLI's on the terminal, the background loop's never).

use crate::Result;
use serde::Serialize;
use wheelhouse_approvals::review;
use wheelhouse_repo::network::{remember_accepted, Network};
use wheelhouse_repo::sync::SyncReport;
use wheelhouse_repo::Repository;
use wheelhouse_secrets::CredentialStore;

/// A sync: what it fetched and fast-forwarded, and whether the notes came too.
#[derive(Debug, Clone, Serialize)]
pub struct Synced {
    #[serde(flatten)]
    pub report: SyncReport,
    /// Why the approval notes were not fetched (the branch was).
    pub notes_error: Option<String>,
}

/// Fetches the upstream and fast-forwards when that is safe ([`Repository::sync`]), keeps the
/// credential that worked, then fetches the approval notes.
pub fn sync(repo: &Repository, net: &mut Network<'_>, store: &CredentialStore) -> Result<Synced> {
    let report = repo.sync(net)?;
    remember_accepted(store, net.accepted())?;
    let notes_error = review::sync_notes(repo, net).err().map(|e| e.to_string());
    Ok(Synced {
        report,
        notes_error,
    })
}

/// A push, and whether the notes went too.
#[derive(Debug, Clone, Serialize)]
pub struct Pushed {
    /// Why the approval notes were not pushed (the branch was).
    pub notes_error: Option<String>,
}

/// Pushes the current branch to its upstream, keeps the credential that worked, then pushes the
/// approval notes.
pub fn push(repo: &Repository, net: &mut Network<'_>, store: &CredentialStore) -> Result<Pushed> {
    repo.push(net)?;
    remember_accepted(store, net.accepted())?;
    let notes_error = review::push_notes(repo, net).err().map(|e| e.to_string());
    Ok(Pushed { notes_error })
}
