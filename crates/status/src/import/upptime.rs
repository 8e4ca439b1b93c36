//! Upptime (a GitHub Actions uptime monitor) → status files.
//!
//! - `.upptimerc.yml`: `status-website.name` → page name, `cname` (or the GitHub Pages address
//!   Upptime uses) → url, `introTitle` → description; each of `sites` → a component (id from
//!   the site's `slug`, or its name slugified as Upptime does).
//! - `history/<slug>.yml`: the last check's `status` (up, degraded, down) → the component's
//!   status in `components.yaml` (else the site's status in `history/summary.json`).
//! - `history/summary.json`: each site's `dailyMinutesDown` (UTC date → minutes) → one
//!   resolved incident per day, "Downtime recorded by Upptime", in which each site that was
//!   down that day is in major outage for its minutes from the start of the day, so the uptime
//!   bars show what Upptime recorded.
//!
//! Upptime's incidents are GitHub issues, not files: they cannot be imported from the folder.

use super::common::{
    check_paths, clean, note, one_line, one_line_text, page_url, parse_yaml, read_config, slugify,
    Import, ImportError, Note, Unique,
};
use super::emit::{finish, ComponentOut, GroupOut, IncidentOut, PageOut, UpdateOut};
use crate::model::{ComponentStatus, Impact, IncidentStatus};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde_json::Value;
use std::collections::BTreeMap;

/// Upptime's configuration (the first present is read).
pub(super) const CONFIG_FILES: [&str; 2] = [".upptimerc.yml", ".upptimerc.yaml"];
/// Written by Upptime's summary workflow: per site status, uptime and daily downtime.
pub(super) const SUMMARY_FILE: &str = "history/summary.json";

const DAY_MINUTES: u64 = 24 * 60;

/// Converts an Upptime repository (paths relative to its root → text) into status files.
pub fn import(files: &BTreeMap<String, String>) -> Result<Import, ImportError> {
    check_paths(files)?;
    let (config_file, config) = read_config(files, &CONFIG_FILES, ".upptimerc.yml", "an Upptime")?;
    let mut notes = Vec::new();
    let page = page(config_file, &config, &mut notes);
    note(
        &mut notes,
        config_file,
        "Upptime's incident reports are GitHub issues, not files in the repository: they are \
         not imported (the daily downtime in history/summary.json is)",
    );

    let sites = sites(config_file, &config, &mut notes);
    let summary = summary(files, &mut notes);

    let mut components = Vec::new();
    for site in &sites {
        let status = current_status(files, site, summary.as_deref(), &mut notes);
        components.push(ComponentOut {
            id: site.id.clone(),
            name: site.name.clone(),
            description: None,
            status,
        });
    }

    let incidents = match &summary {
        Some(entries) => downtime(entries, &sites, &mut notes),
        None => Vec::new(),
    };

    Ok(finish(
        page,
        &format!("Imported from Upptime ({config_file}: sites)."),
        vec![GroupOut {
            name: None,
            description: None,
            components,
        }],
        incidents,
        notes,
    ))
}

fn get<'a>(map: &'a Value, key: &str) -> Option<&'a Value> {
    map.get(key).filter(|v| !v.is_null())
}

fn get_text(map: &Value, key: &str) -> Option<String> {
    one_line_text(get(map, key))
}

// ---- .upptimerc.yml ----

fn page(file: &str, config: &Value, notes: &mut Vec<Note>) -> PageOut {
    let website = get(config, "status-website")
        .cloned()
        .unwrap_or(Value::Null);
    let owner = get_text(config, "owner");
    let repo = get_text(config, "repo");
    let name = get_text(&website, "name").unwrap_or_else(|| {
        let name = owner
            .as_ref()
            .map_or("Status".to_string(), |o| format!("{o} Status"));
        note(
            notes,
            file,
            format!("status-website has no name: the page is named \"{name}\""),
        );
        name
    });
    let candidate = match (get_text(&website, "cname"), &owner) {
        (Some(cname), _) => Some(format!("https://{cname}")),
        (None, Some(owner)) => {
            let path = get_text(&website, "baseUrl")
                .or(repo.clone())
                .unwrap_or_default();
            let path = path.trim_matches('/');
            note(
                notes,
                file,
                "status-website has no cname: url is the GitHub Pages address Upptime \
                 publishes to; change it in page.yaml if the export goes elsewhere",
            );
            Some(format!(
                "https://{}.github.io/{path}",
                owner.to_ascii_lowercase()
            ))
        }
        (None, None) => {
            note(
                notes,
                file,
                "status-website has no cname and there is no owner: page.yaml has no url",
            );
            None
        }
    };
    let url = candidate.and_then(|u| match page_url(&u) {
        Ok(url) => Some(url),
        Err(why) => {
            note(
                notes,
                file,
                format!("the status website address {why}: page.yaml has no url"),
            );
            None
        }
    });
    let intro_title = get_text(&website, "introTitle").map(|t| plain_markdown(&t));
    let intro_message = get_text(&website, "introMessage").map(|t| plain_markdown(&t));
    if intro_title.is_some() && intro_message.is_some() {
        note(
            notes,
            file,
            "status-website.introMessage is not imported (introTitle is the description)",
        );
    }
    for (key, why) in [
        ("logoUrl", "the export loads no images"),
        ("favicon", "the export loads no images"),
        ("navbar", "the export has no custom links"),
        ("theme", "the export has its own light and dark themes"),
    ] {
        if get(&website, key).is_some() {
            note(
                notes,
                file,
                format!("status-website.{key} is not imported: {why}"),
            );
        }
    }
    PageOut {
        comment: format!("Imported from Upptime ({file}: status-website)."),
        name,
        url,
        description: intro_title.or(intro_message).filter(|d| !d.is_empty()),
        locale: None,
        brand: None,
    }
}

/// Markdown as plain text: `[text](url)` → text, emphasis and code marks dropped.
fn plain_markdown(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let Some(close) = after.find("](") else {
            break;
        };
        let Some(end) = after[close + 2..].find(')') else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(&after[..close]);
        rest = &after[close + 2 + end + 1..];
    }
    out.push_str(rest);
    one_line(
        &out.replace("**", "")
            .replace("__", "")
            .replace(['*', '`'], ""),
    )
}

#[derive(Debug)]
struct Site {
    name: String,
    /// Upptime's slug: names `history/<slug>.yml`.
    slug: String,
    url: Option<String>,
    /// The component id.
    id: String,
}

fn sites(file: &str, config: &Value, notes: &mut Vec<Note>) -> Vec<Site> {
    let empty = Vec::new();
    let raw = get(config, "sites")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    if raw.is_empty() {
        note(
            notes,
            file,
            "sites lists no sites: the page has no components",
        );
    }
    let mut ids = Unique::default();
    let mut out = Vec::new();
    for (i, site) in raw.iter().enumerate() {
        let Some(name) = get_text(site, "name") else {
            note(notes, file, format!("sites[{i}] has no name: left out"));
            continue;
        };
        let url = get_text(site, "url");
        let slug = get_text(site, "slug")
            .or_else(|| Some(slugify(&name)).filter(|s| !s.is_empty()))
            .or_else(|| url.as_deref().map(slugify).filter(|s| !s.is_empty()))
            .unwrap_or_else(|| "site".to_string());
        let mut id = slugify(&slug);
        if id.is_empty() {
            id = format!("site-{}", i + 1);
        }
        out.push(Site {
            name,
            slug,
            url,
            id: ids.take(&id),
        });
    }
    out
}

// ---- history/ ----

/// `history/summary.json`: its entries, or `None` (with a note) when absent or unreadable.
fn summary(files: &BTreeMap<String, String>, notes: &mut Vec<Note>) -> Option<Vec<Value>> {
    let Some(text) = files.get(SUMMARY_FILE) else {
        note(
            notes,
            SUMMARY_FILE,
            "is absent: no downtime history is imported (Upptime's summary workflow writes it)",
        );
        return None;
    };
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(entries)) => Some(entries),
        Ok(_) => {
            note(
                notes,
                SUMMARY_FILE,
                "is not a list of sites: no downtime history is imported",
            );
            None
        }
        Err(e) => {
            note(
                notes,
                SUMMARY_FILE,
                format!(
                    "is not JSON (line {}, column {}: {e}): no downtime history is imported",
                    e.line(),
                    e.column()
                ),
            );
            None
        }
    }
}

/// The summary entry of a site: by slug, else by name.
fn entry_of<'a>(entries: &'a [Value], site: &Site) -> Option<&'a Value> {
    entries
        .iter()
        .find(|e| get_text(e, "slug").as_deref() == Some(site.slug.as_str()))
        .or_else(|| {
            entries
                .iter()
                .find(|e| get_text(e, "name").as_deref() == Some(site.name.as_str()))
        })
}

/// `history/<slug>.yml` of a site (found by slug, else by its `url`), parsed.
fn history_of(
    files: &BTreeMap<String, String>,
    site: &Site,
    notes: &mut Vec<Note>,
) -> Option<(String, Value)> {
    let parse = |path: &str, text: &str, notes: &mut Vec<Note>| -> Option<Value> {
        // Early Upptime wrote every line as a list item ("- status: up").
        let text: String = clean(text)
            .lines()
            .map(|l| l.strip_prefix("- ").unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n");
        match parse_yaml(path, &text, 0) {
            Ok(v) if v.is_object() => Some(v),
            Ok(_) => {
                note(notes, path, "is not a map: ignored");
                None
            }
            Err(e) => {
                note(notes, path, format!("cannot be read ({e}): ignored"));
                None
            }
        }
    };
    for ext in ["yml", "yaml"] {
        let path = format!("history/{}.{ext}", site.slug);
        if let Some(text) = files.get(&path) {
            return parse(&path, text, notes).map(|v| (path, v));
        }
    }
    let url = site.url.as_ref()?;
    for (path, text) in files.range("history/".to_string()..) {
        if !path.starts_with("history/") {
            break;
        }
        if path == SUMMARY_FILE || path[8..].contains('/') {
            continue;
        }
        let line = format!("url: {url}");
        if text
            .lines()
            .any(|l| l.trim_start_matches("- ").trim_end() == line)
        {
            return parse(path, text, notes).map(|v| (path.clone(), v));
        }
    }
    None
}

fn current_status(
    files: &BTreeMap<String, String>,
    site: &Site,
    summary: Option<&[Value]>,
    notes: &mut Vec<Note>,
) -> ComponentStatus {
    let (file, word, checked) = match history_of(files, site, notes) {
        Some((path, history)) => (
            path,
            get_text(&history, "status"),
            get_text(&history, "lastUpdated"),
        ),
        None => match summary.and_then(|s| entry_of(s, site)) {
            Some(entry) => (SUMMARY_FILE.to_string(), get_text(entry, "status"), None),
            None => {
                note(
                    notes,
                    &format!("history/{}.yml", site.slug),
                    format!(
                        "is absent and summary.json has no `{}`: the component starts operational",
                        site.name
                    ),
                );
                return ComponentStatus::Operational;
            }
        },
    };
    let status = match word.as_deref() {
        Some("up") => return ComponentStatus::Operational,
        Some("degraded") => ComponentStatus::DegradedPerformance,
        Some("down") => ComponentStatus::MajorOutage,
        other => {
            note(
                notes,
                &file,
                format!(
                    "status {} is not up, degraded or down: the component starts operational",
                    other.map_or("(none)".to_string(), |w| format!("`{w}`"))
                ),
            );
            return ComponentStatus::Operational;
        }
    };
    let when = checked.map_or(String::new(), |c| format!(" ({c})"));
    note(
        notes,
        &file,
        format!(
            "the last check{when} found `{}` {}: components.yaml sets it to {}; Wheelhouse does \
             not monitor, so set it back to operational when the site recovers",
            site.name,
            word.unwrap_or_default(),
            status.as_str()
        ),
    );
    status
}

/// One resolved incident per day with downtime, the sites down that day in major outage from
/// the start of the day for their minutes.
fn downtime(entries: &[Value], sites: &[Site], notes: &mut Vec<Note>) -> Vec<IncidentOut> {
    // date → (site index, minutes)
    let mut days: BTreeMap<jiff::civil::Date, Vec<(usize, u64)>> = BTreeMap::new();
    let mut any_daily = false;
    for (n, entry) in entries.iter().enumerate() {
        let Some(index) = sites
            .iter()
            .position(|s| entry_of(entries, s).is_some_and(|e| std::ptr::eq(e, entry)))
        else {
            let who = get_text(entry, "name")
                .or_else(|| get_text(entry, "slug"))
                .unwrap_or_else(|| format!("entry {n}"));
            note(
                notes,
                SUMMARY_FILE,
                format!("`{who}` is not among the sites of .upptimerc.yml: its downtime is not imported"),
            );
            continue;
        };
        let Some(daily) = get(entry, "dailyMinutesDown").and_then(Value::as_object) else {
            continue;
        };
        any_daily = true;
        let name = &sites[index].name;
        for (day, minutes) in daily {
            let Ok(date) = day.parse::<jiff::civil::Date>() else {
                note(
                    notes,
                    SUMMARY_FILE,
                    format!("`{name}`: `{day}` is not a date: left out"),
                );
                continue;
            };
            let Some(minutes) = minutes.as_f64().filter(|m| m.is_finite() && *m >= 0.0) else {
                note(
                    notes,
                    SUMMARY_FILE,
                    format!("`{name}` on {day}: the minutes are not a number: left out"),
                );
                continue;
            };
            // Rounded to whole minutes; a day has at most 1440 of them.
            let mut minutes = minutes.round() as u64;
            if minutes > DAY_MINUTES {
                note(
                    notes,
                    SUMMARY_FILE,
                    format!("`{name}` on {day}: {minutes} minutes is more than a day: counted as {DAY_MINUTES}"),
                );
                minutes = DAY_MINUTES;
            }
            if minutes > 0 {
                days.entry(date).or_default().push((index, minutes));
            }
        }
    }
    if !entries.is_empty() && !any_daily {
        note(
            notes,
            SUMMARY_FILE,
            "has no dailyMinutesDown (written by Upptime since 2021): no downtime history is imported",
        );
    }

    let mut incidents = Vec::new();
    for (date, mut down) in days {
        let Ok(start) = date.to_zoned(TimeZone::UTC).map(|z| z.timestamp()) else {
            continue;
        };
        down.sort();
        let end_of = |minutes: u64| {
            start
                .checked_add(SignedDuration::from_mins(minutes as i64))
                .unwrap_or(start)
        };
        let mut ends: BTreeMap<Timestamp, Vec<(usize, u64)>> = BTreeMap::new();
        for &(i, minutes) in &down {
            ends.entry(end_of(minutes)).or_default().push((i, minutes));
        }
        let last = ends.keys().next_back().copied().unwrap_or(start);
        let updates = ends
            .iter()
            .map(|(&at, recovered)| {
                let mut body = recovered
                    .iter()
                    .map(|&(i, minutes)| {
                        format!(
                            "{}: {} of downtime recorded by Upptime.",
                            sites[i].name,
                            duration(minutes)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                if at == last {
                    body.push_str(
                        "\n\nUpptime keeps the minutes of downtime per day (UTC), not when they \
                         happened: this entry places them at the start of the day.",
                    );
                }
                UpdateOut {
                    at,
                    status: if at == last {
                        IncidentStatus::Resolved
                    } else {
                        IncidentStatus::Investigating
                    },
                    body,
                    components: recovered
                        .iter()
                        .map(|&(i, _)| (sites[i].id.clone(), ComponentStatus::Operational))
                        .collect(),
                }
            })
            .collect();
        incidents.push(IncidentOut {
            slug: format!("{date}-upptime-downtime"),
            comment: format!("Imported from Upptime: {SUMMARY_FILE} (dailyMinutesDown of {date})."),
            title: "Downtime recorded by Upptime".to_string(),
            status: IncidentStatus::Resolved,
            impact: Impact::Major,
            started_at: start,
            resolved_at: Some(last),
            components: down
                .iter()
                .map(|&(i, _)| (sites[i].id.clone(), ComponentStatus::MajorOutage))
                .collect(),
            updates,
            postmortem: None,
        });
    }
    incidents
}

fn duration(minutes: u64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, 1) => "1 minute".to_string(),
        (0, m) => format!("{m} minutes"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_plain_text() {
        assert_eq!(
            plain_markdown("**Upptime** is the [open-source](https://x.y) `monitor`"),
            "Upptime is the open-source monitor"
        );
        assert_eq!(plain_markdown("a [b] c"), "a [b] c");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(1), "1 minute");
        assert_eq!(duration(45), "45 minutes");
        assert_eq!(duration(120), "2 h");
        assert_eq!(duration(1440), "24 h");
        assert_eq!(duration(89), "1 h 29 min");
    }
}
