//! `monitors.yaml`: what is checked, how often, what counts as up, and which component it
//! speaks for. The kind follows the address, as in Gatus: `https://…` (or `http://`) is an HTTP
//! check, `tcp://host:port` a connection, `tls://host:port` a TLS handshake (and its
//! certificate), `dns://nameserver[:port]` a DNS query. Every mistake is located, a condition's
//! at the character.

use super::condition::{self, Condition, Placeholder};
use crate::error::{Position, StatusError, StatusErrorCode};
use crate::model::{ComponentStatus, StatusPage};
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

/// The file, in the status folder.
pub const MONITORS_FILE: &str = "monitors.yaml";

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum MonitorKind {
    Http,
    Tcp,
    Tls,
    Dns,
}

impl MonitorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MonitorKind::Http => "http",
            MonitorKind::Tcp => "tcp",
            MonitorKind::Tls => "tls",
            MonitorKind::Dns => "dns",
        }
    }

    /// The placeholders a check of this kind can fill.
    fn sees(self, p: Placeholder) -> bool {
        use Placeholder::*;
        match self {
            MonitorKind::Http => matches!(
                p,
                Status | ResponseTime | Body | Connected | CertificateExpiration | Ip
            ),
            MonitorKind::Tcp => matches!(p, Connected | ResponseTime | Ip),
            MonitorKind::Tls => matches!(p, Connected | ResponseTime | CertificateExpiration | Ip),
            MonitorKind::Dns => matches!(p, DnsRcode | Body | Ip | ResponseTime | Connected),
        }
    }
}

/// A DNS check's question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsQuery {
    pub name: String,
    /// `A`, `AAAA`, `CNAME`, `MX`, `NS`, `TXT`.
    pub record: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Monitor {
    pub name: String,
    pub kind: MonitorKind,
    pub url: String,
    pub component: String,
    /// HTTP only.
    pub method: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    pub dns: Option<DnsQuery>,
    pub conditions: Vec<Condition>,
    /// Seconds between checks.
    pub interval: u64,
    /// Seconds a check may take.
    pub timeout: u64,
    /// Failed checks in a row before the monitor counts as down (and an incident is drafted).
    pub failure_threshold: u32,
    /// Passed checks in a row before a down monitor counts as up again.
    pub success_threshold: u32,
    /// The component's status while the monitor is down.
    pub impact: ComponentStatus,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    defaults: Option<RawDefaults>,
    #[serde(default)]
    monitors: Vec<RawMonitor>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefaults {
    interval: Option<Spanned<String>>,
    timeout: Option<Spanned<String>>,
    failure_threshold: Option<Spanned<u32>>,
    success_threshold: Option<Spanned<u32>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDns {
    query_name: Spanned<String>,
    #[serde(default)]
    query_type: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMonitor {
    name: Spanned<String>,
    url: Spanned<String>,
    component: Spanned<String>,
    method: Option<Spanned<String>>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    body: Option<String>,
    dns: Option<Spanned<RawDns>>,
    #[serde(default)]
    conditions: Vec<Spanned<String>>,
    interval: Option<Spanned<String>>,
    timeout: Option<Spanned<String>>,
    failure_threshold: Option<Spanned<u32>>,
    success_threshold: Option<Spanned<u32>>,
    impact: Option<Spanned<String>>,
}

/// The monitors of `text` (the content of `monitors.yaml`), checked against `page`'s
/// components; every problem located.
pub fn parse_monitors(text: &str, page: &StatusPage) -> Result<Vec<Monitor>, Vec<StatusError>> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let raw: RawFile = serde_saphyr::from_str(text)
        .map_err(|e| vec![StatusError::from_yaml(MONITORS_FILE, 0, &e)])?;
    let mut errors = Vec::new();
    let err = |s: Position, m: String| {
        StatusError::new(StatusErrorCode::InvalidValue, MONITORS_FILE, s, m)
    };
    let d = raw.defaults.unwrap_or_default();
    let seconds =
        |v: &Option<Spanned<String>>, fallback: u64, errors: &mut Vec<StatusError>| match v {
            None => fallback,
            Some(s) => match condition::duration_ms(&s.value) {
                Some(ms) if ms >= 1000 && ms % 1000 == 0 => (ms / 1000) as u64,
                _ => {
                    errors.push(err(
                        Position::of(s, 0),
                        format!(
                            "`{}` is not a duration of whole seconds (30s, 1m, 5m)",
                            s.value
                        ),
                    ));
                    fallback
                }
            },
        };
    let count = |v: &Option<Spanned<u32>>, fallback: u32, errors: &mut Vec<StatusError>| match v {
        None => fallback,
        Some(s) if (1..=100).contains(&s.value) => s.value,
        Some(s) => {
            errors.push(err(
                Position::of(s, 0),
                format!("{} is not a threshold: from 1 to 100 checks", s.value),
            ));
            fallback
        }
    };
    let interval = seconds(&d.interval, 60, &mut errors);
    let timeout = seconds(&d.timeout, 10, &mut errors);
    let failures = count(&d.failure_threshold, 3, &mut errors);
    let successes = count(&d.success_threshold, 2, &mut errors);

    let mut out: Vec<Monitor> = Vec::new();
    for m in raw.monitors {
        let before = errors.len();
        let at = |s: &Spanned<String>| Position::of(s, 0);
        let name = m.name.value.trim().to_owned();
        if !is_name(&name) {
            errors.push(err(
                at(&m.name),
                format!("`{name}` cannot be a monitor name: use lowercase letters, digits and `-`"),
            ));
        } else if out.iter().any(|o| o.name == name) {
            errors.push(err(
                at(&m.name),
                format!("the monitor name `{name}` is used twice; names must be unique"),
            ));
        }
        let url_text = m.url.value.trim();
        let kind = match url::Url::parse(url_text) {
            Ok(u) => match u.scheme() {
                "http" | "https" => Some(MonitorKind::Http),
                "tcp" => Some(MonitorKind::Tcp),
                "tls" => Some(MonitorKind::Tls),
                "dns" => Some(MonitorKind::Dns),
                other => {
                    errors.push(err(at(&m.url), format!("`{other}:` is not a monitor's kind: use https://, http://, tcp://host:port, tls://host:port or dns://nameserver")));
                    None
                }
            }
            .filter(|k| {
                let needs_port = matches!(k, MonitorKind::Tcp | MonitorKind::Tls);
                let ok = u.host_str().is_some_and(|h| !h.is_empty())
                    && (!needs_port || u.port().is_some());
                if !ok {
                    errors.push(err(
                        at(&m.url),
                        format!("`{url_text}` needs a host{}", if needs_port { " and a port" } else { "" }),
                    ));
                }
                ok
            }),
            Err(e) => {
                errors.push(err(at(&m.url), format!("`{url_text}` is not a URL: {e}")));
                None
            }
        };
        if page.component(m.component.value.trim()).is_none() {
            errors.push(StatusError::new(
                StatusErrorCode::UnknownComponent,
                MONITORS_FILE,
                at(&m.component),
                format!(
                    "there is no component `{}` in components.yaml",
                    m.component.value.trim()
                ),
            ));
        }
        let method = m
            .method
            .as_ref()
            .map(|s| s.value.trim().to_ascii_uppercase())
            .unwrap_or_else(|| "GET".into());
        if let Some(s) = &m.method {
            if !matches!(method.as_str(), "GET" | "HEAD" | "POST" | "PUT" | "OPTIONS") {
                errors.push(err(
                    at(s),
                    format!(
                        "`{}` is not a method a monitor sends: GET, HEAD, POST, PUT or OPTIONS",
                        s.value
                    ),
                ));
            }
        }
        let dns = match (&m.dns, kind) {
            (Some(q), Some(MonitorKind::Dns)) => {
                let record = q
                    .value
                    .query_type
                    .as_ref()
                    .map(|t| t.value.trim().to_ascii_uppercase())
                    .unwrap_or_else(|| "A".into());
                if !matches!(
                    record.as_str(),
                    "A" | "AAAA" | "CNAME" | "MX" | "NS" | "TXT"
                ) {
                    let s = q.value.query_type.as_ref().expect("given");
                    errors.push(err(at(s), format!("`{}` is not a record type a monitor asks: A, AAAA, CNAME, MX, NS or TXT", s.value)));
                }
                Some(DnsQuery {
                    name: q
                        .value
                        .query_name
                        .value
                        .trim()
                        .trim_end_matches('.')
                        .to_owned(),
                    record,
                })
            }
            (None, Some(MonitorKind::Dns)) => {
                errors.push(err(
                    at(&m.url),
                    format!("dns monitor `{name}` needs dns: {{query_name: …, query_type: A}}"),
                ));
                None
            }
            (Some(q), Some(k)) => {
                errors.push(err(
                    Position::of(q, 0),
                    format!(
                        "dns: is for dns:// monitors; a {} monitor asks no question",
                        k.as_str()
                    ),
                ));
                None
            }
            (None, _) | (_, None) => None,
        };
        if kind.is_some_and(|k| k != MonitorKind::Http)
            && (m.method.is_some() || !m.headers.is_empty() || m.body.is_some())
        {
            errors.push(err(
                at(&m.url),
                format!("method, headers and body are for http monitors; `{name}` is not one"),
            ));
        }
        if m.conditions.is_empty() {
            errors.push(err(at(&m.name), format!("monitor `{name}` needs conditions: what counts as up, such as \"[STATUS] == 200\"")));
        }
        let mut conditions = Vec::new();
        for c in &m.conditions {
            match condition::parse(&c.value) {
                Ok(parsed) => {
                    if let Some(k) = kind {
                        if !k.sees(parsed.placeholder) {
                            errors.push(err(
                                at(c),
                                format!(
                                    "a {} monitor has no {}",
                                    k.as_str(),
                                    parsed.placeholder.name()
                                ),
                            ));
                        }
                    }
                    conditions.push(parsed);
                }
                Err(e) => {
                    let mut p = at(c);
                    // The value starts after its quote when quoted.
                    if p.line > 0 {
                        p.column += (e.offset as u32) + u32::from(quoted(text, p));
                    }
                    errors.push(err(p, format!("in `{}`: {}", c.value, e.message)));
                }
            }
        }
        let impact = match &m.impact {
            None => ComponentStatus::MajorOutage,
            Some(s) => match ComponentStatus::parse(s.value.trim()) {
                Some(
                    st @ (ComponentStatus::DegradedPerformance
                    | ComponentStatus::PartialOutage
                    | ComponentStatus::MajorOutage),
                ) => st,
                _ => {
                    errors.push(err(at(s), format!("`{}` cannot be a monitor's impact: use degraded_performance, partial_outage or major_outage", s.value)));
                    ComponentStatus::MajorOutage
                }
            },
        };
        let monitor_interval = seconds(&m.interval, interval, &mut errors);
        let monitor_timeout = seconds(&m.timeout, timeout, &mut errors);
        if monitor_timeout > monitor_interval {
            if let Some(s) = m.timeout.as_ref().or(m.interval.as_ref()) {
                errors.push(err(at(s), format!("the timeout ({monitor_timeout} s) is longer than the interval ({monitor_interval} s)")));
            }
        }
        let failure_threshold = count(&m.failure_threshold, failures, &mut errors);
        let success_threshold = count(&m.success_threshold, successes, &mut errors);
        if errors.len() == before {
            out.push(Monitor {
                name,
                kind: kind.expect("checked"),
                url: url_text.to_owned(),
                component: m.component.value.trim().to_owned(),
                method,
                headers: m.headers.into_iter().collect(),
                body: m.body,
                dns,
                conditions,
                interval: monitor_interval,
                timeout: monitor_timeout,
                failure_threshold,
                success_threshold,
                impact,
            });
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Whether the scalar at `p` in `text` starts with a quote.
fn quoted(text: &str, p: Position) -> bool {
    text.lines()
        .nth(p.line as usize - 1)
        .and_then(|l| l.chars().nth(p.column as usize - 1))
        .is_some_and(|c| c == '"' || c == '\'')
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
