//! `badge.svg` (a flat badge in the shields.io style) and `badge.json` (a shields.io endpoint:
//! `https://img.shields.io/endpoint?url=…/badge.json`). Both say the page's status in words.

use super::site::Site;
use crate::compute::Indicator;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Endpoint {
    schema_version: u8,
    label: &'static str,
    message: &'static str,
    color: &'static str,
}

fn message(indicator: Indicator) -> (&'static str, &'static str, &'static str) {
    // (message, shields colour name, hex of that colour)
    match indicator {
        Indicator::None => ("operational", "brightgreen", "#2e7d32"),
        Indicator::Maintenance => ("maintenance", "blue", "#0366d6"),
        Indicator::Minor => ("degraded", "yellow", "#8a6100"),
        Indicator::Major => ("partial outage", "orange", "#b34700"),
        Indicator::Critical => ("major outage", "red", "#c62828"),
    }
}

/// Width of text in 11px Verdana, approximated per character class (deterministic).
fn text_width(text: &str) -> u32 {
    text.chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | '.' | ',' | ':' | '\'' | ' ' => 4,
            'f' | 't' | 'r' => 5,
            'm' | 'w' => 10,
            _ => 7,
        })
        .sum()
}

pub(super) fn render(site: &Site, out: &mut BTreeMap<String, Vec<u8>>) {
    let (msg, color, hex) = message(site.current.indicator);
    let label = "status";
    let lw = text_width(label) + 12;
    let mw = text_width(msg) + 12;
    let w = lw + mw;
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"20\" role=\"img\" aria-label=\"{label}: {msg}\">\
<title>{label}: {msg}</title>\
<rect width=\"{lw}\" height=\"20\" fill=\"#555\"/>\
<rect x=\"{lw}\" width=\"{mw}\" height=\"20\" fill=\"{hex}\"/>\
<g fill=\"#fff\" font-family=\"Verdana,DejaVu Sans,sans-serif\" font-size=\"11\" text-anchor=\"middle\">\
<text x=\"{lx}\" y=\"14\">{label}</text><text x=\"{mx}\" y=\"14\">{msg}</text></g></svg>\n",
        lx = lw / 2,
        mx = lw + mw / 2,
    );
    out.insert("badge.svg".into(), svg.into_bytes());
    let mut json = serde_json::to_vec_pretty(&Endpoint {
        schema_version: 1,
        label,
        message: msg,
        color,
    })
    .expect("serializes");
    json.push(b'\n');
    out.insert("badge.json".into(), json);
}
