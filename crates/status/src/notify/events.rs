//! What subscribers are told: the incident and maintenance updates that one version of the
//! status page has and an earlier one has not. Each event has an id that is the same in every
//! clone (the file's slug and the update's time), so a delivery is recorded once and never made
//! twice.

use crate::model::{ComponentChange, Impact, StatusPage};
use jiff::Timestamp;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A new incident (its first update).
    IncidentCreated,
    /// A later update of an incident.
    IncidentUpdated,
    /// A new maintenance window.
    MaintenanceScheduled,
    /// An update of a maintenance window (started, completed, a note).
    MaintenanceUpdated,
}

impl EventKind {
    /// Its name in a webhook's JSON and `X-Wheelhouse-Event` header (`incident.created`).
    pub fn wire_name(self) -> &'static str {
        match self {
            EventKind::IncidentCreated => "incident.created",
            EventKind::IncidentUpdated => "incident.updated",
            EventKind::MaintenanceScheduled => "maintenance.scheduled",
            EventKind::MaintenanceUpdated => "maintenance.updated",
        }
    }

    pub fn is_incident(self) -> bool {
        matches!(
            self,
            EventKind::IncidentCreated | EventKind::IncidentUpdated
        )
    }
}

/// A component as an event shows it: its name, and its status from this update on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct EventComponent {
    pub id: String,
    pub name: String,
    /// `operational`, `major_outage`…
    pub status: String,
    pub status_label: String,
}

/// One update to tell subscribers about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Event {
    /// `incident/<slug>/<update time>` or `maintenance/<slug>/…`: the same in every clone.
    pub id: String,
    pub kind: EventKind,
    /// The incident's or maintenance's file name without `.md`.
    pub slug: String,
    pub title: String,
    /// The stage this update sets (`investigating`, `scheduled`, `completed`…) and its label.
    pub status: String,
    pub status_label: String,
    pub impact: String,
    pub impact_label: String,
    /// The update's Markdown (the description for a new maintenance).
    pub body: String,
    /// When the update was posted (a new maintenance: when it starts), RFC 3339 UTC.
    pub at: String,
    /// A maintenance's window, RFC 3339 UTC.
    pub window: Option<(String, String)>,
    /// The components this incident or maintenance affects, with their statuses as of this
    /// update.
    pub components: Vec<EventComponent>,
    /// Every update so far, oldest first: (status label, time, Markdown).
    pub updates: Vec<(String, String, String)>,
    /// The incident's or maintenance's page on the published site, when the page has a URL.
    pub url: Option<String>,
}

/// The events `after` has that `before` (none: an empty page) has not, oldest first.
pub fn events(before: Option<&StatusPage>, after: &StatusPage) -> Vec<Event> {
    let mut out = Vec::new();
    let old_incidents: BTreeMap<&str, Vec<Timestamp>> = before
        .map(|b| {
            b.incidents
                .iter()
                .map(|i| (i.slug.as_str(), i.updates.iter().map(|u| u.at).collect()))
                .collect()
        })
        .unwrap_or_default();
    for incident in &after.incidents {
        let known = old_incidents.get(incident.slug.as_str());
        let mut statuses: Vec<ComponentChange> = incident.components.clone();
        let mut history = Vec::new();
        for (n, update) in incident.updates.iter().enumerate() {
            for c in &update.components {
                match statuses.iter_mut().find(|s| s.id == c.id) {
                    Some(s) => s.status = c.status,
                    None => statuses.push(c.clone()),
                }
            }
            history.push((
                update.status.label().to_owned(),
                utc(update.at),
                update.body.clone(),
            ));
            if known.is_some_and(|k| k.contains(&update.at)) {
                continue;
            }
            let kind = if known.is_none() && n == 0 {
                EventKind::IncidentCreated
            } else {
                EventKind::IncidentUpdated
            };
            out.push(Event {
                id: format!("incident/{}/{}", incident.slug, update.at.as_second()),
                kind,
                slug: incident.slug.clone(),
                title: incident.title.clone(),
                status: update.status.as_str().to_owned(),
                status_label: update.status.label().to_owned(),
                impact: impact(incident.impact),
                impact_label: incident.impact.label().to_owned(),
                body: update.body.clone(),
                at: utc(update.at),
                window: None,
                components: named(after, &statuses),
                updates: history.clone(),
                url: link(after, &format!("incidents/{}.html", incident.slug)),
            });
        }
    }
    let old_maintenances: BTreeMap<&str, (Timestamp, Timestamp, Vec<Timestamp>)> = before
        .map(|b| {
            b.maintenances
                .iter()
                .map(|m| {
                    (
                        m.slug.as_str(),
                        (
                            m.scheduled_for,
                            m.scheduled_until,
                            m.updates.iter().map(|u| u.at).collect(),
                        ),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    for m in &after.maintenances {
        let known = old_maintenances.get(m.slug.as_str());
        let window = Some((utc(m.scheduled_for), utc(m.scheduled_until)));
        let url = link(after, &format!("maintenances/{}.html", m.slug));
        let mut history = Vec::new();
        // New, or moved to another window: announced (again).
        if known
            .is_none_or(|(from, until, _)| (*from, *until) != (m.scheduled_for, m.scheduled_until))
        {
            out.push(Event {
                id: format!(
                    "maintenance/{}/scheduled/{}-{}",
                    m.slug,
                    m.scheduled_for.as_second(),
                    m.scheduled_until.as_second()
                ),
                kind: EventKind::MaintenanceScheduled,
                slug: m.slug.clone(),
                title: m.title.clone(),
                status: "scheduled".into(),
                status_label: "Scheduled".into(),
                impact: impact(m.impact),
                impact_label: m.impact.label().to_owned(),
                body: m.description.clone().unwrap_or_default(),
                at: utc(m.scheduled_for),
                window: window.clone(),
                components: named(after, &m.components),
                updates: Vec::new(),
                url: url.clone(),
            });
        }
        for update in &m.updates {
            history.push((
                update.status.label().to_owned(),
                utc(update.at),
                update.body.clone(),
            ));
            if known.is_some_and(|(_, _, k)| k.contains(&update.at)) {
                continue;
            }
            let mut statuses = m.components.clone();
            for c in &update.components {
                match statuses.iter_mut().find(|s| s.id == c.id) {
                    Some(s) => s.status = c.status,
                    None => statuses.push(c.clone()),
                }
            }
            out.push(Event {
                id: format!("maintenance/{}/{}", m.slug, update.at.as_second()),
                kind: EventKind::MaintenanceUpdated,
                slug: m.slug.clone(),
                title: m.title.clone(),
                status: update.status.as_str().to_owned(),
                status_label: update.status.label().to_owned(),
                impact: impact(m.impact),
                impact_label: m.impact.label().to_owned(),
                body: update.body.clone(),
                at: utc(update.at),
                window: window.clone(),
                components: named(after, &statuses),
                updates: history.clone(),
                url: url.clone(),
            });
        }
    }
    out.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
    out
}

fn named(page: &StatusPage, changes: &[ComponentChange]) -> Vec<EventComponent> {
    changes
        .iter()
        .map(|c| EventComponent {
            id: c.id.clone(),
            name: page
                .component(&c.id)
                .map_or_else(|| c.id.clone(), |k| k.name.clone()),
            status: c.status.as_str().to_owned(),
            status_label: c.status.label().to_owned(),
        })
        .collect()
}

fn impact(i: Impact) -> String {
    i.as_str().to_owned()
}

fn utc(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn link(page: &StatusPage, path: &str) -> Option<String> {
    page.page
        .url
        .as_ref()
        .map(|u| format!("{}/{path}", u.trim_end_matches('/')))
}

/// One line for people: "Investigating: Card payments failing".
pub fn headline(event: &Event) -> String {
    match event.kind {
        EventKind::MaintenanceScheduled => format!("Scheduled maintenance: {}", event.title),
        _ => format!("{}: {}", event.status_label, event.title),
    }
}
