//! [`Secret`]: a token, password or passphrase that prints as `Secret(***)`.

use zeroize::Zeroizing;

/// A token, password or passphrase.
///
/// `Debug` and `Display` print `Secret(***)`, so a `Secret` inside any struct, log line or error
/// stays hidden. [`Secret::expose`] is the only way to read it. It does not implement
/// `Serialize`, so a type holding one cannot be sent over IPC or written to a file by accident;
/// it does implement `Deserialize`, so a secret the user types can arrive from the UI already
/// wrapped. The memory holding it is overwritten with zeros when it is dropped.
///
/// ```compile_fail,E0277
/// fn send_over_ipc<T: serde::Serialize>(_: &T) {}
/// send_over_ipc(&wheelhouse_secrets::Secret::new("hunter2"));
/// ```
///
/// ```
/// fn send_over_ipc<T: serde::Serialize>(_: &T) {}
/// let row = wheelhouse_secrets::StoredCredential {
///     kind: wheelhouse_secrets::CredentialKind::HttpsToken,
///     host: "git.example.com".into(),
///     user: "alice".into(),
/// };
/// send_over_ipc(&row); // what the store *lists* may cross IPC; the secret itself may not
/// ```
#[derive(Clone)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(Zeroizing::new(value.into()))
    }

    /// The secret in clear text. Call it where the secret is handed to Git or the keyring, and
    /// nowhere else.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret::new(value)
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_value() {
        let secret = Secret::new("ghp_abc123");
        assert_eq!(format!("{secret:?}"), "Secret(***)");
        assert_eq!(format!("{secret:#?}"), "Secret(***)");
        assert_eq!(format!("{secret}"), "Secret(***)");
        assert_eq!(secret.expose(), "ghp_abc123");
    }

    #[test]
    fn a_secret_inside_another_type_stays_hidden_in_its_debug_output() {
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Login {
            user: String,
            token: Secret,
        }
        let login = Login {
            user: "alice".into(),
            token: Secret::new("ghp_abc123"),
        };
        let printed = format!("{login:?}");
        assert!(!printed.contains("ghp_abc123"), "{printed}");
        assert!(printed.contains("Secret(***)"), "{printed}");
    }

    /// Tells at run time whether `T: Serialize`: the inherent method exists only when the bound
    /// holds, and method lookup prefers it to the trait method, which answers `false`.
    struct Probe<T>(std::marker::PhantomData<T>);
    trait NotSerialize {
        fn serializable(&self) -> bool {
            false
        }
    }
    impl<T> NotSerialize for Probe<T> {}
    impl<T: serde::Serialize> Probe<T> {
        fn serializable(&self) -> bool {
            true
        }
    }

    #[test]
    fn a_secret_cannot_be_serialized_but_what_the_store_lists_can() {
        use std::marker::PhantomData;
        assert!(!Probe::<Secret>(PhantomData).serializable());
        assert!(Probe::<crate::StoredCredential>(PhantomData).serializable());
    }

    #[test]
    fn a_secret_typed_in_the_ui_arrives_wrapped() {
        let secret: Secret = serde_json::from_str("\"ghp_abc123\"").unwrap();
        assert_eq!(secret.expose(), "ghp_abc123");
    }
}
