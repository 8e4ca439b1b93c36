//! The email an email channel gets for an event: a subject, a plain-text part that reads well in
//! any client, and an HTML part (the update's Markdown rendered and sanitized like the page's;
//! everything else escaped; inline styles only, no image, no script, no remote request). Pure:
//! the same event gives the same bytes.

use super::events::{headline, Event, EventKind};
use crate::model::StatusPage;
use crate::render::feeds::escape;
use jiff::Timestamp;

/// One email, before its envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// `2026-11-20T09:05:00Z` → `20 Nov 2026, 09:05 UTC` (as written when it does not parse).
fn when(at: &str) -> String {
    at.parse::<Timestamp>()
        .map(|t| t.strftime("%-d %b %Y, %H:%M UTC").to_string())
        .unwrap_or_else(|_| at.to_owned())
}

/// The facts under the headline: (label, value).
fn facts(event: &Event) -> Vec<(&'static str, String)> {
    let mut out = vec![("Status", event.status_label.clone())];
    if event.kind.is_incident() {
        out.push(("Impact", event.impact_label.clone()));
    }
    if !event.components.is_empty() {
        let list = event
            .components
            .iter()
            .map(|c| format!("{} ({})", c.name, c.status_label))
            .collect::<Vec<_>>()
            .join(", ");
        out.push(("Components", list));
    }
    if let Some((from, until)) = &event.window {
        out.push(("Window", format!("{} – {}", when(from), when(until))));
    }
    out.push(("Posted", when(&event.at)));
    out
}

/// The email for `event` of `page`; `unsubscribe` is the List-Unsubscribe address the footer
/// names too.
pub fn email(event: &Event, page: &StatusPage, unsubscribe: &str) -> Email {
    let subject = format!("[{}] {}", page.page.name, headline(event));
    let facts = facts(event);
    let earlier: Vec<&(String, String, String)> = match event.kind {
        // The updates before this one, newest first: the story so far.
        EventKind::IncidentUpdated | EventKind::MaintenanceUpdated => {
            event.updates.iter().rev().skip(1).collect()
        }
        _ => Vec::new(),
    };
    let why = format!(
        "You get this because this address is subscribed to {} (status/subscribers.yaml).",
        page.page.name
    );
    let unsubscribe_words = match unsubscribe.strip_prefix("mailto:") {
        Some(address) => format!(
            "To stop, write to {}.",
            address.split('?').next().unwrap_or(address)
        ),
        None => format!("To stop: {unsubscribe}"),
    };

    let mut text = format!("{}\n\n", headline(event));
    for (label, value) in &facts {
        text.push_str(&format!("{label}: {value}\n"));
    }
    if !event.body.trim().is_empty() {
        text.push_str(&format!("\n{}\n", event.body.trim()));
    }
    if !earlier.is_empty() {
        text.push_str("\nEarlier updates\n");
        for (status, at, body) in &earlier {
            text.push_str(&format!("\n{status} · {}\n{}\n", when(at), body.trim()));
        }
    }
    if let Some(url) = &event.url {
        text.push_str(&format!("\nDetails: {url}\n"));
    }
    text.push_str(&format!("\n-- \n{why}\n{unsubscribe_words}\n"));

    let cell = "padding:2px 12px 2px 0;vertical-align:top";
    let mut html = String::from(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head>\n<body style=\"font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1f2328;line-height:1.5;max-width:40em\">\n",
    );
    html.push_str(&format!(
        "<p style=\"color:#59636e;margin:0\">{}</p>\n<h1 style=\"font-size:20px;margin:4px 0 12px\">{}</h1>\n<table style=\"border-collapse:collapse;margin-bottom:12px\">\n",
        escape(&page.page.name),
        escape(&headline(event))
    ));
    for (label, value) in &facts {
        html.push_str(&format!(
            "<tr><th style=\"{cell};text-align:left;color:#59636e;font-weight:600\">{label}</th><td style=\"{cell}\">{}</td></tr>\n",
            escape(value)
        ));
    }
    html.push_str("</table>\n");
    if !event.body.trim().is_empty() {
        html.push_str(&format!(
            "<div>{}</div>\n",
            crate::markdown_to_html(&event.body)
        ));
    }
    if !earlier.is_empty() {
        html.push_str("<h2 style=\"font-size:16px;margin:16px 0 4px\">Earlier updates</h2>\n");
        for (status, at, body) in &earlier {
            html.push_str(&format!(
                "<p style=\"margin:8px 0 0;color:#59636e\"><strong>{}</strong> · {}</p>\n<div>{}</div>\n",
                escape(status),
                escape(&when(at)),
                crate::markdown_to_html(body)
            ));
        }
    }
    if let Some(url) = &event.url {
        html.push_str(&format!(
            "<p><a href=\"{}\">See the details on the status page</a></p>\n",
            escape(url)
        ));
    }
    html.push_str(&format!(
        "<hr style=\"border:0;border-top:1px solid #d1d9e0;margin:20px 0 8px\">\n<p style=\"font-size:12px;color:#59636e\">{} <a href=\"{}\">Unsubscribe</a></p>\n</body></html>\n",
        escape(&why),
        escape(unsubscribe)
    ));
    Email {
        subject,
        text,
        html,
    }
}
