//! Recurring maintenance: a maintenance with `recurrence:` (an RFC 5545 RRULE such as
//! `FREQ=WEEKLY;BYDAY=SU`) repeats its window, in the wall-clock time of its zone (a Sunday
//! 02:00 window stays at 02:00 across daylight-saving changes), except on the dates listed in
//! `except:`. The page and the JSON show each occurrence from a week back to [`HORIZON_DAYS`]
//! ahead as a maintenance of its own (a rule that never ends is expanded that far only);
//! `maintenance.ics` carries the rule itself as one recurring event.
//!
//! The rule is expanded by the `rrule` crate on wall-clock times; each occurrence's wall time is
//! then placed in the zone by jiff, which resolves the hour a clock change skips or repeats.

use crate::model::{Maintenance, MaintenanceStatus, Recurrence, Series, StatusPage};
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use std::borrow::Cow;

/// How far ahead occurrences are shown.
pub const HORIZON_DAYS: i64 = 90;
/// How far back occurrences are shown (the page's recent maintenance).
const LOOKBACK_DAYS: i64 = 7;
/// At most this many occurrences per maintenance (a daily rule over the horizon and more).
const MAX_OCCURRENCES: u16 = 120;

/// Why `rule` cannot be used, in words; none when it can.
pub fn check_rule(rule: &str) -> Result<(), String> {
    let parsed: rrule::RRule<rrule::Unvalidated> = rule
        .trim()
        .parse()
        .map_err(|e| format!("`{rule}` is not a recurrence rule (RFC 5545 RRULE): {e}"))?;
    match parsed.get_freq() {
        rrule::Frequency::Hourly | rrule::Frequency::Minutely | rrule::Frequency::Secondly => {
            Err(format!(
                "`{rule}` repeats more often than daily; a maintenance window recurs at most once a day"
            ))
        }
        _ => Ok(()),
    }
}

/// The starts (wall-clock, in the rule's zone) of `rule` from `first`, those in [`from`, `to`),
/// without the `except` dates; at most [`MAX_OCCURRENCES`].
fn wall_starts(
    rule: &str,
    first: DateTime,
    except: &[Date],
    from: DateTime,
    to: DateTime,
) -> Result<Vec<DateTime>, String> {
    check_rule(rule)?;
    let parsed: rrule::RRule<rrule::Unvalidated> =
        rule.trim().parse().map_err(|e| format!("{e}"))?;
    // Wall-clock times, carried as if they were UTC: the rule's days and hours are the zone's.
    let as_utc = |d: DateTime| -> Option<chrono::DateTime<rrule::Tz>> {
        use chrono::TimeZone as _;
        rrule::Tz::UTC
            .with_ymd_and_hms(
                d.year() as i32,
                d.month() as u32,
                d.day() as u32,
                d.hour() as u32,
                d.minute() as u32,
                d.second() as u32,
            )
            .single()
    };
    let start = as_utc(first).ok_or("the window's start cannot be read")?;
    let set = parsed
        .build(start)
        .map_err(|e| format!("`{rule}` cannot recur from the window's start: {e}"))?;
    let (Some(after), Some(before)) = (as_utc(from), as_utc(to)) else {
        return Ok(Vec::new());
    };
    let found = set.after(after).before(before).all(MAX_OCCURRENCES);
    Ok(found
        .dates
        .into_iter()
        .map(|d| {
            use chrono::{Datelike as _, Timelike as _};
            jiff::civil::date(d.year() as i16, d.month() as i8, d.day() as i8).at(
                d.hour() as i8,
                d.minute() as i8,
                d.second() as i8,
                0,
            )
        })
        .filter(|d: &DateTime| !except.contains(&d.date()))
        .collect())
}

/// `model` with every recurring maintenance replaced by its occurrences around `now` (see the
/// module doc); the same model when none recurs.
pub fn expand(model: &StatusPage, now: Timestamp) -> Cow<'_, StatusPage> {
    if model.maintenances.iter().all(|m| m.recurrence.is_none()) {
        return Cow::Borrowed(model);
    }
    let mut out = model.clone();
    out.maintenances = model
        .maintenances
        .iter()
        .flat_map(|m| match &m.recurrence {
            None => vec![m.clone()],
            Some(r) => occurrences(m, r, &model.page.time_zone, now),
        })
        .collect();
    out.maintenances.sort_by(|a, b| {
        b.scheduled_for
            .cmp(&a.scheduled_for)
            .then(a.slug.cmp(&b.slug))
    });
    Cow::Owned(out)
}

/// The occurrences of `m` from a week before `now` to the horizon, each a maintenance of its
/// own (`<slug>-<date>`), with the updates posted nearest to its start.
fn occurrences(
    m: &Maintenance,
    r: &Recurrence,
    page_tz: &TimeZone,
    now: Timestamp,
) -> Vec<Maintenance> {
    let tz = m.time_zone.clone().unwrap_or_else(|| page_tz.clone());
    let length = m.scheduled_until.duration_since(m.scheduled_for);
    let wall = |t: Timestamp| t.to_zoned(tz.clone()).datetime();
    let from = now
        .checked_sub((LOOKBACK_DAYS * 24).hours())
        .unwrap_or(now)
        .checked_sub(length)
        .unwrap_or(now);
    let to = now.checked_add((HORIZON_DAYS * 24).hours()).unwrap_or(now);
    // Occurrences before the first window do not exist.
    let from = from.max(m.scheduled_for);
    let starts = match wall_starts(
        &r.rule,
        wall(m.scheduled_for),
        &r.except,
        // `after` is exclusive: a second earlier keeps an occurrence starting right at `from`.
        wall(from) - 1.second(),
        wall(to),
    ) {
        Ok(s) => s,
        // Checked when the file was read; a rule that fails here shows the first window only.
        Err(_) => vec![wall(m.scheduled_for)],
    };
    let starts: Vec<Timestamp> = starts
        .into_iter()
        .filter_map(|d| d.to_zoned(tz.clone()).ok().map(|z| z.timestamp()))
        .collect();
    let series = Series {
        slug: m.slug.clone(),
        recurrence: r.clone(),
        first: (m.scheduled_for, m.scheduled_until),
        time_zone: tz.clone(),
    };
    starts
        .iter()
        .map(|&start| {
            let until = start.checked_add(length).unwrap_or(start);
            // An update belongs to the occurrence whose start is nearest.
            let updates: Vec<_> = m
                .updates
                .iter()
                .filter(|u| {
                    starts
                        .iter()
                        .min_by_key(|s| (u.at.as_second() - s.as_second()).abs())
                        == Some(&start)
                })
                .cloned()
                .collect();
            let status = updates
                .last()
                .map_or(MaintenanceStatus::Scheduled, |u| u.status);
            Maintenance {
                slug: format!(
                    "{}-{}",
                    m.slug,
                    start.to_zoned(tz.clone()).strftime("%Y-%m-%d")
                ),
                title: m.title.clone(),
                status,
                impact: m.impact,
                scheduled_for: start,
                scheduled_until: until,
                time_zone: m.time_zone.clone(),
                components: m.components.clone(),
                updates,
                description: m.description.clone(),
                recurrence: None,
                series: Some(series.clone()),
            }
        })
        .collect()
}

/// The RRULE line's value and the EXDATEs (wall-clock `YYYYMMDDTHHMMSS` in the series' zone)
/// of a series, for `maintenance.ics`.
pub fn ics_exdates(series: &Series) -> Vec<String> {
    let start = series.first.0.to_zoned(series.time_zone.clone());
    series
        .recurrence
        .except
        .iter()
        .map(|d| {
            d.at(start.hour(), start.minute(), start.second(), 0)
                .strftime("%Y%m%dT%H%M%S")
                .to_string()
        })
        .collect()
}

/// The rule in words for the page: "every week on Sunday", "every 2 months"; the rule itself
/// when it says more than frequency, interval and days.
pub fn describe(rule: &str) -> String {
    let mut freq = None;
    let mut interval = 1u32;
    let mut days: Vec<&str> = Vec::new();
    let mut other = false;
    for part in rule.trim().split(';').filter(|p| !p.is_empty()) {
        match part.split_once('=') {
            Some(("FREQ", f)) => freq = Some(f),
            Some(("INTERVAL", n)) => interval = n.parse().unwrap_or(1),
            Some(("BYDAY", list)) => {
                for d in list.split(',') {
                    match day_name(d) {
                        Some(name) => days.push(name),
                        None => other = true,
                    }
                }
            }
            Some(("COUNT" | "UNTIL" | "WKST", _)) => {}
            _ => other = true,
        }
    }
    let unit = match freq {
        Some("DAILY") => "day",
        Some("WEEKLY") => "week",
        Some("MONTHLY") => "month",
        Some("YEARLY") => "year",
        _ => "",
    };
    if other || unit.is_empty() {
        return format!("({})", rule.trim());
    }
    let every = if interval == 1 {
        format!("every {unit}")
    } else {
        format!("every {interval} {unit}s")
    };
    match days.as_slice() {
        [] => every,
        [one] => format!("{every} on {one}"),
        [rest @ .., last] => format!("{every} on {} and {last}", rest.join(", ")),
    }
}

fn day_name(code: &str) -> Option<&'static str> {
    Some(match code {
        "MO" => "Monday",
        "TU" => "Tuesday",
        "WE" => "Wednesday",
        "TH" => "Thursday",
        "FR" => "Friday",
        "SA" => "Saturday",
        "SU" => "Sunday",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::describe;

    #[test]
    fn rules_in_words() {
        assert_eq!(describe("FREQ=WEEKLY;BYDAY=SU"), "every week on Sunday");
        assert_eq!(
            describe("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH"),
            "every 2 weeks on Monday and Thursday"
        );
        assert_eq!(describe("FREQ=MONTHLY;COUNT=6"), "every month");
        assert_eq!(
            describe("FREQ=MONTHLY;BYDAY=1SU"),
            "(FREQ=MONTHLY;BYDAY=1SU)"
        );
        assert_eq!(
            describe("FREQ=MONTHLY;BYMONTHDAY=1"),
            "(FREQ=MONTHLY;BYMONTHDAY=1)"
        );
    }
}
