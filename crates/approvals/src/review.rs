//! The I/O edge of approvals: reads the target branch's policy files, the change, and the signed
//! records from git notes; asks [`crate::policy::evaluate`] for the verdict; records approvals;
//! merges when, and only when, the verdict allows. The CLI (`changes`, `approve`, `verify`,
//! `merge`) and the app are thin faces of these functions.

use crate::key::{KeyChoice, SigningKey};
use crate::notes::{self, ReviewComment, DISCUSS_REF};
use crate::policy::{
    self, Approval, Change, Codeowners, EnvironmentTouch, FieldChange, FieldKind, Identity, People,
    Policy, ReviewStatus, Verdict,
};
use crate::signing::{self, AllowedSigners, PrivateKey, SigningError};
use serde::Serialize;
use std::collections::BTreeMap;
use ts_rs::TS;
use wheelhouse_desired_state::effect::{self, Effect, EffectStatus};
use wheelhouse_desired_state::fields::{self, ChangedField};
use wheelhouse_desired_state::layout::WorkspaceConfig;
use wheelhouse_desired_state::resolve::kustomize::generator_inputs;
use wheelhouse_desired_state::resolve::{self, Resolution, Snapshot};
use wheelhouse_desired_state::workspace::{add_bytes, read_config, snapshot_from_bytes, wanted};
use wheelhouse_repo::{ChangeBranch, CommitSummary, Repository};

pub const ALLOWED_SIGNERS: &str = ".wheelhouse/allowed_signers";

#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error(transparent)]
    Repo(#[from] wheelhouse_repo::Error),
    #[error("{0}")]
    Notes(String),
    /// Nothing was recorded: the key could not sign (typed, so the agent's errors stay apart).
    #[error(transparent)]
    Signing(#[from] SigningError),
    #[error("The change cannot merge: {0}. Nothing was changed.")]
    NotAllowed(String),
    #[error("Git could not {0}.")]
    Git(String),
}

wheelhouse_diagnostics::from_coded!(ReviewError);

impl ReviewError {
    pub fn code(&self) -> wheelhouse_diagnostics::ErrorCode {
        match self {
            ReviewError::Repo(e) => e.code(),
            ReviewError::Notes(_) => wheelhouse_diagnostics::ErrorCode::NotesFailed,
            ReviewError::Signing(e) => e.code(),
            ReviewError::NotAllowed(_) => wheelhouse_diagnostics::ErrorCode::MergeNotAllowed,
            ReviewError::Git(_) => wheelhouse_diagnostics::ErrorCode::Git,
        }
    }
}

/// One approval record as shown: who, when, what, and whether its signature holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RecordView {
    pub approver: String,
    #[ts(type = "number")]
    pub at: i64,
    pub status: ReviewStatus,
    pub comment: Option<String>,
    pub approved_head: String,
    pub signature: crate::signing::SignatureState,
}

/// A change with everything a reviewer needs: what it touches and its verdict.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ChangeReview {
    pub change: ChangeBranch,
    pub title: String,
    pub author: Identity,
    /// Environments whose rendered state the change alters, in promotion order.
    pub environments: Vec<String>,
    pub field_changes: Vec<FieldChange>,
    /// What the change does to each environment: the rendered diff, per resource.
    pub effect: Effect,
    /// The file diff from the merge base to the head, beside the rendered one.
    pub files: Vec<wheelhouse_repo::history::FileDiff>,
    pub validation_passed: bool,
    pub records: Vec<RecordView>,
    /// Note lines that are not valid records (truncated, forged…): shown, never counted.
    pub malformed: Vec<String>,
    pub verdict: Verdict,
}

/// The policy files of the target branch: the ones that judge every change, never the change's own.
struct TargetPolicy {
    policy: Result<Policy, policy::PolicyError>,
    people: People,
    codeowners: Codeowners,
    signers: AllowedSigners,
}

fn read_target_policy(repo: &Repository, target: &str) -> Result<TargetPolicy, ReviewError> {
    let files = repo.files_at(target, |p| {
        p.starts_with(".wheelhouse/") || p.ends_with("CODEOWNERS")
    })?;
    let text = |p: &str| {
        files
            .get(p)
            .map(|b| String::from_utf8_lossy(b).into_owned())
    };
    // A policy file, people file, allowed signers or CODEOWNERS that is a symbolic link is
    // never followed (what it points to is not what reviewers see): the policy is invalid and
    // every change is blocked until it is a plain file.
    let names: Vec<String> = files.keys().cloned().collect();
    let links = repo.symlinks_at(target, &names)?;
    let policy = match (links.first(), text(".wheelhouse/policy.yaml")) {
        (Some((link, to)), _) => Err(policy::PolicyError::new(
            policy::PolicyErrorCode::InvalidValue,
            link,
            (1, 1),
            format!("is a symbolic link to {to}; Wheelhouse reads who approves only from plain files in the repository, never through links"),
        )),
        (None, Some(t)) => Policy::parse(".wheelhouse/policy.yaml", &t),
        (None, None) => Ok(Policy::default()),
    };
    let people = text(".wheelhouse/people.yaml")
        .and_then(|t| People::parse(".wheelhouse/people.yaml", &t).ok())
        .unwrap_or_default();
    let paths: Vec<&str> = files.keys().map(String::as_str).collect();
    let codeowners = policy::codeowners_location(&paths)
        .and_then(|loc| text(loc).and_then(|t| Codeowners::parse(loc, &t).ok()))
        .unwrap_or_default();
    let signers = AllowedSigners::parse(&text(ALLOWED_SIGNERS).unwrap_or_default());
    Ok(TargetPolicy {
        policy,
        people,
        codeowners,
        signers,
    })
}

fn field_change(f: &fields::FieldChange) -> FieldChange {
    FieldChange {
        path: f.path.clone(),
        env: f.env.clone(),
        workload: f.workload.clone(),
        field: match f.field {
            ChangedField::ImageTag => FieldKind::ImageTag,
            ChangedField::Replicas => FieldKind::Replicas,
            ChangedField::ChartVersion => FieldKind::ChartVersion,
            ChangedField::Env => FieldKind::Env,
            ChangedField::Resources => FieldKind::Resources,
            ChangedField::HelmValue => FieldKind::HelmValue,
            ChangedField::Other => FieldKind::Other,
        },
        key: f.key.clone(),
        resource: f.resource.clone(),
        from: f.from.clone(),
        to: f.to.clone(),
        summary: f.summary.clone(),
    }
}

fn map_signature(state: signing::SignatureState) -> policy::SignatureState {
    match state {
        signing::SignatureState::Valid {
            fingerprint,
            principal,
        } => policy::SignatureState::Valid {
            key_fingerprint: fingerprint,
            principal,
        },
        signing::SignatureState::Invalid { reason } => policy::SignatureState::Invalid { reason },
        signing::SignatureState::Missing => policy::SignatureState::Missing,
        signing::SignatureState::UnknownKey { .. } => policy::SignatureState::UnknownKey,
        signing::SignatureState::WrongPrincipal { key_principals, .. } => {
            policy::SignatureState::Invalid {
                reason: format!(
                    "signed with a key listed for {}, not for the approver",
                    key_principals.join(", ")
                ),
            }
        }
    }
}

type RecordsFound = Vec<(Approval, RecordView)>;
type NoteLines = Vec<(git2::Oid, notes::ParsedLine<ReviewComment>)>;

/// Every line of every note in `refs/notes/devtools/discuss`, with the commit it annotates.
fn all_records(git: &git2::Repository) -> Result<NoteLines, ReviewError> {
    let mut out = Vec::new();
    let notes = match git.notes(Some(DISCUSS_REF)) {
        Ok(n) => n,
        Err(e) if e.code() == git2::ErrorCode::NotFound => return Ok(out),
        Err(e) => {
            return Err(ReviewError::Git(format!(
                "read {DISCUSS_REF}: {}",
                e.message()
            )))
        }
    };
    for note in notes {
        let (_, annotated) = note.map_err(|e| ReviewError::Git(e.message().to_owned()))?;
        let lines = notes::read_records::<ReviewComment>(git, DISCUSS_REF, annotated)
            .map_err(|e| ReviewError::Notes(e.to_string()))?;
        out.extend(lines.into_iter().map(|l| (annotated, l)));
    }
    Ok(out)
}

/// Every approval record about this change: any record whose approved head is the current head,
/// or whose content equals the change's. Malformed lines on the change's commits are reported.
fn records_for(
    lines: &NoteLines,
    change: &ChangeBranch,
    signers: &AllowedSigners,
    now: i64,
) -> Result<(RecordsFound, Vec<String>), ReviewError> {
    let mut out = Vec::new();
    let mut malformed = Vec::new();
    for (annotated, line) in lines {
        match line {
            Ok(rec) => {
                let c = &rec.record;
                let about_this = c.approved_head() == Some(change.head.id.as_str())
                    || c.content() == Some(change.content_id.as_str());
                if !about_this || !(c.is_approval() || c.requests_changes()) {
                    continue;
                }
                let signature = signing::verify(
                    &rec.signed_bytes,
                    rec.signature.as_deref(),
                    signers,
                    &c.author,
                    now,
                );
                let at = c.timestamp.trim().parse::<i64>().unwrap_or(0);
                let status = if c.is_approval() {
                    ReviewStatus::Approve
                } else {
                    ReviewStatus::RequestChanges
                };
                let comment = (!c.description.is_empty()).then(|| c.description.clone());
                out.push((
                    Approval {
                        approver_email: c.author.clone(),
                        signature: map_signature(signature.clone()),
                        commit: c.approved_head().unwrap_or_default().to_owned(),
                        content_id: c.content().map(str::to_owned),
                        at,
                        status,
                        comment: comment.clone(),
                    },
                    RecordView {
                        approver: c.author.clone(),
                        at,
                        status,
                        comment,
                        approved_head: c.approved_head().unwrap_or_default().to_owned(),
                        signature,
                    },
                ));
            }
            Err(bad) => {
                let on_change = change.commits.iter().any(|c| c.id == annotated.to_string());
                if on_change {
                    malformed.push(format!(
                        "note on {annotated}, line {}: {}",
                        bad.line_no, bad.reason
                    ));
                }
            }
        }
    }
    out.sort_by_key(|(a, _)| a.at);
    Ok((out, malformed))
}

/// A merge base, read and resolved once for every change that starts there.
struct Base {
    snapshot: Snapshot,
    config: Option<WorkspaceConfig>,
    resolution: Resolution,
}

/// What reviews of many changes of one repository share: parses, the base's resolution, the
/// target's policy and the notes, each read once. Holding one across reviews saves the work;
/// a one-shot command may also leave it unfreed at exit (a repository's renders take longer
/// to free than the command takes to print).
#[derive(Default)]
pub struct ReviewCache {
    parse: wheelhouse_desired_state::resolve::ParseCache,
    bases: std::collections::HashMap<String, std::rc::Rc<Base>>,
    policies: std::collections::HashMap<String, std::rc::Rc<TargetPolicy>>,
    /// The renders of each base's environments made so far, by base commit.
    renders: std::collections::HashMap<String, effect::BaseRenders>,
    notes: Option<std::rc::Rc<NoteLines>>,
}

/// Reviews `head` (a branch or commit) as a change against `target`.
pub fn review(
    repo: &Repository,
    name: &str,
    head: &str,
    target: &str,
    now: i64,
) -> Result<ChangeReview, ReviewError> {
    ReviewCache::default().review(repo, name, head, target, now)
}

/// [`review`] without the file diff (`files` is empty): what `wheelhouse verify` needs to judge
/// and explain a change, without diffing every file it touches.
pub fn judge(
    repo: &Repository,
    name: &str,
    head: &str,
    target: &str,
    now: i64,
) -> Result<ChangeReview, ReviewError> {
    ReviewCache::default().judge(repo, name, head, target, now)
}

impl std::fmt::Debug for ReviewCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReviewCache")
            .field("bases", &self.bases.len())
            .field("policies", &self.policies.len())
            .finish_non_exhaustive()
    }
}

impl ReviewCache {
    /// [`review`], sharing this cache.
    pub fn review(
        &mut self,
        repo: &Repository,
        name: &str,
        head: &str,
        target: &str,
        now: i64,
    ) -> Result<ChangeReview, ReviewError> {
        review_with(self, repo, name, head, target, now, true)
    }

    /// [`judge`], sharing this cache.
    pub fn judge(
        &mut self,
        repo: &Repository,
        name: &str,
        head: &str,
        target: &str,
        now: i64,
    ) -> Result<ChangeReview, ReviewError> {
        review_with(self, repo, name, head, target, now, false)
    }
}

fn review_with(
    cache: &mut ReviewCache,
    repo: &Repository,
    name: &str,
    head: &str,
    target: &str,
    now: i64,
    with_files: bool,
) -> Result<ChangeReview, ReviewError> {
    let started = std::time::Instant::now();
    let lap = |what: &str| {
        tracing::debug!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "review {name}: {what}"
        )
    };
    let change = repo.describe_change(name, head, target)?;
    let git = git2::Repository::open(repo.root())
        .map_err(|e| ReviewError::Git(e.message().to_owned()))?;
    let first = change
        .commits
        .last()
        .cloned()
        .unwrap_or_else(|| change.head.clone());
    let author = Identity {
        name: first.author_name.clone(),
        email: first.author_email.clone(),
    };
    if !cache.bases.contains_key(&change.base) {
        let mut snapshot = snapshot_from_bytes(repo.files_at(&change.base, wanted)?);
        let inputs = generator_inputs(&snapshot, &mut cache.parse);
        if !inputs.is_empty() {
            add_bytes(
                &mut snapshot,
                repo.files_at(&change.base, |p| inputs.contains(p))?,
            );
        }
        let (config, _) = read_config(&mut cache.parse, &snapshot);
        let resolution = resolve::resolve(&snapshot, &mut cache.parse, config.as_ref());
        cache.bases.insert(
            change.base.clone(),
            std::rc::Rc::new(Base {
                snapshot,
                config,
                resolution,
            }),
        );
    }
    lap("base resolved");
    let base = cache
        .bases
        .get(&change.base)
        .cloned()
        .expect("just inserted");
    // The head differs from the base only in the change's files.
    let mut after_snapshot = base.snapshot.clone();
    for f in &change.files {
        after_snapshot.files.remove(f);
        after_snapshot.unreadable.remove(f);
    }
    // The change's files the resolver reads: YAML and the like, and generator inputs the base
    // already read under any name.
    let input =
        |p: &str| base.snapshot.files.contains_key(p) || base.snapshot.unreadable.contains_key(p);
    add_bytes(
        &mut after_snapshot,
        repo.files_at(&change.head.id, |p| {
            (wanted(p) || input(p)) && change.files.iter().any(|f| f == p)
        })?,
    );
    // Generator inputs the head's kustomizations start to name.
    let inputs = generator_inputs(&after_snapshot, &mut cache.parse);
    if !inputs.is_empty() {
        add_bytes(
            &mut after_snapshot,
            repo.files_at(&change.head.id, |p| inputs.contains(p))?,
        );
    }
    // A link is not followed: what it points to is not what the reviewer sees in the diff.
    let links = repo.symlinks_at(&change.head.id, &change.files)?;
    for (link, to) in &links {
        after_snapshot.files.remove(link);
        after_snapshot.unreadable.insert(
            link.clone(),
            format!("is a symbolic link to {to}; links are not followed"),
        );
    }
    lap("head read");
    // Judged with the target's environment mapping, whatever the change says.
    let mut effect = effect::of_change(
        &base.snapshot,
        &base.resolution,
        base.config.as_ref(),
        &after_snapshot,
        &change.files,
        &mut cache.parse,
        cache.renders.entry(change.base.clone()).or_default(),
    );
    for (link, to) in links.iter().rev() {
        effect.problems.insert(
            0,
            // An error, not a warning: a change whose effect cannot be judged is not approved.
            wheelhouse_desired_state::Problem {
                severity: wheelhouse_desired_state::Severity::Error,
                ..wheelhouse_desired_state::Problem::new(
                    wheelhouse_desired_state::ErrorCode::NotEvaluated,
                    link.clone(),
                    None,
                    None,
                    format!(
                        "is a symbolic link to {to}; Wheelhouse does not follow links in a change, so what it deploys cannot be judged"
                    ),
                )
            },
        );
    }
    lap("head resolved and effect compared");
    let validation_passed = !wheelhouse_desired_state::validate::validate_with(
        &after_snapshot,
        &effect.after.problems,
        &mut cache.parse,
    )
    .iter()
    .any(|p| p.severity == wheelhouse_desired_state::Severity::Error);
    lap("validated");
    let field_changes: Vec<FieldChange> = effect.fields().map(field_change).collect();
    let environments: Vec<String> = effect.affected().map(|e| e.env.clone()).collect();
    let target_policy = match cache.policies.get(target) {
        Some(p) => p.clone(),
        None => {
            let p = std::rc::Rc::new(read_target_policy(repo, target)?);
            cache.policies.insert(target.to_owned(), p.clone());
            p
        }
    };
    let lines = match &cache.notes {
        Some(n) => n.clone(),
        None => {
            let n = std::rc::Rc::new(all_records(&git)?);
            cache.notes = Some(n.clone());
            n
        }
    };
    lap("policy read");
    let (records, malformed) = records_for(&lines, &change, &target_policy.signers, now)?;
    let mut known: Vec<String> = effect
        .before_environments
        .iter()
        .chain(effect.after.environments.iter())
        .map(|e| e.name.clone())
        .collect();
    known.sort();
    known.dedup();
    let policy_change = Change {
        author: author.clone(),
        paths: change.files.clone(),
        field_changes: field_changes.clone(),
        effects: effect
            .affected()
            .map(|e| EnvironmentTouch {
                env: e.env.clone(),
                status: match e.status {
                    EffectStatus::Added => "added",
                    EffectStatus::Removed => "removed",
                    _ => "changed",
                }
                .to_owned(),
                via: e.via.clone(),
            })
            .collect(),
        environments: known.clone(),
        redefining: effect.redefining.clone(),
        render_problems: effect.problems.iter().map(|p| p.to_string()).collect(),
        validation_passed,
        head_commit: change.head.id.clone(),
        content_id: change.content_id.clone(),
    };
    lap("records verified");
    let approvals: Vec<Approval> = records.iter().map(|(a, _)| a.clone()).collect();
    let verdict = match target_policy
        .policy
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|p| {
            p.check_environments(".wheelhouse/policy.yaml", &known)
                .map(|()| p)
        }) {
        Ok(p) => policy::evaluate(
            p,
            &target_policy.people,
            &target_policy.codeowners,
            &policy_change,
            &approvals,
            now,
        ),
        Err(e) => Verdict::policy_invalid(e),
    };
    let files = if with_files {
        repo.diff_between(&change.base, &change.head.id)?
    } else {
        Vec::new()
    };
    lap("file diff");
    Ok(ChangeReview {
        title: change
            .commits
            .last()
            .map(|c| c.summary.clone())
            .unwrap_or_else(|| change.head.summary.clone()),
        author,
        environments,
        field_changes,
        validation_passed,
        records: records.into_iter().map(|(_, v)| v).collect(),
        malformed,
        verdict,
        effect,
        files,
        change,
    })
}

/// Every open change against `target`, reviewed.
pub fn list(repo: &Repository, target: &str, now: i64) -> Result<Vec<ChangeReview>, ReviewError> {
    let mut cache = ReviewCache::default();
    repo.list_changes(target)?
        .into_iter()
        .map(|c| review_with(&mut cache, repo, &c.name, &c.name, target, now, true))
        .collect()
}

/// Who approves, and the key they sign with (a key file or a key the SSH agent holds).
#[derive(Debug)]
pub struct Reviewer<'a> {
    pub email: &'a str,
    pub key: &'a SigningKey,
}

/// Records a signed approval (or request for changes) of the change's current head.
pub fn approve(
    repo: &Repository,
    name: &str,
    target: &str,
    reviewer: &Reviewer<'_>,
    approve: bool,
    comment: &str,
    now: i64,
) -> Result<ChangeReview, ReviewError> {
    let (approver_email, key) = (reviewer.email, reviewer.key);
    let change = repo.describe_change(name, name, target)?;
    let git = git2::Repository::open(repo.root())
        .map_err(|e| ReviewError::Git(e.message().to_owned()))?;
    let head = git2::Oid::from_str(&change.head.id)
        .map_err(|e| ReviewError::Git(e.message().to_owned()))?;
    let mut record = ReviewComment::verdict(
        approver_email,
        head,
        &change.content_id,
        approve,
        comment,
        now,
    );
    let bytes = notes::signed_bytes(&record).map_err(|e| ReviewError::Notes(e.to_string()))?;
    let signature = key.sign(&bytes)?;
    record.set_signature(signature);
    let line = notes::to_line(&record).map_err(|e| ReviewError::Notes(e.to_string()))?;
    let first = change
        .commits
        .last()
        .map(|c| c.id.clone())
        .unwrap_or(change.head.id.clone());
    let annotated =
        git2::Oid::from_str(&first).map_err(|e| ReviewError::Git(e.message().to_owned()))?;
    let sig = git
        .signature()
        .or_else(|_| git2::Signature::now("Wheelhouse", approver_email))
        .map_err(|e| ReviewError::Git(e.message().to_owned()))?;
    notes::append_record(&git, DISCUSS_REF, annotated, &line, &sig)
        .map_err(|e| ReviewError::Notes(e.to_string()))?;
    review(repo, name, name, target, now)
}

/// Lands the change on `target` when, and only when, its verdict allows: by a merge commit with
/// `Reviewed-by:` trailers, or by a fast-forward when the target branch's policy says
/// `settings: {merge: fast-forward}`. The working tree follows only when `target` is checked out.
pub fn merge(
    repo: &Repository,
    name: &str,
    target: &str,
    now: i64,
) -> Result<CommitSummary, ReviewError> {
    let reviewed = review(repo, name, name, target, now)?;
    if !reviewed.verdict.allows_merge() {
        return Err(ReviewError::NotAllowed(reviewed.verdict.summary));
    }
    let strategy = read_target_policy(repo, target)?
        .policy
        .map(|p| p.settings.merge)
        .unwrap_or_default();
    Ok(repo.merge_into(
        target,
        &reviewed.change.head.id,
        &merge_message(&reviewed),
        strategy,
    )?)
}

/// "Merge change/x: title", the verdict, and one `Reviewed-by:` trailer per counted approver.
fn merge_message(reviewed: &ChangeReview) -> String {
    let mut reviewers: BTreeMap<String, String> = BTreeMap::new();
    for rule in &reviewed.verdict.rules {
        for counted in &rule.counted {
            reviewers.insert(
                counted.person.email.clone(),
                counted.person.display().to_owned(),
            );
        }
    }
    let trailers: String = reviewers
        .iter()
        .map(|(email, name)| format!("Reviewed-by: {name} <{email}>\n"))
        .collect();
    let short = reviewed.change.name.trim_start_matches("origin/");
    format!(
        "Merge {short}: {}\n\n{}\n{trailers}",
        reviewed.title, reviewed.verdict.summary
    )
}

/// Fetches the remote's approval notes and merges them line-wise into ours (union, sorted,
/// unique), so approvals made by teammates count here. A remote with no notes is fine.
pub fn sync_notes(
    repo: &Repository,
    net: &mut wheelhouse_repo::network::Network<'_>,
) -> Result<(), ReviewError> {
    let spec = notes::fetch_refspec("origin");
    repo.fetch_refspecs(&[spec.as_str()], net)?;
    let git = git2::Repository::open(repo.root())
        .map_err(|e| ReviewError::Git(e.message().to_owned()))?;
    let sig = git
        .signature()
        .or_else(|_| git2::Signature::now("Wheelhouse", "wheelhouse@localhost"))
        .map_err(|e| ReviewError::Git(e.message().to_owned()))?;
    for local in [notes::REVIEWS_REF, DISCUSS_REF] {
        let fetched = notes::remote_notes_ref("origin", local);
        notes::merge_notes_refs(&git, local, &fetched, &sig)
            .map_err(|e| ReviewError::Notes(e.to_string()))?;
    }
    Ok(())
}

/// Pushes our approval notes (after [`sync_notes`] merged the remote's, so nothing is lost).
pub fn push_notes(
    repo: &Repository,
    net: &mut wheelhouse_repo::network::Network<'_>,
) -> Result<(), ReviewError> {
    let git = git2::Repository::open(repo.root())
        .map_err(|e| ReviewError::Git(e.message().to_owned()))?;
    let present: Vec<String> = [notes::REVIEWS_REF, DISCUSS_REF]
        .iter()
        .filter(|r| git.find_reference(r).is_ok())
        .map(|r| format!("{r}:{r}"))
        .collect();
    if present.is_empty() {
        return Ok(());
    }
    let specs: Vec<&str> = present.iter().map(String::as_str).collect();
    repo.push_refspecs(&specs, net)?;
    Ok(())
}

/// The keyring "host" under which signing-key passphrases are kept.
pub const SIGNING_HOST: &str = "signing";

/// Opens the key approvals are signed with, chosen by [`crate::key::resolve_signing_key`]: a key
/// file through [`load_signing_key`] (passphrase from the keyring, else `ask`), a public key
/// through the SSH agent of the environment (`SSH_AUTH_SOCK`), which must hold it.
pub fn open_signing_key(
    store: &wheelhouse_secrets::CredentialStore,
    choice: &KeyChoice,
    ask: impl FnOnce() -> Option<String>,
) -> Result<SigningKey, SigningError> {
    match choice {
        KeyChoice::File(path) => load_signing_key(store, path, ask).map(SigningKey::File),
        KeyChoice::Agent(public) => {
            crate::agent::AgentKey::from_env(public.clone()).map(SigningKey::Agent)
        }
    }
}

/// Loads the key approvals are signed with from its file: as is, else with the passphrase kept in
/// the keyring, else with the one `ask` gives (kept in the keyring once it opened the key). Shared
/// by the CLI (which asks on the terminal) and the app (which asked in Settings).
pub fn load_signing_key(
    store: &wheelhouse_secrets::CredentialStore,
    path: &std::path::Path,
    ask: impl FnOnce() -> Option<String>,
) -> Result<PrivateKey, signing::SigningError> {
    use wheelhouse_secrets::{CredentialKind, Secret};
    match signing::load_private_key(path, None) {
        Err(signing::SigningError::PassphraseRequired { .. }) => {
            let key_id = path.display().to_string();
            let stored = store
                .get(CredentialKind::SshKeyPassphrase, SIGNING_HOST, &key_id)
                .ok()
                .flatten();
            if let Some(secret) = stored {
                if let Ok(key) = signing::load_private_key(path, Some(secret.expose())) {
                    return Ok(key);
                }
            }
            let Some(phrase) = ask() else {
                return Err(signing::SigningError::PassphraseRequired {
                    path: path.to_path_buf(),
                });
            };
            let key = signing::load_private_key(path, Some(&phrase))?;
            if let Err(e) = store.store(
                CredentialKind::SshKeyPassphrase,
                SIGNING_HOST,
                &key_id,
                &Secret::new(phrase),
            ) {
                tracing::warn!(error = %e, "the signing key's passphrase could not be kept in the keyring");
            }
            Ok(key)
        }
        other => other,
    }
}
