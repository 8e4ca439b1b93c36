//! Why a credential could not be stored, read or forgotten: a stable code plus a sentence for people.
//!
//! Messages name the host, the user and the keyring entry, never the secret. Errors from the
//! keyring are turned into text when they are caught (their payload may hold the secret's bytes,
//! as `keyring::Error::BadEncoding` does), and any copy of the secret is scrubbed from that text.

use std::path::PathBuf;

/// The stable code of every [`SecretsError`]: one of the one list, `wheelhouse_diagnostics::ErrorCode`.
/// Consumers match on it, never on the message.
pub use wheelhouse_diagnostics::ErrorCode as SecretsErrorCode;

/// An error from the credential store. Neither its message nor its `Debug` output contains a secret.
#[derive(Debug, thiserror::Error)]
pub enum SecretsError {
    #[error("The system keyring is not available, so Wheelhouse could not {action} the credential for {user} at {host} ({detail}). Unlock your keyring, or install and start one (GNOME Keyring or KWallet), then try again. Nothing was changed.")]
    KeyringUnavailable {
        action: &'static str,
        host: String,
        user: String,
        detail: String,
    },
    #[error(
        "The system keyring could not {action} the credential for {user} at {host}: {detail}."
    )]
    KeyringFailed {
        action: &'static str,
        host: String,
        user: String,
        detail: String,
    },
    #[error("{what} ({}): {source}", path.display())]
    Io {
        what: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{message}")]
    InvalidInput { message: String },
}

wheelhouse_diagnostics::from_coded!(SecretsError);

impl SecretsError {
    pub fn code(&self) -> SecretsErrorCode {
        match self {
            SecretsError::KeyringUnavailable { .. } => SecretsErrorCode::KeyringUnavailable,
            SecretsError::KeyringFailed { .. } => SecretsErrorCode::KeyringFailed,
            SecretsError::Io { .. } => SecretsErrorCode::Io,
            SecretsError::InvalidInput { .. } => SecretsErrorCode::InvalidInput,
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        SecretsError::InvalidInput {
            message: message.into(),
        }
    }
}

/// Which operation met a keyring error; it becomes the verb of the message.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Action {
    Store,
    Read,
    Forget,
}

impl Action {
    fn verb(self) -> &'static str {
        match self {
            Action::Store => "store",
            Action::Read => "read",
            Action::Forget => "forget",
        }
    }
}

/// Turns a keyring error into a [`SecretsError`], keeping only text that cannot hold the secret.
///
/// `secret` is the value being stored, if any: a platform message that echoes it (none is known
/// to, but they are third-party text) has it replaced with `***`.
pub(crate) fn from_keyring(
    err: keyring::Error,
    action: Action,
    host: &str,
    user: &str,
    secret: Option<&str>,
) -> SecretsError {
    let (unavailable, detail) = match &err {
        keyring::Error::NoStorageAccess(inner) => (true, inner.to_string()),
        keyring::Error::PlatformFailure(inner) => {
            (is_missing_service(&format!("{inner:?}")), inner.to_string())
        }
        keyring::Error::BadEncoding(_) => (false, "the stored value is not text".to_string()),
        keyring::Error::Ambiguous(found) => (
            false,
            format!(
                "{} keyring entries match it; remove the extra ones in your keyring app",
                found.len()
            ),
        ),
        keyring::Error::TooLong(attribute, limit) => (
            false,
            format!("{attribute} is longer than the keyring's limit of {limit} characters"),
        ),
        keyring::Error::Invalid(attribute, reason) => (false, format!("{attribute} {reason}")),
        keyring::Error::NoEntry => (false, "there is no such entry".to_string()),
        _ => (false, "an unexpected keyring error".to_string()),
    };
    let detail = scrub(detail, secret);
    let (action, host, user) = (action.verb(), host.to_string(), user.to_string());
    if unavailable {
        SecretsError::KeyringUnavailable {
            action,
            host,
            user,
            detail,
        }
    } else {
        SecretsError::KeyringFailed {
            action,
            host,
            user,
            detail,
        }
    }
}

/// Whether a platform failure means "there is no keyring to talk to" rather than "the keyring
/// said no". The keyring crate reports both as `PlatformFailure`; only the wrapped D-Bus error
/// (whose `Debug` text carries the D-Bus error name) tells them apart.
fn is_missing_service(debug: &str) -> bool {
    const MISSING: [&str; 8] = [
        "Unavailable",
        "org.freedesktop.DBus.Error.ServiceUnknown",
        "org.freedesktop.DBus.Error.NoServer",
        "org.freedesktop.DBus.Error.NoReply",
        "org.freedesktop.DBus.Error.Disconnected",
        "org.freedesktop.DBus.Error.FileNotFound",
        "org.freedesktop.DBus.Error.NotSupported",
        "org.freedesktop.DBus.Error.Spawn",
    ];
    MISSING.iter().any(|name| debug.contains(name))
}

fn scrub(text: String, secret: Option<&str>) -> String {
    match secret {
        Some(secret) if !secret.is_empty() && text.contains(secret) => text.replace(secret, "***"),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Echo(String);
    impl std::fmt::Display for Echo {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(&self.0)
        }
    }
    impl std::error::Error for Echo {}

    const TOKEN: &str = "ghp_s3cr3tTOKENvalue";

    #[test]
    fn a_platform_message_that_echoes_the_secret_is_scrubbed_from_message_and_debug() {
        let err = from_keyring(
            keyring::Error::PlatformFailure(Box::new(Echo(format!(
                "rejected {TOKEN} for reasons"
            )))),
            Action::Store,
            "git.example.com",
            "alice",
            Some(TOKEN),
        );
        assert_eq!(err.code(), SecretsErrorCode::KeyringFailed);
        assert!(!err.to_string().contains(TOKEN), "{err}");
        assert!(!format!("{err:?}").contains(TOKEN), "{err:?}");
        assert!(
            err.to_string().contains("rejected *** for reasons"),
            "{err}"
        );
    }

    #[test]
    fn a_value_that_is_not_text_is_reported_without_its_bytes() {
        let mut bytes = TOKEN.as_bytes().to_vec();
        bytes.push(0xff);
        let err = from_keyring(
            keyring::Error::BadEncoding(bytes),
            Action::Read,
            "git.example.com",
            "alice",
            None,
        );
        assert_eq!(err.code(), SecretsErrorCode::KeyringFailed);
        assert!(!err.to_string().contains(TOKEN), "{err}");
        assert!(!format!("{err:?}").contains(TOKEN), "{err:?}");
        assert!(
            !format!("{err:?}").contains("115, 51"),
            "raw bytes leaked: {err:?}"
        );
    }

    #[test]
    fn a_locked_keyring_is_unavailable_and_the_message_says_how_to_fix_it() {
        let err = from_keyring(
            keyring::Error::NoStorageAccess(Box::new(Echo("Secret Service: object locked".into()))),
            Action::Store,
            "git.example.com",
            "alice",
            Some(TOKEN),
        );
        assert_eq!(err.code().as_str(), "keyring_unavailable");
        let message = err.to_string();
        assert!(message.contains("Unlock your keyring"), "{message}");
        assert!(message.contains("GNOME Keyring or KWallet"), "{message}");
        assert!(message.contains("Nothing was changed"), "{message}");
        assert!(message.contains("alice at git.example.com"), "{message}");
    }

    #[test]
    fn a_missing_secret_service_is_unavailable_but_other_platform_failures_are_not() {
        let missing = Echo(
            "D-Bus error: The name is not activatable (org.freedesktop.DBus.Error.ServiceUnknown)"
                .into(),
        );
        let err = from_keyring(
            keyring::Error::PlatformFailure(Box::new(missing)),
            Action::Read,
            "h",
            "u",
            None,
        );
        assert_eq!(err.code(), SecretsErrorCode::KeyringUnavailable);

        let other = Echo("Crypto error: bad padding".into());
        let err = from_keyring(
            keyring::Error::PlatformFailure(Box::new(other)),
            Action::Read,
            "h",
            "u",
            None,
        );
        assert_eq!(err.code(), SecretsErrorCode::KeyringFailed);
    }

    #[test]
    fn codes_are_stable_snake_case_strings() {
        let codes = [
            SecretsErrorCode::KeyringUnavailable,
            SecretsErrorCode::KeyringFailed,
            SecretsErrorCode::Io,
            SecretsErrorCode::InvalidInput,
        ];
        let wire: Vec<String> = codes
            .iter()
            .map(|c| {
                serde_json::to_value(c)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        let named: Vec<&str> = codes.iter().map(|c| c.as_str()).collect();
        assert_eq!(
            named,
            [
                "keyring_unavailable",
                "keyring_failed",
                "io",
                "invalid_input"
            ]
        );
        assert_eq!(wire, named);
    }
}
