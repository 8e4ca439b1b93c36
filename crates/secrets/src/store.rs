//! [`CredentialStore`]: secrets in the OS keyring, plus the index that lets Settings list them.

use crate::credential::{account, check_user};
use crate::error::{from_keyring, Action};
use crate::{index, normalize_host, CredentialKind, Secret, SecretsError, StoredCredential};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// One lock for every keyring call and index update in the process. The keyring crate warns
/// that concurrent Secret Service calls can make the D-Bus round trips fail, and the index is a
/// read-modify-write of one file.
static KEYRING: Mutex<()> = Mutex::new(());

/// Credentials in the OS keyring, keyed by kind, host and user.
///
/// Secrets go to the keyring only. The index of what was stored (kind, host, user) lives in
/// `credential-index.json` in the folder given to [`CredentialStore::new`]. The keyring is the
/// source of truth for secrets: [`get`](Self::get) asks it directly, so a credential removed
/// with another keyring app reads as `None` even while the index still lists it.
#[derive(Debug)]
pub struct CredentialStore {
    index_file: PathBuf,
}

impl CredentialStore {
    /// A store whose index lives in `data_dir` (the app's data folder). Touches nothing until used.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        CredentialStore {
            index_file: data_dir.into().join(index::FILE_NAME),
        }
    }

    /// The index file: kinds, hosts and users, never secrets.
    pub fn index_file(&self) -> &Path {
        &self.index_file
    }

    /// Stores `secret` for this kind, host and user, replacing any secret stored for them before,
    /// and lists it first. Returns the row as listed (host normalised). If the keyring cannot
    /// take it, nothing is written anywhere.
    pub fn store(
        &self,
        kind: CredentialKind,
        host: &str,
        user: &str,
        secret: &Secret,
    ) -> Result<StoredCredential, SecretsError> {
        let host = normalize_host(kind, host)?;
        check_user(user)?;
        if secret.expose().is_empty() {
            return Err(SecretsError::invalid(format!(
                "The secret for {user} at {host} is empty. Paste the token, password or passphrase, then save again."
            )));
        }
        let keyring_error =
            |err| from_keyring(err, Action::Store, &host, user, Some(secret.expose()));

        let _guard = KEYRING.lock().unwrap_or_else(PoisonError::into_inner);
        keyring::Entry::new(kind.service(), &account(&host, user))
            .and_then(|entry| entry.set_password(secret.expose()))
            .map_err(keyring_error)?;

        let row = StoredCredential {
            kind,
            host: host.clone(),
            user: user.to_string(),
        };
        let list = index::remember(index::load(&self.index_file), row.clone());
        index::save(&self.index_file, &list).map_err(|source| SecretsError::Io {
            what: "The secret is in the keyring, but Wheelhouse could not add it to its list of stored credentials",
            path: self.index_file.clone(),
            source,
        })?;
        tracing::debug!(kind = ?kind, host = %host, user = %user, "stored credential");
        Ok(row)
    }

    /// The secret stored for this kind, host and user, or `None` if there is none.
    pub fn get(
        &self,
        kind: CredentialKind,
        host: &str,
        user: &str,
    ) -> Result<Option<Secret>, SecretsError> {
        let host = normalize_host(kind, host)?;
        check_user(user)?;
        let _guard = KEYRING.lock().unwrap_or_else(PoisonError::into_inner);
        let found = keyring::Entry::new(kind.service(), &account(&host, user))
            .and_then(|entry| entry.get_password());
        match found {
            Ok(password) => Ok(Some(Secret::new(password))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(err) => Err(from_keyring(err, Action::Read, &host, user, None)),
        }
    }

    /// Removes the secret from the keyring and the row from the index. Forgetting a credential
    /// that is not stored succeeds. If the keyring cannot be reached, the index is left as it was.
    pub fn forget(&self, kind: CredentialKind, host: &str, user: &str) -> Result<(), SecretsError> {
        let host = normalize_host(kind, host)?;
        check_user(user)?;
        let _guard = KEYRING.lock().unwrap_or_else(PoisonError::into_inner);
        let deleted = keyring::Entry::new(kind.service(), &account(&host, user))
            .and_then(|entry| entry.delete_credential());
        match deleted {
            Ok(()) | Err(keyring::Error::NoEntry) => {}
            Err(err) => return Err(from_keyring(err, Action::Forget, &host, user, None)),
        }

        let before = index::load(&self.index_file);
        let after = index::without(before.clone(), kind, &host, user);
        if after != before {
            index::save(&self.index_file, &after).map_err(|source| SecretsError::Io {
                what: "The secret was removed from the keyring, but Wheelhouse could not remove it from its list of stored credentials",
                path: self.index_file.clone(),
                source,
            })?;
        }
        tracing::debug!(kind = ?kind, host = %host, user = %user, "forgot credential");
        Ok(())
    }

    /// Every credential this store has stored and not forgotten, most recently stored first.
    /// Reads only the index, so it works while the keyring is locked.
    pub fn list(&self) -> Vec<StoredCredential> {
        let _guard = KEYRING.lock().unwrap_or_else(PoisonError::into_inner);
        index::load(&self.index_file)
    }

    /// The user most recently stored for this kind and host: what to try for an HTTPS remote
    /// whose URL names no user. `None` for a host nothing was stored for (or that is not a host).
    pub fn lookup_user(&self, kind: CredentialKind, host: &str) -> Option<String> {
        let host = normalize_host(kind, host).ok()?;
        index::latest_user(&self.list(), kind, &host)
    }
}
