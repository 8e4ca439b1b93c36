//! `maintenance.ics`: every scheduled maintenance as an iCalendar (RFC 5545) event, so people
//! can subscribe to the maintenance windows. Times are in UTC, which every client converts.

use super::html;
use super::site::Site;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use std::collections::BTreeMap;

pub(super) fn render(site: &Site, out: &mut BTreeMap<String, Vec<u8>>) {
    let host = site
        .model
        .page
        .url
        .as_deref()
        .and_then(|u| url::Url::parse(u).ok())
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "wheelhouse-status.invalid".to_string());
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        "PRODID:-//Wheelhouse//Status page//EN".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!(
            "X-WR-CALNAME:{}",
            text(&format!("{} maintenance", site.model.page.name))
        ),
    ];
    // Oldest first: calendars do not care, people reading the file do. A recurring
    // maintenance is one event with its rule, not one per occurrence shown on the page.
    let mut series_done = std::collections::BTreeSet::new();
    for v in site.maintenances.iter().rev() {
        let m = v.maintenance;
        if let Some(series) = &m.series {
            if !series_done.insert(series.slug.as_str()) {
                continue;
            }
        }
        lines.push("BEGIN:VEVENT".into());
        match &m.series {
            None => {
                lines.push(format!("UID:{}@{host}", v.id));
                lines.push(format!("DTSTAMP:{}", utc(v.updated_at)));
                lines.push(format!("DTSTART:{}", utc(m.scheduled_for)));
                lines.push(format!("DTEND:{}", utc(m.scheduled_until)));
            }
            Some(series) => {
                // In the zone's wall-clock time, so that the window keeps its hour across
                // daylight-saving changes.
                let zone = series.time_zone.iana_name().unwrap_or("UTC");
                let local = |t: Timestamp| {
                    t.to_zoned(series.time_zone.clone())
                        .strftime("%Y%m%dT%H%M%S")
                        .to_string()
                };
                lines.push(format!(
                    "UID:{}@{host}",
                    super::ids::stable_id("maintenance", &series.slug)
                ));
                lines.push(format!("DTSTAMP:{}", utc(v.updated_at)));
                lines.push(format!("DTSTART;TZID={zone}:{}", local(series.first.0)));
                lines.push(format!("DTEND;TZID={zone}:{}", local(series.first.1)));
                lines.push(format!("RRULE:{}", series.recurrence.rule));
                for d in crate::recurrence::ics_exdates(series) {
                    lines.push(format!("EXDATE;TZID={zone}:{d}"));
                }
            }
        }
        lines.push(format!("SEQUENCE:{}", v.updates.len()));
        lines.push(format!("SUMMARY:{}", text(&m.title)));
        let mut description = format!("{}.", v.status.label());
        if let Some(d) = &m.description {
            description.push_str("\n\n");
            description.push_str(d);
        }
        if let Some(u) = v.updates.first() {
            description.push_str("\n\n");
            description.push_str(u.body);
        }
        lines.push(format!("DESCRIPTION:{}", text(&description)));
        if m.components.is_empty() {
            lines.push("CATEGORIES:MAINTENANCE".into());
        } else {
            let names: Vec<String> = m
                .components
                .iter()
                .map(|c| text(site.component_name(&c.id)))
                .collect();
            lines.push(format!("CATEGORIES:MAINTENANCE,{}", names.join(",")));
        }
        if site.model.page.url.is_some() && m.series.is_none() {
            lines.push(format!(
                "URL:{}",
                site.link(&html::maintenance_path(&m.slug))
            ));
        }
        lines.push("STATUS:CONFIRMED".into());
        lines.push("TRANSP:TRANSPARENT".into());
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    let mut ics = String::new();
    for line in lines {
        fold(&line, &mut ics);
    }
    out.insert("maintenance.ics".into(), ics.into_bytes());
}

fn utc(t: Timestamp) -> String {
    t.to_zoned(TimeZone::UTC)
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string()
}

/// Escapes a TEXT value: backslash, semicolon, comma and newlines.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes a content line folded at 75 octets (never inside a UTF-8 sequence), CRLF-terminated.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        fold(&format!("SUMMARY:{}", "é".repeat(60)), &mut out);
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{line:?}");
        }
        assert_eq!(
            out.replace("\r\n ", ""),
            format!("SUMMARY:{}\r\n", "é".repeat(60))
        );
    }

    #[test]
    fn text_values_escape_separators() {
        assert_eq!(text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
