//! The editor's format-preserving edits: the exact output on the demo's files and on a fixture
//! full of comments and odd styles (`tests/fixtures/odd`), every untouched line identical, every
//! result loading with the other files, every refusal with its message, and determinism.
//!
//! Long outputs are golden files under `tests/golden/edits/`; rewrite them with
//! `WHEELHOUSE_UPDATE_GOLDEN=1`, then review the diff like code.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use wheelhouse_status::edit::{
    add_incident_update, complete_maintenance, move_component, new_incident, new_maintenance, plan,
    resolve_incident, set_component_status, set_postmortem, slug_from_title, start_maintenance,
    EditError, EditErrorCode, NewIncident, NewMaintenance, StatusEdit, UpdateInput,
};
use wheelhouse_status::save::{self, apply, FileChange};
use wheelhouse_status::{
    load, time_zone, ComponentChange, ComponentStatus, Impact, IncidentStatus, MaintenanceStatus,
    Timestamp, Zoned,
};

// ---- helpers ----

const NOW: &str = "2026-11-06T12:00:00Z";

fn now() -> Timestamp {
    ts(NOW)
}

/// The demo's status folder, created once for all tests (creating the demo is slow).
fn demo_files() -> BTreeMap<String, String> {
    static DEMO: std::sync::OnceLock<BTreeMap<String, String>> = std::sync::OnceLock::new();
    DEMO.get_or_init(common::demo_files).clone()
}

fn odd_files() -> BTreeMap<String, String> {
    wheelhouse_status::fs::read_folder(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/odd"),
    )
    .unwrap()
}

fn berlin(s: &str) -> Zoned {
    ts(s).to_zoned(time_zone("Europe/Berlin").unwrap())
}

fn golden(name: &str, actual: &str) {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/edits")
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
    assert_eq!(
        actual, expected,
        "{name} differs from its golden file; rewrite it with WHEELHOUSE_UPDATE_GOLDEN=1 if intended"
    );
}

/// The lines an edit removed and added (by a line diff): every other line is byte-identical.
fn changed(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
    use similar::{ChangeTag, TextDiff};
    let mut removed = Vec::new();
    let mut added = Vec::new();
    for change in TextDiff::from_lines(before, after).iter_all_changes() {
        match change.tag() {
            ChangeTag::Delete => removed.push(change.value().to_string()),
            ChangeTag::Insert => added.push(change.value().to_string()),
            ChangeTag::Equal => {}
        }
    }
    (removed, added)
}

fn lines(text: &str) -> Vec<String> {
    text.split_inclusive('\n').map(str::to_string).collect()
}

/// Plans an edit that must succeed; the result must load with the other files.
fn planned(files: &BTreeMap<String, String>, e: &StatusEdit) -> Vec<FileChange> {
    let changes = plan(files, e, now()).unwrap_or_else(|err| panic!("{e:?}: {err}"));
    let after = save::with_changes(files, &changes);
    if let Err(problems) = load(&after) {
        panic!("the result does not load: {problems:#?}");
    }
    changes
}

/// The single file an edit changes: (path, before, after).
fn one(files: &BTreeMap<String, String>, e: &StatusEdit) -> (String, String, String) {
    let mut changes = planned(files, e);
    assert_eq!(changes.len(), 1, "{changes:#?}");
    let c = changes.remove(0);
    (c.path, c.before.unwrap_or_default(), c.after)
}

fn refused(files: &BTreeMap<String, String>, e: &StatusEdit) -> EditError {
    match plan(files, e, now()) {
        Ok(c) => panic!("{e:?} was not refused: {c:#?}"),
        Err(err) => err,
    }
}

fn check(err: &EditError, code: EditErrorCode, file: &str, line: u32, message: &str) {
    assert_eq!(
        (err.code, err.file.as_str(), err.line, err.message.as_str()),
        (code, file, line, message),
        "{err}"
    );
}

fn set_status(id: &str, status: ComponentStatus) -> StatusEdit {
    StatusEdit::SetComponentStatus {
        id: id.into(),
        status,
    }
}

fn move_to(id: &str, group: usize, position: usize) -> StatusEdit {
    StatusEdit::MoveComponent {
        id: id.into(),
        group,
        position,
    }
}

fn change(id: &str, status: ComponentStatus) -> ComponentChange {
    ComponentChange {
        id: id.into(),
        status,
    }
}

fn ids(files: &BTreeMap<String, String>) -> Vec<(Option<String>, Vec<String>)> {
    load(files)
        .unwrap()
        .groups
        .iter()
        .map(|g| {
            (
                g.name.clone(),
                g.components.iter().map(|c| c.id.clone()).collect(),
            )
        })
        .collect()
}

// ---- component status ----

#[test]
fn a_component_status_changes_one_value_in_the_demo() {
    let files = demo_files();
    let (path, before, after) = one(&files, &set_status("api", ComponentStatus::MajorOutage));
    assert_eq!(path, "components.yaml");
    let expected = before.replacen(
        "        status: operational\n        links: {env: prod, workload: api}",
        "        status: major_outage\n        links: {env: prod, workload: api}",
        1,
    );
    assert_eq!(after, expected);
    assert_eq!(
        changed(&before, &after),
        (
            vec!["        status: operational\n".into()],
            vec!["        status: major_outage\n".into()]
        )
    );
    // The text function gives the same text.
    assert_eq!(
        set_component_status(&before, "api", ComponentStatus::MajorOutage).unwrap(),
        after
    );
}

#[test]
fn a_component_status_keeps_quotes_comments_and_flow_style() {
    let files = odd_files();
    let cases = [
        (
            "web",
            ComponentStatus::MajorOutage,
            vec!["      status: \"degraded_performance\"    # quoted on purpose\n"],
            vec!["      status: \"major_outage\"    # quoted on purpose\n"],
        ),
        (
            "edge",
            ComponentStatus::MajorOutage,
            vec!["  - {id: edge, name: \"CDN edge\", status: 'operational'}   # one line\n"],
            vec!["  - {id: edge, name: \"CDN edge\", status: 'major_outage'}   # one line\n"],
        ),
        (
            // No status key: one is added at the end of the component.
            "payments",
            ComponentStatus::PartialOutage,
            vec![],
            vec!["            status: partial_outage\n"],
        ),
        (
            "mail",
            ComponentStatus::UnderMaintenance,
            vec!["    components: [{id: mail, name: Mail}, {id: sms, name: SMS}]\n"],
            vec!["    components: [{id: mail, name: Mail, status: under_maintenance}, {id: sms, name: SMS}]\n"],
        ),
    ];
    for (id, status, removed, added) in cases {
        let (_, before, after) = one(&files, &set_status(id, status));
        let expect = |v: Vec<&str>| v.into_iter().map(String::from).collect::<Vec<_>>();
        assert_eq!(
            changed(&before, &after),
            (expect(removed), expect(added)),
            "{id}"
        );
    }
    let (_, _, after) = one(
        &files,
        &set_status("payments", ComponentStatus::PartialOutage),
    );
    assert!(after.contains(
        "        -   id: payments      # 8 spaces, 3 after the dash\n            name: Payments\n            status: partial_outage\n        -   id: api\n"
    ));
    // A one-line component with a comment after it.
    let text = "components:\n  - {id: a, name: A}   # note\n  - {id: b, name: B}\n";
    assert_eq!(
        set_component_status(text, "a", ComponentStatus::MajorOutage).unwrap(),
        "components:\n  - {id: a, name: A, status: major_outage}   # note\n  - {id: b, name: B}\n"
    );
    // Nothing to write: the status is already that (no key means operational).
    assert!(plan(
        &files,
        &set_status("payments", ComponentStatus::Operational),
        now()
    )
    .unwrap()
    .is_empty());
    assert!(plan(
        &files,
        &set_status("api", ComponentStatus::PartialOutage),
        now()
    )
    .unwrap()
    .is_empty());
}

#[test]
fn a_component_status_refuses_unknown_ids_and_words() {
    let files = demo_files();
    let err = refused(
        &files,
        &set_status("checkout", ComponentStatus::MajorOutage),
    );
    check(
        &err,
        EditErrorCode::UnknownComponent,
        "components.yaml",
        0,
        "there is no component `checkout` in components.yaml",
    );
    assert_eq!(err.code(), "unknown_component");
    let err = "down".parse::<ComponentStatus>().unwrap_err();
    assert_eq!(err.code(), "unknown_status");
    assert_eq!(
        err.message,
        "`down` is not a component status; use one of operational, under_maintenance, \
         degraded_performance, partial_outage, major_outage"
    );
    assert_eq!(
        "fixed".parse::<IncidentStatus>().unwrap_err().message,
        "`fixed` is not an incident status; use one of investigating, identified, monitoring, \
         resolved, postmortem"
    );
    assert_eq!(
        "done".parse::<MaintenanceStatus>().unwrap_err().message,
        "`done` is not a maintenance status; use one of scheduled, in_progress, verifying, completed"
    );
    assert_eq!(
        "huge".parse::<Impact>().unwrap_err().message,
        "`huge` is not an impact; use one of none, minor, major, critical"
    );
    // From JSON (the app's input), an unknown word is refused before any edit.
    let json = r#"{"op": "set_component_status", "id": "api", "status": "down"}"#;
    assert!(serde_json::from_str::<StatusEdit>(json).is_err());
}

// ---- moving components ----

#[test]
fn moving_a_component_in_the_demo_moves_its_lines() {
    let files = demo_files();
    // Within a group: web after search.
    let (_, before, after) = one(&files, &move_to("web", 0, 1));
    golden("demo-move-within.yaml", &after);
    let web = "      - id: web\n        name: Website\n        description: Browsing, product pages and the cart\n        status: operational\n        links: {env: prod, workload: web}\n";
    let search = "      - id: search\n        name: Search\n        description: Product search and autocomplete\n        status: degraded_performance\n        links: {env: prod, workload: search}\n";
    assert_eq!(
        before.replacen(&format!("{web}{search}"), &format!("{search}{web}"), 1),
        after
    );
    // A line diff sees one of the two swapped items move, unchanged.
    assert_eq!(changed(&before, &after), (lines(search), lines(search)));
    // Across groups: payments into Storefront, second.
    let (_, before, after) = one(&files, &move_to("payments", 0, 1));
    golden("demo-move-across.yaml", &after);
    let payments = "      - id: payments\n        name: Payments\n        description: Card and wallet payments\n        status: operational\n        links: {env: prod, workload: payments}\n";
    assert_eq!(changed(&before, &after), (lines(payments), lines(payments)));
    let moved = save::with_changes(&files, &planned(&files, &move_to("payments", 0, 1)));
    assert_eq!(
        ids(&moved)
            .into_iter()
            .map(|(_, ids)| ids)
            .collect::<Vec<_>>(),
        [
            vec!["web", "payments", "search"],
            vec!["api"],
            vec!["notifications", "invoicing"]
        ]
    );
    // To the end of a group, and to the same place (nothing to write).
    let (_, _, after) = one(&files, &move_to("web", 2, 2));
    assert!(after.ends_with(web));
    assert!(plan(&files, &move_to("search", 0, 1), now())
        .unwrap()
        .is_empty());
}

#[test]
fn moving_a_component_keeps_its_comments_and_reindents_it() {
    let files = odd_files();
    // From a list at its key's column (dash at 4) into one with dashes at 8: every line of web,
    // its comments included, moves 4 columns right.
    let (_, before, after) = one(&files, &move_to("web", 2, 1));
    golden("odd-move-reindent.yaml", &after);
    let (removed, added) = changed(&before, &after);
    assert_eq!(removed.len(), 9, "{removed:?}"); // 8 lines and the blank line after it
    assert_eq!(added.len(), 8);
    for (r, a) in removed.iter().zip(&added) {
        assert_eq!(format!("    {r}"), *a);
    }
    assert_eq!(
        ids(&save::with_changes(
            &files,
            &planned(&files, &move_to("web", 2, 1))
        ))[2]
            .1,
        ["payments", "web", "api"]
    );

    // Out of the top-level list (left `[]`) into an empty group (`[]` becomes lines).
    let (_, _, after) = one(&files, &move_to("edge", 4, 0));
    golden("odd-move-into-empty.yaml", &after);
    // Into a group without a `components` key.
    let (_, _, after) = one(&files, &move_to("web", 5, 0));
    golden("odd-move-into-new-list.yaml", &after);
    // Out of a `[…]` list into a block list.
    let (_, _, after) = one(&files, &move_to("mail", 2, 0));
    golden("odd-move-out-of-flow.yaml", &after);
    // Up within its group, with the blank line and comments staying in place.
    let (_, _, after) = one(&files, &move_to("search", 1, 0));
    golden("odd-move-up.yaml", &after);
    // Within a `[…]` list.
    let (_, before, after) = one(&files, &move_to("sms", 3, 0));
    assert_eq!(
        changed(&before, &after),
        (
            vec!["    components: [{id: mail, name: Mail}, {id: sms, name: SMS}]\n".into()],
            vec!["    components: [{id: sms, name: SMS}, {id: mail, name: Mail}]\n".into()]
        )
    );
}

#[test]
fn moving_a_component_refuses_what_it_cannot_do() {
    let files = odd_files();
    let err = refused(&files, &move_to("cdn", 0, 0));
    check(
        &err,
        EditErrorCode::UnknownComponent,
        "components.yaml",
        0,
        "there is no component `cdn` in components.yaml",
    );
    let err = refused(&files, &move_to("web", 6, 0));
    check(
        &err,
        EditErrorCode::InvalidPosition,
        "components.yaml",
        0,
        "there is no group 6: the page has 6 (counting from 0)",
    );
    let err = refused(&files, &move_to("web", 2, 3));
    check(
        &err,
        EditErrorCode::InvalidPosition,
        "components.yaml",
        0,
        "position 3 is past the end of `Checkout`: it can take positions 0 to 2",
    );
    // A component written on several lines (or with a comment) cannot go inside `[…]`.
    for id in ["web", "edge"] {
        let err = refused(&files, &move_to(id, 3, 1));
        assert_eq!(err.code, EditErrorCode::Unsupported, "{err}");
        assert_eq!(
            err.message,
            "that group lists its components inside `[…]`, and this component is written on \
             several lines (or has comments); write the group's list as `- ` lines first"
        );
    }
    let text = &files["components.yaml"];
    assert_eq!(
        move_component(text, "web", 2, 9).unwrap_err().code,
        EditErrorCode::InvalidPosition
    );
}

// ---- new incidents ----

fn checkout_incident() -> NewIncident {
    NewIncident {
        title: "Checkout errors".into(),
        impact: Some(Impact::Major),
        components: vec![
            change("payments", ComponentStatus::PartialOutage),
            change("api", ComponentStatus::DegradedPerformance),
        ],
        body:
            "We are investigating failed payments.\r\n\r\n- cards: affected\r\n- wallets: fine\r\n"
                .into(),
        ..Default::default()
    }
}

#[test]
fn a_new_incident_is_written_in_the_page_zone() {
    let files = demo_files();
    let changes = planned(&files, &StatusEdit::NewIncident(checkout_incident()));
    assert_eq!(changes.len(), 1);
    let c = &changes[0];
    assert_eq!(c.path, "incidents/2026-11-06-checkout-errors.md");
    assert!(c.created && c.before.is_none());
    golden("demo-new-incident.md", &c.after);
    assert!(c.after.contains("started_at: 2026-11-06T13:00:00+01:00\n"));
    assert!(c.after.contains("  - at: 2026-11-06T13:00:00+01:00\n"));
    // The same through the text function, and the same every time.
    let page = load(&files).unwrap();
    let f = new_incident(&page, &checkout_incident(), now()).unwrap();
    assert_eq!(
        (f.path.as_str(), f.text.as_str()),
        (c.path.as_str(), c.after.as_str())
    );
    assert_eq!(new_incident(&page, &checkout_incident(), now()).unwrap(), f);

    // The file's date is the page's: 23:30 UTC is already tomorrow in Berlin…
    let late = new_incident(&page, &checkout_incident(), ts("2026-11-06T23:30:00Z")).unwrap();
    assert_eq!(late.path, "incidents/2026-11-07-checkout-errors.md");
    assert!(late
        .text
        .contains("started_at: 2026-11-07T00:30:00+01:00\n"));
    // …and 03:00 UTC is still yesterday in New York.
    let odd = load(&odd_files()).unwrap();
    let early = NewIncident {
        title: "Late night".into(),
        ..Default::default()
    };
    let f = new_incident(&odd, &early, ts("2026-11-07T03:00:00Z")).unwrap();
    assert_eq!(f.path, "incidents/2026-11-06-late-night.md");
    assert_eq!(
        f.text,
        "---\ntitle: Late night\nstatus: investigating\nimpact: none\nstarted_at: 2026-11-06T22:00:00-05:00\nupdates:\n  - at: 2026-11-06T22:00:00-05:00\n    status: investigating\n---\n"
    );
}

#[test]
fn a_new_incident_slug_is_unique() {
    let mut files = demo_files();
    let first = planned(&files, &StatusEdit::NewIncident(checkout_incident()));
    files = save::with_changes(&files, &first);
    let second = planned(&files, &StatusEdit::NewIncident(checkout_incident()));
    assert_eq!(second[0].path, "incidents/2026-11-06-checkout-errors-2.md");
    files = save::with_changes(&files, &second);
    let third = planned(&files, &StatusEdit::NewIncident(checkout_incident()));
    assert_eq!(third[0].path, "incidents/2026-11-06-checkout-errors-3.md");

    assert_eq!(slug_from_title("Checkout errors"), "checkout-errors");
    assert_eq!(
        slug_from_title("  API: 5xx — élevé & Straße!! "),
        "api-5xx-eleve-strasse"
    );
    assert_eq!(slug_from_title("数据库"), "");
    assert_eq!(
        slug_from_title(&"word ".repeat(20)),
        "word-word-word-word-word-word-word-word-word-word-word-word"
    );
    let page = load(&demo_files()).unwrap();
    let f = new_incident(
        &page,
        &NewIncident {
            title: "数据库".into(),
            ..Default::default()
        },
        now(),
    )
    .unwrap();
    assert_eq!(f.path, "incidents/2026-11-06-incident.md");
    assert!(f.text.starts_with("---\ntitle: 数据库\n"));
}

#[test]
fn a_new_incident_from_a_template_takes_its_values() {
    let files = odd_files();
    let from_template = NewIncident {
        template: Some("psp-outage".into()),
        ..Default::default()
    };
    let (path, _, after) = one(&files, &StatusEdit::NewIncident(from_template));
    assert_eq!(path, "incidents/2026-11-06-card-payments-failing.md");
    golden("odd-new-incident-from-template.md", &after);
    // What the form fills in wins over the template.
    let own = NewIncident {
        template: Some("psp-outage".into()),
        title: "Cards declined: \"PSP\" down".into(),
        status: Some(IncidentStatus::Investigating),
        body: "Checking.".into(),
        ..Default::default()
    };
    let (path, _, after) = one(&files, &StatusEdit::NewIncident(own));
    assert_eq!(path, "incidents/2026-11-06-cards-declined-psp-down.md");
    assert_eq!(
        after,
        "---\ntitle: \"Cards declined: \\\"PSP\\\" down\"\nstatus: investigating\nimpact: critical\nstarted_at: 2026-11-06T07:00:00-05:00\ncomponents:\n  payments: major_outage\nupdates:\n  - at: 2026-11-06T07:00:00-05:00\n    status: investigating\n    body: Checking.\n    components: {payments: major_outage}\n---\n"
    );
    // Recorded after the fact: started earlier, already resolved.
    let past = NewIncident {
        title: "Short blip".into(),
        status: Some(IncidentStatus::Resolved),
        started_at: Some("2026-11-06T06:40:00-05:00".into()),
        ..Default::default()
    };
    let (_, _, after) = one(&files, &StatusEdit::NewIncident(past));
    assert_eq!(
        after,
        "---\ntitle: Short blip\nstatus: resolved\nimpact: none\nstarted_at: 2026-11-06T06:40:00-05:00\nresolved_at: 2026-11-06T07:00:00-05:00\nupdates:\n  - at: 2026-11-06T07:00:00-05:00\n    status: resolved\n---\n"
    );
}

#[test]
fn a_new_incident_refuses_bad_input() {
    let files = demo_files();
    let new = |f: fn(&mut NewIncident)| {
        let mut i = checkout_incident();
        f(&mut i);
        StatusEdit::NewIncident(i)
    };
    let err = refused(
        &files,
        &new(|i| {
            i.components
                .push(change("checkout", ComponentStatus::MajorOutage))
        }),
    );
    check(
        &err,
        EditErrorCode::UnknownComponent,
        "incidents",
        0,
        "there is no component `checkout` in components.yaml",
    );
    let err = refused(&files, &new(|i| i.template = Some("nope".into())));
    check(
        &err,
        EditErrorCode::UnknownTemplate,
        "templates/nope.md",
        0,
        "there is no template `nope` in templates/",
    );
    let err = refused(&files, &new(|i| i.title = "  ".into()));
    check(
        &err,
        EditErrorCode::InvalidValue,
        "incidents",
        0,
        "the incident needs a title",
    );
    let err = refused(
        &files,
        &new(|i| {
            i.components
                .push(change("api", ComponentStatus::MajorOutage))
        }),
    );
    check(
        &err,
        EditErrorCode::InvalidValue,
        "incidents",
        0,
        "the component `api` is named twice",
    );
    let err = refused(
        &files,
        &new(|i| i.started_at = Some("2026-11-06T14:00:00+01:00".into())),
    );
    check(
        &err,
        EditErrorCode::InvalidTime,
        "incidents",
        0,
        "started_at `2026-11-06T14:00:00+01:00` is later than now; an incident starts now or earlier",
    );
    let err = refused(&files, &new(|i| i.started_at = Some("yesterday".into())));
    check(
        &err,
        EditErrorCode::InvalidTime,
        "incidents",
        0,
        "started_at `yesterday` is not an RFC 3339 time with an offset, e.g. 2026-11-06T13:00:00+01:00",
    );
}

// ---- incident updates ----

const SEARCH: &str = "2026-11-05-search-indexing";

fn update(slug: &str, status: IncidentStatus, body: &str, c: &[ComponentChange]) -> StatusEdit {
    StatusEdit::AddIncidentUpdate {
        slug: slug.into(),
        at: None,
        status,
        body: body.into(),
        components: c.to_vec(),
    }
}

#[test]
fn an_update_is_appended_like_the_last_one() {
    let files = demo_files();
    let e = update(
        SEARCH,
        IncidentStatus::Resolved,
        "Indexing is back under one minute.\n\nThe extra indexer stays.",
        &[change("search", ComponentStatus::Operational)],
    );
    let (path, before, after) = one(&files, &e);
    assert_eq!(path, format!("incidents/{SEARCH}.md"));
    golden("demo-incident-update.md", &after);
    assert_eq!(
        changed(&before, &after),
        (
            vec!["status: monitoring\n".into()],
            lines(
                "status: resolved\nresolved_at: 2026-11-06T13:00:00+01:00\n  - at: 2026-11-06T13:00:00+01:00\n    status: resolved\n    body: |-\n      Indexing is back under one minute.\n\n      The extra indexer stays.\n    components: {search: operational}\n"
            )
        )
    );
    // The text function, given the moment in the page's zone, writes the same.
    let text = &files[&path];
    let input = UpdateInput {
        status: IncidentStatus::Resolved,
        body: "Indexing is back under one minute.\n\nThe extra indexer stays.".into(),
        components: vec![change("search", ComponentStatus::Operational)],
    };
    assert_eq!(
        add_incident_update(&path, text, &berlin(NOW), &input).unwrap(),
        after
    );

    // In the odd incident: quoted times stay quoted, the key order and the block
    // `components` of the last update are copied, the comment inside the last update stays in
    // it, the blank line and the comment before `---` stay after the new update.
    let odd = odd_files();
    let e = update(
        "2026-10-20-slow-pay-button",
        IncidentStatus::Monitoring,
        "A fix is live: payments recover.",
        &[change("payments", ComponentStatus::DegradedPerformance)],
    );
    let (_, before, after) = one(&odd, &e);
    golden("odd-incident-update.md", &after);
    assert_eq!(
        changed(&before, &after),
        (
            vec!["status: identified\n".into()],
            lines(
                "status: monitoring\n- at: \"2026-11-06T07:00:00-05:00\"\n  body: \"A fix is live: payments recover.\"\n  status: monitoring\n  components:\n      payments: degraded_performance\n"
            )
        )
    );
}

#[test]
fn an_update_keeps_crlf_line_breaks() {
    let files = demo_files();
    let path = format!("incidents/{SEARCH}.md");
    let mut crlf = files.clone();
    crlf.insert(path.clone(), files[&path].replace('\n', "\r\n"));
    let e = update(
        SEARCH,
        IncidentStatus::Monitoring,
        "Still watching.\nDelay: 2 minutes.",
        &[],
    );
    let (_, _, lf) = one(&files, &e);
    let (_, _, after) = one(&crlf, &e);
    assert_eq!(after, lf.replace('\n', "\r\n"));
}

#[test]
fn reopening_and_missing_updates() {
    // A resolved incident reopened: resolved_at goes, the postmortem stays.
    let files = demo_files();
    let e = StatusEdit::AddIncidentUpdate {
        slug: "2026-10-16-api-errors".into(),
        at: Some("2026-10-16T11:00:00+02:00".into()),
        status: IncidentStatus::Identified,
        body: "Errors are back.".into(),
        components: vec![change("api", ComponentStatus::PartialOutage)],
    };
    let (_, before, after) = one(&files, &e);
    assert_eq!(
        changed(&before, &after),
        (
            lines("status: resolved\nresolved_at: 2026-10-16T10:41:00+02:00\n"),
            lines("status: identified\n  - at: 2026-10-16T11:00:00+02:00\n    status: identified\n    body: Errors are back.\n    components: {api: partial_outage}\n")
        )
    );

    // Without `updates`, or with `updates: []`, the list is written under the key.
    let without = "---\ntitle: Slow API # short\nstatus: investigating\nstarted_at: 2026-10-16T09:12:00Z\n---\n";
    let empty = "---\ntitle: Slow API\nstatus: investigating\nstarted_at: 2026-10-16T09:12:00Z\nupdates: []   # none yet\n---\n";
    for (text, expected) in [
        (
            without,
            "---\ntitle: Slow API # short\nstatus: identified\nstarted_at: 2026-10-16T09:12:00Z\nupdates:\n  - at: 2026-10-16T10:00:00+00:00\n    status: identified\n    body: Found it.\n---\n",
        ),
        (
            empty,
            "---\ntitle: Slow API\nstatus: identified\nstarted_at: 2026-10-16T09:12:00Z\nupdates:   # none yet\n  - at: 2026-10-16T10:00:00+00:00\n    status: identified\n    body: Found it.\n---\n",
        ),
    ] {
        let files = page_with(&[("incidents/slow.md", text)]);
        let e = StatusEdit::AddIncidentUpdate {
            slug: "slow".into(),
            at: Some("2026-10-16T10:00:00Z".into()),
            status: IncidentStatus::Identified,
            body: "Found it.".into(),
            components: vec![],
        };
        let (_, _, after) = one(&files, &e);
        assert_eq!(after, expected);
    }
}

#[test]
fn an_update_refuses_bad_input() {
    let files = demo_files();
    let at = |at: &str| StatusEdit::AddIncidentUpdate {
        slug: SEARCH.into(),
        at: Some(at.into()),
        status: IncidentStatus::Identified,
        body: "x".into(),
        components: vec![],
    };
    let path = format!("incidents/{SEARCH}.md");
    let err = refused(&files, &at("2026-11-05T14:00:00+01:00"));
    check(
        &err,
        EditErrorCode::UpdateBeforeStart,
        &path,
        5,
        "this update (2026-11-05T14:00:00+01:00) is dated before the incident started (2026-11-05T14:20:00+01:00); date it later",
    );
    assert_eq!(err.column, 13);
    let err = refused(&files, &at("2026-11-05T16:00:00+01:00"));
    check(
        &err,
        EditErrorCode::UpdateBeforePrevious,
        &path,
        17,
        "this update (2026-11-05T16:00:00+01:00) is dated before the latest update (2026-11-05T16:30:00+01:00); updates are added in order",
    );
    assert_eq!(err.to_string(), format!("{path}:17:9: {}", err.message));
    let err = refused(&files, &at("soon"));
    check(
        &err,
        EditErrorCode::InvalidTime,
        "",
        0,
        "`soon` is not an RFC 3339 time with an offset, e.g. 2026-11-06T13:00:00+01:00",
    );
    let err = refused(
        &files,
        &update(
            SEARCH,
            IncidentStatus::Monitoring,
            "",
            &[change("checkout", ComponentStatus::Operational)],
        ),
    );
    // Found by loading the result with the other files: located in the result.
    check(
        &err,
        EditErrorCode::UnknownComponent,
        &path,
        23,
        "there is no component `checkout` in components.yaml; nothing was written",
    );
    assert_eq!(err.column, 18);
    assert_eq!(err.problems.len(), 1);
    let err = refused(
        &files,
        &update(
            SEARCH,
            IncidentStatus::Monitoring,
            "",
            &[
                change("search", ComponentStatus::Operational),
                change("search", ComponentStatus::MajorOutage),
            ],
        ),
    );
    check(
        &err,
        EditErrorCode::InvalidValue,
        &path,
        0,
        "the component `search` is named twice",
    );
    let err = refused(
        &files,
        &update("2026-01-01-nothing", IncidentStatus::Monitoring, "", &[]),
    );
    check(
        &err,
        EditErrorCode::UnknownIncident,
        "incidents/2026-01-01-nothing.md",
        0,
        "there is no incident `2026-01-01-nothing` (incidents/2026-01-01-nothing.md)",
    );
}

// ---- resolve and postmortem ----

#[test]
fn resolving_brings_every_component_back() {
    let files = demo_files();
    let e = StatusEdit::ResolveIncident {
        slug: SEARCH.into(),
        at: None,
        body: None,
    };
    let (_, before, after) = one(&files, &e);
    golden("demo-incident-resolve.md", &after);
    assert!(after.contains(
        "  - at: 2026-11-06T13:00:00+01:00\n    status: resolved\n    body: This incident has been resolved.\n    components: {search: operational}\n---\n"
    ));
    let path = format!("incidents/{SEARCH}.md");
    assert_eq!(
        resolve_incident(&path, &before, &berlin(NOW), Some("  ")).unwrap(),
        after
    );
    // Resolved: the page shows search operational again (components.yaml says degraded).
    let model = load(&save::with_changes(&files, &planned(&files, &e))).unwrap();
    let incident = model.incidents.iter().find(|i| i.slug == SEARCH).unwrap();
    assert_eq!(incident.resolved_at, Some(now()));
    assert_eq!(incident.status, IncidentStatus::Resolved);

    let err = refused(
        &files,
        &StatusEdit::ResolveIncident {
            slug: "2026-10-27-card-payments".into(),
            at: None,
            body: None,
        },
    );
    check(
        &err,
        EditErrorCode::InvalidTransition,
        "incidents/2026-10-27-card-payments.md",
        3,
        "the incident is already postmortem; add an update to reopen it",
    );
}

#[test]
fn a_postmortem_replaces_the_body_only() {
    let files = demo_files();
    let markdown = "## Summary\r\n\r\nThe pool was too small.   \r\n";
    let e = StatusEdit::SetPostmortem {
        slug: "2026-10-16-api-errors".into(),
        markdown: markdown.into(),
    };
    let (path, before, after) = one(&files, &e);
    golden("demo-postmortem.md", &after);
    let head = before.split("---\n## What happened").next().unwrap();
    assert_eq!(
        after,
        format!(
            "{}---\n## Summary\n\nThe pool was too small.\n",
            head.replacen("status: resolved", "status: postmortem", 1)
        )
    );
    assert_eq!(set_postmortem(&path, &before, markdown).unwrap(), after);

    // An open incident without a body gets one; its status stays.
    let (_, before, after) = one(
        &files,
        &StatusEdit::SetPostmortem {
            slug: SEARCH.into(),
            markdown: "Notes so far.".into(),
        },
    );
    assert_eq!(after, format!("{before}Notes so far.\n"));
    // In the odd incident: only the text after `---` changes; empty Markdown removes it.
    let odd = odd_files();
    let (_, before, after) = one(
        &odd,
        &StatusEdit::SetPostmortem {
            slug: "2026-10-20-slow-pay-button".into(),
            markdown: String::new(),
        },
    );
    assert_eq!(after, before.replace("\nNotes kept by the team.\n", ""));
}

// ---- maintenances ----

fn switch_maintenance() -> NewMaintenance {
    NewMaintenance {
        title: "Network switch replacement".into(),
        impact: Some(Impact::Minor),
        components: vec!["web".into(), "search".into()],
        scheduled_for: "2026-12-10T22:00".into(),
        scheduled_until: "2026-12-10T23:30".into(),
        time_zone: Some("Europe/London".into()),
        body: "We replace a core switch in the London data centre.".into(),
        description: "Expect two short interruptions of under a minute.".into(),
    }
}

#[test]
fn a_new_maintenance_is_written_in_its_zone() {
    let files = demo_files();
    let (path, _, after) = one(&files, &StatusEdit::NewMaintenance(switch_maintenance()));
    // 22:00 in London is 23:00 in Berlin: the page's date.
    assert_eq!(
        path,
        "maintenances/2026-12-10-network-switch-replacement.md"
    );
    golden("demo-new-maintenance.md", &after);
    let page = load(&files).unwrap();
    let f = new_maintenance(&page, &switch_maintenance(), now()).unwrap();
    assert_eq!(f.text, after);
    // Planned in the page's zone: no `time_zone:`; a window that crosses midnight in London is
    // dated by the page's zone.
    let local = NewMaintenance {
        time_zone: None,
        scheduled_for: "2026-12-11T00:30".into(),
        scheduled_until: "2026-12-11T01:00".into(),
        body: String::new(),
        description: String::new(),
        ..switch_maintenance()
    };
    let f = new_maintenance(&page, &local, now()).unwrap();
    assert_eq!(
        f.path,
        "maintenances/2026-12-11-network-switch-replacement.md"
    );
    assert_eq!(
        f.text,
        "---\ntitle: Network switch replacement\nstatus: scheduled\nimpact: minor\nscheduled_for: 2026-12-11T00:30:00+01:00\nscheduled_until: 2026-12-11T01:00:00+01:00\ncomponents:\n  web: under_maintenance\n  search: under_maintenance\nupdates:\n  - at: 2026-11-06T13:00:00+01:00\n    status: scheduled\n---\n"
    );
    // Back to back with the demo's database upgrade (02:00–03:00 Berlin) is fine.
    let after_upgrade = NewMaintenance {
        components: vec!["api".into()],
        time_zone: Some("Europe/Berlin".into()),
        scheduled_for: "2026-12-03T03:00".into(),
        scheduled_until: "2026-12-03T04:00".into(),
        ..switch_maintenance()
    };
    let (path, _, after) = one(&files, &StatusEdit::NewMaintenance(after_upgrade));
    assert_eq!(
        path,
        "maintenances/2026-12-03-network-switch-replacement.md"
    );
    assert!(!after.contains("time_zone:"));
    // An instant with an offset is taken as it is.
    let instant = NewMaintenance {
        scheduled_for: "2026-12-10T22:00:00Z".into(),
        scheduled_until: "2026-12-10T23:30:00+00:00".into(),
        ..switch_maintenance()
    };
    assert_eq!(
        new_maintenance(&page, &instant, now()).unwrap().text,
        after_text_london()
    );
}

fn after_text_london() -> String {
    let page = load(&demo_files()).unwrap();
    new_maintenance(&page, &switch_maintenance(), now())
        .unwrap()
        .text
}

#[test]
fn a_new_maintenance_refuses_bad_windows_and_zones() {
    let files = demo_files();
    let new = |f: fn(&mut NewMaintenance)| {
        let mut m = switch_maintenance();
        f(&mut m);
        StatusEdit::NewMaintenance(m)
    };
    let err = refused(
        &files,
        &new(|m| m.scheduled_until = "2026-12-10T21:00".into()),
    );
    check(
        &err,
        EditErrorCode::InvalidTime,
        "maintenances",
        0,
        "the maintenance must end after it starts: 2026-12-10T21:00:00+00:00 is not after 2026-12-10T22:00:00+00:00",
    );
    let err = refused(
        &files,
        &new(|m| m.scheduled_until = "2026-12-10T22:00".into()),
    );
    assert_eq!(err.code, EditErrorCode::InvalidTime);
    let err = refused(
        &files,
        &new(|m| m.time_zone = Some("Europe/Atlantis".into())),
    );
    check(
        &err,
        EditErrorCode::InvalidTimeZone,
        "maintenances",
        0,
        "`Europe/Atlantis` is not an IANA time zone; write one such as Europe/Berlin, America/New_York or UTC",
    );
    let err = refused(
        &files,
        &new(|m| {
            m.time_zone = Some("Europe/Berlin".into());
            m.components = vec!["invoicing".into()];
            m.scheduled_for = "2026-12-03T02:30".into();
            m.scheduled_until = "2026-12-03T04:00".into();
        }),
    );
    check(
        &err,
        EditErrorCode::OverlappingMaintenance,
        "maintenances/2026-12-03-database-upgrade.md",
        0,
        "the window 2026-12-03T02:30:00+01:00 to 2026-12-03T04:00:00+01:00 overlaps the maintenance `2026-12-03-database-upgrade` (2026-12-03T02:00:00+01:00 to 2026-12-03T03:00:00+01:00) of component `invoicing`; a component has one maintenance at a time",
    );
    let err = refused(
        &files,
        &new(|m| {
            m.time_zone = Some("Europe/Berlin".into());
            m.scheduled_for = "2027-03-28T02:30".into();
            m.scheduled_until = "2027-03-28T04:00".into();
        }),
    );
    check(
        &err,
        EditErrorCode::InvalidTime,
        "maintenances",
        0,
        "scheduled_for `2027-03-28T02:30` does not exist in Europe/Berlin: the clocks go forward over it",
    );
    let err = refused(&files, &new(|m| m.scheduled_for = "10 Dec, 22:00".into()));
    check(
        &err,
        EditErrorCode::InvalidTime,
        "maintenances",
        0,
        "scheduled_for `10 Dec, 22:00` is not a local date and time such as 2026-12-03T22:00",
    );
    let err = refused(&files, &new(|m| m.components.push("dns".into())));
    check(
        &err,
        EditErrorCode::UnknownComponent,
        "maintenances",
        0,
        "there is no component `dns` in components.yaml",
    );
    let err = refused(&files, &new(|m| m.title.clear()));
    check(
        &err,
        EditErrorCode::InvalidValue,
        "maintenances",
        0,
        "the maintenance needs a title",
    );
}

#[test]
fn a_maintenance_starts_and_completes() {
    let files = demo_files();
    let slug = "2026-12-03-database-upgrade";
    let start = StatusEdit::StartMaintenance {
        slug: slug.into(),
        at: Some("2026-12-03T02:00:00+01:00".into()),
        body: None,
    };
    let (path, before, started) = one(&files, &start);
    golden("demo-maintenance-start.md", &started);
    assert_eq!(
        changed(&before, &started),
        (
            lines("status: scheduled\n"),
            lines("status: in_progress\n  - at: 2026-12-03T02:00:00+01:00\n    status: in_progress\n    body: The scheduled maintenance is in progress.\n    components: {invoicing: under_maintenance, api: under_maintenance}\n")
        )
    );
    assert_eq!(
        start_maintenance(&path, &before, &berlin("2026-12-03T01:00:00Z"), None).unwrap(),
        started
    );
    let files = save::with_changes(&files, &planned(&files, &start));
    let complete = StatusEdit::CompleteMaintenance {
        slug: slug.into(),
        at: Some("2026-12-03T02:40:00+01:00".into()),
        body: Some("Done: PostgreSQL 17 is live.".into()),
    };
    let (_, _, completed) = one(&files, &complete);
    golden("demo-maintenance-complete.md", &completed);
    assert_eq!(
        complete_maintenance(
            &path,
            &started,
            &berlin("2026-12-03T01:40:00Z"),
            Some("Done: PostgreSQL 17 is live.")
        )
        .unwrap(),
        completed
    );
    let model = load(&save::with_changes(&files, &planned(&files, &complete))).unwrap();
    assert_eq!(model.maintenances[0].status, MaintenanceStatus::Completed);

    // Refusals: starting twice, completing twice, an update before the latest.
    let err = refused(&files, &start);
    check(
        &err,
        EditErrorCode::InvalidTransition,
        &path,
        3,
        "the maintenance is in progress; it cannot become in progress",
    );
    let done = save::with_changes(&files, &planned(&files, &complete));
    let err = refused(&done, &complete);
    check(
        &err,
        EditErrorCode::InvalidTransition,
        &path,
        3,
        "the maintenance is completed; it cannot become completed",
    );
    let err = refused(
        &files,
        &StatusEdit::CompleteMaintenance {
            slug: slug.into(),
            at: Some("2026-12-03T01:59:00+01:00".into()),
            body: None,
        },
    );
    check(
        &err,
        EditErrorCode::UpdateBeforePrevious,
        &path,
        14,
        "this update (2026-12-03T01:59:00+01:00) is dated before the latest update (2026-12-03T02:00:00+01:00); updates are added in order",
    );
    let err = refused(
        &files,
        &StatusEdit::StartMaintenance {
            slug: "2026-12-24-nothing".into(),
            at: None,
            body: None,
        },
    );
    assert_eq!(err.code, EditErrorCode::UnknownMaintenance);
}

#[test]
fn a_maintenance_with_a_flow_list_of_updates_gets_one_more_item() {
    let files = odd_files();
    let (_, before, after) = one(
        &files,
        &StatusEdit::StartMaintenance {
            slug: "2026-12-01-router-firmware".into(),
            at: Some("2026-12-01T01:00:00-05:00".into()),
            body: Some("Started: expect a blip.".into()),
        },
    );
    assert_eq!(
        changed(&before, &after),
        (
            lines("status: scheduled\nupdates: [{at: 2026-11-01T09:00:00-04:00, status: scheduled, body: Planned.}]   # one line\n"),
            lines("status: in_progress\nupdates: [{at: 2026-11-01T09:00:00-04:00, status: scheduled, body: Planned.}, {at: 2026-12-01T01:00:00-05:00, status: in_progress, body: \"Started: expect a blip.\", components: {edge: under_maintenance, web: under_maintenance}}]   # one line\n")
        )
    );
}

// ---- the folder: checks with other files, and writing ----

#[test]
fn edits_of_a_folder_with_errors_elsewhere() {
    let mut files = demo_files();
    files.insert(
        "incidents/2026-11-01-broken.md".into(),
        "---\ntitle: Broken\nstatus: fixed\nstarted_at: 2026-11-01T10:00:00Z\n---\n".into(),
    );
    // A component's status can still be set: it adds no problem.
    let changes = plan(
        &files,
        &set_status("api", ComponentStatus::MajorOutage),
        now(),
    )
    .unwrap();
    assert_eq!(changes.len(), 1);
    // An update too (it needs only page.yaml).
    assert_eq!(
        plan(
            &files,
            &update(SEARCH, IncidentStatus::Monitoring, "x", &[]),
            now()
        )
        .unwrap()
        .len(),
        1
    );
    // A new incident needs the whole page.
    let err = refused(&files, &StatusEdit::NewIncident(checkout_incident()));
    assert_eq!(err.code, EditErrorCode::StatusInvalid);
    assert_eq!(err.file, "incidents/2026-11-01-broken.md");
    assert_eq!((err.line, err.column), (3, 9));
    assert_eq!(err.problems.len(), 1);
    // An edit of the broken file itself is refused, located.
    let err = refused(
        &files,
        &update("2026-11-01-broken", IncidentStatus::Monitoring, "x", &[]),
    );
    assert_eq!(err.code, EditErrorCode::InvalidFile);
    assert_eq!((err.line, err.column), (3, 9));
    assert!(err.message.starts_with(
        "incidents/2026-11-01-broken.md has errors (`fixed` is not an incident status"
    ));
    let json = serde_json::to_value(&err).unwrap();
    assert_eq!(json["code"], "invalid_file");
    assert_eq!(json["problems"][0]["code"], "unknown_status");
    let named = err.in_folder("status");
    assert_eq!(named.file, "status/incidents/2026-11-01-broken.md");
    assert_eq!(
        named.problems[0].file,
        "status/incidents/2026-11-01-broken.md"
    );
}

#[test]
fn apply_writes_atomically_and_only_over_unchanged_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("page.yaml"), PAGE).unwrap();
    std::fs::write(root.join("components.yaml"), COMPONENTS).unwrap();
    let files = wheelhouse_status::fs::read_folder(root).unwrap();

    // A new incident: the folder `incidents/` is created.
    let changes = plan(
        &files,
        &StatusEdit::NewIncident(NewIncident {
            title: "API down".into(),
            components: vec![change("api", ComponentStatus::MajorOutage)],
            ..Default::default()
        }),
        now(),
    )
    .unwrap();
    apply(root, &changes).unwrap();
    let written = std::fs::read_to_string(root.join("incidents/2026-11-06-api-down.md")).unwrap();
    assert_eq!(written, changes[0].after);
    // Applying the same plan again: the file exists now, nothing is written.
    let err = apply(root, &changes).unwrap_err();
    assert_eq!(err.code, EditErrorCode::FileChanged);
    assert_eq!(err.file, "incidents/2026-11-06-api-down.md");

    // Two changes, one planned from stale text: nothing is written.
    let files = wheelhouse_status::fs::read_folder(root).unwrap();
    let status = plan(
        &files,
        &set_status("web", ComponentStatus::PartialOutage),
        now(),
    )
    .unwrap();
    let resolve = plan(
        &files,
        &StatusEdit::ResolveIncident {
            slug: "2026-11-06-api-down".into(),
            at: None,
            body: None,
        },
        now(),
    )
    .unwrap();
    std::fs::write(
        root.join("components.yaml"),
        format!("{COMPONENTS}# edited\n"),
    )
    .unwrap();
    let both: Vec<FileChange> = resolve.iter().chain(&status).cloned().collect();
    let err = apply(root, &both).unwrap_err();
    check(
        &err,
        EditErrorCode::FileChanged,
        "components.yaml",
        0,
        "this file changed on disk since it was read; nothing was written. Look at the new content and try again",
    );
    assert_eq!(
        std::fs::read_to_string(root.join("incidents/2026-11-06-api-down.md")).unwrap(),
        written
    );
    // Paths that leave the folder are refused.
    let escape = FileChange::new("../outside.md", None, "x".into());
    assert_eq!(
        apply(root, &[escape]).unwrap_err().code,
        EditErrorCode::InvalidValue
    );
    assert!(!root.parent().unwrap().join("outside.md").exists());
    // `save` reads, plans and writes in one go; paths in the repository with `in_folder`.
    let saved = save::save(
        root,
        &StatusEdit::ResolveIncident {
            slug: "2026-11-06-api-down".into(),
            at: None,
            body: None,
        },
        now(),
    )
    .unwrap();
    assert_eq!(
        std::fs::read_to_string(root.join("incidents/2026-11-06-api-down.md")).unwrap(),
        saved[0].after
    );
    let named = saved[0].clone().in_folder("status/");
    assert_eq!(named.path, "status/incidents/2026-11-06-api-down.md");
    assert!(named
        .diff
        .starts_with("--- a/status/incidents/2026-11-06-api-down.md\n"));
    let json = serde_json::to_value(&named).unwrap();
    assert_eq!(
        json.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["created", "diff", "path"]
    );
}

#[test]
fn edits_are_deterministic_and_inputs_come_from_json() {
    let files = demo_files();
    let json = r###"[
        {"op": "set_component_status", "id": "search", "status": "operational"},
        {"op": "move_component", "id": "api", "group": 0, "position": 0},
        {"op": "new_incident", "title": "Checkout errors", "impact": "major",
         "components": [{"id": "payments", "status": "partial_outage"}], "body": "Looking."},
        {"op": "add_incident_update", "slug": "2026-11-05-search-indexing", "status": "resolved",
         "components": [{"id": "search", "status": "operational"}]},
        {"op": "resolve_incident", "slug": "2026-11-05-search-indexing"},
        {"op": "set_postmortem", "slug": "2026-10-16-api-errors", "markdown": "## Why"},
        {"op": "new_maintenance", "title": "Switch", "components": ["web"],
         "scheduled_for": "2026-12-10T22:00", "scheduled_until": "2026-12-10T23:00",
         "time_zone": "Europe/London"},
        {"op": "start_maintenance", "slug": "2026-12-03-database-upgrade",
         "at": "2026-12-03T02:00:00+01:00"},
        {"op": "complete_maintenance", "slug": "2026-12-03-database-upgrade",
         "at": "2026-12-03T02:00:00+01:00"}
    ]"###;
    let edits: Vec<StatusEdit> = serde_json::from_str(json).unwrap();
    for e in &edits {
        let first = planned(&files, e);
        let second = plan(&files, e, now()).unwrap();
        assert_eq!(first, second, "{e:?}");
        assert_eq!(first.len(), 1, "{e:?}");
        // Round trip: what the app sends back is what it got.
        let again: StatusEdit = serde_json::from_value(serde_json::to_value(e).unwrap()).unwrap();
        assert_eq!(&again, e);
    }
}

#[test]
fn a_clock_with_nanoseconds_is_written_to_the_second() {
    let files = demo_files();
    let clock = ts("2026-11-06T12:00:00.987654321Z");
    let edits = [
        StatusEdit::NewIncident(checkout_incident()),
        update(SEARCH, IncidentStatus::Monitoring, "Still watching.", &[]),
        StatusEdit::NewMaintenance(switch_maintenance()),
        StatusEdit::StartMaintenance {
            slug: "2026-12-03-database-upgrade".into(),
            at: Some("2026-12-03T02:00:00.5+01:00".into()),
            body: None,
        },
    ];
    for e in &edits {
        let changes = plan(&files, e, clock).unwrap_or_else(|err| panic!("{e:?}: {err}"));
        let text = &changes[0].after;
        assert!(!text.contains(".98") && !text.contains(".5+"), "{text}");
        assert!(
            text.contains("at: 2026-11-06T13:00:00+01:00\n")
                || text.contains("at: 2026-12-03T02:00:00+01:00\n"),
            "{text}"
        );
    }
}

/// Every component to every place of every group: the move is written and reads back as asked
/// (the plan checks it), or it is refused for a reason, never as a failed read-back.
#[test]
fn every_move_reads_back_or_is_refused_with_a_reason() {
    let crlf: BTreeMap<String, String> = odd_files()
        .into_iter()
        .map(|(p, t)| (p, t.replace('\n', "\r\n")))
        .collect();
    for files in [demo_files(), odd_files(), crlf] {
        let model = load(&files).unwrap();
        let ids: Vec<String> = model.components().map(|c| c.id.clone()).collect();
        for id in &ids {
            for (g, group) in model.groups.iter().enumerate() {
                let own = group.components.iter().any(|c| c.id == *id);
                let places = group.components.len() + usize::from(!own);
                for position in 0..places {
                    match plan(&files, &move_to(id, g, position), now()) {
                        Ok(changes) => {
                            let after = save::with_changes(&files, &changes);
                            if files["components.yaml"].contains("\r\n") {
                                // CRLF stays CRLF, new lines included.
                                let text = &after["components.yaml"];
                                assert!(!text.replace("\r\n", "").contains('\n'), "{text:?}");
                            }
                            let moved = load(&after).unwrap_or_else(|e| panic!("{e:#?}"));
                            let target =
                                moved.groups.iter().find(|x| x.name == group.name).unwrap();
                            assert_eq!(target.components[position].id, *id);
                        }
                        Err(e) => assert_eq!(
                            e.code,
                            EditErrorCode::Unsupported,
                            "{id} → {g}/{position}: {e}"
                        ),
                    }
                }
            }
        }
        for id in &ids {
            for status in ComponentStatus::ALL {
                let changes = plan(&files, &set_status(id, status), now())
                    .unwrap_or_else(|e| panic!("{id} {status:?}: {e}"));
                let after = save::with_changes(&files, &changes);
                assert!(
                    !after["components.yaml"].replace("\r\n", "").contains('\n')
                        || !files["components.yaml"].contains("\r\n")
                );
                let after = load(&after).unwrap();
                assert_eq!(after.component(id).unwrap().status, status);
            }
        }
    }
}
