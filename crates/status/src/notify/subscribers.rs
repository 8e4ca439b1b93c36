//! `subscribers.yaml`: the channels told of every incident and maintenance update. A webhook's
//! address may be written in the file or, where the address itself grants posting (Slack,
//! Discord, Teams), named as a secret kept outside the repository; a generic webhook's signing
//! key is always such a secret. An email channel names its mail server as an `smtp://`
//! (STARTTLS, required) or `smtps://` address — with its login, a secret too — and whom to
//! write from and to.

use crate::error::{Position, StatusError, StatusErrorCode};
use crate::model::StatusPage;
use serde::Deserialize;
use serde_saphyr::Spanned;

/// The file, in the status folder.
pub const SUBSCRIBERS_FILE: &str = "subscribers.yaml";

/// Where a message goes and in which shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
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
    /// Email through an SMTP server, over TLS: a plain-text and an HTML part.
    Email,
}

impl ChannelKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::Slack => "slack",
            ChannelKind::Discord => "discord",
            ChannelKind::Teams => "teams",
            ChannelKind::Webhook => "webhook",
            ChannelKind::Email => "email",
        }
    }

    /// The kind a word names (`slack`…), as the file writes it.
    pub fn parse(word: &str) -> Option<ChannelKind> {
        [
            ChannelKind::Slack,
            ChannelKind::Discord,
            ChannelKind::Teams,
            ChannelKind::Webhook,
            ChannelKind::Email,
        ]
        .into_iter()
        .find(|k| k.as_str() == word)
    }
}

/// A webhook's or mail server's address: written in the file, or the name of a secret that
/// holds it.
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
    /// An email channel's sender and recipients.
    pub email: Option<Mailing>,
}

/// Whom an email channel writes from and to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailing {
    /// `Status <status@example.com>` or `status@example.com`.
    pub from: String,
    pub to: Vec<String>,
    /// The `List-Unsubscribe` address (`mailto:` or `https:`); none: a mail to `from` asking to
    /// be taken off the list.
    pub unsubscribe: Option<String>,
}

impl Mailing {
    /// The `List-Unsubscribe` address: the one written, or a mail to the sender asking to be
    /// taken off the list.
    pub fn unsubscribe_address(&self) -> String {
        self.unsubscribe.clone().unwrap_or_else(|| {
            let from = self.from.trim();
            let address = from
                .rsplit_once('<')
                .map(|(_, rest)| rest.trim_end_matches('>'))
                .unwrap_or(from);
            format!("mailto:{address}?subject=unsubscribe")
        })
    }
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
    from: Option<Spanned<String>>,
    #[serde(default)]
    to: Vec<Spanned<String>>,
    unsubscribe: Option<Spanned<String>>,
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
                    "`{}` is not a channel kind: use slack, discord, teams, webhook or email",
                    c.kind.value
                ),
            ));
        }
        let email = kind == Some(ChannelKind::Email);
        let address = match (&c.url, &c.url_secret) {
            (Some(url), None) if email => match check_smtp_url(url.value.trim()) {
                Ok(u) if url::Url::parse(&u).is_ok_and(|u| u.password().is_some()) => {
                    errors.push(err(
                        StatusErrorCode::InvalidValue,
                        url,
                        "a password written here is in every clone and every log of this repository: put smtp://user:password@host in a secret and name it with url_secret".to_owned(),
                    ));
                    None
                }
                Ok(u) => Some(Address::Url(u)),
                Err(why) => {
                    errors.push(err(StatusErrorCode::InvalidValue, url, why));
                    None
                }
            },
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
            (None, None) if email => {
                errors.push(err(
                    StatusErrorCode::InvalidValue,
                    &c.name,
                    format!("email channel `{name}` needs url (the mail server, smtp://host:587) or url_secret (the name of a secret holding it with its login)"),
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
        let mailing = if email {
            check_mailing(&c, &name, &mut errors)
        } else {
            for (field, value) in [("from", &c.from), ("unsubscribe", &c.unsubscribe)]
                .into_iter()
                .filter_map(|(f, v)| v.as_ref().map(|v| (f, v)))
                .chain(c.to.first().map(|v| ("to", v)))
            {
                errors.push(err(
                    StatusErrorCode::InvalidValue,
                    value,
                    format!(
                        "{field} is for email channels; a {} channel mails no one",
                        c.kind.value.trim()
                    ),
                ));
            }
            None
        };
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
                email: mailing,
            });
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// An email channel's `from`, `to` and `unsubscribe`, checked; none (and the mistakes pushed)
/// when one is wrong.
fn check_mailing(c: &RawChannel, name: &str, errors: &mut Vec<StatusError>) -> Option<Mailing> {
    let before = errors.len();
    let err = |s: &Spanned<String>, m: String| {
        StatusError::new(
            StatusErrorCode::InvalidValue,
            SUBSCRIBERS_FILE,
            Position::of(s, 0),
            m,
        )
    };
    match &c.from {
        Some(from) if !is_mailbox(from.value.trim()) => errors.push(err(
            from,
            format!(
                "`{}` is not an email address: write `status@example.com` or `Status <status@example.com>`",
                from.value.trim()
            ),
        )),
        Some(_) => {}
        None => errors.push(err(
            &c.name,
            format!("email channel `{name}` needs from: the address its mails come from"),
        )),
    }
    if c.to.is_empty() {
        errors.push(err(
            &c.name,
            format!("email channel `{name}` needs to: the addresses it mails"),
        ));
    }
    for to in &c.to {
        if !is_mailbox(to.value.trim()) {
            errors.push(err(
                to,
                format!("`{}` is not an email address", to.value.trim()),
            ));
        }
    }
    if let Some(u) = &c.unsubscribe {
        let text = u.value.trim();
        let ok = match url::Url::parse(text) {
            Ok(url) if url.scheme() == "mailto" => is_address(url.path()),
            Ok(url) => url.scheme() == "https",
            Err(_) => false,
        };
        if !ok {
            errors.push(err(
                u,
                format!("`{text}` cannot be an unsubscribe address: use mailto:someone@example.com or an https address"),
            ));
        }
    }
    (errors.len() == before).then(|| Mailing {
        from: c
            .from
            .as_ref()
            .map(|f| f.value.trim().to_owned())
            .unwrap_or_default(),
        to: c.to.iter().map(|t| t.value.trim().to_owned()).collect(),
        unsubscribe: c.unsubscribe.as_ref().map(|u| u.value.trim().to_owned()),
    })
}

/// `someone@example.com`, or `Name <someone@example.com>`.
fn is_mailbox(text: &str) -> bool {
    match text.rsplit_once('<') {
        Some((display, rest)) => {
            !display.contains(['<', '>', '\r', '\n'])
                && rest.strip_suffix('>').is_some_and(is_address)
        }
        None => is_address(text),
    }
}

/// `local@domain`, nothing a header could be split at.
fn is_address(text: &str) -> bool {
    let Some((local, domain)) = text.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.is_empty()
        && !local.contains('@')
        && domain.contains(|c: char| c.is_ascii_alphanumeric())
        && !text.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"')
        })
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A mail server's address: `smtp://host[:port]` (587 by default; STARTTLS is required) or
/// `smtps://host[:port]` (TLS from the start; 465). A login (`user:password@`) belongs in a
/// secret, not in the file.
pub fn check_smtp_url(text: &str) -> Result<String, String> {
    let url = url::Url::parse(text).map_err(|e| format!("`{text}` is not a URL: {e}"))?;
    if !matches!(url.scheme(), "smtp" | "smtps") {
        return Err(format!(
            "`{text}` is not a mail server's address: use smtp://host:587 (STARTTLS) or smtps://host:465"
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("`{text}` names no host"));
    }
    if !url.path().trim_matches('/').is_empty() || url.query().is_some() || url.fragment().is_some()
    {
        return Err(format!(
            "`{text}` has more than a host and a port; TLS is always required, nothing to choose"
        ));
    }
    Ok(url.to_string())
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
