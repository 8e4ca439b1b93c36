//! Monitors against loopback servers that go down and come back: an HTTP endpoint, a TCP port,
//! a TLS server with a short-lived certificate and a DNS server. Each run is judged by the
//! conditions, counted against the thresholds, and recorded on the `status-history` branch —
//! pushed to a `file://` bare remote and merged hour by hour when two clones both recorded.

use std::net::Ipv4Addr;
use wheelhouse_api::monitor::{self, MonitorRequest, HISTORY_BRANCH, STATE_FILE};
use wheelhouse_api::ErrorCode;
use wheelhouse_repo::network::Network;
use wheelhouse_repo::Repository;
use wheelhouse_status::monitor::history::{History, Transition};
use wheelhouse_status::Timestamp;
use wheelhouse_testsupport::probe::{DnsProbe, HttpProbe, TcpProbe, TlsProbe};
use wheelhouse_testsupport::{git_cli, TempRepo};

const PAGE: &str = "name: Acme Shop\nurl: https://status.acme.example\ntime_zone: UTC\n";
const COMPONENTS: &str = "groups:\n  - name: Shop\n    components:\n      - id: web\n        name: Website\n      - id: api\n        name: Public API\n";

fn repo_with(monitors: &str) -> TempRepo {
    TempRepo::with_files(&[
        ("status/page.yaml", PAGE),
        ("status/components.yaml", COMPONENTS),
        ("status/monitors.yaml", monitors),
    ])
}

/// One run of `request`, offline, at `minute`.
fn run_with(repo: &Repository, request: &MonitorRequest, minute: u32) -> monitor::MonitorRun {
    monitor::run(repo, request, None, &no_secret, at(minute)).unwrap()
}

/// One run with the default request, offline, at `minute`.
fn run_at(repo: &Repository, minute: u32) -> monitor::MonitorRun {
    run_with(repo, &MonitorRequest::default(), minute)
}

/// No channel secrets in these tests.
fn no_secret(_: &str) -> wheelhouse_api::Result<Option<String>> {
    Ok(None)
}

fn at(minute: u32) -> Timestamp {
    format!("2026-12-07T13:{minute:02}:00Z").parse().unwrap()
}

/// A `monitors.yaml` of one monitor `api` of the `api` component, checking `url` answers 200,
/// with `extra` lines (`    failure_threshold: 1\n`…).
fn api_monitor(url: &str, extra: &str) -> String {
    format!("monitors:\n  - name: api\n    component: api\n    url: {url}\n    conditions: [\"[STATUS] == 200\"]\n{extra}")
}

fn history_file(repo: &Repository, file: &str) -> String {
    let files = repo
        .files_at(&format!("refs/heads/{HISTORY_BRANCH}"), |p| p == file)
        .unwrap();
    String::from_utf8(files[file].clone()).unwrap()
}

#[test]
fn an_http_monitor_goes_down_past_its_threshold_and_comes_back_recorded_on_its_branch() {
    let api = HttpProbe::start(200, r#"{"status":"UP"}"#);
    let mine = repo_with(&format!(
        "monitors:
  - name: api-health
    component: api
    url: {}
    conditions:
      - \"[STATUS] == 200\"
      - \"[BODY].status == UP\"
      - \"[RESPONSE_TIME] < 2000\"
    failure_threshold: 2
    success_threshold: 2
",
        api.url("/health")
    ));
    let repo = Repository::open(mine.path()).unwrap();
    let run = |minute| run_at(&repo, minute);

    let first = run(0);
    let c = &first.checks[0];
    assert!(c.ok, "{c:#?}");
    assert_eq!((c.state.up, c.transition), (true, Transition::None));
    assert!(first.history_commit.is_some());

    api.set(503, r#"{"status":"DOWN"}"#);
    let failing = run(1);
    let c = &failing.checks[0];
    assert!(!c.ok);
    assert_eq!(
        c.transition,
        Transition::None,
        "one failure is below the threshold"
    );
    let shown: Vec<&str> = c.conditions.iter().map(|v| v.shown.as_str()).collect();
    assert_eq!(shown[0], "[STATUS] (503) == 200");
    assert_eq!(shown[1], "[BODY].status (DOWN) == UP");
    let down = run(2);
    assert_eq!(
        (down.checks[0].state.up, down.checks[0].transition),
        (false, Transition::WentDown)
    );
    assert_eq!(down.checks[0].state.since, "2026-12-07T13:02:00Z");

    api.set(200, r#"{"status":"UP"}"#);
    assert_eq!(run(3).checks[0].transition, Transition::None);
    let up = run(4);
    assert_eq!(
        (up.checks[0].state.up, up.checks[0].transition),
        (true, Transition::CameUp)
    );

    // The branch holds the month and the state; the project's own branch is untouched.
    let month = History::parse(&history_file(&repo, "2026-12.tsv")).unwrap();
    assert_eq!(
        month.day("api-health", "2026-12-07".parse().unwrap()),
        (5, 2)
    );
    let state = history_file(&repo, STATE_FILE);
    assert!(
        state.contains("api-health\tup\tok\t2\t2026-12-07T13:04:00Z"),
        "{state}"
    );
    // Five runs of one day are one commit: each replaced the day's commit with one holding
    // everything it held and its own results.
    assert_eq!(
        git_cli(mine.path(), &["rev-list", "--count", HISTORY_BRANCH]).trim(),
        "1"
    );
    assert_eq!(
        git_cli(mine.path(), &["log", "-1", "--format=%s", HISTORY_BRANCH]).trim(),
        "Monitors, 2026-12-07: last run at 13:04 UTC: 1 checked, all up"
    );
    assert_eq!(
        git_cli(mine.path(), &["rev-list", "--count", "HEAD"]).trim(),
        "1"
    );

    // A dry run checks and records nothing.
    let dry = run_with(
        &repo,
        &MonitorRequest {
            dry_run: true,
            ..MonitorRequest::default()
        },
        5,
    );
    assert!(dry.checks[0].ok && dry.history_commit.is_none());
    assert_eq!(
        git_cli(mine.path(), &["rev-list", "--count", HISTORY_BRANCH]).trim(),
        "1"
    );

    // The next day starts a commit of its own on top of the day before's, which stays as it was.
    let yesterday = git_cli(mine.path(), &["rev-parse", HISTORY_BRANCH]);
    let tomorrow: Timestamp = "2026-12-08T00:01:00Z".parse().unwrap();
    monitor::run(
        &repo,
        &MonitorRequest::default(),
        None,
        &no_secret,
        tomorrow,
    )
    .unwrap();
    monitor::run(
        &repo,
        &MonitorRequest::default(),
        None,
        &no_secret,
        "2026-12-08T00:02:00Z".parse().unwrap(),
    )
    .unwrap();
    assert_eq!(
        git_cli(mine.path(), &["rev-list", "--count", HISTORY_BRANCH]).trim(),
        "2"
    );
    assert_eq!(
        git_cli(mine.path(), &["rev-parse", &format!("{HISTORY_BRANCH}^")]),
        yesterday
    );
    let month = History::parse(&history_file(&repo, "2026-12.tsv")).unwrap();
    assert_eq!(
        month.day("api-health", "2026-12-07".parse().unwrap()),
        (5, 2)
    );
    assert_eq!(
        month.day("api-health", "2026-12-08".parse().unwrap()),
        (2, 0)
    );
}

#[test]
fn a_second_run_at_the_same_time_is_where_the_monitor_stands() {
    // Under a pinned clock two runs share their time: the later run's check still counts.
    let api = HttpProbe::start(200, "ok");
    let mine = repo_with(&api_monitor(&api.url("/"), "    failure_threshold: 1\n"));
    let repo = Repository::open(mine.path()).unwrap();
    assert!(run_at(&repo, 0).checks[0].state.up);
    api.set(503, "down");
    let down = run_at(&repo, 0);
    assert_eq!(down.checks[0].transition, Transition::WentDown);
    let state = history_file(&repo, STATE_FILE);
    assert!(state.contains("\napi\tdown\t"), "{state}");
}

#[test]
fn a_loop_holds_its_rounds_and_records_them_together() {
    let api = HttpProbe::start(200, "ok");
    let mine = repo_with(&api_monitor(
        &api.url("/"),
        "    failure_threshold: 1\n    success_threshold: 1\n",
    ));
    let repo = Repository::open(mine.path()).unwrap();
    let mut held = monitor::Held::default();
    let round = |minute: u32, held: &mut monitor::Held| {
        monitor::run_in_loop(
            &repo,
            &MonitorRequest::default(),
            None,
            &no_secret,
            at(minute),
            held,
        )
        .unwrap()
    };
    let branch = || {
        repo.source_commit(&format!("refs/heads/{HISTORY_BRANCH}"))
            .ok()
    };
    let checks = |repo: &Repository| {
        History::parse(&history_file(repo, "2026-12.tsv"))
            .unwrap()
            .day("api", "2026-12-07".parse().unwrap())
    };

    // Rounds where nothing changes are held: no branch yet, no commit.
    for minute in 0..3 {
        let r = round(minute, &mut held);
        assert!(r.held && r.history_commit.is_none(), "{r:#?}");
    }
    assert!(branch().is_none());
    assert_eq!(held.since(), Some(at(0)));
    assert!(held.states()[0].up);
    // The status screen shows where the held rounds left the monitor, though nothing is recorded.
    let view = monitor::monitors_view(&repo, &held, at(2)).unwrap();
    let state = view.monitors[0].state.as_ref().expect("the held state");
    assert_eq!(state.checked_at, "2026-12-07T13:02:00Z");
    assert!(
        monitor::monitors_view(&repo, &monitor::Held::default(), at(2))
            .unwrap()
            .monitors[0]
            .state
            .is_none()
    );

    // A monitor going down is recorded at once, with every round held before it.
    api.set(503, "down");
    let down = round(3, &mut held);
    assert!(!down.held && down.history_commit.is_some());
    assert_eq!(down.checks[0].transition, Transition::WentDown);
    assert_eq!(checks(&repo), (4, 1));
    assert_eq!(held.since(), None);

    // Still down: held again, until the first round held is 15 minutes old.
    assert!(round(4, &mut held).held);
    let later = round(19, &mut held);
    assert!(!later.held, "{later:#?}");
    assert_eq!(checks(&repo), (6, 3));

    // What a loop holds when it stops is recorded then; all of it is one commit of the day.
    assert!(round(20, &mut held).held);
    let commit = monitor::record_held(&repo, None, &mut held, at(21)).unwrap();
    assert!(commit.is_some());
    assert_eq!(checks(&repo), (7, 4));
    assert_eq!(
        monitor::record_held(&repo, None, &mut held, at(22)).unwrap(),
        None
    );
    assert_eq!(
        git_cli(mine.path(), &["rev-list", "--count", HISTORY_BRANCH]).trim(),
        "1"
    );
    let state = history_file(&repo, STATE_FILE);
    assert!(state.contains("2026-12-07T13:20:00Z"), "{state}");
}

#[test]
fn tcp_tls_and_dns_monitors_see_what_their_servers_do() {
    let mut db = TcpProbe::start();
    let tls = TlsProbe::start(3);
    let dns = DnsProbe::start(&[("shop.acme.example", Ipv4Addr::new(10, 0, 0, 7))]);
    let mine = repo_with(&format!(
        "monitors:
  - name: db
    component: api
    url: tcp://127.0.0.1:{}
    conditions: [\"[CONNECTED] == true\"]
  - name: cert-soon
    component: web
    url: tls://localhost:{tls}
    conditions: [\"[CONNECTED] == true\", \"[CERTIFICATE_EXPIRATION] > 48h\"]
  - name: cert-month
    component: web
    url: tls://localhost:{tls}
    conditions: [\"[CERTIFICATE_EXPIRATION] > 30d\"]
  - name: resolver
    component: web
    url: dns://127.0.0.1:{}
    dns: {{query_name: shop.acme.example, query_type: A}}
    conditions: [\"[DNS_RCODE] == NOERROR\", \"[BODY] == 10.0.0.7\"]
  - name: nowhere
    component: web
    url: dns://127.0.0.1:{}
    dns: {{query_name: gone.acme.example}}
    conditions: [\"[DNS_RCODE] == NOERROR\"]
",
        db.port(),
        dns.port(),
        dns.port(),
        tls = tls.port()
    ));
    let repo = Repository::open(mine.path()).unwrap();
    let request = MonitorRequest {
        trust: Some(std::fs::read(tls.certificate()).unwrap()),
        ..MonitorRequest::default()
    };
    // The certificate is made now, by the machine's clock, which the handshake checks too: the
    // runs of this test are timed by it.
    let clock = Timestamp::now();
    let run_then = |request: &MonitorRequest, minutes: i64| {
        let when = clock + jiff::SignedDuration::from_mins(minutes);
        monitor::run(&repo, request, None, &no_secret, when).unwrap()
    };
    let run = run_then(&request, 0);
    let verdicts: Vec<(&str, bool)> = run
        .checks
        .iter()
        .map(|c| (c.monitor.as_str(), c.ok))
        .collect();
    assert_eq!(
        verdicts,
        [
            ("db", true),
            ("cert-soon", true),
            ("cert-month", false),
            ("resolver", true),
            ("nowhere", false)
        ],
        "{:#?}",
        run.checks
    );
    assert!(run.checks[4].conditions[0].shown.contains("(NXDOMAIN)"));

    // A certificate's life is counted from the run's time, not the machine's: two days on, the
    // three-day certificate has under 48 h left.
    let later = run_then(
        &MonitorRequest {
            only: Some("cert-soon".into()),
            dry_run: true,
            ..request.clone()
        },
        48 * 60,
    );
    assert!(!later.checks[0].ok, "{:#?}", later.checks);
    assert!(
        later.checks[0].conditions[1].shown.contains("> 48h"),
        "{:#?}",
        later.checks[0].conditions
    );

    // Without trusting the test's certificate the handshake fails, and says so.
    let untrusted = run_then(
        &MonitorRequest {
            only: Some("cert-soon".into()),
            dry_run: true,
            ..MonitorRequest::default()
        },
        1,
    );
    let error = untrusted.checks[0].error.as_deref().unwrap();
    assert!(error.contains("TLS handshake failed"), "{error}");

    db.down();
    let refused = run_then(
        &MonitorRequest {
            only: Some("db".into()),
            ..MonitorRequest::default()
        },
        2,
    );
    assert!(!refused.checks[0].ok);
    assert!(refused.checks[0]
        .error
        .as_deref()
        .unwrap()
        .contains("refused"));
    db.up();
    let back = run_then(
        &MonitorRequest {
            only: Some("db".into()),
            ..MonitorRequest::default()
        },
        3,
    );
    assert!(back.checks[0].ok);
}

#[test]
fn a_monitors_file_that_does_not_load_is_refused_located_and_nothing_is_recorded() {
    let mine = repo_with(
        "monitors:\n  - name: api\n    component: api\n    url: https://api.example\n    conditions:\n      - \"[STAUTS] == 200\"\n",
    );
    let repo = Repository::open(mine.path()).unwrap();
    let e = monitor::run(&repo, &MonitorRequest::default(), None, &no_secret, at(0)).unwrap_err();
    assert_eq!(e.code, ErrorCode::StatusInvalid);
    assert_eq!(e.file.as_deref(), Some("status/monitors.yaml"));
    assert_eq!((e.line, e.column), (Some(6), Some(10)));
    assert!(e.message.contains("is not a placeholder"), "{e}");
    assert!(repo
        .source_commit(&format!("refs/heads/{HISTORY_BRANCH}"))
        .is_err());
    let e = monitor::run(
        &repo,
        &MonitorRequest {
            only: Some("nope".into()),
            ..MonitorRequest::default()
        },
        None,
        &no_secret,
        at(0),
    )
    .unwrap_err();
    assert_eq!(
        e.code,
        ErrorCode::StatusInvalid,
        "the file is refused first"
    );
}

#[test]
fn two_clones_that_both_recorded_are_merged_hour_by_hour_and_pushed() {
    let api = HttpProbe::start(200, "ok");
    let monitors = api_monitor(&api.url("/"), "");
    let origin = repo_with(&monitors);
    let bare = tempfile::tempdir().unwrap();
    let bare_path = bare.path().join("origin.git");
    git_cli(
        bare.path(),
        &[
            "clone",
            "-q",
            "--bare",
            origin.path().to_str().unwrap(),
            "origin.git",
        ],
    );
    let url = format!("file://{}", bare_path.display());
    let clone = |name: &str| {
        let dir = bare.path().join(name);
        git_cli(bare.path(), &["clone", "-q", &url, name]);
        Repository::open(&dir).unwrap()
    };
    let (ci, laptop) = (clone("ci"), clone("laptop"));
    let online = |repo: &Repository, minute| {
        let mut net = Network::new();
        monitor::run(
            repo,
            &MonitorRequest::default(),
            Some(&mut net),
            &no_secret,
            at(minute),
        )
        .unwrap()
    };
    // The laptop checks offline; CI checks and pushes; the laptop's next run finds the branch
    // moved elsewhere: both months merged hour by hour, its commit on top of CI's, pushed.
    monitor::run(&laptop, &MonitorRequest::default(), None, &no_secret, at(0)).unwrap();
    let a = online(&ci, 1);
    assert_eq!(a.record_error, None);
    let b = online(&laptop, 2);
    assert_eq!(b.record_error, None, "{b:#?}");
    // The laptop's commit took the place of CI's commit of the day (holding what it held), and
    // the remote took it: CI's commit was what the laptop had fetched.
    let remote_tip = || git_cli(&bare_path, &["rev-parse", HISTORY_BRANCH]);
    assert_eq!(remote_tip().trim(), b.history_commit.as_deref().unwrap());
    assert_eq!(
        git_cli(&bare_path, &["rev-list", "--count", HISTORY_BRANCH]).trim(),
        "1"
    );
    let c = online(&ci, 3);
    assert_eq!(c.record_error, None);
    let month = History::parse(&history_file(&ci, "2026-12.tsv")).unwrap();
    // One hour checked in two places counts the busier side (1 each), then two more checks.
    assert_eq!(month.day("api", "2026-12-07".parse().unwrap()), (3, 0));

    // A push whose lease no longer holds — the remote moved since the fetch — is refused and
    // changes nothing there: nobody's results are dropped.
    let before = remote_tip();
    let stale = a.history_commit.unwrap();
    let refused = laptop
        .push_branch_leased("origin", HISTORY_BRANCH, Some(&stale), &mut Network::new())
        .unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("moved since it was last fetched"),
        "{refused}"
    );
    assert_eq!(remote_tip(), before);
}

#[test]
fn what_the_monitors_recorded_is_in_the_published_uptime_bars() {
    use wheelhouse_api::publish::{self, Destination, PublishRequest};
    let api = HttpProbe::start(503, "down");
    let mine = repo_with(&api_monitor(&api.url("/"), "    impact: major_outage\n"));
    let repo = Repository::open(mine.path()).unwrap();
    let out = tempfile::tempdir().unwrap();
    let now: Timestamp = "2026-12-08T12:00:00Z".parse().unwrap();
    let publish_into = |name: &str| {
        let dir = out.path().join(name);
        let p = publish::publish(
            &repo,
            &PublishRequest {
                from: "HEAD".into(),
                to: Destination::Folder(dir.clone()),
                now: Some(now),
                push: false,
                dry_run: false,
            },
            None,
        )
        .unwrap();
        let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
        // The response-time charts come with what the monitors measured.
        let charts = dir.join("response-times.html").exists();
        assert_eq!(charts, p.history.is_some(), "{name}");
        (p, html)
    };
    let (before, all_up) = publish_into("before");
    assert_eq!(before.history, None, "nothing recorded yet");
    assert!(all_up.contains("100%"));

    // Every check of one hour failed: that hour counts as a major outage of the API.
    for minute in 0..3 {
        run_at(&repo, minute);
    }
    let (_, mut page) = wheelhouse_api::publish::page_at(&repo, "HEAD").unwrap();
    let history = monitor::measure(&repo, "HEAD", &mut page, now).unwrap();
    let downs = &page.measured["api"];
    assert_eq!(downs.len(), 1);
    assert_eq!(downs[0].from.to_string(), "2026-12-07T13:00:00Z");
    assert_eq!(downs[0].until.to_string(), "2026-12-07T14:00:00Z");
    let (after, measured_html) = publish_into("after");
    assert_eq!(after.history, history);
    assert!(after.history.is_some());
    // One hour of 90 days down: 99.95% (rounded down), where the page said 100% before.
    assert!(
        measured_html.contains("99.95%"),
        "the bars count the measured hour"
    );
    assert_ne!(all_up, measured_html);
}

#[test]
fn a_monitor_that_goes_down_drafts_an_incident_and_its_recovery_drafts_the_resolution() {
    let api = HttpProbe::start(200, "ok");
    let mine = repo_with(&format!(
        "monitors:\n  - name: api-health\n    component: api\n    url: {}\n    conditions: [\"[STATUS] == 200\"]\n    failure_threshold: 2\n    success_threshold: 1\n    impact: partial_outage\n",
        api.url("/")
    ));
    let repo = Repository::open(mine.path()).unwrap();
    let run = |minute| run_at(&repo, minute);
    assert!(run(0).drafts.is_empty());
    api.set(502, "bad gateway");
    assert!(run(1).drafts.is_empty(), "one failure drafts nothing");
    let down = run(2);
    assert_eq!(down.draft_error, None);
    assert_eq!(down.checks[0].transition, Transition::WentDown, "{down:#?}");
    let draft = &down.drafts[0];
    assert_eq!(
        (draft.kind.as_str(), draft.branch.as_str()),
        ("incident", "change/monitor-api-health-down")
    );
    // The incident is on its own branch, waiting for review; the checked-out branch is as it was.
    let path = format!("status/incidents/{}.md", draft.incident);
    let text = git_cli(mine.path(), &["show", &format!("{}:{path}", draft.branch)]);
    assert!(text.contains("title: Public API is failing"), "{text}");
    assert!(text.contains("status: investigating"), "{text}");
    assert!(text.contains("impact: minor"), "{text}");
    assert!(text.contains("api: partial_outage"), "{text}");
    assert!(
        text.contains("monitor `api-health` has failed 2 checks in a row"),
        "{text}"
    );
    assert!(text.contains("[STATUS] (502) == 200"), "{text}");
    assert!(!mine.path().join(&path).exists());
    let review = wheelhouse_api::review::changes(&repo, "main", 1_796_600_000).unwrap();
    assert!(
        review.iter().any(|c| c.change.name == draft.branch),
        "a pending change"
    );
    // Still down: nothing drafted again.
    assert!(run(3).drafts.is_empty());

    // The team merges the incident; the monitor recovers: the resolution is drafted.
    git_cli(
        mine.path(),
        &[
            "-c",
            "user.name=Maya",
            "-c",
            "user.email=maya@acme.example",
            "merge",
            "-q",
            "--no-edit",
            &draft.branch,
        ],
    );
    api.set(200, "ok");
    let up = run(4);
    assert_eq!(up.draft_error, None);
    let resolution = &up.drafts[0];
    assert_eq!(resolution.kind, "resolution");
    assert_eq!(resolution.incident, draft.incident);
    let text = git_cli(
        mine.path(),
        &["show", &format!("{}:{path}", resolution.branch)],
    );
    assert!(text.contains("status: resolved"), "{text}");
    assert!(text.contains("is working again"), "{text}");
}

#[test]
fn a_draft_the_policy_auto_approves_is_merged_and_one_that_needs_people_is_not() {
    let api = HttpProbe::start(503, "down");
    let monitors = format!(
        "monitors:\n  - name: api-health\n    component: api\n    url: {}\n    conditions: [\"[STATUS] == 200\"]\n    failure_threshold: 1\n    success_threshold: 1\n",
        api.url("/")
    );
    // Incidents a monitor drafts need no one; everything else on the page needs an approval.
    let policy = "rules:\n  - name: monitor incidents\n    paths: [\"status/incidents/**\"]\n    required_approvals: 1\n    auto_approve:\n      only_paths: [\"status/incidents/**\"]\n      no_effect: true\n";
    let mine = TempRepo::with_files(&[
        ("status/page.yaml", PAGE),
        ("status/components.yaml", COMPONENTS),
        ("status/monitors.yaml", &monitors),
        (".wheelhouse/policy.yaml", policy),
    ]);
    let repo = Repository::open(mine.path()).unwrap();
    // A runner that merges says who it is (a merge commit needs an author).
    git_cli(mine.path(), &["config", "user.name", "Status Bot"]);
    git_cli(
        mine.path(),
        &["config", "user.email", "status-bot@acme.example"],
    );
    let down = run_with(&repo, &MonitorRequest::default(), 0);
    assert_eq!(down.draft_error, None, "{down:#?}");
    let draft = &down.drafts[0];
    let merged = draft.merged.as_deref().expect("auto-approved, so merged");
    // The incident is on the checked-out branch now, by a merge commit naming the rule.
    let head = git_cli(mine.path(), &["rev-parse", "HEAD"]);
    assert_eq!(head.trim(), merged);
    let message = git_cli(mine.path(), &["log", "-1", "--format=%B"]);
    assert!(
        message.contains("change/monitor-api-health-down"),
        "{message}"
    );
    let path = format!("status/incidents/{}.md", draft.incident);
    assert!(git_cli(mine.path(), &["ls-files", &path]).contains(&path));

    // Without the auto_approve rule the draft waits for people.
    let other = TempRepo::with_files(&[
        ("status/page.yaml", PAGE),
        ("status/components.yaml", COMPONENTS),
        ("status/monitors.yaml", &monitors),
        (
            ".wheelhouse/policy.yaml",
            "rules:\n  - name: status page\n    paths: [\"status/**\"]\n    required_approvals: 1\n",
        ),
    ]);
    let repo = Repository::open(other.path()).unwrap();
    let down = run_with(&repo, &MonitorRequest::default(), 0);
    assert_eq!(down.drafts[0].merged, None);
    assert_eq!(
        git_cli(other.path(), &["rev-list", "--count", "HEAD"]).trim(),
        "1"
    );

    // A runner that does not say who it is (an empty identity here hides any the machine has)
    // drafts the incident but cannot merge it: the run says why, the draft waits as a change.
    let anonymous = TempRepo::with_files(&[
        ("status/page.yaml", PAGE),
        ("status/components.yaml", COMPONENTS),
        ("status/monitors.yaml", &monitors),
        (".wheelhouse/policy.yaml", policy),
    ]);
    git_cli(anonymous.path(), &["config", "user.name", ""]);
    git_cli(anonymous.path(), &["config", "user.email", ""]);
    let repo = Repository::open(anonymous.path()).unwrap();
    let down = run_with(&repo, &MonitorRequest::default(), 0);
    let draft = &down.drafts[0];
    assert_eq!(draft.merged, None, "{down:#?}");
    let why = down.draft_error.as_deref().expect("the run says why");
    assert!(
        why.contains("auto-approves change/monitor-api-health-down, but it could not be merged"),
        "{why}"
    );
    assert!(why.contains("user.name"), "{why}");
    assert_eq!(
        git_cli(anonymous.path(), &["rev-list", "--count", "HEAD"]).trim(),
        "1"
    );
    assert!(
        git_cli(anonymous.path(), &["branch", "--list", &draft.branch]).contains(&draft.branch)
    );
}
