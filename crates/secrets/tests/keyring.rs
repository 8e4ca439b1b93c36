//! The credential store against the real OS keyring (Secret Service on Linux).
//!
//! Run them inside a D-Bus session with an unlocked keyring:
//! `scripts/with-keyring.sh cargo test -p wheelhouse-secrets`. Without a reachable
//! keyring they fail and say so, unless `WHEELHOUSE_NO_KEYRING=1` is set, in which case each one
//! prints that it was skipped. Every test uses its own hosts under `.wheelhouse-test.invalid`
//! and forgets what it stored, so running them against a desktop keyring leaves nothing behind.

use std::io::Write;
use std::process::Command;
use wheelhouse_secrets::{
    CredentialKind, CredentialStore, Secret, SecretsErrorCode, StoredCredential,
};

use CredentialKind::{HttpsToken, SshKeyPassphrase};

const HOW_TO_RUN: &str = "run them as `scripts/with-keyring.sh cargo test -p wheelhouse-secrets` \
     (needs the dbus and gnome-keyring packages), or set WHEELHOUSE_NO_KEYRING=1 to skip them";

/// A store with its own data folder and its own hosts; forgets everything it stored when dropped.
struct Fixture {
    data_dir: tempfile::TempDir,
    store: CredentialStore,
    host_suffix: String,
}

impl Fixture {
    /// A fixture if a keyring answers; `None` (after saying so) if it does not and
    /// WHEELHOUSE_NO_KEYRING=1; otherwise the test fails with how to run it.
    fn new(test: &str) -> Option<Fixture> {
        let data_dir = tempfile::tempdir().unwrap();
        let store = CredentialStore::new(data_dir.path());
        let host_suffix = format!(
            "{}-{}.wheelhouse-test.invalid",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        );
        let fixture = Fixture {
            data_dir,
            store,
            host_suffix,
        };
        let probe = fixture.host("probe");
        let reachable = fixture
            .store
            .store(HttpsToken, &probe, "probe", &Secret::new("probe"))
            .and_then(|_| fixture.store.forget(HttpsToken, &probe, "probe"));
        match reachable {
            Ok(()) => Some(fixture),
            Err(err) if err.code() == SecretsErrorCode::KeyringUnavailable => {
                if std::env::var("WHEELHOUSE_NO_KEYRING").as_deref() == Ok("1") {
                    // Straight to stderr: the test harness captures eprintln!.
                    let _ = writeln!(
                        std::io::stderr(),
                        "wheelhouse-secrets: skipped keyring test `{test}`: no Secret Service and WHEELHOUSE_NO_KEYRING=1"
                    );
                    None
                } else {
                    panic!("`{test}` needs an unlocked OS keyring and none answered: {err}\nTo test the keyring, {HOW_TO_RUN}.");
                }
            }
            Err(err) => panic!("the keyring answered but refused a probe credential: {err}"),
        }
    }

    fn host(&self, name: &str) -> String {
        format!("{name}.{}", self.host_suffix)
    }

    fn index_bytes(&self) -> Vec<u8> {
        std::fs::read(self.store.index_file()).unwrap()
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        for row in self.store.list() {
            let _ = self.store.forget(row.kind, &row.host, &row.user);
        }
    }
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

fn row(kind: CredentialKind, host: &str, user: &str) -> StoredCredential {
    StoredCredential {
        kind,
        host: host.into(),
        user: user.into(),
    }
}

/// What another program sees in the keyring: the documented service and account.
fn raw_entry(service: &str, host: &str, user: &str) -> keyring::Result<String> {
    keyring::Entry::new(service, &format!("{host}/{user}"))?.get_password()
}

#[test]
fn a_stored_token_is_read_back_under_any_spelling_of_its_host() {
    let Some(f) = Fixture::new("a_stored_token_is_read_back_under_any_spelling_of_its_host") else {
        return;
    };
    let host = f.host("git");
    let shouted = format!("{}:443", host.to_uppercase());

    let stored = f
        .store
        .store(HttpsToken, &shouted, "alice", &Secret::new("ghp_first"))
        .unwrap();
    assert_eq!(stored, row(HttpsToken, &host, "alice"));

    let got = f.store.get(HttpsToken, &host, "alice").unwrap().unwrap();
    assert_eq!(got.expose(), "ghp_first");
    let got = f.store.get(HttpsToken, &shouted, "alice").unwrap().unwrap();
    assert_eq!(got.expose(), "ghp_first");
}

#[test]
fn the_keyring_entry_follows_the_documented_naming_scheme() {
    let Some(f) = Fixture::new("the_keyring_entry_follows_the_documented_naming_scheme") else {
        return;
    };
    let host = f.host("git");
    let key = "/home/alice/.ssh/id_ed25519";
    f.store
        .store(HttpsToken, &host, "alice", &Secret::new("ghp_scheme"))
        .unwrap();
    f.store
        .store(SshKeyPassphrase, &host, key, &Secret::new("correct horse"))
        .unwrap();

    assert_eq!(
        raw_entry("wheelhouse:https", &host, "alice").unwrap(),
        "ghp_scheme"
    );
    assert_eq!(
        raw_entry("wheelhouse:ssh", &host, key).unwrap(),
        "correct horse"
    );
}

#[test]
fn the_list_names_host_and_user_and_the_index_file_never_holds_the_secret() {
    let Some(f) =
        Fixture::new("the_list_names_host_and_user_and_the_index_file_never_holds_the_secret")
    else {
        return;
    };
    let host = f.host("git");
    let token = "ghp_ThisMustNeverTouchTheDisk42";
    f.store
        .store(HttpsToken, &host, "alice", &Secret::new(token))
        .unwrap();

    assert_eq!(f.store.list(), vec![row(HttpsToken, &host, "alice")]);
    let bytes = f.index_bytes();
    assert!(contains(&bytes, &host) && contains(&bytes, "alice"));
    assert!(!contains(&bytes, token), "the index file holds the secret");
    for entry in std::fs::read_dir(f.data_dir.path()).unwrap() {
        let path = entry.unwrap().path();
        assert!(
            !contains(&std::fs::read(&path).unwrap(), token),
            "{} holds the secret",
            path.display()
        );
    }
}

#[test]
fn storing_again_for_the_same_host_and_user_replaces_the_secret() {
    let Some(f) = Fixture::new("storing_again_for_the_same_host_and_user_replaces_the_secret")
    else {
        return;
    };
    let host = f.host("git");
    f.store
        .store(HttpsToken, &host, "alice", &Secret::new("ghp_old"))
        .unwrap();
    f.store
        .store(
            HttpsToken,
            &format!("{host}:443"),
            "alice",
            &Secret::new("ghp_new"),
        )
        .unwrap();

    let got = f.store.get(HttpsToken, &host, "alice").unwrap().unwrap();
    assert_eq!(got.expose(), "ghp_new");
    assert_eq!(f.store.list(), vec![row(HttpsToken, &host, "alice")]);
}

#[test]
fn forgetting_removes_the_keyring_entry_and_the_index_row() {
    let Some(f) = Fixture::new("forgetting_removes_the_keyring_entry_and_the_index_row") else {
        return;
    };
    let host = f.host("git");
    f.store
        .store(HttpsToken, &host, "alice", &Secret::new("ghp_gone"))
        .unwrap();
    f.store
        .store(HttpsToken, &host, "bob", &Secret::new("ghp_stays"))
        .unwrap();

    f.store.forget(HttpsToken, &host, "alice").unwrap();

    assert!(f.store.get(HttpsToken, &host, "alice").unwrap().is_none());
    assert!(matches!(
        raw_entry("wheelhouse:https", &host, "alice"),
        Err(keyring::Error::NoEntry)
    ));
    assert_eq!(f.store.list(), vec![row(HttpsToken, &host, "bob")]);
    assert!(!contains(&f.index_bytes(), "alice"));
    let bob = f.store.get(HttpsToken, &host, "bob").unwrap().unwrap();
    assert_eq!(bob.expose(), "ghp_stays");
}

#[test]
fn forgetting_or_reading_what_was_never_stored_is_not_an_error() {
    let Some(f) = Fixture::new("forgetting_or_reading_what_was_never_stored_is_not_an_error")
    else {
        return;
    };
    let host = f.host("never");
    assert!(f.store.get(HttpsToken, &host, "nobody").unwrap().is_none());
    f.store.forget(HttpsToken, &host, "nobody").unwrap();
    assert!(f.store.list().is_empty());
}

#[test]
fn two_users_on_one_host_are_distinct_and_the_latest_is_looked_up() {
    let Some(f) = Fixture::new("two_users_on_one_host_are_distinct_and_the_latest_is_looked_up")
    else {
        return;
    };
    let host = f.host("git");
    f.store
        .store(HttpsToken, &host, "alice", &Secret::new("ghp_alice"))
        .unwrap();
    f.store
        .store(HttpsToken, &host, "bob", &Secret::new("ghp_bob"))
        .unwrap();

    let alice = f.store.get(HttpsToken, &host, "alice").unwrap().unwrap();
    let bob = f.store.get(HttpsToken, &host, "bob").unwrap().unwrap();
    assert_eq!((alice.expose(), bob.expose()), ("ghp_alice", "ghp_bob"));
    assert_eq!(
        f.store.list(),
        vec![
            row(HttpsToken, &host, "bob"),
            row(HttpsToken, &host, "alice")
        ]
    );
    assert_eq!(
        f.store.lookup_user(HttpsToken, &host).as_deref(),
        Some("bob")
    );

    f.store
        .store(
            HttpsToken,
            &host.to_uppercase(),
            "alice",
            &Secret::new("ghp_alice2"),
        )
        .unwrap();
    assert_eq!(
        f.store
            .lookup_user(HttpsToken, &format!("{host}:443"))
            .as_deref(),
        Some("alice")
    );
    assert_eq!(f.store.lookup_user(SshKeyPassphrase, &host), None);
    assert_eq!(f.store.lookup_user(HttpsToken, &f.host("other")), None);
}

#[test]
fn an_https_token_and_an_ssh_passphrase_for_the_same_names_are_distinct() {
    let Some(f) =
        Fixture::new("an_https_token_and_an_ssh_passphrase_for_the_same_names_are_distinct")
    else {
        return;
    };
    let host = f.host("git");
    f.store
        .store(HttpsToken, &host, "git", &Secret::new("token"))
        .unwrap();
    f.store
        .store(SshKeyPassphrase, &host, "git", &Secret::new("passphrase"))
        .unwrap();

    f.store.forget(HttpsToken, &host, "git").unwrap();
    assert!(f.store.get(HttpsToken, &host, "git").unwrap().is_none());
    let ssh = f
        .store
        .get(SshKeyPassphrase, &host, "git")
        .unwrap()
        .unwrap();
    assert_eq!(ssh.expose(), "passphrase");
}

#[test]
fn a_corrupt_index_hides_nothing_in_the_keyring_and_is_rebuilt_by_the_next_store() {
    let Some(f) = Fixture::new(
        "a_corrupt_index_hides_nothing_in_the_keyring_and_is_rebuilt_by_the_next_store",
    ) else {
        return;
    };
    let host = f.host("git");
    f.store
        .store(HttpsToken, &host, "alice", &Secret::new("ghp_kept"))
        .unwrap();
    std::fs::write(f.store.index_file(), b"\0\0 not json").unwrap();

    assert!(f.store.list().is_empty());
    let got = f.store.get(HttpsToken, &host, "alice").unwrap().unwrap();
    assert_eq!(got.expose(), "ghp_kept");

    f.store
        .store(HttpsToken, &host, "bob", &Secret::new("ghp_bob"))
        .unwrap();
    assert_eq!(f.store.list(), vec![row(HttpsToken, &host, "bob")]);
    // Forget what the lost index no longer lists, so the drop cleanup need not know it.
    f.store.forget(HttpsToken, &host, "alice").unwrap();
}

#[test]
fn no_public_type_shows_the_secret_in_its_debug_output() {
    let Some(f) = Fixture::new("no_public_type_shows_the_secret_in_its_debug_output") else {
        return;
    };
    let host = f.host("git");
    let token = "ghp_DebugMustNotShowThis";
    let secret = Secret::new(token);
    let stored = f.store.store(HttpsToken, &host, "alice", &secret).unwrap();
    let got = f.store.get(HttpsToken, &host, "alice").unwrap();
    let refused = f
        .store
        .store(
            HttpsToken,
            &format!("https://{host}/org/repo"),
            "alice",
            &secret,
        )
        .unwrap_err();
    assert_eq!(refused.code(), SecretsErrorCode::InvalidInput);

    let printed = [
        format!("{secret:?}"),
        format!("{secret}"),
        format!("{got:?}"),
        format!("{stored:?}"),
        format!("{:?}", f.store),
        format!("{:?}", f.store.list()),
        format!("{refused:?}"),
        refused.to_string(),
    ];
    for text in printed {
        assert!(!text.contains(token), "leaked: {text}");
    }
    assert_eq!(got.expect("it was stored").expose(), token);
}

#[test]
fn empty_secrets_and_bad_hosts_are_refused_before_the_keyring_is_touched() {
    // Needs no keyring: input is checked first, so this runs (and must pass) everywhere.
    let data_dir = tempfile::tempdir().unwrap();
    let store = CredentialStore::new(data_dir.path());
    let token = "ghp_NotInErrors";
    for (host, user, secret) in [
        ("git.example.com", "alice", ""),
        ("", "alice", token),
        ("alice@git.example.com", "alice", token),
        ("git.example.com", "", token),
        ("git.example.com", "ali\nce", token),
    ] {
        let err = store
            .store(HttpsToken, host, user, &Secret::new(secret))
            .unwrap_err();
        assert_eq!(err.code(), SecretsErrorCode::InvalidInput, "{err}");
        assert!(!err.to_string().contains(token) && !format!("{err:?}").contains(token));
    }
    assert!(!store.index_file().exists());
}

/// This test binary again, running only the test named `test`.
fn rerun(test: &str) -> Command {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command.args(["--exact", test]);
    command
}

const CHILD_DATA_DIR: &str = "WHEELHOUSE_TEST_CHILD_DATA_DIR";

#[test]
fn without_a_secret_service_storing_fails_as_unavailable_and_writes_nothing() {
    // Needs no keyring: the child process is pointed at a session bus that does not exist.
    if let Some(data_dir) = std::env::var_os(CHILD_DATA_DIR) {
        let store = CredentialStore::new(data_dir);
        let err = store
            .store(
                HttpsToken,
                "git.example.com",
                "alice",
                &Secret::new("ghp_UnreachableKeyring"),
            )
            .unwrap_err();
        println!("CODE={}", err.code().as_str());
        println!("MESSAGE={err}");
        println!("DEBUG={err:?}");
        return;
    }

    let scratch = tempfile::tempdir().unwrap();
    let data_dir = scratch.path().join("data");
    let no_bus = scratch.path().join("no-such-bus");
    let output = rerun("without_a_secret_service_storing_fails_as_unavailable_and_writes_nothing")
        .arg("--nocapture")
        .env(CHILD_DATA_DIR, &data_dir)
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            format!("unix:path={}", no_bus.display()),
        )
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("CODE=keyring_unavailable"), "{stdout}");
    assert!(stdout.contains("Unlock your keyring"), "{stdout}");
    assert!(stdout.contains("GNOME Keyring or KWallet"), "{stdout}");
    assert!(!stdout.contains("ghp_UnreachableKeyring"), "{stdout}");
    assert!(
        !data_dir.exists(),
        "nothing may be written when the keyring is unavailable"
    );
}

#[test]
fn without_a_secret_service_the_keyring_tests_fail_and_say_how_to_run_them() {
    // Needs no keyring: runs one keyring test in a child pointed at a bus that does not exist.
    let scratch = tempfile::tempdir().unwrap();
    let no_bus = format!("unix:path={}", scratch.path().join("no-such-bus").display());
    let test = "a_stored_token_is_read_back_under_any_spelling_of_its_host";

    let strict = rerun(test)
        .env("DBUS_SESSION_BUS_ADDRESS", &no_bus)
        .env_remove("WHEELHOUSE_NO_KEYRING")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&strict.stdout);
    assert!(
        !strict.status.success(),
        "it passed without a keyring:\n{out}"
    );
    assert!(out.contains("with-keyring.sh"), "{out}");

    let skipping = rerun(test)
        .env("DBUS_SESSION_BUS_ADDRESS", &no_bus)
        .env("WHEELHOUSE_NO_KEYRING", "1")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&skipping.stderr);
    assert!(skipping.status.success(), "{err}");
    assert!(
        err.contains(&format!("skipped keyring test `{test}`")),
        "{err}"
    );
}
