//! Status computation and uptime math, as tables of tiny cases.

mod common;

use common::*;
use wheelhouse_status::compute::{
    self, component_uptime, incident_outages, incident_status, maintenance_status, uptime_ratio,
    Outage, UPTIME_DAYS,
};
use wheelhouse_status::{
    current, load, ComponentStatus, IncidentStatus, Indicator, MaintenanceStatus,
};

use ComponentStatus::*;

/// An outage `from`..`until` hours after the epoch of the table.
fn o(from: i64, until: i64, status: ComponentStatus) -> Outage {
    let h = |n: i64| jiff::Timestamp::from_second(1_800_000_000 + n * 3600).unwrap();
    Outage {
        from: h(from),
        until: h(until),
        status,
    }
}

#[test]
fn uptime_ratio_weighs_outages() {
    let h = |n: i64| jiff::Timestamp::from_second(1_800_000_000 + n * 3600).unwrap();
    #[rustfmt::skip]
    let table: &[(&str, Vec<Outage>, i64, f64)] = &[
        ("nothing happened",                  vec![], 10, 1.0),
        ("a major outage counts fully",       vec![o(0, 1, MajorOutage)], 10, 0.9),
        ("a partial outage counts 0.3",       vec![o(0, 10, PartialOutage)], 10, 0.7),
        ("degraded performance does not count", vec![o(0, 10, DegradedPerformance)], 10, 1.0),
        ("maintenance does not count",        vec![o(0, 10, UnderMaintenance)], 10, 1.0),
        ("overlap counts once, at the worst", vec![o(0, 10, PartialOutage), o(5, 7, MajorOutage)], 10, 1.0 - (8.0 * 0.3 + 2.0) / 10.0),
        ("two majors overlapping count once", vec![o(0, 5, MajorOutage), o(3, 8, MajorOutage)], 10, 0.2),
        ("time outside the window is clipped", vec![o(-5, 2, MajorOutage), o(9, 20, MajorOutage)], 10, 0.7),
        ("back to back",                      vec![o(0, 2, MajorOutage), o(2, 4, PartialOutage)], 10, 1.0 - (2.0 + 0.6) / 10.0),
        ("an empty window is all up",         vec![o(0, 5, MajorOutage)], 0, 1.0),
    ];
    for (name, outages, hours, expected) in table {
        let got = uptime_ratio(outages, h(0), h(*hours));
        assert!((got - expected).abs() < 1e-9, "{name}: {got} != {expected}");
    }
}

#[test]
fn uptime_days_are_calendar_days_in_the_page_time_zone() {
    let tz = wheelhouse_status::time_zone("Europe/Berlin").unwrap();
    let now = ts("2026-11-06T12:00:00Z");
    // 23:00 to 01:00 Berlin time (CET, UTC+1): one hour on each of two days.
    let outage = Outage {
        from: ts("2026-11-04T22:00:00Z"),
        until: ts("2026-11-05T00:00:00Z"),
        status: MajorOutage,
    };
    let u = component_uptime(&[outage], &tz, now);
    assert_eq!(u.days.len(), UPTIME_DAYS);
    let last = &u.days[UPTIME_DAYS - 1];
    assert_eq!(last.date, jiff::civil::date(2026, 11, 6));
    assert_eq!(last.length, 13 * 3600, "today counts until now (13:00 CET)");
    let (d4, d5) = (&u.days[UPTIME_DAYS - 3], &u.days[UPTIME_DAYS - 2]);
    assert_eq!((d4.date.day(), d4.seconds[MajorOutage as usize]), (4, 3600));
    assert_eq!((d5.date.day(), d5.seconds[MajorOutage as usize]), (5, 3600));
    assert_eq!(d4.worst, MajorOutage);
    assert_eq!(d4.downtime_tenths, 36_000);
    // The day clocks went back in Berlin has 25 hours.
    let dst = u
        .days
        .iter()
        .find(|d| d.date == jiff::civil::date(2026, 10, 25))
        .unwrap();
    assert_eq!(dst.length, 25 * 3600);
    // 2 hours down over 89 days and 13 hours.
    let total = (89 * 24 + 13) as f64 + 1.0; // plus the extra DST hour
    assert!((u.ratio - (1.0 - 2.0 / total)).abs() < 1e-9, "{}", u.ratio);
}

#[test]
fn outages_outside_the_90_days_do_not_count() {
    let tz = wheelhouse_status::time_zone("UTC").unwrap();
    let now = ts("2026-11-06T12:00:00Z");
    let old = Outage {
        from: ts("2026-01-01T00:00:00Z"),
        until: ts("2026-01-02T00:00:00Z"),
        status: MajorOutage,
    };
    let u = component_uptime(&[old], &tz, now);
    assert_eq!(u.ratio, 1.0);
    assert!(u.days.iter().all(|d| d.worst == Operational));
}

const PAYMENTS: &str = "---
title: Card payments failing
status: resolved
impact: critical
started_at: 2026-10-27T18:02:00+01:00
resolved_at: 2026-10-27T19:10:00+01:00
components: {api: major_outage}
updates:
  - at: 2026-10-27T18:02:00+01:00
    status: investigating
    body: Declines.
  - at: 2026-10-27T18:50:00+01:00
    status: monitoring
    body: Fixed, watching.
    components: {api: degraded_performance}
  - at: 2026-10-27T19:10:00+01:00
    status: resolved
    body: All good.
    components: {api: operational}
---
";

#[test]
fn an_incident_timeline_becomes_outages() {
    let model = load(&page_with(&[("incidents/p.md", PAYMENTS)])).unwrap();
    let i = &model.incidents[0];
    let got = incident_outages(i, "api", ts("2026-11-01T00:00:00Z"));
    assert_eq!(
        got,
        [
            Outage {
                from: ts("2026-10-27T17:02:00Z"),
                until: ts("2026-10-27T17:50:00Z"),
                status: MajorOutage
            },
            Outage {
                from: ts("2026-10-27T17:50:00Z"),
                until: ts("2026-10-27T18:10:00Z"),
                status: DegradedPerformance
            },
        ]
    );
    assert!(incident_outages(i, "web", ts("2026-11-01T00:00:00Z")).is_empty());
    // Built for a moment during the incident: the outage runs until then.
    let during = incident_outages(i, "api", ts("2026-10-27T17:30:00Z"));
    assert_eq!(
        during,
        [Outage {
            from: ts("2026-10-27T17:02:00Z"),
            until: ts("2026-10-27T17:30:00Z"),
            status: MajorOutage
        }]
    );
}

#[test]
fn uptimes_of_a_page_come_from_its_incidents() {
    let model = load(&page_with(&[("incidents/p.md", PAYMENTS)])).unwrap();
    let now = ts("2026-11-06T00:00:00Z");
    let u = compute::uptimes(&model, now);
    assert_eq!(u["web"].ratio, 1.0);
    let window = (now.as_second()
        - compute::uptime_window_start(&model.page.time_zone, now).as_second())
        as f64;
    let expected = 1.0 - 48.0 * 60.0 / window;
    assert!(
        (u["api"].ratio - expected).abs() < 1e-9,
        "{} vs {expected}",
        u["api"].ratio
    );
}

#[test]
fn statuses_at_moments_through_an_incident() {
    let model = load(&page_with(&[("incidents/p.md", PAYMENTS)])).unwrap();
    let i = &model.incidents[0];
    #[rustfmt::skip]
    let table = [
        ("2026-10-27T16:00:00Z", None,                                Operational,          Indicator::None),
        ("2026-10-27T17:10:00Z", Some(IncidentStatus::Investigating), MajorOutage,          Indicator::Critical),
        ("2026-10-27T18:00:00Z", Some(IncidentStatus::Monitoring),    DegradedPerformance,  Indicator::Critical),
        ("2026-10-27T18:10:00Z", Some(IncidentStatus::Resolved),      Operational,          Indicator::None),
    ];
    for (at, stage, component, indicator) in table {
        let now = ts(at);
        assert_eq!(incident_status(i, now), stage, "stage at {at}");
        let c = current(&model, now);
        assert_eq!(c.components["api"], component, "api at {at}");
        assert_eq!(c.indicator, indicator, "indicator at {at}");
    }
}

#[test]
fn a_status_set_by_hand_stays_unless_something_is_worse() {
    let comps =
        "components:\n  - {id: api, name: API, status: partial_outage}\n  - {id: web, name: Web}\n";
    let open = "---\ntitle: Slow\nstatus: identified\nimpact: minor\nstarted_at: 2026-10-01T00:00:00Z\ncomponents: {api: degraded_performance, web: major_outage}\n---\n";
    let f = files(&[
        ("page.yaml", PAGE),
        ("components.yaml", comps),
        ("incidents/x.md", open),
    ]);
    let c = current(&load(&f).unwrap(), ts("2026-10-02T00:00:00Z"));
    assert_eq!(c.components["api"], PartialOutage);
    assert_eq!(c.components["web"], MajorOutage);
    assert_eq!(c.indicator, Indicator::Critical);
}

#[test]
fn the_impact_of_an_open_incident_sets_the_indicator_even_without_components() {
    let open = "---\ntitle: Something\nstatus: investigating\nimpact: major\nstarted_at: 2026-10-01T00:00:00Z\n---\n";
    let c = current(
        &load(&page_with(&[("incidents/x.md", open)])).unwrap(),
        ts("2026-10-02T00:00:00Z"),
    );
    assert_eq!(c.indicator, Indicator::Major);
    assert_eq!(c.indicator.description(), "Partial System Outage");
}

#[test]
fn maintenance_follows_its_window_and_what_was_set_by_hand() {
    let m = |status: &str| {
        format!("---\ntitle: DB\nstatus: {status}\nscheduled_for: 2026-12-03T02:00:00Z\nscheduled_until: 2026-12-03T03:00:00Z\ncomponents: {{api: under_maintenance}}\n---\n")
    };
    #[rustfmt::skip]
    let table = [
        ("scheduled",   "2026-12-03T01:00:00Z", MaintenanceStatus::Scheduled,  Operational),
        ("scheduled",   "2026-12-03T02:30:00Z", MaintenanceStatus::InProgress, UnderMaintenance),
        ("scheduled",   "2026-12-03T03:00:00Z", MaintenanceStatus::Completed,  Operational),
        ("in_progress", "2026-12-03T01:55:00Z", MaintenanceStatus::InProgress, UnderMaintenance),
        ("verifying",   "2026-12-03T03:10:00Z", MaintenanceStatus::Verifying,  UnderMaintenance),
        ("completed",   "2026-12-03T02:40:00Z", MaintenanceStatus::Completed,  Operational),
    ];
    for (status, at, stage, api) in table {
        let model = load(&page_with(&[("maintenances/db.md", &m(status))])).unwrap();
        assert_eq!(
            maintenance_status(&model.maintenances[0], ts(at)),
            stage,
            "{status} at {at}"
        );
        let c = current(&model, ts(at));
        assert_eq!(c.components["api"], api, "{status} at {at}");
        let indicator = if api == UnderMaintenance {
            Indicator::Maintenance
        } else {
            Indicator::None
        };
        assert_eq!(c.indicator, indicator, "{status} at {at}");
    }
}
