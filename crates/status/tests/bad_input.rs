//! Bad input: every kind of mistake gets an error naming the file, line and column, and no
//! model is returned.

mod common;

use common::*;
use wheelhouse_status::{load, StatusError, StatusErrorCode};

fn errors(files: &std::collections::BTreeMap<String, String>) -> Vec<StatusError> {
    match load(files) {
        Ok(_) => panic!("expected errors"),
        Err(e) => e,
    }
}

/// The only error, checked for code, file, line and column.
fn only(files: &std::collections::BTreeMap<String, String>) -> StatusError {
    let mut e = errors(files);
    assert_eq!(e.len(), 1, "{e:#?}");
    e.remove(0)
}

fn at(e: &StatusError, code: StatusErrorCode, file: &str, line: u32, column: u32) {
    assert_eq!(
        (e.code, e.file.as_str(), e.line, e.column),
        (code, file, line, column),
        "{e}"
    );
}

const INCIDENT_OK: &str = "---
title: Slow API
status: investigating
impact: minor
started_at: 2026-10-16T09:12:00+02:00
components: {api: degraded_performance}
updates:
  - at: 2026-10-16T09:12:00+02:00
    status: investigating
    body: Looking into it.
---
";

#[test]
fn a_minimal_page_loads() {
    let model = load(&page_with(&[("incidents/2026-10-16-slow.md", INCIDENT_OK)])).unwrap();
    assert_eq!(model.incidents.len(), 1);
    assert_eq!(model.incidents[0].updates[0].body, "Looking into it.");
}

#[test]
fn an_unknown_component_status_is_located() {
    let comps = "components:\n  - id: api\n    name: API\n    status: on_fire\n";
    let e = only(&files(&[("page.yaml", PAGE), ("components.yaml", comps)]));
    at(&e, StatusErrorCode::UnknownStatus, "components.yaml", 4, 13);
    assert!(
        e.message.contains("on_fire") && e.message.contains("major_outage"),
        "{e}"
    );
}

#[test]
fn an_unknown_incident_status_is_located_in_the_front_matter() {
    let text = INCIDENT_OK.replace("status: investigating\nimpact", "status: panicking\nimpact");
    let e = only(&page_with(&[("incidents/x.md", &text)]));
    // Line 1 is the opening `---`: the status is on line 3 of the file.
    at(&e, StatusErrorCode::UnknownStatus, "incidents/x.md", 3, 9);
}

#[test]
fn an_unknown_status_in_an_update_and_an_unknown_impact_are_both_reported() {
    let text = INCIDENT_OK
        .replace("impact: minor", "impact: catastrophic")
        .replace("    status: investigating", "    status: looking");
    let e = errors(&page_with(&[("incidents/x.md", &text)]));
    assert_eq!(e.len(), 2, "{e:#?}");
    at(
        &e[0],
        StatusErrorCode::UnknownStatus,
        "incidents/x.md",
        4,
        9,
    );
    at(
        &e[1],
        StatusErrorCode::UnknownStatus,
        "incidents/x.md",
        9,
        13,
    );
}

#[test]
fn an_unknown_component_status_in_an_incident_is_located() {
    let text = INCIDENT_OK.replace("{api: degraded_performance}", "{api: sluggish}");
    let e = only(&page_with(&[("incidents/x.md", &text)]));
    at(&e, StatusErrorCode::UnknownStatus, "incidents/x.md", 6, 19);
}

#[test]
fn an_unknown_maintenance_status_is_located() {
    let text = "---\ntitle: DB upgrade\nstatus: pending\nscheduled_for: 2026-12-03T02:00:00+01:00\nscheduled_until: 2026-12-03T03:00:00+01:00\n---\n";
    let e = only(&page_with(&[("maintenances/db.md", text)]));
    at(
        &e,
        StatusErrorCode::UnknownStatus,
        "maintenances/db.md",
        3,
        9,
    );
}

#[test]
fn an_update_dated_before_its_incident_is_refused() {
    let text = INCIDENT_OK.replace(
        "  - at: 2026-10-16T09:12:00+02:00",
        "  - at: 2026-10-16T08:59:00+02:00",
    );
    let e = only(&page_with(&[("incidents/x.md", &text)]));
    at(
        &e,
        StatusErrorCode::UpdateBeforeStart,
        "incidents/x.md",
        8,
        9,
    );
    assert!(e.message.contains("before the incident started"), "{e}");
}

#[test]
fn the_same_instant_in_another_offset_is_not_before() {
    let text = INCIDENT_OK.replace(
        "  - at: 2026-10-16T09:12:00+02:00",
        "  - at: 2026-10-16T07:12:00Z",
    );
    assert!(load(&page_with(&[("incidents/x.md", &text)])).is_ok());
}

const MAINTENANCE: &str = "---
title: TITLE
status: scheduled
scheduled_for: FROM
scheduled_until: UNTIL
components: {COMPONENT: under_maintenance}
---
";

fn maintenance(title: &str, from: &str, until: &str, component: &str) -> String {
    MAINTENANCE
        .replace("TITLE", title)
        .replace("FROM", from)
        .replace("UNTIL", until)
        .replace("COMPONENT", component)
}

#[test]
fn overlapping_maintenances_of_one_component_are_refused() {
    let a = maintenance(
        "A",
        "2026-12-03T02:00:00+01:00",
        "2026-12-03T04:00:00+01:00",
        "api",
    );
    let b = maintenance(
        "B",
        "2026-12-03T03:00:00+01:00",
        "2026-12-03T05:00:00+01:00",
        "api",
    );
    let e = only(&page_with(&[
        ("maintenances/a.md", &a),
        ("maintenances/b.md", &b),
    ]));
    at(
        &e,
        StatusErrorCode::OverlappingMaintenance,
        "maintenances/b.md",
        4,
        16,
    );
    assert!(
        e.message.contains("`a`") && e.message.contains("`api`"),
        "{e}"
    );
}

#[test]
fn a_maintenance_inside_a_longer_one_overlaps_too() {
    let a = maintenance("A", "2026-12-03T00:00:00Z", "2026-12-03T10:00:00Z", "api");
    let b = maintenance("B", "2026-12-03T02:00:00Z", "2026-12-03T03:00:00Z", "api");
    let c = maintenance("C", "2026-12-03T05:00:00Z", "2026-12-03T06:00:00Z", "api");
    let e = errors(&page_with(&[
        ("maintenances/a.md", &a),
        ("maintenances/b.md", &b),
        ("maintenances/c.md", &c),
    ]));
    let files: Vec<_> = e.iter().map(|e| e.file.as_str()).collect();
    assert_eq!(files, ["maintenances/b.md", "maintenances/c.md"], "{e:#?}");
}

#[test]
fn back_to_back_maintenances_and_other_components_do_not_overlap() {
    let a = maintenance("A", "2026-12-03T02:00:00Z", "2026-12-03T03:00:00Z", "api");
    let b = maintenance("B", "2026-12-03T03:00:00Z", "2026-12-03T04:00:00Z", "api");
    let c = maintenance("C", "2026-12-03T02:30:00Z", "2026-12-03T03:30:00Z", "web");
    assert!(load(&page_with(&[
        ("maintenances/a.md", &a),
        ("maintenances/b.md", &b),
        ("maintenances/c.md", &c),
    ]))
    .is_ok());
}

#[test]
fn a_window_that_ends_before_it_starts_is_refused() {
    let a = maintenance("A", "2026-12-03T03:00:00Z", "2026-12-03T02:00:00Z", "api");
    let e = only(&page_with(&[("maintenances/a.md", &a)]));
    at(&e, StatusErrorCode::InvalidTime, "maintenances/a.md", 5, 18);
}

#[test]
fn a_component_id_used_twice_is_refused_with_both_places() {
    let comps = "groups:\n  - name: A\n    components:\n      - {id: api, name: API}\n  - name: B\n    components:\n      - {id: api, name: Other API}\n";
    let e = only(&files(&[("page.yaml", PAGE), ("components.yaml", comps)]));
    at(
        &e,
        StatusErrorCode::DuplicateComponent,
        "components.yaml",
        7,
        14,
    );
    assert!(e.message.contains("line 4"), "{e}");
}

#[test]
fn an_incident_naming_a_component_that_does_not_exist_is_refused() {
    let text = INCIDENT_OK.replace(
        "{api: degraded_performance}",
        "{apii: degraded_performance}",
    );
    let e = only(&page_with(&[("incidents/x.md", &text)]));
    at(
        &e,
        StatusErrorCode::UnknownComponent,
        "incidents/x.md",
        6,
        14,
    );
    assert!(e.message.contains("`apii`"), "{e}");
}

#[test]
fn an_update_naming_a_component_that_does_not_exist_is_refused() {
    let text = INCIDENT_OK.replace(
        "    body: Looking into it.\n",
        "    body: Looking into it.\n    components: {db: major_outage}\n",
    );
    let e = only(&page_with(&[("incidents/x.md", &text)]));
    at(
        &e,
        StatusErrorCode::UnknownComponent,
        "incidents/x.md",
        11,
        18,
    );
}

#[test]
fn a_maintenance_naming_a_component_that_does_not_exist_is_refused() {
    let a = maintenance("A", "2026-12-03T02:00:00Z", "2026-12-03T03:00:00Z", "db");
    let e = only(&page_with(&[("maintenances/a.md", &a)]));
    at(
        &e,
        StatusErrorCode::UnknownComponent,
        "maintenances/a.md",
        6,
        14,
    );
}

#[test]
fn an_invalid_page_time_zone_is_located() {
    let page = "name: Example\ntime_zone: Europe/Berln\n";
    let e = only(&files(&[("page.yaml", page)]));
    at(&e, StatusErrorCode::InvalidTimeZone, "page.yaml", 2, 12);
    assert!(e.message.contains("Europe/Berln"), "{e}");
}

#[test]
fn an_offset_is_not_a_time_zone() {
    let page = "name: Example\ntime_zone: \"+02:00\"\n";
    let e = only(&files(&[("page.yaml", page)]));
    assert_eq!(e.code, StatusErrorCode::InvalidTimeZone);
}

#[test]
fn an_invalid_maintenance_time_zone_is_located() {
    let a = maintenance("A", "2026-12-03T02:00:00Z", "2026-12-03T03:00:00Z", "api")
        .replace("components:", "time_zone: Mars/Olympus_Mons\ncomponents:");
    let e = only(&page_with(&[("maintenances/a.md", &a)]));
    at(
        &e,
        StatusErrorCode::InvalidTimeZone,
        "maintenances/a.md",
        6,
        12,
    );
}

#[test]
fn a_time_without_an_offset_is_refused() {
    let text = INCIDENT_OK.replace(
        "started_at: 2026-10-16T09:12:00+02:00",
        "started_at: 2026-10-16 09:12",
    );
    let e = only(&page_with(&[("incidents/x.md", &text)]));
    at(&e, StatusErrorCode::InvalidTime, "incidents/x.md", 5, 13);
}

#[test]
fn yaml_syntax_errors_are_located_in_the_whole_file() {
    let text = INCIDENT_OK.replace("impact: minor", "impact: [minor");
    let e = errors(&page_with(&[("incidents/x.md", &text)]));
    assert_eq!(e[0].code, StatusErrorCode::InvalidYaml, "{e:#?}");
    assert_eq!(e[0].file, "incidents/x.md");
    assert!(e[0].line >= 4, "{}", e[0]);
}

#[test]
fn an_unknown_field_is_refused_with_its_place() {
    let text = INCIDENT_OK.replace("impact: minor", "impact: minor\nseverity: high");
    let e = only(&page_with(&[("incidents/x.md", &text)]));
    assert_eq!(e.code, StatusErrorCode::InvalidYaml);
    assert_eq!(e.line, 5, "{e}");
    assert!(e.message.contains("severity"), "{e}");
}

#[test]
fn a_file_without_front_matter_is_refused() {
    let e = only(&page_with(&[(
        "incidents/x.md",
        "title: no front matter\n",
    )]));
    at(
        &e,
        StatusErrorCode::InvalidFrontMatter,
        "incidents/x.md",
        1,
        1,
    );
}

#[test]
fn a_resolved_incident_needs_a_resolution_time() {
    let text = INCIDENT_OK.replace("status: investigating\nimpact", "status: resolved\nimpact");
    let e = only(&page_with(&[("incidents/x.md", &text)]));
    at(&e, StatusErrorCode::InvalidValue, "incidents/x.md", 3, 9);
    // …which a `resolved` update provides.
    let with_update = format!(
        "{}  - at: 2026-10-16T10:00:00+02:00\n    status: resolved\n    body: Fixed.\n---\n",
        text.trim_end_matches("---\n")
    );
    let model = load(&page_with(&[("incidents/x.md", &with_update)])).unwrap();
    assert_eq!(
        model.incidents[0].resolved_at,
        Some(ts("2026-10-16T08:00:00Z"))
    );
}

#[test]
fn an_open_incident_with_a_resolution_time_is_refused() {
    let text = INCIDENT_OK.replace(
        "components:",
        "resolved_at: 2026-10-16T10:00:00+02:00\ncomponents:",
    );
    let e = only(&page_with(&[("incidents/x.md", &text)]));
    at(&e, StatusErrorCode::InvalidValue, "incidents/x.md", 6, 14);
}

#[test]
fn a_page_without_page_yaml_is_refused() {
    let e = only(&files(&[("components.yaml", COMPONENTS)]));
    at(&e, StatusErrorCode::MissingFile, "page.yaml", 0, 0);
}

#[test]
fn a_brand_colour_must_be_a_colour() {
    let page = "name: Example\ntheme:\n  brand: \"red;}body{background:url(https://x)}\"\n";
    let e = only(&files(&[("page.yaml", page)]));
    at(&e, StatusErrorCode::InvalidValue, "page.yaml", 3, 10);
}

#[test]
fn a_page_url_must_be_http() {
    let page = "name: Example\nurl: javascript:alert(1)\n";
    let e = only(&files(&[("page.yaml", page)]));
    at(&e, StatusErrorCode::InvalidValue, "page.yaml", 2, 6);
}

#[test]
fn a_file_name_that_cannot_be_a_slug_is_refused() {
    let e = only(&page_with(&[("incidents/bad name.md", INCIDENT_OK)]));
    assert_eq!(e.code, StatusErrorCode::InvalidFile);
    assert_eq!(e.file, "incidents/bad name.md");
}

#[test]
fn every_error_is_reported_at_once_sorted_by_file() {
    let bad_status = INCIDENT_OK.replace("status: investigating\nimpact", "status: x\nimpact");
    let bad_component = INCIDENT_OK.replace(
        "{api: degraded_performance}",
        "{nope: degraded_performance}",
    );
    let page = "name: Example\ntime_zone: Nowhere/Land\n";
    let mut f = page_with(&[
        ("incidents/b.md", &bad_status),
        ("incidents/a.md", &bad_component),
    ]);
    f.insert("page.yaml".into(), page.into());
    let e = errors(&f);
    let files: Vec<_> = e.iter().map(|e| e.file.as_str()).collect();
    assert_eq!(files, ["incidents/a.md", "incidents/b.md", "page.yaml"]);
    assert_eq!(
        e[2].clone().in_folder("status/").to_string(),
        "status/page.yaml:2:12: `Nowhere/Land` is not an IANA time zone; write one such as Europe/Berlin, America/New_York or UTC"
    );
}

#[test]
fn a_broken_components_file_does_not_make_every_reference_unknown() {
    let mut f = page_with(&[("incidents/x.md", INCIDENT_OK)]);
    f.insert("components.yaml".into(), "groups: [".into());
    let e = errors(&f);
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(e[0].file, "components.yaml");
}

#[test]
fn templates_are_checked_like_incidents() {
    let template = "---\ntitle: Elevated errors on COMPONENT\nimpact: minor\ncomponents: {api: partial_outage}\n---\nWe are investigating elevated error rates.\n";
    let model = load(&page_with(&[("templates/elevated-errors.md", template)])).unwrap();
    assert_eq!(model.templates[0].slug, "elevated-errors");
    assert_eq!(
        model.templates[0].body,
        "We are investigating elevated error rates."
    );
    let bad = template.replace("{api: partial_outage}", "{api: partly}");
    let e = only(&page_with(&[("templates/elevated-errors.md", &bad)]));
    at(
        &e,
        StatusErrorCode::UnknownStatus,
        "templates/elevated-errors.md",
        4,
        19,
    );
}
