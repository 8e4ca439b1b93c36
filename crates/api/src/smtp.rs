//! Email over SMTP for the email channels of `subscribers.yaml`: the message (a plain-text and an
//! HTML part, `List-Unsubscribe`, a Message-ID that is the same for the same event and channel
//! everywhere) and one attempt to hand it to the mail server, always over TLS — STARTTLS
//! required on `smtp://`, TLS from the first byte on `smtps://` — with the login a secret holds.
//! Retrying is the caller's.

use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};
use std::time::Duration;
use wheelhouse_status::notify::{Email, Mailing};

/// A mail server as a channel's address names it.
#[derive(Clone)]
pub(crate) struct Server {
    pub host: String,
    pub port: u16,
    /// `smtps://`: TLS from the start; else STARTTLS, required.
    pub implicit_tls: bool,
    login: Option<(String, String)>,
}

impl std::fmt::Debug for Server {
    // The login is a secret: never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Server({}:{})", self.host, self.port)
    }
}

impl Server {
    /// `host:port`, for messages.
    pub fn name(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }
}

/// The server an `smtp://` or `smtps://` address names, with the login it carries.
pub(crate) fn server_of(address: &str) -> Result<Server, String> {
    let url = url::Url::parse(address).map_err(|e| format!("not a URL: {e}"))?;
    let implicit_tls = match url.scheme() {
        "smtps" => true,
        "smtp" => false,
        other => return Err(format!("a {other}: address is not a mail server's")),
    };
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or("it names no host")?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8()
            .map(|s| s.into_owned())
            .map_err(|_| "its login is not valid percent-encoded UTF-8".to_owned())
    };
    let login = match (url.username(), url.password()) {
        ("", None) => None,
        (user, password) => Some((decode(user)?, decode(password.unwrap_or_default())?)),
    };
    Ok(Server {
        port: url.port().unwrap_or(if implicit_tls { 465 } else { 587 }),
        host,
        implicit_tls,
        login,
    })
}

/// `List-Unsubscribe: <mailto:…>` (RFC 2369).
#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(
            s.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .into(),
        ))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

/// `Auto-Submitted: auto-generated` (RFC 3834): out-of-office replies stay away.
#[derive(Clone)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".into())
    }
}

/// The message of `email` from and to `mailing`'s addresses; `id` makes its Message-ID.
pub(crate) fn message(mailing: &Mailing, email: &Email, id: &str) -> Result<Message, String> {
    let mailbox = |text: &str| {
        text.parse::<Mailbox>()
            .map_err(|e| format!("`{text}` is not an email address: {e}"))
    };
    let from = mailbox(&mailing.from)?;
    let domain = from.email.domain().to_owned();
    let mut builder = Message::builder()
        .from(from)
        .subject(email.subject.clone())
        .message_id(Some(format!("<{id}.wheelhouse@{domain}>")))
        .header(ListUnsubscribe(mailing.unsubscribe_address()))
        .header(AutoSubmitted);
    for to in &mailing.to {
        builder = builder.to(mailbox(to)?);
    }
    builder
        .multipart(MultiPart::alternative_plain_html(
            email.text.clone(),
            email.html.clone(),
        ))
        .map_err(|e| format!("the message could not be made: {e}"))
}

/// Why one attempt failed.
#[derive(Debug)]
pub(crate) struct Failure {
    /// The server's reply code, when it answered with one.
    pub code: Option<u16>,
    pub reason: String,
    /// Worth trying again: no answer, a timeout, or a 4xx (transient) reply.
    pub again: bool,
}

/// Hands `message` to `server` once; the reply code on success. `trust`: PEM certificates
/// trusted for this server besides the system's (a relay with a private CA).
pub(crate) fn send(
    server: &Server,
    message: &Message,
    timeout: Duration,
    trust: Option<&[u8]>,
) -> Result<u16, Failure> {
    let refuse = |reason: String| Failure {
        code: None,
        reason,
        again: false,
    };
    let mut tls = TlsParameters::builder(server.host.clone());
    if let Some(pem) = trust {
        let cert = Certificate::from_pem(pem)
            .map_err(|e| refuse(format!("the trusted certificate does not load: {e}")))?;
        tls = tls.add_root_certificate(cert);
    }
    let tls = tls
        .build()
        .map_err(|e| refuse(format!("TLS could not be set up: {e}")))?;
    let mut transport = SmtpTransport::builder_dangerous(server.host.clone())
        .port(server.port)
        .timeout(Some(timeout))
        .tls(if server.implicit_tls {
            Tls::Wrapper(tls)
        } else {
            Tls::Required(tls)
        });
    if let Some((user, password)) = &server.login {
        transport = transport.credentials(Credentials::new(user.clone(), password.clone()));
    }
    match transport.build().send(message) {
        Ok(response) => Ok(response.code().into()),
        Err(e) => {
            let code = e.status().map(u16::from);
            let timed_out = e.is_timeout() || waited_too_long(&e);
            let again = e.is_transient() || timed_out || (code.is_none() && !e.is_tls());
            let words = e.to_string();
            let reason = if timed_out {
                format!("{} did not answer in time", server.name())
            } else if let Some(code) = code {
                // lettre says "permanent error (550): Mailbox unavailable".
                let said = words.split_once("): ").map_or(words.as_str(), |(_, s)| s);
                let verb = if e.is_permanent() {
                    "refused it"
                } else {
                    "put it off"
                };
                format!("{} {verb}: {code} {said}", server.name())
            } else if words.contains("STARTTLS is not supported") {
                format!(
                    "{} does not offer STARTTLS, and nothing is sent in the clear (smtps:// if it takes TLS from the first byte)",
                    server.name()
                )
            } else if words.contains("certificate verify failed") {
                let why = words
                    .rsplit_once('(')
                    .map_or("", |(_, w)| w.trim_end_matches(')'));
                format!(
                    "{}'s certificate is not trusted ({why}); if the relay's CA is a private one, trust it with --smtp-ca FILE",
                    server.name()
                )
            } else {
                format!("{} could not take the message: {words}", server.name())
            };
            Err(Failure {
                code,
                reason,
                again,
            })
        }
    }
}

/// Whether `e` comes from a socket's time limit running out (a read that would block past it).
fn waited_too_long(e: &lettre::transport::smtp::Error) -> bool {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return matches!(
                io.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            );
        }
        source = s.source();
    }
    false
}
