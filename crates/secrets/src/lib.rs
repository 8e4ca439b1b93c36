//! Credentials for Git remotes in the OS keyring, and a [`Secret`] type that cannot leak.
//!
//! This crate is the only place that reads or writes credentials. [`CredentialStore`] keeps
//! HTTPS tokens and SSH key passphrases in the OS keyring (Secret Service on Linux, Keychain on
//! macOS, Credential Manager on Windows), keyed by [`CredentialKind`], host and user, and keeps a
//! small index of what it stored (never the secrets) in the app's data folder, because keyrings
//! cannot be listed portably. [`Secret`] wraps every secret: it prints as `Secret(***)` and has
//! no `Serialize`, so it never reaches a log, an error message, a file or the UI.
//!
//! Not for: deciding which credential a remote needs or talking to Git (the repo crate asks this
//! one), prompting the user (the UI), or keeping secrets anywhere but the keyring. There is no
//! file fallback: without a keyring, storing fails with
//! [`SecretsErrorCode::KeyringUnavailable`] and a message telling the user to unlock or install one.
//!
//! # Keyring naming scheme
//!
//! | kind               | keyring service    | keyring account (user name) | secret            |
//! |--------------------|--------------------|-----------------------------|-------------------|
//! | `HttpsToken`       | `wheelhouse:https` | `<host>/<user>`             | token or password |
//! | `SshKeyPassphrase` | `wheelhouse:ssh`   | `<host>/<key file path>`    | key passphrase    |
//!
//! `<host>` is the output of [`normalize_host`]: lowercase, default port removed, other ports
//! kept (`git.example.com`, `git.example.com:8443`, `[::1]:2222`). A host never contains `/`, so
//! the account splits unambiguously at its first `/` even when the user is a path. Secrets are
//! UTF-8 text. On Linux an entry is a Secret Service item in the default collection with the
//! attributes `service`, `username`, `target=default` and `application=rust-keyring` (set by the
//! `keyring` crate); on macOS a generic password; on Windows a generic credential.
//!
//! The index is `credential-index.json` in the folder given to [`CredentialStore::new`]:
//! `{"version": 1, "credentials": [{"kind", "host", "user"}, ...]}`, most recently stored first.

mod credential;
mod error;
mod index;
mod secret;
mod store;

pub use credential::{normalize_host, CredentialKind, StoredCredential};
pub use error::{SecretsError, SecretsErrorCode};
pub use secret::Secret;
pub use store::CredentialStore;
