//! Status from monitors: what is checked and what counts as up (`monitors.yaml`), the
//! conditions, and the compact history the uptime bars and response-time charts are drawn
//! from. Pure; the checks themselves (HTTP, TCP, TLS, DNS) run in `wheelhouse_api::monitor`.

pub mod condition;
mod config;
pub mod history;

pub use condition::{Condition, Observation, Verdict};
pub use config::{parse_monitors, DnsQuery, Monitor, MonitorKind, MONITORS_FILE};
pub use history::{History, MonitorState, Transition};

/// Whether every condition of `monitor` holds for `seen`, and what each saw.
pub fn judge(monitor: &Monitor, seen: &Observation) -> (bool, Vec<Verdict>) {
    let verdicts: Vec<Verdict> = monitor.conditions.iter().map(|c| c.judge(seen)).collect();
    (verdicts.iter().all(|v| v.ok), verdicts)
}

/// What `monitors` measured according to `history`, for the page: each component's down
/// stretches since `since` (its monitors together; overlaps count once).
pub fn measured(
    monitors: &[Monitor],
    history: &History,
    since: jiff::civil::Date,
) -> std::collections::BTreeMap<String, Vec<crate::model::MeasuredDown>> {
    let mut out: std::collections::BTreeMap<String, Vec<crate::model::MeasuredDown>> =
        std::collections::BTreeMap::new();
    for m in monitors {
        let downs = history.down_stretches(&m.name, m.impact, since);
        if !downs.is_empty() {
            out.entry(m.component.clone()).or_default().extend(downs);
        }
    }
    out
}

/// How many hours the page's response-time charts show (a week).
pub const CHART_HOURS: usize = 168;

/// Puts what `monitors` measured according to `history` into `model`, as of `now`: each
/// component's down stretches within the uptime window (counted in the bars) and each monitor's
/// last [`CHART_HOURS`] hours of response times (the charts).
pub fn apply(
    model: &mut crate::StatusPage,
    monitors: &[Monitor],
    history: &History,
    now: jiff::Timestamp,
) {
    model.measured = measured(monitors, history, window_since(now));
    let hour = now.as_second() - now.as_second().rem_euclid(3600);
    let from = jiff::Timestamp::from_second(hour - 3600 * (CHART_HOURS as i64 - 1)).unwrap_or(now);
    model.response_times = monitors
        .iter()
        .map(|m| crate::model::ResponseSeries {
            monitor: m.name.clone(),
            component: m.component.clone(),
            from,
            hourly: history.response_times(&m.name, from, CHART_HOURS),
        })
        .filter(|s| s.hourly.iter().any(Option::is_some))
        .collect();
}

/// [`apply`] for the monitors `monitors.yaml` in `files` (a status folder's, as
/// [`crate::load`] takes it) lists; nothing when it is absent or does not load.
pub fn apply_from_files(
    model: &mut crate::StatusPage,
    files: &std::collections::BTreeMap<String, String>,
    history: &History,
    now: jiff::Timestamp,
) {
    if let Some(monitors) = files
        .get(MONITORS_FILE)
        .and_then(|text| parse_monitors(text, model).ok())
    {
        apply(model, &monitors, history, now);
    }
}

/// The first day the page's uptime bars can show as of `now` (UTC, with a day to spare).
pub fn window_since(now: jiff::Timestamp) -> jiff::civil::Date {
    let days = crate::compute::UPTIME_DAYS as i64 + 1;
    (now - jiff::SignedDuration::from_hours(24 * days))
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
}
