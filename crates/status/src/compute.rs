//! What the status page says at a given moment: the status of each component and of the page,
//! and 90-day uptime from incident history. Pure: everything takes `now`.
//!
//! Rules, in short:
//! - a component's status is the worst of its status in `components.yaml`, its status in every
//!   incident open at `now` (the incident's initial statuses, changed by its updates so far),
//!   and `under_maintenance` (or what the maintenance says) while a maintenance naming it is in
//!   progress or verifying;
//! - the page's indicator is the worst of its components' statuses and of the impacts of open
//!   incidents;
//! - uptime counts time in `major_outage` fully and in `partial_outage` as 0.3; degraded
//!   performance and maintenance do not count. Overlapping incidents count once, at the worst
//!   status. Days are calendar days in the page's time zone.

use crate::model::*;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Uptime bars and percentages cover this many calendar days, today included.
pub const UPTIME_DAYS: usize = 90;

/// The page's overall state, as Statuspage's `status` object has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Indicator {
    None,
    Maintenance,
    Minor,
    Major,
    Critical,
}

impl Indicator {
    pub fn as_str(self) -> &'static str {
        match self {
            Indicator::None => "none",
            Indicator::Maintenance => "maintenance",
            Indicator::Minor => "minor",
            Indicator::Major => "major",
            Indicator::Critical => "critical",
        }
    }

    /// Statuspage's sentence for the indicator.
    pub fn description(self) -> &'static str {
        match self {
            Indicator::None => "All Systems Operational",
            Indicator::Maintenance => "Service Under Maintenance",
            Indicator::Minor => "Partially Degraded Service",
            Indicator::Major => "Partial System Outage",
            Indicator::Critical => "Major System Outage",
        }
    }

    fn of_component(status: ComponentStatus) -> Indicator {
        match status {
            ComponentStatus::Operational => Indicator::None,
            ComponentStatus::UnderMaintenance => Indicator::Maintenance,
            ComponentStatus::DegradedPerformance => Indicator::Minor,
            ComponentStatus::PartialOutage => Indicator::Major,
            ComponentStatus::MajorOutage => Indicator::Critical,
        }
    }

    fn of_impact(impact: Impact) -> Indicator {
        match impact {
            Impact::None => Indicator::None,
            Impact::Minor => Indicator::Minor,
            Impact::Major => Indicator::Major,
            Impact::Critical => Indicator::Critical,
        }
    }
}

/// The statuses shown at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentStatus {
    pub indicator: Indicator,
    /// Every component, by id.
    pub components: BTreeMap<String, ComponentStatus>,
}

/// Status of every component and of the page at `now`.
pub fn current(model: &StatusPage, now: Timestamp) -> CurrentStatus {
    let model = &*crate::recurrence::expand(model, now);
    let mut components: BTreeMap<String, ComponentStatus> = model
        .components()
        .map(|c| (c.id.clone(), c.status))
        .collect();
    let mut indicator = Indicator::None;
    let mut worsen = |changes: &[ComponentChange]| {
        for c in changes {
            if let Some(s) = components.get_mut(&c.id) {
                *s = (*s).max(c.status);
            }
        }
    };
    for i in model.incidents.iter().filter(|i| is_open(i, now)) {
        indicator = indicator.max(Indicator::of_impact(i.impact));
        worsen(&incident_components(i, now));
    }
    for m in &model.maintenances {
        if matches!(
            maintenance_status(m, now),
            MaintenanceStatus::InProgress | MaintenanceStatus::Verifying
        ) {
            worsen(&maintenance_components(m, now));
        }
    }
    for s in components.values() {
        indicator = indicator.max(Indicator::of_component(*s));
    }
    CurrentStatus {
        indicator,
        components,
    }
}

/// Started and not yet resolved at `now`.
pub fn is_open(incident: &Incident, now: Timestamp) -> bool {
    incident.started_at <= now && incident.resolved_at.is_none_or(|r| now < r)
}

/// The incident's stage at `now`; `None` before it started. When the file's updates reach past
/// `now` (a build for an earlier moment), the latest update until then decides.
pub fn incident_status(incident: &Incident, now: Timestamp) -> Option<IncidentStatus> {
    if incident.started_at > now {
        return None;
    }
    let settled = incident.updates.iter().all(|u| u.at <= now)
        && incident.resolved_at.is_none_or(|r| r <= now);
    if settled {
        return Some(incident.status);
    }
    let latest = incident
        .updates
        .iter()
        .rev()
        .find(|u| u.at <= now)
        .map_or(IncidentStatus::Investigating, |u| u.status);
    Some(match (is_open(incident, now), latest.is_closed()) {
        (true, true) => IncidentStatus::Monitoring,
        (false, false) => IncidentStatus::Resolved,
        _ => latest,
    })
}

/// The components the incident affects at `now`, with their status then: the initial
/// statuses changed by every update until `now`, in order of first mention.
pub fn incident_components(incident: &Incident, now: Timestamp) -> Vec<ComponentChange> {
    apply_changes(
        &incident.components,
        incident
            .updates
            .iter()
            .filter(|u| u.at <= now)
            .map(|u| u.components.as_slice()),
    )
}

fn maintenance_components(m: &Maintenance, now: Timestamp) -> Vec<ComponentChange> {
    apply_changes(
        &m.components,
        m.updates
            .iter()
            .filter(|u| u.at <= now)
            .map(|u| u.components.as_slice()),
    )
}

fn apply_changes<'a>(
    initial: &[ComponentChange],
    updates: impl Iterator<Item = &'a [ComponentChange]>,
) -> Vec<ComponentChange> {
    let mut out = initial.to_vec();
    for changes in updates {
        for c in changes {
            match out.iter_mut().find(|o| o.id == c.id) {
                Some(o) => o.status = c.status,
                None => out.push(c.clone()),
            }
        }
    }
    out
}

/// The maintenance's stage at `now`. A `scheduled` maintenance follows its window: in progress
/// inside it, completed after it. Stages set by hand (`in_progress`, `verifying`, `completed`)
/// stay as written.
pub fn maintenance_status(m: &Maintenance, now: Timestamp) -> MaintenanceStatus {
    let declared = if m.updates.iter().all(|u| u.at <= now) {
        m.status
    } else {
        m.updates
            .iter()
            .rev()
            .find(|u| u.at <= now)
            .map_or(MaintenanceStatus::Scheduled, |u| u.status)
    };
    match declared {
        MaintenanceStatus::Scheduled if now >= m.scheduled_until => MaintenanceStatus::Completed,
        MaintenanceStatus::Scheduled if now >= m.scheduled_for => MaintenanceStatus::InProgress,
        other => other,
    }
}

// ---- uptime ----

/// A stretch of time in which a component was not operational.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outage {
    pub from: Timestamp,
    /// Exclusive.
    pub until: Timestamp,
    pub status: ComponentStatus,
}

/// One calendar day of a component's uptime bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayUptime {
    pub date: Date,
    /// The worst status the component had during the day.
    pub worst: ComponentStatus,
    /// Seconds spent in each status worse than operational, indexed like
    /// [`ComponentStatus::ALL`] (index 0, operational, stays 0).
    pub seconds: [u64; 5],
    /// Weighted downtime in tenths of a second (major outage × 10, partial outage × 3).
    pub downtime_tenths: u64,
    /// How many seconds of the day are counted (less than a day for today, and on days when
    /// clocks change).
    pub length: u64,
}

/// A component's uptime over the last [`UPTIME_DAYS`] days.
#[derive(Debug, Clone, PartialEq)]
pub struct ComponentUptime {
    /// Oldest first; [`UPTIME_DAYS`] of them, the last one is today.
    pub days: Vec<DayUptime>,
    /// Weighted uptime between 0 and 1.
    pub ratio: f64,
}

/// The fraction of `[from, until)` that was up, given outages (which may overlap: overlapping
/// time counts once, at the worst status).
pub fn uptime_ratio(outages: &[Outage], from: Timestamp, until: Timestamp) -> f64 {
    let total = until.as_second() - from.as_second();
    if total <= 0 {
        return 1.0;
    }
    let mut down_tenths: u64 = 0;
    for (a, b, status) in flatten(outages) {
        let a = a.max(from.as_second());
        let b = b.min(until.as_second());
        if b > a {
            down_tenths += (b - a) as u64 * status.downtime_tenths();
        }
    }
    1.0 - down_tenths as f64 / (total as f64 * 10.0)
}

/// Non-overlapping `(from, until, worst status)` stretches in seconds, in time order.
fn flatten(outages: &[Outage]) -> Vec<(i64, i64, ComponentStatus)> {
    let mut events: Vec<(i64, i32, usize)> = Vec::with_capacity(outages.len() * 2);
    for o in outages {
        if o.until > o.from && o.status != ComponentStatus::Operational {
            let level = o.status as usize;
            events.push((o.from.as_second(), 1, level));
            events.push((o.until.as_second(), -1, level));
        }
    }
    events.sort_unstable();
    let mut active = [0i32; 5];
    let mut out: Vec<(i64, i64, ComponentStatus)> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let t = events[i].0;
        while i < events.len() && events[i].0 == t {
            active[events[i].2] += events[i].1;
            i += 1;
        }
        let Some(next) = events.get(i).map(|e| e.0) else {
            break;
        };
        if let Some(level) = (1..5).rev().find(|&l| active[l] > 0) {
            let status = ComponentStatus::ALL[level];
            match out.last_mut() {
                Some(last) if last.1 == t && last.2 == status => last.1 = next,
                _ => out.push((t, next, status)),
            }
        }
    }
    out
}

/// The outages an incident caused a component, up to `now`.
pub fn incident_outages(incident: &Incident, component: &str, now: Timestamp) -> Vec<Outage> {
    let end = incident.resolved_at.map_or(now, |r| r.min(now));
    let mut out = Vec::new();
    if incident.started_at >= end {
        return out;
    }
    let mut status = incident
        .components
        .iter()
        .find(|c| c.id == component)
        .map_or(ComponentStatus::Operational, |c| c.status);
    let mut since = incident.started_at;
    for u in &incident.updates {
        let Some(change) = u.components.iter().find(|c| c.id == component) else {
            continue;
        };
        let at = u.at.max(incident.started_at);
        if at >= end {
            break;
        }
        if change.status != status {
            if at > since && status != ComponentStatus::Operational {
                out.push(Outage {
                    from: since,
                    until: at,
                    status,
                });
            }
            status = change.status;
            since = at;
        }
    }
    if status != ComponentStatus::Operational && end > since {
        out.push(Outage {
            from: since,
            until: end,
            status,
        });
    }
    out
}

/// The first moment counted in uptime at `now`: the start of the day [`UPTIME_DAYS`]` - 1`
/// days before today, in `tz`.
pub fn uptime_window_start(tz: &TimeZone, now: Timestamp) -> Timestamp {
    let today = now.to_zoned(tz.clone()).date();
    day_start(tz, today - (UPTIME_DAYS as i32 - 1).days())
}

fn day_start(tz: &TimeZone, date: Date) -> Timestamp {
    date.to_zoned(tz.clone())
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::MAX)
}

/// Uptime of every component at `now`, by id.
pub fn uptimes(model: &StatusPage, now: Timestamp) -> BTreeMap<String, ComponentUptime> {
    let tz = &model.page.time_zone;
    let window = uptime_window_start(tz, now);
    let mut outages: HashMap<&str, Vec<Outage>> = HashMap::new();
    for i in &model.incidents {
        if i.started_at >= now || i.resolved_at.is_some_and(|r| r <= window) {
            continue;
        }
        let mut ids: Vec<&str> = i.components.iter().map(|c| c.id.as_str()).collect();
        for u in &i.updates {
            ids.extend(u.components.iter().map(|c| c.id.as_str()));
        }
        ids.sort_unstable();
        ids.dedup();
        for id in ids {
            outages
                .entry(id)
                .or_default()
                .extend(incident_outages(i, id, now));
        }
    }
    // What monitors measured counts like an incident's outage (overlaps once, at the worst).
    for (id, downs) in &model.measured {
        outages.entry(id.as_str()).or_default().extend(
            downs
                .iter()
                .filter(|d| d.until > window && d.from < now)
                .map(|d| Outage {
                    from: d.from,
                    until: d.until.min(now),
                    status: d.status,
                }),
        );
    }
    let days = day_bounds(tz, now);
    model
        .components()
        .map(|c| {
            let list = outages.get(c.id.as_str()).map_or(&[][..], Vec::as_slice);
            (c.id.clone(), uptime_over_days(list, &days, window, now))
        })
        .collect()
}

/// Uptime of one component from outages given directly (for tests and tools).
pub fn component_uptime(outages: &[Outage], tz: &TimeZone, now: Timestamp) -> ComponentUptime {
    let days = day_bounds(tz, now);
    uptime_over_days(outages, &days, uptime_window_start(tz, now), now)
}

/// The days of the window with their `[start, end)` in seconds; today ends at `now`.
fn day_bounds(tz: &TimeZone, now: Timestamp) -> Vec<(Date, i64, i64)> {
    let today = now.to_zoned(tz.clone()).date();
    let first = today - (UPTIME_DAYS as i32 - 1).days();
    let mut out = Vec::with_capacity(UPTIME_DAYS);
    let mut date = first;
    let mut start = day_start(tz, date);
    for _ in 0..UPTIME_DAYS {
        let next_date = date.tomorrow().unwrap_or(date);
        let end = if date == today {
            now
        } else {
            day_start(tz, next_date)
        };
        out.push((
            date,
            start.as_second(),
            end.as_second().max(start.as_second()),
        ));
        date = next_date;
        start = end;
    }
    out
}

fn uptime_over_days(
    outages: &[Outage],
    days: &[(Date, i64, i64)],
    from: Timestamp,
    now: Timestamp,
) -> ComponentUptime {
    let mut out: Vec<DayUptime> = days
        .iter()
        .map(|&(date, a, b)| DayUptime {
            date,
            worst: ComponentStatus::Operational,
            seconds: [0; 5],
            downtime_tenths: 0,
            length: (b - a) as u64,
        })
        .collect();
    let mut down_tenths: u64 = 0;
    for (a, b, status) in flatten(outages) {
        // The first day that ends after the stretch starts.
        let mut d = days.partition_point(|&(_, _, end)| end <= a);
        while let Some(&(_, start, end)) = days.get(d) {
            if start >= b {
                break;
            }
            let overlap = (b.min(end) - a.max(start)).max(0) as u64;
            if overlap > 0 {
                let day = &mut out[d];
                day.worst = day.worst.max(status);
                day.seconds[status as usize] += overlap;
                day.downtime_tenths += overlap * status.downtime_tenths();
                down_tenths += overlap * status.downtime_tenths();
            }
            d += 1;
        }
    }
    let total = (now.as_second() - from.as_second()).max(0);
    let ratio = if total == 0 {
        1.0
    } else {
        1.0 - down_tenths as f64 / (total as f64 * 10.0)
    };
    ComponentUptime { days: out, ratio }
}
