//! Status notifications over real repositories and a loopback webhook endpoint: what is new since
//! a commit is sent once per channel, signed, retried on 500, recorded in a git note, never sent
//! twice — by a second run or by a teammate's clone once the record travelled.

mod common;

use common::{request, COMPONENTS, INCIDENT, PAGE};
use wheelhouse_api::notify::{self, DeliveryOutcome, NotifyRequest};
use wheelhouse_api::ErrorCode;
use wheelhouse_repo::network::Network;
use wheelhouse_repo::Repository;
use wheelhouse_testsupport::webhook::WebhookReceiver;
use wheelhouse_testsupport::{git_cli, TempRepo};

const KEY: &str = "the partner's shared key";

fn subscribers(url: &str) -> String {
    format!(
        "channels:
  - name: partner
    kind: webhook
    url: {url}
    signing_secret: partner-hmac
  - name: ops-slack
    kind: slack
    url_secret: slack-ops
  - name: api-team
    kind: discord
    url: {url}
    components: [api]
"
    )
}

fn secrets(slack: String) -> impl Fn(&str) -> wheelhouse_api::Result<Option<String>> {
    move |name: &str| {
        Ok(match name {
            "partner-hmac" => Some(KEY.to_owned()),
            "slack-ops" => Some(slack.clone()),
            _ => None,
        })
    }
}

#[test]
fn a_merged_incident_is_sent_once_per_channel_signed_retried_and_recorded() {
    let hook = WebhookReceiver::start(&[500]);
    let slack = WebhookReceiver::start(&[]);
    let mine = TempRepo::with_files(&[
        ("status/page.yaml", PAGE),
        ("status/components.yaml", COMPONENTS),
        (
            "status/subscribers.yaml",
            &subscribers(&hook.url("/status")),
        ),
    ]);
    let since = mine.head_id();
    mine.commit(
        &[("status/incidents/2026-11-20-checkout-slow.md", INCIDENT)],
        "Incident: checkout is slow",
    );
    let repo = Repository::open(mine.path()).unwrap();
    let secret = secrets(slack.url("/services/T0/B0/XXXX"));

    // A dry run sends nothing and records nothing.
    let dry = notify::notify(
        &repo,
        &NotifyRequest {
            dry_run: true,
            ..request(&since)
        },
        &secret,
        None,
        1_795_200_000,
    )
    .unwrap();
    assert_eq!(dry.events.len(), 1);
    let outcomes: Vec<_> = dry
        .deliveries
        .iter()
        .map(|d| (d.channel.as_str(), d.outcome))
        .collect();
    // api-team wants the api component only; the incident touches web.
    assert_eq!(
        outcomes,
        [
            ("partner", DeliveryOutcome::WouldSend),
            ("ops-slack", DeliveryOutcome::WouldSend)
        ]
    );
    assert!(hook.received().is_empty() && slack.received().is_empty());

    let sent = notify::notify(&repo, &request(&since), &secret, None, 1_795_200_000).unwrap();
    assert_eq!(sent.failed(), 0, "{:#?}", sent.deliveries);
    let partner = &sent.deliveries[0];
    assert_eq!(
        (partner.outcome, partner.attempts, partner.status),
        (DeliveryOutcome::Delivered, 2, Some(200))
    );

    // The endpoint saw the 500, then the retry: the same body, signed with HMAC-SHA256.
    let got = hook.received();
    assert_eq!(got.iter().map(|r| r.status).collect::<Vec<_>>(), [500, 200]);
    assert_eq!(got[0].body, got[1].body);
    let body = &got[1].body;
    assert_eq!(
        got[1].header("X-Wheelhouse-Signature"),
        Some(notify::signature_header(KEY.as_bytes(), body).as_str())
    );
    assert_ne!(
        notify::signature_header(b"another key", body),
        notify::signature_header(KEY.as_bytes(), body)
    );
    assert_eq!(
        got[1].header("Idempotency-Key"),
        Some(partner.message_id.as_str())
    );
    assert_eq!(
        got[1].header("X-Wheelhouse-Event"),
        Some("incident.created")
    );
    let json = got[1].json();
    assert_eq!(json["incident"]["name"], "Checkout is slow");
    assert_eq!(json["incident"]["components"][0]["name"], "Website");
    assert_eq!(json["page"]["name"], "Acme Shop");
    let s = slack.received();
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].path, "/services/T0/B0/XXXX");
    assert_eq!(s[0].json()["text"], "Investigating: Checkout is slow");
    assert!(
        s[0].header("X-Wheelhouse-Signature").is_none(),
        "only webhooks are signed"
    );

    // Recorded on the commit, one line per delivery.
    let note = git_cli(
        mine.path(),
        &["notes", "--ref", notify::NOTES_REF, "show", "HEAD"],
    );
    assert_eq!(note.lines().count(), 2, "{note}");
    assert!(note.contains("\"outcome\":\"delivered\""), "{note}");

    // A second run sends nothing twice.
    let again = notify::notify(&repo, &request(&since), &secret, None, 1_795_200_100).unwrap();
    assert!(again
        .deliveries
        .iter()
        .all(|d| d.outcome == DeliveryOutcome::AlreadyDelivered));
    assert_eq!(hook.received().len(), 2);
    assert_eq!(slack.received().len(), 1);
}

#[test]
fn failures_are_reported_recorded_and_sent_by_the_next_run() {
    let down = WebhookReceiver::start(&[503, 503, 503]);
    let mine = TempRepo::with_files(&[
        ("status/page.yaml", PAGE),
        ("status/components.yaml", COMPONENTS),
        (
            "status/subscribers.yaml",
            &subscribers(&down.url("/status")),
        ),
    ]);
    let since = mine.head_id();
    mine.commit(
        &[("status/incidents/2026-11-20-checkout-slow.md", INCIDENT)],
        "Incident",
    );
    let repo = Repository::open(mine.path()).unwrap();
    // No secret for slack-ops: that delivery fails at once, naming what to set.
    let secret = |name: &str| Ok((name == "partner-hmac").then(|| KEY.to_owned()));
    let first = notify::notify(&repo, &request(&since), &secret, None, 1_795_200_000).unwrap();
    assert_eq!(first.failed(), 2, "{:#?}", first.deliveries);
    let partner = &first.deliveries[0];
    assert_eq!(partner.attempts, 3);
    assert!(
        partner.error.as_deref().unwrap().contains("HTTP 503"),
        "{partner:?}"
    );
    let slack = &first.deliveries[1];
    assert!(
        slack
            .error
            .as_deref()
            .unwrap()
            .contains("WHEELHOUSE_SECRET_SLACK_OPS"),
        "{slack:?}"
    );
    assert_eq!(down.received().len(), 3);

    // A secret that holds no webhook address fails the delivery naming the secret, never
    // repeating what it holds (a token may be in it).
    let leaky = |name: &str| {
        Ok(match name {
            "slack-ops" => Some("http://hooks.slack.example/services/T0/B0/s3cr3tT0ken".to_owned()),
            _ => None,
        })
    };
    let only_slack = NotifyRequest {
        channel: Some("ops-slack".into()),
        ..request(&since)
    };
    let wrong = notify::notify(&repo, &only_slack, &leaky, None, 1_795_200_050).unwrap();
    let error = wrong.deliveries[0].error.as_deref().unwrap();
    assert!(
        error.contains("the secret `slack-ops` does not hold a webhook's address"),
        "{error}"
    );
    assert!(!error.contains("s3cr3tT0ken"), "{error}");

    // The endpoint is back: the next run sends what failed, once.
    let second = notify::notify(&repo, &request(&since), &secret, None, 1_795_200_100).unwrap();
    assert_eq!(second.deliveries[0].outcome, DeliveryOutcome::Delivered);
    assert_eq!(down.received().len(), 4);

    // A channel that refuses for good (404) is not tried again and again.
    let gone = WebhookReceiver::start(&[404]);
    let update = INCIDENT.replace(
        "    body: We are looking into slow checkouts.\n",
        "    body: We are looking into slow checkouts.\n  - at: 2026-11-20T09:30:00Z\n    status: identified\n    body: A slow payment provider.\n",
    );
    mine.commit(
        &[
            ("status/subscribers.yaml", &subscribers(&gone.url("/x"))),
            ("status/incidents/2026-11-20-checkout-slow.md", &update),
        ],
        "Move the partner hook; incident identified",
    );
    let r = notify::notify(
        &repo,
        &NotifyRequest {
            channel: Some("partner".into()),
            ..request(&since)
        },
        &secret,
        None,
        1_795_200_200,
    )
    .unwrap();
    assert_eq!(
        (
            r.deliveries[0].outcome,
            r.deliveries[1].outcome,
            r.deliveries[1].attempts
        ),
        (
            DeliveryOutcome::AlreadyDelivered,
            DeliveryOutcome::Failed,
            1
        )
    );
}

#[test]
fn two_clones_share_the_record_through_the_remote_and_never_send_twice() {
    let hook = WebhookReceiver::start(&[]);
    let mine = TempRepo::with_files(&[
        ("status/page.yaml", PAGE),
        ("status/components.yaml", COMPONENTS),
        (
            "status/subscribers.yaml",
            &subscribers(&hook.url("/status")),
        ),
    ]);
    let since = mine.head_id();
    mine.commit(
        &[("status/incidents/2026-11-20-checkout-slow.md", INCIDENT)],
        "Incident",
    );
    let bare = mine.add_bare_remote("origin");
    let repo = Repository::open(mine.path()).unwrap();
    let secret = secrets(hook.url("/slack"));
    let sent = notify::notify(
        &repo,
        &request(&since),
        &secret,
        Some(&mut Network::new()),
        1_795_200_000,
    )
    .unwrap();
    assert_eq!(sent.record_error, None);
    assert_eq!(hook.received().len(), 2);

    let theirs_dir = mine.sibling("theirs");
    let url = format!("file://{}", bare.display());
    let theirs = wheelhouse_repo::clone(&url, &theirs_dir, &mut Network::new()).unwrap();
    let again = notify::notify(
        &theirs,
        &request(&since),
        &secret,
        Some(&mut Network::new()),
        1_795_200_100,
    )
    .unwrap();
    assert!(
        again
            .deliveries
            .iter()
            .all(|d| d.outcome == DeliveryOutcome::AlreadyDelivered),
        "{:#?}",
        again.deliveries
    );
    assert_eq!(hook.received().len(), 2, "nothing sent twice");
}

#[test]
fn bad_subscribers_and_a_bad_since_send_nothing() {
    let hook = WebhookReceiver::start(&[]);
    let mine = TempRepo::with_files(&[
        ("status/page.yaml", PAGE),
        ("status/components.yaml", COMPONENTS),
        ("status/subscribers.yaml", "channels:\n  - name: x\n    kind: webhook\n    url: http://hooks.example.com/\n    signing_secret: k\n"),
    ]);
    let since = mine.head_id();
    mine.commit(
        &[("status/incidents/2026-11-20-checkout-slow.md", INCIDENT)],
        "Incident",
    );
    let repo = Repository::open(mine.path()).unwrap();
    let secret = secrets(String::new());
    let e = notify::notify(&repo, &request(&since), &secret, None, 0).unwrap_err();
    assert_eq!(e.code, ErrorCode::StatusInvalid);
    assert_eq!(e.file.as_deref(), Some("status/subscribers.yaml"));
    assert_eq!(e.line, Some(4));
    assert!(e.message.contains("not https"), "{e}");
    let e = notify::notify(&repo, &request("no-such-commit"), &secret, None, 0).unwrap_err();
    assert_eq!(e.code, ErrorCode::CommitNotFound);
    assert!(hook.received().is_empty());
    assert!(git2::Repository::open(mine.path())
        .unwrap()
        .find_reference(notify::NOTES_REF)
        .is_err());
}
