//! Approval records stored as git notes, in the format of git-appraise.
//!
//! A review request is a note line in `refs/notes/devtools/reviews` on the change's first commit; an
//! approval (`"resolved": true`) or a request for changes (`"resolved": false`) is a note line in
//! `refs/notes/devtools/discuss` on the same commit, with `location.commit` the approved head. Each
//! line is one JSON object. Our own fields live under the extra key `"wheelhouse"` (the content id
//! and the SSHSIG signature), which git-appraise ignores, and every key we do not know is kept.
//!
//! Notes are merged line-wise, as `git notes merge -s cat_sort_uniq` does: the lines of both
//! sides, without empty lines, sorted bytewise, duplicates removed, each ending in `\n`. So two
//! clones that each added approvals never lose one when their notes refs meet.
//!
//! Not here: deciding whether a record counts (see [`crate::policy`]), checking a signature (see
//! [`crate::signing`]), and the network (the caller fetches and pushes with [`FETCH_REFSPEC`] and
//! [`PUSH_REFSPEC`]).

use git2::{ErrorCode, Oid, Repository, Signature};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use ts_rs::TS;

/// Review requests, one per change, on the change's first commit.
pub const REVIEWS_REF: &str = "refs/notes/devtools/reviews";
/// Comments, approvals and requests for changes, on the change's first commit.
pub const DISCUSS_REF: &str = "refs/notes/devtools/discuss";
/// Fetches every devtools notes ref of `origin` beside the local ones, as git-appraise does; then
/// [`merge_notes_refs`] merges each into its local ref. Forced, because a remote notes ref is
/// only ever read from.
pub const FETCH_REFSPEC: &str = "+refs/notes/devtools/*:refs/notes/remotes/origin/devtools/*";
/// Pushes the local devtools notes refs. Not forced: merge what was fetched first, so the push
/// is a fast-forward and never drops someone else's record.
pub const PUSH_REFSPEC: &str = "refs/notes/devtools/*:refs/notes/devtools/*";

/// [`FETCH_REFSPEC`] for another remote than `origin`.
pub fn fetch_refspec(remote: &str) -> String {
    format!("+refs/notes/devtools/*:refs/notes/remotes/{remote}/devtools/*")
}

/// Where [`fetch_refspec`] puts a remote's copy of `local_ref`:
/// `refs/notes/devtools/discuss` → `refs/notes/remotes/origin/devtools/discuss`.
pub fn remote_notes_ref(remote: &str, local_ref: &str) -> String {
    let relative = local_ref.strip_prefix("refs/notes/").unwrap_or(local_ref);
    format!("refs/notes/remotes/{remote}/{relative}")
}

/// Formats a Unix time as git-appraise does: decimal seconds, zero-padded to 10 digits so that
/// timestamps sort as text.
pub fn format_timestamp(unix: i64) -> String {
    format!("{unix:010}")
}

/// Our fields in a record, under the key `"wheelhouse"`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WheelhouseStamp {
    /// The content id of the change when it was approved: approvals carry over to a new head
    /// only when its content id is the same.
    #[serde(default)]
    pub content: String,
    /// The armored SSHSIG (namespace `wheelhouse`) over [`signed_bytes`] of the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// A git-appraise review request (`refs/notes/devtools/reviews`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewRequest {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub timestamp: String,
    /// The change branch, e.g. `refs/heads/promote-staging`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub review_ref: String,
    /// The branch the change targets, e.g. `refs/heads/main`.
    #[serde(default)]
    pub target_ref: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub requester: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reviewers: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The target's tip when the review was requested.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub base_commit: String,
    /// The format version; git-appraise reads only version 0.
    #[serde(rename = "v", default)]
    pub version: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wheelhouse: Option<WheelhouseStamp>,
    /// Keys we do not know (git-appraise's `alias`, `signature`, later additions), kept as read.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// Where a comment points: for an approval, the approved head commit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Location {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// `range` and anything else, kept as read.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// A git-appraise comment (`refs/notes/devtools/discuss`). With no parent, `resolved: true`
/// approves the change at `location.commit` and `resolved: false` requests changes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReviewComment {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub timestamp: String,
    /// The author's email: the principal the signature must belong to.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub author: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved: Option<bool>,
    #[serde(rename = "v", default)]
    pub version: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wheelhouse: Option<WheelhouseStamp>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl ReviewRequest {
    pub fn new(
        requester: &str,
        review_ref: &str,
        target_ref: &str,
        base_commit: Oid,
        description: &str,
        unix_time: i64,
    ) -> ReviewRequest {
        ReviewRequest {
            timestamp: format_timestamp(unix_time),
            review_ref: review_ref.to_string(),
            target_ref: target_ref.to_string(),
            requester: requester.to_string(),
            description: description.to_string(),
            base_commit: base_commit.to_string(),
            ..ReviewRequest::default()
        }
    }

    /// Stores `armored` (from [`crate::signing::sign`] over [`signed_bytes`]) as
    /// `wheelhouse.signature`.
    pub fn set_signature(&mut self, armored: String) {
        self.wheelhouse
            .get_or_insert_with(Default::default)
            .signature = Some(armored);
    }
}

impl ReviewComment {
    /// An approval (`approve: true`) or a request for changes (`approve: false`) of the change
    /// whose head is `head` and whose content id is `content`. Unsigned until
    /// [`ReviewComment::set_signature`].
    pub fn verdict(
        author: &str,
        head: Oid,
        content: &str,
        approve: bool,
        description: &str,
        unix_time: i64,
    ) -> ReviewComment {
        ReviewComment {
            timestamp: format_timestamp(unix_time),
            author: author.to_string(),
            location: Some(Location {
                commit: Some(head.to_string()),
                ..Location::default()
            }),
            description: description.to_string(),
            resolved: Some(approve),
            wheelhouse: Some(WheelhouseStamp {
                content: content.to_string(),
                ..WheelhouseStamp::default()
            }),
            ..ReviewComment::default()
        }
    }

    /// True for a top-level comment that approves (`"resolved": true`, no parent).
    pub fn is_approval(&self) -> bool {
        self.parent.is_none() && self.resolved == Some(true)
    }

    /// True for a top-level comment that requests changes (`"resolved": false`, no parent).
    pub fn requests_changes(&self) -> bool {
        self.parent.is_none() && self.resolved == Some(false)
    }

    /// The head commit the comment is about, as written (not checked to be a commit).
    pub fn approved_head(&self) -> Option<&str> {
        self.location.as_ref()?.commit.as_deref()
    }

    /// The content id under `wheelhouse.content`, if any.
    pub fn content(&self) -> Option<&str> {
        self.wheelhouse
            .as_ref()
            .map(|w| w.content.as_str())
            .filter(|c| !c.is_empty())
    }

    /// Stores `armored` (from [`crate::signing::sign`] over [`signed_bytes`]) as
    /// `wheelhouse.signature`.
    pub fn set_signature(&mut self, armored: String) {
        self.wheelhouse
            .get_or_insert_with(Default::default)
            .signature = Some(armored);
    }
}

/// The bytes a record's signature covers: the record's JSON without `wheelhouse.signature`, in
/// canonical form (see [`canonical_json`]). The same for a record about to be signed and for the
/// line it becomes, however that line is later re-ordered or re-spaced.
pub fn signed_bytes<T: Serialize>(record: &T) -> Result<Vec<u8>, NotesError> {
    let value = serde_json::to_value(record).map_err(|e| NotesError::InvalidRecord {
        reason: e.to_string(),
    })?;
    let Value::Object(object) = value else {
        return Err(NotesError::InvalidRecord {
            reason: "a record must be a JSON object".to_string(),
        });
    };
    Ok(signed_bytes_of(object))
}

fn signed_bytes_of(mut object: Map<String, Value>) -> Vec<u8> {
    if let Some(Value::Object(ours)) = object.get_mut("wheelhouse") {
        ours.remove("signature");
    }
    canonical_json(&Value::Object(object)).into_bytes()
}

/// One record as a note line: [`canonical_json`] of the whole record, signature included.
pub fn to_line<T: Serialize>(record: &T) -> Result<String, NotesError> {
    let value = serde_json::to_value(record).map_err(|e| NotesError::InvalidRecord {
        reason: e.to_string(),
    })?;
    if !value.is_object() {
        return Err(NotesError::InvalidRecord {
            reason: "a record must be a JSON object".to_string(),
        });
    }
    Ok(canonical_json(&value))
}

/// Canonical JSON: object keys sorted by their UTF-8 bytes, no whitespace, strings escaped as
/// serde_json escapes them (`"`, `\`, control characters; everything else literal UTF-8),
/// numbers as serde_json prints them. For records with ASCII keys and integer numbers (all of
/// ours) this is the JSON Canonicalization Scheme (RFC 8785).
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(&map[key], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// A record read from a note line.
#[derive(Debug, Clone, PartialEq)]
pub struct Record<T> {
    /// 1-based line number in the note, counting empty lines, as `git notes show` prints it.
    pub line_no: usize,
    pub record: T,
    /// What the signature must cover: [`signed_bytes`] computed from the line as stored.
    pub signed_bytes: Vec<u8>,
    /// `wheelhouse.signature`, when the line has one.
    pub signature: Option<String>,
}

/// A note line that is not a record: never dropped silently, so a truncated or forged line is
/// seen (and cannot count as an approval).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MalformedLine {
    pub line_no: usize,
    pub reason: String,
}

/// One non-empty note line: a record, or why it is not one.
pub type ParsedLine<T> = Result<Record<T>, MalformedLine>;

/// Parses the text of a note (one JSON object per line; empty lines, which `git notes append`
/// leaves between entries, are skipped).
pub fn parse_note<T: DeserializeOwned>(note: &[u8]) -> Vec<ParsedLine<T>> {
    note.split(|&b| b == b'\n')
        .enumerate()
        .filter(|(_, line)| !line.iter().all(u8::is_ascii_whitespace))
        .map(|(index, line)| parse_line(index + 1, line))
        .collect()
}

fn parse_line<T: DeserializeOwned>(line_no: usize, bytes: &[u8]) -> ParsedLine<T> {
    let malformed = |reason: String| MalformedLine { line_no, reason };
    let text = std::str::from_utf8(bytes)
        .map_err(|e| malformed(format!("line {line_no} is not valid UTF-8 ({e})")))?;
    let value: Value = serde_json::from_str(text).map_err(|e| {
        malformed(if e.is_eof() {
            format!("line {line_no} is truncated: it ends before its JSON object does ({e})")
        } else {
            format!("line {line_no} is not valid JSON ({e})")
        })
    })?;
    let Value::Object(object) = value else {
        return Err(malformed(format!(
            "line {line_no} is JSON but not an object"
        )));
    };
    let signature = match object.get("wheelhouse").and_then(|w| w.get("signature")) {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            return Err(malformed(format!(
                "line {line_no} has a wheelhouse.signature that is not a string"
            )))
        }
    };
    let record = T::deserialize(Value::Object(object.clone()))
        .map_err(|e| malformed(format!("line {line_no} is not a valid record ({e})")))?;
    Ok(Record {
        line_no,
        record,
        signed_bytes: signed_bytes_of(object),
        signature,
    })
}

/// Why a notes ref could not be read or written. Messages name the ref.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotesError {
    #[error("The record is not one JSON object on one line ({reason}). Nothing was written.")]
    InvalidRecord { reason: String },
    #[error(
        "{notes_ref} is not a notes ref (it must start with refs/notes/). Nothing was written."
    )]
    InvalidRef { notes_ref: String },
    #[error("{notes_ref} moved while it was being updated (another process wrote notes). Nothing was lost; try again.")]
    Concurrent { notes_ref: String },
    #[error("Git could not {action} {notes_ref}: {message}")]
    Git {
        action: &'static str,
        notes_ref: String,
        message: String,
    },
}

impl NotesError {
    /// A stable machine code for the error.
    pub fn code(&self) -> wheelhouse_diagnostics::ErrorCode {
        match self {
            NotesError::InvalidRecord { .. } => wheelhouse_diagnostics::ErrorCode::InvalidRecord,
            NotesError::InvalidRef { .. } => wheelhouse_diagnostics::ErrorCode::InvalidRef,
            NotesError::Concurrent { .. } => wheelhouse_diagnostics::ErrorCode::ConcurrentUpdate,
            NotesError::Git { .. } => wheelhouse_diagnostics::ErrorCode::Git,
        }
    }
}

fn git_error<'a>(
    action: &'static str,
    notes_ref: &'a str,
) -> impl FnOnce(git2::Error) -> NotesError + 'a {
    move |e| {
        if e.code() == ErrorCode::Modified || e.code() == ErrorCode::Locked {
            NotesError::Concurrent {
                notes_ref: notes_ref.to_string(),
            }
        } else {
            NotesError::Git {
                action,
                notes_ref: notes_ref.to_string(),
                message: e.message().to_string(),
            }
        }
    }
}

fn check_ref(notes_ref: &str) -> Result<(), NotesError> {
    if notes_ref.starts_with("refs/notes/") && git2::Reference::is_valid_name(notes_ref) {
        Ok(())
    } else {
        Err(NotesError::InvalidRef {
            notes_ref: notes_ref.to_string(),
        })
    }
}

/// The note on `commit` in `notes_ref`, as bytes; `None` when there is none.
fn note_bytes(
    repo: &Repository,
    notes_ref: &str,
    commit: Oid,
) -> Result<Option<Vec<u8>>, NotesError> {
    match repo.find_note(Some(notes_ref), commit) {
        Ok(note) => Ok(Some(note.message_bytes().to_vec())),
        Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
        Err(e) => Err(git_error("read", notes_ref)(e)),
    }
}

/// git's `cat_sort_uniq`: the lines of all `notes`, empty ones dropped, sorted bytewise, each
/// once, each followed by `\n`.
pub fn cat_sort_uniq(notes: &[&[u8]]) -> Vec<u8> {
    let mut lines: Vec<&[u8]> = notes
        .iter()
        .flat_map(|note| note.split(|&b| b == b'\n'))
        .filter(|line| !line.is_empty())
        .collect();
    lines.sort_unstable();
    lines.dedup();
    let mut out = Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    for line in lines {
        out.extend_from_slice(line);
        out.push(b'\n');
    }
    out
}

/// Adds `record_line` to the note on `commit` in `notes_ref`, merged line-wise with what is there
/// ([`cat_sort_uniq`]), in a new notes commit by `signature`. Adding a line that is already there
/// changes nothing. Returns the notes ref's commit afterwards.
pub fn append_record(
    repo: &Repository,
    notes_ref: &str,
    commit: Oid,
    record_line: &str,
    signature: &Signature<'_>,
) -> Result<Oid, NotesError> {
    check_ref(notes_ref)?;
    if record_line.contains(['\n', '\r']) {
        return Err(NotesError::InvalidRecord {
            reason: "it spans several lines".to_string(),
        });
    }
    match serde_json::from_str::<Value>(record_line) {
        Ok(Value::Object(_)) => {}
        Ok(_) => {
            return Err(NotesError::InvalidRecord {
                reason: "it is not a JSON object".to_string(),
            })
        }
        Err(e) => {
            return Err(NotesError::InvalidRecord {
                reason: e.to_string(),
            })
        }
    }
    let existing = note_bytes(repo, notes_ref, commit)?.unwrap_or_default();
    let merged = cat_sort_uniq(&[&existing, record_line.as_bytes()]);
    if merged != existing {
        let text = String::from_utf8(merged).map_err(|_| NotesError::InvalidRecord {
            reason: format!("the existing note on {commit} is not UTF-8"),
        })?;
        repo.note(signature, signature, Some(notes_ref), commit, &text, true)
            .map_err(git_error("write", notes_ref))?;
    }
    repo.refname_to_id(notes_ref)
        .map_err(git_error("read", notes_ref))
}

/// Every non-empty line of the note on `commit` in `notes_ref`, parsed as `T`
/// ([`ReviewRequest`] or [`ReviewComment`]); no note gives no lines.
pub fn read_records<T: DeserializeOwned>(
    repo: &Repository,
    notes_ref: &str,
    commit: Oid,
) -> Result<Vec<ParsedLine<T>>, NotesError> {
    check_ref(notes_ref)?;
    Ok(note_bytes(repo, notes_ref, commit)?
        .map(|note| parse_note(&note))
        .unwrap_or_default())
}

/// What [`merge_notes_refs`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotesMerge {
    /// The fetched ref does not exist: the remote has no such notes yet.
    NothingFetched,
    /// The local ref already contains everything fetched.
    UpToDate,
    /// There was no local ref; it now points at the fetched notes.
    Created,
    /// The fetched notes only added to the local ones; the local ref moved forward.
    FastForwarded,
    /// Both sides had notes the other had not: a merge commit joins them.
    Merged { commit: Oid },
}

/// Merges `fetched_ref` (a remote's notes, see [`remote_notes_ref`]) into `local_ref`, line-wise
/// for every annotated commit ([`cat_sort_uniq`]; a note only one side has is kept as it is),
/// with a notes merge commit by `signature` whose parents are both tips. Then pushing
/// `local_ref` is a fast-forward.
///
/// Unlike `git notes merge`, a note deleted on one side since the common ancestor is kept: a
/// record is never lost. The merged notes tree is written without fan-out directories and holds
/// notes only.
pub fn merge_notes_refs(
    repo: &Repository,
    local_ref: &str,
    fetched_ref: &str,
    signature: &Signature<'_>,
) -> Result<NotesMerge, NotesError> {
    check_ref(local_ref)?;
    check_ref(fetched_ref)?;
    let fetched = match repo.refname_to_id(fetched_ref) {
        Ok(id) => id,
        Err(e) if e.code() == ErrorCode::NotFound => return Ok(NotesMerge::NothingFetched),
        Err(e) => return Err(git_error("read", fetched_ref)(e)),
    };
    let local = match repo.refname_to_id(local_ref) {
        Ok(id) => id,
        Err(e) if e.code() == ErrorCode::NotFound => {
            let message = format!("notes: created from {fetched_ref}");
            repo.reference(local_ref, fetched, false, &message)
                .map_err(git_error("create", local_ref))?;
            return Ok(NotesMerge::Created);
        }
        Err(e) => return Err(git_error("read", local_ref)(e)),
    };
    if local == fetched
        || repo
            .graph_descendant_of(local, fetched)
            .map_err(git_error("read", fetched_ref))?
    {
        return Ok(NotesMerge::UpToDate);
    }
    if repo
        .graph_descendant_of(fetched, local)
        .map_err(git_error("read", fetched_ref))?
    {
        let message = format!("notes: fast-forward to {fetched_ref}");
        repo.reference_matching(local_ref, fetched, true, local, &message)
            .map_err(git_error("update", local_ref))?;
        return Ok(NotesMerge::FastForwarded);
    }

    let mut notes = all_notes(repo, local_ref)?;
    for (annotated, theirs) in all_notes(repo, fetched_ref)? {
        match notes.get(&annotated) {
            None => {
                notes.insert(annotated, theirs);
            }
            Some(&ours) if ours == theirs => {}
            Some(&ours) => {
                let merged = cat_sort_uniq(&[
                    &blob_bytes(repo, ours, local_ref)?,
                    &blob_bytes(repo, theirs, fetched_ref)?,
                ]);
                let blob = repo.blob(&merged).map_err(git_error("write", local_ref))?;
                notes.insert(annotated, blob);
            }
        }
    }
    let mut builder = repo
        .treebuilder(None)
        .map_err(git_error("write", local_ref))?;
    for (annotated, blob) in &notes {
        builder
            .insert(annotated.to_string(), *blob, 0o100_644)
            .map_err(git_error("write", local_ref))?;
    }
    let tree_id = builder.write().map_err(git_error("write", local_ref))?;
    let tree = repo
        .find_tree(tree_id)
        .map_err(git_error("write", local_ref))?;
    let parents = [
        repo.find_commit(local)
            .map_err(git_error("read", local_ref))?,
        repo.find_commit(fetched)
            .map_err(git_error("read", fetched_ref))?,
    ];
    let message = format!("Notes merged from {fetched_ref} (cat_sort_uniq)\n");
    let commit = repo
        .commit(
            Some(local_ref),
            signature,
            signature,
            &message,
            &tree,
            &[&parents[0], &parents[1]],
        )
        .map_err(git_error("update", local_ref))?;
    Ok(NotesMerge::Merged { commit })
}

/// annotated commit → note blob, for every note in `notes_ref`.
fn all_notes(repo: &Repository, notes_ref: &str) -> Result<BTreeMap<Oid, Oid>, NotesError> {
    let mut notes = BTreeMap::new();
    for item in repo
        .notes(Some(notes_ref))
        .map_err(git_error("read", notes_ref))?
    {
        let (blob, annotated) = item.map_err(git_error("read", notes_ref))?;
        notes.insert(annotated, blob);
    }
    Ok(notes)
}

fn blob_bytes(repo: &Repository, blob: Oid, notes_ref: &str) -> Result<Vec<u8>, NotesError> {
    Ok(repo
        .find_blob(blob)
        .map_err(git_error("read", notes_ref))?
        .content()
        .to_vec())
}
