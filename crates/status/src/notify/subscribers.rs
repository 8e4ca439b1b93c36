//! `subscribers.yaml`: the channels told of every incident and maintenance update. A webhook's
//! address may be written in the file or, where the address itself grants posting (Slack,
//! Discord, Teams), named as a secret kept outside the repository; a generic webhook's signing
//! key is always such a secret.

use crate::error::{Position, StatusError, StatusErrorCode};
use crate::model::StatusPage;
use serde::Deserialize;
use serde_saphyr::Spanned;

/// The file, in the status folder.
pub const SUBSCRIBERS_FILE: &str = "subscribers.yaml";

/// Where a message goes and in which shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    /// A Slack incoming webhook (Block Kit).
    Slack,
    /// A Discord webhook (an embed).
    Discord,
    /// A Microsoft Teams incoming webhook or workflow (an Adaptive Card).
    Teams,
    /// Any HTTPS endpoint: the JSON of the hosted status services, signed with HMAC-SHA256.
    Webhook,
}

impl ChannelKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::Slack => "slack",
            ChannelKind::Discord => "discord",
            ChannelKind::Teams => "teams",
            ChannelKind::Webhook => "webhook",
        }
    }

    fn parse(word: &str) -> Option<ChannelKind> {
        [
            ChannelKind::Slack,
            ChannelKind::Discord,
            ChannelKind::Teams,
            ChannelKind::Webhook,
        ]
        .into_iter()
        .find(|k| k.as_str() == word)
    }
}

/// A webhook address: written in the file, or the name of a secret that holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    Url(String),
    Secret(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channel {
    pub name: String,
    pub kind: ChannelKind,
    pub address: Address,
    /// The secret holding a generic webhook's HMAC key.
    pub signing_secret: Option<String>,
    /// Only updates touching these components (all when empty).
    pub components: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    channels: Vec<RawChannel>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChannel {
    name: Spanned<String>,
    kind: Spanned<String>,
    url: Option<Spanned<String>>,
    url_secret: Option<Spanned<String>>,
    signing_secret: Option<Spanned<String>>,
    #[serde(default)]
    components: Vec<Spanned<String>>,
}

/// The channels of `text` (the content of `subscribers.yaml`), checked against `page`'s
/// components; every problem located.
pub fn parse_subscribers(text: &str, page: &StatusPage) -> Result<Vec<Channel>, Vec<StatusError>> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let raw: RawFile = serde_saphyr::from_str(text)
        .map_err(|e| vec![StatusError::from_yaml(SUBSCRIBERS_FILE, 0, &e)])?;
    let mut errors = Vec::new();
    let mut out: Vec<Channel> = Vec::new();
    for c in raw.channels {
        let err = |code, s: &Spanned<String>, m: String| {
            StatusError::new(code, SUBSCRIBERS_FILE, Position::of(s, 0), m)
        };
        let before = errors.len();
        let name = c.name.value.trim().to_owned();
        if !is_name(&name) {
            errors.push(err(
                StatusErrorCode::InvalidValue,
                &c.name,
                format!("`{name}` cannot be a channel name: use lowercase letters, digits and `-`"),
            ));
        } else if out.iter().any(|o| o.name == name) {
            errors.push(err(
                StatusErrorCode::InvalidValue,
                &c.name,
                format!("the channel name `{name}` is used twice; names must be unique"),
            ));
        }
        let kind = ChannelKind::parse(c.kind.value.trim());
        if kind.is_none() {
            errors.push(err(
                StatusErrorCode::InvalidValue,
                &c.kind,
                format!(
                    "`{}` is not a channel kind: use slack, discord, teams or webhook",
                    c.kind.value
                ),
            ));
        }
        let address = match (&c.url, &c.url_secret) {
            (Some(url), None) => match check_url(url.value.trim()) {
                Ok(u) => Some(Address::Url(u)),
                Err(why) => {
                    errors.push(err(StatusErrorCode::InvalidValue, url, why));
                    None
                }
            },
            (None, Some(secret)) if is_name(secret.value.trim()) => {
                Some(Address::Secret(secret.value.trim().to_owned()))
            }
            (None, Some(secret)) => {
                errors.push(err(
                    StatusErrorCode::InvalidValue,
                    secret,
                    format!(
                        "`{}` cannot be a secret's name: use lowercase letters, digits and `-`",
                        secret.value
                    ),
                ));
                None
            }
            (Some(_), Some(secret)) => {
                errors.push(err(
                    StatusErrorCode::InvalidValue,
                    secret,
                    format!("channel `{name}` has both url and url_secret; give one"),
                ));
                None
            }
            (None, None) => {
                errors.push(err(
                    StatusErrorCode::InvalidValue,
                    &c.name,
                    format!("channel `{name}` needs url (an https address) or url_secret (the name of a secret holding it)"),
                ));
                None
            }
        };
        let signing_secret = c.signing_secret.as_ref().map(|s| s.value.trim().to_owned());
        match (kind, &c.signing_secret) {
            (Some(ChannelKind::Webhook), None) => errors.push(err(
                StatusErrorCode::InvalidValue,
                &c.kind,
                format!("webhook channel `{name}` needs signing_secret: the name of the secret its HMAC-SHA256 signature is made with"),
            )),
            (Some(ChannelKind::Webhook), Some(s)) if !is_name(s.value.trim()) => errors.push(err(
                StatusErrorCode::InvalidValue,
                s,
                format!("`{}` cannot be a secret's name: use lowercase letters, digits and `-`", s.value),
            )),
            (Some(k), Some(s)) if k != ChannelKind::Webhook => errors.push(err(
                StatusErrorCode::InvalidValue,
                s,
                format!("signing_secret is for webhook channels; {} signs nothing", k.as_str()),
            )),
            _ => {}
        }
        for id in &c.components {
            if page.component(id.value.trim()).is_none() {
                errors.push(err(
                    StatusErrorCode::UnknownComponent,
                    id,
                    format!(
                        "there is no component `{}` in components.yaml",
                        id.value.trim()
                    ),
                ));
            }
        }
        if errors.len() == before {
            out.push(Channel {
                name,
                kind: kind.expect("checked"),
                address: address.expect("checked"),
                signing_secret,
                components: c
                    .components
                    .iter()
                    .map(|s| s.value.trim().to_owned())
                    .collect(),
            });
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// An address messages may go to: HTTPS, or plain HTTP to this machine (a relay or a test).
pub fn check_url(text: &str) -> Result<String, String> {
    let url = url::Url::parse(text).map_err(|e| format!("`{text}` is not a URL: {e}"))?;
    let loopback = matches!(url.host(), Some(url::Host::Domain("localhost")))
        || matches!(url.host(), Some(url::Host::Ipv4(ip)) if ip.is_loopback())
        || matches!(url.host(), Some(url::Host::Ipv6(ip)) if ip.is_loopback());
    match url.scheme() {
        "https" => Ok(url.to_string()),
        "http" if loopback => Ok(url.to_string()),
        "http" => Err(format!(
            "`{text}` is not https: messages would cross the network unencrypted; use an https address"
        )),
        other => Err(format!("`{text}` is a {other}: address, not https")),
    }
}
