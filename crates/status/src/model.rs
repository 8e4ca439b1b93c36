//! The status page as plain values, as [`crate::load`] returns it: validated, every reference
//! resolved, incidents and maintenances in chronological order.
//!
//! Not for: what is true *now* (see [`crate::compute`]), nor how it looks (see [`crate::build`]).

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Everything under `status/`.
#[derive(Debug, Clone)]
pub struct StatusPage {
    pub page: Page,
    /// In file order. Components listed outside any group come first, in a group without a name.
    pub groups: Vec<ComponentGroup>,
    /// By `started_at`, then slug.
    pub incidents: Vec<Incident>,
    /// By `scheduled_for`, then slug.
    pub maintenances: Vec<Maintenance>,
    /// By slug.
    pub templates: Vec<IncidentTemplate>,
    /// What monitors measured, by component id: the stretches they counted as down. Filled
    /// from the monitors' history by the commands that read it (publish, build, the preview);
    /// empty as loaded. Counted in the uptime bars beside the incidents.
    pub measured: std::collections::BTreeMap<String, Vec<MeasuredDown>>,
    /// Each monitor's recent response times, for the page's charts; filled like `measured`.
    pub response_times: Vec<ResponseSeries>,
}

/// A monitor's hourly mean response times (oldest first, none for an hour without a measured
/// check) from `from` on, for the page's chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseSeries {
    pub monitor: String,
    pub component: String,
    /// The start of the first hour (UTC).
    pub from: Timestamp,
    pub hourly: Vec<Option<u32>>,
}

/// A stretch of time a monitor counted its component as down, at the monitor's impact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeasuredDown {
    pub from: Timestamp,
    /// Exclusive.
    pub until: Timestamp,
    pub status: ComponentStatus,
}

impl StatusPage {
    /// Every component in display order.
    pub fn components(&self) -> impl Iterator<Item = &Component> {
        self.groups.iter().flat_map(|g| g.components.iter())
    }

    pub fn component(&self, id: &str) -> Option<&Component> {
        self.components().find(|c| c.id == id)
    }
}

/// `page.yaml`.
#[derive(Debug, Clone)]
pub struct Page {
    pub name: String,
    /// Where the export is published, without a trailing slash; absolute links in JSON and
    /// feeds use it. Without it those links are relative.
    pub url: Option<String>,
    /// Times are shown in this zone; uptime days are its calendar days.
    pub time_zone: TimeZone,
    pub description: Option<String>,
    /// A BCP 47 tag for `<html lang>`. The export's own words are English.
    pub locale: String,
    pub theme: Theme,
}

impl Page {
    /// The IANA name of the page's time zone, e.g. `Europe/Berlin`.
    pub fn time_zone_name(&self) -> &str {
        self.time_zone.iana_name().unwrap_or("UTC")
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Theme {
    /// `#rgb` or `#rrggbb`, checked: it is written into CSS.
    pub brand: Option<String>,
}

/// A heading on the page with its components.
#[derive(Debug, Clone)]
pub struct ComponentGroup {
    /// `None` for the components listed outside any group.
    pub name: Option<String>,
    pub description: Option<String>,
    pub components: Vec<Component>,
}

#[derive(Debug, Clone)]
pub struct Component {
    /// Unique across the page: lowercase letters, digits, `-` and `_`.
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    /// The status set by hand in `components.yaml`; incidents and maintenance can make the
    /// shown status worse, never better (see [`crate::compute::current`]).
    pub status: ComponentStatus,
    /// What the component stands for in the GitOps repository. Never exported.
    pub links: ComponentLinks,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComponentLinks {
    pub env: Option<String>,
    pub workloads: Vec<String>,
}

/// A component's status, in Statuspage's words. Ordered from best to worst.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "snake_case")]
pub enum ComponentStatus {
    Operational,
    UnderMaintenance,
    DegradedPerformance,
    PartialOutage,
    MajorOutage,
}

impl ComponentStatus {
    pub const ALL: [ComponentStatus; 5] = [
        ComponentStatus::Operational,
        ComponentStatus::UnderMaintenance,
        ComponentStatus::DegradedPerformance,
        ComponentStatus::PartialOutage,
        ComponentStatus::MajorOutage,
    ];

    /// The word in the files and in Statuspage JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ComponentStatus::Operational => "operational",
            ComponentStatus::UnderMaintenance => "under_maintenance",
            ComponentStatus::DegradedPerformance => "degraded_performance",
            ComponentStatus::PartialOutage => "partial_outage",
            ComponentStatus::MajorOutage => "major_outage",
        }
    }

    /// The words on the page.
    pub fn label(self) -> &'static str {
        match self {
            ComponentStatus::Operational => "Operational",
            ComponentStatus::UnderMaintenance => "Under maintenance",
            ComponentStatus::DegradedPerformance => "Degraded performance",
            ComponentStatus::PartialOutage => "Partial outage",
            ComponentStatus::MajorOutage => "Major outage",
        }
    }

    /// How much of the time in this status counts as downtime, in tenths: a major outage
    /// counts fully, a partial outage 0.3, everything else not at all.
    pub fn downtime_tenths(self) -> u64 {
        match self {
            ComponentStatus::MajorOutage => 10,
            ComponentStatus::PartialOutage => 3,
            _ => 0,
        }
    }

    pub fn parse(word: &str) -> Option<ComponentStatus> {
        ComponentStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == word)
    }
}

/// The stage of an incident.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "snake_case")]
pub enum IncidentStatus {
    Investigating,
    Identified,
    Monitoring,
    Resolved,
    Postmortem,
}

impl IncidentStatus {
    pub const ALL: [IncidentStatus; 5] = [
        IncidentStatus::Investigating,
        IncidentStatus::Identified,
        IncidentStatus::Monitoring,
        IncidentStatus::Resolved,
        IncidentStatus::Postmortem,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            IncidentStatus::Investigating => "investigating",
            IncidentStatus::Identified => "identified",
            IncidentStatus::Monitoring => "monitoring",
            IncidentStatus::Resolved => "resolved",
            IncidentStatus::Postmortem => "postmortem",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            IncidentStatus::Investigating => "Investigating",
            IncidentStatus::Identified => "Identified",
            IncidentStatus::Monitoring => "Monitoring",
            IncidentStatus::Resolved => "Resolved",
            IncidentStatus::Postmortem => "Postmortem",
        }
    }

    /// Resolved and postmortem: the incident is over.
    pub fn is_closed(self) -> bool {
        matches!(self, IncidentStatus::Resolved | IncidentStatus::Postmortem)
    }

    pub fn parse(word: &str) -> Option<IncidentStatus> {
        IncidentStatus::ALL.into_iter().find(|s| s.as_str() == word)
    }
}

/// How bad an incident is for the page as a whole. Ordered from least to worst.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    None,
    Minor,
    Major,
    Critical,
}

impl Impact {
    pub const ALL: [Impact; 4] = [Impact::None, Impact::Minor, Impact::Major, Impact::Critical];

    pub fn as_str(self) -> &'static str {
        match self {
            Impact::None => "none",
            Impact::Minor => "minor",
            Impact::Major => "major",
            Impact::Critical => "critical",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Impact::None => "No impact",
            Impact::Minor => "Minor impact",
            Impact::Major => "Major impact",
            Impact::Critical => "Critical impact",
        }
    }

    pub fn parse(word: &str) -> Option<Impact> {
        Impact::ALL.into_iter().find(|s| s.as_str() == word)
    }
}

/// The stage of a scheduled maintenance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaintenanceStatus {
    Scheduled,
    InProgress,
    Verifying,
    Completed,
}

impl MaintenanceStatus {
    pub const ALL: [MaintenanceStatus; 4] = [
        MaintenanceStatus::Scheduled,
        MaintenanceStatus::InProgress,
        MaintenanceStatus::Verifying,
        MaintenanceStatus::Completed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MaintenanceStatus::Scheduled => "scheduled",
            MaintenanceStatus::InProgress => "in_progress",
            MaintenanceStatus::Verifying => "verifying",
            MaintenanceStatus::Completed => "completed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MaintenanceStatus::Scheduled => "Scheduled",
            MaintenanceStatus::InProgress => "In progress",
            MaintenanceStatus::Verifying => "Verifying",
            MaintenanceStatus::Completed => "Completed",
        }
    }

    pub fn parse(word: &str) -> Option<MaintenanceStatus> {
        MaintenanceStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == word)
    }
}

/// A component named by an incident, an update or a maintenance, with the status it gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ComponentChange {
    pub id: String,
    pub status: ComponentStatus,
}

/// `incidents/<slug>.md`.
#[derive(Debug, Clone)]
pub struct Incident {
    /// The file name without `.md`, e.g. `2026-10-16-api-errors`.
    pub slug: String,
    pub title: String,
    /// The stage as the file says it now.
    pub status: IncidentStatus,
    pub impact: Impact,
    pub started_at: Timestamp,
    /// Given, or the time of the first `resolved` update; set whenever the status is closed.
    pub resolved_at: Option<Timestamp>,
    /// The components affected from the start, with their status then, in file order.
    pub components: Vec<ComponentChange>,
    /// Oldest first (stable for updates at the same time).
    pub updates: Vec<IncidentUpdate>,
    /// The Markdown body after the front matter, when there is one.
    pub postmortem: Option<String>,
}

#[derive(Debug, Clone)]
pub struct IncidentUpdate {
    pub at: Timestamp,
    pub status: IncidentStatus,
    /// Markdown.
    pub body: String,
    /// New statuses of components from this update on.
    pub components: Vec<ComponentChange>,
}

/// `maintenances/<slug>.md`.
#[derive(Debug, Clone)]
pub struct Maintenance {
    pub slug: String,
    pub title: String,
    /// The stage as the file says it now (see [`crate::compute::maintenance_status`]).
    pub status: MaintenanceStatus,
    pub impact: Impact,
    pub scheduled_for: Timestamp,
    /// Exclusive; after `scheduled_for`.
    pub scheduled_until: Timestamp,
    /// The zone the window was planned in, when it is not the page's.
    pub time_zone: Option<TimeZone>,
    pub components: Vec<ComponentChange>,
    /// Oldest first.
    pub updates: Vec<MaintenanceUpdate>,
    /// The Markdown body after the front matter, when there is one.
    pub description: Option<String>,
    /// How it repeats (`recurrence:` and `except:`), when it does.
    pub recurrence: Option<Recurrence>,
    /// The repeating maintenance this is an occurrence of (see `recurrence::expand`).
    pub series: Option<Series>,
}

/// How a maintenance repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recurrence {
    /// The RRULE's value as written, without `RRULE:` and without a DTSTART (the window's
    /// start is the first occurrence).
    pub rule: String,
    /// Dates (in the maintenance's zone) on which it does not happen.
    pub except: Vec<Date>,
}

/// An occurrence's link to the maintenance that repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    /// The repeating maintenance's file name without `.md`.
    pub slug: String,
    pub recurrence: Recurrence,
    /// The first occurrence's window.
    pub first: (Timestamp, Timestamp),
    /// The zone the rule runs in (the maintenance's, else the page's).
    pub time_zone: TimeZone,
}

#[derive(Debug, Clone)]
pub struct MaintenanceUpdate {
    pub at: Timestamp,
    pub status: MaintenanceStatus,
    /// Markdown.
    pub body: String,
    pub components: Vec<ComponentChange>,
}

/// `templates/<slug>.md`: the start of a new incident, for the editor.
#[derive(Debug, Clone)]
pub struct IncidentTemplate {
    pub slug: String,
    pub title: String,
    pub status: Option<IncidentStatus>,
    pub impact: Option<Impact>,
    pub components: Vec<ComponentChange>,
    /// Markdown: the body of the first update.
    pub body: String,
}
