//! Monitors, pure parts: conditions as Gatus writes them (parsed, judged, every mistake located
//! at the character), `monitors.yaml` checked against the page, the month files of the history
//! (recorded, rendered, parsed back, merged) and the thresholds that turn a monitor down and up.

mod common;

use common::*;
use wheelhouse_status::monitor::condition::{self, duration_ms};
use wheelhouse_status::monitor::history::{self, History, Transition};
use wheelhouse_status::monitor::{judge, parse_monitors, MonitorKind, Observation};
use wheelhouse_status::{load, StatusPage};

fn page() -> StatusPage {
    load(&files(&[
        ("page.yaml", PAGE),
        ("components.yaml", COMPONENTS),
    ]))
    .unwrap()
}

fn seen() -> Observation {
    Observation {
        connected: true,
        status: Some(200),
        response_ms: Some(120),
        body: Some(
            r#"{"status":"UP","items":[{"name":"a"},{"name":"b"}],"version":"2.4.1"}"#.into(),
        ),
        certificate_expires_in: Some(10 * 86_400),
        ip: Some("127.0.0.1".into()),
        dns_rcode: None,
        error: None,
    }
}

#[test]
fn conditions_judge_what_a_check_saw() {
    let cases: &[(&str, bool)] = &[
        ("[STATUS] == 200", true),
        ("[STATUS] != 200", false),
        ("[STATUS] == any(200, 204)", true),
        ("[STATUS] < 300", true),
        ("[RESPONSE_TIME] < 100", false),
        ("[RESPONSE_TIME] <= 120", true),
        ("[BODY].status == UP", true),
        ("[BODY].items[1].name == b", true),
        ("len([BODY].items) == 2", true),
        ("has([BODY].errors) == false", true),
        ("[BODY].version == pat(2.*)", true),
        ("[BODY].version == pat(3.*)", false),
        ("[BODY].missing == UP", false),
        ("[CONNECTED] == true", true),
        ("[CERTIFICATE_EXPIRATION] > 48h", true),
        ("[CERTIFICATE_EXPIRATION] > 30d", false),
        ("[IP] == 127.0.0.1", true),
    ];
    for (text, want) in cases {
        let c = condition::parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
        assert_eq!(c.judge(&seen()).ok, *want, "{text}");
    }
    let down = Observation {
        connected: false,
        error: Some("connection refused".into()),
        ..Observation::default()
    };
    let v = condition::parse("[STATUS] == 200").unwrap().judge(&down);
    assert_eq!(
        (v.ok, v.shown.as_str()),
        (false, "[STATUS] (nothing) == 200")
    );
    let v = condition::parse("[BODY].status == UP")
        .unwrap()
        .judge(&Observation {
            body: Some(r#"{"status":"DOWN"}"#.into()),
            ..seen()
        });
    assert_eq!(v.shown, "[BODY].status (DOWN) == UP");
    assert_eq!(duration_ms("1d 12h"), Some(129_600_000));
    assert_eq!(duration_ms("500ms"), Some(500));
    assert_eq!(duration_ms("soon"), None);
}

#[test]
fn a_condition_that_does_not_parse_says_where() {
    let cases: &[(&str, usize, &str)] = &[
        ("[STATUS]", 0, "compares nothing"),
        ("[STAUTS] == 200", 0, "is not a placeholder"),
        ("[STATUS] == ", 11, "nothing to compare"),
        ("[RESPONSE_TIME] < fast", 18, "is not a number"),
        ("[CERTIFICATE_EXPIRATION] > soon", 27, "is not a duration"),
        ("[STATUS].code == 1", 8, "only [BODY] has fields"),
        ("size([BODY]) > 1", 0, "is not a function"),
        ("[BODY].items[x] == 1", 12, "is not an index"),
        ("[STATUS] < any(1, 2)", 11, "== or != only"),
    ];
    for (text, offset, words) in cases {
        let e = condition::parse(text).expect_err(text);
        assert!(e.message.contains(words), "{text}: {}", e.message);
        assert_eq!(e.offset, *offset, "{text}: {}", e.message);
    }
}

const MONITORS: &str = "defaults:
  interval: 1m
  timeout: 5s
monitors:
  - name: api-health
    component: api
    url: https://api.example.com/health
    conditions:
      - \"[STATUS] == 200\"
      - \"[BODY].status == UP\"
    interval: 30s
  - name: db
    component: api
    url: tcp://db.internal:5432
    conditions: [\"[CONNECTED] == true\"]
    failure_threshold: 2
    impact: partial_outage
  - name: cert
    component: web
    url: tls://example.com:443
    conditions: [\"[CERTIFICATE_EXPIRATION] > 14d\"]
  - name: resolver
    component: web
    url: dns://127.0.0.1:5353
    dns: {query_name: example.com, query_type: A}
    conditions: [\"[DNS_RCODE] == NOERROR\"]
";

#[test]
fn monitors_yaml_is_read_with_defaults_and_kinds_from_the_address() {
    let monitors = parse_monitors(MONITORS, &page()).unwrap();
    let kinds: Vec<_> = monitors.iter().map(|m| (m.name.as_str(), m.kind)).collect();
    assert_eq!(
        kinds,
        [
            ("api-health", MonitorKind::Http),
            ("db", MonitorKind::Tcp),
            ("cert", MonitorKind::Tls),
            ("resolver", MonitorKind::Dns)
        ]
    );
    assert_eq!((monitors[0].interval, monitors[0].timeout), (30, 5));
    assert_eq!(
        (monitors[1].interval, monitors[1].failure_threshold),
        (60, 2)
    );
    assert_eq!(monitors[1].impact.as_str(), "partial_outage");
    assert_eq!(monitors[3].dns.as_ref().unwrap().record, "A");
    let (ok, verdicts) = judge(&monitors[0], &seen());
    assert!(ok && verdicts.len() == 2);
}

#[test]
fn every_mistake_in_monitors_yaml_is_located() {
    let one = |body: &str| format!("monitors:\n  - name: m\n    component: api\n{body}");
    let cases: Vec<(String, &str, u32, u32)> = vec![
        (one("    url: ftp://x.example\n    conditions: [\"[CONNECTED] == true\"]\n"), "is not a monitor's kind", 4, 10),
        (one("    url: tcp://db.internal\n    conditions: [\"[CONNECTED] == true\"]\n"), "needs a host and a port", 4, 10),
        (one("    url: https://x.example\n"), "needs conditions", 2, 11),
        (one("    url: https://x.example\n    conditions:\n      - \"[STATUS] == \"\n"), "nothing to compare", 6, 21),
        (one("    url: https://x.example\n    conditions:\n      - \"[STAUTS] == 200\"\n"), "is not a placeholder", 6, 10),
        (one("    url: tcp://db:5432\n    conditions: [\"[STATUS] == 200\"]\n"), "a tcp monitor has no [STATUS]", 5, 18),
        (one("    url: https://x.example\n    conditions: [\"[STATUS] == 200\"]\n    interval: often\n"), "not a duration", 6, 15),
        (one("    url: https://x.example\n    conditions: [\"[STATUS] == 200\"]\n    timeout: 2m\n"), "longer than the interval", 6, 14),
        (one("    url: https://x.example\n    conditions: [\"[STATUS] == 200\"]\n    impact: operational\n"), "cannot be a monitor's impact", 6, 13),
        (one("    url: https://x.example\n    conditions: [\"[STATUS] == 200\"]\n    failure_threshold: 0\n"), "is not a threshold", 6, 24),
        (one("    url: dns://1.1.1.1\n    conditions: [\"[DNS_RCODE] == NOERROR\"]\n"), "needs dns:", 4, 10),
        (one("    url: https://x.example\n    conditions: [\"[STATUS] == 200\"]\n    colour: red\n"), "colour", 6, 5),
        ("monitors:\n  - name: m\n    component: nope\n    url: https://x.example\n    conditions: [\"[STATUS] == 200\"]\n".into(), "no component `nope`", 3, 16),
    ];
    for (text, words, line, column) in &cases {
        let errors = parse_monitors(text, &page()).expect_err(text);
        let e = &errors[0];
        assert_eq!(e.file, "monitors.yaml");
        assert!(e.message.contains(words), "{text}: {e}");
        assert_eq!((e.line, e.column), (*line, *column), "{text}: {e}");
    }
    assert!(parse_monitors("", &page()).unwrap().is_empty());
}

#[test]
fn the_history_records_renders_parses_and_merges_by_the_hour() {
    let mut h = History::default();
    let t = |s: &str| ts(s);
    h.record("api", t("2026-12-07T13:00:00Z"), true, Some(100));
    h.record("api", t("2026-12-07T13:01:00Z"), true, Some(200));
    h.record("api", t("2026-12-07T13:02:00Z"), false, None);
    h.record("db", t("2026-12-07T14:00:00Z"), true, Some(5));
    h.record("api", t("2026-11-30T23:59:00Z"), true, Some(50));
    assert_eq!(h.months(), ["2026-11", "2026-12"]);
    let text = h.render_month("2026-12");
    let api = text.lines().find(|l| l.starts_with("api\t")).unwrap();
    let hours: Vec<&str> = api.split('\t').nth(2).unwrap().split(' ').collect();
    assert_eq!(hours.len(), 24);
    assert_eq!(hours[13], "3/1/150");
    assert_eq!(hours[12], "-");
    assert_eq!(History::parse(&text).unwrap().render_month("2026-12"), text);
    assert_eq!(h.day("api", "2026-12-07".parse().unwrap()), (3, 1));
    let times = h.response_times("api", t("2026-12-07T12:00:00Z"), 3);
    assert_eq!(times, [None, Some(150), None]);

    // Another clone checked the same hour more often: its count wins, nothing is added twice.
    let mut theirs = History::default();
    for m in 0..5 {
        theirs.record("api", t(&format!("2026-12-07T13:1{m}:00Z")), true, Some(10));
    }
    h.merge(&theirs);
    assert_eq!(h.day("api", "2026-12-07".parse().unwrap()), (5, 0));
    h.merge(&theirs);
    assert_eq!(h.day("api", "2026-12-07".parse().unwrap()), (5, 0));

    let dashes = ["-"; 24].join(" ");
    let too_many = ["1/2/3"; 24].join(" ");
    for (bad, line) in [
        ("api\t2026-12-07\t-\n".to_owned(), 1),
        (format!("# header\napi\t2026-13-40\t{dashes}\n"), 2),
        (format!("api\t2026-12-07\t{too_many}\n"), 1),
    ] {
        assert_eq!(History::parse(&bad).unwrap_err().0, line, "{bad}");
    }
}

#[test]
fn a_monitor_goes_down_after_its_failure_threshold_and_up_after_its_success_threshold() {
    let monitors = parse_monitors(MONITORS, &page()).unwrap();
    let db = &monitors[1]; // failure_threshold 2, success_threshold 2 (the default)
    let at = |m: u32| ts(&format!("2026-12-07T13:{m:02}:00Z"));
    let (s, c) = history::step(None, db, false, None, Some("refused".into()), at(0));
    assert_eq!((s.up, s.streak, c), (true, 1, Transition::None));
    let (s, c) = history::step(Some(&s), db, false, None, Some("refused".into()), at(1));
    assert_eq!((s.up, s.streak, c), (false, 2, Transition::WentDown));
    assert_eq!(s.since, "2026-12-07T13:01:00Z");
    let (s, c) = history::step(Some(&s), db, false, None, Some("refused".into()), at(2));
    assert_eq!(
        (s.up, c),
        (false, Transition::None),
        "down once, drafted once"
    );
    let (s, c) = history::step(Some(&s), db, true, Some(3), None, at(3));
    assert_eq!((s.up, s.streak, c), (false, 1, Transition::None));
    let (s, c) = history::step(Some(&s), db, true, Some(3), None, at(4));
    assert_eq!((s.up, c), (true, Transition::CameUp));
    let text = history::render_states(std::slice::from_ref(&s));
    assert_eq!(history::parse_states(&text).unwrap(), [s]);
}

#[test]
fn measured_down_hours_count_in_the_uptime_bars_like_outages() {
    let monitors = parse_monitors(MONITORS, &page()).unwrap();
    let mut h = History::default();
    // db (tcp, partial_outage): half of one hour's checks failed.
    for minute in 0..60 {
        let at = ts(&format!("2026-12-05T10:{minute:02}:00Z"));
        h.record("db", at, minute % 2 == 0, Some(3));
    }
    let since = "2026-09-01".parse().unwrap();
    let measured = wheelhouse_status::monitor::measured(&monitors, &h, since);
    let downs = &measured["api"];
    assert_eq!(downs.len(), 1);
    assert_eq!(downs[0].status.as_str(), "partial_outage");
    assert_eq!(downs[0].until.as_second() - downs[0].from.as_second(), 1800);

    let mut model = page();
    let now = ts("2026-12-07T12:00:00Z");
    let before = wheelhouse_status::uptimes(&model, now)["api"].ratio;
    model.measured = measured;
    let after = &wheelhouse_status::uptimes(&model, now)["api"];
    assert_eq!(before, 1.0);
    assert!(after.ratio < 1.0);
    let day = after
        .days
        .iter()
        .find(|d| d.date.to_string() == "2026-12-05")
        .unwrap();
    // 1,800 s of partial outage, weighted 0.3.
    assert_eq!(day.downtime_tenths, 1800 * 3);
    assert_eq!(day.worst.as_str(), "partial_outage");
}
