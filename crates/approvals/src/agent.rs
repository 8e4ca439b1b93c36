//! Signing approval records through the SSH agent, as `ssh-keygen -Y sign` does when the private
//! key is not at hand: the agent lists the public keys it holds, and signs the SSHSIG "signed data"
//! blob with one of them. The private key never leaves the agent.
//!
//! The agent protocol is spoken by the `ssh-agent-client-rs` crate (request identities, sign
//! request with the `rsa-sha2-512` flag for RSA keys). Every function takes the agent's socket
//! explicitly; [`default_socket`] is the one that reads the environment (`SSH_AUTH_SOCK`, or the
//! OpenSSH agent's named pipe on Windows).

use crate::signing::{self, SigningError, NAMESPACE};
use serde::Serialize;
use ssh_agent_client_rs::{Client, Identity};
use ssh_key::public::KeyData;
use ssh_key::{HashAlg, LineEnding, PublicKey, SshSig};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// One key the agent holds, as `ssh-add -l` lists it, with what it takes to choose it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AgentIdentity {
    /// `SHA256:…`, as `ssh-keygen -l` prints it.
    pub fingerprint: String,
    /// The key's algorithm: `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`…
    pub algorithm: String,
    /// The comment the key was added with (often `user@host` or the file it came from).
    pub comment: String,
    /// The public key in OpenSSH format, without its comment: what `user.signingkey` takes after
    /// `key::`.
    pub public_key: String,
    /// The agent holds an SSH certificate for this key rather than the plain key.
    pub certificate: bool,
}

/// The agent's socket from the environment: `SSH_AUTH_SOCK`, else (on Windows) the OpenSSH
/// agent's named pipe. [`SigningError::AgentUnavailable`] when there is none.
pub fn default_socket() -> Result<PathBuf, SigningError> {
    socket_from(std::env::var_os("SSH_AUTH_SOCK"))
}

fn socket_from(value: Option<OsString>) -> Result<PathBuf, SigningError> {
    match value {
        Some(v) if !v.is_empty() => Ok(PathBuf::from(v)),
        _ if cfg!(windows) => Ok(PathBuf::from(r"\\.\pipe\openssh-ssh-agent")),
        _ => Err(SigningError::AgentUnavailable {
            reason: "SSH_AUTH_SOCK is not set".to_string(),
        }),
    }
}

fn connect(socket: &Path) -> Result<Client, SigningError> {
    Client::connect(socket).map_err(|e| SigningError::AgentUnavailable {
        reason: format!("could not connect to {}: {}", socket.display(), cause(&e)),
    })
}

/// A short, secret-free account of a protocol error (the crate's own messages are vague; the
/// I/O error underneath says what happened).
fn cause(e: &ssh_agent_client_rs::Error) -> String {
    use ssh_agent_client_rs::Error as E;
    match e {
        E::AgentCommunicationError(io) => io.to_string(),
        E::RemoteFailure => "the agent refused the request".to_string(),
        E::UnknownMessageType(t) => format!("the agent sent an unknown message (type {t})"),
        E::InvalidMessage(_) | E::SSHKey(_) | E::SSHEncoding(_) => {
            "the agent sent an answer that is not valid SSH agent protocol".to_string()
        }
    }
}

fn list_with(client: &mut Client, socket: &Path) -> Result<Vec<Identity<'static>>, SigningError> {
    client
        .list_all_identities()
        .map_err(|e| SigningError::AgentUnavailable {
            reason: format!(
                "could not list the keys of the agent at {}: {}",
                socket.display(),
                cause(&e)
            ),
        })
}

/// The keys the agent at `socket` holds, in the agent's order.
pub fn list_identities(socket: &Path) -> Result<Vec<AgentIdentity>, SigningError> {
    let identities = list_with(&mut connect(socket)?, socket)?;
    Ok(identities
        .iter()
        .map(|identity| {
            let (key_data, comment, certificate) = match identity {
                Identity::PublicKey(k) => (k.key_data(), k.comment(), false),
                Identity::Certificate(c) => (c.public_key(), c.comment(), true),
            };
            let bare = PublicKey::new(key_data.clone(), "");
            AgentIdentity {
                fingerprint: signing::fingerprint(&bare),
                algorithm: key_data.algorithm().as_str().to_string(),
                comment: comment.to_string(),
                public_key: bare
                    .to_openssh()
                    .map(|s| s.trim_end().to_string())
                    .unwrap_or_default(),
                certificate,
            }
        })
        .collect())
}

fn holds(identities: &[Identity<'_>], key: &KeyData) -> bool {
    identities.iter().any(|i| <&KeyData>::from(i) == key)
}

/// A public key whose private half the agent at [`socket`](AgentKey::socket) holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentKey {
    socket: PathBuf,
    public_key: PublicKey,
}

impl AgentKey {
    /// Checks that the agent at `socket` is reachable and holds `public_key`'s private half:
    /// [`SigningError::AgentUnavailable`] or [`SigningError::KeyNotInAgent`] otherwise.
    pub fn connect(socket: &Path, public_key: PublicKey) -> Result<AgentKey, SigningError> {
        let identities = list_with(&mut connect(socket)?, socket)?;
        if !holds(&identities, public_key.key_data()) {
            return Err(SigningError::KeyNotInAgent {
                fingerprint: signing::fingerprint(&public_key),
            });
        }
        Ok(AgentKey {
            socket: socket.to_path_buf(),
            public_key,
        })
    }

    /// [`AgentKey::connect`] to the agent of the environment ([`default_socket`]).
    pub fn from_env(public_key: PublicKey) -> Result<AgentKey, SigningError> {
        AgentKey::connect(&default_socket()?, public_key)
    }

    pub fn public_key(&self) -> &PublicKey {
        &self.public_key
    }

    pub fn socket(&self) -> &Path {
        &self.socket
    }

    /// Signs `record_bytes` for the `wheelhouse` namespace with SHA-512 through the agent, as
    /// `ssh-keygen -Y sign -f key.pub` does, and returns the armored signature (LF line endings),
    /// byte-compatible with [`signing::sign`]. RSA keys sign with `rsa-sha2-512`.
    pub fn sign(&self, record_bytes: &[u8]) -> Result<String, SigningError> {
        let fingerprint = || signing::fingerprint(&self.public_key);
        let failed = |reason: String| SigningError::SigningFailed { reason };
        let signed_data = SshSig::signed_data(NAMESPACE, HashAlg::Sha512, record_bytes)
            .map_err(|e| failed(e.to_string()))?;
        let mut client = connect(&self.socket)?;
        // The agent may have dropped the key since (ssh-add -d, a lifetime, a locked agent).
        let identities = list_with(&mut client, &self.socket)?;
        if !holds(&identities, self.public_key.key_data()) {
            return Err(SigningError::KeyNotInAgent {
                fingerprint: fingerprint(),
            });
        }
        let bare = PublicKey::new(self.public_key.key_data().clone(), "");
        let signature = client.sign(&bare, &signed_data).map_err(|e| match e {
            ssh_agent_client_rs::Error::RemoteFailure => SigningError::AgentRefused {
                fingerprint: fingerprint(),
            },
            ssh_agent_client_rs::Error::AgentCommunicationError(_) => {
                SigningError::AgentUnavailable {
                    reason: format!(
                        "the agent at {} stopped answering: {}",
                        self.socket.display(),
                        cause(&e)
                    ),
                }
            }
            other => failed(cause(&other)),
        })?;
        if let ssh_key::Algorithm::Rsa { hash } = signature.algorithm() {
            if hash != Some(HashAlg::Sha512) {
                return Err(failed(
                    "the SSH agent signed with SHA-1 (ssh-rsa), not rsa-sha2-512: update the agent"
                        .to_string(),
                ));
            }
        }
        let sig = SshSig::new(
            self.public_key.key_data().clone(),
            NAMESPACE,
            HashAlg::Sha512,
            signature,
        )
        .map_err(|e| failed(e.to_string()))?;
        // Never hand out a signature that would not verify (an agent answering with another key).
        bare.verify(NAMESPACE, record_bytes, &sig).map_err(|_| {
            failed("the SSH agent's signature does not verify with the chosen key".to_string())
        })?;
        sig.to_pem(LineEnding::LF)
            .map_err(|e| failed(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_socket_comes_from_ssh_auth_sock() {
        assert_eq!(
            socket_from(Some("/run/user/1000/agent.sock".into())).unwrap(),
            PathBuf::from("/run/user/1000/agent.sock")
        );
        if !cfg!(windows) {
            for unset in [None, Some(OsString::new())] {
                assert_eq!(socket_from(unset).unwrap_err().code(), "agent_unavailable");
            }
        }
    }
}
