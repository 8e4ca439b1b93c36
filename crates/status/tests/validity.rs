//! The export is valid for whoever reads it: HTML that html5ever parses without errors and
//! that loads nothing, links that resolve from `file://`, JSON that follows the Statuspage v2
//! schema, feeds that a feed parser reads back, a well-formed calendar, a lean index.

mod common;

use common::synthetic::synthetic_files;
use common::*;
use std::collections::BTreeMap;
use std::io::Write as _;
use wheelhouse_status::{build, load};

fn demo_export() -> BTreeMap<String, Vec<u8>> {
    build(&demo(), ts(DEMO_NOW))
}

fn synthetic_export(components: usize, incidents: usize) -> BTreeMap<String, Vec<u8>> {
    let now = ts(DEMO_NOW);
    build(
        &load(&synthetic_files(components, incidents, now)).unwrap(),
        now,
    )
}

/// Resolves a relative link against the page it is on.
fn resolve(page: &str, href: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

fn check_pages(out: &BTreeMap<String, Vec<u8>>) {
    for (path, bytes) in out.iter().filter(|(p, _)| p.ends_with(".html")) {
        assert_safe_html(path, bytes);
        let (_, elements) = parse_html(bytes);
        for e in &elements {
            for (name, value) in &e.attrs {
                if name != "href" || value.starts_with('#') {
                    continue;
                }
                if e.name == "a"
                    && (value.starts_with("https://")
                        || value.starts_with("http://")
                        || value.starts_with("mailto:"))
                {
                    continue; // links in Markdown bodies, followed only when clicked
                }
                let target = resolve(path, value);
                assert!(
                    out.contains_key(&target),
                    "{path}: the link {value} leads nowhere ({target})"
                );
            }
        }
    }
}

#[test]
fn every_page_of_the_demo_parses_loads_nothing_and_links_inside_the_export() {
    check_pages(&demo_export());
}

#[test]
fn every_page_of_a_larger_page_is_valid_too() {
    check_pages(&synthetic_export(20, 300));
}

#[test]
fn pages_are_dark_mode_aware_and_say_statuses_in_words() {
    let out = demo_export();
    let index = String::from_utf8(out["index.html"].clone()).unwrap();
    assert!(index.contains("@media(prefers-color-scheme:dark)"));
    assert!(
        index.contains("--brand:#17415c"),
        "the theme's brand colour is used"
    );
    assert!(index.contains("<span class=\"s dg\">Degraded performance</span>"));
    assert!(index.contains("Partially Degraded Service"));
    assert!(index.contains("aria-label=\"Public API, last 90 days: 99.97% uptime. 16 Oct 2026: partial outage 1 h 29 min.\""));
    assert!(index.contains("<title>16 Oct 2026: partial outage 1 h 29 min</title>"));
}

#[test]
fn json_documents_follow_the_statuspage_v2_schema() {
    assert_valid_json(&demo_export());
    assert_valid_json(&synthetic_export(30, 500));
}

#[test]
fn json_ids_are_stable_and_derived_from_slugs() {
    let out = demo_export();
    let summary: serde_json::Value = serde_json::from_slice(&out["api/v2/summary.json"]).unwrap();
    assert_eq!(
        summary["incidents"][0]["id"],
        wheelhouse_status::stable_id("incident", "2026-11-05-search-indexing")
    );
    assert_eq!(
        summary["page"]["id"],
        wheelhouse_status::stable_id("page", "Acme Shop")
    );
    assert_eq!(summary["status"]["indicator"], "minor");
    let upcoming: serde_json::Value =
        serde_json::from_slice(&out["api/v2/scheduled-maintenances/upcoming.json"]).unwrap();
    assert_eq!(
        upcoming["scheduled_maintenances"][0]["name"],
        "Database upgrade for orders and invoices"
    );
    assert_eq!(
        upcoming["scheduled_maintenances"][0]["scheduled_for"],
        "2026-12-03T02:00:00.000+01:00"
    );
    let incidents: serde_json::Value =
        serde_json::from_slice(&out["api/v2/incidents.json"]).unwrap();
    let payments = &incidents["incidents"][1];
    assert_eq!(payments["status"], "postmortem");
    let first_update = payments["incident_updates"]
        .as_array()
        .unwrap()
        .last()
        .unwrap();
    assert_eq!(
        first_update["affected_components"][0]["old_status"],
        "operational"
    );
    assert_eq!(
        first_update["affected_components"][0]["new_status"],
        "major_outage"
    );
}

#[test]
fn lists_hold_the_50_most_recent_like_statuspage() {
    let out = synthetic_export(10, 120);
    let incidents: serde_json::Value =
        serde_json::from_slice(&out["api/v2/incidents.json"]).unwrap();
    assert_eq!(incidents["incidents"].as_array().unwrap().len(), 50);
    let unresolved: serde_json::Value =
        serde_json::from_slice(&out["api/v2/incidents/unresolved.json"]).unwrap();
    assert_eq!(unresolved["incidents"].as_array().unwrap().len(), 2);
}

#[test]
fn feeds_parse_back() {
    let out = demo_export();
    let atom = feed_rs::parser::parse(&out["history.atom"][..]).unwrap();
    let rss = feed_rs::parser::parse(&out["history.rss"][..]).unwrap();
    for feed in [&atom, &rss] {
        assert_eq!(
            feed.title.as_ref().unwrap().content,
            "Acme Shop status history"
        );
        let titles: Vec<_> = feed
            .entries
            .iter()
            .map(|e| e.title.as_ref().unwrap().content.as_str())
            .collect();
        assert_eq!(
            titles,
            [
                "Search results updating slowly",
                "Database upgrade for orders and invoices",
                "Card payments failing for some customers",
                "Elevated error rates on the public API",
            ]
        );
        assert_eq!(
            feed.entries[0].links[0].href,
            "https://status.acme.example/incidents/2026-11-05-search-indexing.html"
        );
    }
    let content = atom.entries[2]
        .content
        .as_ref()
        .unwrap()
        .body
        .as_ref()
        .unwrap();
    assert!(content.contains("<h3>Root cause</h3>"), "{content}");
    let big = synthetic_export(10, 200);
    assert_eq!(
        feed_rs::parser::parse(&big["history.atom"][..])
            .unwrap()
            .entries
            .len(),
        50
    );
    assert_eq!(
        feed_rs::parser::parse(&big["history.rss"][..])
            .unwrap()
            .entries
            .len(),
        50
    );
}

#[test]
fn the_calendar_is_well_formed() {
    let out = demo_export();
    let ics = String::from_utf8(out["maintenance.ics"].clone()).unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert!(
        !ics.replace("\r\n", "").contains('\n'),
        "only CRLF line ends"
    );
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "{line:?} is longer than 75 octets");
    }
    let unfolded = ics.replace("\r\n ", "");
    assert!(unfolded.contains("\r\nDTSTART:20261203T010000Z\r\nDTEND:20261203T020000Z\r\n"));
    assert!(unfolded.contains("\r\nSUMMARY:Database upgrade for orders and invoices\r\n"));
    assert_eq!(unfolded.matches("BEGIN:VEVENT").count(), 1);
}

#[test]
fn badges_say_the_status_in_words() {
    let out = demo_export();
    let svg = String::from_utf8(out["badge.svg"].clone()).unwrap();
    assert!(svg.contains("aria-label=\"status: degraded\"") && svg.contains(">degraded</text>"));
    let endpoint: serde_json::Value = serde_json::from_slice(&out["badge.json"]).unwrap();
    assert_eq!(
        endpoint,
        serde_json::json!({"schemaVersion": 1, "label": "status", "message": "degraded", "color": "yellow"})
    );
}

fn gzip_len(bytes: &[u8]) -> usize {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap().len()
}

#[test]
fn the_index_for_100_components_stays_under_15_kb_gzipped() {
    for incidents in [0, 2_000] {
        let out = synthetic_export(100, incidents);
        let size = gzip_len(&out["index.html"]);
        assert!(
            size <= 15 * 1024,
            "index.html with {incidents} incidents is {size} bytes gzipped"
        );
    }
}

#[test]
fn the_html_check_itself_catches_errors_and_scripts() {
    assert!(!parse_html(b"<p>no doctype</span>").0.is_empty());
    let caught = std::panic::catch_unwind(|| {
        assert_safe_html("x.html", b"<!DOCTYPE html><html><head><title>x</title></head><body><a href=\"javascript:x\">x</a></body></html>")
    });
    assert!(caught.is_err());
}

#[test]
fn measured_response_times_get_a_page_of_charts_linked_from_every_page() {
    use wheelhouse_status::monitor::{apply, history::History, parse_monitors};
    let mut page = demo();
    let now = ts(DEMO_NOW);
    assert!(!demo_export().contains_key("response-times.html"));
    let component = page.components().next().unwrap().id.clone();
    let monitors = parse_monitors(
        &format!(
            "monitors:\n  - name: api-health\n    component: {component}\n    url: https://api.example\n    conditions: [\"[STATUS] == 200\"]\n"
        ),
        &page,
    )
    .unwrap();
    let mut history = History::default();
    // Two days of checks, a gap of three hours, and one lone hour before it.
    for minute in (0..48 * 60).step_by(5) {
        let at = now - jiff::SignedDuration::from_mins(minute + 1);
        if (300..480).contains(&minute) {
            continue;
        }
        history.record("api-health", at, true, Some(100 + (minute % 90) as u64));
    }
    history.record(
        "api-health",
        now - jiff::SignedDuration::from_hours(100),
        true,
        Some(80),
    );
    apply(&mut page, &monitors, &history, now);
    assert_eq!(page.response_times.len(), 1);
    assert_eq!(page.response_times[0].hourly.len(), 168);
    let out = build(&page, now);
    check_pages(&out);
    let html = String::from_utf8(out["response-times.html"].clone()).unwrap();
    assert_eq!(
        html.matches("<polyline").count(),
        2,
        "a line either side of the gap"
    );
    assert_eq!(html.matches("<circle").count(), 1, "the lone hour is a dot");
    assert!(html.contains("api-health"));
    assert!(html.contains("Mean "));
    let index = String::from_utf8(out["index.html"].clone()).unwrap();
    assert!(index.contains("href=\"response-times.html\""));
    if let Ok(dir) = std::env::var("WHEELHOUSE_KEEP_EXPORT") {
        wheelhouse_status::fs::write_export(std::path::Path::new(&dir), &out).unwrap();
    }
}
