//! Reviews as both faces use them, on the demo with real SSH keys (ssh-keygen), the real keyring
//! and real git notes: which branch is the target, where the signing key comes from, approving,
//! and the signing set-up.

use std::path::{Path, PathBuf};
use std::process::Command;
use wheelhouse_api::review::{self, Approval, Keys};
use wheelhouse_api::ErrorCode;
use wheelhouse_repo::Repository;
use wheelhouse_secrets::CredentialStore;
use wheelhouse_testsupport::TempRepo;

/// 2026-11-26T12:00:00Z: outside the demo's holiday freeze.
const NOW: i64 = 1_795_694_400;
const CHANGE: &str = "origin/change/promote-api-1.4.2-prod";

fn keygen(dir: &Path, name: &str, passphrase: &str) -> PathBuf {
    let path = dir.join(name);
    let ok = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", passphrase, "-C", name, "-f"])
        .arg(&path)
        .status()
        .expect("ssh-keygen (package openssh-client) runs");
    assert!(ok.success());
    path
}

fn set_config(repo: &Path, name: &str, value: &str) {
    git2::Repository::open(repo)
        .unwrap()
        .config()
        .unwrap()
        .set_str(name, value)
        .unwrap();
}

struct Demo {
    dir: tempfile::TempDir,
    repo: Repository,
    store: CredentialStore,
}

impl Demo {
    fn new() -> Demo {
        let dir = tempfile::tempdir().unwrap();
        let ws = wheelhouse_demo::create(&dir.path().join("demo")).unwrap();
        let repo = Repository::open(Path::new(&ws.repo)).unwrap();
        let store = CredentialStore::new(dir.path().to_owned());
        Demo { dir, repo, store }
    }

    fn keys(&self) -> Keys<'_> {
        Keys {
            data_dir: self.dir.path(),
            store: &self.store,
        }
    }

    fn approval(&self) -> Approval<'static> {
        Approval {
            change: CHANGE,
            target: "main",
            approve: true,
            comment: "looks right",
            key: None,
        }
    }
}

#[test]
fn the_target_is_the_given_one_else_the_remotes_default_else_main_else_master() {
    let repo = TempRepo::with_files(&[("a.yaml", "a: 1\n")]);
    let git = repo.git();
    let head = git.head().unwrap().peel_to_commit().unwrap();
    let current = git.head().unwrap().shorthand().unwrap().to_owned();
    let open = || Repository::open(repo.path()).unwrap();
    if current != "main" {
        git.branch("main", &head, false).unwrap();
    }
    assert_eq!(review::target_branch(&open(), None), "main");
    assert_eq!(review::target_branch(&open(), Some("release")), "release");

    // Only master: master.
    git.set_head_detached(head.id()).unwrap();
    git.find_branch("main", git2::BranchType::Local)
        .unwrap()
        .delete()
        .unwrap();
    git.branch("master", &head, false).unwrap();
    assert_eq!(review::target_branch(&open(), None), "master");

    // The remote says its default is trunk: trunk.
    git.reference("refs/remotes/origin/trunk", head.id(), true, "test")
        .unwrap();
    git.reference_symbolic(
        "refs/remotes/origin/HEAD",
        "refs/remotes/origin/trunk",
        true,
        "test",
    )
    .unwrap();
    assert_eq!(review::target_branch(&open(), None), "trunk");
}

#[test]
fn the_signing_key_is_the_given_one_else_the_chosen_one_else_git_config() {
    let demo = Demo::new();
    let keys = demo.keys();
    let key = keygen(demo.dir.path(), "chosen", "");
    assert_eq!(review::key_setting(None, keys.data_dir, &demo.repo), None);

    set_config(demo.repo.root(), "user.signingkey", "/keys/git_config");
    let setting = |given| review::key_setting(given, keys.data_dir, &demo.repo);
    assert_eq!(setting(None).as_deref(), Some("/keys/git_config"));
    assert!(review::signing_setup(Some(&demo.repo), &keys).from_git_config);

    review::choose_key(&keys, &key.display().to_string(), None).unwrap();
    assert_eq!(setting(None), Some(key.display().to_string()));
    assert_eq!(setting(Some("/keys/given")).as_deref(), Some("/keys/given"));

    // A set-up saved before agent keys named the field key_path.
    std::fs::write(
        keys.data_dir.join("signing.json"),
        r#"{"key_path": "/keys/old"}"#,
    )
    .unwrap();
    assert_eq!(setting(None).as_deref(), Some("/keys/old"));
}

#[test]
fn an_approval_needs_an_email_and_a_key_and_is_recorded_signed() {
    let demo = Demo::new();
    let keys = demo.keys();
    let before = review::changes(&demo.repo, "main", NOW).unwrap();
    let records = |list: &[wheelhouse_approvals::review::ChangeReview]| {
        list.iter()
            .find(|r| r.change.name == CHANGE)
            .map(|r| r.records.len())
            .unwrap()
    };
    assert_eq!(records(&before), 0);

    // The demo sets no email for the repository; an empty one is no email either.
    set_config(demo.repo.root(), "user.email", "");
    let refused = review::approve(&demo.repo, &keys, &demo.approval(), |_| None, NOW).unwrap_err();
    assert_eq!(refused.code, ErrorCode::IdentityMissing, "{refused}");

    set_config(demo.repo.root(), "user.email", "maya.chen@acme.example");
    let refused = review::approve(&demo.repo, &keys, &demo.approval(), |_| None, NOW).unwrap_err();
    assert_eq!(refused.code, ErrorCode::NoSigningKey, "{refused}");
    assert_eq!(
        records(&review::changes(&demo.repo, "main", NOW).unwrap()),
        0
    );

    // A key given for this approval only (the CLI's --key), asked for its passphrase.
    let locked = keygen(demo.dir.path(), "locked", "correct horse");
    let given = locked.display().to_string();
    let approval = Approval {
        key: Some(&given),
        ..demo.approval()
    };
    let refused = review::approve(&demo.repo, &keys, &approval, |_| None, NOW).unwrap_err();
    assert_eq!(refused.code, ErrorCode::PassphraseRequired, "{refused}");
    let r = review::approve(
        &demo.repo,
        &keys,
        &approval,
        |key| {
            assert_eq!(key, given, "the passphrase is asked for the key it opens");
            Some("correct horse".into())
        },
        NOW,
    )
    .unwrap();
    assert_eq!(r.records.len(), 1);
    assert_eq!(r.records[0].approver, "maya.chen@acme.example");
    assert_eq!(r.records[0].comment.as_deref(), Some("looks right"));
    assert_eq!(
        records(&review::changes(&demo.repo, "main", NOW).unwrap()),
        1
    );
    // Nothing was chosen for later: the set-up still has no key of its own.
    assert!(!keys.data_dir.join("signing.json").exists());
}

#[test]
fn choosing_a_key_checks_it_opens_keeps_the_passphrase_in_the_keyring_and_saves_nothing_else() {
    let demo = Demo::new();
    let keys = demo.keys();
    set_config(demo.repo.root(), "user.email", "tomas.rivera@acme.example");
    let locked = keygen(demo.dir.path(), "locked", "correct horse");
    let setting = locked.display().to_string();
    let saved = keys.data_dir.join("signing.json");

    let refused = review::choose_key(&keys, &setting, None).unwrap_err();
    assert_eq!(refused.code, ErrorCode::PassphraseRequired, "{refused}");
    let refused = review::choose_key(&keys, &setting, Some("wrong")).unwrap_err();
    assert_eq!(refused.code, ErrorCode::WrongPassphrase, "{refused}");
    let refused = review::choose_key(&keys, "/no/such/key", None).unwrap_err();
    assert_eq!(refused.code, ErrorCode::KeyUnreadable, "{refused}");
    assert!(!saved.exists(), "a refused key is not saved");

    review::choose_key(&keys, &format!("  {setting} "), Some("correct horse")).unwrap();
    let text = std::fs::read_to_string(&saved).unwrap();
    assert!(!text.contains("correct horse"), "{text}");
    let setup = review::signing_setup(Some(&demo.repo), &keys);
    assert_eq!(setup.key.as_deref(), Some(setting.as_str()));
    assert_eq!(setup.source.as_deref(), Some("file"));
    assert!(!setup.from_git_config);
    assert_eq!(setup.problem, None);
    let line = setup.allowed_signers_line.unwrap();
    assert!(
        line.starts_with("tomas.rivera@acme.example namespaces=\"wheelhouse\" ssh-ed25519 "),
        "{line}"
    );

    // The approval opens the key with the passphrase from the keyring: nothing is asked.
    let r = review::approve(
        &demo.repo,
        &keys,
        &demo.approval(),
        |_| panic!("the keyring has the passphrase"),
        NOW,
    )
    .unwrap();
    assert_eq!(r.records[0].approver, "tomas.rivera@acme.example");
}

#[test]
fn verify_judges_a_range_under_the_base_policy_and_says_why_it_may_not_merge() {
    let demo = Demo::new();
    let mut cache = wheelhouse_approvals::review::ReviewCache::default();
    let judged = review::verify(&mut cache, &demo.repo, "main", CHANGE, NOW, false).unwrap();
    let refused = judged
        .refused
        .expect("an unapproved prod change may not merge");
    assert_eq!(refused.code, ErrorCode::PolicyNotSatisfied);
    assert_eq!(refused.message, judged.review.verdict.summary);
    assert!(
        judged.review.environments.iter().any(|e| e == "prod"),
        "{:?}",
        judged.review.environments
    );
    assert!(
        judged.review.files.is_empty(),
        "the file diff only when asked"
    );

    let with_files = review::verify(&mut cache, &demo.repo, "main", CHANGE, NOW, true).unwrap();
    assert!(!with_files.review.files.is_empty());
    assert_eq!(
        with_files.review.verdict.summary,
        judged.review.verdict.summary
    );

    // Nothing between a branch and itself: nothing to approve.
    let same = review::verify(&mut cache, &demo.repo, "main", "main", NOW, false).unwrap();
    assert!(same.refused.is_none(), "{:?}", same.refused);
}
