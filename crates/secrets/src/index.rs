//! The list of credentials Wheelhouse has stored, kept beside the keyring because keyrings cannot
//! be enumerated portably.
//!
//! It holds kind, host and user, never a secret. Most recently stored first, one row per
//! (kind, host, user). A missing, unreadable or corrupt file reads as empty: losing the list only
//! hides entries from Settings, and it must never stop the app. Writes are atomic (a temp file in
//! the same folder, then a rename), and the file is private to the user (mode 0600 on Unix).

use crate::{CredentialKind, StoredCredential};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The index file's name inside the folder given to [`crate::CredentialStore::new`].
pub(crate) const FILE_NAME: &str = "credential-index.json";

const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
struct IndexFile {
    version: u32,
    credentials: Vec<StoredCredential>,
}

/// Reads the index; anything unreadable, or written by a newer version, counts as empty.
pub(crate) fn load(file: &Path) -> Vec<StoredCredential> {
    std::fs::read(file)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<IndexFile>(&bytes).ok())
        .filter(|index| index.version == VERSION)
        .map(|index| index.credentials)
        .unwrap_or_default()
}

/// Writes the index atomically.
pub(crate) fn save(file: &Path, credentials: &[StoredCredential]) -> std::io::Result<()> {
    let dir = file
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&dir)?;
    let index = IndexFile {
        version: VERSION,
        credentials: credentials.to_vec(),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(&dir)?;
    tmp.write_all(&serde_json::to_vec_pretty(&index).map_err(std::io::Error::other)?)?;
    tmp.as_file().sync_all()?;
    tmp.persist(file).map_err(|e| e.error)?;
    Ok(())
}

fn same_key(row: &StoredCredential, kind: CredentialKind, host: &str, user: &str) -> bool {
    row.kind == kind && row.host == host && row.user == user
}

/// Puts `entry` first and drops any older row with the same kind, host and user.
pub(crate) fn remember(
    mut list: Vec<StoredCredential>,
    entry: StoredCredential,
) -> Vec<StoredCredential> {
    list.retain(|row| !same_key(row, entry.kind, &entry.host, &entry.user));
    list.insert(0, entry);
    list
}

/// Drops the row with this kind, host and user, if there is one.
pub(crate) fn without(
    mut list: Vec<StoredCredential>,
    kind: CredentialKind,
    host: &str,
    user: &str,
) -> Vec<StoredCredential> {
    list.retain(|row| !same_key(row, kind, host, user));
    list
}

/// The user most recently stored for this kind and host.
pub(crate) fn latest_user(
    list: &[StoredCredential],
    kind: CredentialKind,
    host: &str,
) -> Option<String> {
    list.iter()
        .find(|row| row.kind == kind && row.host == host)
        .map(|row| row.user.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use CredentialKind::{HttpsToken, SshKeyPassphrase};

    fn row(kind: CredentialKind, host: &str, user: &str) -> StoredCredential {
        StoredCredential {
            kind,
            host: host.into(),
            user: user.into(),
        }
    }

    #[test]
    fn storing_again_moves_the_row_to_the_top_without_duplicating_it() {
        let list = vec![row(HttpsToken, "a", "alice"), row(HttpsToken, "b", "bob")];
        let list = remember(list, row(HttpsToken, "b", "bob"));
        assert_eq!(
            list,
            vec![row(HttpsToken, "b", "bob"), row(HttpsToken, "a", "alice")]
        );
    }

    #[test]
    fn rows_differing_only_in_kind_or_user_are_distinct() {
        let list = remember(Vec::new(), row(HttpsToken, "h", "alice"));
        let list = remember(list, row(HttpsToken, "h", "bob"));
        let list = remember(list, row(SshKeyPassphrase, "h", "alice"));
        assert_eq!(list.len(), 3);
        let list = without(list, HttpsToken, "h", "alice");
        assert_eq!(
            list,
            vec![
                row(SshKeyPassphrase, "h", "alice"),
                row(HttpsToken, "h", "bob")
            ]
        );
    }

    #[test]
    fn the_latest_user_for_a_host_is_the_one_stored_last() {
        let list = remember(Vec::new(), row(HttpsToken, "h", "alice"));
        let list = remember(list, row(HttpsToken, "h", "bob"));
        let list = remember(list, row(HttpsToken, "other", "carol"));
        let list = remember(list, row(SshKeyPassphrase, "h", "/k"));
        assert_eq!(latest_user(&list, HttpsToken, "h").as_deref(), Some("bob"));
        let list = remember(list, row(HttpsToken, "h", "alice"));
        assert_eq!(
            latest_user(&list, HttpsToken, "h").as_deref(),
            Some("alice")
        );
        assert_eq!(latest_user(&list, HttpsToken, "nowhere"), None);
    }

    #[test]
    fn a_corrupt_or_future_file_reads_as_empty_and_is_replaced_on_save() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(FILE_NAME);
        assert!(load(&file).is_empty(), "a missing file is empty");
        std::fs::write(&file, b"{not json").unwrap();
        assert!(load(&file).is_empty());
        std::fs::write(
            &file,
            br#"{"version":2,"credentials":[{"kind":"https_token","host":"h","user":"u"}]}"#,
        )
        .unwrap();
        assert!(load(&file).is_empty());
        save(&file, &[row(HttpsToken, "h", "u")]).unwrap();
        assert_eq!(load(&file), vec![row(HttpsToken, "h", "u")]);
    }

    #[test]
    fn the_file_is_plain_versioned_json() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("nested").join(FILE_NAME);
        save(
            &file,
            &[row(SshKeyPassphrase, "github.com", "/home/a/.ssh/id")],
        )
        .unwrap();
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "version": 1,
                "credentials": [
                    {"kind": "ssh_key_passphrase", "host": "github.com", "user": "/home/a/.ssh/id"}
                ]
            })
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_file_is_readable_only_by_its_owner() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(FILE_NAME);
        save(&file, &[row(HttpsToken, "h", "u")]).unwrap();
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
