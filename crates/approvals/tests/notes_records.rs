//! The note line format: git-appraise's fields plus our `"wheelhouse"` key, the canonical bytes a
//! signature covers, and what happens to lines that are not records. No repository needed.

use git2::Oid;
use ssh_key::rand_core::OsRng;
use ssh_key::{Algorithm, PrivateKey};
use wheelhouse_approvals::notes::{
    canonical_json, cat_sort_uniq, fetch_refspec, parse_note, remote_notes_ref, signed_bytes,
    to_line, MalformedLine, ParsedLine, ReviewComment, ReviewRequest, DISCUSS_REF, FETCH_REFSPEC,
    PUSH_REFSPEC, REVIEWS_REF,
};
use wheelhouse_approvals::signing::{
    allowed_signers_line, sign, verify, AllowedSigners, SignatureState,
};

const ALICE: &str = "alice@example.com";
const HEAD: &str = "8e1f3c2b9a7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f";
const NOW: i64 = 1_748_736_000;

fn approval() -> ReviewComment {
    ReviewComment::verdict(
        ALICE,
        Oid::from_str(HEAD).unwrap(),
        "sha256:c0ffee",
        true,
        "Looks good",
        1_700_000_000,
    )
}

fn signed(mut comment: ReviewComment, key: &PrivateKey) -> ReviewComment {
    let bytes = signed_bytes(&comment).unwrap();
    comment.set_signature(sign(&bytes, key).unwrap());
    comment
}

fn only<T>(parsed: Vec<ParsedLine<T>>) -> wheelhouse_approvals::notes::Record<T> {
    assert_eq!(parsed.len(), 1);
    parsed.into_iter().next().unwrap().unwrap()
}

fn state_of(line: &str, allowed: &AllowedSigners) -> SignatureState {
    let record = only(parse_note::<ReviewComment>(line.as_bytes()));
    verify(
        &record.signed_bytes,
        record.signature.as_deref(),
        allowed,
        &record.record.author,
        NOW,
    )
}

#[test]
fn an_approval_is_a_git_appraise_comment_with_our_extra_key() {
    let line = to_line(&approval()).unwrap();

    assert_eq!(
        line,
        r#"{"author":"alice@example.com","description":"Looks good","location":{"commit":"8e1f3c2b9a7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f"},"resolved":true,"timestamp":"1700000000","v":0,"wheelhouse":{"content":"sha256:c0ffee"}}"#
    );
}

#[test]
fn a_request_for_changes_has_resolved_false() {
    let comment = ReviewComment::verdict(
        ALICE,
        Oid::from_str(HEAD).unwrap(),
        "sha256:c0ffee",
        false,
        "",
        1_700_000_000,
    );
    let back = only(parse_note::<ReviewComment>(
        to_line(&comment).unwrap().as_bytes(),
    ));

    assert!(back.record.requests_changes());
    assert!(!back.record.is_approval());
    assert!(!to_line(&comment).unwrap().contains("description"));
}

#[test]
fn a_review_request_uses_git_appraise_field_names() {
    let request = ReviewRequest::new(
        "dana@example.com",
        "refs/heads/promote-staging",
        "refs/heads/main",
        Oid::from_str(HEAD).unwrap(),
        "Promote api to staging",
        999_999_999,
    );

    let line = to_line(&request).unwrap();
    let back = only(parse_note::<ReviewRequest>(line.as_bytes()));

    assert_eq!(
        line,
        r#"{"baseCommit":"8e1f3c2b9a7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f","description":"Promote api to staging","requester":"dana@example.com","reviewRef":"refs/heads/promote-staging","targetRef":"refs/heads/main","timestamp":"0999999999","v":0}"#
    );
    assert_eq!(back.record, request);
}

#[test]
fn the_signed_bytes_are_the_sorted_compact_record_without_the_signature() {
    let key = PrivateKey::random(&mut OsRng, Algorithm::Ed25519).unwrap();
    let unsigned = approval();
    let with_signature = signed(unsigned.clone(), &key);

    let bytes = signed_bytes(&with_signature).unwrap();

    assert_eq!(bytes, signed_bytes(&unsigned).unwrap());
    assert_eq!(bytes, to_line(&unsigned).unwrap().into_bytes());
    assert!(to_line(&with_signature)
        .unwrap()
        .contains(r#""signature":"-----BEGIN SSH SIGNATURE-----\n"#));
}

#[test]
fn a_signed_record_survives_the_round_trip_through_a_note_line() {
    let key = PrivateKey::random(&mut OsRng, Algorithm::Ed25519).unwrap();
    let allowed = AllowedSigners::parse(&allowed_signers_line(ALICE, key.public_key()));
    let comment = signed(approval(), &key);

    let line = to_line(&comment).unwrap();
    let record = only(parse_note::<ReviewComment>(format!("{line}\n").as_bytes()));

    assert_eq!(record.record, comment);
    assert_eq!(record.line_no, 1);
    assert_eq!(record.record.approved_head(), Some(HEAD));
    assert_eq!(record.record.content(), Some("sha256:c0ffee"));
    assert!(state_of(&line, &allowed).is_valid());
}

#[test]
fn reordered_keys_and_whitespace_do_not_break_the_signature() {
    let key = PrivateKey::random(&mut OsRng, Algorithm::Ed25519).unwrap();
    let allowed = AllowedSigners::parse(&allowed_signers_line(ALICE, key.public_key()));
    let line = to_line(&signed(approval(), &key)).unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&line).unwrap();
    let object = value.as_object_mut().unwrap();
    // Rebuild the object in reverse key order, pretty-printed on one line with spaces.
    let reversed: serde_json::Map<String, serde_json::Value> = object
        .iter()
        .rev()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let respaced = serde_json::to_string(&reversed)
        .unwrap()
        .replace("\":", "\" : ")
        .replace(",\"", ", \"");

    assert!(state_of(&respaced, &allowed).is_valid(), "{respaced}");
}

#[test]
fn changing_any_signed_field_invalidates_the_signature() {
    let key = PrivateKey::random(&mut OsRng, Algorithm::Ed25519).unwrap();
    let allowed = AllowedSigners::parse(&allowed_signers_line(ALICE, key.public_key()));
    let line = to_line(&signed(approval(), &key)).unwrap();

    for (from, to) in [
        (r#""resolved":true"#, r#""resolved":false"#),
        (HEAD, "0000000000000000000000000000000000000001"),
        ("sha256:c0ffee", "sha256:decaf"),
        ("Looks good", "Looks bad"),
        ("1700000000", "1800000000"),
        (r#""v":0"#, r#""v":0,"parent":"abc""#),
    ] {
        let forged = line.replace(from, to);
        assert_ne!(forged, line);
        assert!(
            matches!(state_of(&forged, &allowed), SignatureState::Invalid { .. }),
            "{from} → {to} still verified"
        );
    }
}

#[test]
fn a_record_claiming_another_author_is_not_valid() {
    let mallory = PrivateKey::random(&mut OsRng, Algorithm::Ed25519).unwrap();
    let alice = PrivateKey::random(&mut OsRng, Algorithm::Ed25519).unwrap();
    let allowed = AllowedSigners::parse(&format!(
        "{}\n{}\n",
        allowed_signers_line(ALICE, alice.public_key()),
        allowed_signers_line("mallory@example.com", mallory.public_key())
    ));

    let line = to_line(&signed(approval(), &mallory)).unwrap();

    assert!(matches!(
        state_of(&line, &allowed),
        SignatureState::WrongPrincipal { .. }
    ));
}

#[test]
fn an_unsigned_record_is_missing_its_signature() {
    let allowed = AllowedSigners::parse("");

    assert_eq!(
        state_of(&to_line(&approval()).unwrap(), &allowed),
        SignatureState::Missing
    );
}

#[test]
fn keys_we_do_not_know_are_kept_and_signed() {
    let key = PrivateKey::random(&mut OsRng, Algorithm::Ed25519).unwrap();
    let allowed = AllowedSigners::parse(&allowed_signers_line(ALICE, key.public_key()));
    let written_elsewhere = r#"{"author":"alice@example.com","location":{"commit":"8e1f3c2b9a7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f","path":"apps/api.yaml","range":{"startLine":3}},"original":"f00d","resolved":true,"timestamp":"1700000000","v":0,"wheelhouse":{"content":"sha256:c0ffee","reviewer_note":"x"},"zeta":[1,{"b":2,"a":1}]}"#;
    let record = only(parse_note::<ReviewComment>(written_elsewhere.as_bytes()));

    let mut comment = record.record;
    let bytes = signed_bytes(&comment).unwrap();
    comment.set_signature(sign(&bytes, &key).unwrap());
    let line = to_line(&comment).unwrap();

    assert_eq!(record.signed_bytes, bytes);
    assert!(line.contains(r#""zeta":[1,{"a":1,"b":2}]"#), "{line}");
    assert!(line.contains(r#""reviewer_note":"x""#), "{line}");
    assert!(line.contains(r#""range":{"startLine":3}"#), "{line}");
    assert!(state_of(&line, &allowed).is_valid());
    assert!(matches!(
        state_of(&line.replace("startLine\":3", "startLine\":4"), &allowed),
        SignatureState::Invalid { .. }
    ));
}

#[test]
fn a_comment_written_by_git_appraise_is_read() {
    // git-appraise omits "v" when it is 0 and may carry its own GPG "signature" key.
    let line = r#"{"timestamp":"1700000000","author":"bob@example.com","location":{"commit":"8e1f3c2b9a7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f"},"description":"LGTM","resolved":true,"signature":"-----BEGIN PGP SIGNATURE-----"}"#;

    let record = only(parse_note::<ReviewComment>(line.as_bytes()));

    assert!(record.record.is_approval());
    assert_eq!(record.record.author, "bob@example.com");
    assert_eq!(record.record.content(), None);
    assert_eq!(record.signature, None);
    assert!(record.record.extra.contains_key("signature"));
}

#[test]
fn malformed_and_truncated_lines_are_reported_with_their_line_numbers() {
    let good = to_line(&approval()).unwrap();
    let mut note = Vec::new();
    for line in [
        good.as_str(),
        "",
        r#"{"author":"alice@example.com","resolved":tr"#,
        "approved by alice",
        r#"["author","alice@example.com"]"#,
        r#"{"author":"alice@example.com","resolved":"yes"}"#,
        r#"{"author":"alice@example.com","wheelhouse":{"content":"x","signature":7}}"#,
    ] {
        note.extend_from_slice(line.as_bytes());
        note.push(b'\n');
    }
    note.extend_from_slice(b"{\"author\":\"caf\xc3\"}\n");
    note.extend_from_slice(br#"{"author":"alice@example.com","location":{"commit":"8e1f"#);

    let parsed = parse_note::<ReviewComment>(&note);
    let errors: Vec<&MalformedLine> = parsed.iter().filter_map(|p| p.as_ref().err()).collect();

    assert_eq!(parsed.len(), 8);
    assert!(parsed[0].is_ok());
    assert_eq!(
        errors.iter().map(|e| e.line_no).collect::<Vec<_>>(),
        vec![3, 4, 5, 6, 7, 8, 9]
    );
    let reason = |line_no: usize| {
        errors
            .iter()
            .find(|e| e.line_no == line_no)
            .unwrap()
            .reason
            .clone()
    };
    assert!(reason(3).contains("truncated"), "{}", reason(3));
    assert!(reason(4).contains("not valid JSON"), "{}", reason(4));
    assert!(reason(5).contains("not an object"), "{}", reason(5));
    assert!(reason(6).contains("not a valid record"), "{}", reason(6));
    assert!(reason(7).contains("signature"), "{}", reason(7));
    assert!(reason(8).contains("UTF-8"), "{}", reason(8));
    assert!(reason(9).contains("truncated"), "{}", reason(9));
}

#[test]
fn cat_sort_uniq_sorts_bytewise_drops_empty_lines_and_duplicates() {
    let ours = b"b\n\na\nc\n";
    let theirs = b"a\nB\nc";

    assert_eq!(cat_sort_uniq(&[ours, theirs]), b"B\na\nb\nc\n".to_vec());
    assert_eq!(cat_sort_uniq(&[b"", b"\n\n"]), Vec::<u8>::new());
}

#[test]
fn canonical_json_sorts_nested_keys_and_escapes_minimally() {
    let value: serde_json::Value =
        serde_json::from_str(r#"{ "b": [ {"y": 1, "x": "é\t\"q\"" } ], "a": null }"#).unwrap();

    assert_eq!(
        canonical_json(&value),
        r#"{"a":null,"b":[{"x":"é\t\"q\"","y":1}]}"#
    );
}

#[test]
fn the_refspecs_follow_git_appraise() {
    assert_eq!(REVIEWS_REF, "refs/notes/devtools/reviews");
    assert_eq!(DISCUSS_REF, "refs/notes/devtools/discuss");
    assert_eq!(FETCH_REFSPEC, fetch_refspec("origin"));
    assert_eq!(
        fetch_refspec("upstream"),
        "+refs/notes/devtools/*:refs/notes/remotes/upstream/devtools/*"
    );
    assert_eq!(PUSH_REFSPEC, "refs/notes/devtools/*:refs/notes/devtools/*");
    assert_eq!(
        remote_notes_ref("origin", DISCUSS_REF),
        "refs/notes/remotes/origin/devtools/discuss"
    );
}
