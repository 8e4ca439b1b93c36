//! cState (a Hugo theme) → status files.
//!
//! - `config.yml`: `title` → page name, `baseURL` → url, `languageCode` → locale,
//!   `params.description`, `params.brand`; `params.categories` → groups (an `untitled`
//!   category's systems are listed without a heading), `params.systems` → components (ids
//!   slugified from `name`; `displayName` is the shown name).
//! - `content/issues/*.md` → `incidents/<date>-<name>.md`: `title`, `date` → `started_at`,
//!   `resolved` + `resolvedWhen` → status and `resolved_at`, `severity` → impact and the
//!   `affected` systems' status; the body's `*Label* - text {{< track "time" >}}` blocks →
//!   updates (status from the label, time from the shortcode), or the whole body as one update.
//!   `informational: true` posts → resolved incidents without impact or components.
//!
//! Times without an offset are UTC, as cState requires. Everything else is in the notes.

use super::common::{
    bool_of, check_paths, clean, file_slug, is_colour, is_language_tag, note, one_line,
    one_line_text, page_url, parse_yaml, read_config, slugify, starts_with_date, text_of, Import,
    ImportError, Note, Unique,
};
use super::emit::{finish, ComponentOut, GroupOut, IncidentOut, PageOut, UpdateOut};
use crate::model::{ComponentStatus, Impact, IncidentStatus};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde_json::Value;
use std::collections::BTreeMap;

/// Where Hugo finds a site's configuration (the first present is read; TOML is not).
pub(super) const CONFIG_FILES: [&str; 4] = ["config.yml", "config.yaml", "hugo.yml", "hugo.yaml"];
const ISSUES_DIR: &str = "content/issues/";

/// Converts a cState site (paths relative to the site's root → text) into status files.
pub fn import(files: &BTreeMap<String, String>) -> Result<Import, ImportError> {
    check_paths(files)?;
    let (config_file, config) = read_config(
        files,
        &CONFIG_FILES,
        "config.yml (the Hugo configuration, in YAML; TOML is not read)",
        "a cState",
    )?;
    let mut notes = Vec::new();
    let page = page(config_file, &config, &mut notes);
    let (groups, systems) = components(config_file, &config, &mut notes);

    let mut incidents = Vec::new();
    for (path, text) in files {
        let Some(rest) = path.strip_prefix(ISSUES_DIR) else {
            continue;
        };
        let stem = match rest.split_once('/') {
            None => rest.strip_suffix(".md"),
            Some((bundle, "index.md")) => Some(bundle),
            Some(_) => None,
        };
        let Some(stem) = stem.filter(|s| *s != "_index") else {
            continue;
        };
        if let Some(incident) = issue(path, stem, text, &systems, &mut notes) {
            incidents.push(incident);
        }
    }
    Ok(finish(
        page,
        &format!("Imported from cState ({config_file}, params.categories and params.systems)."),
        groups,
        incidents,
        notes,
    ))
}

/// A key of a Hugo map, which Hugo reads without regard to case.
fn get<'a>(map: &'a Value, key: &str) -> Option<&'a Value> {
    map.as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
        .filter(|v| !v.is_null())
}

fn get_text(map: &Value, key: &str) -> Option<String> {
    one_line_text(get(map, key))
}

// ---- config.yml ----

fn page(file: &str, config: &Value, notes: &mut Vec<Note>) -> PageOut {
    let params = get(config, "params").cloned().unwrap_or(Value::Null);
    let name = get_text(config, "title").unwrap_or_else(|| {
        note(
            notes,
            file,
            "no `title`: the page is named \"Status\"; change it in page.yaml",
        );
        "Status".to_string()
    });
    let url = get_text(config, "baseURL").and_then(|u| match page_url(&u) {
        Ok(url) => Some(url),
        Err(why) => {
            note(notes, file, format!("baseURL {why}: page.yaml has no url"));
            None
        }
    });
    let locale = get_text(config, "languageCode").and_then(|l| {
        if is_language_tag(&l) {
            Some(l)
        } else {
            note(
                notes,
                file,
                format!("languageCode `{l}` is not a language tag: left out"),
            );
            None
        }
    });
    let brand = get_text(&params, "brand").and_then(|b| {
        // cState before v4 wrote colours without `#`.
        let hex = if b.starts_with('#') {
            b.clone()
        } else {
            format!("#{b}")
        };
        if is_colour(&hex) {
            Some(hex.to_ascii_lowercase())
        } else {
            note(
                notes,
                file,
                format!("params.brand `{b}` is not a #rgb or #rrggbb colour: left out"),
            );
            None
        }
    });
    if get(&params, "customTabs").is_some() {
        note(notes, file, "params.customTabs (links under the summary) are not imported: the export has no custom links");
    }
    if get(&params, "useLogo").and_then(bool_of) == Some(true) {
        note(
            notes,
            file,
            "params.logo is not imported: the export loads no images",
        );
    }
    PageOut {
        comment: format!("Imported from cState ({file}: title, baseURL, languageCode, params.description, params.brand)."),
        name,
        url,
        description: get_text(&params, "description"),
        locale,
        brand,
    }
}

/// System name (as issues' `affected` write it) → component id.
type Systems = BTreeMap<String, String>;

fn components(file: &str, config: &Value, notes: &mut Vec<Note>) -> (Vec<GroupOut>, Systems) {
    let params = get(config, "params").cloned().unwrap_or(Value::Null);
    let empty = Vec::new();
    let systems_raw = get(&params, "systems")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    let categories_raw = get(&params, "categories").and_then(Value::as_array);
    if systems_raw.is_empty() {
        note(
            notes,
            file,
            "params.systems lists no systems: the page has no components",
        );
    }

    let mut ids = Unique::default();
    let mut systems: Systems = BTreeMap::new();
    // (category, component) in config order.
    let mut all: Vec<(Option<String>, ComponentOut)> = Vec::new();
    for (i, raw) in systems_raw.iter().enumerate() {
        let Some(name) = get_text(raw, "name") else {
            note(
                notes,
                file,
                format!("params.systems[{i}] has no name: left out"),
            );
            continue;
        };
        if systems.contains_key(&name) {
            note(
                notes,
                file,
                format!("the system `{name}` is listed twice: the second is left out"),
            );
            continue;
        }
        let mut id = slugify(&name);
        if id.is_empty() {
            id = format!("system-{}", i + 1);
        }
        let id = ids.take(&id);
        for ignored in ["link", "partial"] {
            if get(raw, ignored).is_some() {
                note(
                    notes,
                    file,
                    format!("the system `{name}` has `{ignored}`, which is not imported"),
                );
            }
        }
        systems.insert(name.clone(), id.clone());
        all.push((
            get_text(raw, "category"),
            ComponentOut {
                id,
                name: get_text(raw, "displayName").unwrap_or(name),
                description: get_text(raw, "description"),
                status: ComponentStatus::Operational,
            },
        ));
    }

    let mut groups = Vec::new();
    let mut placed = vec![false; all.len()];
    for (i, raw) in categories_raw.into_iter().flatten().enumerate() {
        let Some(name) = get_text(raw, "name") else {
            note(
                notes,
                file,
                format!("params.categories[{i}] has no name: left out"),
            );
            continue;
        };
        let mut members = Vec::new();
        for (j, (category, comp)) in all.iter().enumerate() {
            if !placed[j] && category.as_deref() == Some(name.as_str()) {
                placed[j] = true;
                members.push(clone_component(comp));
            }
        }
        if members.is_empty() {
            note(
                notes,
                file,
                format!("the category `{name}` has no systems: left out"),
            );
            continue;
        }
        let untitled = get(raw, "untitled").and_then(bool_of) == Some(true);
        if untitled {
            note(
                notes,
                file,
                format!(
                    "the category `{name}` is untitled: its systems are listed without a \
                     heading, at the top of the page"
                ),
            );
        }
        groups.push(GroupOut {
            name: (!untitled).then(|| name.clone()),
            description: get_text(raw, "description"),
            components: members,
        });
    }
    let have_categories = categories_raw.is_some_and(|c| !c.is_empty());
    let mut orphans: Vec<GroupOut> = Vec::new();
    for (j, (category, comp)) in all.iter().enumerate() {
        if placed[j] {
            continue;
        }
        if have_categories {
            let why = match category {
                Some(c) => format!("the category `{c}`, which params.categories does not define"),
                None => "no category".to_string(),
            };
            note(
                notes,
                file,
                format!(
                    "the system `{}` has {why}; cState does not show it: imported {}",
                    comp.name,
                    if category.is_some() {
                        "in a group of that name"
                    } else {
                        "without a heading"
                    }
                ),
            );
        }
        match orphans.iter_mut().find(|g| g.name == *category) {
            Some(g) => g.components.push(clone_component(comp)),
            None => orphans.push(GroupOut {
                name: category.clone(),
                description: None,
                components: vec![clone_component(comp)],
            }),
        }
    }
    groups.extend(orphans);
    (groups, systems)
}

fn clone_component(c: &ComponentOut) -> ComponentOut {
    ComponentOut {
        id: c.id.clone(),
        name: c.name.clone(),
        description: c.description.clone(),
        status: c.status,
    }
}

// ---- content/issues/*.md ----

const KNOWN_KEYS: [&str; 9] = [
    "title",
    "date",
    "resolved",
    "resolvedwhen",
    "severity",
    "affected",
    "section",
    "informational",
    "draft",
];

fn issue(
    path: &str,
    stem: &str,
    text: &str,
    systems: &Systems,
    notes: &mut Vec<Note>,
) -> Option<IncidentOut> {
    let text = clean(text);
    let Some((yaml, body)) = split_front_matter(&text) else {
        let why = if text.starts_with("+++") {
            "has TOML front matter (+++), which is not read"
        } else {
            "has no YAML front matter (--- … ---)"
        };
        note(notes, path, format!("{why}: skipped"));
        return None;
    };
    let fm = match parse_yaml(path, yaml, 1) {
        Ok(v) => v,
        Err(ImportError::InvalidSource {
            line,
            column,
            message,
            ..
        }) => {
            note(notes, path, format!("the front matter is not valid YAML (line {line}, column {column}: {message}): skipped"));
            return None;
        }
        Err(e) => {
            note(notes, path, format!("{e}: skipped"));
            return None;
        }
    };
    if !fm.is_object() {
        note(notes, path, "the front matter is not a map: skipped");
        return None;
    }
    if get(&fm, "draft").and_then(bool_of) == Some(true) {
        note(
            notes,
            path,
            "is a draft (Hugo does not publish it): skipped",
        );
        return None;
    }
    match get_text(&fm, "section") {
        Some(s) if s == "issue" => {}
        Some(s) => {
            note(
                notes,
                path,
                format!("has `section: {s}`, so cState does not list it as an issue: skipped"),
            );
            return None;
        }
        None => note(
            notes,
            path,
            "has no `section: issue` (cState does not list it): imported anyway",
        ),
    }
    let Some(title) = get_text(&fm, "title") else {
        note(notes, path, "has no title: skipped");
        return None;
    };
    let Some(date_text) = get_text(&fm, "date") else {
        note(notes, path, "has no date: skipped");
        return None;
    };
    let Some(date) = parse_time(&date_text) else {
        note(
            notes,
            path,
            format!("date `{date_text}` is not a time: skipped"),
        );
        return None;
    };
    let mut ignored: Vec<String> = fm
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k.clone())
        .filter(|k| !KNOWN_KEYS.contains(&k.to_ascii_lowercase().as_str()))
        .collect();
    ignored.sort();
    if !ignored.is_empty() {
        note(
            notes,
            path,
            format!("front matter not imported: {}", ignored.join(", ")),
        );
    }

    let informational = get(&fm, "informational").and_then(bool_of) == Some(true);
    // cState counts an issue as active only when `resolved` is false.
    let resolved = informational || get(&fm, "resolved").and_then(bool_of) != Some(false);
    let resolved_when = get_text(&fm, "resolvedWhen").and_then(|t| {
        let parsed = parse_time(&t);
        if parsed.is_none() {
            note(
                notes,
                path,
                format!("resolvedWhen `{t}` is not a time: ignored"),
            );
        }
        parsed
    });
    if !resolved && resolved_when.is_some() {
        note(notes, path, "resolvedWhen is set but resolved is false: imported as an ongoing incident, as cState shows it");
    } else if !resolved {
        note(
            notes,
            path,
            "resolved is false: imported as an ongoing incident",
        );
    } else if !informational && get(&fm, "resolved").is_none() {
        note(
            notes,
            path,
            "has no `resolved`: imported as resolved, as cState shows it",
        );
    }

    let severity = get_text(&fm, "severity");
    let (impact, component_status) = match severity.as_deref() {
        _ if informational => (Impact::None, ComponentStatus::Operational),
        Some("down") => (Impact::Critical, ComponentStatus::MajorOutage),
        Some("disrupted") => (Impact::Major, ComponentStatus::PartialOutage),
        Some("notice") => (Impact::Minor, ComponentStatus::DegradedPerformance),
        other => {
            note(
                notes,
                path,
                format!(
                    "severity {} is not down, disrupted or notice: imported as notice",
                    other.map_or("(none)".to_string(), |s| format!("`{s}`"))
                ),
            );
            (Impact::Minor, ComponentStatus::DegradedPerformance)
        }
    };
    let mut components: Vec<(String, ComponentStatus)> = Vec::new();
    let affected: Vec<String> = match get(&fm, "affected") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(text_of)
            .map(|s| one_line(&s))
            .collect(),
        Some(other) => text_of(other)
            .map(|s| vec![one_line(&s)])
            .unwrap_or_default(),
        None => Vec::new(),
    };
    if informational && !affected.is_empty() {
        note(
            notes,
            path,
            "is informational: its affected systems are not marked",
        );
    } else {
        for name in affected {
            let found = systems.get(&name).cloned().or_else(|| {
                // cState's own pages for systems match names through Hugo's urlize.
                let wanted = slugify(&name);
                let mut matches = systems.iter().filter(|(n, _)| slugify(n) == wanted);
                let found = matches.next().map(|(n, id)| (n.clone(), id.clone()));
                found.map(|(n, id)| {
                    note(
                        notes,
                        path,
                        format!("affected `{name}` taken as the system `{n}`"),
                    );
                    id
                })
            });
            match found {
                Some(id) if !components.iter().any(|(c, _)| *c == id) => {
                    components.push((id, component_status))
                }
                Some(_) => {}
                None => note(
                    notes,
                    path,
                    format!("affected `{name}` is not a system in the configuration: left out"),
                ),
            }
        }
    }
    if title.to_ascii_lowercase().contains("maintenance") {
        note(
            notes,
            path,
            "looks like maintenance: imported as an incident, as cState has no maintenance; \
             to show it as scheduled maintenance, move it to maintenances/ with \
             scheduled_for and scheduled_until",
        );
    }

    let parsed = parse_body(body);
    let mut shortcodes = parsed.other_shortcodes;
    // Updates oldest first: cState writes them newest first.
    let mut updates: Vec<UpdateOut> = Vec::new();
    let mut untimed = 0;
    let mut closed_in_open = false;
    let mut previous_status = IncidentStatus::Investigating;
    let mut previous_time: Option<Timestamp> = None;
    // Whether the newest update's label named its stage.
    let mut explicit_last = false;
    let postmortem;
    if parsed.blocks.is_empty() {
        // The whole body is one update, at the incident's date.
        let body_text = parsed.whole.trim().to_string();
        postmortem = None;
        if !body_text.is_empty() {
            updates.push(UpdateOut {
                at: date,
                status: IncidentStatus::Investigating, // settled below
                body: body_text,
                components: Vec::new(),
            });
        }
    } else {
        postmortem = Some(parsed.preamble.trim().to_string()).filter(|p| !p.is_empty());
        if postmortem.is_some() {
            note(notes, path, "the text before the first update is kept as the incident's closing text (postmortem)");
        }
        let count = parsed.blocks.len();
        for (k, block) in parsed.blocks.iter().rev().enumerate() {
            let newest = k + 1 == count;
            let (status, body_text) = match &block.label {
                None => (previous_status, block.text.clone()),
                Some(label) => match label_status(label) {
                    Label::Status(s) => {
                        explicit_last = newest;
                        (s, block.text.clone())
                    }
                    Label::Generic => (previous_status, block.text.clone()),
                    Label::Other => (
                        previous_status,
                        if block.text.is_empty() {
                            format!("*{label}*")
                        } else {
                            format!("*{label}* - {}", block.text)
                        },
                    ),
                },
            };
            let body_text = if body_text.is_empty() {
                block.label.clone().unwrap_or_default()
            } else {
                body_text
            };
            let status = if !resolved && status.is_closed() {
                closed_in_open = true;
                IncidentStatus::Monitoring
            } else {
                status
            };
            let at = match block.at {
                Some(at) => at,
                None => {
                    untimed += 1;
                    match resolved_when {
                        // The last word of a resolved issue, or a resolution: when it resolved.
                        Some(when) if resolved && (newest || status.is_closed()) => when,
                        _ => previous_time.unwrap_or(date),
                    }
                }
            };
            if block.bad_time.is_some() {
                shortcodes = true;
            }
            previous_status = status;
            previous_time = Some(at);
            updates.push(UpdateOut {
                at,
                status,
                body: body_text,
                components: Vec::new(),
            });
        }
        for bad in parsed.blocks.iter().filter_map(|b| b.bad_time.as_ref()) {
            note(
                notes,
                path,
                format!(
                    "track time `{bad}` is not a time: that update is dated from its neighbours"
                ),
            );
        }
    }
    if untimed > 0 {
        note(
            notes,
            path,
            format!(
                "{untimed} update(s) have no {{{{< track >}}}} time: the newest (or a \
                 resolution) is dated at resolvedWhen, the others at the update before them \
                 or at the date"
            ),
        );
    }
    if closed_in_open {
        note(
            notes,
            path,
            "an update says resolved but the issue is not: that update is imported as monitoring",
        );
    }
    if shortcodes {
        note(
            notes,
            path,
            "the body uses Hugo shortcodes other than track: they are kept as text",
        );
    }

    let mut started_at = date;
    if let Some(first) = updates.iter().map(|u| u.at).min() {
        if first < date {
            note(notes, path, format!("an update ({first}) is dated before the date ({date}): the incident starts at that update"));
            started_at = first;
        }
    }
    let resolved_at = if resolved {
        Some(match resolved_when {
            Some(when) if when >= started_at => when,
            _ => {
                let fallback = updates
                    .iter()
                    .find(|u| u.status.is_closed())
                    .or(updates.last())
                    .map_or(started_at, |u| u.at)
                    .max(started_at);
                if let Some(when) = resolved_when {
                    note(notes, path, format!("resolvedWhen ({when}) is before the start ({started_at}): resolved at {fallback}"));
                } else if !informational {
                    note(
                        notes,
                        path,
                        format!("resolved without resolvedWhen: resolved at {fallback}"),
                    );
                }
                fallback
            }
        })
    } else {
        None
    };
    // The stage: resolved, or the latest update's (never closed while open).
    let status = if resolved {
        IncidentStatus::Resolved
    } else {
        updates
            .iter()
            .max_by_key(|u| u.at)
            .map_or(IncidentStatus::Investigating, |u| u.status)
    };
    // An update without a stage of its own ("Update - …") posted once the issue was resolved
    // is the resolution.
    if let (Some(r), Some(last)) = (resolved_at, updates.last_mut()) {
        if !parsed.blocks.is_empty() && !explicit_last && last.at >= r {
            last.status = IncidentStatus::Resolved;
        }
    }
    if parsed.blocks.is_empty() {
        if let Some(u) = updates.first_mut() {
            u.status = match resolved_at {
                Some(r) if r <= u.at => IncidentStatus::Resolved,
                _ => IncidentStatus::Investigating,
            };
        }
    }

    let mut slug = file_slug(stem);
    if !starts_with_date(&slug) {
        let day = started_at.to_zoned(TimeZone::UTC).date();
        slug = if slug.is_empty() {
            day.to_string()
        } else {
            format!("{day}-{slug}")
        };
    }
    Some(IncidentOut {
        slug,
        comment: format!("Imported from cState: {path}"),
        title,
        status,
        impact,
        started_at,
        resolved_at,
        components,
        updates,
        postmortem,
    })
}

/// The YAML between the `---` lines and the text after them.
fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let text = text.strip_prefix('\u{FFFD}').unwrap_or(text);
    let first_end = text.find('\n')?;
    if text[..first_end].trim_end() != "---" {
        return None;
    }
    let rest = &text[first_end + 1..];
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Some((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

#[derive(Debug)]
enum Label {
    Status(IncidentStatus),
    /// "Update": the stage does not change.
    Generic,
    /// Anything else ("Just began"): the stage does not change, the label stays in the text.
    Other,
}

fn label_status(label: &str) -> Label {
    for word in label
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .map(str::to_lowercase)
    {
        let status = match word.as_str() {
            "investigating" | "investigation" | "investigate" => IncidentStatus::Investigating,
            "identified" | "identifying" => IncidentStatus::Identified,
            "monitoring" | "monitor" | "monitored" => IncidentStatus::Monitoring,
            "resolved" | "fixed" | "solved" | "closed" | "completed" | "complete" => {
                IncidentStatus::Resolved
            }
            "postmortem" | "post-mortem" | "retrospective" => IncidentStatus::Postmortem,
            "update" | "updated" | "updates" => return Label::Generic,
            _ => continue,
        };
        return Label::Status(status);
    }
    Label::Other
}

#[derive(Debug, Default)]
struct Body {
    /// Text before the first update block.
    preamble: String,
    /// In file order (newest first, as cState writes them).
    blocks: Vec<Block>,
    /// The whole body with track shortcodes written out as times (used when there are no
    /// blocks).
    whole: String,
    /// Shortcodes other than track were found.
    other_shortcodes: bool,
}

#[derive(Debug, Default)]
struct Block {
    label: Option<String>,
    text: String,
    at: Option<Timestamp>,
    /// A track argument that is not a time.
    bad_time: Option<String>,
}

/// Splits a body into update blocks: each starts at a `*Label* - ` line; text before the first
/// block is a block too when it carries a track time (an unlabelled update), else the preamble.
fn parse_body(body: &str) -> Body {
    let mut out = Body::default();
    let mut current: Option<(Option<String>, Vec<String>)> = None;
    let mut preamble: Vec<String> = Vec::new();
    let mut raw_blocks: Vec<(Option<String>, String)> = Vec::new();
    for line in body.lines() {
        if let Some((label, rest)) = label_line(line) {
            if let Some((l, lines)) = current.take() {
                raw_blocks.push((l, lines.join("\n")));
            }
            current = Some((Some(label), vec![rest.to_string()]));
        } else if let Some((_, lines)) = current.as_mut() {
            lines.push(line.to_string());
        } else {
            preamble.push(line.to_string());
        }
    }
    if let Some((l, lines)) = current.take() {
        raw_blocks.push((l, lines.join("\n")));
    }
    let preamble = preamble.join("\n");
    if raw_blocks.is_empty() {
        let (whole, _, _) = take_tracks(body, true);
        out.other_shortcodes = has_shortcode(&whole);
        out.whole = whole;
        return out;
    }
    if find_track(&preamble, 0).is_some() {
        raw_blocks.insert(0, (None, preamble));
    } else {
        out.preamble = preamble;
    }
    for (label, text) in raw_blocks {
        let (text, first, _) = take_tracks(&text, false);
        out.other_shortcodes |= has_shortcode(&text);
        let (at, bad_time) = match first {
            Some(raw) => match parse_time(&raw) {
                Some(t) => (Some(t), None),
                None => (None, Some(raw)),
            },
            None => (None, None),
        };
        out.blocks.push(Block {
            label,
            text: text.trim().to_string(),
            at,
            bad_time,
        });
    }
    out.other_shortcodes |= has_shortcode(&out.preamble);
    out
}

fn has_shortcode(text: &str) -> bool {
    text.contains("{{<") || text.contains("{{%")
}

/// `*Label* - text` (one or two asterisks, a dash or en/em dash): the label and the text.
fn label_line(line: &str) -> Option<(String, &str)> {
    let t = line.trim_start();
    let rest = t.strip_prefix("**").or_else(|| t.strip_prefix('*'))?;
    let end = rest.find('*')?;
    let label = &rest[..end];
    if label.is_empty()
        || label.chars().count() > 60
        || label.starts_with(char::is_whitespace)
        || label.ends_with(char::is_whitespace)
        || label.contains("{{")
    {
        return None;
    }
    let after = rest[end..].trim_start_matches('*').trim_start();
    let text = after.strip_prefix(['-', '–', '—'])?;
    if !(text.is_empty() || text.starts_with(char::is_whitespace)) {
        return None;
    }
    Some((one_line(label), text.trim_start()))
}

/// Removes every `{{< track "…" >}}` (and the blanks before it on its line); with `render`,
/// writes each as its time in italics instead. Returns the text, the first argument and the
/// number found.
fn take_tracks(text: &str, render: bool) -> (String, Option<String>, usize) {
    let mut out = String::new();
    let mut first = None;
    let mut count = 0;
    let mut pos = 0;
    while let Some((start, end, arg)) = find_track(text, pos) {
        let mut kept = &text[pos..start];
        if !render {
            kept = kept.trim_end_matches([' ', '\t']);
        }
        out.push_str(kept);
        if render {
            match parse_time(&arg) {
                Some(t) => {
                    let shown = t.to_zoned(TimeZone::UTC).strftime("%d %b %Y %H:%M UTC");
                    out.push_str(&format!("_{shown}_"));
                }
                None => out.push_str(&text[start..end]),
            }
        }
        first.get_or_insert(arg);
        count += 1;
        pos = end;
    }
    out.push_str(&text[pos..]);
    (out, first, count)
}

/// The next `{{< track "…" >}}` at or after `from`: start, end and the argument.
fn find_track(text: &str, from: usize) -> Option<(usize, usize, String)> {
    let mut pos = from;
    while let Some(open) = text.get(pos..)?.find("{{<").map(|i| i + pos) {
        let inner_start = open + 3;
        let close = text[inner_start..].find(">}}")? + inner_start;
        let inner = text[inner_start..close].trim();
        if let Some(arg) = inner.strip_prefix("track") {
            if arg.starts_with(char::is_whitespace) || arg.starts_with(['"', '\'', '`']) {
                let arg = arg.trim();
                let arg = arg
                    .strip_prefix(['"', '\'', '`'])
                    .and_then(|a| a.strip_suffix(['"', '\'', '`']))
                    .unwrap_or(arg);
                return Some((open, close + 3, arg.trim().to_string()));
            }
        }
        pos = inner_start;
    }
    None
}

/// A time as cState's files write it: RFC 3339, or a date and time without offset (UTC, as
/// cState requires), or a date, or RFC 2822.
fn parse_time(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if let Ok(t) = text.parse::<Timestamp>() {
        return Some(t);
    }
    // "2018-06-13 14:05:00 +0200"
    if let Some((dt, offset)) = text.rsplit_once(' ') {
        if offset.starts_with(['+', '-']) {
            if let Ok(t) = format!("{dt}{offset}").parse::<Timestamp>() {
                return Some(t);
            }
        }
        if matches!(offset, "UTC" | "GMT" | "Z") {
            return parse_time(dt);
        }
    }
    if let Ok(dt) = text.parse::<jiff::civil::DateTime>() {
        return dt.to_zoned(TimeZone::UTC).ok().map(|z| z.timestamp());
    }
    if let Ok(d) = text.parse::<jiff::civil::Date>() {
        return d.to_zoned(TimeZone::UTC).ok().map(|z| z.timestamp());
    }
    jiff::fmt::rfc2822::parse(text).ok().map(|z| z.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_in_the_shapes_cstate_sites_use() {
        let t = |s: &str| parse_time(s).map(|t| t.to_string());
        assert_eq!(
            t("2018-05-25 04:13:00").as_deref(),
            Some("2018-05-25T04:13:00Z")
        );
        assert_eq!(
            t("2018-05-25T04:13:00").as_deref(),
            Some("2018-05-25T04:13:00Z")
        );
        assert_eq!(
            t("2024-12-27T09:43:40.482Z").as_deref(),
            Some("2024-12-27T09:43:40.482Z")
        );
        assert_eq!(
            t("2018-05-25 04:13:00 +0200").as_deref(),
            Some("2018-05-25T02:13:00Z")
        );
        assert_eq!(
            t("2018-05-25T04:13:00+02:00").as_deref(),
            Some("2018-05-25T02:13:00Z")
        );
        assert_eq!(t("2018-05-25").as_deref(), Some("2018-05-25T00:00:00Z"));
        assert_eq!(
            t("Fri, 25 May 2018 04:13:00 +0000").as_deref(),
            Some("2018-05-25T04:13:00Z")
        );
        assert_eq!(t("soon"), None);
    }

    #[test]
    fn labels_and_tracks_are_found() {
        assert_eq!(
            label_line("*Resolved* - all good"),
            Some(("Resolved".into(), "all good"))
        );
        assert_eq!(
            label_line("**Automated alert* - x"),
            Some(("Automated alert".into(), "x"))
        );
        assert_eq!(
            label_line("*Monitoring* -"),
            Some(("Monitoring".into(), ""))
        );
        assert_eq!(label_line("* list item"), None);
        assert_eq!(label_line("*emphasis* and more"), None);
        assert_eq!(label_line("*This is long.* {{< track \"x\" >}}"), None);
        let (text, first, n) = take_tracks(
            "a {{< track \"2018-06-13 14:05:00\" >}}\nb {{<track '2018-06-13'>}}",
            false,
        );
        assert_eq!(
            (text.as_str(), first.as_deref(), n),
            ("a\nb", Some("2018-06-13 14:05:00"), 2)
        );
        let (shown, _, _) = take_tracks("x {{< track \"2018-06-13 14:05:00\" >}}", true);
        assert_eq!(shown, "x _13 Jun 2018 14:05 UTC_");
        assert!(find_track("{{< figure src=\"a\" >}}", 0).is_none());
        assert!(matches!(label_status("Just began"), Label::Other));
        assert!(matches!(label_status("Update"), Label::Generic));
        assert!(matches!(
            label_status("Issue resolved"),
            Label::Status(IncidentStatus::Resolved)
        ));
    }
}
