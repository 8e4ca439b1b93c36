//! Maintenances: scheduled in a time zone, started, completed.

use super::error::{EditError, EditErrorCode, NewFile};
use super::text::{
    body_entry, format_time, item_lines, normalize_markdown, parse_yaml, place, scalar, split_md,
    time_value, unique_path, whole_seconds, Quote, FRONT_MATTER_LINES,
};
use super::updates::{
    append_update, check_after_latest, check_unique, internal, set_top, NewUpdate,
};
use crate::load::{clean, maintenance_alone, time_zone, MAINTENANCES_DIR};
use crate::model::{ComponentStatus, Impact, Maintenance, MaintenanceStatus, StatusPage};
use jiff::civil::DateTime;
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{Timestamp, Zoned};
use serde::{Deserialize, Serialize};

/// The body of the update [`start_maintenance`] writes when none is given.
pub const STARTED_BODY: &str = "The scheduled maintenance is in progress.";
/// The body of the update [`complete_maintenance`] writes when none is given.
pub const COMPLETED_BODY: &str = "The scheduled maintenance has been completed.";

/// What the editor's "schedule maintenance" form sends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default)]
pub struct NewMaintenance {
    pub title: String,
    /// Default `none`.
    pub impact: Option<Impact>,
    /// Ids of the components under maintenance during the window.
    pub components: Vec<String>,
    /// The start as a local date and time in `time_zone`, e.g. `2026-12-03T22:00` (an RFC 3339
    /// time with an offset is taken as that instant).
    pub scheduled_for: String,
    /// The end, likewise; after the start.
    pub scheduled_until: String,
    /// The IANA zone the window is planned in; the page's when absent. Recorded in the file
    /// (`time_zone:`) when it is not the page's.
    pub time_zone: Option<String>,
    /// Markdown: the body of the first (`scheduled`) update.
    pub body: String,
    /// Markdown after the front matter: the maintenance's description.
    pub description: String,
}

fn unknown_zone(file: &str, name: &str) -> EditError {
    EditError::new(
        EditErrorCode::InvalidTimeZone,
        file,
        format!(
            "`{name}` is not an IANA time zone; write one such as Europe/Berlin, America/New_York or UTC"
        ),
    )
}

/// A local date and time in `tz` (or an instant with an offset). Refuses times that do not
/// exist there (skipped when clocks go forward); of two (clocks going back) the earlier.
fn local_time(file: &str, what: &str, text: &str, tz: &TimeZone) -> Result<Zoned, EditError> {
    let text = text.trim();
    if let Ok(t) = text.parse::<Timestamp>() {
        return Ok(t.to_zoned(tz.clone()));
    }
    let bad = |message: String| EditError::new(EditErrorCode::InvalidTime, file, message);
    let dt: DateTime = text.parse().map_err(|_| {
        bad(format!(
            "{what} `{text}` is not a local date and time such as 2026-12-03T22:00"
        ))
    })?;
    let zone = tz.iana_name().unwrap_or("UTC");
    let ambiguous = tz.to_ambiguous_zoned(dt);
    if let AmbiguousOffset::Gap { .. } = ambiguous.offset() {
        return Err(bad(format!(
            "{what} `{text}` does not exist in {zone}: the clocks go forward over it"
        )));
    }
    ambiguous
        .compatible()
        .map_err(|e| bad(format!("{what} `{text}` cannot be placed in {zone}: {e}")))
}

/// A new maintenance file: `maintenances/YYYY-MM-DD-slug.md` (the start's date in the page's
/// zone), `status: scheduled`, the window written with the offsets of the zone it is planned
/// in, `time_zone:` when that is not the page's, the components `under_maintenance`, a first
/// update dated `now` and the description as the Markdown body. Refused: an end not after the
/// start, a zone not in the IANA database, a component in another maintenance whose window
/// overlaps.
pub fn new_maintenance(
    page: &StatusPage,
    input: &NewMaintenance,
    now: Timestamp,
) -> Result<NewFile, EditError> {
    let dir = MAINTENANCES_DIR;
    let title = input.title.trim();
    if title.is_empty() {
        return Err(EditError::new(
            EditErrorCode::InvalidValue,
            dir,
            "the maintenance needs a title",
        ));
    }
    let tz = match input.time_zone.as_deref().map(str::trim) {
        None | Some("") => page.page.time_zone.clone(),
        Some(name) => time_zone(name).ok_or_else(|| unknown_zone(dir, name))?,
    };
    let from = whole_seconds(&local_time(
        dir,
        "scheduled_for",
        &input.scheduled_for,
        &tz,
    )?);
    let until = whole_seconds(&local_time(
        dir,
        "scheduled_until",
        &input.scheduled_until,
        &tz,
    )?);
    if until.timestamp() <= from.timestamp() {
        return Err(EditError::new(
            EditErrorCode::InvalidTime,
            dir,
            format!(
                "the maintenance must end after it starts: {} is not after {}",
                format_time(&until),
                format_time(&from)
            ),
        ));
    }
    for id in &input.components {
        if page.component(id).is_none() {
            return Err(EditError::new(
                EditErrorCode::UnknownComponent,
                dir,
                format!("there is no component `{id}` in components.yaml"),
            ));
        }
    }
    check_unique(dir, input.components.iter().map(String::as_str))?;
    for m in &page.maintenances {
        let overlaps = from.timestamp() < m.scheduled_until && m.scheduled_for < until.timestamp();
        let shared = input
            .components
            .iter()
            .find(|id| m.components.iter().any(|c| c.id == **id));
        if let (true, Some(id)) = (overlaps, shared) {
            let show = |t: Timestamp| format_time(&t.to_zoned(tz.clone()));
            return Err(EditError::new(
                EditErrorCode::OverlappingMaintenance,
                &format!("{dir}/{}.md", m.slug),
                format!(
                    "the window {} to {} overlaps the maintenance `{}` ({} to {}) of component `{id}`; a component has one maintenance at a time",
                    format_time(&from),
                    format_time(&until),
                    m.slug,
                    show(m.scheduled_for),
                    show(m.scheduled_until)
                ),
            ));
        }
    }

    let page_zone = page.page.time_zone_name();
    let zone = tz.iana_name().unwrap_or("UTC");
    let impact = input.impact.unwrap_or(Impact::None);
    let now_z = whole_seconds(&now.to_zoned(page.page.time_zone.clone()));
    let date = from
        .timestamp()
        .to_zoned(page.page.time_zone.clone())
        .strftime("%Y-%m-%d")
        .to_string();
    let path = unique_path(dir, &date, title, "maintenance", |slug| {
        page.maintenances.iter().any(|m| m.slug == slug)
    });

    let time = |z: &Zoned| time_value(&format_time(z), Quote::Plain, false);
    let mut lines = vec![
        "---".to_string(),
        format!("title: {}", scalar(title, Quote::Plain, false)?),
        format!("status: {}", MaintenanceStatus::Scheduled.as_str()),
        format!("impact: {}", impact.as_str()),
        format!("scheduled_for: {}", time(&from)?),
        format!("scheduled_until: {}", time(&until)?),
    ];
    if zone != page_zone {
        lines.push(format!("time_zone: {}", scalar(zone, Quote::Plain, false)?));
    }
    if !input.components.is_empty() {
        lines.push("components:".to_string());
        for id in &input.components {
            lines.push(format!(
                "  {}: {}",
                scalar(id, Quote::Plain, false)?,
                ComponentStatus::UnderMaintenance.as_str()
            ));
        }
    }
    lines.push("updates:".to_string());
    let body = normalize_markdown(&input.body);
    let mut first = vec![
        vec![format!("at: {}", time(&now_z)?)],
        vec![format!("status: {}", MaintenanceStatus::Scheduled.as_str())],
    ];
    if !body.is_empty() {
        first.push(body_entry(&body, Quote::Plain)?);
    }
    lines.extend(item_lines(&first, 2, 4));
    lines.push("---".to_string());
    let description = normalize_markdown(&input.description);
    let mut text = lines.join("\n") + "\n";
    if !description.is_empty() {
        text.push_str(&description);
        text.push('\n');
    }

    let loaded =
        maintenance_alone(&path, &text).map_err(|p| internal(&path, "the new maintenance", p))?;
    let expected = loaded.title == clean(title)
        && loaded.status == MaintenanceStatus::Scheduled
        && loaded.scheduled_for == from.timestamp()
        && loaded.scheduled_until == until.timestamp()
        && loaded
            .components
            .iter()
            .map(|c| &c.id)
            .eq(input.components.iter())
        && loaded.updates.len() == 1
        && loaded.updates[0].body == clean(&body)
        && loaded.description == (!description.is_empty()).then(|| clean(&description));
    if !expected {
        return Err(internal(&path, "the new maintenance", Vec::new()));
    }
    Ok(NewFile { path, text })
}

fn current(path: &str, text: &str) -> Result<Maintenance, EditError> {
    maintenance_alone(path, text).map_err(|p| EditError::does_not_load(path, p))
}

/// Moves a maintenance to `status` with an update that gives its components `component`.
fn step(
    path: &str,
    text: &str,
    at: &Zoned,
    status: MaintenanceStatus,
    body: &str,
    component: ComponentStatus,
    allowed: fn(MaintenanceStatus) -> bool,
) -> Result<String, EditError> {
    let at = &whole_seconds(at);
    let before = current(path, text)?;
    let md = split_md(path, text)?;
    let file = parse_yaml(path, md.yaml, FRONT_MATTER_LINES)?;
    if !allowed(before.status) {
        let (line, column) = file
            .get(0, &[super::text::key("status")])
            .map_or((0, 0), |n| place(n, FRONT_MATTER_LINES));
        return Err(EditError::new(
            EditErrorCode::InvalidTransition,
            path,
            format!(
                "the maintenance is {}; it cannot become {}",
                before.status.label().to_lowercase(),
                status.label().to_lowercase()
            ),
        )
        .at(line, column));
    }
    check_after_latest(path, &file, at)?;
    let body = normalize_markdown(body);
    let pairs: Vec<(&str, &str)> = before
        .components
        .iter()
        .map(|c| (c.id.as_str(), component.as_str()))
        .collect();
    let new = NewUpdate {
        at: format_time(at),
        status: status.as_str(),
        body: &body,
        components: &pairs,
    };
    let yaml = append_update(path, &file, &new)?;
    let file = parse_yaml(path, &yaml, FRONT_MATTER_LINES)?;
    let yaml = set_top(&file, "status", status.as_str())?;
    let out = md.with_yaml(&yaml);

    let after = maintenance_alone(path, &out).map_err(|p| internal(path, "the update", p))?;
    let added = after.updates.iter().any(|u| {
        u.at == at.timestamp()
            && u.status == status
            && u.body == clean(&body)
            && u.components.len() == pairs.len()
            && u.components.iter().all(|c| c.status == component)
    });
    if !(added && after.status == status && after.updates.len() == before.updates.len() + 1) {
        return Err(internal(path, "the update", Vec::new()));
    }
    Ok(out)
}

fn body_or<'a>(body: Option<&'a str>, default: &'a str) -> &'a str {
    body.map(str::trim)
        .filter(|b| !b.is_empty())
        .unwrap_or(default)
}

/// Starts a scheduled maintenance: `status: in_progress` and an update (dated `at`, body
/// [`STARTED_BODY`] by default) putting its components `under_maintenance`.
pub fn start_maintenance(
    path: &str,
    maintenance_md: &str,
    at: &Zoned,
    body: Option<&str>,
) -> Result<String, EditError> {
    step(
        path,
        maintenance_md,
        at,
        MaintenanceStatus::InProgress,
        body_or(body, STARTED_BODY),
        ComponentStatus::UnderMaintenance,
        |s| s == MaintenanceStatus::Scheduled,
    )
}

/// Completes a maintenance that is not completed yet: `status: completed` and an update (body
/// [`COMPLETED_BODY`] by default) bringing its components back to `operational`.
pub fn complete_maintenance(
    path: &str,
    maintenance_md: &str,
    at: &Zoned,
    body: Option<&str>,
) -> Result<String, EditError> {
    step(
        path,
        maintenance_md,
        at,
        MaintenanceStatus::Completed,
        body_or(body, COMPLETED_BODY),
        ComponentStatus::Operational,
        |s| s != MaintenanceStatus::Completed,
    )
}
