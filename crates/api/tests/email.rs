//! Email notifications against a real SMTP server on loopback (mailin over OpenSSL, STARTTLS
//! with a certificate made for the test): the message arrives once, over TLS, logged in with the
//! secret's login, with a plain-text and an HTML part and List-Unsubscribe; a server that
//! refuses, never answers, offers no STARTTLS or shows a certificate nobody trusts fails the
//! delivery, says why, records it as failed, and sends nothing in the clear; an smtps:// server
//! (TLS from the first byte) gets it too.

mod common;

use common::{COMPONENTS, INCIDENT, PAGE};
use std::net::TcpListener;
use std::time::Duration;
use wheelhouse_api::notify::{self, DeliveryOutcome, NotifyRequest, Retry};
use wheelhouse_repo::Repository;
use wheelhouse_testsupport::smtp::{SmtpOptions, SmtpReceiver};
use wheelhouse_testsupport::TempRepo;

const MAIL_CHANNEL: &str = "channels:
  - name: ops-mail
    kind: email
    url_secret: smtp-ops
    from: Acme Status <status@acme.example>
    to: [ops@acme.example, oncall@acme.example]
";

/// A repository whose last commit opens an incident, with `subscribers` committed before it;
/// and that earlier commit.
fn repo_with(subscribers: &str) -> (TempRepo, String) {
    let repo = TempRepo::with_files(&[
        ("status/page.yaml", PAGE),
        ("status/components.yaml", COMPONENTS),
        ("status/subscribers.yaml", subscribers),
    ]);
    let since = repo.head_id();
    repo.commit(
        &[("status/incidents/2026-11-20-checkout-slow.md", INCIDENT)],
        "Incident: checkout is slow",
    );
    (repo, since)
}

fn request(since: &str, ca: Option<Vec<u8>>, attempts: u32) -> NotifyRequest {
    NotifyRequest {
        retry: Retry {
            attempts,
            first_delay: Duration::from_millis(10),
        },
        timeout: Duration::from_secs(2),
        smtp_ca: ca,
        ..common::request(since)
    }
}

fn ca(server: &SmtpReceiver) -> Option<Vec<u8>> {
    Some(std::fs::read(server.certificate()).unwrap())
}

fn secret(address: String) -> impl Fn(&str) -> wheelhouse_api::Result<Option<String>> {
    move |name: &str| Ok((name == "smtp-ops").then(|| address.clone()))
}

#[test]
fn an_incident_is_mailed_once_over_starttls_with_text_html_and_unsubscribe() {
    let server = SmtpReceiver::start(SmtpOptions {
        login: Some(("status@acme.example".into(), "p@ss word".into())),
        ..SmtpOptions::default()
    });
    let (mine, since) = repo_with(MAIL_CHANNEL);
    let repo = Repository::open(mine.path()).unwrap();
    // The login is percent-encoded in the address, as URLs write it.
    let address = format!(
        "smtp://status%40acme.example:p%40ss%20word@localhost:{}",
        server.port()
    );
    let done = notify::notify(
        &repo,
        &request(&since, ca(&server), 2),
        &secret(address.clone()),
        None,
        1_795_200_000,
    )
    .unwrap();
    assert_eq!(done.failed(), 0, "{:#?}", done.deliveries);
    let d = &done.deliveries[0];
    assert_eq!(
        (d.kind.as_str(), d.outcome, d.attempts, d.status),
        ("email", DeliveryOutcome::Delivered, 1, Some(250))
    );

    let mails = server.mails();
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(mail.from, "status@acme.example");
    assert_eq!(mail.to, ["ops@acme.example", "oncall@acme.example"]);
    let parsed = mailparse::parse_mail(&mail.data).unwrap();
    let header = |name: &str| {
        mailparse::MailHeaderMap::get_first_value(&parsed.headers[..], name).unwrap_or_default()
    };
    assert_eq!(
        header("Subject"),
        "[Acme Shop] Investigating: Checkout is slow"
    );
    assert_eq!(header("From"), "\"Acme Status\" <status@acme.example>");
    assert!(header("To").contains("oncall@acme.example"));
    assert_eq!(
        header("List-Unsubscribe"),
        "<mailto:status@acme.example?subject=unsubscribe>"
    );
    assert_eq!(header("Auto-Submitted"), "auto-generated");
    assert_eq!(
        header("Message-ID"),
        format!("<{}.wheelhouse@acme.example>", d.message_id)
    );
    assert_eq!(parsed.ctype.mimetype, "multipart/alternative");
    let parts: Vec<(String, String)> = parsed
        .subparts
        .iter()
        .map(|p| (p.ctype.mimetype.clone(), p.get_body().unwrap()))
        .collect();
    assert_eq!(parts[0].0, "text/plain");
    assert!(parts[0].1.contains("Investigating: Checkout is slow"));
    assert!(parts[0].1.contains("Components: Website (Partial outage)"));
    assert!(parts[0].1.contains("Details: https://status.acme.example/"));
    assert_eq!(parts[1].0, "text/html");
    assert!(parts[1]
        .1
        .contains("<p>We are looking into slow checkouts.</p>"));
    assert!(parts[1].1.contains("Unsubscribe</a>"));

    // A second run sends nothing: the note says it was delivered.
    let again = notify::notify(
        &repo,
        &request(&since, ca(&server), 2),
        &secret(address),
        None,
        1_795_200_100,
    )
    .unwrap();
    assert_eq!(
        again.deliveries[0].outcome,
        DeliveryOutcome::AlreadyDelivered
    );
    assert_eq!(server.mails().len(), 1);
}

#[test]
fn an_smtps_server_gets_the_mail_over_tls_from_the_first_byte() {
    let server = SmtpReceiver::start(SmtpOptions {
        implicit_tls: true,
        login: Some(("status".into(), "s3cret".into())),
        ..SmtpOptions::default()
    });
    let (mine, since) = repo_with(MAIL_CHANNEL);
    let repo = Repository::open(mine.path()).unwrap();
    let address = format!("smtps://status:s3cret@localhost:{}", server.port());
    let done = notify::notify(
        &repo,
        &request(&since, ca(&server), 1),
        &secret(address),
        None,
        1_795_200_000,
    )
    .unwrap();
    let d = &done.deliveries[0];
    assert_eq!(
        (d.outcome, d.status),
        (DeliveryOutcome::Delivered, Some(250)),
        "{d:#?}"
    );
    let mails = server.mails();
    assert_eq!(mails.len(), 1);
    let parsed = mailparse::parse_mail(&mails[0].data).unwrap();
    assert_eq!(
        mailparse::MailHeaderMap::get_first_value(&parsed.headers[..], "Subject").unwrap(),
        "[Acme Shop] Investigating: Checkout is slow"
    );

    // The same server named as STARTTLS (smtp://): the client waits for a greeting in the
    // clear, the server for a TLS handshake; the delivery fails on the time limit, nothing sent.
    let wrong = failed_delivery(
        format!("smtp://status:s3cret@localhost:{}", server.port()),
        ca(&server),
        1,
    );
    let error = wrong.error.unwrap();
    assert!(error.ends_with("did not answer in time"), "{error}");
    assert_eq!(server.mails().len(), 1);
}

/// Runs notify once against `address` and returns the one delivery, after checking that it
/// failed and was recorded as failed.
fn failed_delivery(address: String, ca: Option<Vec<u8>>, attempts: u32) -> notify::Delivery {
    let (mine, since) = repo_with(MAIL_CHANNEL);
    let repo = Repository::open(mine.path()).unwrap();
    let done = notify::notify(
        &repo,
        &request(&since, ca, attempts),
        &secret(address),
        None,
        1_795_200_000,
    )
    .unwrap();
    let d = done.deliveries[0].clone();
    assert_eq!(d.outcome, DeliveryOutcome::Failed, "{d:#?}");
    let view = notify::subscribers_view(&repo).unwrap();
    let last = view.channels[0]
        .last
        .as_ref()
        .expect("the failure is recorded");
    assert_eq!(last.outcome, DeliveryOutcome::Failed);
    d
}

#[test]
fn a_server_that_refuses_the_recipients_fails_once_without_retrying() {
    let server = SmtpReceiver::start(SmtpOptions {
        refuse_recipients: true,
        ..SmtpOptions::default()
    });
    let d = failed_delivery(
        format!("smtp://localhost:{}", server.port()),
        ca(&server),
        3,
    );
    assert_eq!(d.status, Some(550));
    assert_eq!(d.attempts, 1, "a permanent refusal is not retried");
    let error = d.error.unwrap();
    assert!(
        error.ends_with("refused it: 550 Mailbox unavailable"),
        "{error}"
    );
    assert!(server.mails().is_empty());
}

#[test]
fn a_wrong_login_is_refused_and_not_retried() {
    let server = SmtpReceiver::start(SmtpOptions {
        login: Some(("status".into(), "right".into())),
        ..SmtpOptions::default()
    });
    let d = failed_delivery(
        format!("smtp://status:wrong@localhost:{}", server.port()),
        ca(&server),
        3,
    );
    assert_eq!((d.status, d.attempts), (Some(535), 1));
    assert!(
        !d.error.as_deref().unwrap().contains("wrong"),
        "the password is never in an error: {d:?}"
    );
    assert!(server.mails().is_empty());
}

#[test]
fn a_server_that_never_answers_times_out_and_is_retried() {
    // Takes the connection and says nothing.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let (mine, since) = repo_with(MAIL_CHANNEL);
    let repo = Repository::open(mine.path()).unwrap();
    let mut req = request(&since, None, 2);
    req.timeout = Duration::from_millis(300);
    let done = notify::notify(
        &repo,
        &req,
        &secret(format!("smtp://localhost:{port}")),
        None,
        1_795_200_000,
    )
    .unwrap();
    let d = &done.deliveries[0];
    assert_eq!((d.outcome, d.attempts), (DeliveryOutcome::Failed, 2));
    let error = d.error.as_deref().unwrap();
    assert!(error.contains("did not answer in time"), "{error}");
    drop(silent);
}

#[test]
fn a_server_without_starttls_gets_nothing_in_the_clear() {
    let server = SmtpReceiver::start(SmtpOptions {
        plain: true,
        ..SmtpOptions::default()
    });
    let d = failed_delivery(
        format!("smtp://localhost:{}", server.port()),
        ca(&server),
        1,
    );
    let error = d.error.unwrap();
    assert!(
        error.starts_with(&format!(
            "localhost:{} does not offer STARTTLS",
            server.port()
        )),
        "{error}"
    );
    assert!(server.mails().is_empty());
}

#[test]
fn a_certificate_nobody_trusts_is_refused() {
    let server = SmtpReceiver::start(SmtpOptions::default());
    let d = failed_delivery(format!("smtp://localhost:{}", server.port()), None, 1);
    let error = d.error.unwrap();
    assert!(
        error.contains("certificate is not trusted (self-signed certificate)"),
        "{error}"
    );
    assert!(error.contains("--smtp-ca"), "{error}");
    assert!(server.mails().is_empty());
}

#[test]
fn a_secret_that_holds_no_mail_server_fails_the_delivery_without_naming_it() {
    let d = failed_delivery("https://user:hunter2@example.com/".into(), None, 1);
    let error = d.error.unwrap();
    assert!(error.contains("does not hold a mail server"), "{error}");
    assert!(!error.contains("hunter2"), "{error}");
}
