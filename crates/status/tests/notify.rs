//! What subscribers are told: the events between two versions of a page, the channels of
//! `subscribers.yaml` (every mistake located), and each kind's message, golden. Rewrite the
//! golden files with `WHEELHOUSE_UPDATE_GOLDEN=1`, then review the diff like code.

mod common;

use common::*;
use std::path::PathBuf;
use wheelhouse_status::notify::{
    email, events, message, parse_subscribers, wants, Address, Channel, ChannelKind, Event,
    EventKind, Mailing, Message,
};
use wheelhouse_status::{load, StatusPage};

const INCIDENT: &str = "---
title: Checkout is slow
status: investigating
impact: major
started_at: 2026-11-20T09:00:00Z
components:
  api: partial_outage
updates:
  - at: 2026-11-20T09:05:00Z
    status: investigating
    body: We are looking into **slow** card payments.
---
";

fn with_update(text: &str) -> String {
    text.replace("status: investigating\nimpact", "status: monitoring\nimpact")
        .replacen(
        "    body: We are looking into **slow** card payments.\n",
        "    body: We are looking into **slow** card payments.\n  - at: 2026-11-20T09:40:00Z\n    status: monitoring\n    body: A fix is out; we are watching.\n    components:\n      api: degraded_performance\n",
        1,
    )
}

fn page_with(extra: &[(&str, &str)]) -> StatusPage {
    let mut all = vec![("page.yaml", PAGE), ("components.yaml", COMPONENTS)];
    all.extend_from_slice(extra);
    load(&files(&all)).unwrap_or_else(|e| panic!("{e:#?}"))
}

fn golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/notify")
        .join(name);
    if std::env::var_os("WHEELHOUSE_UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing: run with WHEELHOUSE_UPDATE_GOLDEN=1",
            path.display()
        )
    });
    assert_eq!(expected, actual, "{name} differs from its golden file");
}

#[test]
fn a_new_incident_then_its_update_are_two_events_with_ids_that_do_not_change() {
    let empty = page_with(&[]);
    let opened = page_with(&[("incidents/2026-11-20-checkout-slow.md", INCIDENT)]);
    let updated = page_with(&[(
        "incidents/2026-11-20-checkout-slow.md",
        &with_update(INCIDENT),
    )]);

    let first = events(Some(&empty), &opened);
    assert_eq!(first.len(), 1, "{first:#?}");
    assert_eq!(first[0].kind, EventKind::IncidentCreated);
    assert_eq!(first[0].id, "incident/2026-11-20-checkout-slow/1795165500");
    assert_eq!(first[0].components[0].name, "API");
    assert_eq!(first[0].components[0].status, "partial_outage");
    assert_eq!(
        first[0].url.as_deref(),
        Some("https://status.example.com/incidents/2026-11-20-checkout-slow.html")
    );

    // Only what is new since: the update, with the components as it leaves them.
    let second = events(Some(&opened), &updated);
    assert_eq!(second.len(), 1, "{second:#?}");
    assert_eq!(second[0].kind, EventKind::IncidentUpdated);
    assert_eq!(second[0].status, "monitoring");
    assert_eq!(second[0].components[0].status, "degraded_performance");
    assert_eq!(second[0].updates.len(), 2);

    // From nothing, both — with the same ids as when they came one by one.
    let all = events(None, &updated);
    let ids: Vec<_> = all.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, [first[0].id.as_str(), second[0].id.as_str()]);
    // Nothing new, nothing to tell.
    assert!(events(Some(&updated), &updated).is_empty());
}

#[test]
fn a_maintenance_is_announced_and_announced_again_when_it_moves() {
    let m = "---
title: Database upgrade
status: scheduled
impact: minor
scheduled_for: 2026-12-03T22:00:00Z
scheduled_until: 2026-12-03T23:00:00Z
components:
  api: under_maintenance
---
We upgrade the api database.
";
    let before = page_with(&[]);
    let planned = page_with(&[("maintenances/2026-12-03-db.md", m)]);
    let moved = page_with(&[(
        "maintenances/2026-12-03-db.md",
        &m.replace("T22:00", "T21:00"),
    )]);
    let e = events(Some(&before), &planned);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].kind, EventKind::MaintenanceScheduled);
    assert_eq!(e[0].body.trim(), "We upgrade the api database.");
    assert_eq!(
        e[0].window,
        Some(("2026-12-03T22:00:00Z".into(), "2026-12-03T23:00:00Z".into()))
    );
    let again = events(Some(&planned), &moved);
    assert_eq!(again.len(), 1);
    assert_ne!(again[0].id, e[0].id);
}

/// A channel of `kind` at a loopback address, taking every update.
fn channel(kind: ChannelKind) -> Channel {
    Channel {
        name: kind.as_str().into(),
        kind,
        address: Address::Url("https://127.0.0.1/hook".into()),
        signing_secret: None,
        components: Vec::new(),
        email: (kind == ChannelKind::Email).then(|| Mailing {
            from: "Status <status@acme.example>".into(),
            to: vec!["ops@acme.example".into()],
            unsubscribe: None,
        }),
    }
}

/// The JSON a channel of `kind` is posted.
fn post(kind: ChannelKind, event: &Event, page: &StatusPage) -> serde_json::Value {
    match message(&channel(kind), event, page) {
        Message::Post(json) => json,
        Message::Email(_) => panic!("a {} channel is posted to", kind.as_str()),
    }
}

#[test]
fn each_kind_of_channel_gets_its_own_message_golden() {
    let opened = page_with(&[("incidents/2026-11-20-checkout-slow.md", INCIDENT)]);
    let event = &events(None, &opened)[0];
    for kind in [
        ChannelKind::Slack,
        ChannelKind::Discord,
        ChannelKind::Teams,
        ChannelKind::Webhook,
    ] {
        let json = serde_json::to_string_pretty(&post(kind, event, &opened)).unwrap();
        golden(&format!("{}.json", kind.as_str()), &(json + "\n"));
    }
    let slack = post(ChannelKind::Slack, event, &opened);
    assert_eq!(slack["text"], "Investigating: Checkout is slow");
    assert!(slack["blocks"][2]["text"]["text"]
        .as_str()
        .unwrap()
        .contains("*slow*"));
    let hook = post(ChannelKind::Webhook, event, &opened);
    assert_eq!(hook["event"]["type"], "incident.created");
    assert_eq!(
        hook["incident"]["components"][0]["status"],
        "partial_outage"
    );
    assert!(hook["incident"]["body_html"]
        .as_str()
        .unwrap()
        .contains("<strong>slow</strong>"));
}

#[test]
fn subscribers_are_checked_and_every_mistake_is_located() {
    let page = page_with(&[]);
    let good = "channels:
  - name: ops-slack
    kind: slack
    url_secret: slack-ops
  - name: partner
    kind: webhook
    url: https://hooks.partner.example/status
    signing_secret: partner-hmac
    components: [api]
  - name: relay
    kind: discord
    url: http://127.0.0.1:8025/hook
";
    let channels = parse_subscribers(good, &page).unwrap();
    assert_eq!(channels.len(), 3);
    assert_eq!(channels[0].address, Address::Secret("slack-ops".into()));
    assert_eq!(channels[1].kind, ChannelKind::Webhook);
    assert_eq!(channels[1].signing_secret.as_deref(), Some("partner-hmac"));

    let opened = page_with(&[("incidents/2026-11-20-checkout-slow.md", INCIDENT)]);
    let event = &events(None, &opened)[0];
    assert!(wants(&channels[1], event), "api is affected");
    let api_only = parse_subscribers(&good.replace("[api]", "[web]"), &page).unwrap();
    assert!(!wants(&api_only[1], event), "web is not");

    let cases: &[(&str, &str, u32)] = &[
        ("channels:\n  - name: a\n    kind: slack\n    url: http://hooks.example.com/x\n", "is not https", 4),
        ("channels:\n  - name: a\n    kind: pager\n    url: https://x.example\n", "is not a channel kind", 3),
        ("channels:\n  - name: a\n    kind: webhook\n    url: https://x.example\n", "needs signing_secret", 3),
        ("channels:\n  - name: a\n    kind: slack\n    url: https://x.example\n    signing_secret: s\n", "signs nothing", 5),
        ("channels:\n  - name: a\n    kind: slack\n", "needs url", 2),
        ("channels:\n  - name: a\n    kind: slack\n    url_secret: s\n    components: [nope]\n", "no component `nope`", 5),
        ("channels:\n  - name: a\n    kind: slack\n    url_secret: s\n  - name: a\n    kind: slack\n    url_secret: t\n", "used twice", 5),
        ("channels:\n  - name: a\n    kind: slack\n    url_secret: s\n    colour: red\n", "colour", 5),
        ("channels: [\n", "", 0),
    ];
    for (text, wanted, line) in cases {
        let errors = parse_subscribers(text, &page).expect_err(text);
        let e = &errors[0];
        assert_eq!(e.file, "subscribers.yaml");
        assert!(e.message.contains(wanted), "{text}: {e}");
        if *line > 0 {
            assert_eq!(e.line, *line, "{text}: {e}");
            assert!(e.column > 0, "{text}: {e}");
        }
    }
    assert!(parse_subscribers("", &page).unwrap().is_empty());
}

#[test]
fn an_email_has_a_subject_a_text_and_an_html_part_golden() {
    let opened = page_with(&[("incidents/2026-11-20-checkout-slow.md", INCIDENT)]);
    let updated = page_with(&[(
        "incidents/2026-11-20-checkout-slow.md",
        &with_update(INCIDENT),
    )]);
    let event = &events(Some(&opened), &updated)[0];
    // An email channel's message is an email; with no `unsubscribe:` written, a mail to the
    // sender asking to be taken off the list.
    let Message::Email(mail) = message(&channel(ChannelKind::Email), event, &updated) else {
        panic!("an email channel gets an email");
    };
    assert_eq!(
        mail.subject,
        format!("[{}] Monitoring: Checkout is slow", updated.page.name)
    );
    golden("email.txt", &mail.text);
    golden("email.html", &mail.html);
    // The story so far is in both parts; the footer says how to stop.
    assert!(mail.text.contains("Earlier updates"));
    assert!(mail.text.contains("To stop, write to status@acme.example."));
    assert!(mail.html.contains("<strong>slow</strong>"));
    assert!(!mail.html.contains("<script"), "no script in a mail");

    // What a page's author writes cannot add markup to the mail.
    let hostile = page_with(&[(
        "incidents/2026-11-20-checkout-slow.md",
        &INCIDENT
            .replace(
                "title: Checkout is slow",
                "title: \"<img src=x onerror=alert(1)>\"",
            )
            .replace("slow** card", "slow** <script>alert(1)</script> card"),
    )]);
    let event = &events(None, &hostile)[0];
    let mail = email(event, &hostile, "https://acme.example/unsubscribe?a=1&b=2");
    assert!(
        !mail.html.contains("<img") && !mail.html.contains("<script"),
        "{}",
        mail.html
    );
    assert!(mail.html.contains("&lt;img src=x"));
    assert!(mail
        .html
        .contains("https://acme.example/unsubscribe?a=1&amp;b=2"));
}

#[test]
fn email_channels_are_checked_and_every_mistake_is_located() {
    let page = page_with(&[]);
    let good = "channels:
  - name: ops-mail
    kind: email
    url: smtp://mail.acme.example
    from: Acme Status <status@acme.example>
    to: [ops@acme.example]
    unsubscribe: https://acme.example/unsubscribe
  - name: relay
    kind: email
    url_secret: smtp-relay
    from: status@acme.example
    to: [ops@acme.example, oncall@acme.example]
    components: [api]
";
    let channels = parse_subscribers(good, &page).unwrap();
    assert_eq!(channels[0].kind, ChannelKind::Email);
    assert_eq!(
        channels[0].address,
        Address::Url("smtp://mail.acme.example".into())
    );
    assert_eq!(
        channels[0].email,
        Some(Mailing {
            from: "Acme Status <status@acme.example>".into(),
            to: vec!["ops@acme.example".into()],
            unsubscribe: Some("https://acme.example/unsubscribe".into()),
        })
    );
    assert_eq!(channels[1].address, Address::Secret("smtp-relay".into()));

    let mail = |extra: &str| {
        format!("channels:\n  - name: m\n    kind: email\n    url: smtp://mail.example\n    from: s@example.com\n    to: [o@example.com]\n{extra}")
    };
    let cases: Vec<(String, &str, u32)> = vec![
        (
            mail("").replace("smtp://mail.example", "http://mail.example"),
            "not a mail server's address",
            4,
        ),
        (
            mail("").replace("smtp://mail.example", "smtp://u:pw@mail.example"),
            "put smtp://user:password@host in a secret",
            4,
        ),
        (
            mail("").replace("smtp://mail.example", "smtp://mail.example/?tls=none"),
            "TLS is always required",
            4,
        ),
        (
            mail("").replace("s@example.com", "not an address"),
            "is not an email address",
            5,
        ),
        (
            mail("").replace("[o@example.com]", "[\"o@example.com, p@example.com\"]"),
            "is not an email address",
            6,
        ),
        (
            mail("").replace("    from: s@example.com\n", ""),
            "needs from",
            2,
        ),
        (
            mail("").replace("    to: [o@example.com]\n", ""),
            "needs to",
            2,
        ),
        (
            mail("    unsubscribe: ftp://x.example/\n"),
            "cannot be an unsubscribe address",
            7,
        ),
        (
            mail("").replace("    url: smtp://mail.example\n", ""),
            "needs url (the mail server",
            2,
        ),
        (
            "channels:\n  - name: a\n    kind: slack\n    url_secret: s\n    to: [o@example.com]\n"
                .into(),
            "to is for email channels",
            5,
        ),
    ];
    for (text, wanted, line) in &cases {
        let errors = parse_subscribers(text, &page).expect_err(text);
        let e = &errors[0];
        assert!(e.message.contains(wanted), "{text}: {e}");
        assert_eq!(e.line, *line, "{text}: {e}");
    }
}

#[test]
fn channels_are_added_and_removed_from_a_form_keeping_the_rest_of_the_file() {
    use wheelhouse_status::edit::{add_channel, remove_channel, NewChannel};
    let page = page_with(&[]);
    let blank = |name: &str, kind: ChannelKind| NewChannel {
        name: name.into(),
        kind,
        url: None,
        url_secret: None,
        signing_secret: None,
        from: None,
        to: Vec::new(),
        unsubscribe: None,
        components: Vec::new(),
    };
    // No file yet: one is made.
    let first = add_channel(
        None,
        &NewChannel {
            url_secret: Some("slack-ops".into()),
            ..blank("ops-slack", ChannelKind::Slack)
        },
        &page,
    )
    .unwrap();
    let channels = parse_subscribers(&first, &page).unwrap();
    assert_eq!(channels[0].address, Address::Secret("slack-ops".into()));

    // A commented file keeps its comments; the email channel's lists are read back as lists.
    let commented = format!("# Who hears about incidents.\n{first}  # the ops channel above\n");
    let after = add_channel(
        Some(&commented),
        &NewChannel {
            url: Some("smtp://mail.example.com".into()),
            from: Some("Status <status@example.com>".into()),
            to: vec!["ops@example.com".into(), "oncall@example.com".into()],
            components: vec!["api".into()],
            ..blank("ops-mail", ChannelKind::Email)
        },
        &page,
    )
    .unwrap();
    assert!(
        after.starts_with("# Who hears about incidents.\n"),
        "{after}"
    );
    assert!(after.contains("  # the ops channel above"), "{after}");
    assert!(
        after.contains("    to: [\"ops@example.com\", \"oncall@example.com\"]\n"),
        "{after}"
    );
    let channels = parse_subscribers(&after, &page).unwrap();
    let mail = channels[1].email.as_ref().unwrap();
    assert_eq!(mail.to, ["ops@example.com", "oncall@example.com"]);
    assert_eq!(channels[1].components, ["api"]);

    // What notify would refuse, the form cannot write: located, nothing returned.
    let e = add_channel(Some(&after), &blank("bare", ChannelKind::Slack), &page).unwrap_err();
    assert!(e.message.contains("needs url"), "{e:?}");
    let e = add_channel(
        Some(&after),
        &NewChannel {
            url: Some("http://hooks.example.com/x".into()),
            ..blank("insecure", ChannelKind::Discord)
        },
        &page,
    )
    .unwrap_err();
    assert!(e.message.contains("is not https"), "{e:?}");
    assert!(e.line > 0);
    let e = add_channel(
        Some(&after),
        &NewChannel {
            url_secret: Some("s".into()),
            ..blank("ops-mail", ChannelKind::Slack)
        },
        &page,
    )
    .unwrap_err();
    assert!(e.message.contains("used twice"), "{e:?}");

    // Removing one leaves the other and the comments.
    let removed = remove_channel(&after, "ops-slack", &page).unwrap();
    assert!(
        removed.starts_with("# Who hears about incidents.\n"),
        "{removed}"
    );
    let left = parse_subscribers(&removed, &page).unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].name, "ops-mail");
    assert_eq!(
        remove_channel(&after, "nope", &page)
            .unwrap_err()
            .code
            .as_str(),
        "not_found"
    );
}
