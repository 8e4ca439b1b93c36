//! Incidents: a new one (from a template or not), an update, the resolution, the postmortem.

use super::error::{EditError, EditErrorCode, NewFile};
use super::text::{
    format_time, item_lines, line_break, normalize_markdown, parse_yaml, place, scalar, split_md,
    time_value, unique_path, whole_seconds, Quote, FRONT_MATTER_LINES,
};
use super::updates::{
    append_update, check_after_latest, check_unique, flow_map, internal, remove_top, set_top,
    set_top_time, NewUpdate,
};
use crate::load::{clean, incident_alone, INCIDENTS_DIR, TEMPLATES_DIR};
use crate::model::{
    ComponentChange, ComponentStatus, Impact, Incident, IncidentStatus, StatusPage,
};
use jiff::{Timestamp, Zoned};
use serde::{Deserialize, Serialize};

/// The body of the update [`resolve_incident`] writes when none is given.
pub const RESOLVED_BODY: &str = "This incident has been resolved.";

/// What the editor's "new incident" form sends. Empty fields take the template's values, then
/// the defaults (`investigating`, impact `none`, no components).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default)]
pub struct NewIncident {
    pub title: String,
    pub status: Option<IncidentStatus>,
    pub impact: Option<Impact>,
    /// Affected components and their status from the start.
    pub components: Vec<ComponentChange>,
    /// Markdown: the first update's body.
    pub body: String,
    /// The slug of a template in `templates/` whose values fill the empty fields.
    pub template: Option<String>,
    /// When the incident started, if before now: RFC 3339 with an offset. The first update is
    /// still dated now.
    pub started_at: Option<String>,
}

/// An update to an incident: its stage, a Markdown body, and the new statuses of components.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct UpdateInput {
    pub status: IncidentStatus,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub components: Vec<ComponentChange>,
}

fn unknown_component(file: &str, id: &str) -> EditError {
    EditError::new(
        EditErrorCode::UnknownComponent,
        file,
        format!("there is no component `{id}` in components.yaml"),
    )
}

fn parse_instant(file: &str, what: &str, text: &str) -> Result<Timestamp, EditError> {
    text.trim().parse::<Timestamp>().map_err(|_| {
        EditError::new(
            EditErrorCode::InvalidTime,
            file,
            format!(
                "{what} `{text}` is not an RFC 3339 time with an offset, e.g. 2026-11-06T13:00:00+01:00"
            ),
        )
    })
}

/// A new incident file: `incidents/YYYY-MM-DD-slug.md`, dated in the page's time zone, its
/// slug made from the title (`-2`, `-3`… when taken). It starts now (or at `started_at`), and
/// its first update, dated `now`, carries the body and the components' statuses. Times are
/// written with the page's offset.
pub fn new_incident(
    page: &StatusPage,
    input: &NewIncident,
    now: Timestamp,
) -> Result<NewFile, EditError> {
    let template =
        match &input.template {
            None => None,
            Some(slug) => Some(page.templates.iter().find(|t| t.slug == *slug).ok_or_else(
                || {
                    EditError::new(
                        EditErrorCode::UnknownTemplate,
                        &format!("{TEMPLATES_DIR}/{slug}.md"),
                        format!("there is no template `{slug}` in {TEMPLATES_DIR}/"),
                    )
                },
            )?),
        };
    let title = match input.title.trim() {
        "" => template.map(|t| t.title.clone()).unwrap_or_default(),
        t => t.to_string(),
    };
    if title.is_empty() {
        return Err(EditError::new(
            EditErrorCode::InvalidValue,
            INCIDENTS_DIR,
            "the incident needs a title",
        ));
    }
    let status = input
        .status
        .or(template.and_then(|t| t.status))
        .unwrap_or(IncidentStatus::Investigating);
    let impact = input
        .impact
        .or(template.and_then(|t| t.impact))
        .unwrap_or(Impact::None);
    let components: Vec<ComponentChange> = match (&input.components[..], template) {
        ([], Some(t)) => t.components.clone(),
        (list, _) => list.to_vec(),
    };
    for c in &components {
        if page.component(&c.id).is_none() {
            return Err(unknown_component(INCIDENTS_DIR, &c.id));
        }
    }
    check_unique(INCIDENTS_DIR, components.iter().map(|c| c.id.as_str()))?;
    let body = match normalize_markdown(&input.body) {
        b if b.is_empty() => template
            .map(|t| normalize_markdown(&t.body))
            .unwrap_or_default(),
        b => b,
    };

    let tz = page.page.time_zone.clone();
    let started = match &input.started_at {
        None => now,
        Some(text) => {
            let t = parse_instant(INCIDENTS_DIR, "started_at", text)?;
            if t > now {
                return Err(EditError::new(
                    EditErrorCode::InvalidTime,
                    INCIDENTS_DIR,
                    format!(
                        "started_at `{text}` is later than now; an incident starts now or earlier"
                    ),
                ));
            }
            t
        }
    };
    let started = whole_seconds(&started.to_zoned(tz.clone()));
    let now_z = whole_seconds(&now.to_zoned(tz));
    let path = unique_path(
        INCIDENTS_DIR,
        &started.strftime("%Y-%m-%d").to_string(),
        &title,
        "incident",
        |slug| page.incidents.iter().any(|i| i.slug == slug),
    );

    let pairs: Vec<(&str, &str)> = components
        .iter()
        .map(|c| (c.id.as_str(), c.status.as_str()))
        .collect();
    let mut lines = vec![
        "---".to_string(),
        format!("title: {}", scalar(&title, Quote::Plain, false)?),
        format!("status: {}", status.as_str()),
        format!("impact: {}", impact.as_str()),
        format!(
            "started_at: {}",
            time_value(&format_time(&started), Quote::Plain, false)?
        ),
    ];
    if status.is_closed() {
        lines.push(format!(
            "resolved_at: {}",
            time_value(&format_time(&now_z), Quote::Plain, false)?
        ));
    }
    if !pairs.is_empty() {
        lines.push("components:".to_string());
        for (id, s) in &pairs {
            lines.push(format!("  {}: {s}", scalar(id, Quote::Plain, false)?));
        }
    }
    lines.push("updates:".to_string());
    let mut first = vec![
        vec![format!(
            "at: {}",
            time_value(&format_time(&now_z), Quote::Plain, false)?
        )],
        vec![format!("status: {}", status.as_str())],
    ];
    if !body.is_empty() {
        first.push(super::text::body_entry(&body, Quote::Plain)?);
    }
    if !pairs.is_empty() {
        first.push(vec![format!("components: {}", flow_map(&pairs)?)]);
    }
    lines.extend(item_lines(&first, 2, 4));
    lines.push("---".to_string());
    let text = lines.join("\n") + "\n";

    let loaded =
        incident_alone(&path, &text).map_err(|p| internal(&path, "the new incident", p))?;
    let expected = loaded.title == clean(&title)
        && loaded.status == status
        && loaded.impact == impact
        && loaded.started_at == started.timestamp()
        && loaded.components == components
        && loaded.updates.len() == 1
        && loaded.updates[0].at == now_z.timestamp()
        && loaded.updates[0].body == clean(&body);
    if !expected {
        return Err(internal(&path, "the new incident", Vec::new()));
    }
    Ok(NewFile { path, text })
}

fn current(path: &str, text: &str) -> Result<Incident, EditError> {
    incident_alone(path, text).map_err(|p| EditError::does_not_load(path, p))
}

/// Appends an update (dated `at`, written with `at`'s offset) to an incident's `updates`, laid
/// out like the latest update, and sets the incident's `status` to the update's. When the
/// update closes the incident (`resolved`, `postmortem`) `resolved_at` is set to `at` (added
/// after `started_at`); when it reopens a closed one, `resolved_at` is removed. Refused: an
/// update dated before the incident started or before the latest update.
pub fn add_incident_update(
    path: &str,
    incident_md: &str,
    at: &Zoned,
    update: &UpdateInput,
) -> Result<String, EditError> {
    let at = &whole_seconds(at);
    let before = current(path, incident_md)?;
    let md = split_md(path, incident_md)?;
    let file = parse_yaml(path, md.yaml, FRONT_MATTER_LINES)?;
    check_unique(path, update.components.iter().map(|c| c.id.as_str()))?;
    if at.timestamp() < before.started_at {
        let node = file.get(0, &[super::text::key("started_at")]);
        let (line, column) = node.map_or((0, 0), |n| place(n, FRONT_MATTER_LINES));
        return Err(EditError::new(
            EditErrorCode::UpdateBeforeStart,
            path,
            format!(
                "this update ({}) is dated before the incident started ({}); date it later",
                format_time(at),
                node.and_then(|n| n.as_str()).unwrap_or_default().trim()
            ),
        )
        .at(line, column));
    }
    check_after_latest(path, &file, at)?;

    let body = normalize_markdown(&update.body);
    let pairs: Vec<(&str, &str)> = update
        .components
        .iter()
        .map(|c| (c.id.as_str(), c.status.as_str()))
        .collect();
    let new = NewUpdate {
        at: format_time(at),
        status: update.status.as_str(),
        body: &body,
        components: &pairs,
    };
    let yaml = append_update(path, &file, &new)?;
    let file = parse_yaml(path, &yaml, FRONT_MATTER_LINES)?;
    let mut yaml = set_top(&file, "status", update.status.as_str())?;
    match (before.status.is_closed(), update.status.is_closed()) {
        (false, true) => {
            let file = parse_yaml(path, &yaml, FRONT_MATTER_LINES)?;
            yaml = set_top_time(path, &file, "resolved_at", &new.at, "started_at")?;
        }
        (true, false) => {
            let file = parse_yaml(path, &yaml, FRONT_MATTER_LINES)?;
            yaml = remove_top(path, &file, "resolved_at")?;
        }
        _ => {}
    }
    let out = md.with_yaml(&yaml);

    let after = incident_alone(path, &out).map_err(|p| internal(path, "the update", p))?;
    let added = after.updates.iter().any(|u| {
        u.at == at.timestamp()
            && u.status == update.status
            && u.body == clean(&body)
            && u.components == update.components
    });
    let resolved_ok = match (before.status.is_closed(), update.status.is_closed()) {
        (false, true) => after.resolved_at == Some(at.timestamp()),
        (true, false) => after.resolved_at.is_none(),
        _ => after.resolved_at == before.resolved_at,
    };
    if !(added
        && after.updates.len() == before.updates.len() + 1
        && after.status == update.status
        && resolved_ok
        && after.postmortem == before.postmortem)
    {
        return Err(internal(path, "the update", Vec::new()));
    }
    Ok(out)
}

/// Resolves an open incident: an update with status `resolved` (body [`RESOLVED_BODY`] when
/// `body` is `None` or blank) that brings every component the incident affected back to
/// `operational`, `status: resolved` and `resolved_at`.
pub fn resolve_incident(
    path: &str,
    incident_md: &str,
    at: &Zoned,
    body: Option<&str>,
) -> Result<String, EditError> {
    let before = current(path, incident_md)?;
    if before.status.is_closed() {
        let md = split_md(path, incident_md)?;
        let file = parse_yaml(path, md.yaml, FRONT_MATTER_LINES)?;
        let (line, column) = file
            .get(0, &[super::text::key("status")])
            .map_or((0, 0), |n| place(n, FRONT_MATTER_LINES));
        return Err(EditError::new(
            EditErrorCode::InvalidTransition,
            path,
            format!(
                "the incident is already {}; add an update to reopen it",
                before.status.as_str()
            ),
        )
        .at(line, column));
    }
    let mut components: Vec<ComponentChange> = Vec::new();
    let mentioned = before
        .components
        .iter()
        .chain(before.updates.iter().flat_map(|u| u.components.iter()));
    for c in mentioned {
        if !components.iter().any(|o| o.id == c.id) {
            components.push(ComponentChange {
                id: c.id.clone(),
                status: ComponentStatus::Operational,
            });
        }
    }
    let body = body
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .unwrap_or(RESOLVED_BODY);
    add_incident_update(
        path,
        incident_md,
        at,
        &UpdateInput {
            status: IncidentStatus::Resolved,
            body: body.to_string(),
            components,
        },
    )
}

/// Replaces (or adds) the Markdown after the front matter with `markdown`, and moves a
/// `resolved` incident to `postmortem`. An empty `markdown` removes the body.
pub fn set_postmortem(path: &str, incident_md: &str, markdown: &str) -> Result<String, EditError> {
    let before = current(path, incident_md)?;
    let md = split_md(path, incident_md)?;
    let nl = line_break(incident_md);
    let body = normalize_markdown(markdown);
    let mut yaml = md.yaml.to_string();
    let becomes_postmortem = before.status == IncidentStatus::Resolved && !body.is_empty();
    if becomes_postmortem {
        let file = parse_yaml(path, md.yaml, FRONT_MATTER_LINES)?;
        yaml = set_top(&file, "status", IncidentStatus::Postmortem.as_str())?;
    }
    let (tail, new_body) = if body.is_empty() {
        (md.tail.to_string(), String::new())
    } else {
        let tail = if md.tail.ends_with('\n') {
            md.tail.to_string()
        } else {
            format!("{}{nl}", md.tail)
        };
        (tail, format!("{}{nl}", body.replace('\n', nl)))
    };
    let out = format!("{}{yaml}{tail}{new_body}", md.head);

    let after = incident_alone(path, &out).map_err(|p| internal(path, "the postmortem", p))?;
    let expected_status = if becomes_postmortem {
        IncidentStatus::Postmortem
    } else {
        before.status
    };
    let expected_body = (!body.is_empty()).then(|| clean(&body));
    if after.postmortem != expected_body
        || after.status != expected_status
        || after.updates.len() != before.updates.len()
    {
        return Err(internal(path, "the postmortem", Vec::new()));
    }
    Ok(out)
}
