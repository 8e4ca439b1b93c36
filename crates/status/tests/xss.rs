//! A corpus of XSS payloads placed in every text the page author controls (page name and
//! description, group and component names, incident and maintenance titles, update bodies,
//! postmortems): the HTML keeps them inert, the JSON carries them verbatim, the feeds escape
//! them and parse back, the calendar escapes them.

mod common;

use common::*;
use std::collections::BTreeMap;
use wheelhouse_status::{build, load, StatusPage};

const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "\"><img src=x onerror=alert(1)>",
    "'><svg onload=alert(1)>",
    "javascript:alert(1)",
    "<a href=\"javascript:alert(1)\">click</a>",
    "<a href=\"  JaVaScRiPt:alert(1)\">click</a>",
    "[click](javascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![pixel](https://evil.example/pixel.png)",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<object data=\"https://evil.example/x.swf\"></object>",
    "<style>@import url(https://evil.example/x.css)</style>",
    "<div style=\"background:url(https://evil.example/x)\">styled</div>",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
    "<base href=\"https://evil.example/\">",
    "<form action=\"https://evil.example\"><button>go</button></form>",
    "<video><source onerror=\"alert(1)\"></video>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text y=\"20\">x</text></a></svg>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "</title><script>alert(1)</script>",
    "</style><script>alert(1)</script>",
    "]]></content><script>alert(1)</script>",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<!--<script>alert(1)</script>-->",
    "{{ 7*7 }} {% if true %}injected{% endif %}",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "\u{0}<script>alert(1)</script>\u{1}\u{1b}",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "BEGIN:VEVENT\nSUMMARY:injected\nEND:VEVENT",
    "line one\nline two; with, separators \\ and more",
];

/// A YAML double-quoted scalar for any text (JSON strings are valid YAML).
fn q(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

fn page_for(payload: &str) -> StatusPage {
    let page = format!(
        "name: {}\ndescription: {}\nurl: https://status.example.com\ntime_zone: UTC\n",
        q(&format!("Shop {payload}")),
        q(payload)
    );
    let comps = format!(
        "groups:\n  - name: {}\n    components:\n      - id: api\n        name: {}\n        description: {}\n",
        q(payload),
        q(&format!("API {payload}")),
        q(payload)
    );
    let incident = format!(
        "---\ntitle: {}\nstatus: monitoring\nimpact: major\nstarted_at: 2026-11-05T10:00:00Z\n\
         components: {{api: partial_outage}}\nupdates:\n  - at: 2026-11-05T10:00:00Z\n    status: investigating\n    body: {}\n\
         \x20 - at: 2026-11-05T11:00:00Z\n    status: monitoring\n    body: {}\n    components: {{api: degraded_performance}}\n---\n{}\n",
        q(payload),
        q(payload),
        q(&format!("**Update** {payload}")),
        payload
    );
    let resolved = incident
        .replace("status: monitoring\nimpact", "status: resolved\nimpact")
        .replace(
            "components: {api: partial_outage}",
            "resolved_at: 2026-11-05T12:00:00Z\ncomponents: {api: partial_outage}",
        )
        .replace("2026-11-05T1", "2026-11-04T1");
    let maintenance = format!(
        "---\ntitle: {}\nstatus: scheduled\nscheduled_for: 2026-12-01T02:00:00Z\nscheduled_until: 2026-12-01T03:00:00Z\n\
         components: {{api: under_maintenance}}\nupdates:\n  - at: 2026-11-01T10:00:00Z\n    status: scheduled\n    body: {}\n---\n{}\n",
        q(payload),
        q(payload),
        payload
    );
    let files: BTreeMap<String, String> = [
        ("page.yaml", page),
        ("components.yaml", comps),
        ("incidents/2026-11-05-open.md", incident),
        ("incidents/2026-11-04-resolved.md", resolved),
        ("maintenances/2026-12-01-db.md", maintenance),
    ]
    .into_iter()
    .map(|(p, t)| (p.to_string(), t))
    .collect();
    load(&files).unwrap_or_else(|e| panic!("payload {payload:?} loads: {e:#?}"))
}

/// A payload, the page built around it, and its export.
type Case = (&'static str, StatusPage, BTreeMap<String, Vec<u8>>);

fn exports() -> Vec<Case> {
    PAYLOADS
        .iter()
        .map(|p| {
            let model = page_for(p);
            let out = build(&model, ts("2026-11-06T12:00:00Z"));
            (*p, model, out)
        })
        .collect()
}

#[test]
fn payloads_stay_inert_in_every_html_page() {
    for (payload, _, out) in exports() {
        let mut pages = 0;
        for (path, bytes) in out.iter().filter(|(p, _)| p.ends_with(".html")) {
            assert_safe_html(&format!("{path} with {payload:?}"), bytes);
            pages += 1;
        }
        assert!(pages >= 6, "{payload:?}: {pages} pages");
    }
}

#[test]
fn payloads_in_plain_text_fields_are_shown_as_text() {
    // Titles and names are not Markdown: what the author typed is what readers see.
    let model = page_for("<b>bold?</b>");
    let out = build(&model, ts("2026-11-06T12:00:00Z"));
    let index = String::from_utf8(out["index.html"].clone()).unwrap();
    assert!(index.contains("API &lt;b&gt;bold?&lt;/b&gt;"), "{index}");
    // Bodies are Markdown: harmless formatting survives.
    let incident = String::from_utf8(out["incidents/2026-11-05-open.html"].clone()).unwrap();
    assert!(incident.contains("<b>bold?</b>"), "{incident}");
}

#[test]
fn json_carries_payloads_verbatim() {
    for (payload, model, out) in exports() {
        let summary: serde_json::Value =
            serde_json::from_slice(&out["api/v2/summary.json"]).unwrap();
        assert_eq!(summary["page"]["name"], model.page.name, "{payload:?}");
        assert_eq!(
            summary["components"][0]["name"],
            model.groups[0].name.clone().unwrap()
        );
        assert_eq!(
            summary["components"][1]["name"],
            model.groups[0].components[0].name
        );
        let incident = &summary["incidents"][0];
        let open = model
            .incidents
            .iter()
            .find(|i| i.slug == "2026-11-05-open")
            .unwrap();
        assert_eq!(incident["name"], open.title);
        assert_eq!(
            incident["incident_updates"][1]["body"],
            open.updates[0].body
        );
        assert_eq!(
            summary["scheduled_maintenances"][0]["name"],
            model.maintenances[0].title
        );
        if !payload.chars().any(char::is_control) {
            assert_eq!(
                open.title,
                payload.trim(),
                "loading keeps the text as written"
            );
        } else if payload.contains('\u{0}') {
            assert!(
                open.title.contains('\u{FFFD}'),
                "control characters become U+FFFD"
            );
        }
        for (path, _) in JSON_DOCUMENTS {
            let doc: serde_json::Value = serde_json::from_slice(&out[*path]).unwrap();
            // Re-serialising and parsing again gives the same document.
            let again: serde_json::Value = serde_json::from_str(&doc.to_string()).unwrap();
            assert_eq!(doc, again);
        }
        assert_valid_json(&out);
    }
}

#[test]
fn feeds_escape_payloads_and_parse_back() {
    for (payload, model, out) in exports() {
        for name in ["history.atom", "history.rss"] {
            let feed = feed_rs::parser::parse(&out[name][..])
                .unwrap_or_else(|e| panic!("{name} with {payload:?} parses: {e}"));
            let titles: Vec<String> = feed
                .entries
                .iter()
                .map(|e| e.title.as_ref().unwrap().content.clone())
                .collect();
            let open = &model
                .incidents
                .iter()
                .find(|i| i.slug == "2026-11-05-open")
                .unwrap()
                .title;
            assert!(
                titles.iter().any(|t| t.trim() == open.trim()),
                "{name} {payload:?}: {titles:?}"
            );
            for entry in &feed.entries {
                let html = entry
                    .content
                    .as_ref()
                    .and_then(|c| c.body.clone())
                    .or_else(|| entry.summary.as_ref().map(|s| s.content.clone()))
                    .unwrap_or_default();
                let document = format!(
                    "<!DOCTYPE html><html><head><title>x</title></head><body>{html}</body></html>"
                );
                assert_safe_html(
                    &format!("{name} entry with {payload:?}"),
                    document.as_bytes(),
                );
            }
        }
    }
}

#[test]
fn the_calendar_escapes_payloads() {
    for (payload, _, out) in exports() {
        let ics = String::from_utf8(out["maintenance.ics"].clone()).unwrap();
        let unfolded = ics.replace("\r\n ", "");
        let lines: Vec<&str> = unfolded.split("\r\n").collect();
        assert_eq!(
            lines.iter().filter(|l| **l == "BEGIN:VEVENT").count(),
            1,
            "{payload:?}"
        );
        assert_eq!(
            lines.iter().filter(|l| l.starts_with("SUMMARY:")).count(),
            1,
            "{payload:?}"
        );
        assert!(
            !ics.replace("\r\n", "").contains('\n'),
            "{payload:?}: a bare newline"
        );
    }
}
