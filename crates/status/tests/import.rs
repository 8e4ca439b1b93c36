//! Imports from cState and Upptime: the fixtures (modelled on each tool's real files) give the
//! golden status files byte for byte, the result loads and exports, the notes say what was left
//! out, and hostile input (escaping paths, links, markup) goes nowhere it should not.
//!
//! `UPDATE_GOLDEN=1 cargo test -p wheelhouse-status --test import` rewrites the golden files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use wheelhouse_status::import::{self, FileAction, Import, ImportError, Source};
use wheelhouse_status::{ComponentStatus, Impact, IncidentStatus, StatusPage};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn ts(s: &str) -> jiff::Timestamp {
    s.parse().unwrap()
}

/// Imports a fixture folder from disk and checks it against `<source>.expected/` and
/// `<source>.notes.txt`.
fn golden(source: Source) -> (Import, StatusPage) {
    let files = import::read_source(source, &fixtures().join(source.as_str())).unwrap();
    let imported = import::import(source, &files).unwrap();
    let expected_dir = fixtures().join(format!("{}.expected", source.as_str()));
    let notes_file = fixtures().join(format!("{}.notes.txt", source.as_str()));
    let notes: String = imported.notes.iter().map(|n| format!("{n}\n")).collect();

    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let _ = std::fs::remove_dir_all(&expected_dir);
        for (path, text) in &imported.files {
            let target = expected_dir.join(path);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(target, text).unwrap();
        }
        std::fs::write(&notes_file, &notes).unwrap();
    }

    let expected = read_tree(&expected_dir);
    assert_eq!(
        imported.files.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "the files written"
    );
    for (path, text) in &imported.files {
        assert_eq!(text, &expected[path], "{path} differs from the golden file");
    }
    assert_eq!(
        notes,
        std::fs::read_to_string(&notes_file).unwrap(),
        "the notes"
    );

    // Pure: the same input gives the same output.
    let again = import::import(source, &files).unwrap();
    assert_eq!(again.files, imported.files);

    let model = wheelhouse_status::load(&imported.files)
        .unwrap_or_else(|e| panic!("the import loads: {e:#?}"));
    (imported, model)
}

fn read_tree(dir: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn cstate_site_becomes_the_golden_status_files() {
    let (imported, model) = golden(Source::Cstate);
    assert_eq!(model.page.name, "Eggsample Status");
    assert_eq!(
        model.page.url.as_deref(),
        Some("https://status.eggsample.example")
    );
    assert_eq!(model.page.locale, "en-us");

    // Untitled category first without a heading, then the categories in order, then the
    // system whose category is not defined.
    let groups: Vec<(Option<&str>, Vec<&str>)> = model
        .groups
        .iter()
        .map(|g| {
            (
                g.name.as_deref(),
                g.components.iter().map(|c| c.id.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        vec![
            (None, vec!["website", "api", "media-proxy"]),
            (Some("North Coast"), vec!["gateway", "backup-gateway"]),
            (Some("Old Stuff"), vec!["legacy-mail"]),
        ]
    );
    assert_eq!(model.component("media-proxy").unwrap().name, "Media CDN");
    assert_eq!(imported.components, 6);
    assert_eq!(imported.incidents, 8);

    let incident = |slug: &str| model.incidents.iter().find(|i| i.slug == slug).unwrap();
    let us_east = incident("2018-05-25-us-east-conn-issues");
    assert_eq!(us_east.impact, Impact::Major);
    assert_eq!(
        us_east.updates.iter().map(|u| u.status).collect::<Vec<_>>(),
        [
            IncidentStatus::Investigating,
            IncidentStatus::Monitoring,
            IncidentStatus::Resolved
        ]
    );
    assert_eq!(us_east.updates[2].at, ts("2018-05-25T05:54:00Z"));
    assert!(us_east.updates[1]
        .body
        .contains("- resolves the problem for most users;"));
    assert_eq!(
        us_east
            .components
            .iter()
            .map(|c| (c.id.as_str(), c.status))
            .collect::<Vec<_>>(),
        [
            ("api", ComponentStatus::PartialOutage),
            ("media-proxy", ComponentStatus::PartialOutage)
        ]
    );

    // No update blocks: the whole body is one update, the track time written out.
    let whole = incident("2017-02-28-major-outage-east-us");
    assert_eq!(whole.updates.len(), 1);
    assert!(whole.updates[0].body.contains("_28 Feb 2017 15:50 UTC_"));
    assert_eq!(whole.impact, Impact::Critical);

    // Open in cState: open here, and the page shows it.
    let open: Vec<&str> = model
        .incidents
        .iter()
        .filter(|i| i.resolved_at.is_none())
        .map(|i| i.slug.as_str())
        .collect();
    assert_eq!(
        open,
        [
            "2018-06-13-maintenance-window",
            "2024-12-27-dns-resolution-api"
        ]
    );
    let current = wheelhouse_status::current(&model, ts("2025-01-01T00:00:00Z"));
    assert_eq!(current.components["api"], ComponentStatus::MajorOutage);
    assert_eq!(
        current.components["gateway"],
        ComponentStatus::DegradedPerformance
    );

    // Informational: no impact, nothing marked.
    let info = incident("2019-10-04-testing-cstate-functions");
    assert_eq!((info.impact, info.components.len()), (Impact::None, 0));

    // Markup stays data: the title is plain text, and the export escapes and sanitises it.
    let hostile = incident("2020-01-01-escaping");
    assert_eq!(
        hostile.title,
        "<script>alert(\"title\")</script> \"quoted\": yes # not a comment"
    );
    let export = wheelhouse_status::build(&model, ts("2025-01-01T00:00:00Z"));
    let page = String::from_utf8(export["incidents/2020-01-01-escaping.html"].clone()).unwrap();
    assert!(page.contains("&lt;script&gt;alert("), "{page}");
    assert!(
        !page.contains("<script>") && !page.contains("onerror") && !page.contains("javascript:")
    );
}

#[test]
fn upptime_repository_becomes_the_golden_status_files() {
    let (imported, model) = golden(Source::Upptime);
    assert_eq!(model.page.name, "Eggsample Status");
    assert_eq!(
        model.page.url.as_deref(),
        Some("https://status.eggsample.example")
    );
    assert_eq!(
        model.page.description.as_deref(),
        Some("Eggsample uptime, measured every five minutes by Upptime.")
    );
    let statuses: Vec<(&str, ComponentStatus)> = model
        .components()
        .map(|c| (c.id.as_str(), c.status))
        .collect();
    assert_eq!(
        statuses,
        [
            ("website", ComponentStatus::Operational),
            ("api-server", ComponentStatus::DegradedPerformance),
            ("demo-coiffeur", ComponentStatus::MajorOutage),
            ("docs", ComponentStatus::Operational),
        ]
    );
    assert_eq!((imported.components, imported.incidents), (4, 5));
    assert!(
        model
            .incidents
            .iter()
            .all(|i| i.title == "Downtime recorded by Upptime"
                && i.status == IncidentStatus::Resolved)
    );

    // The uptime bars show exactly the minutes Upptime recorded.
    let uptimes = wheelhouse_status::uptimes(&model, ts("2026-10-21T00:00:00Z"));
    let down_minutes = |id: &str, date: &str| {
        let day = uptimes[id]
            .days
            .iter()
            .find(|d| d.date.to_string() == date)
            .unwrap();
        day.downtime_tenths / 600
    };
    assert_eq!(down_minutes("website", "2026-10-14"), 12);
    assert_eq!(down_minutes("website", "2026-10-16"), 89);
    assert_eq!(down_minutes("website", "2026-10-15"), 0);
    assert_eq!(down_minutes("api-server", "2026-10-16"), 30);
    assert_eq!(
        down_minutes("api-server", "2026-10-18"),
        1440,
        "more than a day is a day"
    );
    assert_eq!(down_minutes("demo-coiffeur", "2026-10-19"), 1440);
    assert_eq!(down_minutes("demo-coiffeur", "2026-10-20"), 715);
    assert!(uptimes["docs"].ratio == 1.0);

    let export = wheelhouse_status::build(&model, ts("2026-10-21T00:00:00Z"));
    assert!(export.contains_key("index.html"));
}

#[test]
fn paths_outside_the_source_are_refused() {
    for bad in [
        "../config.yml",
        "/etc/passwd",
        "content/../../x.md",
        "content\\issues\\a.md",
    ] {
        let mut files = BTreeMap::new();
        files.insert("config.yml".to_string(), "title: x\n".to_string());
        files.insert(bad.to_string(), "---\ntitle: x\n---\n".to_string());
        for source in [Source::Cstate, Source::Upptime] {
            let err = import::import(source, &files).unwrap_err();
            assert_eq!(err.code(), "path_outside_source", "{bad}: {err}");
        }
    }
}

#[test]
fn missing_and_broken_configurations_are_clear_errors() {
    let none = BTreeMap::new();
    let err = import::import(Source::Cstate, &none).unwrap_err();
    assert_eq!(err.code(), "missing_file");
    assert!(err.to_string().contains("config.yml"), "{err}");
    let err = import::import(Source::Upptime, &none).unwrap_err();
    assert!(err.to_string().contains(".upptimerc.yml"), "{err}");

    let mut broken = BTreeMap::new();
    broken.insert(
        ".upptimerc.yml".to_string(),
        "sites:\n  - name: [a\n".to_string(),
    );
    match import::import(Source::Upptime, &broken).unwrap_err() {
        ImportError::InvalidSource { file, line, .. } => {
            assert_eq!(file, ".upptimerc.yml");
            assert!(line >= 2, "{line}");
        }
        other => panic!("{other}"),
    }
}

#[cfg(unix)]
#[test]
fn reading_a_source_opens_only_what_it_needs_and_never_leaves_the_folder() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: secret\n---\n",
    )
    .unwrap();
    let site = tempfile::tempdir().unwrap();
    std::fs::write(site.path().join("config.yml"), "title: x\n").unwrap();
    std::fs::write(site.path().join("notes.txt"), "not needed").unwrap();
    std::fs::create_dir_all(site.path().join("content/issues")).unwrap();
    std::fs::write(
        site.path().join("content/issues/a.md"),
        "---\ntitle: a\n---\n",
    )
    .unwrap();
    let files = import::read_source(Source::Cstate, site.path()).unwrap();
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        ["config.yml", "content/issues/a.md"]
    );

    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        site.path().join("content/issues/b.md"),
    )
    .unwrap();
    let err = import::read_source(Source::Cstate, site.path()).unwrap_err();
    assert_eq!(err.code(), "path_outside_source", "{err}");
}

#[test]
fn writing_refuses_to_overwrite_and_to_break_the_page() {
    let files = import::read_source(Source::Upptime, &fixtures().join("upptime")).unwrap();
    let imported = import::import(Source::Upptime, &files).unwrap();
    let repo = tempfile::tempdir().unwrap();
    let status = repo.path().join("status");

    // A dry run checks everything and writes nothing.
    let plan = import::write_into(&status, &imported.files, false, true).unwrap();
    assert!(plan.iter().all(|p| p.action == FileAction::Create));
    assert!(!status.exists());

    let plan = import::write_into(&status, &imported.files, false, false).unwrap();
    assert_eq!(plan.len(), imported.files.len());
    let on_disk = wheelhouse_status::fs::read_folder(&status).unwrap();
    assert_eq!(on_disk, imported.files);

    // The same files again: nothing to overwrite.
    let plan = import::write_into(&status, &imported.files, false, false).unwrap();
    assert!(plan.iter().all(|p| p.action == FileAction::Unchanged));

    // An edited file is not overwritten without force.
    std::fs::write(status.join("page.yaml"), "name: Mine\n").unwrap();
    let err = import::write_into(&status, &imported.files, false, false).unwrap_err();
    assert_eq!(err.code(), "destination_exists");
    assert!(err.to_string().contains("page.yaml"), "{err}");
    assert_eq!(
        std::fs::read_to_string(status.join("page.yaml")).unwrap(),
        "name: Mine\n"
    );
    let plan = import::write_into(&status, &imported.files, true, false).unwrap();
    assert_eq!(
        plan.iter().find(|p| p.path == "page.yaml").unwrap().action,
        FileAction::Overwrite
    );
    assert_eq!(
        std::fs::read_to_string(status.join("page.yaml")).unwrap(),
        imported.files["page.yaml"]
    );

    // An existing incident naming a component the import does not have: refused, untouched.
    let stray = "---\ntitle: Old\nstatus: resolved\nstarted_at: 2026-01-01T00:00:00Z\nresolved_at: 2026-01-01T01:00:00Z\ncomponents: {payments: major_outage}\n---\n";
    std::fs::write(status.join("incidents/2026-01-01-old.md"), stray).unwrap();
    std::fs::write(status.join("page.yaml"), "name: Mine\n").unwrap();
    match import::write_into(&status, &imported.files, true, false).unwrap_err() {
        ImportError::Invalid { errors } => {
            assert!(
                errors
                    .iter()
                    .any(|e| e.file == "incidents/2026-01-01-old.md"),
                "{errors:?}"
            )
        }
        other => panic!("{other}"),
    }
    assert_eq!(
        std::fs::read_to_string(status.join("page.yaml")).unwrap(),
        "name: Mine\n"
    );
}
