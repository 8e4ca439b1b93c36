//! The HTML pages: `index.html`, `incidents/<slug>.html`, `maintenances/<slug>.html`,
//! `history/index.html` and `history/<yyyy-mm>.html`.
//!
//! Templates are minijinja with auto-escaping; only sanitised Markdown output and the built-in
//! stylesheet are marked safe. Links are relative, so the export works from `file://`.

use super::site::{duration, IncidentView, MaintenanceView, Site, UpdateView};
use crate::compute::{ComponentUptime, DayUptime, UPTIME_DAYS};
use crate::model::*;
use jiff::Timestamp;
use minijinja::value::Serde;
use minijinja::{AutoEscape, Environment, ErrorKind};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

/// How far back the index lists past incidents.
const RECENT_DAYS: i64 = 14;

const CSS: &str = include_str!("../../templates/style.css");

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_syntax(
            minijinja::syntax::SyntaxConfig::builder()
                .trim_blocks(true)
                .lstrip_blocks(true)
                .build()
                .expect("default delimiters"),
        );
        // The default escaper also turns `/` into `&#x2f;`: correct, but it bloats every link.
        env.set_formatter(|out, state, value| match value.as_str() {
            Some(text) if !value.is_safe() && *state.auto_escape() == AutoEscape::Html => out
                .write_str(&escape_html(text))
                .map_err(|_| minijinja::Error::new(ErrorKind::WriteFailure, "write failed")),
            _ => minijinja::escape_formatter(out, state, value),
        });
        for (name, source) in [
            ("base.html", include_str!("../../templates/base.html")),
            ("index.html", include_str!("../../templates/index.html")),
            (
                "incident.html",
                include_str!("../../templates/incident.html"),
            ),
            (
                "maintenance.html",
                include_str!("../../templates/maintenance.html"),
            ),
            (
                "history_index.html",
                include_str!("../../templates/history_index.html"),
            ),
            (
                "history_month.html",
                include_str!("../../templates/history_month.html"),
            ),
            (
                "subscribe.html",
                include_str!("../../templates/subscribe.html"),
            ),
            (
                "response_times.html",
                include_str!("../../templates/response_times.html"),
            ),
        ] {
            env.add_template(name, source)
                .expect("the built-in templates parse");
        }
        env
    })
}

fn render_template(template: &str, context: &impl Serialize) -> Vec<u8> {
    environment()
        .get_template(template)
        .and_then(|t| t.render(Serde(context)))
        .expect("the built-in templates render")
        .into_bytes()
}

/// Escapes text for HTML content and quoted attribute values.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// What every page's frame shows.
#[derive(Serialize)]
struct SiteCtx<'a> {
    name: &'a str,
    description: Option<&'a str>,
    lang: &'a str,
    css: String,
    /// The page has `response-times.html` (monitors measured something).
    response_times: bool,
}

#[derive(Serialize)]
struct When {
    iso: String,
    text: String,
}

#[derive(Serialize)]
struct Link {
    href: String,
    name: String,
}

#[derive(Serialize)]
struct StatusCtx<'a> {
    name: &'a str,
    cls: &'static str,
    status: &'static str,
}

pub(super) fn render(site: &Site, out: &mut BTreeMap<String, Vec<u8>>) {
    let page = &site.model.page;
    let mut css = CSS.to_string();
    if let Some(brand) = &page.theme.brand {
        // Checked to be #rgb or #rrggbb when loading.
        let _ = write!(css, ":root{{--brand:{brand}}}");
    }
    let frame = SiteCtx {
        name: &page.name,
        description: page.description.as_deref(),
        lang: &page.locale,
        css,
        response_times: !site.model.response_times.is_empty(),
    };
    out.insert("index.html".into(), index(site, &frame));
    for i in &site.incidents {
        out.insert(
            incident_path(&i.incident.slug),
            incident_page(site, &frame, i),
        );
    }
    for m in &site.maintenances {
        out.insert(
            maintenance_path(&m.maintenance.slug),
            maintenance_page(site, &frame, m),
        );
    }
    history(site, &frame, out);
    out.insert("subscribe.html".into(), subscribe(site, &frame));
    if frame.response_times {
        out.insert("response-times.html".into(), response_times(site, &frame));
    }
}

#[derive(Serialize)]
struct FeedLinks<'a> {
    name: &'a str,
    atom: String,
    rss: String,
}

#[derive(Serialize)]
struct SubscribeCtx<'a> {
    site: &'a SiteCtx<'a>,
    root: &'static str,
    components: Vec<FeedLinks<'a>>,
}

/// `subscribe.html`: the feeds and the calendar, for the page and for each component.
fn subscribe(site: &Site, frame: &SiteCtx) -> Vec<u8> {
    let components: Vec<FeedLinks> = site
        .model
        .components()
        .map(|c| FeedLinks {
            name: &c.name,
            atom: component_feed(&c.id, "atom"),
            rss: component_feed(&c.id, "rss"),
        })
        .collect();
    render_template(
        "subscribe.html",
        &SubscribeCtx {
            site: frame,
            root: "",
            components,
        },
    )
}

#[derive(Serialize)]
struct ResponseChart<'a> {
    component: &'a str,
    monitor: &'a str,
    summary: String,
    label: String,
    lines: Vec<String>,
    dots: Vec<(String, String)>,
    from: String,
    until: String,
}

#[derive(Serialize)]
struct ResponseCtx<'a> {
    site: &'a SiteCtx<'a>,
    root: &'static str,
    width: u32,
    height: u32,
    monitors: Vec<ResponseChart<'a>>,
}

const CHART_WIDTH: u32 = 672;
const CHART_HEIGHT: u32 = 96;

/// `response-times.html`: each monitor's hourly mean response times as a line, drawn here (an
/// SVG polyline per run of measured hours; no script).
fn response_times(site: &Site, frame: &SiteCtx) -> Vec<u8> {
    let monitors = site
        .model
        .response_times
        .iter()
        .map(|s| {
            let measured: Vec<u32> = s.hourly.iter().flatten().copied().collect();
            let top = measured.iter().copied().max().unwrap_or(1).max(1);
            let n = s.hourly.len().max(2) - 1;
            let x = |i: usize| format!("{:.1}", i as f64 * f64::from(CHART_WIDTH) / n as f64);
            let y = |v: u32| {
                format!(
                    "{:.1}",
                    f64::from(CHART_HEIGHT - 2)
                        - f64::from(v) / f64::from(top) * f64::from(CHART_HEIGHT - 4)
                )
            };
            let mut lines = Vec::new();
            let mut dots = Vec::new();
            let mut run: Vec<(usize, u32)> = Vec::new();
            let mut flush = |run: &mut Vec<(usize, u32)>| {
                match run.len() {
                    0 => {}
                    1 => dots.push((x(run[0].0), y(run[0].1))),
                    _ => lines.push(
                        run.iter()
                            .map(|(i, v)| format!("{},{}", x(*i), y(*v)))
                            .collect::<Vec<_>>()
                            .join(" "),
                    ),
                }
                run.clear();
            };
            for (i, v) in s.hourly.iter().enumerate() {
                match v {
                    Some(v) => run.push((i, *v)),
                    None => flush(&mut run),
                }
            }
            flush(&mut run);
            let summary = if measured.is_empty() {
                "No measurement in these 7 days.".to_owned()
            } else {
                let mean =
                    measured.iter().map(|v| u64::from(*v)).sum::<u64>() / measured.len() as u64;
                format!(
                    "Mean {mean} ms · slowest hour {top} ms · {} of {} hours measured",
                    measured.len(),
                    s.hourly.len()
                )
            };
            let until = s.from + jiff::SignedDuration::from_hours(s.hourly.len() as i64);
            let day = |t: Timestamp| t.strftime("%-d %b %H:%M").to_string();
            ResponseChart {
                component: site.component_name(&s.component),
                monitor: &s.monitor,
                label: format!(
                    "Hourly mean response time of {}, {} to {} UTC; {summary}",
                    s.monitor,
                    day(s.from),
                    day(until)
                ),
                summary,
                lines,
                dots,
                from: day(s.from),
                until: day(until),
            }
        })
        .collect();
    render_template(
        "response_times.html",
        &ResponseCtx {
            site: frame,
            root: "",
            width: CHART_WIDTH,
            height: CHART_HEIGHT,
            monitors,
        },
    )
}

pub(super) fn incident_path(slug: &str) -> String {
    format!("incidents/{slug}.html")
}

/// A component's feed: `components/<id>.<ext>` (`atom` or `rss`).
pub(super) fn component_feed(id: &str, ext: &str) -> String {
    format!("components/{id}.{ext}")
}

pub(super) fn maintenance_path(slug: &str) -> String {
    format!("maintenances/{slug}.html")
}

/// The CSS class of a status colour.
fn class(status: ComponentStatus) -> &'static str {
    match status {
        ComponentStatus::Operational => "op",
        ComponentStatus::UnderMaintenance => "um",
        ComponentStatus::DegradedPerformance => "dg",
        ComponentStatus::PartialOutage => "po",
        ComponentStatus::MajorOutage => "mo",
    }
}

fn impact_class(impact: Impact, open: bool) -> &'static str {
    if !open {
        return "op";
    }
    match impact {
        Impact::None => "um",
        Impact::Minor => "dg",
        Impact::Major => "po",
        Impact::Critical => "mo",
    }
}

fn when(site: &Site, t: Timestamp) -> When {
    When {
        iso: t
            .to_zoned(site.tz.clone())
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string(),
        text: site.human(t),
    }
}

/// `99.95%`, never rounded up to 100% while there was downtime.
pub(crate) fn percent(ratio: f64) -> String {
    let hundredths = (ratio * 10_000.0).floor().clamp(0.0, 10_000.0) as u64;
    if hundredths == 10_000 {
        "100%".into()
    } else {
        format!("{}.{:02}%", hundredths / 100, hundredths % 100)
    }
}

// ---- index.html ----

#[derive(Serialize)]
struct IndexCtx<'a> {
    site: &'a SiteCtx<'a>,
    root: &'static str,
    banner: Banner,
    as_of: When,
    open: Vec<OpenIncident>,
    maintenances: Vec<MaintenanceItem>,
    groups: Vec<GroupCtx<'a>>,
    recent: Vec<RecentIncident>,
}

#[derive(Serialize)]
struct Banner {
    cls: &'static str,
    text: &'static str,
}

#[derive(Serialize)]
struct OpenIncident {
    href: String,
    title: String,
    cls: &'static str,
    status: &'static str,
    impact: &'static str,
    latest: Option<String>,
    updated: When,
}

#[derive(Serialize)]
struct MaintenanceItem {
    href: String,
    title: String,
    status: &'static str,
    window: String,
}

#[derive(Serialize)]
struct GroupCtx<'a> {
    name: Option<&'a str>,
    components: Vec<ComponentCtx<'a>>,
}

#[derive(Serialize)]
struct ComponentCtx<'a> {
    name: &'a str,
    description: Option<&'a str>,
    cls: &'static str,
    status: &'static str,
    label: String,
    uptime: String,
    days: Vec<DayCtx>,
}

#[derive(Serialize)]
struct DayCtx {
    x: usize,
    cls: &'static str,
    text: String,
}

#[derive(Serialize)]
struct RecentIncident {
    href: String,
    title: String,
    status: &'static str,
    when: String,
}

fn index(site: &Site, frame: &SiteCtx) -> Vec<u8> {
    use crate::compute::Indicator;
    let banner = Banner {
        cls: match site.current.indicator {
            Indicator::None => "op",
            Indicator::Maintenance => "um",
            Indicator::Minor => "dg",
            Indicator::Major => "po",
            Indicator::Critical => "mo",
        },
        text: site.current.indicator.description(),
    };
    let open = site
        .incidents
        .iter()
        .filter(|i| i.open)
        .map(|i| OpenIncident {
            href: incident_path(&i.incident.slug),
            title: i.incident.title.clone(),
            cls: impact_class(i.incident.impact, true),
            status: i.status.label(),
            impact: i.incident.impact.label(),
            latest: i.updates.first().map(|u| u.body_html.clone()),
            updated: when(site, i.updated_at),
        })
        .collect();
    // A recurring maintenance: its next (or current) window only, saying that it repeats.
    let mut series_shown = std::collections::BTreeSet::new();
    let maintenances = site
        .maintenances
        .iter()
        .rev()
        .filter(|m| m.status != MaintenanceStatus::Completed)
        .filter(|m| {
            m.maintenance
                .series
                .as_ref()
                .is_none_or(|s| series_shown.insert(s.slug.clone()))
        })
        .map(|m| MaintenanceItem {
            href: maintenance_path(&m.maintenance.slug),
            title: m.maintenance.title.clone(),
            status: m.status.label(),
            window: match &m.maintenance.series {
                None => window_text(site, m.maintenance),
                Some(s) => format!(
                    "{} · repeats {}",
                    window_text(site, m.maintenance),
                    crate::recurrence::describe(&s.recurrence.rule)
                ),
            },
        })
        .collect();
    let groups = site
        .model
        .groups
        .iter()
        .map(|g| GroupCtx {
            name: g.name.as_deref(),
            components: g
                .components
                .iter()
                .map(|c| component_ctx(site, c))
                .collect(),
        })
        .collect();
    let since = site
        .now
        .checked_sub(jiff::SignedDuration::from_hours(RECENT_DAYS * 24))
        .unwrap_or(site.now);
    let recent = site
        .incidents
        .iter()
        .filter(|i| !i.open && i.resolved_at.is_some_and(|r| r >= since))
        .map(|i| RecentIncident {
            href: incident_path(&i.incident.slug),
            title: i.incident.title.clone(),
            status: i.status.label(),
            when: site.human(i.incident.started_at),
        })
        .collect();
    render_template(
        "index.html",
        &IndexCtx {
            site: frame,
            root: "",
            banner,
            as_of: when(site, site.now),
            open,
            maintenances,
            groups,
            recent,
        },
    )
}

fn component_ctx<'a>(site: &Site, c: &'a Component) -> ComponentCtx<'a> {
    let status = site
        .current
        .components
        .get(&c.id)
        .copied()
        .unwrap_or(c.status);
    let empty = ComponentUptime {
        days: Vec::new(),
        ratio: 1.0,
    };
    let uptime = site.uptimes.get(&c.id).unwrap_or(&empty);
    let pct = percent(uptime.ratio);
    let bad: Vec<(usize, &DayUptime)> = uptime
        .days
        .iter()
        .enumerate()
        .filter(|(_, d)| d.worst != ComponentStatus::Operational)
        .collect();
    let mut label = format!("{}, last {UPTIME_DAYS} days: {pct} uptime", c.name);
    if bad.is_empty() {
        label.push_str(", no incidents.");
    } else {
        label.push('.');
    }
    let days = bad
        .iter()
        .map(|(x, d)| {
            let text = day_text(d);
            label.push(' ');
            label.push_str(&text);
            label.push('.');
            DayCtx {
                x: *x,
                cls: class(d.worst),
                text,
            }
        })
        .collect();
    ComponentCtx {
        name: &c.name,
        description: c.description.as_deref(),
        cls: class(status),
        status: status.label(),
        label,
        uptime: pct,
        days,
    }
}

/// `16 Oct 2026: partial outage 1 h 29 min`.
fn day_text(d: &DayUptime) -> String {
    let mut text = d.date.strftime("%-d %b %Y:").to_string();
    let mut first = true;
    for status in ComponentStatus::ALL.iter().rev() {
        let secs = d.seconds[*status as usize];
        if secs > 0 {
            let _ = write!(
                text,
                "{} {} {}",
                if first { "" } else { "," },
                status.label().to_lowercase(),
                duration(secs as i64)
            );
            first = false;
        }
    }
    text
}

fn window_text(site: &Site, m: &Maintenance) -> String {
    let from = m.scheduled_for.to_zoned(site.tz.clone());
    let until = m.scheduled_until.to_zoned(site.tz.clone());
    if from.date() == until.date() {
        format!(
            "{} – {}",
            site.human(m.scheduled_for),
            until.strftime("%H:%M %Z")
        )
    } else {
        format!(
            "{} – {}",
            site.human(m.scheduled_for),
            site.human(m.scheduled_until)
        )
    }
}

// ---- incident and maintenance pages ----

#[derive(Serialize)]
struct IncidentCtx<'a> {
    site: &'a SiteCtx<'a>,
    root: &'static str,
    i: IncidentPage<'a>,
}

#[derive(Serialize)]
struct IncidentPage<'a> {
    title: &'a str,
    cls: &'static str,
    status: &'static str,
    impact: &'static str,
    started: When,
    resolved: Option<When>,
    duration: String,
    components: Vec<StatusCtx<'a>>,
    updates: Vec<UpdateCtx<'a>>,
    postmortem: Option<&'a str>,
}

#[derive(Serialize)]
struct UpdateCtx<'a> {
    status: &'static str,
    at: When,
    body: &'a str,
    changes: String,
}

fn update_ctx<'a>(site: &Site<'a>, u: &'a UpdateView) -> UpdateCtx<'a> {
    let changes = u
        .changes
        .iter()
        .map(|(id, _, new)| format!("{}: {}", site.component_name(id), new.label()))
        .collect::<Vec<_>>()
        .join("; ");
    UpdateCtx {
        status: u.label,
        at: when(site, u.at),
        body: &u.body_html,
        changes,
    }
}

fn statuses<'a>(site: &Site<'a>, changes: &[ComponentChange]) -> Vec<StatusCtx<'a>> {
    changes
        .iter()
        .map(|c| StatusCtx {
            name: site.component_name(&c.id),
            cls: class(c.status),
            status: c.status.label(),
        })
        .collect()
}

fn incident_page(site: &Site, frame: &SiteCtx, i: &IncidentView) -> Vec<u8> {
    let inc = i.incident;
    render_template(
        "incident.html",
        &IncidentCtx {
            site: frame,
            root: "../",
            i: IncidentPage {
                title: &inc.title,
                cls: impact_class(inc.impact, i.open),
                status: i.status.label(),
                impact: inc.impact.label(),
                started: when(site, inc.started_at),
                resolved: i.resolved_at.map(|r| when(site, r)),
                duration: i
                    .resolved_at
                    .map(|r| duration(r.as_second() - inc.started_at.as_second()))
                    .unwrap_or_default(),
                components: statuses(site, &i.components),
                updates: i.updates.iter().map(|u| update_ctx(site, u)).collect(),
                postmortem: i.postmortem_html.as_deref(),
            },
        },
    )
}

#[derive(Serialize)]
struct MaintenanceCtx<'a> {
    site: &'a SiteCtx<'a>,
    root: &'static str,
    m: MaintenancePage<'a>,
}

#[derive(Serialize)]
struct MaintenancePage<'a> {
    title: &'a str,
    status: &'static str,
    from: When,
    until: When,
    duration: String,
    /// The window in the zone it was planned in, when that is not the page's.
    planned: Option<String>,
    components: Vec<StatusCtx<'a>>,
    description: Option<&'a str>,
    updates: Vec<UpdateCtx<'a>>,
}

fn maintenance_page(site: &Site, frame: &SiteCtx, v: &MaintenanceView) -> Vec<u8> {
    let m = v.maintenance;
    let planned = m
        .time_zone
        .as_ref()
        .filter(|tz| tz.iana_name() != site.tz.iana_name())
        .map(|tz| {
            format!(
                "{}: {} to {}",
                tz.iana_name().unwrap_or("UTC"),
                super::site::human(m.scheduled_for, tz),
                super::site::human(m.scheduled_until, tz)
            )
        });
    render_template(
        "maintenance.html",
        &MaintenanceCtx {
            site: frame,
            root: "../",
            m: MaintenancePage {
                title: &m.title,
                status: v.status.label(),
                from: when(site, m.scheduled_for),
                until: when(site, m.scheduled_until),
                duration: duration(m.scheduled_until.as_second() - m.scheduled_for.as_second()),
                planned,
                components: statuses(site, &v.components),
                description: v.description_html.as_deref(),
                updates: v.updates.iter().map(|u| update_ctx(site, u)).collect(),
            },
        },
    )
}

// ---- history ----

#[derive(Serialize)]
struct HistoryIndexCtx<'a> {
    site: &'a SiteCtx<'a>,
    root: &'static str,
    months: Vec<MonthItem>,
}

#[derive(Serialize)]
struct MonthItem {
    href: String,
    name: String,
    counts: String,
}

#[derive(Serialize)]
struct MonthCtx<'a> {
    site: &'a SiteCtx<'a>,
    root: &'static str,
    month: String,
    newer: Option<Link>,
    older: Option<Link>,
    incidents: Vec<MonthIncident<'a>>,
    maintenances: Vec<MonthMaintenance<'a>>,
}

#[derive(Serialize)]
struct MonthIncident<'a> {
    href: String,
    title: &'a str,
    cls: &'static str,
    status: &'static str,
    impact: &'static str,
    when: String,
}

#[derive(Serialize)]
struct MonthMaintenance<'a> {
    href: String,
    title: &'a str,
    status: &'static str,
    when: String,
}

fn history(site: &Site, frame: &SiteCtx, out: &mut BTreeMap<String, Vec<u8>>) {
    // (year, month) → indices, newest month first; items newest first within a month.
    let mut months: BTreeMap<(i16, i8), (Vec<usize>, Vec<usize>)> = BTreeMap::new();
    let month_of = |t: Timestamp| {
        let d = t.to_zoned(site.tz.clone()).date();
        (d.year(), d.month())
    };
    for (n, i) in site.incidents.iter().enumerate() {
        months
            .entry(month_of(i.incident.started_at))
            .or_default()
            .0
            .push(n);
    }
    for (n, m) in site.maintenances.iter().enumerate() {
        months
            .entry(month_of(m.maintenance.scheduled_for))
            .or_default()
            .1
            .push(n);
    }
    let keys: Vec<(i16, i8)> = months.keys().rev().copied().collect();
    let href = |(y, m): (i16, i8)| format!("{y:04}-{m:02}.html");
    let name = |(y, m): (i16, i8)| jiff::civil::date(y, m, 1).strftime("%B %Y").to_string();
    let items = keys
        .iter()
        .map(|k| {
            let (inc, mnt) = &months[k];
            MonthItem {
                href: href(*k),
                name: name(*k),
                counts: format!(
                    "{} {}, {} {}",
                    inc.len(),
                    if inc.len() == 1 {
                        "incident"
                    } else {
                        "incidents"
                    },
                    mnt.len(),
                    if mnt.len() == 1 {
                        "maintenance"
                    } else {
                        "maintenances"
                    }
                ),
            }
        })
        .collect();
    out.insert(
        "history/index.html".into(),
        render_template(
            "history_index.html",
            &HistoryIndexCtx {
                site: frame,
                root: "../",
                months: items,
            },
        ),
    );
    for (n, k) in keys.iter().enumerate() {
        let (inc, mnt) = &months[k];
        let link = |k: (i16, i8)| Link {
            href: href(k),
            name: name(k),
        };
        let ctx = MonthCtx {
            site: frame,
            root: "../",
            month: name(*k),
            newer: n.checked_sub(1).map(|p| link(keys[p])),
            older: keys.get(n + 1).map(|k| link(*k)),
            incidents: inc
                .iter()
                .map(|&x| {
                    let i = &site.incidents[x];
                    let when = match i.resolved_at {
                        Some(r) => format!(
                            "{}, lasted {}",
                            site.human(i.incident.started_at),
                            duration(r.as_second() - i.incident.started_at.as_second())
                        ),
                        None => site.human(i.incident.started_at),
                    };
                    MonthIncident {
                        href: format!("../{}", incident_path(&i.incident.slug)),
                        title: &i.incident.title,
                        cls: impact_class(i.incident.impact, i.open),
                        status: i.status.label(),
                        impact: i.incident.impact.label(),
                        when,
                    }
                })
                .collect(),
            maintenances: mnt
                .iter()
                .map(|&x| {
                    let m = &site.maintenances[x];
                    MonthMaintenance {
                        href: format!("../{}", maintenance_path(&m.maintenance.slug)),
                        title: &m.maintenance.title,
                        status: m.status.label(),
                        when: window_text(site, m.maintenance),
                    }
                })
                .collect(),
        };
        out.insert(
            format!("history/{}", href(*k)),
            render_template("history_month.html", &ctx),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::percent;

    #[test]
    fn percentages_round_down_so_downtime_never_shows_as_100() {
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(0.99999), "99.99%");
        assert_eq!(percent(0.9995), "99.95%");
        assert_eq!(percent(0.0), "0.00%");
    }
}
