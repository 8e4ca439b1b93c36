//! What a signature proves depends on the `allowed_signers` line that lists its key: principals
//! with wildcards and negation, `namespaces=`, `valid-after=`/`valid-before=`, and lines that
//! cannot be used. Keys are generated in-process; interop with ssh-keygen is in
//! signing_openssh_interop.rs.

use ssh_key::rand_core::OsRng;
use ssh_key::{Algorithm, PrivateKey};
use wheelhouse_approvals::signing::{
    allowed_signers_line, fingerprint, sign, verify, AllowedSigners, SignatureState, SigningError,
};

const RECORD: &[u8] = br#"{"author":"alice@example.com","resolved":true}"#;
/// 2025-06-01T00:00:00Z.
const NOW: i64 = 1_748_736_000;

fn key() -> PrivateKey {
    PrivateKey::random(&mut OsRng, Algorithm::Ed25519).unwrap()
}

fn openssh(key: &PrivateKey) -> String {
    key.public_key().to_openssh().unwrap()
}

fn check(allowed: &str, key: &PrivateKey, principal: &str, now: i64) -> SignatureState {
    let sig = sign(RECORD, key).unwrap();
    verify(
        RECORD,
        Some(&sig),
        &AllowedSigners::parse(allowed),
        principal,
        now,
    )
}

fn valid(key: &PrivateKey, principal: &str) -> SignatureState {
    SignatureState::Valid {
        fingerprint: fingerprint(key.public_key()),
        principal: principal.to_string(),
    }
}

#[test]
fn no_signature_is_missing_not_invalid() {
    let allowed = AllowedSigners::parse("");

    for sig in [None, Some(""), Some("  \n")] {
        assert_eq!(
            verify(RECORD, sig, &allowed, "alice@example.com", NOW),
            SignatureState::Missing
        );
    }
}

#[test]
fn text_that_is_not_an_ssh_signature_is_invalid() {
    let alice = key();
    let allowed = AllowedSigners::parse(&allowed_signers_line(
        "alice@example.com",
        alice.public_key(),
    ));

    let state = verify(
        RECORD,
        Some("-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----"),
        &allowed,
        "alice@example.com",
        NOW,
    );

    assert!(
        matches!(state, SignatureState::Invalid { ref reason } if reason.contains("not an SSH signature")),
        "{state:?}"
    );
}

#[test]
fn a_signature_over_other_bytes_is_invalid_even_from_a_listed_key() {
    let alice = key();
    let allowed = AllowedSigners::parse(&allowed_signers_line(
        "alice@example.com",
        alice.public_key(),
    ));
    let sig = sign(b"another record", &alice).unwrap();

    let state = verify(RECORD, Some(&sig), &allowed, "alice@example.com", NOW);

    assert!(matches!(state, SignatureState::Invalid { .. }), "{state:?}");
}

#[test]
fn wildcard_principals_match_like_openssh() {
    let ops = key();
    let allowed = format!("*@ops.example.com {}", openssh(&ops));

    assert_eq!(
        check(&allowed, &ops, "dana@ops.example.com", NOW),
        valid(&ops, "dana@ops.example.com")
    );
    assert!(matches!(
        check(&allowed, &ops, "dana@example.com", NOW),
        SignatureState::WrongPrincipal { ref key_principals, .. } if key_principals == &["*@ops.example.com".to_string()]
    ));
}

#[test]
fn a_negated_principal_is_excluded_from_a_wildcard() {
    let shared = key();
    let allowed = format!("*@example.com,!mallory@example.com {}", openssh(&shared));

    assert!(check(&allowed, &shared, "alice@example.com", NOW).is_valid());
    assert!(matches!(
        check(&allowed, &shared, "mallory@example.com", NOW),
        SignatureState::WrongPrincipal { .. }
    ));
}

#[test]
fn principals_are_case_sensitive_like_ssh_keygen() {
    let alice = key();
    let allowed = format!("alice@example.com {}", openssh(&alice));

    assert!(matches!(
        check(&allowed, &alice, "Alice@example.com", NOW),
        SignatureState::WrongPrincipal { .. }
    ));
}

#[test]
fn several_principals_and_a_quoted_list_are_read() {
    let alice = key();
    let bob = key();
    let allowed = format!(
        "alice@example.com,alice@corp.example {}\n\"bob@example.com,robert@example.com\" {}\n",
        openssh(&alice),
        openssh(&bob)
    );

    assert!(check(&allowed, &alice, "alice@corp.example", NOW).is_valid());
    assert!(check(&allowed, &bob, "robert@example.com", NOW).is_valid());
}

#[test]
fn the_namespaces_option_allows_wheelhouse_only_when_listed() {
    let alice = key();
    let pk = openssh(&alice);

    for (option, allowed) in [
        ("namespaces=\"git,wheelhouse\"", true),
        ("namespaces=\"wheel*\"", true),
        ("NAMESPACES=\"wheelhouse\"", true),
        ("namespaces=\"git\"", false),
        ("namespaces=\"*,!wheelhouse\"", false),
    ] {
        let state = check(
            &format!("alice@example.com {option} {pk}"),
            &alice,
            "alice@example.com",
            NOW,
        );
        assert_eq!(state.is_valid(), allowed, "{option}: {state:?}");
    }
}

#[test]
fn validity_times_are_respected_at_the_given_moment() {
    let alice = key();
    let line = format!(
        "alice@example.com valid-after=\"20250101Z\",valid-before=\"202507011200Z\" {}",
        openssh(&alice)
    );
    let jan_1 = 1_735_689_600;
    let jul_1_noon = 1_751_371_200;

    assert!(matches!(
        check(&line, &alice, "alice@example.com", jan_1 - 1),
        SignatureState::Invalid { ref reason } if reason.contains("only after 2025-01-01 00:00:00 UTC")
    ));
    assert!(check(&line, &alice, "alice@example.com", jan_1).is_valid());
    assert!(check(&line, &alice, "alice@example.com", jul_1_noon - 1).is_valid());
    assert!(matches!(
        check(&line, &alice, "alice@example.com", jul_1_noon),
        SignatureState::Invalid { ref reason } if reason.contains("only before 2025-07-01 12:00:00 UTC")
    ));
}

#[test]
fn any_line_that_allows_the_key_makes_it_valid() {
    let alice = key();
    let pk = openssh(&alice);
    let allowed = format!(
        "alice@example.com namespaces=\"git\" {pk}\nalice@example.com namespaces=\"wheelhouse\" {pk}\n"
    );

    assert!(check(&allowed, &alice, "alice@example.com", NOW).is_valid());
}

#[test]
fn comments_blank_lines_key_comments_and_crlf_are_accepted() {
    let alice = key();
    let allowed = format!(
        "# Wheelhouse approvers\r\n\r\n   \r\n  alice@example.com {} alice's laptop key\r\n",
        openssh(&alice)
    );
    let parsed = AllowedSigners::parse(&allowed);

    assert!(parsed.problems().is_empty(), "{:?}", parsed.problems());
    assert_eq!(parsed.entries().len(), 1);
    assert_eq!(parsed.entries()[0].line_no, 4);
    assert!(check(&allowed, &alice, "alice@example.com", NOW).is_valid());
}

#[test]
fn unusable_lines_are_reported_by_number_and_the_rest_still_works() {
    let alice = key();
    let pk = openssh(&alice);
    let allowed = format!(
        "bob@example.com\n\
         carol@example.com ssh-ed25519 not-base64!\n\
         dan@example.com restrict {pk}\n\
         erin@example.com valid-after=\"tomorrow\" {pk}\n\
         frank@example.com namespaces=wheelhouse {pk}\n\
         alice@example.com {pk}\n"
    );

    let parsed = AllowedSigners::parse(&allowed);
    let lines: Vec<usize> = parsed.problems().iter().map(|p| p.line_no).collect();

    assert_eq!(lines, vec![1, 2, 3, 4, 5], "{:?}", parsed.problems());
    assert!(
        parsed.problems()[2].reason.contains("restrict"),
        "{:?}",
        parsed.problems()[2]
    );
    assert!(
        parsed.problems()[4].reason.contains("double quotes"),
        "{:?}",
        parsed.problems()[4]
    );
    assert!(check(&allowed, &alice, "alice@example.com", NOW).is_valid());
}

#[test]
fn cert_authority_lines_are_reported_as_unsupported_and_never_match() {
    let ca = key();
    let allowed = format!("*@example.com cert-authority {}", openssh(&ca));

    let parsed = AllowedSigners::parse(&allowed);

    assert!(parsed.problems()[0].reason.contains("not supported"));
    assert!(parsed.is_empty());
    assert!(matches!(
        check(&allowed, &ca, "alice@example.com", NOW),
        SignatureState::UnknownKey { .. }
    ));
}

#[test]
fn an_empty_allowed_signers_knows_no_key() {
    let alice = key();

    assert!(AllowedSigners::parse("# nobody yet\n").is_empty());
    assert_eq!(
        check("", &alice, "alice@example.com", NOW),
        SignatureState::UnknownKey {
            fingerprint: fingerprint(alice.public_key())
        }
    );
}

#[test]
fn the_line_settings_shows_is_restricted_to_wheelhouse_and_has_no_comment() {
    let mut alice = key();
    alice.set_comment("alice@laptop");

    let line = allowed_signers_line("alice@example.com", alice.public_key());

    assert!(
        line.starts_with("alice@example.com namespaces=\"wheelhouse\" ssh-ed25519 AAAA"),
        "{line}"
    );
    assert!(!line.contains("laptop"), "{line}");
    assert!(check(&line, &alice, "alice@example.com", NOW).is_valid());
}

#[test]
fn fingerprints_are_sha256_in_ssh_keygen_form() {
    let fp = fingerprint(key().public_key());

    assert!(fp.starts_with("SHA256:"), "{fp}");
    assert_eq!(fp.len(), "SHA256:".len() + 43, "{fp}");
}

#[test]
fn the_state_serialises_with_a_state_tag() {
    let state = SignatureState::WrongPrincipal {
        fingerprint: "SHA256:abc".to_string(),
        key_principals: vec!["bob@example.com".to_string()],
    };

    assert_eq!(
        serde_json::to_string(&state).unwrap(),
        r#"{"state":"wrong_principal","fingerprint":"SHA256:abc","key_principals":["bob@example.com"]}"#
    );
    assert_eq!(
        serde_json::to_string(&SignatureState::Missing).unwrap(),
        r#"{"state":"missing"}"#
    );
}

#[test]
fn an_encrypted_key_must_be_unlocked_before_signing() {
    let locked = key().encrypt(&mut OsRng, "secret").unwrap();

    assert_eq!(sign(RECORD, &locked).unwrap_err(), SigningError::KeyLocked);
}

#[test]
fn signatures_are_armored_sha512_for_the_wheelhouse_namespace() {
    let sig = sign(RECORD, &key()).unwrap();
    let parsed: ssh_key::SshSig = sig.parse().unwrap();

    assert!(sig.starts_with("-----BEGIN SSH SIGNATURE-----\n"));
    assert_eq!(parsed.namespace(), "wheelhouse");
    assert_eq!(parsed.hash_alg(), ssh_key::HashAlg::Sha512);
}
