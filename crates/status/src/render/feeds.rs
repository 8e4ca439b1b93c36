//! `history.atom` and `history.rss`: the 50 most recently updated incidents and maintenances,
//! each entry with its updates as (sanitised, escaped) HTML; and the same for each component
//! (`components/<id>.atom`, `.rss`), of what affects it, for people who follow one service.

use super::html;
use super::site::{IncidentView, MaintenanceView, Site, UpdateView};
use jiff::Timestamp;
use std::collections::BTreeMap;
use std::fmt::Write as _;

const ENTRIES: usize = 50;

struct Entry<'a> {
    kind: &'static str,
    id: &'a str,
    title: &'a str,
    path: String,
    published: Timestamp,
    updated: Timestamp,
    summary: String,
}

pub(super) fn render(site: &Site, out: &mut BTreeMap<String, Vec<u8>>) {
    // Built once for all the feeds: a lookup per feed made every build O(components × n log n).
    let by_id = ById {
        incidents: site.incidents.iter().map(|i| (i.id.as_str(), i)).collect(),
        maintenances: site
            .maintenances
            .iter()
            .map(|m| (m.id.as_str(), m))
            .collect(),
    };
    feeds(site, &by_id, None, out);
    for c in site.model.components() {
        feeds(site, &by_id, Some((&c.id, &c.name)), out);
    }
}

/// The incidents and maintenances by their ids.
struct ById<'s, 'a> {
    incidents: BTreeMap<&'s str, &'s IncidentView<'a>>,
    maintenances: BTreeMap<&'s str, &'s MaintenanceView<'a>>,
}

/// The Atom and RSS feeds of everything, or of what affects one component (id, name).
fn feeds(
    site: &Site,
    by_id: &ById<'_, '_>,
    component: Option<(&str, &str)>,
    out: &mut BTreeMap<String, Vec<u8>>,
) {
    let affects = |changes: &[crate::model::ComponentChange]| {
        component.is_none_or(|(id, _)| changes.iter().any(|c| c.id == id))
    };
    let mut entries: Vec<Entry> = Vec::new();
    for i in site.incidents.iter().filter(|i| {
        affects(&i.incident.components) || i.incident.updates.iter().any(|u| affects(&u.components))
    }) {
        entries.push(Entry {
            kind: "incident",
            id: &i.id,
            title: &i.incident.title,
            path: html::incident_path(&i.incident.slug),
            published: i.incident.started_at,
            updated: i.updated_at,
            summary: String::new(),
        });
    }
    for m in site
        .maintenances
        .iter()
        .filter(|m| affects(&m.maintenance.components))
    {
        entries.push(Entry {
            kind: "maintenance",
            id: &m.id,
            title: &m.maintenance.title,
            path: html::maintenance_path(&m.maintenance.slug),
            published: m.updates.last().map_or(m.updated_at, |u| u.at),
            updated: m.updated_at,
            summary: String::new(),
        });
    }
    entries.sort_by(|a, b| (b.updated, b.id).cmp(&(a.updated, a.id)));
    entries.truncate(ENTRIES);
    // Only the entries that are kept get their HTML built.
    for e in &mut entries {
        e.summary = if e.kind == "incident" {
            let i = by_id.incidents[e.id];
            let mut s = format!(
                "<p><strong>{}</strong> · {}</p>",
                i.status.label(),
                i.incident.impact.label()
            );
            updates_html(site, &i.updates, &mut s);
            if let Some(pm) = &i.postmortem_html {
                s.push_str("<h3>Postmortem</h3>");
                s.push_str(pm);
            }
            s
        } else {
            let m = by_id.maintenances[e.id];
            let mut s = format!(
                "<p><strong>{}</strong> · from {} to {}</p>",
                m.status.label(),
                escape(&site.human(m.maintenance.scheduled_for)),
                escape(&site.human(m.maintenance.scheduled_until))
            );
            if let Some(d) = &m.description_html {
                s.push_str(d);
            }
            updates_html(site, &m.updates, &mut s);
            s
        };
    }
    let updated = entries.first().map_or(site.updated_at, |e| e.updated);
    let feed = match component {
        None => Feed {
            atom: "history.atom".into(),
            rss: "history.rss".into(),
            title: format!("{} status history", site.model.page.name),
            key: String::new(),
        },
        Some((id, name)) => Feed {
            atom: html::component_feed(id, "atom"),
            rss: html::component_feed(id, "rss"),
            title: format!("{}: {name}", site.model.page.name),
            key: format!(":component:{id}"),
        },
    };
    out.insert(
        feed.atom.clone(),
        atom(site, &feed, &entries, updated).into_bytes(),
    );
    out.insert(
        feed.rss.clone(),
        rss(site, &feed, &entries, updated).into_bytes(),
    );
}

/// Where a feed is and what it is called.
struct Feed {
    atom: String,
    rss: String,
    title: String,
    /// Appended to the page's id for the feed's own id.
    key: String,
}

fn updates_html(site: &Site, updates: &[UpdateView], s: &mut String) {
    for u in updates {
        let _ = write!(
            s,
            "<p><small>{}</small><br><strong>{}</strong></p>{}",
            escape(&site.human(u.at)),
            u.label,
            u.body_html
        );
    }
}

/// Escapes text for XML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn entry_id(site: &Site, e: &Entry) -> String {
    match &site.model.page.url {
        Some(_) => site.link(&e.path),
        None => format!("urn:wheelhouse-status:{}:{}:{}", site.page_id, e.kind, e.id),
    }
}

fn atom(site: &Site, feed: &Feed, entries: &[Entry], updated: Timestamp) -> String {
    let name = escape(&site.model.page.name);
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        x,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        escape(&site.model.page.locale)
    );
    let feed_id = match &site.model.page.url {
        Some(_) => site.link(&feed.atom),
        None => format!("urn:wheelhouse-status:{}{}", site.page_id, feed.key),
    };
    let _ = writeln!(x, "<id>{}</id>", escape(&feed_id));
    let _ = writeln!(x, "<title>{}</title>", escape(&feed.title));
    let _ = writeln!(x, "<updated>{}</updated>", site.iso(updated));
    let _ = writeln!(x, "<author><name>{name}</name></author>");
    let _ = writeln!(
        x,
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape(&site.link("index.html"))
    );
    if site.model.page.url.is_some() {
        let _ = writeln!(
            x,
            "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
            escape(&site.link(&feed.atom))
        );
    }
    for e in entries {
        x.push_str("<entry>\n");
        let _ = writeln!(x, "<id>{}</id>", escape(&entry_id(site, e)));
        let _ = writeln!(x, "<title>{}</title>", escape(e.title));
        let _ = writeln!(x, "<published>{}</published>", site.iso(e.published));
        let _ = writeln!(x, "<updated>{}</updated>", site.iso(e.updated));
        let _ = writeln!(
            x,
            "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape(&site.link(&e.path))
        );
        let _ = writeln!(x, "<content type=\"html\">{}</content>", escape(&e.summary));
        x.push_str("</entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

/// RFC 2822 as RSS wants it, in the page's zone.
fn rfc2822(site: &Site, t: Timestamp) -> String {
    t.to_zoned(site.tz.clone())
        .strftime("%a, %d %b %Y %H:%M:%S %z")
        .to_string()
}

fn rss(site: &Site, feed: &Feed, entries: &[Entry], updated: Timestamp) -> String {
    let name = escape(&site.model.page.name);
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n");
    let _ = writeln!(x, "<title>{}</title>", escape(&feed.title));
    let _ = writeln!(x, "<link>{}</link>", escape(&site.link("index.html")));
    let description = match &site.model.page.description {
        Some(d) => escape(d),
        None => format!("Incidents and maintenance of {name}"),
    };
    let _ = writeln!(x, "<description>{description}</description>");
    let _ = writeln!(
        x,
        "<language>{}</language>",
        escape(&site.model.page.locale)
    );
    let _ = writeln!(
        x,
        "<lastBuildDate>{}</lastBuildDate>",
        rfc2822(site, updated)
    );
    if site.model.page.url.is_some() {
        let _ = writeln!(
            x,
            "<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>",
            escape(&site.link(&feed.rss))
        );
    }
    for e in entries {
        x.push_str("<item>\n");
        let _ = writeln!(x, "<title>{}</title>", escape(e.title));
        let _ = writeln!(x, "<link>{}</link>", escape(&site.link(&e.path)));
        let _ = writeln!(
            x,
            "<guid isPermaLink=\"{}\">{}</guid>",
            site.model.page.url.is_some(),
            escape(&entry_id(site, e))
        );
        let _ = writeln!(x, "<pubDate>{}</pubDate>", rfc2822(site, e.published));
        let _ = writeln!(x, "<description>{}</description>", escape(&e.summary));
        x.push_str("</item>\n");
    }
    x.push_str("</channel>\n</rss>\n");
    x
}
