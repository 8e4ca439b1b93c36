//! Changes, approvals and merge on the demo workspace, with real SSH keys (ssh-keygen), real git
//! notes and the demo's policy: the happy path, and the attacks that must fail.

#[allow(dead_code)]
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use wheelhouse_approvals::agent::AgentKey;
use wheelhouse_approvals::key::SigningKey;
use wheelhouse_approvals::policy::VerdictState;
use wheelhouse_approvals::review;
use wheelhouse_approvals::signing::{self, PrivateKey};
use wheelhouse_repo::Repository;

/// 2026-11-26T12:00:00Z: outside the demo's holiday freeze.
const NOW: i64 = 1_795_694_400;
/// 2026-12-24T12:00:00Z: inside it.
const FROZEN: i64 = 1_798_113_600;
const CHANGE: &str = "origin/change/promote-api-1.4.2-prod";

struct Fixture {
    _dir: tempfile::TempDir,
    repo: PathBuf,
    keys: PathBuf,
}

fn keygen(dir: &Path, name: &str, email: &str) -> PathBuf {
    let path = dir.join(name);
    let ok = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", email, "-f"])
        .arg(&path)
        .status()
        .expect("ssh-keygen (package openssh-client) runs");
    assert!(ok.success());
    path
}

fn key(path: &Path) -> PrivateKey {
    signing::load_private_key(path, None).unwrap()
}

/// The key file as a signer.
fn file_key(path: &Path) -> SigningKey {
    SigningKey::File(key(path))
}

fn git(repo: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The demo, with allowed_signers for Maya and Tomás committed on main.
fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let ws = wheelhouse_demo::create(&dir.path().join("demo")).unwrap();
    let repo = PathBuf::from(ws.repo);
    let keys = dir.path().join("keys");
    std::fs::create_dir(&keys).unwrap();
    let mut signers = String::new();
    for (name, email) in [
        ("maya", "maya.chen@acme.example"),
        ("tomas", "tomas.rivera@acme.example"),
        ("priya", "priya.natarajan@acme.example"),
    ] {
        let k = keygen(&keys, name, email);
        signers.push_str(&signing::allowed_signers_line(email, key(&k).public_key()));
        signers.push('\n');
    }
    keygen(&keys, "mallory", "mallory@evil.example");
    std::fs::write(repo.join(".wheelhouse/allowed_signers"), signers).unwrap();
    git(&repo, &["config", "user.name", "Maya Chen"]);
    git(&repo, &["config", "user.email", "maya.chen@acme.example"]);
    git(
        &repo,
        &["commit", "-qam", "allowed_signers: maya, tomas, priya"],
    );
    Fixture {
        _dir: dir,
        repo,
        keys,
    }
}

fn open(f: &Fixture) -> Repository {
    Repository::open(&f.repo).unwrap()
}

fn approve_as(
    f: &Fixture,
    who: &str,
    email: &str,
    approve: bool,
    now: i64,
) -> review::ChangeReview {
    review::approve(
        &open(f),
        CHANGE,
        "main",
        &review::Reviewer {
            email,
            key: &file_key(&f.keys.join(who)),
        },
        approve,
        "",
        now,
    )
    .unwrap()
}

#[test]
fn a_production_change_needs_two_ops_leads_then_merges_with_reviewed_by_trailers() {
    let f = fixture();
    let r = review::review(&open(&f), CHANGE, CHANGE, "main", NOW).unwrap();
    assert_eq!(r.environments, vec!["prod"]);
    assert_eq!(r.author.email, "priya.natarajan@acme.example");
    assert_eq!(r.field_changes.len(), 1);
    assert_eq!(r.verdict.state, VerdictState::NeedsApprovals);
    assert!(
        r.verdict.summary.contains("needs 2 more approvals"),
        "{}",
        r.verdict.summary
    );

    let refused = review::merge(&open(&f), CHANGE, "main", NOW).unwrap_err();
    assert_eq!(refused.code(), "merge_not_allowed");

    let r = approve_as(&f, "maya", "maya.chen@acme.example", true, NOW);
    assert!(
        r.verdict.summary.contains("needs 1 more approval"),
        "{}",
        r.verdict.summary
    );
    let r = approve_as(&f, "tomas", "tomas.rivera@acme.example", true, NOW);
    assert_eq!(
        r.verdict.state,
        VerdictState::ReadyToMerge,
        "{}",
        r.verdict.summary
    );
    assert!(r.records.iter().all(|x| x.signature.is_valid()));
    // The notes interoperate with git: the approvals are visible to `git notes`.
    let first = &r.change.commits.last().unwrap().id;
    let notes = git(&f.repo, &["notes", "--ref=devtools/discuss", "show", first]);
    assert_eq!(
        notes
            .lines()
            .filter(|l| l.contains("\"resolved\":true"))
            .count(),
        2
    );

    let merged = review::merge(&open(&f), CHANGE, "main", NOW).unwrap();
    let message = git(&f.repo, &["log", "-1", "--format=%B", &merged.id]);
    assert!(
        message.contains("Reviewed-by: Maya Chen <maya.chen@acme.example>"),
        "{message}"
    );
    assert!(
        message.contains("Reviewed-by: Tomás Rivera <tomas.rivera@acme.example>"),
        "{message}"
    );
    assert!(
        std::fs::read_to_string(f.repo.join("overlays/prod/kustomization.yaml"))
            .unwrap()
            .contains("newTag: \"1.4.2\"")
    );
}

#[test]
fn attacks_that_must_fail() {
    let f = fixture();
    let repo = open(&f);
    // The author approving their own change (allow_author: false).
    let r = approve_as(&f, "priya", "priya.natarajan@acme.example", true, NOW);
    assert_eq!(r.verdict.state, VerdictState::NeedsApprovals);
    // A valid signature by a key not in allowed_signers.
    let r = review::approve(
        &repo,
        CHANGE,
        "main",
        &review::Reviewer {
            email: "mallory@evil.example",
            key: &file_key(&f.keys.join("mallory")),
        },
        true,
        "",
        NOW,
    )
    .unwrap();
    assert_eq!(r.verdict.state, VerdictState::NeedsApprovals);
    // A note claiming another person's email with the attacker's key.
    let r = review::approve(
        &repo,
        CHANGE,
        "main",
        &review::Reviewer {
            email: "tomas.rivera@acme.example",
            key: &file_key(&f.keys.join("mallory")),
        },
        true,
        "",
        NOW,
    )
    .unwrap();
    assert_eq!(r.verdict.state, VerdictState::NeedsApprovals);
    // An unsigned approval, written by hand, when signatures are required.
    let first = r.change.commits.last().unwrap().id.clone();
    let unsigned = format!(
        "{{\"author\":\"maya.chen@acme.example\",\"location\":{{\"commit\":\"{}\"}},\"resolved\":true,\"timestamp\":\"{NOW}\",\"v\":0,\"wheelhouse\":{{\"content\":\"{}\"}}}}",
        r.change.head.id, r.change.content_id
    );
    git(
        &f.repo,
        &[
            "notes",
            "--ref=devtools/discuss",
            "append",
            "-m",
            &unsigned,
            &first,
        ],
    );
    // A truncated note line.
    git(
        &f.repo,
        &[
            "notes",
            "--ref=devtools/discuss",
            "append",
            "-m",
            "{\"author\":\"tomas.rivera@acme.example\",\"resol",
            &first,
        ],
    );
    let r = review::review(&repo, CHANGE, CHANGE, "main", NOW).unwrap();
    assert_eq!(
        r.verdict.state,
        VerdictState::NeedsApprovals,
        "{}",
        r.verdict.summary
    );
    assert!(
        r.verdict.summary.contains("needs 2 more approvals"),
        "{}",
        r.verdict.summary
    );
    assert!(
        !r.malformed.is_empty(),
        "the truncated line was not reported"
    );
    assert!(review::merge(&repo, CHANGE, "main", NOW).is_err());
}

#[test]
fn approvals_of_an_older_head_with_other_content_are_stale() {
    let f = fixture();
    approve_as(&f, "maya", "maya.chen@acme.example", true, NOW);
    approve_as(&f, "tomas", "tomas.rivera@acme.example", true, NOW);
    // The change gets another commit that changes its content.
    git(&f.repo, &["checkout", "-q", "-b", "work", CHANGE]);
    let path = f.repo.join("overlays/prod/kustomization.yaml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("count: 4", "count: 9");
    std::fs::write(&path, text).unwrap();
    git(&f.repo, &["commit", "-qam", "prod: api replicas 9"]);
    git(
        &f.repo,
        &["update-ref", &format!("refs/remotes/{CHANGE}"), "HEAD"],
    );
    git(&f.repo, &["checkout", "-q", "main"]);
    let r = review::review(&open(&f), CHANGE, CHANGE, "main", NOW).unwrap();
    assert_eq!(
        r.verdict.state,
        VerdictState::NeedsApprovals,
        "{}",
        r.verdict.summary
    );
}

#[test]
fn a_change_cannot_approve_itself_by_editing_the_policy() {
    let f = fixture();
    git(&f.repo, &["checkout", "-q", "-b", "change/loosen-policy"]);
    std::fs::write(f.repo.join(".wheelhouse/policy.yaml"), "rules: []\n").unwrap();
    let path = f.repo.join("overlays/prod/kustomization.yaml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("count: 4", "count: 5");
    std::fs::write(&path, text).unwrap();
    git(&f.repo, &["commit", "-qam", "loosen policy and scale prod"]);
    git(&f.repo, &["checkout", "-q", "main"]);
    let r = review::review(
        &open(&f),
        "change/loosen-policy",
        "change/loosen-policy",
        "main",
        NOW,
    )
    .unwrap();
    assert_ne!(
        r.verdict.state,
        VerdictState::ReadyToMerge,
        "{}",
        r.verdict.summary
    );
    assert!(review::merge(&open(&f), "change/loosen-policy", "main", NOW).is_err());
}

#[test]
fn no_merge_during_a_freeze_even_when_approved() {
    let f = fixture();
    approve_as(&f, "maya", "maya.chen@acme.example", true, FROZEN);
    let r = approve_as(&f, "tomas", "tomas.rivera@acme.example", true, FROZEN);
    assert_eq!(
        r.verdict.state,
        VerdictState::Blocked,
        "{}",
        r.verdict.summary
    );
    assert!(
        r.verdict.summary.contains("freeze"),
        "{}",
        r.verdict.summary
    );
    let err = review::merge(&open(&f), CHANGE, "main", FROZEN).unwrap_err();
    assert_eq!(err.code(), "merge_not_allowed");
    assert!(err.to_string().contains("freeze"), "{err}");
}

#[test]
fn approvals_travel_through_the_remote_with_explicit_notes_refspecs() {
    let f = fixture();
    approve_as(&f, "maya", "maya.chen@acme.example", true, NOW);
    let repo = open(&f);
    // Our allowed_signers commit and the notes go to origin.
    repo.push(&mut wheelhouse_repo::network::Network::new())
        .ok();
    git(&f.repo, &["push", "-q", "origin", "HEAD:main", "--force"]);
    review::push_notes(&repo, &mut wheelhouse_repo::network::Network::new()).unwrap();

    let origin = f.repo.parent().unwrap().join("origin.git");
    let teammate_dir = f.repo.parent().unwrap().join("teammate");
    let teammate = wheelhouse_repo::clone(
        &format!("file://{}", origin.display()),
        &teammate_dir,
        &mut wheelhouse_repo::network::Network::new(),
    )
    .unwrap();
    let before = review::review(&teammate, CHANGE, CHANGE, "main", NOW).unwrap();
    assert!(
        before.records.is_empty(),
        "a fresh clone has no notes before syncing them"
    );
    review::sync_notes(&teammate, &mut wheelhouse_repo::network::Network::new()).unwrap();
    let after = review::review(&teammate, CHANGE, CHANGE, "main", NOW).unwrap();
    assert_eq!(after.records.len(), 1);
    assert!(
        after.records[0].signature.is_valid(),
        "{:?}",
        after.records[0].signature
    );
    assert!(
        after.verdict.summary.contains("needs 1 more approval"),
        "{}",
        after.verdict.summary
    );
}

#[test]
fn an_invalid_policy_on_main_blocks_every_change_with_its_location() {
    let f = fixture();
    std::fs::write(
        f.repo.join(".wheelhouse/policy.yaml"),
        "rules:\n  - name: prod\n    paths: [\"overlays/prod/**\"\n",
    )
    .unwrap();
    git(&f.repo, &["commit", "-qam", "break the policy"]);
    approve_as(&f, "maya", "maya.chen@acme.example", true, NOW);
    let r = approve_as(&f, "tomas", "tomas.rivera@acme.example", true, NOW);
    assert_eq!(
        r.verdict.state,
        VerdictState::Blocked,
        "{}",
        r.verdict.summary
    );
    assert!(
        r.verdict
            .summary
            .starts_with("blocked: policy invalid at .wheelhouse/policy.yaml line"),
        "{}",
        r.verdict.summary
    );
    assert!(review::merge(&open(&f), CHANGE, "main", NOW).is_err());
}

#[test]
fn with_an_empty_allowed_signers_no_approval_counts() {
    let f = fixture();
    std::fs::write(f.repo.join(".wheelhouse/allowed_signers"), "").unwrap();
    git(&f.repo, &["commit", "-qam", "empty allowed_signers"]);
    approve_as(&f, "maya", "maya.chen@acme.example", true, NOW);
    let r = approve_as(&f, "tomas", "tomas.rivera@acme.example", true, NOW);
    assert_eq!(
        r.verdict.state,
        VerdictState::NeedsApprovals,
        "{}",
        r.verdict.summary
    );
    assert!(r.records.iter().all(|x| !x.signature.is_valid()));
}

#[test]
fn approvals_signed_through_the_ssh_agent_count() {
    let f = fixture();
    let agent = support::Agent::start();
    let through_agent = |who: &str| {
        let private = f.keys.join(who);
        agent.add(&private);
        // As git's user.signingkey = the .pub file: the private half stays in the agent.
        let choice = wheelhouse_approvals::key::resolve_signing_key(
            private.with_extension("pub").to_str().unwrap(),
        )
        .unwrap();
        let wheelhouse_approvals::key::KeyChoice::Agent(public) = choice else {
            panic!("a .pub file signs through the agent: {choice:?}");
        };
        SigningKey::Agent(AgentKey::connect(&agent.socket, public).unwrap())
    };
    let (maya, tomas) = (through_agent("maya"), through_agent("tomas"));
    for (email, signer) in [
        ("maya.chen@acme.example", &maya),
        ("tomas.rivera@acme.example", &tomas),
    ] {
        review::approve(
            &open(&f),
            CHANGE,
            "main",
            &review::Reviewer { email, key: signer },
            true,
            "",
            NOW,
        )
        .unwrap();
    }
    let r = review::review(&open(&f), CHANGE, CHANGE, "main", NOW).unwrap();
    assert_eq!(
        r.verdict.state,
        VerdictState::ReadyToMerge,
        "{}",
        r.verdict.summary
    );
    assert_eq!(r.records.len(), 2);
    assert!(r.records.iter().all(|x| x.signature.is_valid()));

    // A key the agent does not hold: nothing is recorded, and the error says so.
    let mallory = support::public_key(&f.keys.join("mallory"));
    let err = AgentKey::connect(&agent.socket, mallory).unwrap_err();
    assert_eq!(err.code(), "key_not_in_agent");
    agent.remove(&f.keys.join("maya"));
    let err = review::approve(
        &open(&f),
        CHANGE,
        "main",
        &review::Reviewer {
            email: "maya.chen@acme.example",
            key: &maya,
        },
        false,
        "",
        NOW,
    )
    .unwrap_err();
    assert_eq!(err.code(), "key_not_in_agent");
    let r = review::review(&open(&f), CHANGE, CHANGE, "main", NOW).unwrap();
    assert_eq!(r.records.len(), 2, "nothing was recorded");
}

#[test]
fn with_merge_fast_forward_an_approved_change_lands_without_a_merge_commit_once_rebased() {
    let f = fixture();
    let policy_path = f.repo.join(".wheelhouse/policy.yaml");
    let policy = std::fs::read_to_string(&policy_path).unwrap();
    let with_ff = policy.replacen("settings:\n", "settings:\n  merge: fast-forward\n", 1);
    assert_ne!(policy, with_ff, "the demo policy has a settings block");
    std::fs::write(&policy_path, with_ff).unwrap();
    git(
        &f.repo,
        &["commit", "-qam", "policy: merge by fast-forward"],
    );
    approve_as(&f, "maya", "maya.chen@acme.example", true, NOW);
    let r = approve_as(&f, "tomas", "tomas.rivera@acme.example", true, NOW);
    assert_eq!(
        r.verdict.state,
        VerdictState::ReadyToMerge,
        "{}",
        r.verdict.summary
    );

    // main moved on since the change branched: a fast-forward is impossible, nothing changes.
    let main_before = git(&f.repo, &["rev-parse", "main"]);
    let err = review::merge(&open(&f), CHANGE, "main", NOW).unwrap_err();
    assert_eq!(err.code(), "not_fast_forward", "{err}");
    assert_eq!(git(&f.repo, &["rev-parse", "main"]), main_before);

    // The author rebases on main (same content) and force-pushes; the approvals still count and
    // main fast-forwards to the rebased head.
    let local = CHANGE.trim_start_matches("origin/");
    git(&f.repo, &["checkout", "-q", "-b", local, CHANGE]);
    git(&f.repo, &["rebase", "-q", "main"]);
    git(&f.repo, &["push", "-q", "-f", "origin", local]);
    git(&f.repo, &["checkout", "-q", "main"]);
    git(&f.repo, &["branch", "-q", "-D", local]);
    git(&f.repo, &["fetch", "-q", "origin"]);
    let head = git(&f.repo, &["rev-parse", CHANGE]);
    let landed = review::merge(&open(&f), CHANGE, "main", NOW).unwrap();
    assert_eq!(landed.id, head.trim());
    assert_eq!(git(&f.repo, &["rev-parse", "main"]), head);
    assert_eq!(
        git(&f.repo, &["rev-list", "--merges", "--count", "main"]).trim(),
        "0"
    );
    assert!(
        std::fs::read_to_string(f.repo.join("overlays/prod/kustomization.yaml"))
            .unwrap()
            .contains("newTag: \"1.4.2\"")
    );
}
