//! What monitors measured, kept small enough for Git: one file per month (`2026-12.tsv`), one
//! line per monitor and day, and on it one field per hour (UTC) — checks, failed checks and the
//! mean response time in milliseconds (`60/1/123`), `-` for an hour without checks. A year of
//! one-minute checks of 50 monitors is about 4 MB of text before Git compresses it, and each
//! run changes one line. Lines are sorted by day, then monitor, so a month grows at its end and
//! its versions delta well. Where each monitor stands (up or down, how many checks in a row)
//! is `state.tsv`, one line per monitor. Pure: parsing, recording, merging, summing.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use std::collections::BTreeMap;

/// The checks of one hour.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hour {
    pub checks: u32,
    pub failures: u32,
    /// Mean response time of the checks, in milliseconds.
    pub mean_ms: u32,
}

/// The history of every monitor, by (day, monitor).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    pub days: BTreeMap<(Date, String), [Hour; 24]>,
}

/// `2026-12` for a day of December 2026: the file its line is in (`2026-12.tsv`).
pub fn month_of(day: Date) -> String {
    format!("{:04}-{:02}", day.year(), day.month())
}

/// The month file a check at `t` goes in (`2026-12`).
pub fn month_at(t: Timestamp) -> String {
    month_of(t.to_zoned(TimeZone::UTC).date())
}

const HEADER: &str = "# monitor\tday (UTC)\t24 hours: checks/failures/mean ms, - for none\n";

impl History {
    /// Parses one month file; a line that does not parse is named (1-based) with why.
    pub fn parse(text: &str) -> Result<History, (u32, String)> {
        let mut days = BTreeMap::new();
        for (i, line) in text.lines().enumerate() {
            let n = i as u32 + 1;
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let mut fields = line.split('\t');
            let (Some(monitor), Some(day), Some(hours)) =
                (fields.next(), fields.next(), fields.next())
            else {
                return Err((
                    n,
                    "a line is a monitor, a day and 24 hours, separated by tabs".into(),
                ));
            };
            let day: Date = day
                .parse()
                .map_err(|_| (n, format!("`{day}` is not a day (YYYY-MM-DD)")))?;
            let mut out = [Hour::default(); 24];
            let parts: Vec<&str> = hours.split(' ').collect();
            if parts.len() != 24 {
                return Err((
                    n,
                    format!("{} hours on the line; a day has 24", parts.len()),
                ));
            }
            for (h, part) in parts.iter().enumerate() {
                if *part == "-" {
                    continue;
                }
                let nums: Vec<u32> = part.split('/').filter_map(|x| x.parse().ok()).collect();
                let [checks, failures, mean_ms] = nums[..] else {
                    return Err((n, format!("`{part}` is not checks/failures/mean ms")));
                };
                if failures > checks {
                    return Err((n, format!("`{part}`: more failures than checks")));
                }
                out[h] = Hour {
                    checks,
                    failures,
                    mean_ms,
                };
            }
            days.insert((day, monitor.to_owned()), out);
        }
        Ok(History { days })
    }

    /// The file of `month` (`2026-12`), its lines in order.
    pub fn render_month(&self, month: &str) -> String {
        let mut out = String::from(HEADER);
        for ((day, monitor), hours) in &self.days {
            if month_of(*day) != month {
                continue;
            }
            let fields: Vec<String> = hours
                .iter()
                .map(|h| {
                    if h.checks == 0 {
                        "-".into()
                    } else {
                        format!("{}/{}/{}", h.checks, h.failures, h.mean_ms)
                    }
                })
                .collect();
            out.push_str(&format!("{monitor}\t{day}\t{}\n", fields.join(" ")));
        }
        out
    }

    /// The months that have lines.
    pub fn months(&self) -> Vec<String> {
        let mut m: Vec<String> = self.days.keys().map(|(d, _)| month_of(*d)).collect();
        m.dedup();
        m
    }

    /// Adds one check of `monitor` at `at`: passed or not, and its response time when it
    /// answered.
    pub fn record(&mut self, monitor: &str, at: Timestamp, ok: bool, ms: Option<u64>) {
        let zoned = at.to_zoned(TimeZone::UTC);
        let hours = self
            .days
            .entry((zoned.date(), monitor.to_owned()))
            .or_insert([Hour::default(); 24]);
        let h = &mut hours[zoned.hour() as usize];
        if let Some(ms) = ms {
            // Under a millisecond counts as 1: a timed check never reads as "no time".
            let ms = ms.max(1);
            // A running mean; an earlier check without a time counts as the mean (neutral).
            let prior = u64::from(h.checks);
            let total = u64::from(h.mean_ms) * prior + ms.min(u64::from(u32::MAX));
            h.mean_ms = (total / (prior + 1)) as u32;
        }
        h.checks += 1;
        if !ok {
            h.failures += 1;
        }
    }

    /// Both histories in one: for each hour the side with more checks (a run recorded in
    /// both is counted once).
    pub fn merge(&mut self, other: &History) {
        for (key, theirs) in &other.days {
            let mine = self
                .days
                .entry(key.clone())
                .or_insert([Hour::default(); 24]);
            for (m, t) in mine.iter_mut().zip(theirs) {
                if t.checks > m.checks {
                    *m = *t;
                }
            }
        }
    }

    /// (checks, failures) of `monitor` on `day`.
    pub fn day(&self, monitor: &str, day: Date) -> (u32, u32) {
        self.days
            .get(&(day, monitor.to_owned()))
            .map(|hours| {
                hours
                    .iter()
                    .fold((0, 0), |(c, f), h| (c + h.checks, f + h.failures))
            })
            .unwrap_or((0, 0))
    }

    /// The stretches `monitor` was down by its checks, hour by hour from `since` on: an hour
    /// with failed checks is down for its share of them, from the hour's start, at `impact`.
    pub fn down_stretches(
        &self,
        monitor: &str,
        impact: crate::model::ComponentStatus,
        since: Date,
    ) -> Vec<crate::model::MeasuredDown> {
        let mut out = Vec::new();
        for ((day, name), hours) in self.days.range((since, String::new())..) {
            if name != monitor {
                continue;
            }
            let Ok(midnight) = day.to_zoned(TimeZone::UTC).map(|z| z.timestamp()) else {
                continue;
            };
            for (h, hour) in hours.iter().enumerate() {
                if hour.failures == 0 || hour.checks == 0 {
                    continue;
                }
                let from = midnight + jiff::SignedDuration::from_hours(h as i64);
                let secs = 3600 * i64::from(hour.failures) / i64::from(hour.checks);
                out.push(crate::model::MeasuredDown {
                    from,
                    until: from + jiff::SignedDuration::from_secs(secs.max(1)),
                    status: impact,
                });
            }
        }
        out
    }

    /// (checks, failures) of `monitor` in the `hours` hours from `from` (UTC).
    pub fn hours(&self, monitor: &str, from: Timestamp, hours: usize) -> (u32, u32) {
        (0..hours).fold((0, 0), |(c, f), i| {
            let t = from + jiff::SignedDuration::from_hours(i as i64);
            let z = t.to_zoned(TimeZone::UTC);
            match self.days.get(&(z.date(), monitor.to_owned())) {
                Some(day) => {
                    let h = day[z.hour() as usize];
                    (c + h.checks, f + h.failures)
                }
                None => (c, f),
            }
        })
    }

    /// The hourly mean response times of `monitor` from `from` (inclusive, UTC) for `hours`
    /// hours: none for an hour without a timed check (every check failed without an answer).
    pub fn response_times(&self, monitor: &str, from: Timestamp, hours: usize) -> Vec<Option<u32>> {
        (0..hours)
            .map(|i| {
                let t = from + jiff::SignedDuration::from_hours(i as i64);
                let z = t.to_zoned(TimeZone::UTC);
                let h = self.days.get(&(z.date(), monitor.to_owned()))?[z.hour() as usize];
                (h.checks > h.failures || h.mean_ms > 0).then_some(h.mean_ms)
            })
            .collect()
    }
}

/// Where a monitor stands after its last check.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct MonitorState {
    pub monitor: String,
    /// Counted as up (a new monitor is, until its failures reach the threshold).
    pub up: bool,
    /// Checks in a row with the same outcome as the last.
    pub streak: u32,
    /// Whether the last check passed.
    pub last_ok: bool,
    /// When the monitor went up or down, RFC 3339; empty before the first change.
    pub since: String,
    /// The last check's time, RFC 3339.
    pub checked_at: String,
    pub last_ms: Option<u64>,
    /// Why the last failed check failed.
    pub reason: Option<String>,
}

/// What a check changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Transition {
    None,
    /// Failures in a row reached the threshold.
    WentDown,
    /// Passes in a row reached the threshold after being down.
    CameUp,
}

/// The state after a check that `ok`ed or not at `at`, and what changed.
pub fn step(
    before: Option<&MonitorState>,
    monitor: &super::config::Monitor,
    ok: bool,
    ms: Option<u64>,
    reason: Option<String>,
    at: Timestamp,
) -> (MonitorState, Transition) {
    let mut s = before.cloned().unwrap_or(MonitorState {
        monitor: monitor.name.clone(),
        up: true,
        streak: 0,
        last_ok: true,
        since: String::new(),
        checked_at: String::new(),
        last_ms: None,
        reason: None,
    });
    s.streak = if s.last_ok == ok && s.streak > 0 {
        s.streak + 1
    } else {
        1
    };
    s.last_ok = ok;
    s.checked_at = at.to_string();
    s.last_ms = ms;
    s.reason = if ok { None } else { reason };
    let mut change = Transition::None;
    if s.up && !ok && s.streak >= monitor.failure_threshold {
        s.up = false;
        s.since = at.to_string();
        change = Transition::WentDown;
    } else if !s.up && ok && s.streak >= monitor.success_threshold {
        s.up = true;
        s.since = at.to_string();
        change = Transition::CameUp;
    }
    (s, change)
}

const STATE_HEADER: &str =
    "# monitor\tup|down\tlast check ok|failed\tin a row\tsince\tchecked at\tms\treason\n";

/// `state.tsv` as text.
pub fn render_states(states: &[MonitorState]) -> String {
    let mut out = String::from(STATE_HEADER);
    let mut sorted: Vec<&MonitorState> = states.iter().collect();
    sorted.sort_by(|a, b| a.monitor.cmp(&b.monitor));
    for s in sorted {
        let clean = |t: &str| t.replace(['\t', '\n', '\r'], " ");
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            s.monitor,
            if s.up { "up" } else { "down" },
            if s.last_ok { "ok" } else { "failed" },
            s.streak,
            if s.since.is_empty() { "-" } else { &s.since },
            s.checked_at,
            s.last_ms.map_or("-".into(), |m| m.to_string()),
            s.reason.as_deref().map_or("-".into(), clean),
        ));
    }
    out
}

/// Parses `state.tsv`; a line that does not parse is named (1-based) with why.
pub fn parse_states(text: &str) -> Result<Vec<MonitorState>, (u32, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let n = i as u32 + 1;
        if f.len() != 8 {
            return Err((n, format!("{} fields; a state line has 8", f.len())));
        }
        let streak = f[3]
            .parse()
            .map_err(|_| (n, format!("`{}` is not a count", f[3])))?;
        out.push(MonitorState {
            monitor: f[0].to_owned(),
            up: f[1] == "up",
            last_ok: f[2] == "ok",
            streak,
            since: if f[4] == "-" {
                String::new()
            } else {
                f[4].to_owned()
            },
            checked_at: f[5].to_owned(),
            last_ms: f[6].parse().ok(),
            reason: (f[7] != "-").then(|| f[7].to_owned()),
        });
    }
    Ok(out)
}
