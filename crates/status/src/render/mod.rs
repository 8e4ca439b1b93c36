//! The static export: every file of the published status page, as bytes, from the model and a
//! moment. Same model and moment, same bytes.
//!
//! Everything shown is "as of `now`": incidents that have not started and updates dated later
//! are left out, statuses are computed for that moment (see [`crate::compute`]).

mod badge;
pub(crate) mod feeds;
mod html;
mod ics;
pub(crate) mod ids;
mod json;
pub(crate) mod markdown;
mod site;

use crate::model::StatusPage;
use jiff::Timestamp;
use site::Site;
use std::collections::BTreeMap;

/// Builds the export: relative path (`index.html`, `api/v2/summary.json`, …) → file content.
pub fn build(model: &StatusPage, now: Timestamp) -> BTreeMap<String, Vec<u8>> {
    // Recurring maintenance as the occurrences around `now`.
    let model = crate::recurrence::expand(model, now);
    let site = Site::new(&model, now);
    let mut out = BTreeMap::new();
    html::render(&site, &mut out);
    json::render(&site, &mut out);
    feeds::render(&site, &mut out);
    ics::render(&site, &mut out);
    badge::render(&site, &mut out);
    out
}
