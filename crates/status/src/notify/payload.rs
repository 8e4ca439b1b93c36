//! The message each kind of channel takes for an event, as JSON: Slack's Block Kit, a Discord
//! embed, a Teams Adaptive Card, and for generic webhooks the shape of the hosted status
//! services' (page, incident with its updates and components). Pure: the same event gives the
//! same bytes.

use super::email::{email, Email};
use super::events::{headline, Event};
use super::subscribers::{Channel, ChannelKind};
use crate::model::StatusPage;
use serde_json::{json, Value};

/// What a channel is sent for one event.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    /// A JSON body to post (Slack, Discord, Teams, a generic webhook).
    Post(Value),
    /// An email, before its envelope.
    Email(Email),
}

/// The message `channel` gets for `event` of `page`, in the shape its kind takes.
pub fn message(channel: &Channel, event: &Event, page: &StatusPage) -> Message {
    Message::Post(match channel.kind {
        ChannelKind::Slack => slack(event, page),
        ChannelKind::Discord => discord(event, page),
        ChannelKind::Teams => teams(event, page),
        ChannelKind::Webhook => webhook(event, page),
        ChannelKind::Email => {
            let unsubscribe = channel
                .email
                .as_ref()
                .map(|m| m.unsubscribe_address())
                .unwrap_or_default();
            return Message::Email(email(event, page, &unsubscribe));
        }
    })
}

fn components_line(event: &Event) -> String {
    event
        .components
        .iter()
        .map(|c| format!("{} — {}", c.name, c.status_label))
        .collect::<Vec<_>>()
        .join(", ")
}

fn window_line(event: &Event) -> Option<String> {
    event
        .window
        .as_ref()
        .map(|(from, until)| format!("{from} – {until}"))
}

/// Markdown's `**bold**` as Slack's `*bold*`; the rest of Markdown reads well enough as it is.
fn slack_text(markdown: &str) -> String {
    markdown.replace("**", "*")
}

fn slack(event: &Event, page: &StatusPage) -> Value {
    let mut fields = vec![
        json!({"type": "mrkdwn", "text": format!("*Status*\n{}", event.status_label)}),
        json!({"type": "mrkdwn", "text": format!("*Impact*\n{}", event.impact_label)}),
    ];
    if !event.components.is_empty() {
        fields.push(
            json!({"type": "mrkdwn", "text": format!("*Components*\n{}", components_line(event))}),
        );
    }
    if let Some(w) = window_line(event) {
        fields.push(json!({"type": "mrkdwn", "text": format!("*Window*\n{w}")}));
    }
    let mut blocks = vec![
        json!({"type": "header", "text": {"type": "plain_text", "text": headline(event)}}),
        json!({"type": "section", "fields": fields}),
    ];
    if !event.body.trim().is_empty() {
        blocks.push(
            json!({"type": "section", "text": {"type": "mrkdwn", "text": slack_text(&event.body)}}),
        );
    }
    let mut context = format!("{} · {}", page.page.name, event.at);
    if let Some(url) = &event.url {
        context.push_str(&format!(" · <{url}|Details>"));
    }
    blocks.push(json!({"type": "context", "elements": [{"type": "mrkdwn", "text": context}]}));
    json!({ "text": headline(event), "blocks": blocks })
}

/// Discord's embed colour for the impact (decimal RGB).
fn colour(event: &Event) -> u32 {
    if !event.kind.is_incident() {
        return 0x1f6feb;
    }
    match (event.status.as_str(), event.impact.as_str()) {
        ("resolved" | "postmortem", _) => 0x1a7f37,
        (_, "critical") => 0x82071e,
        (_, "major") => 0xcf222e,
        (_, "minor") => 0xbf8700,
        _ => 0x57606a,
    }
}

fn discord(event: &Event, page: &StatusPage) -> Value {
    let mut fields = vec![
        json!({"name": "Status", "value": event.status_label, "inline": true}),
        json!({"name": "Impact", "value": event.impact_label, "inline": true}),
    ];
    if !event.components.is_empty() {
        fields
            .push(json!({"name": "Components", "value": components_line(event), "inline": false}));
    }
    if let Some(w) = window_line(event) {
        fields.push(json!({"name": "Window", "value": w, "inline": false}));
    }
    let mut embed = json!({
        "title": headline(event),
        "description": event.body,
        "color": colour(event),
        "fields": fields,
        "timestamp": event.at,
        "footer": {"text": page.page.name},
    });
    if let Some(url) = &event.url {
        embed["url"] = json!(url);
    }
    json!({ "username": page.page.name, "embeds": [embed], "allowed_mentions": {"parse": []} })
}

fn teams(event: &Event, page: &StatusPage) -> Value {
    let mut facts = vec![
        json!({"title": "Status", "value": event.status_label}),
        json!({"title": "Impact", "value": event.impact_label}),
    ];
    if !event.components.is_empty() {
        facts.push(json!({"title": "Components", "value": components_line(event)}));
    }
    if let Some(w) = window_line(event) {
        facts.push(json!({"title": "Window", "value": w}));
    }
    let mut body = vec![
        json!({"type": "TextBlock", "size": "Medium", "weight": "Bolder", "wrap": true, "text": headline(event)}),
        json!({"type": "FactSet", "facts": facts}),
    ];
    if !event.body.trim().is_empty() {
        body.push(json!({"type": "TextBlock", "wrap": true, "text": event.body}));
    }
    body.push(
        json!({"type": "TextBlock", "isSubtle": true, "size": "Small", "wrap": true,
        "text": format!("{} · {}", page.page.name, event.at)}),
    );
    let mut card = json!({
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.4",
        "body": body,
    });
    if let Some(url) = &event.url {
        card["actions"] = json!([{"type": "Action.OpenUrl", "title": "Details", "url": url}]);
    }
    json!({
        "type": "message",
        "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "content": card}],
    })
}

fn webhook(event: &Event, page: &StatusPage) -> Value {
    let components: Vec<Value> = event
        .components
        .iter()
        .map(|c| json!({"id": c.id, "name": c.name, "status": c.status}))
        .collect();
    let updates: Vec<Value> = event
        .updates
        .iter()
        .map(|(status, at, body)| json!({"status": status, "created_at": at, "body": body}))
        .collect();
    let subject = json!({
        "id": event.slug,
        "name": event.title,
        "status": event.status,
        "impact": event.impact,
        "shortlink": event.url,
        "updated_at": event.at,
        "components": components,
        "updates": updates,
        "body": event.body,
        "body_html": crate::markdown_to_html(&event.body),
    });
    let mut out = json!({
        "event": {
            "id": event.id,
            "type": event.kind.wire_name(),
        },
        "page": {"name": page.page.name, "url": page.page.url},
        "component_updates": event.components.iter().map(|c| json!({"component_id": c.id, "new_status": c.status})).collect::<Vec<_>>(),
    });
    if event.kind.is_incident() {
        out["incident"] = subject;
    } else {
        let mut m = subject;
        if let Some((from, until)) = &event.window {
            m["scheduled_for"] = json!(from);
            m["scheduled_until"] = json!(until);
        }
        out["maintenance"] = m;
    }
    out
}
