//! The status page as code: reads `status/` (page, components, incidents, maintenances,
//! templates), computes what the page says at a moment, and builds the static export.
//!
//! Three steps, each usable alone:
//! - [`load`] turns the folder's files (a map of path → text; [`fs::read_folder`] reads one)
//!   into a [`StatusPage`], or every problem with its file, line and column;
//! - [`compute`] decides, purely: component and page status at `now`, 90-day uptime;
//! - [`build`] renders the export (HTML, Statuspage v2 JSON, Atom, RSS, iCalendar, badges) as
//!   path → bytes; the same model and `now` always give the same bytes.
//!   [`fs::write_export`] puts it on disk at once.
//!
//! The editor's writes are [`edit`] (format-preserving edits planned over the folder's files,
//! as [`change::FileChange`]s) and [`save`] (writing them atomically, conflict-checked).
//!
//! Not for: serving the export.

pub mod change;
pub mod compute;
pub mod edit;
mod error;
pub mod fs;
pub mod import;
mod load;
pub mod model;
pub mod monitor;
pub mod notify;
pub mod recurrence;
mod render;
pub mod save;
pub mod view;

pub use change::FileChange;
pub use compute::{current, uptimes, CurrentStatus, Indicator};
pub use edit::{EditError, EditErrorCode, StatusEdit};
pub use error::{StatusError, StatusErrorCode};
pub use load::{
    load, time_zone, COMPONENTS_FILE, INCIDENTS_DIR, MAINTENANCES_DIR, PAGE_FILE, TEMPLATES_DIR,
};
pub use model::*;
pub use render::build;

/// The Statuspage-style id (12 lowercase letters and digits) that the export gives a thing:
/// `kind` is `page` (keyed by the page name), `component` (by component id), `incident` or
/// `maintenance` (by slug).
pub fn stable_id(kind: &str, key: &str) -> String {
    render::ids::stable_id(kind, key)
}

/// The instant type of the public API (times in the files carry an offset; this is UTC).
pub use jiff::Timestamp;
/// A time with its zone, as the edits take the moment of an update.
pub use jiff::Zoned;

/// Markdown to the sanitised HTML the export uses (pulldown-cmark, then ammonia): for the
/// editor's preview of an update before it is posted.
pub fn markdown_to_html(markdown: &str) -> String {
    render::markdown::to_html(markdown)
}

/// The problems of one status file as it would be with `text`, judged with the rest of the
/// folder (`files`, paths relative to the folder, as [`load`] takes them): what the YAML editor
/// shows inline while a status file is typed. Only the problems located in `path` are returned.
pub fn check_file(
    files: &std::collections::BTreeMap<String, String>,
    path: &str,
    text: &str,
) -> Vec<StatusError> {
    let mut files = files.clone();
    if path == notify::SUBSCRIBERS_FILE {
        // Judged against the page's components; a page that does not load has its own errors.
        return match load(&files) {
            Ok(page) => notify::parse_subscribers(text, &page)
                .err()
                .unwrap_or_default(),
            Err(_) => Vec::new(),
        };
    }
    files.insert(path.to_owned(), text.to_owned());
    match load(&files) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.into_iter().filter(|e| e.file == path).collect(),
    }
}

/// The problems of the files beside the page that commands read on their own —
/// `subscribers.yaml` (notify) and `monitors.yaml` (monitor) — judged against `page`; none
/// when they are absent or fine. `status check` refuses with them as with the page's own.
pub fn check_beside(
    files: &std::collections::BTreeMap<String, String>,
    page: &StatusPage,
) -> Vec<StatusError> {
    let mut errors = Vec::new();
    if let Some(text) = files.get(notify::SUBSCRIBERS_FILE) {
        errors.extend(
            notify::parse_subscribers(text, page)
                .err()
                .unwrap_or_default(),
        );
    }
    if let Some(text) = files.get(monitor::MONITORS_FILE) {
        errors.extend(
            monitor::parse_monitors(text, page)
                .err()
                .unwrap_or_default(),
        );
    }
    errors
}

#[cfg(test)]
mod check_file_tests {
    use super::*;

    #[test]
    fn only_the_edited_files_problems_with_their_place() {
        let mut files = std::collections::BTreeMap::new();
        files.insert(
            "page.yaml".to_owned(),
            "name: Acme\ntime_zone: UTC\n".to_owned(),
        );
        files.insert(
            "components.yaml".to_owned(),
            "components:\n  - {id: api, name: API, status: operational}\n".to_owned(),
        );
        assert!(check_file(
            &files,
            "components.yaml",
            "components:\n  - {id: api, name: API}\n"
        )
        .is_empty());
        let bad = check_file(
            &files,
            "components.yaml",
            "components:\n  - {id: api, name: API, status: on_fire}\n",
        );
        assert_eq!(bad.len(), 1, "{bad:?}");
        assert_eq!((bad[0].file.as_str(), bad[0].line), ("components.yaml", 2));
        // A problem elsewhere in the folder is not this file's.
        let broken_page = check_file(&files, "page.yaml", "name: Acme\ntime_zone: Mars/Olympus\n");
        assert_eq!(broken_page[0].file, "page.yaml");
        assert!(check_file(
            &files,
            "components.yaml",
            "components:\n  - {id: api, name: API}\n"
        )
        .is_empty());
        // subscribers.yaml is judged against the page's components.
        let subscribers = "channels:\n  - name: ops\n    kind: slack\n    url_secret: ops\n    components: [web]\n";
        let bad = check_file(&files, "subscribers.yaml", subscribers);
        assert_eq!(
            (bad[0].file.as_str(), bad[0].line),
            ("subscribers.yaml", 5),
            "{bad:?}"
        );
        assert!(check_file(
            &files,
            "subscribers.yaml",
            &subscribers.replace("web", "api")
        )
        .is_empty());
    }
}
