//! One edit over the whole status folder, checked with the other files.

use super::components::{move_component, set_component_status};
use super::error::{EditError, EditErrorCode};
use super::incidents::{
    add_incident_update, new_incident, resolve_incident, set_postmortem, NewIncident, UpdateInput,
};
use super::maintenances::{
    complete_maintenance, new_maintenance, start_maintenance, NewMaintenance,
};
use crate::change::FileChange;
use crate::error::StatusError;
use crate::load::{load, COMPONENTS_FILE, INCIDENTS_DIR, MAINTENANCES_DIR, PAGE_FILE};
use crate::model::{ComponentChange, ComponentStatus, IncidentStatus, StatusPage};
use crate::notify::SUBSCRIBERS_FILE;
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An edit as the editor (or the CLI) asks for it. Times (`at`) are RFC 3339 with an offset;
/// absent, they are `now`. Slugs name files without folder and `.md`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum StatusEdit {
    /// See [`super::set_component_status`].
    SetComponentStatus { id: String, status: ComponentStatus },
    /// See [`super::move_component`]: `group` and `position` count from 0.
    MoveComponent {
        id: String,
        group: usize,
        position: usize,
    },
    /// See [`super::new_incident`].
    NewIncident(NewIncident),
    /// See [`super::add_incident_update`].
    AddIncidentUpdate {
        slug: String,
        #[serde(default)]
        at: Option<String>,
        status: IncidentStatus,
        #[serde(default)]
        body: String,
        #[serde(default)]
        components: Vec<ComponentChange>,
    },
    /// See [`super::resolve_incident`].
    ResolveIncident {
        slug: String,
        #[serde(default)]
        at: Option<String>,
        #[serde(default)]
        body: Option<String>,
    },
    /// See [`super::set_postmortem`].
    SetPostmortem { slug: String, markdown: String },
    /// See [`super::new_maintenance`].
    NewMaintenance(NewMaintenance),
    /// See [`super::start_maintenance`].
    StartMaintenance {
        slug: String,
        #[serde(default)]
        at: Option<String>,
        #[serde(default)]
        body: Option<String>,
    },
    /// See [`super::complete_maintenance`].
    CompleteMaintenance {
        slug: String,
        #[serde(default)]
        at: Option<String>,
        #[serde(default)]
        body: Option<String>,
    },
    /// See [`super::add_channel`]: a channel added to `subscribers.yaml`.
    AddChannel(super::subscribers::NewChannel),
    /// See [`super::remove_channel`].
    RemoveChannel { name: String },
}

/// Plans `edit` over the status folder's files (paths relative to the folder, as
/// [`crate::load`] takes them): the changed and created files, paths relative to the folder.
/// Empty when there is nothing to change (the component already has that status).
///
/// The result must load together with the other files: a plan that would add any problem to
/// what [`crate::load`] reports is refused with those problems (an edit of a folder that
/// already has errors elsewhere is allowed, as long as it adds none). New incidents and
/// maintenances need a folder that loads (their slugs, components and windows are checked
/// against it); updates need `page.yaml` (for its time zone).
pub fn plan(
    files: &BTreeMap<String, String>,
    edit: &StatusEdit,
    now: Timestamp,
) -> Result<Vec<FileChange>, EditError> {
    let before = load(files);
    let changes = match edit {
        StatusEdit::SetComponentStatus { id, status } => {
            let text = components_text(files)?;
            vec![modified(
                COMPONENTS_FILE,
                text,
                set_component_status(text, id, *status)?,
            )]
        }
        StatusEdit::MoveComponent {
            id,
            group,
            position,
        } => {
            let text = components_text(files)?;
            vec![modified(
                COMPONENTS_FILE,
                text,
                move_component(text, id, *group, *position)?,
            )]
        }
        StatusEdit::NewIncident(input) => {
            let f = new_incident(whole(&before)?, input, now)?;
            vec![FileChange::new(&f.path, None, f.text)]
        }
        StatusEdit::AddIncidentUpdate {
            slug,
            at,
            status,
            body,
            components,
        } => {
            let (path, text) = file(files, INCIDENTS_DIR, slug)?;
            let at = at_time(at.as_deref(), now, &zone(files, &before)?)?;
            let update = UpdateInput {
                status: *status,
                body: body.clone(),
                components: components.clone(),
            };
            vec![modified(
                &path,
                text,
                add_incident_update(&path, text, &at, &update)?,
            )]
        }
        StatusEdit::ResolveIncident { slug, at, body } => {
            let (path, text) = file(files, INCIDENTS_DIR, slug)?;
            let at = at_time(at.as_deref(), now, &zone(files, &before)?)?;
            vec![modified(
                &path,
                text,
                resolve_incident(&path, text, &at, body.as_deref())?,
            )]
        }
        StatusEdit::SetPostmortem { slug, markdown } => {
            let (path, text) = file(files, INCIDENTS_DIR, slug)?;
            vec![modified(
                &path,
                text,
                set_postmortem(&path, text, markdown)?,
            )]
        }
        StatusEdit::NewMaintenance(input) => {
            let f = new_maintenance(whole(&before)?, input, now)?;
            vec![FileChange::new(&f.path, None, f.text)]
        }
        StatusEdit::StartMaintenance { slug, at, body } => {
            let (path, text) = file(files, MAINTENANCES_DIR, slug)?;
            let at = at_time(at.as_deref(), now, &zone(files, &before)?)?;
            vec![modified(
                &path,
                text,
                start_maintenance(&path, text, &at, body.as_deref())?,
            )]
        }
        StatusEdit::CompleteMaintenance { slug, at, body } => {
            let (path, text) = file(files, MAINTENANCES_DIR, slug)?;
            let at = at_time(at.as_deref(), now, &zone(files, &before)?)?;
            vec![modified(
                &path,
                text,
                complete_maintenance(&path, text, &at, body.as_deref())?,
            )]
        }
        StatusEdit::AddChannel(channel) => {
            let text = files.get(SUBSCRIBERS_FILE).map(String::as_str);
            let after = super::subscribers::add_channel(text, channel, whole(&before)?)?;
            vec![FileChange::new(
                SUBSCRIBERS_FILE,
                text.map(str::to_owned),
                after,
            )]
        }
        StatusEdit::RemoveChannel { name } => {
            let text = files.get(SUBSCRIBERS_FILE).ok_or_else(|| {
                EditError::new(
                    EditErrorCode::NotFound,
                    SUBSCRIBERS_FILE,
                    "there is no subscribers.yaml, so there are no channels",
                )
            })?;
            vec![modified(
                SUBSCRIBERS_FILE,
                text,
                super::subscribers::remove_channel(text, name, whole(&before)?)?,
            )]
        }
    };
    let changes: Vec<FileChange> = changes
        .into_iter()
        .filter(|c| c.before.as_deref() != Some(c.after.as_str()))
        .collect();
    check(files, &before, &changes)?;
    Ok(changes)
}

fn modified(path: &str, before: &str, after: String) -> FileChange {
    FileChange::new(path, Some(before.to_string()), after)
}

fn components_text(files: &BTreeMap<String, String>) -> Result<&str, EditError> {
    files
        .get(COMPONENTS_FILE)
        .map(String::as_str)
        .ok_or_else(|| {
            EditError::new(
                EditErrorCode::UnknownComponent,
                COMPONENTS_FILE,
                "there is no components.yaml, so there are no components",
            )
        })
}

/// `incidents/<slug>.md` and its text; the slug may be given as a path or with `.md`.
fn file<'f>(
    files: &'f BTreeMap<String, String>,
    dir: &str,
    slug: &str,
) -> Result<(String, &'f str), EditError> {
    let slug = slug.trim();
    let slug = slug.strip_prefix(&format!("{dir}/")).unwrap_or(slug);
    let slug = slug.strip_suffix(".md").unwrap_or(slug);
    let path = format!("{dir}/{slug}.md");
    match files.get(&path) {
        Some(text) if !slug.is_empty() && !slug.contains('/') => Ok((path, text)),
        _ => {
            let (code, what) = if dir == INCIDENTS_DIR {
                (EditErrorCode::UnknownIncident, "incident")
            } else {
                (EditErrorCode::UnknownMaintenance, "maintenance")
            };
            Err(EditError::new(
                code,
                &path,
                format!("there is no {what} `{slug}` ({path})"),
            ))
        }
    }
}

fn whole(before: &Result<StatusPage, Vec<StatusError>>) -> Result<&StatusPage, EditError> {
    before.as_ref().map_err(|problems| {
        let first = &problems[0];
        let mut e = EditError::new(
            EditErrorCode::StatusInvalid,
            &first.file,
            format!(
                "the status page has {} error(s) (the first: {first}); fix them before adding incidents or maintenances",
                problems.len()
            ),
        )
        .at(first.line, first.column);
        e.problems = problems.clone();
        e
    })
}

/// The page's time zone; from `page.yaml` alone when other files have errors.
fn zone(
    files: &BTreeMap<String, String>,
    before: &Result<StatusPage, Vec<StatusError>>,
) -> Result<TimeZone, EditError> {
    if let Ok(page) = before {
        return Ok(page.page.time_zone.clone());
    }
    let page_only: BTreeMap<String, String> = files
        .iter()
        .filter(|(p, _)| *p == PAGE_FILE)
        .map(|(p, t)| (p.clone(), t.clone()))
        .collect();
    let loaded = load(&page_only);
    Ok(whole(&loaded)?.page.time_zone.clone())
}

fn at_time(at: Option<&str>, now: Timestamp, tz: &TimeZone) -> Result<Zoned, EditError> {
    let t = match at.map(str::trim) {
        None | Some("") => now,
        Some(text) => text.parse::<Timestamp>().map_err(|_| {
            EditError::new(
                EditErrorCode::InvalidTime,
                "",
                format!(
                    "`{text}` is not an RFC 3339 time with an offset, e.g. 2026-11-06T13:00:00+01:00"
                ),
            )
        })?,
    };
    Ok(t.to_zoned(tz.clone()))
}

/// Refuses changes after which the folder would have problems it does not have now.
fn check(
    files: &BTreeMap<String, String>,
    before: &Result<StatusPage, Vec<StatusError>>,
    changes: &[FileChange],
) -> Result<(), EditError> {
    if changes.is_empty() {
        return Ok(());
    }
    let after = crate::change::with_changes(files, changes);
    let Err(problems) = load(&after) else {
        return Ok(());
    };
    let old: &[StatusError] = before.as_ref().err().map_or(&[], Vec::as_slice);
    let new: Vec<StatusError> = problems
        .into_iter()
        .filter(|p| {
            !old.iter()
                .any(|o| o.code == p.code && o.file == p.file && o.message == p.message)
        })
        .collect();
    if new.is_empty() {
        Ok(())
    } else {
        Err(EditError::would_not_load(new))
    }
}
