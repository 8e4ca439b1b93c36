//! Writes imported values as the text of status files: `page.yaml`, `components.yaml` and
//! `incidents/<slug>.md`, in the layout docs/status-page.md shows, byte for byte the same for
//! the same input.
//!
//! Strings are written plain only when YAML reads them back as the same string; otherwise
//! double-quoted (JSON escaping, which YAML accepts) or, for multi-line Markdown, as literal
//! blocks.

use super::common::{Import, Note};
use crate::model::{ComponentStatus, Impact, IncidentStatus};
use jiff::Timestamp;
use std::collections::BTreeMap;
use std::fmt::Write as _;

#[derive(Debug, Default)]
pub(super) struct PageOut {
    pub comment: String,
    pub name: String,
    pub url: Option<String>,
    pub description: Option<String>,
    pub locale: Option<String>,
    pub brand: Option<String>,
}

#[derive(Debug)]
pub(super) struct GroupOut {
    /// `None`: the components listed without a heading (first on the page).
    pub name: Option<String>,
    pub description: Option<String>,
    pub components: Vec<ComponentOut>,
}

#[derive(Debug)]
pub(super) struct ComponentOut {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub status: ComponentStatus,
}

#[derive(Debug)]
pub(super) struct IncidentOut {
    /// Without `.md`; made unique when written.
    pub slug: String,
    /// Where it came from, as a YAML comment.
    pub comment: String,
    pub title: String,
    pub status: IncidentStatus,
    pub impact: Impact,
    pub started_at: Timestamp,
    pub resolved_at: Option<Timestamp>,
    pub components: Vec<(String, ComponentStatus)>,
    /// Oldest first.
    pub updates: Vec<UpdateOut>,
    pub postmortem: Option<String>,
}

#[derive(Debug)]
pub(super) struct UpdateOut {
    pub at: Timestamp,
    pub status: IncidentStatus,
    pub body: String,
    pub components: Vec<(String, ComponentStatus)>,
}

/// The files of a status folder from the imported values.
pub(super) fn finish(
    page: PageOut,
    components_comment: &str,
    groups: Vec<GroupOut>,
    incidents: Vec<IncidentOut>,
    notes: Vec<Note>,
) -> Import {
    let mut files = BTreeMap::new();
    files.insert(crate::PAGE_FILE.to_string(), page_yaml(&page));
    let components = groups.iter().map(|g| g.components.len()).sum();
    files.insert(
        crate::COMPONENTS_FILE.to_string(),
        components_yaml(components_comment, &groups),
    );
    let mut slugs = super::common::Unique::default();
    let count = incidents.len();
    for incident in incidents {
        let slug = slugs.take(&incident.slug);
        files.insert(
            format!("{}/{slug}.md", crate::INCIDENTS_DIR),
            incident_md(&incident),
        );
    }
    Import {
        files,
        notes,
        components,
        incidents: count,
    }
}

fn page_yaml(page: &PageOut) -> String {
    let mut out = String::new();
    comment(&mut out, "", &page.comment);
    let _ = writeln!(out, "name: {}", scalar(&page.name));
    if let Some(url) = &page.url {
        let _ = writeln!(out, "url: {}", scalar(url));
    }
    out.push_str("time_zone: UTC\n");
    if let Some(d) = &page.description {
        let _ = writeln!(out, "description: {}", scalar(d));
    }
    if let Some(l) = &page.locale {
        let _ = writeln!(out, "locale: {}", scalar(l));
    }
    if let Some(b) = &page.brand {
        let _ = writeln!(out, "theme:\n  brand: {}", quoted(b));
    }
    out
}

fn components_yaml(header: &str, groups: &[GroupOut]) -> String {
    let mut out = String::new();
    comment(&mut out, "", header);
    let (loose, named): (Vec<&GroupOut>, Vec<&GroupOut>) =
        groups.iter().partition(|g| g.name.is_none());
    let loose: Vec<&ComponentOut> = loose.iter().flat_map(|g| g.components.iter()).collect();
    if !loose.is_empty() {
        out.push_str("components:\n");
        for c in loose {
            component(&mut out, "  ", c);
        }
    }
    if !named.is_empty() {
        out.push_str("groups:\n");
        for g in named {
            let _ = writeln!(
                out,
                "  - name: {}",
                scalar(g.name.as_deref().unwrap_or_default())
            );
            if let Some(d) = &g.description {
                let _ = writeln!(out, "    description: {}", scalar(d));
            }
            out.push_str("    components:\n");
            for c in &g.components {
                component(&mut out, "      ", c);
            }
        }
    }
    if groups.iter().all(|g| g.components.is_empty()) {
        out.push_str("components: []\n");
    }
    out
}

fn component(out: &mut String, indent: &str, c: &ComponentOut) {
    let _ = writeln!(out, "{indent}- id: {}", scalar(&c.id));
    let _ = writeln!(out, "{indent}  name: {}", scalar(&c.name));
    if let Some(d) = &c.description {
        let _ = writeln!(out, "{indent}  description: {}", scalar(d));
    }
    let _ = writeln!(out, "{indent}  status: {}", c.status.as_str());
}

fn incident_md(i: &IncidentOut) -> String {
    let mut out = String::from("---\n");
    comment(&mut out, "", &i.comment);
    let _ = writeln!(out, "title: {}", scalar(&i.title));
    let _ = writeln!(out, "status: {}", i.status.as_str());
    let _ = writeln!(out, "impact: {}", i.impact.as_str());
    let _ = writeln!(out, "started_at: {}", i.started_at);
    if let Some(r) = i.resolved_at {
        let _ = writeln!(out, "resolved_at: {r}");
    }
    status_map(&mut out, "", "components", &i.components);
    if !i.updates.is_empty() {
        out.push_str("updates:\n");
        for u in &i.updates {
            let _ = writeln!(out, "  - at: {}", u.at);
            let _ = writeln!(out, "    status: {}", u.status.as_str());
            if !u.body.is_empty() {
                let _ = writeln!(out, "    body: {}", markdown(&u.body, "      "));
            }
            status_map(&mut out, "    ", "components", &u.components);
        }
    }
    out.push_str("---\n");
    if let Some(p) = &i.postmortem {
        out.push_str(p);
        out.push('\n');
    }
    out
}

fn status_map(out: &mut String, indent: &str, key: &str, map: &[(String, ComponentStatus)]) {
    if map.is_empty() {
        return;
    }
    let _ = writeln!(out, "{indent}{key}:");
    for (id, status) in map {
        let _ = writeln!(out, "{indent}  {}: {}", scalar(id), status.as_str());
    }
}

/// `# …` lines (one per line of `text`).
fn comment(out: &mut String, indent: &str, text: &str) {
    for line in super::common::clean(text).lines() {
        let _ = writeln!(out, "{indent}# {line}");
    }
}

/// A YAML scalar that reads back as exactly `s`: plain when that is safe, else double-quoted.
pub(super) fn scalar(s: &str) -> String {
    if is_plain_safe(s) {
        s.to_string()
    } else {
        quoted(s)
    }
}

fn quoted(s: &str) -> String {
    // JSON string syntax is valid YAML double-quoted syntax.
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

fn is_plain_safe(s: &str) -> bool {
    const RESERVED: [&str; 12] = [
        "true", "false", "yes", "no", "on", "off", "null", "y", "n", "~", "nan", "inf",
    ];
    let Some(first) = s.chars().next() else {
        return false;
    };
    first.is_alphabetic()
        && !s.ends_with(' ')
        && !s.contains("  ")
        && !RESERVED.contains(&s.to_lowercase().as_str())
        && s.chars().all(|c| {
            (c.is_alphanumeric() && !c.is_control())
                || matches!(
                    c,
                    ' ' | '-'
                        | '_'
                        | '.'
                        | ','
                        | '('
                        | ')'
                        | '/'
                        | '\''
                        | '?'
                        | '!'
                        | '+'
                        | '='
                        | ';'
                )
        })
}

/// A Markdown body: a literal block when it has several lines, else a scalar.
fn markdown(body: &str, indent: &str) -> String {
    let first_indented = body.starts_with([' ', '\t']);
    if !body.contains('\n') || first_indented {
        return scalar(body);
    }
    let mut out = String::from("|-");
    for line in body.lines() {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(indent);
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_read_back_as_the_same_string() {
        for s in [
            "API",
            "Media Proxy",
            "yes",
            "true",
            "2018",
            "a: b",
            "#x",
            " lead",
            "trail ",
            "quote \"x\"",
            "- item",
            "<script>alert(1)</script>",
            "{{< track \"x\" >}}",
            "Démo coiffeur",
            "line\nbreak",
            "",
            "*bold*",
            "a  b",
        ] {
            let yaml = format!("v: {}\n", scalar(s));
            let back: BTreeMap<String, String> = serde_saphyr::from_str(&yaml).unwrap();
            assert_eq!(back["v"], s, "{yaml}");
        }
        assert_eq!(scalar("Media Proxy"), "Media Proxy");
        assert_eq!(scalar("yes"), "\"yes\"");
    }

    #[test]
    fn bodies_read_back_as_the_same_markdown() {
        for body in [
            "one line",
            "first\n\n- a\n- b\n\n    code\n---",
            "  indented first\nsecond",
            "tab\tin\nlines: with colons # and hashes",
        ] {
            let yaml = format!("updates:\n  - body: {}\n", markdown(body, "      "));
            #[derive(serde::Deserialize)]
            struct U {
                body: String,
            }
            #[derive(serde::Deserialize)]
            struct F {
                updates: Vec<U>,
            }
            let back: F = serde_saphyr::from_str(&yaml).unwrap();
            assert_eq!(back.updates[0].body, body, "{yaml}");
        }
    }
}
