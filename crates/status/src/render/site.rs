//! The page's data as every output shows it: the model as of a moment, with statuses, uptimes
//! and the incidents and maintenances in view computed once, and the time formats they share.

use super::{ids, markdown};
use crate::compute::{self, ComponentUptime, CurrentStatus};
use crate::model::*;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use std::collections::{BTreeMap, HashMap};

/// The model as of `now`, with what every output needs computed once.
pub(crate) struct Site<'a> {
    pub model: &'a StatusPage,
    pub now: Timestamp,
    pub tz: &'a TimeZone,
    pub page_id: String,
    pub current: CurrentStatus,
    pub uptimes: BTreeMap<String, ComponentUptime>,
    pub components: HashMap<&'a str, &'a Component>,
    /// Statuspage ids of components, by component id.
    pub component_ids: HashMap<&'a str, String>,
    /// Started by `now`, newest first.
    pub incidents: Vec<IncidentView<'a>>,
    /// Latest window first.
    pub maintenances: Vec<MaintenanceView<'a>>,
    /// The latest moment anything happened, up to `now` (`now` on a page without events).
    pub updated_at: Timestamp,
    /// The earliest moment anything happened (`now` on a page without events).
    pub created_at: Timestamp,
    /// The latest moment something happened to each component, up to `now`.
    pub component_updated: HashMap<&'a str, Timestamp>,
}

pub(crate) struct IncidentView<'a> {
    pub incident: &'a Incident,
    pub id: String,
    pub status: IncidentStatus,
    pub open: bool,
    /// Newest first, up to `now`.
    pub updates: Vec<UpdateView<'a>>,
    /// Affected components with their status as of `now`.
    pub components: Vec<ComponentChange>,
    pub updated_at: Timestamp,
    pub monitoring_at: Option<Timestamp>,
    pub resolved_at: Option<Timestamp>,
    pub postmortem_html: Option<String>,
}

pub(crate) struct MaintenanceView<'a> {
    pub maintenance: &'a Maintenance,
    pub id: String,
    pub status: MaintenanceStatus,
    /// Newest first, up to `now`.
    pub updates: Vec<UpdateView<'a>>,
    pub components: Vec<ComponentChange>,
    pub updated_at: Timestamp,
    pub description_html: Option<String>,
}

pub(crate) struct UpdateView<'a> {
    pub id: String,
    pub at: Timestamp,
    /// The status word (`identified`, `in_progress`…) and its label.
    pub status: &'static str,
    pub label: &'static str,
    pub body: &'a str,
    pub body_html: String,
    /// Components this update changed: (component id, status before, status after).
    pub changes: Vec<(&'a str, ComponentStatus, ComponentStatus)>,
}

impl<'a> Site<'a> {
    pub(super) fn new(model: &'a StatusPage, now: Timestamp) -> Self {
        let tz = &model.page.time_zone;
        let page_id = ids::stable_id("page", &model.page.name);
        let components: HashMap<&str, &Component> =
            model.components().map(|c| (c.id.as_str(), c)).collect();
        let component_ids = model
            .components()
            .map(|c| (c.id.as_str(), ids::stable_id("component", &c.id)))
            .collect();
        let mut events: Vec<Timestamp> = Vec::new();
        let mut component_updated: HashMap<&str, Timestamp> = HashMap::new();
        let mut touch = |id: &str, at: Timestamp| {
            if let Some((&key, _)) = components.get_key_value(id) {
                let e = component_updated.entry(key).or_insert(at);
                *e = (*e).max(at);
            }
        };

        let mut incidents: Vec<IncidentView> = model
            .incidents
            .iter()
            .filter(|i| i.started_at <= now)
            .map(|i| {
                let view = incident_view(i, now);
                events.push(i.started_at);
                events.push(view.updated_at);
                for c in &i.components {
                    touch(&c.id, i.started_at);
                }
                for u in &view.updates {
                    for (id, _, _) in &u.changes {
                        touch(id, u.at);
                    }
                }
                if let Some(r) = view.resolved_at {
                    for c in &view.components {
                        touch(&c.id, r);
                    }
                }
                view
            })
            .collect();
        incidents.reverse();

        let mut maintenances: Vec<MaintenanceView> = model
            .maintenances
            .iter()
            .map(|m| {
                let view = maintenance_view(m, now);
                for u in &view.updates {
                    events.push(u.at);
                }
                // The window's edges change components' statuses once they are passed.
                for edge in [m.scheduled_for, m.scheduled_until] {
                    if edge <= now {
                        events.push(edge);
                        for c in &m.components {
                            touch(&c.id, edge);
                        }
                    }
                }
                view
            })
            .collect();
        maintenances.reverse();

        let updated_at = events
            .iter()
            .copied()
            .filter(|t| *t <= now)
            .max()
            .unwrap_or(now);
        let created_at = events.iter().copied().min().unwrap_or(now).min(now);
        Site {
            model,
            now,
            tz,
            page_id,
            current: compute::current(model, now),
            uptimes: compute::uptimes(model, now),
            components,
            component_ids,
            incidents,
            maintenances,
            updated_at,
            created_at,
            component_updated,
        }
    }

    pub fn component_name(&self, id: &str) -> &'a str {
        self.components.get(id).map_or("", |c| c.name.as_str())
    }

    /// Where a path of the export is published: absolute with the page's URL, else relative.
    pub fn link(&self, path: &str) -> String {
        match &self.model.page.url {
            Some(url) => format!("{url}/{path}"),
            None => path.to_string(),
        }
    }

    pub fn iso(&self, t: Timestamp) -> String {
        iso(t, self.tz)
    }

    pub fn human(&self, t: Timestamp) -> String {
        human(t, self.tz)
    }
}

fn incident_view(i: &Incident, now: Timestamp) -> IncidentView<'_> {
    let status = compute::incident_status(i, now).unwrap_or(IncidentStatus::Investigating);
    let mut before: Vec<(&str, ComponentStatus)> = Vec::new();
    let mut updates: Vec<UpdateView> = Vec::with_capacity(i.updates.len());
    let mut counts: HashMap<i64, usize> = HashMap::new();
    for u in i.updates.iter().filter(|u| u.at <= now) {
        let n = counts.entry(u.at.as_second()).or_default();
        *n += 1;
        let changes = u
            .components
            .iter()
            .map(|c| {
                let old = match before.iter_mut().find(|(id, _)| *id == c.id) {
                    Some(entry) => std::mem::replace(&mut entry.1, c.status),
                    None => {
                        before.push((&c.id, c.status));
                        ComponentStatus::Operational
                    }
                };
                (c.id.as_str(), old, c.status)
            })
            .collect();
        updates.push(UpdateView {
            id: ids::stable_id(
                "incident_update",
                &format!("{}/{}/{}", i.slug, u.at.as_second(), n),
            ),
            at: u.at,
            status: u.status.as_str(),
            label: u.status.label(),
            body: &u.body,
            body_html: markdown::to_html(&u.body),
            changes,
        });
    }
    updates.reverse();
    let resolved_at = i.resolved_at.filter(|r| *r <= now);
    let updated_at = updates
        .first()
        .map(|u| u.at)
        .into_iter()
        .chain(resolved_at)
        .chain([i.started_at])
        .max()
        .unwrap_or(i.started_at);
    IncidentView {
        incident: i,
        id: ids::stable_id("incident", &i.slug),
        status,
        open: compute::is_open(i, now),
        monitoring_at: updates
            .iter()
            .rev()
            .find(|u| u.status == "monitoring")
            .map(|u| u.at),
        updates,
        components: compute::incident_components(i, now),
        updated_at,
        resolved_at,
        postmortem_html: i.postmortem.as_deref().map(markdown::to_html),
    }
}

fn maintenance_view(m: &Maintenance, now: Timestamp) -> MaintenanceView<'_> {
    let mut counts: HashMap<i64, usize> = HashMap::new();
    let mut updates: Vec<UpdateView> = m
        .updates
        .iter()
        .filter(|u| u.at <= now)
        .map(|u| {
            let n = counts.entry(u.at.as_second()).or_default();
            *n += 1;
            UpdateView {
                id: ids::stable_id(
                    "maintenance_update",
                    &format!("{}/{}/{}", m.slug, u.at.as_second(), n),
                ),
                at: u.at,
                status: u.status.as_str(),
                label: u.status.label(),
                body: &u.body,
                body_html: markdown::to_html(&u.body),
                changes: u
                    .components
                    .iter()
                    .map(|c| (c.id.as_str(), ComponentStatus::Operational, c.status))
                    .collect(),
            }
        })
        .collect();
    updates.reverse();
    let status = compute::maintenance_status(m, now);
    let mut updated_at = updates.first().map_or(m.scheduled_for.min(now), |u| u.at);
    for edge in [m.scheduled_for, m.scheduled_until] {
        if edge <= now {
            updated_at = updated_at.max(edge);
        }
    }
    MaintenanceView {
        maintenance: m,
        id: ids::stable_id("maintenance", &m.slug),
        status,
        updates,
        components: m.components.clone(),
        updated_at,
        description_html: m.description.as_deref().map(markdown::to_html),
    }
}

/// `2026-10-16T09:12:00.000+02:00`, as Statuspage writes times.
pub(crate) fn iso(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned(tz.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%.3f%:z")
        .to_string()
}

/// `16 Oct 2026, 09:12 CEST`.
pub(crate) fn human(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned(tz.clone())
        .strftime("%-d %b %Y, %H:%M %Z")
        .to_string()
}

/// `1 h 29 min`, `3 d 2 h`, `45 s`.
pub(crate) fn duration(seconds: i64) -> String {
    let s = seconds.max(0);
    let (d, h, m) = (s / 86_400, s % 86_400 / 3_600, s % 3_600 / 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{s} s"),
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

#[cfg(test)]
mod tests {
    use super::duration;

    #[test]
    fn durations_read_like_people_write_them() {
        assert_eq!(duration(45), "45 s");
        assert_eq!(duration(89 * 60), "1 h 29 min");
        assert_eq!(duration(7200), "2 h");
        assert_eq!(duration(3 * 86_400 + 7_300), "3 d 2 h");
    }
}
