//! The loopback Git HTTP server, driven by the two clients that matter: the git CLI and libgit2
//! (through git2, as the app uses it).

use std::cell::Cell;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

use wheelhouse_testsupport::{AuthOutcome, GitHttpServer, TempRepo};

const USER: &str = "alice";
const PASSWORD: &str = "s3cret";

/// A repository with two commits, pushed to the bare `origin.git` that the server serves.
/// Tests run in parallel, and a server started by one may be given the port another test just
/// freed: a test that needs a freed port to stay closed holds this alone, every other test's
/// server shares it.
static PORTS: RwLock<()> = RwLock::new(());

enum PortUse {
    Shared(#[allow(dead_code)] RwLockReadGuard<'static, ()>),
    Sole(#[allow(dead_code)] RwLockWriteGuard<'static, ()>),
}

impl PortUse {
    fn shared() -> Self {
        PortUse::Shared(PORTS.read().unwrap_or_else(|e| e.into_inner()))
    }

    fn sole() -> Self {
        PortUse::Sole(PORTS.write().unwrap_or_else(|e| e.into_inner()))
    }
}

struct Fixture {
    // Declared first so it stops before the folders it serves are removed.
    server: GitHttpServer,
    bare: PathBuf,
    scratch: tempfile::TempDir,
    _source: TempRepo,
    _ports: PortUse,
}

impl Fixture {
    fn with_auth(auth: Option<(&str, &str)>) -> Self {
        Self::serving(auth, PortUse::shared())
    }

    fn serving(auth: Option<(&str, &str)>, ports: PortUse) -> Self {
        let source = TempRepo::with_files(&[("apps/web/deployment.yaml", "replicas: 1\n")]);
        source.commit(
            &[("apps/web/deployment.yaml", "replicas: 2\n")],
            "Scale web",
        );
        let bare = source.add_bare_remote("origin");
        let auth = auth.map(|(u, p)| (u.to_string(), p.to_string()));
        let server = GitHttpServer::start(bare.parent().expect("bare has a parent"), auth);
        Self {
            server,
            bare,
            scratch: tempfile::tempdir().expect("scratch dir"),
            _source: source,
            _ports: ports,
        }
    }

    fn new() -> Self {
        Self::with_auth(Some((USER, PASSWORD)))
    }

    fn url(&self) -> String {
        self.server.url("origin.git")
    }

    /// The URL with `user:password@` in it, as the git CLI takes credentials without a helper.
    fn url_with(&self, user: &str, password: &str) -> String {
        self.url()
            .replacen("http://", &format!("http://{user}:{password}@"), 1)
    }

    fn dest(&self, name: &str) -> PathBuf {
        self.scratch.path().join(name)
    }

    fn bare_main(&self) -> git2::Oid {
        let bare = git2::Repository::open_bare(&self.bare).expect("open bare");
        bare.refname_to_id("refs/heads/main").expect("main")
    }
}

/// The git CLI with no credential helper, no prompts, no user or system config and no proxy,
/// so the only credentials it has are the ones in the URL.
fn git_cli(cwd: &Path, args: &[&str]) -> Output {
    let mut command = Command::new("git");
    command
        .current_dir(cwd)
        .args(["-c", "credential.helper="])
        .args([
            "-c",
            "user.name=Pusher",
            "-c",
            "user.email=pusher@example.com",
        ])
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("NO_PROXY", "*")
        .env("no_proxy", "*");
    for var in [
        "GIT_ASKPASS",
        "SSH_ASKPASS",
        "GIT_DIR",
        "GIT_WORK_TREE",
        "http_proxy",
        "https_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
    ] {
        command.env_remove(var);
    }
    command.output().expect("run git")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn assert_ok(output: &Output) {
    assert!(output.status.success(), "git failed: {}", stderr(output));
}

fn head_of(repo: &Path) -> git2::Oid {
    let repo = git2::Repository::open(repo).expect("open clone");
    let head = repo.head().expect("head").target().expect("direct head");
    head
}

/// Clones `url` with libgit2, answering credential requests with `credentials`.
fn git2_clone(
    url: &str,
    dest: &Path,
    credentials: impl FnMut(&str, Option<&str>, git2::CredentialType) -> Result<git2::Cred, git2::Error>,
) -> Result<git2::Repository, git2::Error> {
    let mut callbacks = git2::RemoteCallbacks::new();
    callbacks.credentials(credentials);
    let mut fetch = git2::FetchOptions::new();
    fetch.remote_callbacks(callbacks);
    git2::build::RepoBuilder::new()
        .fetch_options(fetch)
        .clone(url, dest)
}

fn host_port(url: &str) -> &str {
    let rest = url.strip_prefix("http://").expect("http url");
    rest.split('/').next().expect("host")
}

/// Bytes that zlib cannot shrink, so a file of them makes a pack of about the same size.
fn incompressible(len: usize) -> Vec<u8> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 56) as u8
        })
        .collect()
}

#[test]
fn cli_clone_with_the_right_credentials_gets_every_commit() {
    let fx = Fixture::new();
    let dest = fx.dest("clone");

    let out = git_cli(
        fx.scratch.path(),
        &[
            "clone",
            &fx.url_with(USER, PASSWORD),
            dest.to_str().unwrap(),
        ],
    );

    assert_ok(&out);
    assert_eq!(head_of(&dest), fx.bare_main());
    let count = git_cli(&dest, &["rev-list", "--count", "HEAD"]);
    assert_eq!(String::from_utf8_lossy(&count.stdout).trim(), "2");
    let requests = fx.server.requests();
    assert!(fx.server.count(AuthOutcome::Accepted) >= 2, "{requests:#?}");
    assert_eq!(fx.server.count(AuthOutcome::Rejected), 0, "{requests:#?}");
    assert!(requests
        .iter()
        .filter(|r| r.auth == AuthOutcome::Accepted)
        .all(|r| r.user.as_deref() == Some(USER) && r.status == 200));
}

#[test]
fn cli_clone_with_a_wrong_password_fails_with_an_auth_error() {
    let fx = Fixture::new();
    let dest = fx.dest("clone");

    let out = git_cli(
        fx.scratch.path(),
        &["clone", &fx.url_with(USER, "guess"), dest.to_str().unwrap()],
    );

    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("Authentication failed"),
        "{}",
        stderr(&out)
    );
    let requests = fx.server.requests();
    assert!(fx.server.count(AuthOutcome::Rejected) >= 1, "{requests:#?}");
    assert_eq!(fx.server.count(AuthOutcome::Accepted), 0, "{requests:#?}");
    assert!(requests
        .iter()
        .filter(|r| r.auth == AuthOutcome::Rejected)
        .all(|r| r.user.as_deref() == Some(USER) && r.status == 401));
}

#[test]
fn cli_clone_without_credentials_is_answered_401_and_fails_without_prompting() {
    let fx = Fixture::new();
    let dest = fx.dest("clone");

    let out = git_cli(
        fx.scratch.path(),
        &["clone", &fx.url(), dest.to_str().unwrap()],
    );

    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("terminal prompts disabled"),
        "{}",
        stderr(&out)
    );
    let requests = fx.server.requests();
    assert!(!requests.is_empty());
    assert!(
        requests
            .iter()
            .all(|r| r.auth == AuthOutcome::Missing && r.status == 401 && r.user.is_none()),
        "{requests:#?}"
    );
}

#[test]
fn a_request_without_credentials_gets_a_basic_challenge() {
    let fx = Fixture::new();
    let url = fx.url();
    let mut stream = TcpStream::connect(host_port(&url)).expect("connect");

    write!(
        stream,
        "GET /origin.git/info/refs?service=git-upload-pack HTTP/1.1\r\nHost: {}\r\n\r\n",
        host_port(&url)
    )
    .expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");

    assert!(response.starts_with("HTTP/1.1 401 "), "{response}");
    assert!(
        response.contains("\r\nWWW-Authenticate: Basic realm=\"wheelhouse-test\"\r\n"),
        "{response}"
    );
    assert_eq!(fx.server.count(AuthOutcome::Missing), 1);
}

#[test]
fn cli_push_of_a_new_commit_reaches_the_bare_repository() {
    let fx = Fixture::new();
    let dest = fx.dest("clone");
    let url = fx.url_with(USER, PASSWORD);
    assert_ok(&git_cli(
        fx.scratch.path(),
        &["clone", &url, dest.to_str().unwrap()],
    ));
    std::fs::write(dest.join("apps/web/deployment.yaml"), "replicas: 3\n").expect("edit");
    assert_ok(&git_cli(&dest, &["commit", "-am", "Scale web to 3"]));

    assert_ok(&git_cli(&dest, &["push", "origin", "main"]));

    assert_eq!(fx.bare_main(), head_of(&dest));
    let pushes: Vec<_> = fx
        .server
        .requests()
        .into_iter()
        .filter(|r| r.target == "/origin.git/git-receive-pack")
        .collect();
    assert_eq!(pushes.len(), 1, "{pushes:#?}");
    assert_eq!(
        (pushes[0].auth, pushes[0].status),
        (AuthOutcome::Accepted, 200)
    );
}

#[test]
fn a_push_bigger_than_the_post_buffer_arrives_chunked_and_lands() {
    let fx = Fixture::new();
    let dest = fx.dest("clone");
    let url = fx.url_with(USER, PASSWORD);
    assert_ok(&git_cli(
        fx.scratch.path(),
        &["clone", &url, dest.to_str().unwrap()],
    ));
    std::fs::write(dest.join("blob.bin"), incompressible(300 * 1024)).expect("write blob");
    assert_ok(&git_cli(&dest, &["add", "blob.bin"]));
    assert_ok(&git_cli(&dest, &["commit", "-m", "Add a big blob"]));

    // 64 KiB is the smallest buffer git accepts; a bigger pack is sent chunked.
    assert_ok(&git_cli(
        &dest,
        &["-c", "http.postBuffer=65536", "push", "origin", "main"],
    ));

    assert_eq!(fx.bare_main(), head_of(&dest));
    let requests = fx.server.requests();
    assert!(
        requests
            .iter()
            .any(|r| r.target == "/origin.git/git-receive-pack"
                && r.header("transfer-encoding") == Some("chunked")
                && r.status == 200),
        "{requests:#?}"
    );
}

#[test]
fn a_large_fetch_request_arrives_gzipped_and_is_served() {
    let fx = Fixture::new();
    // Forty branches on forty commits make the clone's list of wants pass the 1 KiB above which
    // git compresses the request body.
    {
        let bare = git2::Repository::open_bare(&fx.bare).expect("open bare");
        let main = bare.find_commit(fx.bare_main()).expect("main commit");
        let tree = main.tree().expect("tree");
        let sig = main.author();
        for i in 0..40 {
            bare.commit(
                Some(&format!("refs/heads/topic-{i:02}")),
                &sig,
                &sig,
                &format!("Topic {i}"),
                &tree,
                &[&main],
            )
            .expect("topic commit");
        }
    }
    let dest = fx.dest("clone");

    let out = git_cli(
        fx.scratch.path(),
        &[
            "clone",
            &fx.url_with(USER, PASSWORD),
            dest.to_str().unwrap(),
        ],
    );

    assert_ok(&out);
    let clone = git2::Repository::open(&dest).expect("open clone");
    let remote_branches = clone
        .branches(Some(git2::BranchType::Remote))
        .expect("branches")
        .count();
    assert_eq!(remote_branches, 42, "main, 40 topics and origin/HEAD");
    let requests = fx.server.requests();
    assert!(
        requests
            .iter()
            .any(|r| r.target == "/origin.git/git-upload-pack"
                && r.header("content-encoding") == Some("gzip")
                && r.status == 200),
        "{requests:#?}"
    );
}

#[test]
fn libgit2_clone_with_a_credentials_callback_succeeds() {
    let fx = Fixture::new();
    let calls = Cell::new(0);

    let clone = git2_clone(&fx.url(), &fx.dest("clone"), |_url, _user, allowed| {
        calls.set(calls.get() + 1);
        assert!(allowed.contains(git2::CredentialType::USER_PASS_PLAINTEXT));
        git2::Cred::userpass_plaintext(USER, PASSWORD)
    })
    .expect("clone over http");

    assert_eq!(head_of(clone.path()), fx.bare_main());
    assert_eq!(calls.get(), 1, "asked once, then the credential is reused");
    // libgit2 never sends credentials up front: its first request is anonymous and gets the
    // 401 that makes it call the callback.
    let requests = fx.server.requests();
    assert_eq!(requests[0].auth, AuthOutcome::Missing, "{requests:#?}");
    assert_eq!(fx.server.count(AuthOutcome::Missing), 1, "{requests:#?}");
    assert_eq!(fx.server.count(AuthOutcome::Rejected), 0, "{requests:#?}");
    assert!(fx.server.count(AuthOutcome::Accepted) >= 2, "{requests:#?}");
}

/// libgit2 answers every 401 by calling the credentials callback again, and would keep doing
/// so (up to its replay limit) with the same wrong password. A callback must therefore give up
/// when it is called a second time for the same operation: the first call means "the server
/// wants credentials", a second means "the ones you gave were refused". Returning an error
/// with `ErrorCode::Auth` makes libgit2 stop and hand that code back to the caller.
#[test]
fn libgit2_clone_with_wrong_credentials_fails_with_auth_once_the_callback_gives_up() {
    let fx = Fixture::new();
    let calls = Cell::new(0);

    let err = git2_clone(&fx.url(), &fx.dest("clone"), |_url, _user, _allowed| {
        calls.set(calls.get() + 1);
        if calls.get() > 1 {
            return Err(git2::Error::new(
                git2::ErrorCode::Auth,
                git2::ErrorClass::Http,
                "credentials rejected",
            ));
        }
        git2::Cred::userpass_plaintext(USER, "guess")
    })
    .map(|_| ())
    .expect_err("wrong password must not clone");

    assert_eq!(err.code(), git2::ErrorCode::Auth, "{err}");
    assert_eq!(calls.get(), 2);
    let requests = fx.server.requests();
    assert_eq!(fx.server.count(AuthOutcome::Rejected), 1, "{requests:#?}");
    assert_eq!(fx.server.count(AuthOutcome::Accepted), 0, "{requests:#?}");
}

/// The trap the test above avoids: a callback that always returns the same wrong credentials is
/// called again after every 401 until libgit2's replay limit (15 requests and 15 calls in
/// libgit2 1.9), and the error is then a generic one, not `ErrorCode::Auth`, so the app could
/// not tell it from any other failure.
#[test]
fn libgit2_keeps_retrying_a_callback_that_never_gives_up_then_fails_generically() {
    let fx = Fixture::new();
    let calls = Cell::new(0);

    let err = git2_clone(&fx.url(), &fx.dest("clone"), |_url, _user, _allowed| {
        calls.set(calls.get() + 1);
        git2::Cred::userpass_plaintext(USER, "guess")
    })
    .map(|_| ())
    .expect_err("wrong password must not clone");

    assert_eq!(err.code(), git2::ErrorCode::GenericError, "{err}");
    assert!(err.message().contains("authentication replays"), "{err}");
    assert!(calls.get() > 2, "called {} times", calls.get());
    assert_eq!(fx.server.count(AuthOutcome::Rejected), calls.get() - 1);
}

#[test]
fn libgit2_push_with_a_credentials_callback_updates_the_bare_repository() {
    let fx = Fixture::new();
    let clone = git2_clone(&fx.url(), &fx.dest("clone"), |_, _, _| {
        git2::Cred::userpass_plaintext(USER, PASSWORD)
    })
    .expect("clone");
    let new_commit = {
        let head = clone
            .head()
            .expect("head")
            .peel_to_commit()
            .expect("commit");
        let sig = git2::Signature::now("Pusher", "pusher@example.com").expect("sig");
        clone
            .commit(
                Some("HEAD"),
                &sig,
                &sig,
                "Empty change",
                &head.tree().expect("tree"),
                &[&head],
            )
            .expect("commit")
    };
    let rejected = Cell::new(None::<String>);
    let mut callbacks = git2::RemoteCallbacks::new();
    callbacks.credentials(|_, _, _| git2::Cred::userpass_plaintext(USER, PASSWORD));
    callbacks.push_update_reference(|_refname, status| {
        rejected.set(status.map(str::to_string));
        Ok(())
    });
    let mut options = git2::PushOptions::new();
    options.remote_callbacks(callbacks);

    clone
        .find_remote("origin")
        .expect("origin")
        .push(&["refs/heads/main:refs/heads/main"], Some(&mut options))
        .expect("push over http");

    assert_eq!(rejected.take(), None);
    assert_eq!(fx.bare_main(), new_commit);
    let requests = fx.server.requests();
    // libgit2 always streams the pack as a chunked body.
    assert!(
        requests
            .iter()
            .any(|r| r.target == "/origin.git/git-receive-pack"
                && r.header("transfer-encoding") == Some("chunked")
                && r.auth == AuthOutcome::Accepted
                && r.status == 200),
        "{requests:#?}"
    );
}

#[test]
fn a_server_started_without_auth_serves_anonymous_clones() {
    let fx = Fixture::with_auth(None);

    let clone = git2_clone(&fx.url(), &fx.dest("clone"), |_, _, _| {
        panic!("no credentials should be asked for")
    })
    .expect("anonymous clone");

    assert_eq!(head_of(clone.path()), fx.bare_main());
    let requests = fx.server.requests();
    assert!(!requests.is_empty());
    assert!(requests.iter().all(|r| r.auth == AuthOutcome::NotRequired));
}

#[test]
fn an_unused_url_refuses_connections_at_once() {
    let _ports = PortUse::sole();
    let url = GitHttpServer::unused_url();
    let scratch = tempfile::tempdir().expect("scratch");
    let asked = Cell::new(false);

    let connect = TcpStream::connect(host_port(&url)).expect_err("nothing listens");
    let started = Instant::now();
    let err = git2_clone(&url, &scratch.path().join("clone"), |_, _, _| {
        asked.set(true);
        Err(git2::Error::from_str("not expected"))
    })
    .map(|_| ())
    .expect_err("server is down");

    assert_eq!(connect.kind(), std::io::ErrorKind::ConnectionRefused);
    // libgit2 reports a refused connection as an OS error, not a network-class one.
    assert_eq!(err.class(), git2::ErrorClass::Os, "{err}");
    assert!(err.message().contains("failed to connect"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(!asked.get());
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
}

#[test]
fn a_stopped_server_refuses_connections() {
    let fx = Fixture::serving(Some((USER, PASSWORD)), PortUse::sole());
    let url = fx.url();
    let Fixture {
        server,
        scratch: _scratch,
        _ports,
        ..
    } = fx;

    server.stop();

    let err = TcpStream::connect(host_port(&url)).expect_err("stopped");
    assert_eq!(err.kind(), std::io::ErrorKind::ConnectionRefused);
}
