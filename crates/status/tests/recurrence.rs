//! Recurring maintenance: a weekly window keeps its wall-clock hour across a daylight-saving
//! change, skips its exception dates, is expanded only to the horizon when it never ends, is one
//! recurring event in maintenance.ics, and puts its components under maintenance while an
//! occurrence runs. Bad rules are located.

mod common;

use common::*;
use wheelhouse_status::model::ComponentStatus;
use wheelhouse_status::{build, load, recurrence};

/// A weekly Sunday window, 04:00–05:00 Berlin time, from 18 October 2026 (summer time; winter
/// time from 25 October).
const WEEKLY: &str = "---
title: Weekly patch window
status: scheduled
impact: minor
scheduled_for: 2026-10-18T04:00:00+02:00
scheduled_until: 2026-10-18T05:00:00+02:00
time_zone: Europe/Berlin
recurrence: FREQ=WEEKLY;BYDAY=SU
except: [2026-11-08]
components:
  api: under_maintenance
---
Kernel and package updates.
";

fn page(maintenance: &str) -> wheelhouse_status::StatusPage {
    load(&page_with(&[(
        "maintenances/2026-10-18-patch-window.md",
        maintenance,
    )]))
    .unwrap_or_else(|e| panic!("{e:#?}"))
}

#[test]
fn a_weekly_window_keeps_its_hour_across_the_clock_change_and_skips_its_exceptions() {
    let model = page(WEEKLY);
    let now = ts("2026-10-20T12:00:00Z");
    let expanded = recurrence::expand(&model, now);
    let mut starts: Vec<String> = expanded
        .maintenances
        .iter()
        .map(|m| m.scheduled_for.to_string())
        .collect();
    starts.sort();
    // From the first window (a week back reaches before it) to 90 days ahead, without 8 Nov.
    assert_eq!(starts[0], "2026-10-18T02:00:00Z", "04:00 summer time");
    assert_eq!(starts[1], "2026-10-25T03:00:00Z", "04:00 winter time");
    assert_eq!(starts[2], "2026-11-01T03:00:00Z");
    assert_eq!(starts[3], "2026-11-15T03:00:00Z", "8 November is skipped");
    assert!(
        starts.iter().all(|s| s.as_str() < "2027-01-19"),
        "{starts:?}"
    );
    assert_eq!(starts.len(), 13, "{starts:?}");
    let first = expanded
        .maintenances
        .iter()
        .find(|m| m.scheduled_for == ts("2026-10-25T03:00:00Z"))
        .unwrap();
    assert_eq!(first.slug, "2026-10-18-patch-window-2026-10-25");
    assert_eq!(first.scheduled_until, ts("2026-10-25T04:00:00Z"));
    assert!(first.series.is_some());
}

#[test]
fn a_rule_that_never_ends_is_expanded_to_the_horizon_and_a_counted_one_stops() {
    let daily = WEEKLY
        .replace("FREQ=WEEKLY;BYDAY=SU", "FREQ=DAILY")
        .replace("except: [2026-11-08]\n", "");
    let now = ts("2027-03-01T00:00:00Z");
    let n = recurrence::expand(&page(&daily), now).maintenances.len();
    // A week back to 90 days ahead, whatever the rule would go on to.
    assert!((96..=99).contains(&n), "{n}");
    let counted = WEEKLY.replace("FREQ=WEEKLY;BYDAY=SU", "FREQ=WEEKLY;COUNT=3");
    let starts: Vec<_> = recurrence::expand(&page(&counted), ts("2026-10-18T00:00:00Z"))
        .maintenances
        .iter()
        .map(|m| m.scheduled_for)
        .collect();
    // 18 and 25 October, 1 November: three, then no more, though the horizon goes on.
    assert_eq!(starts.len(), 3, "{starts:?}");
}

#[test]
fn during_an_occurrence_its_components_are_under_maintenance() {
    let model = page(WEEKLY);
    let during = wheelhouse_status::current(&model, ts("2026-11-22T03:30:00Z"));
    assert_eq!(during.components["api"], ComponentStatus::UnderMaintenance);
    let between = wheelhouse_status::current(&model, ts("2026-11-22T05:30:00Z"));
    assert_eq!(between.components["api"], ComponentStatus::Operational);
    let skipped = wheelhouse_status::current(&model, ts("2026-11-08T03:30:00Z"));
    assert_eq!(
        skipped.components["api"],
        ComponentStatus::Operational,
        "8 November is an exception"
    );
}

#[test]
fn the_calendar_has_one_recurring_event_and_the_json_each_occurrence() {
    let model = page(WEEKLY);
    let export = build(&model, ts("2026-10-20T12:00:00Z"));
    let ics = String::from_utf8(export["maintenance.ics"].clone()).unwrap();
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1, "{ics}");
    assert!(
        ics.contains("DTSTART;TZID=Europe/Berlin:20261018T040000\r\n"),
        "{ics}"
    );
    assert!(
        ics.contains("DTEND;TZID=Europe/Berlin:20261018T050000\r\n"),
        "{ics}"
    );
    assert!(ics.contains("RRULE:FREQ=WEEKLY;BYDAY=SU\r\n"), "{ics}");
    assert!(
        ics.contains("EXDATE;TZID=Europe/Berlin:20261108T040000\r\n"),
        "{ics}"
    );
    let upcoming: serde_json::Value =
        serde_json::from_slice(&export["api/v2/scheduled-maintenances/upcoming.json"]).unwrap();
    let names = upcoming["scheduled_maintenances"].as_array().unwrap();
    assert!(names.len() >= 10, "{upcoming}");
    assert!(names.iter().all(|m| m["name"] == "Weekly patch window"));
    // The front page shows the next window once, saying that it repeats.
    let index = String::from_utf8(export["index.html"].clone()).unwrap();
    assert_eq!(
        index.matches("repeats every week on Sunday").count(),
        1,
        "{index}"
    );
    // The same model and moment give the same bytes.
    assert_eq!(export, build(&model, ts("2026-10-20T12:00:00Z")));
}

#[test]
fn bad_rules_and_exceptions_are_located() {
    let cases: &[(&str, &str, &str, u32)] = &[
        (
            "FREQ=WEEKLY;BYDAY=SU",
            "FREQ=HOURLY",
            "more often than daily",
            8,
        ),
        (
            "FREQ=WEEKLY;BYDAY=SU",
            "FREQ=WEEKLY;BYDAY=XX",
            "not a recurrence rule",
            8,
        ),
        (
            "except: [2026-11-08]",
            "except: [8 November]",
            "not a date",
            9,
        ),
    ];
    for (from, to, wanted, line) in cases {
        let text = WEEKLY.replace(from, to);
        let errors = load(&page_with(&[(
            "maintenances/2026-10-18-patch-window.md",
            &text,
        )]))
        .expect_err(to);
        assert!(errors[0].message.contains(wanted), "{to}: {}", errors[0]);
        assert_eq!(errors[0].line, *line, "{to}: {}", errors[0]);
    }
    let no_rule = WEEKLY.replace("recurrence: FREQ=WEEKLY;BYDAY=SU\n", "");
    let errors = load(&page_with(&[(
        "maintenances/2026-10-18-patch-window.md",
        &no_rule,
    )]))
    .expect_err("except without recurrence");
    assert!(
        errors[0].message.contains("has no recurrence"),
        "{}",
        errors[0]
    );
}
