//! Signing through a real OpenSSH agent (`ssh-agent`, `ssh-add`): what the agent signs verifies
//! with our `verify` and with `ssh-keygen -Y verify`, for ed25519, ECDSA and RSA keys; a key the
//! agent does not hold, or no agent at all, is a typed error; `user.signingkey` is read as git
//! reads it.

#[allow(dead_code)]
mod support;

use ssh_key::{HashAlg, SshSig};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use support::{keygen, public_key, Agent};
use wheelhouse_approvals::agent::{self, AgentKey};
use wheelhouse_approvals::key::{resolve_signing_key, KeyChoice, SigningKey};
use wheelhouse_approvals::signing::{
    allowed_signers_line, fingerprint, load_private_key, verify, AllowedSigners, SignatureState,
    SigningError,
};

const ALICE: &str = "alice@example.com";
const RECORD: &[u8] =
    br#"{"author":"alice@example.com","location":{"commit":"0123abcd"},"resolved":true}"#;
/// 2030-01-01.
const NOW: i64 = 1_893_456_000;

/// `ssh-keygen -Y verify -f allowed_signers -I principal -n wheelhouse -s sig < RECORD`.
fn ssh_verify(dir: &Path, allowed: &str, principal: &str, sig: &str) -> Output {
    let allowed_path = dir.join("allowed_signers");
    let sig_path = dir.join("record.sig");
    std::fs::write(&allowed_path, allowed).unwrap();
    std::fs::write(&sig_path, sig).unwrap();
    let mut child = Command::new("ssh-keygen")
        .args(["-Y", "verify", "-f"])
        .arg(&allowed_path)
        .args(["-I", principal, "-n", "wheelhouse", "-s"])
        .arg(&sig_path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(RECORD).unwrap();
    child.wait_with_output().unwrap()
}

/// Signs RECORD through the agent with `key` and checks the signature both ways.
fn agent_signature_verifies_everywhere(agent: &Agent, dir: &Path, key: &Path) -> String {
    let public = public_key(key);
    let signer = SigningKey::Agent(AgentKey::connect(&agent.socket, public.clone()).unwrap());
    assert_eq!(signer.public_key().key_data(), public.key_data());
    assert_eq!(signer.fingerprint(), fingerprint(&public));

    let sig = signer.sign(RECORD).unwrap();
    assert!(sig.starts_with("-----BEGIN SSH SIGNATURE-----\n"), "{sig}");
    assert!(!sig.contains('\r'));

    let allowed = allowed_signers_line(ALICE, &public);
    assert_eq!(
        verify(
            RECORD,
            Some(&sig),
            &AllowedSigners::parse(&allowed),
            ALICE,
            NOW
        ),
        SignatureState::Valid {
            fingerprint: fingerprint(&public),
            principal: ALICE.to_string(),
        },
        "{}",
        key.display()
    );
    // Other bytes do not verify.
    let other = verify(
        b"{}",
        Some(&sig),
        &AllowedSigners::parse(&allowed),
        ALICE,
        NOW,
    );
    assert!(matches!(other, SignatureState::Invalid { .. }), "{other:?}");

    let out = ssh_verify(dir, &allowed, ALICE, &sig);
    assert!(
        out.status.success(),
        "ssh-keygen -Y verify refused the agent's signature with {}: {} {}",
        key.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains(&fingerprint(&public)));
    sig
}

#[test]
fn ed25519_through_the_agent_verifies_and_equals_the_file_signature() {
    let dir = tempfile::tempdir().unwrap();
    let key = keygen(dir.path(), "alice", ALICE, &["-t", "ed25519"]);
    let agent = Agent::start();
    agent.add(&key);

    let through_agent = agent_signature_verifies_everywhere(&agent, dir.path(), &key);
    // Ed25519 signatures are deterministic: the agent and the key file sign the same bytes the
    // same way, so the whole armored signature is identical.
    let from_file = SigningKey::File(load_private_key(&key, None).unwrap())
        .sign(RECORD)
        .unwrap();
    assert_eq!(through_agent, from_file);
}

#[test]
fn ecdsa_keys_through_the_agent_verify() {
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start();
    for bits in ["256", "384", "521"] {
        let key = keygen(
            dir.path(),
            &format!("ecdsa{bits}"),
            ALICE,
            &["-t", "ecdsa", "-b", bits],
        );
        agent.add(&key);
        agent_signature_verifies_everywhere(&agent, dir.path(), &key);
    }
}

#[test]
fn rsa_through_the_agent_signs_with_rsa_sha2_512_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let key = keygen(dir.path(), "rsa", ALICE, &["-t", "rsa", "-b", "2048"]);
    let agent = Agent::start();
    agent.add(&key);

    let sig = agent_signature_verifies_everywhere(&agent, dir.path(), &key);
    let parsed = SshSig::from_pem(&sig).unwrap();
    assert_eq!(parsed.hash_alg(), HashAlg::Sha512);
    assert_eq!(
        parsed.signature().algorithm(),
        ssh_key::Algorithm::Rsa {
            hash: Some(HashAlg::Sha512)
        },
        "the agent must be asked for rsa-sha2-512, not ssh-rsa (SHA-1)"
    );
}

#[test]
fn the_agent_lists_its_keys_as_ssh_keygen_fingerprints_them() {
    let dir = tempfile::tempdir().unwrap();
    let ed = keygen(dir.path(), "ed", "ed@laptop", &["-t", "ed25519"]);
    let ec = keygen(dir.path(), "ec", "ec@laptop", &["-t", "ecdsa"]);
    let agent = Agent::start();
    assert_eq!(agent::list_identities(&agent.socket).unwrap(), vec![]);
    agent.add(&ed);
    agent.add(&ec);

    let listed = agent::list_identities(&agent.socket).unwrap();
    assert_eq!(listed.len(), 2, "{listed:?}");
    let ed_entry = listed.iter().find(|i| i.comment == "ed@laptop").unwrap();
    assert_eq!(ed_entry.algorithm, "ssh-ed25519");
    assert_eq!(ed_entry.fingerprint, fingerprint(&public_key(&ed)));
    assert!(!ed_entry.certificate);
    let out = Command::new("ssh-keygen")
        .args(["-l", "-E", "sha256", "-f"])
        .arg(ed.with_extension("pub"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains(&ed_entry.fingerprint));
    // The listed public key is what user.signingkey takes after key::.
    assert_eq!(
        resolve_signing_key(&format!("key::{}", ed_entry.public_key)).unwrap(),
        KeyChoice::Agent(ssh_key::PublicKey::new(
            public_key(&ed).key_data().clone(),
            ""
        ))
    );
    let ec_entry = listed.iter().find(|i| i.comment == "ec@laptop").unwrap();
    assert_eq!(ec_entry.algorithm, "ecdsa-sha2-nistp256");
}

#[test]
fn a_key_the_agent_does_not_hold_is_key_not_in_agent() {
    let dir = tempfile::tempdir().unwrap();
    let held = keygen(dir.path(), "held", ALICE, &["-t", "ed25519"]);
    let other = keygen(dir.path(), "other", ALICE, &["-t", "ed25519"]);
    let agent = Agent::start();
    agent.add(&held);

    let err = AgentKey::connect(&agent.socket, public_key(&other)).unwrap_err();
    assert_eq!(
        err,
        SigningError::KeyNotInAgent {
            fingerprint: fingerprint(&public_key(&other))
        }
    );
    assert_eq!(err.code(), "key_not_in_agent");
    assert!(err.to_string().contains("ssh-add"), "{err}");

    // The agent forgetting the key after it was chosen: nothing is signed.
    let chosen = AgentKey::connect(&agent.socket, public_key(&held)).unwrap();
    agent.remove(&held);
    assert_eq!(
        chosen.sign(RECORD).unwrap_err(),
        SigningError::KeyNotInAgent {
            fingerprint: fingerprint(&public_key(&held))
        }
    );
}

#[test]
fn no_agent_is_agent_unavailable() {
    let dir = tempfile::tempdir().unwrap();
    let key = keygen(dir.path(), "alice", ALICE, &["-t", "ed25519"]);
    let nowhere = dir.path().join("no-agent.sock");

    let err = agent::list_identities(&nowhere).unwrap_err();
    assert!(
        matches!(err, SigningError::AgentUnavailable { .. }),
        "{err:?}"
    );
    assert_eq!(err.code(), "agent_unavailable");
    let err = AgentKey::connect(&nowhere, public_key(&key)).unwrap_err();
    assert!(
        matches!(err, SigningError::AgentUnavailable { .. }),
        "{err:?}"
    );

    // The agent going away after the key was chosen.
    let mut agent = Agent::start();
    agent.add(&key);
    let chosen = AgentKey::connect(&agent.socket, public_key(&key)).unwrap();
    agent.stop();
    let err = chosen.sign(RECORD).unwrap_err();
    assert!(
        matches!(err, SigningError::AgentUnavailable { .. }),
        "{err:?}"
    );
}

#[test]
fn user_signingkey_is_read_as_git_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let key = keygen(dir.path(), "alice", ALICE, &["-t", "ed25519"]);
    let public = public_key(&key);
    let key_text = public.to_openssh().unwrap();

    // A private key file: loaded from the file, as before.
    assert_eq!(
        resolve_signing_key(key.to_str().unwrap()).unwrap(),
        KeyChoice::File(key.clone())
    );
    // Its .pub: the agent signs.
    let pub_path = key.with_extension("pub");
    match resolve_signing_key(pub_path.to_str().unwrap()).unwrap() {
        KeyChoice::Agent(k) => assert_eq!(k.key_data(), public.key_data()),
        other => panic!("{other:?}"),
    }
    // A literal key, git's key:: form and its older bare ssh- form, with or without comment.
    for literal in [
        format!("key::{key_text}"),
        format!("  key::{}  ", key_text.trim_end()),
        key_text.clone(),
    ] {
        match resolve_signing_key(&literal).unwrap() {
            KeyChoice::Agent(k) => assert_eq!(k.key_data(), public.key_data()),
            other => panic!("{literal}: {other:?}"),
        }
    }
    // An ECDSA literal needs key:: (git treats only ssh-… as a literal without it).
    let ec = keygen(dir.path(), "ec", ALICE, &["-t", "ecdsa"]);
    let ec_text = public_key(&ec).to_openssh().unwrap();
    assert!(matches!(
        resolve_signing_key(&format!("key::{ec_text}")).unwrap(),
        KeyChoice::Agent(_)
    ));
    assert!(matches!(
        resolve_signing_key(&ec_text).unwrap_err(),
        SigningError::KeyUnreadable { .. }
    ));

    let err = resolve_signing_key("key::ssh-ed25519 not-base64").unwrap_err();
    assert_eq!(err.code(), "invalid_public_key");
    assert_eq!(
        resolve_signing_key("  ").unwrap_err(),
        SigningError::NoSigningKey
    );
    let missing = dir.path().join("missing");
    assert!(matches!(
        resolve_signing_key(missing.to_str().unwrap()).unwrap_err(),
        SigningError::KeyUnreadable { path, .. } if path == missing
    ));
    if let Some(home) = std::env::var_os("HOME") {
        let name = format!("wheelhouse-no-such-key-{}", std::process::id());
        match resolve_signing_key(&format!("~/{name}")).unwrap_err() {
            SigningError::KeyUnreadable { path, .. } => {
                assert_eq!(path, Path::new(&home).join(&name))
            }
            other => panic!("{other:?}"),
        }
    }
    // A file that is neither: taken as a private key, refused when loaded.
    let junk = dir.path().join("junk");
    std::fs::write(&junk, "not a key\n").unwrap();
    assert_eq!(
        resolve_signing_key(junk.to_str().unwrap()).unwrap(),
        KeyChoice::File(junk.clone())
    );
    assert!(matches!(
        load_private_key(&junk, None).unwrap_err(),
        SigningError::NotAPrivateKey { .. }
    ));
}
