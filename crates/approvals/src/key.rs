//! Which key approvals are signed with: [`resolve_signing_key`] reads git's `user.signingkey`
//! (a private key file, a public key file, or `key::ssh-…`) into a [`KeyChoice`], and a
//! [`SigningKey`] is either a key loaded from its file ([`crate::signing`]) or one the SSH agent
//! holds ([`crate::agent`]).

use crate::agent::AgentKey;
use crate::signing::{fingerprint, sign, SigningError};
use ssh_key::{PrivateKey, PublicKey};
use std::path::PathBuf;

/// What approvals are signed with: a private key loaded from its file, or a key the agent holds.
// One is made per approval: not worth a Box that every caller would have to write.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum SigningKey {
    File(PrivateKey),
    Agent(AgentKey),
}

impl SigningKey {
    pub fn public_key(&self) -> &PublicKey {
        match self {
            SigningKey::File(key) => key.public_key(),
            SigningKey::Agent(key) => key.public_key(),
        }
    }

    /// The SHA-256 fingerprint of the key, as `ssh-keygen -l` prints it.
    pub fn fingerprint(&self) -> String {
        fingerprint(self.public_key())
    }

    /// Signs `record_bytes` as [`sign`] does: SSHSIG, namespace `wheelhouse`, SHA-512, armored.
    pub fn sign(&self, record_bytes: &[u8]) -> Result<String, SigningError> {
        match self {
            SigningKey::File(key) => sign(record_bytes, key),
            SigningKey::Agent(key) => key.sign(record_bytes),
        }
    }
}

impl From<PrivateKey> for SigningKey {
    fn from(key: PrivateKey) -> Self {
        SigningKey::File(key)
    }
}

impl From<AgentKey> for SigningKey {
    fn from(key: AgentKey) -> Self {
        SigningKey::Agent(key)
    }
}

/// Where the signing key is, as git reads `user.signingkey` for SSH signing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyChoice {
    /// A private key file: loaded (and decrypted) here.
    File(PathBuf),
    /// A public key (a `.pub` file, or written out in the setting): its private half is in the
    /// SSH agent, which signs.
    Agent(PublicKey),
}

/// Reads a `user.signingkey` value (or `--key`) as git does for `gpg.format=ssh`:
/// `key::ssh-ed25519 AAAA…` (or, git's older form, a value starting with `ssh-`) is a literal
/// public key; anything else is a path, `~/` meaning the home folder. A path to a public key file
/// means the agent signs; any other file is taken as a private key (and is checked when loaded).
///
/// Pure but for reading the file to tell a public key from a private one.
pub fn resolve_signing_key(setting: &str) -> Result<KeyChoice, SigningError> {
    let value = setting.trim();
    if value.is_empty() {
        return Err(SigningError::NoSigningKey);
    }
    let literal = value
        .strip_prefix("key::")
        .or_else(|| value.starts_with("ssh-").then_some(value));
    if let Some(text) = literal {
        return PublicKey::from_openssh(text.trim())
            .map(KeyChoice::Agent)
            .map_err(|e| SigningError::InvalidPublicKey {
                value: abbreviate(value),
                reason: e.to_string(),
            });
    }
    let path = expand_home(value);
    let text = std::fs::read(&path).map_err(|e| SigningError::KeyUnreadable {
        path: path.clone(),
        reason: e.to_string(),
    })?;
    let text = String::from_utf8_lossy(&text);
    let first_line = text.lines().map(str::trim).find(|l| !l.is_empty());
    match first_line.map(PublicKey::from_openssh) {
        Some(Ok(public)) => Ok(KeyChoice::Agent(public)),
        _ => Ok(KeyChoice::File(path)),
    }
}

/// A public key is long; an error names its start.
fn abbreviate(value: &str) -> String {
    match value.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &value[..at]),
        None => value.to_string(),
    }
}

/// `~` and `~/…` → the home folder, as git's `interpolate_path` does (`~user/` is left as is).
fn expand_home(value: &str) -> PathBuf {
    let home = || {
        std::env::var_os("HOME")
            .or_else(|| std::env::var_os("USERPROFILE"))
            .map(PathBuf::from)
    };
    if value == "~" {
        if let Some(h) = home() {
            return h;
        }
    }
    if let Some(rest) = value.strip_prefix("~/") {
        if let Some(h) = home() {
            return h.join(rest);
        }
    }
    PathBuf::from(value)
}
