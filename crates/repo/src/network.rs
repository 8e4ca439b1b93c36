//! Talking to remotes: progress, cancellation and credentials for clone, fetch and push.
//!
//! Every network operation takes a [`Network`]: a cancel flag, a progress sink and a credential
//! source. The credential source is a plain closure so the CLI can ask on the terminal and the app
//! can ask in a dialog, both after looking in the keyring. Credentials that worked are reported
//! back through [`Network::accepted`] so the caller can store them *after* success only: a wrong
//! password is never stored.

use crate::{redact_url, Error};
use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;
use ts_rs::TS;
use wheelhouse_secrets::{CredentialKind as StoredKind, CredentialStore, Secret};

/// What a long network operation is doing now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TransferPhase {
    Connecting,
    Receiving,
    Resolving,
    CheckingOut,
    Pushing,
    Done,
}

/// Progress of a clone, fetch or push. Totals are known once the server has said them.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct TransferProgress {
    pub phase: TransferPhase,
    pub objects_done: u32,
    pub objects_total: u32,
    #[ts(type = "number")]
    pub bytes: u64,
    /// Average rate since the transfer started, bytes per second.
    #[ts(type = "number")]
    pub bytes_per_second: u64,
}

/// What the remote asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AuthMethod {
    /// HTTPS: a user name and a password or token.
    UserPassword,
    /// SSH: a key (the agent was tried first) and maybe its passphrase.
    SshKey,
}

/// A request for credentials, safe to show: the URL is redacted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CredentialRequest {
    pub url: String,
    pub host: String,
    /// The user named in the URL, if any.
    pub username: Option<String>,
    pub method: AuthMethod,
    /// 1 for the first request of this operation; more means the previous answer was rejected.
    pub attempt: u32,
}

/// An answer to a [`CredentialRequest`]. The secret never leaves the core: it is handed to
/// libgit2 and, once the operation succeeded, to the keyring.
#[derive(Debug)]
pub enum Credential {
    UserPassword {
        username: String,
        password: Secret,
    },
    SshKey {
        username: String,
        private_key: std::path::PathBuf,
        passphrase: Option<Secret>,
    },
    /// A credential read from the keyring: used like the one inside, but never stored again (a
    /// credential forgotten while an operation was using it must stay forgotten).
    Stored(Box<Credential>),
}

impl Credential {
    fn inner(&self) -> &Credential {
        match self {
            Credential::Stored(inner) => inner.inner(),
            other => other,
        }
    }

    fn username(&self) -> &str {
        match self.inner() {
            Credential::UserPassword { username, .. } | Credential::SshKey { username, .. } => {
                username
            }
            Credential::Stored(_) => unreachable!("inner() unwraps Stored"),
        }
    }
}

type ProgressSink<'a> = Box<dyn FnMut(&TransferProgress) + 'a>;
type CredentialSource<'a> = Box<dyn FnMut(&CredentialRequest) -> Option<Credential> + 'a>;

/// Options shared by clone, fetch and push.
pub struct Network<'a> {
    cancel: Arc<AtomicBool>,
    progress: ProgressSink<'a>,
    credentials: CredentialSource<'a>,
    /// The credential that was last handed out, kept until the operation's outcome is known.
    pending: Option<(CredentialRequest, Credential)>,
    accepted: Option<(CredentialRequest, Credential)>,
    /// A credential from the source was handed to the remote (so an auth failure is a refusal).
    asked: bool,
    tried_helper: bool,
    tried_agent: bool,
    attempts: u32,
    started: Instant,
}

impl std::fmt::Debug for Network<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Network")
            .field("cancelled", &self.cancel.load(Ordering::Relaxed))
            .field("attempts", &self.attempts)
            .finish()
    }
}

impl Default for Network<'_> {
    fn default() -> Self {
        Self::new()
    }
}

/// How many times one operation asks for credentials before giving up: libgit2 asks again after
/// every 401, and an endless loop of prompts helps nobody.
const MAX_CREDENTIAL_ATTEMPTS: u32 = 3;

impl<'a> Network<'a> {
    /// No progress reporting, no credentials beyond git's credential helpers and the SSH agent.
    pub fn new() -> Self {
        Self {
            cancel: Arc::new(AtomicBool::new(false)),
            progress: Box::new(|_| {}),
            credentials: Box::new(|_| None),
            pending: None,
            accepted: None,
            asked: false,
            tried_helper: false,
            tried_agent: false,
            attempts: 0,
            started: Instant::now(),
        }
    }

    /// Cancels the operation when `flag` becomes true (checked at every progress step).
    pub fn cancel_with(mut self, flag: Arc<AtomicBool>) -> Self {
        self.cancel = flag;
        self
    }

    pub fn on_progress(mut self, sink: impl FnMut(&TransferProgress) + 'a) -> Self {
        self.progress = Box::new(sink);
        self
    }

    pub fn credentials(
        mut self,
        source: impl FnMut(&CredentialRequest) -> Option<Credential> + 'a,
    ) -> Self {
        self.credentials = Box::new(source);
        self
    }

    /// The credential from our source that the remote accepted, if one was needed; store it now.
    pub fn accepted(&mut self) -> Option<(CredentialRequest, Credential)> {
        self.accepted.take()
    }

    pub(crate) fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Called once the operation succeeded: the last credential handed out is the one that worked.
    pub(crate) fn succeeded(&mut self) {
        self.accepted = self.pending.take();
        self.report(TransferPhase::Done, 0, 0, 0);
    }

    fn report(&mut self, phase: TransferPhase, done: u32, total: u32, bytes: u64) {
        let elapsed = self.started.elapsed().as_secs_f64().max(0.001);
        (self.progress)(&TransferProgress {
            phase,
            objects_done: done,
            objects_total: total,
            bytes,
            bytes_per_second: (bytes as f64 / elapsed) as u64,
        });
    }

    /// libgit2 callbacks wired to this value. `config` is the repository's (or the user's) git
    /// configuration, used for credential helpers.
    pub(crate) fn callbacks<'b>(
        &'b mut self,
        config: Option<git2::Config>,
    ) -> git2::RemoteCallbacks<'b>
    where
        'a: 'b,
    {
        let mut cb = git2::RemoteCallbacks::new();
        // libgit2 calls these callbacks one at a time on this thread: share the borrow.
        let shared = std::rc::Rc::new(std::cell::RefCell::new(self));
        let s1 = shared.clone();
        cb.transfer_progress(move |p| {
            let mut net = s1.borrow_mut();
            if net.cancelled() {
                return false;
            }
            let phase = if p.received_objects() < p.total_objects() || p.total_objects() == 0 {
                TransferPhase::Receiving
            } else {
                TransferPhase::Resolving
            };
            let (done, total) = if phase == TransferPhase::Resolving {
                (p.indexed_deltas() as u32, p.total_deltas() as u32)
            } else {
                (p.received_objects() as u32, p.total_objects() as u32)
            };
            net.report(phase, done, total, p.received_bytes() as u64);
            true
        });
        let s2 = shared.clone();
        cb.sideband_progress(move |_| !s2.borrow().cancelled());
        let s3 = shared.clone();
        cb.push_transfer_progress(move |current, total, bytes| {
            let mut net = s3.borrow_mut();
            net.report(
                TransferPhase::Pushing,
                current as u32,
                total as u32,
                bytes as u64,
            );
        });
        let s4 = shared;
        cb.credentials(move |url, username_from_url, allowed| {
            let mut net = s4.borrow_mut();
            net.answer(url, username_from_url, allowed, config.as_ref())
        });
        cb
    }

    fn answer(
        &mut self,
        url: &str,
        username_from_url: Option<&str>,
        allowed: git2::CredentialType,
        config: Option<&git2::Config>,
    ) -> Result<git2::Cred, git2::Error> {
        if self.cancelled() {
            return Err(git2::Error::from_str("cancelled"));
        }
        if allowed.contains(git2::CredentialType::USERNAME) {
            return git2::Cred::username(username_from_url.unwrap_or("git"));
        }
        if allowed.contains(git2::CredentialType::SSH_KEY) && !self.tried_agent {
            self.tried_agent = true;
            if let Ok(cred) = git2::Cred::ssh_key_from_agent(username_from_url.unwrap_or("git")) {
                return Ok(cred);
            }
        }
        if allowed.contains(git2::CredentialType::USER_PASS_PLAINTEXT) && !self.tried_helper {
            self.tried_helper = true;
            if let Some(config) = config {
                if let Ok(cred) = git2::Cred::credential_helper(config, url, username_from_url) {
                    return Ok(cred);
                }
            }
        }
        self.attempts += 1;
        if self.attempts > MAX_CREDENTIAL_ATTEMPTS {
            return Err(git2::Error::new(
                git2::ErrorCode::Auth,
                git2::ErrorClass::Http,
                "too many failed authentication attempts",
            ));
        }
        let method = if allowed.contains(git2::CredentialType::USER_PASS_PLAINTEXT) {
            AuthMethod::UserPassword
        } else {
            AuthMethod::SshKey
        };
        let request = CredentialRequest {
            url: redact_url(url),
            host: host_of(url),
            username: username_from_url.map(str::to_owned),
            method,
            attempt: self.attempts,
        };
        let Some(credential) = (self.credentials)(&request) else {
            // Nothing stored and nobody to ask (the background sync): the remote needs a sign-in,
            // which is not the same as refusing one.
            return Err(git2::Error::new(
                git2::ErrorCode::Auth,
                git2::ErrorClass::Http,
                "no credentials were given",
            ));
        };
        let cred = match credential.inner() {
            Credential::UserPassword { username, password } => {
                git2::Cred::userpass_plaintext(username, password.expose())
            }
            Credential::SshKey {
                username,
                private_key,
                passphrase,
            } => git2::Cred::ssh_key(
                username,
                None,
                private_key,
                passphrase.as_ref().map(Secret::expose),
            ),
            Credential::Stored(_) => unreachable!("inner() unwraps Stored"),
        };
        self.asked = true;
        self.pending = Some((request, credential));
        cred
    }

    /// Maps a libgit2 failure of a network operation on `url` to an error people can act on.
    pub(crate) fn error(&self, what: &str, url: &str, e: git2::Error) -> Error {
        let safe_url = redact_url(url);
        if self.cancelled() || e.code() == git2::ErrorCode::User {
            return Error::Cancelled { what: what.into() };
        }
        let reason = scrub_secret(url, e.message());
        if e.code() == git2::ErrorCode::Auth || reason.contains("authentication") {
            let user = self
                .pending
                .as_ref()
                .map(|(_, c)| c.username().to_owned())
                .unwrap_or_else(|| "(no user)".into());
            return if self.asked {
                Error::AuthFailed {
                    url: safe_url,
                    user,
                }
            } else {
                Error::AuthRequired { url: safe_url }
            };
        }
        let local = url.starts_with("file://") || !url.contains("://") && !url.contains(':');
        if local {
            return Error::NotAGitRemote {
                url: safe_url,
                reason,
            };
        }
        match e.class() {
            git2::ErrorClass::Net | git2::ErrorClass::Os | git2::ErrorClass::Ssl
                if !reason.contains("404") =>
            {
                Error::RemoteUnreachable {
                    url: safe_url,
                    reason,
                }
            }
            git2::ErrorClass::Http | git2::ErrorClass::Net => Error::NotAGitRemote {
                url: safe_url,
                reason,
            },
            git2::ErrorClass::Repository if e.code() == git2::ErrorCode::NotFound => {
                Error::NotAGitRemote {
                    url: safe_url,
                    reason,
                }
            }
            _ => Error::CloneFailed {
                url: safe_url,
                reason,
            },
        }
    }
}

/// A credential source that answers from the keyring first and asks `ask` (a terminal prompt, a
/// dialog) only when the keyring has nothing for the host or what it had was rejected.
pub fn keyring_first<'a>(
    store: &'a CredentialStore,
    mut ask: impl FnMut(&CredentialRequest) -> Option<Credential> + 'a,
) -> impl FnMut(&CredentialRequest) -> Option<Credential> + 'a {
    move |request| {
        if request.attempt == 1 {
            if let Some(stored) = from_keyring(store, request) {
                return Some(stored);
            }
        }
        ask(request)
    }
}

fn from_keyring(store: &CredentialStore, request: &CredentialRequest) -> Option<Credential> {
    match request.method {
        AuthMethod::UserPassword => {
            let user = request
                .username
                .clone()
                .or_else(|| store.lookup_user(StoredKind::HttpsToken, &request.host))?;
            let password = store
                .get(StoredKind::HttpsToken, &request.host, &user)
                .ok()??;
            Some(Credential::Stored(Box::new(Credential::UserPassword {
                username: user,
                password,
            })))
        }
        AuthMethod::SshKey => {
            let key = store.lookup_user(StoredKind::SshKeyPassphrase, &request.host)?;
            let passphrase = store
                .get(StoredKind::SshKeyPassphrase, &request.host, &key)
                .ok()?;
            Some(Credential::Stored(Box::new(Credential::SshKey {
                username: request.username.clone().unwrap_or_else(|| "git".into()),
                private_key: key.into(),
                passphrase,
            })))
        }
    }
}

/// Stores the credential a remote accepted (see [`Network::accepted`]) in the keyring, unless it
/// came from the keyring in the first place.
pub fn remember_accepted(
    store: &CredentialStore,
    accepted: Option<(CredentialRequest, Credential)>,
) -> Result<(), wheelhouse_secrets::SecretsError> {
    let Some((request, credential)) = accepted else {
        return Ok(());
    };
    if request.host.is_empty() {
        return Ok(());
    }
    match credential {
        Credential::UserPassword { username, password } => store
            .store(StoredKind::HttpsToken, &request.host, &username, &password)
            .map(drop),
        Credential::SshKey {
            private_key,
            passphrase: Some(passphrase),
            ..
        } => store
            .store(
                StoredKind::SshKeyPassphrase,
                &request.host,
                &private_key.to_string_lossy(),
                &passphrase,
            )
            .map(drop),
        Credential::SshKey { .. } | Credential::Stored(_) => Ok(()),
    }
}

/// The host of a URL (`https://`, `ssh://`, `file://`) or of an scp-style address (`git@host:path`).
pub fn host_of(url: &str) -> String {
    if let Ok(parsed) = url::Url::parse(url) {
        if let Some(host) = parsed.host_str() {
            return match parsed.port() {
                Some(port) => format!("{host}:{port}"),
                None => host.to_owned(),
            };
        }
        return String::new();
    }
    url.split_once(':')
        .map(|(left, _)| left.rsplit('@').next().unwrap_or(left).to_owned())
        .unwrap_or_default()
}

/// Whether `url` is something Git can fetch from: a URL with a scheme Git speaks, an scp-style
/// SSH address, or an existing local path.
pub fn check_url(url: &str) -> Result<(), Error> {
    let invalid = || Error::InvalidUrl {
        url: redact_url(url),
    };
    let url = url.trim();
    if url.is_empty() || url.chars().any(char::is_whitespace) {
        return Err(invalid());
    }
    match url::Url::parse(url) {
        Ok(parsed) => match parsed.scheme() {
            "https" | "http" | "ssh" | "git" | "file" => {
                if parsed.scheme() != "file" && parsed.host_str().unwrap_or_default().is_empty() {
                    return Err(invalid());
                }
                Ok(())
            }
            _ => Err(invalid()),
        },
        Err(_) => {
            let scp_like = url.split_once(':').is_some_and(|(host, path)| {
                !host.is_empty()
                    && !host.contains('/')
                    && !path.is_empty()
                    && !path.starts_with("//")
            });
            if scp_like || std::path::Path::new(url).exists() {
                Ok(())
            } else {
                Err(invalid())
            }
        }
    }
}

/// libgit2 messages sometimes quote the URL: remove the password (and the URL as typed) from them.
pub(crate) fn scrub_secret(url: &str, message: &str) -> String {
    let mut out = message.replace(url, &redact_url(url));
    if let Some(password) = url::Url::parse(url)
        .ok()
        .and_then(|u| u.password().map(str::to_owned))
        .filter(|p| !p.is_empty())
    {
        out = out.replace(&password, "***");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_read_from_urls_and_scp_addresses() {
        assert_eq!(
            host_of("https://git.example.com/acme.git"),
            "git.example.com"
        );
        assert_eq!(host_of("http://127.0.0.1:8080/acme.git"), "127.0.0.1:8080");
        assert_eq!(
            host_of("ssh://git@git.example.com:2222/acme.git"),
            "git.example.com:2222"
        );
        assert_eq!(host_of("git@github.com:acme/gitops.git"), "github.com");
        assert_eq!(host_of("file:///srv/git/a.git"), "");
    }

    #[test]
    fn malformed_urls_are_refused_before_any_network_work() {
        for bad in [
            "",
            "   ",
            "htp//nowhere",
            "https://",
            "ftp://example.com/a.git",
            "not a url",
        ] {
            assert!(check_url(bad).is_err(), "{bad:?} was accepted");
        }
        for good in [
            "https://git.example.com/acme.git",
            "ssh://git@host/acme.git",
            "git@github.com:acme/gitops.git",
            "file:///srv/git/a.git",
        ] {
            assert!(check_url(good).is_ok(), "{good:?} was refused");
        }
    }

    #[test]
    fn a_password_quoted_in_a_git_message_is_scrubbed() {
        let url = "https://maya:hunter2@git.example.com/acme.git";
        let message = format!("unexpected http status 500 for {url} (token hunter2)");
        let clean = scrub_secret(url, &message);
        assert!(!clean.contains("hunter2"), "{clean}");
        assert!(
            clean.contains("https://maya@git.example.com/acme.git"),
            "{clean}"
        );
    }

    #[test]
    fn credentials_never_print_their_secret() {
        let c = Credential::UserPassword {
            username: "maya".into(),
            password: Secret::new("hunter2"),
        };
        assert!(!format!("{c:?}").contains("hunter2"));
    }
}
