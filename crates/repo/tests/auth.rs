//! Authenticated clone and fetch against a loopback Git server that wants Basic auth, with the
//! real OS keyring (run under `scripts/with-keyring.sh`, as `make test` does).
//!
//! Covers: the first clone asks and stores; the second uses the stored credential without
//! asking; a wrong password is refused and not stored; a server that is down; and the secret
//! never reaching a view, an error, a log line or a file.

use std::cell::Cell;
use std::io::Write;
use std::sync::{Arc, Mutex};
use wheelhouse_repo::network::{self, AuthMethod, Credential, Network};
use wheelhouse_repo::{ErrorCode, Repository};
use wheelhouse_secrets::{CredentialKind, CredentialStore, Secret};
use wheelhouse_testsupport::{AuthOutcome, GitHttpServer, TempRepo};

const USER: &str = "maya";
const SECRET: &str = "t0ken-4uth-7e57-secret";

/// Everything written by `tracing` during the test, to search for the secret.
#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn keyring_or_skip() -> bool {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        if std::env::var("WHEELHOUSE_NO_KEYRING").as_deref() == Ok("1") {
            eprintln!("skipped: no Secret Service and WHEELHOUSE_NO_KEYRING=1");
            return false;
        }
        panic!("these tests need a keyring: run them as `scripts/with-keyring.sh cargo test -p wheelhouse-repo --test auth`");
    }
    true
}

#[test]
fn clone_asks_once_stores_reuses_refuses_wrong_passwords_and_never_leaks_the_secret() {
    if !keyring_or_skip() {
        return;
    }
    let log = LogBuffer::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let source = TempRepo::with_files(&[("overlays/prod/kustomization.yaml", "images: []\n")]);
    source.add_bare_remote("origin");
    let server = GitHttpServer::start(&source.sibling(""), Some((USER.into(), SECRET.into())));
    let url = server.url("origin.git");
    let data_dir = tempfile::tempdir().unwrap();
    let store = CredentialStore::new(data_dir.path());
    let mut transcript = String::new();

    // 1. First clone: the keyring has nothing, so the person is asked once.
    let asked = Cell::new(0);
    let first = {
        let mut net = Network::new().credentials(network::keyring_first(&store, |request| {
            asked.set(asked.get() + 1);
            assert_eq!(request.method, AuthMethod::UserPassword);
            assert!(request.host.starts_with("127.0.0.1:"));
            Some(Credential::UserPassword {
                username: USER.into(),
                password: Secret::new(SECRET),
            })
        }));
        let repo = wheelhouse_repo::clone(&url, &source.sibling("first"), &mut net).unwrap();
        network::remember_accepted(&store, net.accepted()).unwrap();
        repo
    };
    assert_eq!(asked.get(), 1);
    let stored = store.list();
    assert_eq!(stored.len(), 1);
    assert_eq!(
        (stored[0].kind, stored[0].user.as_str()),
        (CredentialKind::HttpsToken, USER)
    );
    transcript += &serde_json::to_string(&first.overview(10).unwrap()).unwrap();
    transcript += &serde_json::to_string(&stored).unwrap();

    // 2. Second clone: answered from the keyring, nobody is asked.
    let rejected_before = server.count(AuthOutcome::Rejected);
    let (second, from_keyring) = {
        let mut net = Network::new().credentials(network::keyring_first(&store, |_| {
            panic!("the second clone asked for credentials")
        }));
        let repo = wheelhouse_repo::clone(&url, &source.sibling("second"), &mut net).unwrap();
        (repo, net.accepted())
    };
    assert_eq!(server.count(AuthOutcome::Rejected), rejected_before);
    assert!(server.count(AuthOutcome::Accepted) > 0);

    // A fetch (the sync loop) uses it too.
    let report = second
        .sync(&mut Network::new().credentials(network::keyring_first(&store, |_| None)))
        .unwrap();
    transcript += &serde_json::to_string(&report).unwrap();

    // A credential forgotten while an operation was using it stays forgotten.
    store
        .forget(CredentialKind::HttpsToken, &stored[0].host, USER)
        .unwrap();
    network::remember_accepted(&store, from_keyring).unwrap();
    assert!(store.list().is_empty(), "a forgotten credential came back");

    // The sync loop's fetch with nothing stored and nobody to ask: a sign-in is needed (not a
    // refusal of a user nobody gave), and the message says where to sign in.
    let err = second
        .sync(&mut Network::new().credentials(network::keyring_first(&store, |_| None)))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::AuthRequired, "{err}");
    let message = err.to_string();
    assert!(message.contains("Sync now"), "{message}");
    assert!(message.contains("wheelhouse login"), "{message}");
    assert!(!message.contains("not available"), "{message}");
    transcript += &message;

    // 3. A wrong password: refused, asked again (attempt 2), never stored.
    let attempts = Cell::new(0);
    let err = {
        let mut net = Network::new().credentials(network::keyring_first(&store, |request| {
            attempts.set(request.attempt);
            (request.attempt == 1).then(|| Credential::UserPassword {
                username: USER.into(),
                password: Secret::new("wrong-password"),
            })
        }));
        let err = wheelhouse_repo::clone(&url, &source.sibling("third"), &mut net).unwrap_err();
        assert!(net.accepted().is_none());
        err
    };
    assert_eq!(err.code(), ErrorCode::AuthFailed, "{err}");
    assert_eq!(
        attempts.get(),
        2,
        "the person was not asked again after the rejection"
    );
    assert!(store.list().is_empty(), "a rejected password was stored");
    assert!(!source.sibling("third").exists());
    transcript += &err.to_string();

    // 4. A server that is down.
    let down = wheelhouse_repo::clone(
        &GitHttpServer::unused_url(),
        &source.sibling("fourth"),
        &mut Network::new(),
    )
    .unwrap_err();
    assert_eq!(down.code(), ErrorCode::RemoteUnreachable, "{down}");
    transcript += &down.to_string();

    // The secret is in no view, no error, no log line, no file of ours and no clone's config.
    assert!(
        !transcript.contains(SECRET),
        "a view or error carries the secret"
    );
    let logged = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    assert!(
        logged.contains("clone started"),
        "the log capture did not work"
    );
    assert!(!logged.contains(SECRET), "the log carries the secret");
    for entry in walk(data_dir.path())
        .into_iter()
        .chain(walk(&source.sibling("first").join(".git")))
    {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(
            !bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()),
            "{} contains the secret",
            entry.display()
        );
    }
    let _ = Repository::open(source.sibling("second")).unwrap();
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}
