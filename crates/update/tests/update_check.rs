//! Update checks against a release feed served on loopback (a real HTTP server), signed with a
//! real minisign key made for the test.

use std::collections::HashMap;
use std::io::Cursor;
use std::sync::{Arc, Mutex};
use wheelhouse_update::{check, judge, load_settings, platform, UpdateError, UpdateSettings};

struct Key {
    public: String,
    secret: minisign::SecretKey,
    pk: minisign::PublicKey,
}

fn key() -> Key {
    let pair = minisign::KeyPair::generate_unencrypted_keypair().expect("key pair");
    Key {
        public: pair.pk.to_base64(),
        secret: pair.sk,
        pk: pair.pk,
    }
}

fn sign(key: &Key, data: &[u8]) -> String {
    minisign::sign(
        Some(&key.pk),
        &key.secret,
        Cursor::new(data),
        Some("wheelhouse release feed"),
        None,
    )
    .expect("signature")
    .into_string()
}

fn feed(version: &str) -> Vec<u8> {
    format!(
        r#"{{"version": "{version}", "notes": "Faster matrix", "pub_date": "2026-12-01T12:00:00Z",
  "platforms": {{"{}": {{"url": "https://releases.example/wheelhouse_{version}_amd64.deb", "signature": "x"}}}}}}"#,
        platform()
    )
    .into_bytes()
}

/// A loopback HTTP server that serves the given paths (anything else: 404).
struct Server {
    url: String,
    files: Arc<Mutex<HashMap<String, Vec<u8>>>>,
    _thread: std::thread::JoinHandle<()>,
}

impl Server {
    fn start() -> Self {
        let server = tiny_http::Server::http("127.0.0.1:0").expect("loopback server");
        let url = format!(
            "http://{}",
            server.server_addr().to_ip().expect("ip address")
        );
        let files: Arc<Mutex<HashMap<String, Vec<u8>>>> = Arc::default();
        let served = files.clone();
        let thread = std::thread::spawn(move || {
            for request in server.incoming_requests() {
                let body = served.lock().unwrap().get(request.url()).cloned();
                let _ = match body {
                    Some(b) => request.respond(tiny_http::Response::from_data(b)),
                    None => request.respond(tiny_http::Response::empty(404)),
                };
            }
        });
        Server {
            url,
            files,
            _thread: thread,
        }
    }

    fn put(&self, path: &str, body: impl Into<Vec<u8>>) {
        self.files.lock().unwrap().insert(path.into(), body.into());
    }

    fn settings(&self, key: &Key) -> UpdateSettings {
        UpdateSettings {
            feed: format!("{}/latest.json", self.url),
            public_key: key.public.clone(),
        }
    }
}

#[test]
fn a_newer_signed_release_is_found_with_its_package() {
    let key = key();
    let server = Server::start();
    let body = feed("0.2.0");
    server.put("/latest.json", body.clone());
    server.put("/latest.json.minisig", sign(&key, &body));
    let found = check(&server.settings(&key), "0.1.0").expect("check");
    assert!(found.newer);
    assert_eq!(
        (found.current.as_str(), found.latest.as_str()),
        ("0.1.0", "0.2.0")
    );
    assert_eq!(found.notes.as_deref(), Some("Faster matrix"));
    assert_eq!(
        found.download.as_deref(),
        Some("https://releases.example/wheelhouse_0.2.0_amd64.deb")
    );
}

#[test]
fn the_same_or_an_older_release_is_not_newer() {
    let key = key();
    let server = Server::start();
    for (published, newer) in [("0.1.0", false), ("0.0.9", false), ("v0.1.1", true)] {
        let body = feed(published);
        server.put("/latest.json", body.clone());
        server.put("/latest.json.minisig", sign(&key, &body));
        assert_eq!(
            check(&server.settings(&key), "0.1.0").unwrap().newer,
            newer,
            "{published}"
        );
    }
}

#[test]
fn a_feed_changed_after_signing_is_refused() {
    let key = key();
    let server = Server::start();
    let signed = feed("0.2.0");
    server.put("/latest.json.minisig", sign(&key, &signed));
    // Someone between the release and the reader points the feed at another package.
    let tampered = String::from_utf8(signed)
        .unwrap()
        .replace("releases.example", "evil.example");
    server.put("/latest.json", tampered);
    let err = check(&server.settings(&key), "0.1.0").unwrap_err();
    assert!(matches!(err, UpdateError::BadSignature(_)), "{err}");
    assert_eq!(err.code(), "bad_signature");
}

#[test]
fn a_feed_signed_with_another_key_is_refused() {
    let (ours, theirs) = (key(), key());
    let server = Server::start();
    let body = feed("9.0.0");
    server.put("/latest.json", body.clone());
    server.put("/latest.json.minisig", sign(&theirs, &body));
    let err = check(&server.settings(&ours), "0.1.0").unwrap_err();
    assert!(matches!(err, UpdateError::BadSignature(_)), "{err}");
}

#[test]
fn a_missing_or_garbled_signature_is_refused() {
    let key = key();
    let server = Server::start();
    server.put("/latest.json", feed("0.2.0"));
    let err = check(&server.settings(&key), "0.1.0").unwrap_err();
    assert!(matches!(err, UpdateError::Unreachable { .. }), "{err}");
    server.put("/latest.json.minisig", "not a signature");
    let err = check(&server.settings(&key), "0.1.0").unwrap_err();
    assert!(matches!(err, UpdateError::BadSignature(_)), "{err}");
}

#[test]
fn a_signed_feed_that_is_not_a_feed_is_located() {
    let key = key();
    let body = b"{\n  \"version\": 2\n}".to_vec();
    let err = judge("0.1.0", "f", &body, &sign(&key, &body), &key.public).unwrap_err();
    match err {
        UpdateError::MalformedFeed { line, column, .. } => assert_eq!((line, column), (2, 14)),
        other => panic!("{other}"),
    }
    let body = br#"{"version": "soon"}"#.to_vec();
    let err = judge("0.1.0", "f", &body, &sign(&key, &body), &key.public).unwrap_err();
    assert!(matches!(err, UpdateError::BadVersion(v) if v == "soon"));
}

#[test]
fn a_server_that_is_down_is_said_so() {
    let key = key();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let settings = UpdateSettings {
        feed: format!("http://127.0.0.1:{port}/latest.json"),
        public_key: key.public.clone(),
    };
    let err = check(&settings, "0.1.0").unwrap_err();
    assert!(matches!(err, UpdateError::Unreachable { .. }), "{err}");
    assert!(err.to_string().contains(&settings.feed), "{err}");
}

#[test]
fn a_bad_key_in_the_settings_is_said_so() {
    let err = judge("0.1.0", "f", b"{}", "x", "not-a-key").unwrap_err();
    assert!(matches!(err, UpdateError::BadKey(_)), "{err}");
}

#[test]
fn settings_are_optional_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(load_settings(dir.path()).unwrap(), None);
    std::fs::write(
        dir.path().join("update.json"),
        "{\n  \"feed\": \"https://r.example/latest.json\",\n  \"public_key\": \"RWQ\",\n  \"channel\": \"beta\"\n}",
    )
    .unwrap();
    let err = load_settings(dir.path()).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("update.json") && text.contains("line 4") && text.contains("channel"),
        "{text}"
    );
    std::fs::write(
        dir.path().join("update.json"),
        r#"{"feed": "https://r.example/latest.json", "public_key": "RWQ"}"#,
    )
    .unwrap();
    assert_eq!(
        load_settings(dir.path()).unwrap().unwrap().feed,
        "https://r.example/latest.json"
    );
}

#[test]
fn status_is_off_without_settings_and_checks_the_configured_feed_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let off = wheelhouse_update::status(dir.path(), "0.1.0", true).unwrap();
    assert!(!off.configured && off.check.is_none());
    assert!(off.settings_file.ends_with("update.json"));
    let err = off.into_check().unwrap_err();
    assert_eq!(err.code(), "not_configured");
    assert!(err.to_string().contains("update.json"), "{err}");

    let key = key();
    let server = Server::start();
    let body = feed("0.3.0");
    server.put("/latest.json", body.clone());
    server.put("/latest.json.minisig", sign(&key, &body));
    let settings = server.settings(&key);
    std::fs::write(
        dir.path().join("update.json"),
        format!(
            r#"{{"feed": "{}", "public_key": "{}"}}"#,
            settings.feed, settings.public_key
        ),
    )
    .unwrap();
    let on = wheelhouse_update::status(dir.path(), "0.1.0", false).unwrap();
    assert!(
        on.configured && on.check.is_none(),
        "nothing fetched until asked"
    );
    let checked = wheelhouse_update::status(dir.path(), "0.1.0", true).unwrap();
    assert_eq!(checked.into_check().unwrap().latest, "0.3.0");
}
