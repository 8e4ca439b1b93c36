//! The status page both notification tests tell about (two components, and an incident on
//! one), and the request they start from.
#![allow(dead_code)]

use std::time::Duration;
use wheelhouse_api::notify::{NotifyRequest, Retry};

/// Tell what was committed since `since` up to HEAD, every channel, three attempts 10 ms apart.
pub fn request(since: &str) -> NotifyRequest {
    NotifyRequest {
        since: Some(since.into()),
        head: "HEAD".into(),
        dry_run: false,
        channel: None,
        retry: Retry {
            attempts: 3,
            first_delay: Duration::from_millis(10),
        },
        timeout: Duration::from_secs(5),
        smtp_ca: None,
    }
}

pub const PAGE: &str =
    "name: Acme Shop\nurl: https://status.acme.example\ntime_zone: Europe/Berlin\n";
pub const COMPONENTS: &str = "groups:\n  - name: Shop\n    components:\n      - id: web\n        name: Website\n      - id: api\n        name: Public API\n";
pub const INCIDENT: &str = "---
title: Checkout is slow
status: investigating
impact: major
started_at: 2026-11-20T09:00:00Z
components:
  web: partial_outage
updates:
  - at: 2026-11-20T09:05:00Z
    status: investigating
    body: We are looking into slow checkouts.
---
";
