//! `wheelhouse status component|move|incident|maintenance`: the editor's edits, run as a user
//! or a script would run them against the demo repository.

mod common;

use common::{demo_repo, stderr, stdout, wheelhouse};
use std::path::PathBuf;
use std::process::{Command, Output};
use wheelhouse_testsupport::snapshot;

/// A fresh demo repository; `wheelhouse --repo REPO status ARGS…`.
struct Demo {
    _dir: tempfile::TempDir,
    repo: PathBuf,
}

impl Demo {
    fn new() -> Demo {
        let dir = tempfile::tempdir().unwrap();
        let repo = PathBuf::from(demo_repo(dir.path()));
        Demo { _dir: dir, repo }
    }

    fn status(&self, args: &[&str]) -> Output {
        let mut all = vec!["--repo", self.repo.to_str().unwrap(), "status"];
        all.extend_from_slice(args);
        wheelhouse(&all)
    }

    /// Commits a `monitors.yaml` with one monitor, `payments-api`, of `url` with `conditions`
    /// (as the list's items are written).
    fn monitor_payments(&self, url: &str, conditions: &str) {
        std::fs::write(
            self.repo.join("status/monitors.yaml"),
            format!(
                "monitors:\n  - name: payments-api\n    component: payments\n    url: {url}\n    conditions: [{conditions}]\n"
            ),
        )
        .unwrap();
        self.git(&["add", "status/monitors.yaml"]);
        self.git(&["commit", "-qm", "Monitors"]);
    }

    /// Runs a command that must succeed and returns its stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.status(args);
        assert!(
            out.status.success(),
            "{args:?}: {}{}",
            stdout(&out),
            stderr(&out)
        );
        stdout(&out)
    }

    /// Runs a `--json` command that must fail: its error code and message.
    fn refused(&self, args: &[&str]) -> (String, String) {
        let before = snapshot(&self.repo.join("status"));
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.status(&all);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stdout(&out));
        assert_eq!(
            before,
            snapshot(&self.repo.join("status")),
            "{args:?} wrote"
        );
        let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        (
            json["error"]["code"].as_str().unwrap().to_string(),
            json["error"]["message"].as_str().unwrap().to_string(),
        )
    }

    /// `git ARGS` in the repository, as Maya: its trimmed output.
    fn git(&self, args: &[&str]) -> String {
        let out = Command::new("git")
            .arg("-C")
            .arg(&self.repo)
            .args([
                "-c",
                "user.name=Maya Chen",
                "-c",
                "user.email=maya@acme.example",
            ])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }

    /// Commits `subscribers` as status/subscribers.yaml, then an incident opened with the CLI:
    /// the commit before the incident (what `notify --since` takes).
    fn subscribed_incident(&self, subscribers: &str) -> String {
        std::fs::write(self.repo.join("status/subscribers.yaml"), subscribers).unwrap();
        self.git(&["add", "status/subscribers.yaml"]);
        self.git(&["commit", "-qm", "Subscribers"]);
        let since = self.git(&["rev-parse", "HEAD"]);
        self.ok(&[
            "incident",
            "new",
            "--title",
            "Checkout errors",
            "--impact",
            "major",
            "--component",
            "payments=partial_outage",
            "--body",
            "Looking into it.",
            "--at",
            "2026-11-06T12:00:00Z",
        ]);
        self.git(&["add", "status"]);
        self.git(&["commit", "-qm", "Incident: checkout errors"]);
        since
    }

    fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.repo.join(path)).unwrap()
    }
}

#[test]
fn a_component_status_is_set_and_shown_first_with_dry_run() {
    let demo = Demo::new();
    let before = demo.read("status/components.yaml");
    let out = demo.ok(&["component", "api", "major_outage", "--dry-run"]);
    assert!(out.starts_with("--- a/status/components.yaml\n+++ b/status/components.yaml\n"));
    assert!(out.contains("-        status: operational\n+        status: major_outage\n"));
    assert!(out.ends_with("(dry run: nothing was written)\n"));
    assert_eq!(demo.read("status/components.yaml"), before);

    let out = demo.ok(&["--json", "component", "api", "major_outage"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["written"], true);
    assert_eq!(json["changes"][0]["path"], "status/components.yaml");
    assert_eq!(json["changes"][0]["created"], false);
    let after = demo.read("status/components.yaml");
    assert_eq!(
        after,
        before.replacen(
            "        status: operational\n        links: {env: prod, workload: api}",
            "        status: major_outage\n        links: {env: prod, workload: api}",
            1
        )
    );
    // Again: nothing to change.
    assert_eq!(
        demo.ok(&["component", "api", "major_outage"]),
        "Nothing to change.\n"
    );

    let (code, message) = demo.refused(&["component", "api", "down"]);
    assert_eq!(code, "unknown_status");
    assert_eq!(
        message,
        "`down` is not a component status; use one of operational, under_maintenance, \
         degraded_performance, partial_outage, major_outage"
    );
    let (code, message) = demo.refused(&["component", "checkout", "major_outage"]);
    assert_eq!(code, "unknown_component");
    assert_eq!(
        message,
        "status/components.yaml: there is no component `checkout` in components.yaml"
    );
    // Text mode: one sentence on stderr.
    let out = demo.status(&["component", "api", "down"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).starts_with("error: `down` is not a component status"));
}

#[test]
fn a_component_moves_between_groups() {
    let demo = Demo::new();
    demo.ok(&["move", "payments", "--group", "0", "--position", "1"]);
    let text = demo.read("status/components.yaml");
    let web = text.find("id: web").unwrap();
    let payments = text.find("id: payments").unwrap();
    let search = text.find("id: search").unwrap();
    assert!(web < payments && payments < search, "{text}");
    demo.ok(&["check"]);
    let (code, message) = demo.refused(&["move", "payments", "--group", "7", "--position", "0"]);
    assert_eq!(code, "invalid_position");
    assert_eq!(
        message,
        "status/components.yaml: there is no group 7: the page has 3 (counting from 0)"
    );
}

#[test]
fn an_incident_from_opening_to_postmortem() {
    let demo = Demo::new();
    let out = demo.ok(&[
        "--json",
        "incident",
        "new",
        "--title",
        "Checkout errors",
        "--impact",
        "major",
        "--component",
        "payments=partial_outage",
        "--body",
        "We are looking into failed card payments.",
        "--at",
        "2026-11-06T12:00:00Z",
    ]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let path = "status/incidents/2026-11-06-checkout-errors.md";
    assert_eq!(json["changes"][0]["path"], path);
    assert_eq!(json["changes"][0]["created"], true);
    assert_eq!(
        demo.read(path),
        "---\ntitle: Checkout errors\nstatus: investigating\nimpact: major\nstarted_at: 2026-11-06T13:00:00+01:00\ncomponents:\n  payments: partial_outage\nupdates:\n  - at: 2026-11-06T13:00:00+01:00\n    status: investigating\n    body: We are looking into failed card payments.\n    components: {payments: partial_outage}\n---\n"
    );
    let slug = "2026-11-06-checkout-errors";

    // The export shows it: one unresolved incident, payments in partial outage.
    let summary = |demo: &Demo, now: &str| -> serde_json::Value {
        let out = demo.repo.parent().unwrap().join(format!("site-{now}"));
        demo.ok(&["build", out.to_str().unwrap(), "--now", now]);
        serde_json::from_str(&std::fs::read_to_string(out.join("api/v2/summary.json")).unwrap())
            .unwrap()
    };
    let s = summary(&demo, "2026-11-06T12:30:00Z");
    let unresolved: Vec<_> = s["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap().to_string())
        .collect();
    assert!(
        unresolved.contains(&"Checkout errors".to_string()),
        "{unresolved:?}"
    );

    let out = demo.ok(&[
        "incident",
        "update",
        slug,
        "--status",
        "identified",
        "--body",
        "A timeout towards the provider.\n\nA fix is rolling out.",
        "--component",
        "payments=major_outage",
        "--at",
        "2026-11-06T12:20:00Z",
    ]);
    assert!(out.contains("+  - at: 2026-11-06T13:20:00+01:00\n+    status: identified\n+    body: |-\n+      A timeout towards the provider.\n+\n+      A fix is rolling out.\n+    components: {payments: major_outage}\n"));
    assert!(out.ends_with(&format!("Updated {path}.\n")));

    // Refused: an update before the incident started, an unknown status, an unknown incident.
    let (code, message) = demo.refused(&[
        "incident",
        "update",
        slug,
        "--status",
        "monitoring",
        "--at",
        "2026-11-06T11:00:00Z",
    ]);
    assert_eq!(code, "update_before_start");
    assert_eq!(
        message,
        format!("{path}:5:13: this update (2026-11-06T12:00:00+01:00) is dated before the incident started (2026-11-06T13:00:00+01:00); date it later")
    );
    let (code, _) = demo.refused(&["incident", "update", slug, "--status", "fixed"]);
    assert_eq!(code, "unknown_status");
    let (code, message) = demo.refused(&["incident", "resolve", "2026-01-01-nothing"]);
    assert_eq!(code, "unknown_incident");
    assert_eq!(
        message,
        "status/incidents/2026-01-01-nothing.md: there is no incident `2026-01-01-nothing` (incidents/2026-01-01-nothing.md)"
    );
    let (code, _) = demo.refused(&[
        "incident",
        "update",
        slug,
        "--status",
        "monitoring",
        "--component",
        "checkout=operational",
    ]);
    assert_eq!(code, "unknown_component");

    demo.ok(&["incident", "resolve", slug, "--at", "2026-11-06T13:00:00Z"]);
    let text = demo.read(path);
    assert!(text.contains("status: resolved\nimpact: major\nstarted_at: 2026-11-06T13:00:00+01:00\nresolved_at: 2026-11-06T14:00:00+01:00\n"));
    assert!(text.ends_with("    body: This incident has been resolved.\n    components: {payments: operational}\n---\n"));
    let s = summary(&demo, "2026-11-06T13:30:00Z");
    assert!(s["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["name"] != "Checkout errors"));
    let (code, _) = demo.refused(&["incident", "resolve", slug]);
    assert_eq!(code, "invalid_transition");

    demo.ok(&[
        "incident",
        "postmortem",
        slug,
        "--body",
        "## Why\n\nA timeout was too low.",
    ]);
    let text = demo.read(path);
    assert!(text.starts_with("---\ntitle: Checkout errors\nstatus: postmortem\n"));
    assert!(text.ends_with("---\n## Why\n\nA timeout was too low.\n"));
    demo.ok(&["check"]);
}

#[test]
fn an_incident_from_a_template() {
    let demo = Demo::new();
    std::fs::create_dir_all(demo.repo.join("status/templates")).unwrap();
    std::fs::write(
        demo.repo.join("status/templates/psp-outage.md"),
        "---\ntitle: Card payments failing\nimpact: critical\ncomponents: {payments: major_outage}\n---\nOur payment provider has an outage.\n",
    )
    .unwrap();
    let out = demo.ok(&[
        "incident",
        "new",
        "--template",
        "psp-outage",
        "--at",
        "2026-11-06T12:00:00Z",
        "--dry-run",
    ]);
    assert!(
        out.contains("+title: Card payments failing\n+status: investigating\n+impact: critical\n")
    );
    assert!(out.contains("+    body: Our payment provider has an outage.\n+    components: {payments: major_outage}\n"));
    assert!(!demo
        .repo
        .join("status/incidents/2026-11-06-card-payments-failing.md")
        .exists());
    let (code, _) = demo.refused(&["incident", "new", "--template", "nope"]);
    assert_eq!(code, "unknown_template");
    let (code, message) =
        demo.refused(&["incident", "new", "--title", "x", "--component", "payments"]);
    assert_eq!(code, "invalid_input");
    assert_eq!(
        message,
        "--component \"payments\" is not ID=STATUS, e.g. api=partial_outage."
    );
}

#[test]
fn a_maintenance_is_planned_in_its_zone_started_and_completed() {
    let demo = Demo::new();
    let out = demo.ok(&[
        "--json",
        "maintenance",
        "new",
        "--title",
        "Network switch replacement",
        "--from",
        "2026-12-10T22:00",
        "--until",
        "2026-12-10T23:30",
        "--tz",
        "Europe/London",
        "--component",
        "web",
        "--body",
        "We replace a core switch.",
        "--at",
        "2026-11-06T12:00:00Z",
    ]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let path = "status/maintenances/2026-12-10-network-switch-replacement.md";
    assert_eq!(json["changes"][0]["path"], path);
    assert_eq!(
        demo.read(path),
        "---\ntitle: Network switch replacement\nstatus: scheduled\nimpact: none\nscheduled_for: 2026-12-10T22:00:00+00:00\nscheduled_until: 2026-12-10T23:30:00+00:00\ntime_zone: Europe/London\ncomponents:\n  web: under_maintenance\nupdates:\n  - at: 2026-11-06T13:00:00+01:00\n    status: scheduled\n    body: We replace a core switch.\n---\n"
    );

    let new = |from: &str, until: &str, tz: &str, component: &str| {
        demo.refused(&[
            "maintenance",
            "new",
            "--title",
            "Other",
            "--from",
            from,
            "--until",
            until,
            "--tz",
            tz,
            "--component",
            component,
        ])
    };
    let (code, message) = new(
        "2026-12-10T23:00",
        "2026-12-11T01:00",
        "Europe/London",
        "web",
    );
    assert_eq!(code, "overlapping_maintenance");
    assert!(message.starts_with(&format!("{path}: the window 2026-12-10T23:00:00+00:00 to 2026-12-11T01:00:00+00:00 overlaps the maintenance `2026-12-10-network-switch-replacement`")), "{message}");
    let (code, message) = new(
        "2026-12-10T23:00",
        "2026-12-10T22:00",
        "Europe/London",
        "api",
    );
    assert_eq!(code, "invalid_time");
    assert_eq!(
        message,
        "status/maintenances: the maintenance must end after it starts: 2026-12-10T22:00:00+00:00 is not after 2026-12-10T23:00:00+00:00"
    );
    let (code, message) = new(
        "2026-12-10T22:00",
        "2026-12-10T23:00",
        "Mars/Olympus",
        "api",
    );
    assert_eq!(code, "invalid_time_zone");
    assert_eq!(
        message,
        "status/maintenances: `Mars/Olympus` is not an IANA time zone; write one such as Europe/Berlin, America/New_York or UTC"
    );

    let slug = "2026-12-10-network-switch-replacement";
    let out = demo.ok(&["maintenance", "start", slug, "--at", "2026-12-10T22:00:00Z"]);
    assert!(out.contains("-status: scheduled\n+status: in_progress\n"));
    assert!(out.contains("+    components: {web: under_maintenance}\n"));
    let (code, message) = demo.refused(&["maintenance", "start", slug]);
    assert_eq!(code, "invalid_transition");
    assert_eq!(
        message,
        format!("{path}:3:9: the maintenance is in progress; it cannot become in progress")
    );
    demo.ok(&[
        "maintenance",
        "complete",
        slug,
        "--body",
        "All done.",
        "--at",
        "2026-12-10T23:10:00Z",
    ]);
    let text = demo.read(path);
    assert!(text.contains("status: completed\n"));
    assert!(text.ends_with("  - at: 2026-12-11T00:10:00+01:00\n    status: completed\n    body: All done.\n    components: {web: operational}\n---\n"));
    demo.ok(&["check"]);
}

#[test]
fn edits_apply_on_top_of_each_other() {
    let demo = Demo::new();
    demo.ok(&["component", "web", "degraded_performance"]);
    demo.ok(&["component", "search", "operational"]);
    let text = demo.read("status/components.yaml");
    assert!(text.contains("      - id: web\n        name: Website\n        description: Browsing, product pages and the cart\n        status: degraded_performance\n"));
    assert!(text.contains("      - id: search\n        name: Search\n        description: Product search and autocomplete\n        status: operational\n"));
    // Only the two lines changed: git sees a two-line diff.
    let diff = Command::new("git")
        .args(["-C", demo.repo.to_str().unwrap(), "diff", "--numstat"])
        .output()
        .unwrap();
    assert_eq!(stdout(&diff), "2\t2\tstatus/components.yaml\n");
}

#[test]
fn a_status_folder_outside_the_repository_is_refused_by_every_status_command() {
    let d = Demo::new();
    let config = d.repo.join(".wheelhouse/config.yaml");
    let original = std::fs::read_to_string(&config).unwrap();
    assert!(original.contains("status_page: status/\n"));
    std::fs::write(
        &config,
        original.replace("status_page: status/\n", "status_page: ../elsewhere\n"),
    )
    .unwrap();
    let line = original
        .lines()
        .position(|l| l.starts_with("status_page:"))
        .unwrap()
        + 1;
    for args in [
        vec!["check"],
        vec!["component", "api", "degraded_performance"],
    ] {
        let (code, message) = d.refused(&args);
        assert_eq!(code, "path_outside_repository", "{args:?}: {message}");
        assert!(
            message.starts_with(&format!(
                ".wheelhouse/config.yaml:{line}:14: status_page `../elsewhere`"
            )),
            "{args:?}: {message}"
        );
    }
    assert!(!d.repo.parent().unwrap().join("elsewhere").exists());
}

#[test]
fn a_page_that_does_not_load_is_one_json_document_with_each_error_located() {
    let demo = Demo::new();
    let components = demo.repo.join("status/components.yaml");
    let text = demo.read("status/components.yaml");
    std::fs::write(
        &components,
        text.replacen("status: ", "status: sideways # ", 1),
    )
    .unwrap();
    let out = demo.status(&["--json", "check"]);
    assert_eq!(out.status.code(), Some(1));
    // Exactly one document: the errors and, beside them, the refusal.
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["error"]["code"], "status_invalid", "{doc:#}");
    assert_eq!(doc["error"]["hint"], "Fix the problems listed first.");
    let first = &doc["errors"][0];
    assert_eq!(first["file"], "status/components.yaml", "{doc:#}");
    assert!(first["line"].as_u64().unwrap() > 0, "{doc:#}");

    // A located refusal gives the place apart too, and the message still says it.
    std::fs::write(&components, text).unwrap();
    let out = demo.status(&["--json", "component", "checkout", "major_outage"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["error"]["file"], "status/components.yaml", "{doc:#}");
    assert!(doc["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("status/components.yaml: "));
    assert!(!doc["error"]["hint"].as_str().unwrap().is_empty());
}

#[test]
fn publish_commits_the_export_to_the_pages_branch_and_pushes_it() {
    let demo = Demo::new();
    let bare = demo.repo.with_file_name("origin.git");
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .arg("-C")
            .arg(&demo.repo)
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
        String::from_utf8(out.stdout).unwrap()
    };
    // The demo's own bare remote, origin.git beside it.
    assert!(bare.is_dir(), "{}", bare.display());
    let dry: serde_json::Value =
        serde_json::from_str(&demo.ok(&["--json", "publish", "--dry-run"])).unwrap();
    assert_eq!(dry["commit"], serde_json::Value::Null, "{dry}");
    assert!(git(&["branch", "--list", "status-pages"]).is_empty());

    let done: serde_json::Value =
        serde_json::from_str(&demo.ok(&["--json", "publish", "--push"])).unwrap();
    assert_eq!(done["pushed_to"], "origin", "{done}");
    assert_eq!(done["dry_run"], false);
    let tree = done["tree"].as_str().unwrap();
    assert_eq!(git(&["rev-parse", "status-pages^{tree}"]).trim(), tree);
    let remote_tip = Command::new("git")
        .arg("--git-dir")
        .arg(&bare)
        .args(["rev-parse", "status-pages"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(remote_tip.stdout).unwrap().trim(),
        done["commit"].as_str().unwrap()
    );
    // The dry run computed the tree the publish made; a second publish has nothing to do.
    assert_eq!(dry["tree"], tree);
    let again = demo.ok(&["publish"]);
    assert!(again.contains("nothing to commit"), "{again}");

    // Bad input: a --now that is not a time, a branch name git refuses.
    let (code, message) = demo.refused(&["publish", "--now", "tomorrow"]);
    assert_eq!(code, "invalid_time");
    assert!(message.contains("--now"), "{message}");
    let (code, _) = demo.refused(&["publish", "--branch", "bad..name"]);
    assert_eq!(code, "invalid_input");
}

#[test]
fn notify_tells_the_subscribers_of_a_merged_incident_once() {
    use wheelhouse_testsupport::webhook::WebhookReceiver;
    let demo = Demo::new();
    let hook = WebhookReceiver::start(&[]);
    let since = demo.subscribed_incident(&format!(
        "channels:\n  - name: ops\n    kind: slack\n    url_secret: slack-ops\n  - name: partner\n    kind: webhook\n    url: {}\n    signing_secret: partner-key\n",
        hook.url("/partner")
    ));

    let notify = |extra: &[&str]| {
        let mut args = vec![
            "--json",
            "--repo",
            demo.repo.to_str().unwrap(),
            "status",
            "notify",
            "--since",
            &since,
            "--offline",
            "--retry-delay",
            "0",
        ];
        args.extend_from_slice(extra);
        common::wheelhouse_command()
            .args(&args)
            .env("WHEELHOUSE_SECRET_SLACK_OPS", hook.url("/slack"))
            .env("WHEELHOUSE_SECRET_PARTNER_KEY", "k3y")
            .output()
            .unwrap()
    };
    let dry = notify(&["--dry-run"]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    let dry: serde_json::Value = serde_json::from_str(&stdout(&dry)).unwrap();
    assert_eq!(dry["deliveries"].as_array().unwrap().len(), 2, "{dry}");
    assert_eq!(dry["deliveries"][0]["outcome"], "would_send");
    assert!(hook.received().is_empty());

    let sent = notify(&[]);
    assert!(sent.status.success(), "{}{}", stdout(&sent), stderr(&sent));
    // The channels of one update are told at once: in no fixed order.
    let mut paths: Vec<_> = hook.received().iter().map(|r| r.path.clone()).collect();
    paths.sort();
    assert_eq!(paths, ["/partner", "/slack"]);
    let again: serde_json::Value = serde_json::from_str(&stdout(&notify(&[]))).unwrap();
    assert_eq!(
        again["deliveries"][0]["outcome"], "already_delivered",
        "{again}"
    );
    assert_eq!(hook.received().len(), 2);

    // A missing secret: exit 1, the delivery failed with what to set, one document.
    let out = common::wheelhouse_command()
        .args([
            "--json",
            "--repo",
            demo.repo.to_str().unwrap(),
            "status",
            "notify",
            "--since",
            &since,
            "--offline",
            "--channel",
            "ops",
        ])
        .env_remove("WHEELHOUSE_SECRET_SLACK_OPS")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "ops was delivered already: nothing to do"
    );
    let (code, message) = demo.refused(&["notify", "--since", "nope"]);
    assert_eq!(code, "commit_not_found");
    assert!(message.contains("nope"), "{message}");
}

#[test]
fn notify_mails_an_email_channel_over_starttls_and_sends_a_test_message() {
    use wheelhouse_testsupport::smtp::{SmtpOptions, SmtpReceiver};
    let demo = Demo::new();
    let server = SmtpReceiver::start(SmtpOptions::default());
    let since = demo.subscribed_incident(&format!(
        "channels:\n  - name: ops-mail\n    kind: email\n    url: smtp://localhost:{}\n    from: status@acme.example\n    to: [ops@acme.example]\n",
        server.port()
    ));
    let ca = server.certificate().to_str().unwrap().to_owned();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "--json",
            "--repo",
            demo.repo.to_str().unwrap(),
            "status",
            "notify",
        ];
        args.extend_from_slice(extra);
        common::wheelhouse_command().args(&args).output().unwrap()
    };

    // Without trusting the relay's certificate: exit 1, the reason names --smtp-ca.
    let untrusted = run(&["--since", &since, "--offline", "--attempts", "1"]);
    assert_eq!(untrusted.status.code(), Some(1), "{}", stdout(&untrusted));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&untrusted)).unwrap();
    assert_eq!(doc["error"]["code"], "delivery_failed", "{doc}");
    assert!(
        doc["deliveries"][0]["error"]
            .as_str()
            .unwrap()
            .contains("--smtp-ca"),
        "{doc}"
    );
    assert!(server.mails().is_empty());

    let sent = run(&["--since", &since, "--offline", "--smtp-ca", &ca]);
    assert!(sent.status.success(), "{}{}", stdout(&sent), stderr(&sent));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&sent)).unwrap();
    assert_eq!(doc["deliveries"][0]["outcome"], "delivered", "{doc}");
    assert_eq!(doc["deliveries"][0]["status"], 250, "{doc}");
    assert_eq!(server.mails().len(), 1);
    let text = String::from_utf8_lossy(&server.mails()[0].data).into_owned();
    assert!(text.contains("Subject: [Acme"), "{text}");

    // A test message: sent, not recorded (the real update is not sent again).
    let test = run(&["--channel", "ops-mail", "--test", "--smtp-ca", &ca]);
    assert!(test.status.success(), "{}{}", stdout(&test), stderr(&test));
    assert_eq!(server.mails().len(), 2);
    let text = String::from_utf8_lossy(&server.mails()[1].data).into_owned();
    assert!(
        text.contains("Test message from Wheelhouse to ops-mail"),
        "{text}"
    );
    let missing = run(&[
        "--channel",
        "ops-mail",
        "--test",
        "--smtp-ca",
        "/nonexistent/ca.pem",
    ]);
    assert_eq!(missing.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&missing)).unwrap();
    assert!(
        doc["error"]["message"]
            .as_str()
            .unwrap()
            .contains("/nonexistent/ca.pem"),
        "{doc}"
    );
}

#[test]
fn monitor_watch_holds_its_rounds_and_records_them_when_stopped_with_ctrl_c() {
    use std::io::BufRead as _;
    use wheelhouse_testsupport::probe::HttpProbe;
    let demo = Demo::new();
    let probe = HttpProbe::start(200, "ok");
    let git = |args: &[&str]| demo.git(args);
    demo.monitor_payments(&probe.url("/health"), r#""[STATUS] == 200""#);

    let mut child = common::wheelhouse_command()
        .args([
            "--repo",
            demo.repo.to_str().unwrap(),
            "status",
            "monitor",
            "--watch",
            "--offline",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The first round is checked and held: nothing on the branch yet.
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = String::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        seen.push_str(&line);
        seen.push('\n');
        if line.starts_with("Held:") {
            break;
        }
    }
    assert!(seen.contains("up  payments-api"), "{seen}");
    assert!(demo.status(&["check"]).status.success());
    assert!(git(&["branch", "--list", "status-history"]).is_empty());

    // Ctrl-C: what was held is recorded, and the loop ends well.
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("what was held is recorded on status-history"),
        "{err}"
    );
    assert_eq!(git(&["rev-list", "--count", "status-history"]), "1");
    assert!(git(&["show", "status-history:state.tsv"]).contains("payments-api\tup\tok"));
}

#[test]
fn monitor_checks_once_records_on_its_branch_and_fails_with_one_document() {
    use wheelhouse_testsupport::probe::HttpProbe;
    let demo = Demo::new();
    let probe = HttpProbe::start(200, r#"{"status":"UP"}"#);
    let git = |args: &[&str]| demo.git(args);
    demo.monitor_payments(
        &probe.url("/health"),
        r#""[STATUS] == 200", "[BODY].status == UP""#,
    );

    let text = demo.ok(&["monitor", "--offline"]);
    assert!(text.contains("up  payments-api"), "{text}");
    assert!(text.contains("Recorded on status-history"), "{text}");
    assert_eq!(git(&["rev-list", "--count", "status-history"]), "1");

    probe.set(500, r#"{"status":"DOWN"}"#);
    let (code, message) = demo.refused(&["monitor", "--offline", "--dry-run"]);
    assert_eq!(code, "monitor_failing");
    assert!(message.contains("1 of 1"), "{message}");
    let out = demo.status(&["--json", "monitor", "--offline"]);
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        doc["checks"][0]["conditions"][0]["shown"], "[STATUS] (500) == 200",
        "{doc}"
    );
    assert_eq!(doc["error"]["code"], "monitor_failing");
    // The same day's run took the place of the day's commit, naming its outcome.
    assert_eq!(git(&["rev-list", "--count", "status-history"]), "1");
    let subject = git(&["log", "-1", "--format=%s", "status-history"]);
    assert!(
        subject.ends_with("1 checked, 1 failing (payments-api)"),
        "{subject}"
    );

    let (code, _) = demo.refused(&["monitor", "--only", "nope"]);
    assert_eq!(code, "not_found");
    let (code, message) = demo.refused(&["monitor", "--ca", "/nonexistent.pem"]);
    assert_eq!(code, "not_found");
    assert!(message.contains("/nonexistent.pem"));

    // `status check` judges the monitors file too, located, before anything runs it.
    std::fs::write(
        demo.repo.join("status/monitors.yaml"),
        "monitors:\n  - name: m\n    component: payments\n    url: https://x.example\n    conditions: [\"[RESPONSE_TIME] < fast\"]\n",
    )
    .unwrap();
    let out = demo.status(&["--json", "check"]);
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let e = &doc["errors"][0];
    assert_eq!(e["file"], "status/monitors.yaml", "{doc}");
    assert_eq!(
        (e["line"].as_u64(), e["column"].as_u64()),
        (Some(5), Some(37)),
        "{doc}"
    );
    assert!(
        e["message"].as_str().unwrap().contains("is not a number"),
        "{doc}"
    );
}

#[test]
fn channels_are_added_and_removed_with_the_cli_checked_as_notify_reads_them() {
    let demo = Demo::new();
    demo.ok(&[
        "channel",
        "add",
        "ops-slack",
        "--kind",
        "slack",
        "--url-secret",
        "slack-ops",
    ]);
    demo.ok(&[
        "channel",
        "add",
        "ops-mail",
        "--kind",
        "email",
        "--url",
        "smtp://mail.acme.example",
        "--from",
        "Status <status@acme.example>",
        "--to",
        "ops@acme.example",
        "--to",
        "oncall@acme.example",
        "--component",
        "payments",
    ]);
    let text = demo.read("status/subscribers.yaml");
    assert!(
        text.contains("  - name: ops-mail\n    kind: email\n"),
        "{text}"
    );
    assert!(
        text.contains("to: [\"ops@acme.example\", \"oncall@acme.example\"]"),
        "{text}"
    );
    let checked = demo.ok(&["check"]);
    assert!(checked.contains("is valid"), "{checked}");

    // What notify would refuse is refused here, located, and nothing is written.
    let (code, message) = demo.refused(&[
        "channel",
        "add",
        "plain",
        "--kind",
        "discord",
        "--url",
        "http://hooks.example.com/x",
    ]);
    assert_eq!(code, "invalid_value");
    assert!(message.contains("is not https"), "{message}");
    let (code, _) = demo.refused(&[
        "channel",
        "add",
        "x",
        "--kind",
        "pager",
        "--url",
        "https://x",
    ]);
    assert_eq!(code, "invalid_input");

    demo.ok(&["channel", "remove", "ops-slack"]);
    let text = demo.read("status/subscribers.yaml");
    assert!(
        !text.contains("ops-slack") && text.contains("ops-mail"),
        "{text}"
    );
    let (code, _) = demo.refused(&["channel", "remove", "ops-slack"]);
    assert_eq!(code, "not_found");
}
