//! What a credential is for and how it is named: its kind, its host and user, and the keyring
//! entry they map to (the scheme is in the crate doc). Everything here is pure.

use crate::SecretsError;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What a stored secret unlocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CredentialKind {
    /// A user name and a token or password for an HTTPS Git host.
    HttpsToken,
    /// The passphrase of an SSH private key; the credential's user is the key file's path.
    SshKeyPassphrase,
    /// A status page channel's secret (a webhook address, a signing key); the credential's
    /// user is the secret's name in `subscribers.yaml`.
    ChannelSecret,
}

impl CredentialKind {
    /// The keyring service name for this kind (see the crate doc).
    pub(crate) fn service(self) -> &'static str {
        match self {
            CredentialKind::HttpsToken => "wheelhouse:https",
            CredentialKind::SshKeyPassphrase => "wheelhouse:ssh",
            CredentialKind::ChannelSecret => "wheelhouse:notify",
        }
    }

    fn default_port(self) -> u16 {
        match self {
            CredentialKind::HttpsToken => 443,
            CredentialKind::SshKeyPassphrase => 22,
            CredentialKind::ChannelSecret => 443,
        }
    }
}

/// A credential the store holds, as listed in Settings: what and for whom, never the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StoredCredential {
    pub kind: CredentialKind,
    /// The normalised host (see [`normalize_host`]).
    pub host: String,
    /// The user name (HTTPS) or the key file path (SSH).
    pub user: String,
}

/// The canonical form of a host, so that `GIT.Example.com`, `git.example.com:443` and
/// `git.example.com.` name the same HTTPS credential.
///
/// Takes `host` or `host:port` (IPv6 in brackets: `[::1]:8443`): trims it, lowercases it, drops a
/// trailing dot and drops the kind's default port (443 for HTTPS, 22 for SSH). Refuses URLs,
/// paths, `user@host` and anything empty, because those would silently name a different entry.
pub fn normalize_host(kind: CredentialKind, host: &str) -> Result<String, SecretsError> {
    let trimmed = host.trim();
    if trimmed.is_empty() {
        return Err(SecretsError::invalid(
            "The host is empty. Give the Git host's name, such as git.example.com.",
        ));
    }
    if trimmed.contains("://") || trimmed.contains('/') {
        return Err(SecretsError::invalid(format!(
            "{trimmed} is a URL or a path, not a host. Give only the host's name, such as git.example.com."
        )));
    }
    if trimmed.contains('@') {
        return Err(SecretsError::invalid(format!(
            "{trimmed} includes a user name. Give the host and the user separately."
        )));
    }
    if trimmed.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(SecretsError::invalid(format!(
            "{trimmed:?} contains spaces or control characters, so it is not a host name."
        )));
    }

    let (name, port) = split_port(trimmed)?;
    let name = name.strip_suffix('.').unwrap_or(name).to_lowercase();
    if name.is_empty() || name == "[]" {
        return Err(SecretsError::invalid(format!(
            "{trimmed} has a port but no host name."
        )));
    }
    Ok(match port {
        Some(port) if port != kind.default_port() => format!("{name}:{port}"),
        _ => name,
    })
}

fn split_port(host: &str) -> Result<(&str, Option<u16>), SecretsError> {
    let (name, port) = if host.starts_with('[') {
        let Some(end) = host.find(']') else {
            return Err(SecretsError::invalid(format!(
                "{host} opens an IPv6 address with [ but never closes it."
            )));
        };
        let (name, rest) = host.split_at(end + 1);
        match rest {
            "" => (name, None),
            _ => match rest.strip_prefix(':') {
                Some(port) => (name, Some(port)),
                None => {
                    return Err(SecretsError::invalid(format!(
                        "{host} has text after its IPv6 address that is not a port."
                    )))
                }
            },
        }
    } else {
        match host.split_once(':') {
            None => (host, None),
            Some((_, rest)) if rest.contains(':') => {
                return Err(SecretsError::invalid(format!(
                    "{host} looks like an IPv6 address; write it in brackets, such as [{host}]."
                )))
            }
            Some((name, port)) => (name, Some(port)),
        }
    };
    let port = match port {
        None | Some("") => None,
        Some(digits) => match digits.parse::<u16>() {
            Ok(port) if port > 0 && digits.bytes().all(|b| b.is_ascii_digit()) => Some(port),
            _ => {
                return Err(SecretsError::invalid(format!(
                    "{host} has {digits:?} as its port; a port is a number from 1 to 65535."
                )))
            }
        },
    };
    Ok((name, port))
}

/// Checks a user name or key path before it becomes part of a keyring entry's name.
pub(crate) fn check_user(user: &str) -> Result<(), SecretsError> {
    if user.trim().is_empty() {
        return Err(SecretsError::invalid(
            "The user is empty. Give the user name (or, for an SSH key, the key file's path).",
        ));
    }
    if user.chars().any(char::is_control) {
        return Err(SecretsError::invalid(
            "The user contains control characters (such as a line break). Give the user name as one line.",
        ));
    }
    Ok(())
}

/// The keyring account for a normalised host and a user (see the crate doc).
pub(crate) fn account(host: &str, user: &str) -> String {
    format!("{host}/{user}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SecretsErrorCode;
    use CredentialKind::{HttpsToken, SshKeyPassphrase};

    fn norm(kind: CredentialKind, host: &str) -> String {
        normalize_host(kind, host).unwrap_or_else(|e| panic!("{host}: {e}"))
    }

    fn refused(kind: CredentialKind, host: &str) -> String {
        match normalize_host(kind, host) {
            Ok(ok) => panic!("{host:?} was accepted as {ok:?}"),
            Err(e) => {
                assert_eq!(e.code(), SecretsErrorCode::InvalidInput);
                e.to_string()
            }
        }
    }

    #[test]
    fn case_and_the_default_https_port_do_not_change_the_key() {
        assert_eq!(norm(HttpsToken, "GIT.Example.com"), "git.example.com");
        assert_eq!(norm(HttpsToken, "git.example.com:443"), "git.example.com");
        assert_eq!(
            norm(HttpsToken, "  Git.Example.COM:443 "),
            "git.example.com"
        );
        assert_eq!(norm(HttpsToken, "git.example.com."), "git.example.com");
        assert_eq!(norm(HttpsToken, "git.example.com:"), "git.example.com");
    }

    #[test]
    fn other_ports_are_kept_because_they_may_be_other_servers() {
        assert_eq!(
            norm(HttpsToken, "git.example.com:8443"),
            "git.example.com:8443"
        );
        assert_eq!(
            norm(HttpsToken, "git.example.com:08443"),
            "git.example.com:8443"
        );
        assert_eq!(norm(HttpsToken, "git.example.com:22"), "git.example.com:22");
    }

    #[test]
    fn ssh_drops_port_22_and_keeps_443() {
        assert_eq!(norm(SshKeyPassphrase, "GitHub.com:22"), "github.com");
        assert_eq!(norm(SshKeyPassphrase, "github.com:443"), "github.com:443");
    }

    #[test]
    fn ipv6_addresses_keep_their_brackets() {
        assert_eq!(norm(HttpsToken, "[::1]:443"), "[::1]");
        assert_eq!(norm(HttpsToken, "[FE80::1]:8443"), "[fe80::1]:8443");
        assert!(refused(HttpsToken, "fe80::1").contains("brackets"));
        refused(HttpsToken, "[::1");
        refused(HttpsToken, "[::1]x");
    }

    #[test]
    fn urls_paths_users_and_empty_hosts_are_refused_with_a_reason() {
        assert!(refused(HttpsToken, "https://git.example.com").contains("not a host"));
        assert!(refused(HttpsToken, "git.example.com/org/repo").contains("not a host"));
        assert!(refused(HttpsToken, "alice@git.example.com").contains("user name"));
        assert!(refused(HttpsToken, "   ").contains("empty"));
        assert!(refused(HttpsToken, "git example.com").contains("spaces"));
        refused(HttpsToken, ":443");
    }

    #[test]
    fn ports_must_be_numbers_from_1_to_65535() {
        for bad in ["h:0", "h:65536", "h:https", "h:+443", "h:-1"] {
            assert!(refused(HttpsToken, bad).contains("port"), "{bad}");
        }
    }

    #[test]
    fn the_account_is_host_slash_user_even_when_the_user_is_a_path() {
        assert_eq!(
            account("github.com", "/home/alice/.ssh/id_ed25519"),
            "github.com//home/alice/.ssh/id_ed25519"
        );
        assert_eq!(
            account("git.example.com:8443", "alice"),
            "git.example.com:8443/alice"
        );
        assert_eq!(HttpsToken.service(), "wheelhouse:https");
        assert_eq!(SshKeyPassphrase.service(), "wheelhouse:ssh");
    }

    #[test]
    fn empty_users_and_users_with_line_breaks_are_refused() {
        assert!(check_user("alice").is_ok());
        assert!(check_user("C:\\Users\\alice\\.ssh\\id_rsa").is_ok());
        assert!(check_user("").is_err());
        assert!(check_user("  ").is_err());
        assert!(check_user("alice\nbob").is_err());
    }

    #[test]
    fn kinds_have_stable_wire_names() {
        assert_eq!(
            serde_json::to_string(&HttpsToken).unwrap(),
            "\"https_token\""
        );
        assert_eq!(
            serde_json::to_string(&SshKeyPassphrase).unwrap(),
            "\"ssh_key_passphrase\""
        );
    }
}
