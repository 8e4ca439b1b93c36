//! The `wheelhouse` binary, run as a user or CI would run it.

mod common;

use common::{
    demo_repo, json_of, run_with_stdin, stderr, stdout, wheelhouse, wheelhouse_command,
    wheelhouse_with_stdin,
};
use std::path::Path;
use std::process::Command;
use wheelhouse_testsupport::{snapshot, TempRepo};

#[test]
fn version_and_help_describe_the_tool() {
    let v = wheelhouse(&["--version"]);
    assert!(v.status.success());
    // The commit it names: tests/packaging.rs.
    assert!(
        stdout(&v).starts_with(&format!("wheelhouse {} (", env!("CARGO_PKG_VERSION"))),
        "{}",
        stdout(&v)
    );
    let h = wheelhouse(&["--help"]);
    assert!(h.status.success());
    for word in ["demo", "overview", "--json"] {
        assert!(
            stdout(&h).contains(word),
            "help lacks {word}: {}",
            stdout(&h)
        );
    }
}

#[test]
fn demo_creates_the_workspace_and_reports_it_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("demo");
    let out = wheelhouse(&["--json", "demo", target.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let repo = json["repo"].as_str().unwrap();
    assert!(Path::new(repo).join(".wheelhouse/policy.yaml").is_file());
    assert!(Path::new(json["origin"].as_str().unwrap())
        .join("HEAD")
        .is_file());

    let overview = wheelhouse(&["--json", "overview", "--repo", repo, "--commits", "5"]);
    assert!(overview.status.success(), "{}", stderr(&overview));
    let json: serde_json::Value = serde_json::from_str(&stdout(&overview)).unwrap();
    assert_eq!(json["head"]["branch"], "main");
    assert_eq!(json["upstream"]["behind"], 1);
    assert_eq!(json["commits"].as_array().unwrap().len(), 5);
}

#[test]
fn demo_refuses_a_folder_that_is_not_empty_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("keep.txt"), "mine").unwrap();
    let before = snapshot(dir.path());
    let out = wheelhouse(&["--json", "demo", dir.path().to_str().unwrap()]);
    assert!(!out.status.success());
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["error"]["code"], "destination_not_empty");
    assert_eq!(before, snapshot(dir.path()));
}

/// Every bad path: non-zero exit, a sentence naming the path, the code in --json, nothing written.
#[test]
fn overview_refuses_bad_paths_clearly() {
    let scratch = tempfile::tempdir().unwrap();
    let plain = scratch.path().join("plain");
    std::fs::create_dir(&plain).unwrap();
    let empty = TempRepo::init();
    let no_commits = TempRepo::init();
    no_commits.write("app.yaml", "kind: Deployment\n");
    let with_remote = TempRepo::with_files(&[("a.yaml", "a: 1\n")]);
    let bare = with_remote.add_bare_remote("origin");
    let missing = scratch.path().join("missing");

    let cases: [(&Path, &str); 5] = [
        (&missing, "path_not_found"),
        (&plain, "not_a_repository"),
        (empty.path(), "empty_repository"),
        (no_commits.path(), "no_commits"),
        (&bare, "bare_repository"),
    ];
    for (path, code) in cases {
        let parent = path.parent().unwrap();
        let before = snapshot(parent);
        let text = wheelhouse(&["overview", "--repo", path.to_str().unwrap()]);
        assert_eq!(text.status.code(), Some(1), "{code}");
        assert!(
            stderr(&text).starts_with("error: ")
                && stderr(&text).contains(&path.display().to_string()),
            "{code}: {}",
            stderr(&text)
        );
        let json = wheelhouse(&["--json", "overview", "--repo", path.to_str().unwrap()]);
        assert_eq!(json.status.code(), Some(1));
        let value: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
        assert_eq!(value["error"]["code"], code);
        assert_eq!(before, snapshot(parent), "{code}: something was written");
    }
}

#[test]
fn an_unknown_command_is_a_usage_error() {
    let out = wheelhouse(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unrecognized subcommand"));
}

#[test]
fn sync_pulls_the_demo_commit_and_history_filters_by_folder() {
    let dir = tempfile::tempdir().unwrap();
    let repo = demo_repo(dir.path());
    let sync = wheelhouse(&["--json", "--repo", &repo, "sync"]);
    assert!(sync.status.success(), "{}", stderr(&sync));
    let report = json_of(&sync);
    assert_eq!(report["fast_forwarded"], 1);
    assert_eq!(report["state"]["behind"], 0);

    let history = wheelhouse(&[
        "--json",
        "--repo",
        &repo,
        "history",
        "overlays/prod",
        "--limit",
        "3",
    ]);
    assert!(history.status.success(), "{}", stderr(&history));
    let page = json_of(&history);
    let summaries: Vec<&str> = page["commits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["summary"].as_str().unwrap())
        .collect();
    assert_eq!(
        summaries,
        vec![
            "prod: worker memory limit 768Mi → 1536Mi for the stock sync",
            "promote payments 3.8.1 → prod",
            "promote payments 3.8.0 → prod"
        ]
    );
    assert_eq!(page["has_more"], true);

    let id = page["commits"][1]["id"].as_str().unwrap();
    let show = wheelhouse(&["--repo", &repo, "show", id]);
    assert!(show.status.success());
    assert!(
        stdout(&show).contains("-    newTag: \"3.8.0\"")
            && stdout(&show).contains("+    newTag: \"3.8.1\""),
        "{}",
        stdout(&show)
    );

    let escape = wheelhouse(&["--json", "--repo", &repo, "history", "../outside"]);
    assert_eq!(escape.status.code(), Some(1));
    assert_eq!(json_of(&escape)["error"]["code"], "path_outside_repository");
}

#[test]
fn diff_discard_commit_and_rollback_from_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let repo = demo_repo(dir.path());
    let file = Path::new(&repo).join("overlays/staging/kustomization.yaml");
    let original = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{original}# note\n")).unwrap();

    let diff = wheelhouse(&["--repo", &repo, "diff"]);
    assert!(stdout(&diff).contains("+# note"), "{}", stdout(&diff));

    let refused = wheelhouse(&[
        "--repo",
        &repo,
        "discard",
        "overlays/staging/kustomization.yaml",
    ]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("--yes"));
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .ends_with("# note\n"));

    let discard = wheelhouse(&[
        "--repo",
        &repo,
        "discard",
        "overlays/staging/kustomization.yaml",
        "--yes",
    ]);
    assert!(discard.status.success(), "{}", stderr(&discard));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), original);

    std::fs::write(&file, format!("{original}# kept\n")).unwrap();
    let git = git2::Repository::open(&repo).unwrap();
    let mut config = git
        .config()
        .unwrap()
        .open_level(git2::ConfigLevel::Local)
        .unwrap();
    config.set_str("user.name", "CLI Person").unwrap();
    config.set_str("user.email", "cli@example.com").unwrap();
    let commit = wheelhouse(&[
        "--json",
        "--repo",
        &repo,
        "commit",
        "-m",
        "staging: keep a note",
    ]);
    assert!(commit.status.success(), "{}", stderr(&commit));
    assert_eq!(json_of(&commit)["author_name"], "CLI Person");

    let id = json_of(&commit)["id"].as_str().unwrap().to_owned();
    let rollback = wheelhouse(&["--json", "--repo", &repo, "rollback", &id]);
    assert!(rollback.status.success(), "{}", stderr(&rollback));
    let rb = json_of(&rollback);
    assert_eq!(rb["branch"], format!("change/revert-{}", &id[..7]));
    assert_eq!(rb["commit"]["summary"], "Revert \"staging: keep a note\"");
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .ends_with("# kept\n"),
        "rollback touched the work tree"
    );
}

#[test]
fn clone_over_file_and_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let repo = demo_repo(dir.path());
    let origin = Path::new(&repo).parent().unwrap().join("origin.git");
    let dest = dir.path().join("clone");
    let clone = wheelhouse(&[
        "--json",
        "clone",
        &format!("file://{}", origin.display()),
        dest.to_str().unwrap(),
    ]);
    assert!(clone.status.success(), "{}", stderr(&clone));
    assert_eq!(
        json_of(&clone)["head"]["commit"]["summary"],
        "search 1.12.1 → dev: faster incremental indexing"
    );

    let bad = wheelhouse(&[
        "--json",
        "clone",
        "htp//nowhere",
        dir.path().join("x").to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(1));
    assert_eq!(json_of(&bad)["error"]["code"], "invalid_url");
    let down = wheelhouse(&[
        "--json",
        "clone",
        "http://127.0.0.1:9/a.git",
        dir.path().join("y").to_str().unwrap(),
    ]);
    assert_eq!(json_of(&down)["error"]["code"], "remote_unreachable");
    assert!(!dir.path().join("y").exists());
}

/// `login` reads the token from stdin in a pipe, stores it in the OS keyring (run under
/// scripts/with-keyring.sh, as `make test` does), `credentials` lists it without the secret.
#[test]
fn login_credentials_and_logout_use_the_keyring() {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        assert_eq!(
            std::env::var("WHEELHOUSE_NO_KEYRING").as_deref(),
            Ok("1"),
            "needs a keyring: run under scripts/with-keyring.sh (or set WHEELHOUSE_NO_KEYRING=1 to skip)"
        );
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let host = format!("git-{}.wheelhouse-test.invalid", std::process::id());
    let run = |args: &[&str], input: &str| {
        run_with_stdin(
            wheelhouse_command()
                .args(args)
                .env("WHEELHOUSE_DATA_DIR", data.path()),
            input,
        )
    };
    let login = run(
        &["--json", "login", &host, "--user", "maya"],
        "cli-s3cret-token\n",
    );
    assert!(login.status.success(), "{}", stderr(&login));
    let list = run(&["--json", "credentials"], "");
    let listed = stdout(&list);
    assert!(
        listed.contains(&host) && listed.contains("maya"),
        "{listed}"
    );
    assert!(!listed.contains("cli-s3cret-token"));
    for entry in std::fs::read_dir(data.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains("cli-s3cret-token"));
    }
    let logout = run(&["logout", &host, "--user", "maya"], "");
    assert!(logout.status.success(), "{}", stderr(&logout));
    assert_eq!(stdout(&run(&["--json", "credentials"], "")).trim(), "[]");
}

#[test]
fn changes_and_verify_judge_the_demo_change_under_the_policy_of_main() {
    let dir = tempfile::tempdir().unwrap();
    let repo = demo_repo(dir.path());
    let changes = wheelhouse(&["--json", "--repo", &repo, "changes"]);
    assert!(changes.status.success(), "{}", stderr(&changes));
    let list = json_of(&changes);
    assert_eq!(
        list[0]["change"]["name"],
        "origin/change/promote-api-1.4.2-prod"
    );
    assert_eq!(list[0]["environments"], serde_json::json!(["prod"]));
    assert_eq!(list[0]["verdict"]["state"], "needs_approvals");

    let verify = wheelhouse(&[
        "--repo",
        &repo,
        "verify",
        "main..origin/change/promote-api-1.4.2-prod",
    ]);
    assert_eq!(verify.status.code(), Some(1), "{}", stdout(&verify));
    assert!(
        stdout(&verify).contains("needs 2 more approvals"),
        "{}",
        stdout(&verify)
    );

    let merge = wheelhouse(&[
        "--json",
        "--repo",
        &repo,
        "merge",
        "origin/change/promote-api-1.4.2-prod",
    ]);
    assert_eq!(merge.status.code(), Some(1));
    assert_eq!(json_of(&merge)["error"]["code"], "merge_not_allowed");
}

/// A real `ssh-agent -D -a <tempdir>/agent.sock`, killed when dropped. Its socket is given to the
/// child processes only (`SSH_AUTH_SOCK` on their command), never to the test process.
struct SshAgent {
    child: std::process::Child,
    socket: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl SshAgent {
    fn start() -> SshAgent {
        let dir = tempfile::tempdir().unwrap();
        let socket = dir.path().join("agent.sock");
        let child = Command::new("ssh-agent")
            .arg("-D")
            .arg("-a")
            .arg(&socket)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("ssh-agent (package openssh-client) runs");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !socket.exists() {
            assert!(
                std::time::Instant::now() < deadline,
                "ssh-agent did not listen"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        SshAgent {
            child,
            socket,
            _dir: dir,
        }
    }

    fn add(&self, key: &Path) {
        let out = Command::new("ssh-add")
            .arg("-q")
            .arg(key)
            .env("SSH_AUTH_SOCK", &self.socket)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
}

impl Drop for SshAgent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn ssh_keygen(dir: &Path, name: &str, email: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    let ok = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", email, "-f"])
        .arg(&path)
        .status()
        .unwrap();
    assert!(ok.success());
    path
}

fn git_in(repo: &str, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
}

/// `signing-keys` lists the agent's keys; `approve` signs through the agent when the key is a
/// `.pub` file (`--key`) or a `key::` literal (`user.signingkey`), as git does.
#[test]
fn approve_signs_through_the_ssh_agent_and_signing_keys_lists_its_keys() {
    let dir = tempfile::tempdir().unwrap();
    let repo = demo_repo(dir.path());
    let data = dir.path().join("data");
    let maya = ssh_keygen(dir.path(), "maya", "maya@laptop");
    let tomas = ssh_keygen(dir.path(), "tomas", "tomas@laptop");
    let stranger = ssh_keygen(dir.path(), "stranger", "stranger@laptop");
    let public = |k: &Path| {
        std::fs::read_to_string(k.with_extension("pub"))
            .unwrap()
            .trim()
            .to_owned()
    };
    let signers = format!(
        "maya.chen@acme.example namespaces=\"wheelhouse\" {}\ntomas.rivera@acme.example namespaces=\"wheelhouse\" {}\n",
        public(&maya),
        public(&tomas)
    );
    std::fs::write(
        Path::new(&repo).join(".wheelhouse/allowed_signers"),
        signers,
    )
    .unwrap();
    git_in(&repo, &["config", "user.name", "Maya Chen"]);
    git_in(&repo, &["config", "user.email", "maya.chen@acme.example"]);
    git_in(&repo, &["commit", "-qam", "allowed_signers"]);

    let agent = SshAgent::start();
    agent.add(&maya);
    agent.add(&tomas);
    let run = |args: &[&str], sock: Option<&Path>| {
        let mut cmd = wheelhouse_command();
        cmd.args(args)
            .env("WHEELHOUSE_DATA_DIR", &data)
            .stdin(std::process::Stdio::null());
        match sock {
            Some(s) => cmd.env("SSH_AUTH_SOCK", s),
            None => cmd.env_remove("SSH_AUTH_SOCK"),
        };
        cmd.output().unwrap()
    };

    let listed = run(&["--json", "signing-keys"], Some(&agent.socket));
    assert!(listed.status.success(), "{}", stderr(&listed));
    let keys = json_of(&listed);
    assert_eq!(keys.as_array().unwrap().len(), 2, "{keys}");
    assert_eq!(keys[0]["comment"], "maya@laptop");
    assert_eq!(keys[0]["algorithm"], "ssh-ed25519");
    assert!(keys[0]["fingerprint"]
        .as_str()
        .unwrap()
        .starts_with("SHA256:"));
    let text = run(&["signing-keys"], Some(&agent.socket));
    assert!(stdout(&text).contains("tomas@laptop"), "{}", stdout(&text));
    let none = run(&["--json", "signing-keys"], None);
    assert_eq!(none.status.code(), Some(1));
    assert_eq!(json_of(&none)["error"]["code"], "agent_unavailable");

    let change = "origin/change/promote-api-1.4.2-prod";
    // --key with the .pub file: the agent signs.
    let maya_pub = maya.with_extension("pub");
    let approved = run(
        &[
            "--json",
            "--repo",
            &repo,
            "approve",
            change,
            "--key",
            maya_pub.to_str().unwrap(),
        ],
        Some(&agent.socket),
    );
    assert!(approved.status.success(), "{}", stdout(&approved));
    let r = json_of(&approved);
    assert_eq!(r["records"][0]["signature"]["state"], "valid", "{r}");
    assert_eq!(r["verdict"]["state"], "needs_approvals");

    // A key the agent does not hold: refused, nothing recorded.
    let stranger_pub = stranger.with_extension("pub");
    let refused = run(
        &[
            "--json",
            "--repo",
            &repo,
            "approve",
            change,
            "--key",
            stranger_pub.to_str().unwrap(),
        ],
        Some(&agent.socket),
    );
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(json_of(&refused)["error"]["code"], "key_not_in_agent");

    // user.signingkey as a key:: literal, as git takes it.
    git_in(
        &repo,
        &["config", "user.email", "tomas.rivera@acme.example"],
    );
    git_in(
        &repo,
        &[
            "config",
            "user.signingkey",
            &format!("key::{}", public(&tomas)),
        ],
    );
    let no_agent = run(&["--json", "--repo", &repo, "approve", change], None);
    assert_eq!(json_of(&no_agent)["error"]["code"], "agent_unavailable");
    let approved = run(
        &["--json", "--repo", &repo, "approve", change],
        Some(&agent.socket),
    );
    assert!(approved.status.success(), "{}", stdout(&approved));
    let r = json_of(&approved);
    assert_eq!(r["verdict"]["state"], "ready_to_merge", "{r}");
    assert_eq!(r["records"].as_array().unwrap().len(), 2);

    // `signing` shows the set-up as Settings does: git config's key, held by the agent.
    let setup = run(&["--json", "--repo", &repo, "signing"], Some(&agent.socket));
    assert!(setup.status.success(), "{}", stderr(&setup));
    let setup = json_of(&setup);
    assert_eq!(setup["source"], "agent", "{setup}");
    assert_eq!(setup["from_git_config"], true, "{setup}");
    assert_eq!(setup["email"], "tomas.rivera@acme.example");
    // Choosing a key that does not open is refused, and nothing is chosen.
    let refused = run(
        &[
            "--json",
            "--repo",
            &repo,
            "signing",
            "--key",
            "/no/such/key",
        ],
        Some(&agent.socket),
    );
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(json_of(&refused)["error"]["code"], "key_unreadable");
    assert!(!data.join("signing.json").exists());
    // A key file chosen here is the one approvals use from now on, in the app too.
    let chosen = run(
        &[
            "--repo",
            &repo,
            "signing",
            "--key",
            stranger.to_str().unwrap(),
        ],
        None,
    );
    assert!(chosen.status.success(), "{}", stderr(&chosen));
    let text = stdout(&chosen);
    assert!(text.contains("a key file"), "{text}");
    assert!(
        text.contains(&format!(
            "tomas.rivera@acme.example namespaces=\"wheelhouse\" {}",
            public(&stranger).rsplit_once(' ').unwrap().0
        )),
        "{text}"
    );
    let setup = json_of(&run(&["--json", "--repo", &repo, "signing"], None));
    assert_eq!(setup["from_git_config"], false, "{setup}");
    assert_eq!(setup["key"], stranger.to_str().unwrap());
}

#[test]
fn check_and_write_one_file_as_the_yaml_editor_does() {
    let dir = tempfile::tempdir().unwrap();
    let repo = demo_repo(dir.path());
    let file = "overlays/prod/kustomization.yaml";
    let full = Path::new(&repo).join(file);
    let original = std::fs::read_to_string(&full).unwrap();

    let ok = wheelhouse(&["--json", "--repo", &repo, "check", file]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    let ok = json_of(&ok);
    assert_eq!(ok["problems"], serde_json::json!([]));
    assert_eq!((ok["errors"].as_u64(), ok.get("error")), (Some(0), None));

    // Text with a syntax error: located, exit 1, and `write` refuses it with nothing written.
    let broken = format!("commonAnnotations: {{team: shop\n{original}");
    let bad = wheelhouse_with_stdin(
        &["--json", "--repo", &repo, "check", file, "--stdin"],
        &broken,
    );
    assert_eq!(bad.status.code(), Some(1));
    // One document: the problems, and the refusal beside them.
    let bad = json_of(&bad);
    assert_eq!(bad["error"]["code"], "validation_failed", "{bad}");
    let problems = &bad["problems"];
    assert_eq!(problems[0]["severity"], "error", "{problems}");
    assert_eq!(problems[0]["code"], "invalid_yaml", "{problems}");
    assert_eq!(problems[0]["line"], 3, "{problems}");
    let refused = wheelhouse_with_stdin(&["--repo", &repo, "write", file], &broken);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains(file), "{}", stderr(&refused));
    assert_eq!(std::fs::read_to_string(&full).unwrap(), original);

    // A valid edit: --dry-run shows the diff only, then write saves exactly that text.
    let edited = format!("commonAnnotations: {{team: shop}}\n{original}");
    let dry = wheelhouse_with_stdin(
        &["--json", "--repo", &repo, "write", file, "--dry-run"],
        &edited,
    );
    assert!(dry.status.success(), "{}", stderr(&dry));
    let dry = json_of(&dry);
    assert_eq!(dry["written"], false);
    assert!(dry["diff"]
        .as_str()
        .unwrap()
        .contains("+commonAnnotations: {team: shop}"));
    assert_eq!(std::fs::read_to_string(&full).unwrap(), original);
    let wrote = wheelhouse_with_stdin(&["--json", "--repo", &repo, "write", file], &edited);
    assert!(wrote.status.success(), "{}", stderr(&wrote));
    assert_eq!(json_of(&wrote)["written"], true);
    assert_eq!(std::fs::read_to_string(&full).unwrap(), edited);

    // A path outside the repository is refused.
    let outside = wheelhouse_with_stdin(&["--repo", &repo, "write", "../escape.yaml"], "a: 1\n");
    assert_eq!(outside.status.code(), Some(1));
    assert!(!dir.path().join("escape.yaml").exists());
}

#[test]
fn wheelhouse_now_pins_the_day_verdicts_are_judged_by() {
    let dir = tempfile::tempdir().unwrap();
    let repo = demo_repo(dir.path());
    let at = |now: &str| {
        let out = wheelhouse_command()
            .env("WHEELHOUSE_NOW", now)
            .args(["--json", "--repo", &repo, "changes"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        json_of(&out)[0]["verdict"]["summary"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    // 2026-12-25T12:00:00Z is inside the demo's holiday freeze of prod; 2026-11-26 is not.
    assert!(at("1798200000").contains("freeze"), "{}", at("1798200000"));
    assert!(!at("1795694400").contains("freeze"), "{}", at("1795694400"));
}

#[test]
fn promote_can_schedule_a_maintenance_for_the_linked_components_in_the_same_commit() {
    let dir = tempfile::tempdir().unwrap();
    let repo = demo_repo(dir.path());
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .arg("-C")
            .arg(&repo)
            .args(args)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    git(&["config", "user.name", "Maya Chen"]);
    git(&["config", "user.email", "maya.chen@acme.example"]);
    let out = wheelhouse(&[
        "--json",
        "--repo",
        &repo,
        "promote",
        "staging",
        "prod",
        "api",
        "--maintenance-from",
        "2026-12-10T22:00",
        "--maintenance-until",
        "2026-12-10T23:00",
        "--maintenance-tz",
        "America/New_York",
    ]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let branch = json_of(&out)["branch"].as_str().unwrap().to_owned();
    let files = git(&["show", "--name-only", "--format=", &branch]);
    let mut files: Vec<&str> = files.lines().collect();
    files.sort();
    assert_eq!(files.len(), 2, "{files:?}");
    assert_eq!(files[0], "overlays/prod/kustomization.yaml");
    assert!(
        files[1] == "status/maintenances/2026-12-11-deploying-api-1-4-2-to-prod.md",
        "{files:?}"
    );
    let text = git(&["show", &format!("{branch}:{}", files[1])]);
    assert!(
        text.contains("scheduled_for: 2026-12-10T22:00:00-05:00"),
        "{text}"
    );
    assert!(text.contains("api"), "{text}");
    assert!(git(&["log", "-1", "--format=%B", &branch])
        .contains("Status page: schedules the maintenance"));

    // A workload no component stands for: refused, and no branch is made.
    let before = git(&["branch", "--list"]);
    let refused = wheelhouse(&[
        "--repo",
        &repo,
        "promote",
        "dev",
        "staging",
        "notifications",
        "--maintenance-from",
        "2026-12-10T22:00",
        "--maintenance-until",
        "2026-12-10T23:00",
    ]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("no maintenance to schedule")
            || stdout(&refused).contains("no maintenance to schedule"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(git(&["branch", "--list"]), before);
}

/// `merge` behaves as the app's Merge: it lands the change on the target the app would choose (the
/// remote's default branch, else main) and pushes it with the approval notes; `--no-push` keeps
/// it local and says so.
#[test]
fn merge_pushes_to_the_upstream_as_the_app_does_unless_told_not_to() {
    use wheelhouse_testsupport::TempRepo;
    let local = TempRepo::with_files(&[("overlays/dev/kustomization.yaml", "images: []\n")]);
    let bare = local.add_bare_remote("origin");
    let remote_main = || {
        git2::Repository::open_bare(&bare)
            .unwrap()
            .find_reference("refs/heads/main")
            .unwrap()
            .target()
            .unwrap()
    };
    let make_change = |name: &str, text: &str| {
        let git = local.git();
        let main = git.head().unwrap().peel_to_commit().unwrap();
        git.branch(name, &main, true).unwrap();
        git.set_head(&format!("refs/heads/{name}")).unwrap();
        local.commit(&[("overlays/dev/kustomization.yaml", text)], name);
        git.set_head("refs/heads/main").unwrap();
        git.checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
            .unwrap();
    };
    let repo = local.path().to_str().unwrap().to_owned();
    let mut config = local.git().config().unwrap();
    config.set_str("user.name", "Maya").unwrap();
    config.set_str("user.email", "maya@example.com").unwrap();

    make_change("change/keep-local", "images: [a]\n");
    let before = remote_main();
    let kept = wheelhouse(&[
        "--json",
        "--repo",
        &repo,
        "merge",
        "change/keep-local",
        "--no-push",
    ]);
    assert!(kept.status.success(), "{}{}", stderr(&kept), stdout(&kept));
    let kept = json_of(&kept);
    assert_eq!(kept["pushed"], false, "{kept:#}");
    assert_eq!(kept["push_error"], serde_json::Value::Null, "{kept:#}");
    assert_eq!(remote_main(), before, "--no-push pushed");

    make_change("change/push", "images: [b]\n");
    let merged = wheelhouse(&["--repo", &repo, "merge", "change/push"]);
    assert!(merged.status.success(), "{}", stderr(&merged));
    let text = stdout(&merged);
    assert!(text.starts_with("Merged into main: "), "{text}");
    assert!(
        text.contains("Pushed main and the approval notes."),
        "{text}"
    );
    let head = local.git().head().unwrap().target().unwrap();
    assert_eq!(remote_main(), head, "the merge reached the remote");
}

#[test]
fn validate_prints_one_document_whether_or_not_it_fails() {
    let dir = tempfile::tempdir().unwrap();
    let repo = demo_repo(dir.path());
    let ok = wheelhouse(&["--json", "--repo", &repo, "validate"]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    let ok = json_of(&ok);
    assert_eq!(ok["errors"], 0, "{ok}");
    assert!(ok.get("error").is_none(), "{ok}");

    // A resource that is not there: exit 1, the problem with its code and place, and the
    // refusal in the same document.
    let file = Path::new(&repo).join("overlays/prod/kustomization.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let broken = text.replacen("resources:\n", "resources:\n  - ghost.yaml\n", 1);
    assert_ne!(broken, text, "the demo's prod overlay lists resources");
    std::fs::write(&file, broken).unwrap();
    let bad = wheelhouse(&["--json", "--repo", &repo, "validate"]);
    assert_eq!(bad.status.code(), Some(1));
    let bad = json_of(&bad);
    assert_eq!(bad["error"]["code"], "validation_failed", "{bad}");
    let ghost = bad["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["message"].as_str().unwrap().contains("ghost.yaml"))
        .unwrap_or_else(|| panic!("{bad}"));
    assert_eq!(ghost["code"], "missing_file", "{ghost}");
    assert_eq!(ghost["file"], "overlays/prod/kustomization.yaml", "{ghost}");
    assert!(ghost["line"].as_u64().is_some(), "{ghost}");

    let text_out = wheelhouse(&["--repo", &repo, "validate"]);
    assert_eq!(text_out.status.code(), Some(1));
    assert!(stdout(&text_out).contains("error: overlays/prod/kustomization.yaml:"));
}

/// A merge that brings a status update tells the subscribers once it reached the remote, and
/// records it, so a later `status notify` sends nothing twice.
#[test]
fn a_merged_incident_is_told_to_the_subscribers() {
    use wheelhouse_testsupport::webhook::WebhookReceiver;
    use wheelhouse_testsupport::TempRepo;
    let hook = WebhookReceiver::start(&[]);
    let local = TempRepo::with_files(&[
        ("status/page.yaml", "name: Acme\ntime_zone: UTC\n"),
        (
            "status/components.yaml",
            "groups:\n  - name: Shop\n    components:\n      - {id: web, name: Website}\n",
        ),
        (
            "status/subscribers.yaml",
            &format!(
                "channels:\n  - name: team\n    kind: discord\n    url: {}\n",
                hook.url("/team")
            ),
        ),
    ]);
    local.add_bare_remote("origin");
    let mut config = local.git().config().unwrap();
    config.set_str("user.name", "Maya").unwrap();
    config.set_str("user.email", "maya@example.com").unwrap();
    let git = local.git();
    let main = git.head().unwrap().peel_to_commit().unwrap();
    git.branch("change/incident", &main, true).unwrap();
    git.set_head("refs/heads/change/incident").unwrap();
    local.commit(
        &[(
            "status/incidents/2026-11-20-web-down.md",
            "---\ntitle: Website down\nstatus: investigating\nimpact: critical\nstarted_at: 2026-11-20T09:00:00Z\ncomponents:\n  web: major_outage\nupdates:\n  - at: 2026-11-20T09:01:00Z\n    status: investigating\n    body: The website does not answer.\n---\n",
        )],
        "Incident: website down",
    );
    git.set_head("refs/heads/main").unwrap();
    git.checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
        .unwrap();
    let repo = local.path().to_str().unwrap().to_owned();

    let merged = wheelhouse(&["--json", "--repo", &repo, "merge", "change/incident"]);
    assert!(
        merged.status.success(),
        "{}{}",
        stderr(&merged),
        stdout(&merged)
    );
    let merged = json_of(&merged);
    assert_eq!(merged["pushed"], true, "{merged:#}");
    assert_eq!(
        merged["notified"]["deliveries"][0]["outcome"], "delivered",
        "{merged:#}"
    );
    let got = hook.received();
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0].json()["embeds"][0]["title"],
        "Investigating: Website down"
    );

    // Told once: notify afterwards (its default since is the recorded merge) has nothing to send.
    let again = wheelhouse(&["--json", "--repo", &repo, "status", "notify"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(json_of(&again)["deliveries"], serde_json::json!([]));
    assert_eq!(hook.received().len(), 1);
}
