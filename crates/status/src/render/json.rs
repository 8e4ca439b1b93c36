//! `api/v2/*.json` in the shape of Atlassian Statuspage's public API v2, so tools that read a
//! Statuspage (widgets, aggregators, `statuspage` clients) read ours.
//!
//! Groups are components with `group: true` and the ids of their members, as Statuspage does.
//! Lists of incidents and maintenances hold the 50 most recent, as Statuspage's do.

use super::html;
use super::site::{IncidentView, MaintenanceView, Site, UpdateView};
use crate::compute::maintenance_status;
use crate::model::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// How many incidents and maintenances `incidents.json` and `scheduled-maintenances.json` list.
const RECENT: usize = 50;

#[derive(Serialize)]
struct PageJson<'a> {
    id: &'a str,
    name: &'a str,
    url: String,
    time_zone: &'a str,
    updated_at: String,
}

#[derive(Serialize, Clone)]
struct ComponentJson<'a> {
    id: String,
    name: &'a str,
    status: ComponentStatus,
    created_at: String,
    updated_at: String,
    position: usize,
    description: Option<&'a str>,
    showcase: bool,
    start_date: Option<String>,
    group_id: Option<String>,
    page_id: &'a str,
    group: bool,
    only_show_if_degraded: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    components: Option<Vec<String>>,
}

#[derive(Serialize)]
struct StatusJson {
    indicator: &'static str,
    description: &'static str,
}

#[derive(Serialize)]
struct AffectedJson<'a> {
    code: String,
    name: &'a str,
    old_status: ComponentStatus,
    new_status: ComponentStatus,
}

#[derive(Serialize)]
struct UpdateJson<'a> {
    id: &'a str,
    status: &'static str,
    body: &'a str,
    incident_id: &'a str,
    created_at: String,
    updated_at: String,
    display_at: String,
    affected_components: Vec<AffectedJson<'a>>,
    deliver_notifications: bool,
    custom_tweet: Option<String>,
    tweet_id: Option<String>,
}

#[derive(Serialize)]
struct IncidentJson<'a> {
    id: &'a str,
    name: &'a str,
    status: &'static str,
    created_at: String,
    updated_at: String,
    monitoring_at: Option<String>,
    resolved_at: Option<String>,
    impact: Impact,
    shortlink: String,
    started_at: String,
    page_id: &'a str,
    incident_updates: Vec<UpdateJson<'a>>,
    components: Vec<ComponentJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scheduled_for: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scheduled_until: Option<String>,
}

#[derive(Serialize)]
struct Summary<'a> {
    page: &'a PageJson<'a>,
    components: &'a [ComponentJson<'a>],
    incidents: &'a [IncidentJson<'a>],
    scheduled_maintenances: &'a [IncidentJson<'a>],
    status: &'a StatusJson,
}

#[derive(Serialize)]
struct WithStatus<'a> {
    page: &'a PageJson<'a>,
    status: &'a StatusJson,
}

#[derive(Serialize)]
struct WithComponents<'a> {
    page: &'a PageJson<'a>,
    components: &'a [ComponentJson<'a>],
}

#[derive(Serialize)]
struct WithIncidents<'a> {
    page: &'a PageJson<'a>,
    incidents: &'a [IncidentJson<'a>],
}

#[derive(Serialize)]
struct WithMaintenances<'a> {
    page: &'a PageJson<'a>,
    scheduled_maintenances: &'a [IncidentJson<'a>],
}

pub(super) fn render<'a>(site: &'a Site<'a>, out: &mut BTreeMap<String, Vec<u8>>) {
    let page = PageJson {
        id: &site.page_id,
        name: &site.model.page.name,
        url: site.model.page.url.clone().unwrap_or_default(),
        time_zone: site.model.page.time_zone_name(),
        updated_at: site.iso(site.updated_at),
    };
    let status = StatusJson {
        indicator: site.current.indicator.as_str(),
        description: site.current.indicator.description(),
    };
    let components = components(site);
    let by_id: BTreeMap<&str, &ComponentJson> = site
        .model
        .components()
        .zip(components.iter().filter(|c| !c.group))
        .map(|(c, j)| (c.id.as_str(), j))
        .collect();

    let incidents: Vec<IncidentJson> = site
        .incidents
        .iter()
        .take(RECENT)
        .map(|i| incident(site, &by_id, i))
        .collect();
    let unresolved: Vec<IncidentJson> = site
        .incidents
        .iter()
        .filter(|i| i.open)
        .map(|i| incident(site, &by_id, i))
        .collect();

    let maintenances: Vec<IncidentJson> = site
        .maintenances
        .iter()
        .take(RECENT)
        .map(|m| maintenance(site, &by_id, m))
        .collect();
    let pick = |wanted: &[MaintenanceStatus]| -> Vec<IncidentJson> {
        // Soonest first, as Statuspage lists upcoming work.
        site.maintenances
            .iter()
            .rev()
            .filter(|m| wanted.contains(&maintenance_status(m.maintenance, site.now)))
            .map(|m| maintenance(site, &by_id, m))
            .collect()
    };
    let active = pick(&[MaintenanceStatus::InProgress, MaintenanceStatus::Verifying]);
    let upcoming = pick(&[MaintenanceStatus::Scheduled]);
    let current_maintenances = pick(&[
        MaintenanceStatus::InProgress,
        MaintenanceStatus::Verifying,
        MaintenanceStatus::Scheduled,
    ]);

    let mut put = |path: &str, value: &dyn erased::Json| {
        out.insert(format!("api/v2/{path}"), value.bytes());
    };
    put(
        "summary.json",
        &Summary {
            page: &page,
            components: &components,
            incidents: &unresolved,
            scheduled_maintenances: &current_maintenances,
            status: &status,
        },
    );
    put(
        "status.json",
        &WithStatus {
            page: &page,
            status: &status,
        },
    );
    put(
        "components.json",
        &WithComponents {
            page: &page,
            components: &components,
        },
    );
    put(
        "incidents.json",
        &WithIncidents {
            page: &page,
            incidents: &incidents,
        },
    );
    put(
        "incidents/unresolved.json",
        &WithIncidents {
            page: &page,
            incidents: &unresolved,
        },
    );
    put(
        "scheduled-maintenances.json",
        &WithMaintenances {
            page: &page,
            scheduled_maintenances: &maintenances,
        },
    );
    put(
        "scheduled-maintenances/upcoming.json",
        &WithMaintenances {
            page: &page,
            scheduled_maintenances: &upcoming,
        },
    );
    put(
        "scheduled-maintenances/active.json",
        &WithMaintenances {
            page: &page,
            scheduled_maintenances: &active,
        },
    );
}

/// Serialising different document types through one closure.
mod erased {
    pub trait Json {
        fn bytes(&self) -> Vec<u8>;
    }
    impl<T: serde::Serialize> Json for T {
        fn bytes(&self) -> Vec<u8> {
            let mut v = serde_json::to_vec_pretty(self).expect("documents serialize");
            v.push(b'\n');
            v
        }
    }
}

/// Groups and components in page order; each group is followed by its members.
fn components<'a>(site: &'a Site<'a>) -> Vec<ComponentJson<'a>> {
    let created = site.iso(site.created_at);
    let mut out = Vec::new();
    let mut position = 0;
    for (n, g) in site.model.groups.iter().enumerate() {
        let group_id = g
            .name
            .as_ref()
            .map(|name| super::ids::stable_id("group", &format!("{n}/{name}")));
        if let (Some(id), Some(name)) = (&group_id, &g.name) {
            position += 1;
            let worst = g
                .components
                .iter()
                .filter_map(|c| site.current.components.get(&c.id))
                .max()
                .copied()
                .unwrap_or(ComponentStatus::Operational);
            let updated = g
                .components
                .iter()
                .filter_map(|c| site.component_updated.get(c.id.as_str()))
                .max()
                .copied()
                .unwrap_or(site.created_at);
            out.push(ComponentJson {
                id: id.clone(),
                name,
                status: worst,
                created_at: created.clone(),
                updated_at: site.iso(updated),
                position,
                description: g.description.as_deref(),
                showcase: false,
                start_date: None,
                group_id: None,
                page_id: &site.page_id,
                group: true,
                only_show_if_degraded: false,
                components: Some(
                    g.components
                        .iter()
                        .map(|c| site.component_ids[c.id.as_str()].clone())
                        .collect(),
                ),
            });
        }
        for c in &g.components {
            position += 1;
            out.push(ComponentJson {
                id: site.component_ids[c.id.as_str()].clone(),
                name: &c.name,
                status: site.current.components[&c.id],
                created_at: created.clone(),
                updated_at: site.iso(
                    site.component_updated
                        .get(c.id.as_str())
                        .copied()
                        .unwrap_or(site.created_at),
                ),
                position,
                description: c.description.as_deref(),
                showcase: true,
                start_date: None,
                group_id: group_id.clone(),
                page_id: &site.page_id,
                group: false,
                only_show_if_degraded: false,
                components: None,
            });
        }
    }
    out
}

fn affected<'a>(site: &'a Site<'a>, u: &'a UpdateView) -> Vec<AffectedJson<'a>> {
    u.changes
        .iter()
        .map(|(id, old, new)| AffectedJson {
            code: site.component_ids[id].clone(),
            name: site.component_name(id),
            old_status: *old,
            new_status: *new,
        })
        .collect()
}

fn updates<'a>(site: &'a Site<'a>, parent: &'a str, list: &'a [UpdateView]) -> Vec<UpdateJson<'a>> {
    list.iter()
        .map(|u| {
            let at = site.iso(u.at);
            UpdateJson {
                id: &u.id,
                status: u.status,
                body: u.body,
                incident_id: parent,
                created_at: at.clone(),
                updated_at: at.clone(),
                display_at: at,
                affected_components: affected(site, u),
                deliver_notifications: true,
                custom_tweet: None,
                tweet_id: None,
            }
        })
        .collect()
}

fn listed<'a>(
    by_id: &BTreeMap<&str, &ComponentJson<'a>>,
    changes: &[ComponentChange],
) -> Vec<ComponentJson<'a>> {
    changes
        .iter()
        .filter_map(|c| by_id.get(c.id.as_str()).map(|j| (*j).clone()))
        .collect()
}

fn incident<'a>(
    site: &'a Site<'a>,
    by_id: &BTreeMap<&str, &ComponentJson<'a>>,
    v: &'a IncidentView,
) -> IncidentJson<'a> {
    let i = v.incident;
    IncidentJson {
        id: &v.id,
        name: &i.title,
        status: v.status.as_str(),
        created_at: site.iso(i.started_at),
        updated_at: site.iso(v.updated_at),
        monitoring_at: v.monitoring_at.map(|t| site.iso(t)),
        resolved_at: v.resolved_at.map(|t| site.iso(t)),
        impact: i.impact,
        shortlink: site.link(&html::incident_path(&i.slug)),
        started_at: site.iso(i.started_at),
        page_id: &site.page_id,
        incident_updates: updates(site, &v.id, &v.updates),
        components: listed(by_id, &v.components),
        scheduled_for: None,
        scheduled_until: None,
    }
}

fn maintenance<'a>(
    site: &'a Site<'a>,
    by_id: &BTreeMap<&str, &ComponentJson<'a>>,
    v: &'a MaintenanceView,
) -> IncidentJson<'a> {
    let m = v.maintenance;
    let created = v
        .updates
        .last()
        .map_or(m.scheduled_for, |u| u.at)
        .min(m.scheduled_for);
    let finished = (v.status == MaintenanceStatus::Completed).then(|| {
        v.updates
            .iter()
            .find(|u| u.status == "completed")
            .map_or(m.scheduled_until, |u| u.at)
    });
    IncidentJson {
        id: &v.id,
        name: &m.title,
        status: v.status.as_str(),
        created_at: site.iso(created),
        updated_at: site.iso(v.updated_at),
        monitoring_at: None,
        resolved_at: finished.map(|t| site.iso(t)),
        impact: m.impact,
        shortlink: site.link(&html::maintenance_path(&m.slug)),
        started_at: site.iso(m.scheduled_for),
        page_id: &site.page_id,
        incident_updates: updates(site, &v.id, &v.updates),
        components: listed(by_id, &v.components),
        scheduled_for: Some(site.iso(m.scheduled_for)),
        scheduled_until: Some(site.iso(m.scheduled_until)),
    }
}
