//! The demo's status page, rendered: golden files for `index.html` and `summary.json`, and the
//! export's determinism. Rewrite the golden files with `WHEELHOUSE_UPDATE_GOLDEN=1`, then
//! review the diff like code.

mod common;

use common::*;
use std::path::PathBuf;
use wheelhouse_status::{build, load, ComponentStatus, Indicator, MaintenanceStatus};

fn golden(name: &str, actual: &[u8]) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("WHEELHOUSE_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing: run with WHEELHOUSE_UPDATE_GOLDEN=1",
            path.display()
        )
    });
    if expected != actual {
        let expected = String::from_utf8_lossy(&expected);
        let actual = String::from_utf8_lossy(actual);
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "{name} differs from the golden file from line {}:\n  golden: {:?}\n  actual: {:?}\n\
             Rewrite it with WHEELHOUSE_UPDATE_GOLDEN=1 if the change is intended.",
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first)
        );
    }
}

#[test]
fn the_demo_page_loads_as_written() {
    let model = demo();
    assert_eq!(model.page.name, "Acme Shop");
    assert_eq!(model.page.time_zone_name(), "Europe/Berlin");
    assert_eq!(model.page.theme.brand.as_deref(), Some("#17415c"));
    let groups: Vec<_> = model
        .groups
        .iter()
        .map(|g| g.name.clone().unwrap())
        .collect();
    assert_eq!(groups, ["Storefront", "Checkout", "After your order"]);
    let ids: Vec<_> = model.components().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "web",
            "search",
            "payments",
            "api",
            "notifications",
            "invoicing"
        ]
    );
    assert_eq!(
        model.component("invoicing").unwrap().links.workloads,
        ["ledger"]
    );
    let slugs: Vec<_> = model.incidents.iter().map(|i| i.slug.as_str()).collect();
    assert_eq!(
        slugs,
        [
            "2026-10-16-api-errors",
            "2026-10-27-card-payments",
            "2026-11-05-search-indexing"
        ]
    );
    assert!(model.incidents[1]
        .postmortem
        .as_deref()
        .unwrap()
        .contains("Root cause"));
    assert_eq!(model.maintenances.len(), 1);
    assert!(model.maintenances[0].description.is_some());
}

#[test]
fn the_demo_page_as_of_the_day_after_the_search_incident() {
    let model = demo();
    let now = ts(DEMO_NOW);
    let current = wheelhouse_status::current(&model, now);
    assert_eq!(current.indicator, Indicator::Minor);
    assert_eq!(
        current.components["search"],
        ComponentStatus::DegradedPerformance
    );
    assert_eq!(current.components["payments"], ComponentStatus::Operational);
    assert_eq!(
        wheelhouse_status::compute::maintenance_status(&model.maintenances[0], now),
        MaintenanceStatus::Scheduled
    );
    // During the maintenance window the API is under maintenance.
    let during = wheelhouse_status::current(&model, ts("2026-12-03T01:30:00Z"));
    assert_eq!(during.components["api"], ComponentStatus::UnderMaintenance);
}

#[test]
fn demo_index_html_matches_the_golden_file() {
    let out = build(&demo(), ts(DEMO_NOW));
    golden("index.html", &out["index.html"]);
}

#[test]
fn demo_summary_json_matches_the_golden_file() {
    let out = build(&demo(), ts(DEMO_NOW));
    golden("summary.json", &out["api/v2/summary.json"]);
}

#[test]
fn the_same_input_and_moment_give_the_same_bytes() {
    let files = demo_files();
    let a = build(&load(&files).unwrap(), ts(DEMO_NOW));
    let b = build(&load(&files).unwrap(), ts(DEMO_NOW));
    assert_eq!(a, b);
    let later = build(&load(&files).unwrap(), ts("2026-11-07T12:00:00Z"));
    assert_ne!(
        a["index.html"], later["index.html"],
        "the page shows the moment it is for"
    );
}

#[test]
fn the_export_has_every_promised_file() {
    let out = build(&demo(), ts(DEMO_NOW));
    for path in [
        "index.html",
        "incidents/2026-10-16-api-errors.html",
        "incidents/2026-10-27-card-payments.html",
        "incidents/2026-11-05-search-indexing.html",
        "maintenances/2026-12-03-database-upgrade.html",
        "history/index.html",
        "history/2026-10.html",
        "history/2026-11.html",
        "history/2026-12.html",
        "api/v2/summary.json",
        "api/v2/status.json",
        "api/v2/components.json",
        "api/v2/incidents.json",
        "api/v2/incidents/unresolved.json",
        "api/v2/scheduled-maintenances.json",
        "api/v2/scheduled-maintenances/upcoming.json",
        "api/v2/scheduled-maintenances/active.json",
        "history.rss",
        "history.atom",
        "maintenance.ics",
        "badge.svg",
        "badge.json",
        "subscribe.html",
        "components/payments.atom",
        "components/payments.rss",
    ] {
        assert!(out.contains_key(path), "missing {path}");
    }
    // And an Atom and an RSS feed for each of the demo's components.
    let components = demo().components().count();
    assert_eq!(
        out.len(),
        23 + 2 * components,
        "{:?}",
        out.keys().collect::<Vec<_>>()
    );
    // A component's feed has what affects it, and only that.
    let payments = String::from_utf8(out["components/payments.atom"].clone()).unwrap();
    assert!(payments.contains("Card payments failing"), "{payments}");
    assert!(!payments.contains("Search results"), "{payments}");
    let subscribe = String::from_utf8(out["subscribe.html"].clone()).unwrap();
    assert!(
        subscribe.contains("href=\"components/payments.atom\""),
        "{subscribe}"
    );
}
