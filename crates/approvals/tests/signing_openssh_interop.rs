//! Approval signatures interoperate with OpenSSH both ways: `ssh-keygen -Y verify` accepts what we
//! sign, we accept what `ssh-keygen -Y sign` writes, and both refuse the same forgeries.
//! These tests run the real /usr/bin/ssh-keygen.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use wheelhouse_approvals::signing::{
    allowed_signers_line, fingerprint, load_private_key, sign, verify, AllowedSigners,
    SignatureState, SigningError,
};

const ALICE: &str = "alice@example.com";
const BOB: &str = "bob@example.com";
const RECORD: &[u8] =
    br#"{"author":"alice@example.com","location":{"commit":"0123abcd"},"resolved":true}"#;
/// 2030-01-01, inside every validity window the tests do not mean to violate.
const NOW: i64 = 1_893_456_000;

/// Generates a key with ssh-keygen; `extra` selects the type, e.g. `["-t", "rsa", "-b", "2048"]`.
fn keygen(dir: &Path, name: &str, extra: &[&str], passphrase: &str) -> PathBuf {
    let path = dir.join(name);
    let status = Command::new("ssh-keygen")
        .args(["-q", "-C", name, "-N", passphrase, "-f"])
        .arg(&path)
        .args(extra)
        .stdin(Stdio::null())
        .status()
        .expect("ssh-keygen runs");
    assert!(status.success(), "ssh-keygen could not generate {name}");
    path
}

fn ed25519(dir: &Path, name: &str) -> PathBuf {
    keygen(dir, name, &["-t", "ed25519"], "")
}

fn public_key(private: &Path) -> ssh_key::PublicKey {
    let text = std::fs::read_to_string(private.with_extension("pub")).unwrap();
    ssh_key::PublicKey::from_openssh(text.trim()).unwrap()
}

fn ssh_keygen_fingerprint(private: &Path) -> String {
    let out = Command::new("ssh-keygen")
        .args(["-l", "-E", "sha256", "-f"])
        .arg(private.with_extension("pub"))
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .to_string()
}

/// `ssh-keygen -Y verify -f allowed_signers -I principal -n namespace -s sig < data`.
fn ssh_verify(
    dir: &Path,
    allowed: &str,
    principal: &str,
    namespace: &str,
    data: &[u8],
    sig: &str,
) -> Output {
    let allowed_path = dir.join("allowed_signers");
    let sig_path = dir.join("data.sig");
    std::fs::write(&allowed_path, allowed).unwrap();
    std::fs::write(&sig_path, sig).unwrap();
    let mut child = Command::new("ssh-keygen")
        .args(["-Y", "verify", "-f"])
        .arg(&allowed_path)
        .args(["-I", principal, "-n", namespace, "-s"])
        .arg(&sig_path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(data).unwrap();
    child.wait_with_output().unwrap()
}

/// `ssh-keygen -Y sign -f key -n namespace data` → the armored signature it writes to data.sig.
fn ssh_sign(dir: &Path, key: &Path, namespace: &str, data: &[u8]) -> String {
    let data_path = dir.join("to-sign");
    let sig_path = dir.join("to-sign.sig");
    let _ = std::fs::remove_file(&sig_path);
    std::fs::write(&data_path, data).unwrap();
    let out = Command::new("ssh-keygen")
        .args(["-Y", "sign", "-f"])
        .arg(key)
        .args(["-n", namespace])
        .arg(&data_path)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "ssh-keygen -Y sign failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(sig_path).unwrap()
}

fn ours(key: &Path) -> String {
    sign(RECORD, &load_private_key(key, None).unwrap()).unwrap()
}

fn our_verify(sig: &str, allowed: &str, principal: &str) -> SignatureState {
    verify(
        RECORD,
        Some(sig),
        &AllowedSigners::parse(allowed),
        principal,
        NOW,
    )
}

#[test]
fn ssh_keygen_accepts_our_signature_and_agrees_on_the_fingerprint() {
    let dir = tempfile::tempdir().unwrap();
    let key = ed25519(dir.path(), "alice");
    let allowed = allowed_signers_line(ALICE, &public_key(&key));

    let out = ssh_verify(
        dir.path(),
        &allowed,
        ALICE,
        "wheelhouse",
        RECORD,
        &ours(&key),
    );

    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "ssh-keygen refused: {stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expected = ssh_keygen_fingerprint(&key);
    assert_eq!(fingerprint(&public_key(&key)), expected);
    assert!(stdout.contains(&expected), "{stdout}");
}

#[test]
fn we_accept_a_signature_made_by_ssh_keygen() {
    let dir = tempfile::tempdir().unwrap();
    let key = ed25519(dir.path(), "alice");
    let allowed = format!("{ALICE} {}", public_key(&key).to_openssh().unwrap());

    let sig = ssh_sign(dir.path(), &key, "wheelhouse", RECORD);

    assert_eq!(
        our_verify(&sig, &allowed, ALICE),
        SignatureState::Valid {
            fingerprint: ssh_keygen_fingerprint(&key),
            principal: ALICE.to_string()
        }
    );
}

#[test]
fn ssh_keygen_refuses_our_signature_in_another_namespace() {
    let dir = tempfile::tempdir().unwrap();
    let key = ed25519(dir.path(), "alice");
    let allowed =
        allowed_signers_line(ALICE, &public_key(&key)).replace("namespaces=\"wheelhouse\" ", "");

    let out = ssh_verify(dir.path(), &allowed, ALICE, "git", RECORD, &ours(&key));

    assert!(
        !out.status.success(),
        "a wheelhouse signature verified as a git one"
    );
}

#[test]
fn we_refuse_a_signature_ssh_keygen_made_for_another_namespace() {
    let dir = tempfile::tempdir().unwrap();
    let key = ed25519(dir.path(), "alice");
    let allowed = format!("{ALICE} {}", public_key(&key).to_openssh().unwrap());

    let sig = ssh_sign(dir.path(), &key, "git", RECORD);

    match our_verify(&sig, &allowed, ALICE) {
        SignatureState::Invalid { reason } => assert!(reason.contains("\"git\""), "{reason}"),
        other => panic!("a git signature counted as an approval: {other:?}"),
    }
}

#[test]
fn a_namespaces_restriction_is_respected_by_both() {
    let dir = tempfile::tempdir().unwrap();
    let key = ed25519(dir.path(), "alice");
    let allowed = format!(
        "{ALICE} namespaces=\"git,file\" {}",
        public_key(&key).to_openssh().unwrap()
    );
    let sig = ours(&key);

    let out = ssh_verify(dir.path(), &allowed, ALICE, "wheelhouse", RECORD, &sig);
    let state = our_verify(&sig, &allowed, ALICE);

    assert!(!out.status.success());
    assert!(
        matches!(state, SignatureState::Invalid { ref reason } if reason.contains("git,file")),
        "{state:?}"
    );
}

#[test]
fn tampered_data_is_refused_by_both() {
    let dir = tempfile::tempdir().unwrap();
    let key = ed25519(dir.path(), "alice");
    let allowed = allowed_signers_line(ALICE, &public_key(&key));
    let tampered = String::from_utf8(RECORD.to_vec())
        .unwrap()
        .replace("true", "false");

    let out = ssh_verify(
        dir.path(),
        &allowed,
        ALICE,
        "wheelhouse",
        tampered.as_bytes(),
        &ours(&key),
    );
    let theirs = ssh_sign(dir.path(), &key, "wheelhouse", RECORD);
    let state = verify(
        tampered.as_bytes(),
        Some(&theirs),
        &AllowedSigners::parse(&allowed),
        ALICE,
        NOW,
    );

    assert!(!out.status.success(), "ssh-keygen accepted tampered data");
    assert!(
        matches!(state, SignatureState::Invalid { ref reason } if reason.contains("changed")),
        "{state:?}"
    );
}

#[test]
fn a_key_missing_from_allowed_signers_is_an_unknown_key() {
    let dir = tempfile::tempdir().unwrap();
    let alice = ed25519(dir.path(), "alice");
    let mallory = ed25519(dir.path(), "mallory");
    let allowed = allowed_signers_line(ALICE, &public_key(&alice));

    let sig = ssh_sign(dir.path(), &mallory, "wheelhouse", RECORD);
    let out = ssh_verify(dir.path(), &allowed, ALICE, "wheelhouse", RECORD, &sig);

    assert!(!out.status.success());
    assert_eq!(
        our_verify(&sig, &allowed, ALICE),
        SignatureState::UnknownKey {
            fingerprint: ssh_keygen_fingerprint(&mallory)
        }
    );
}

#[test]
fn the_right_key_claiming_another_principal_is_not_valid() {
    let dir = tempfile::tempdir().unwrap();
    let alice = ed25519(dir.path(), "alice");
    let bob = ed25519(dir.path(), "bob");
    let allowed = format!(
        "{}\n{}\n",
        allowed_signers_line(ALICE, &public_key(&alice)),
        allowed_signers_line(BOB, &public_key(&bob))
    );
    // Bob signs a record that claims to be Alice's.
    let sig = ours(&bob);

    let out = ssh_verify(dir.path(), &allowed, ALICE, "wheelhouse", RECORD, &sig);

    assert!(!out.status.success());
    assert_eq!(
        our_verify(&sig, &allowed, ALICE),
        SignatureState::WrongPrincipal {
            fingerprint: ssh_keygen_fingerprint(&bob),
            key_principals: vec![BOB.to_string()]
        }
    );
}

#[test]
fn expired_and_not_yet_valid_keys_are_refused_by_both() {
    let dir = tempfile::tempdir().unwrap();
    let key = ed25519(dir.path(), "alice");
    let pubkey = public_key(&key).to_openssh().unwrap();
    let sig = ours(&key);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;

    for option in ["valid-before=\"20000101Z\"", "valid-after=\"29990101Z\""] {
        let allowed = format!("{ALICE} {option} {pubkey}");
        let out = ssh_verify(dir.path(), &allowed, ALICE, "wheelhouse", RECORD, &sig);
        let state = verify(
            RECORD,
            Some(&sig),
            &AllowedSigners::parse(&allowed),
            ALICE,
            now,
        );
        assert!(!out.status.success(), "ssh-keygen accepted {option}");
        assert!(
            matches!(state, SignatureState::Invalid { .. }),
            "{option}: {state:?}"
        );
    }
    let open_window =
        format!("{ALICE} valid-after=\"20000101Z\",valid-before=\"29990101Z\" {pubkey}");
    let out = ssh_verify(dir.path(), &open_window, ALICE, "wheelhouse", RECORD, &sig);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(verify(
        RECORD,
        Some(&sig),
        &AllowedSigners::parse(&open_window),
        ALICE,
        now
    )
    .is_valid());
}

#[test]
fn a_passphrase_protected_key_loads_with_its_passphrase_only() {
    let dir = tempfile::tempdir().unwrap();
    let key = keygen(
        dir.path(),
        "alice",
        &["-t", "ed25519"],
        "correct horse battery",
    );
    let allowed = allowed_signers_line(ALICE, &public_key(&key));

    let missing = load_private_key(&key, None).unwrap_err();
    let wrong = load_private_key(&key, Some("incorrect horse")).unwrap_err();
    let loaded = load_private_key(&key, Some("correct horse battery")).unwrap();

    assert_eq!(
        missing,
        SigningError::PassphraseRequired { path: key.clone() }
    );
    assert_eq!(wrong, SigningError::WrongPassphrase { path: key.clone() });
    assert!(
        !wrong.to_string().contains("horse"),
        "the message leaks the passphrase: {wrong}"
    );
    assert!(wrong.to_string().contains("passphrase"), "{wrong}");
    let sig = sign(RECORD, &loaded).unwrap();
    let out = ssh_verify(dir.path(), &allowed, ALICE, "wheelhouse", RECORD, &sig);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn rsa_keys_work_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let key = keygen(dir.path(), "alice-rsa", &["-t", "rsa", "-b", "2048"], "");
    let allowed = allowed_signers_line(ALICE, &public_key(&key));

    let out = ssh_verify(
        dir.path(),
        &allowed,
        ALICE,
        "wheelhouse",
        RECORD,
        &ours(&key),
    );
    let theirs = ssh_sign(dir.path(), &key, "wheelhouse", RECORD);

    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(our_verify(&theirs, &allowed, ALICE).is_valid());
}

#[test]
fn ecdsa_keys_work_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let key = keygen(dir.path(), "alice-ecdsa", &["-t", "ecdsa", "-b", "256"], "");
    let allowed = allowed_signers_line(ALICE, &public_key(&key));

    let out = ssh_verify(
        dir.path(),
        &allowed,
        ALICE,
        "wheelhouse",
        RECORD,
        &ours(&key),
    );
    let theirs = ssh_sign(dir.path(), &key, "wheelhouse", RECORD);

    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(our_verify(&theirs, &allowed, ALICE).is_valid());
}

#[test]
fn a_public_key_file_is_not_taken_for_a_private_key() {
    let dir = tempfile::tempdir().unwrap();
    let key = ed25519(dir.path(), "alice");

    let err = load_private_key(&key.with_extension("pub"), None).unwrap_err();
    let absent = load_private_key(&dir.path().join("nope"), None).unwrap_err();

    assert_eq!(err.code(), "not_a_private_key");
    assert_eq!(absent.code(), "key_unreadable");
}
