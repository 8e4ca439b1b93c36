//! Telling subscribers of merged status updates: every incident and maintenance update that HEAD
//! has and `--since` has not, one message per channel of `subscribers.yaml` (as committed at
//! HEAD), each delivery recorded as a line of a git note on HEAD
//! (`refs/notes/wheelhouse/notifications`) so that no run — here, in CI, in a teammate's clone
//! once the notes travelled — sends one twice. Failures are retried with back-off and recorded
//! as failed (a later run tries them again); nothing is dropped without a word.

use crate::committed::page_at;
use crate::{ErrorCode, Problem, Result};
use hmac::Mac;
use serde::{Deserialize, Serialize};
use sha2::Digest;
use std::collections::BTreeSet;
use std::time::Duration;
use ts_rs::TS;
use wheelhouse_repo::network::Network;
use wheelhouse_repo::Repository;
use wheelhouse_status::notify::{self, Address, Channel, Event, SUBSCRIBERS_FILE};

/// The notes ref the deliveries are recorded in, one JSON line each.
pub const NOTES_REF: &str = "refs/notes/wheelhouse/notifications";

/// How often and how patiently a failed delivery is tried again.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    /// Tries in all, the first included.
    pub attempts: u32,
    /// The wait before the second try; it doubles for each try after.
    pub first_delay: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            attempts: 4,
            first_delay: Duration::from_secs(1),
        }
    }
}

#[derive(Debug, Clone)]
pub struct NotifyRequest {
    /// The commit subscribers were last told about (CI: the commit before the merge); none:
    /// [`default_since`].
    pub since: Option<String>,
    /// The commit whose page is told (`HEAD`).
    pub head: String,
    pub dry_run: bool,
    /// Only this channel (`--channel`).
    pub channel: Option<String>,
    pub retry: Retry,
    /// Each request's time limit.
    pub timeout: Duration,
    /// PEM certificates trusted for mail servers besides the system's (`--smtp-ca`: a relay
    /// with a private CA).
    pub smtp_ca: Option<Vec<u8>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryOutcome {
    Delivered,
    Failed,
    /// Recorded as delivered by an earlier run (here or in a clone whose notes arrived).
    AlreadyDelivered,
    /// A dry run: what would be sent.
    WouldSend,
}

/// One message to one channel.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Delivery {
    /// The event's id (`incident/<slug>/<time>`).
    pub event: String,
    pub channel: String,
    /// `slack`, `discord`, `teams`, `webhook` or `email`.
    pub kind: String,
    /// The same for the same event and channel everywhere: sent as `Idempotency-Key`.
    pub message_id: String,
    pub headline: String,
    pub outcome: DeliveryOutcome,
    pub attempts: u32,
    /// The last HTTP status or SMTP reply code answered.
    pub status: Option<u16>,
    pub error: Option<String>,
}

/// What a run told whom.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Notified {
    pub since: String,
    pub head: String,
    pub events: Vec<Event>,
    pub channels: usize,
    pub deliveries: Vec<Delivery>,
    /// Why the record could not be fetched from or pushed to the remote (it is kept here).
    pub record_error: Option<String>,
}

impl Notified {
    pub fn failed(&self) -> usize {
        self.deliveries
            .iter()
            .filter(|d| d.outcome == DeliveryOutcome::Failed)
            .count()
    }
}

/// A delivery as recorded: one JSON line of the note on the commit it told of; the status
/// screen shows each channel's last.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct DeliveryRecord {
    pub event: String,
    pub channel: String,
    pub message_id: String,
    pub outcome: DeliveryOutcome,
    pub attempts: u32,
    /// The last HTTP status or SMTP reply code answered.
    #[serde(default)]
    pub status: Option<u16>,
    /// When it was recorded, RFC 3339.
    pub at: String,
    #[serde(default)]
    pub headline: Option<String>,
}

/// Sends what `request` asks ([`NotifyRequest`]). `secret(name)` gives a secret's value (a
/// webhook address, a signing key) or none; `net` fetches the remote's record first and pushes
/// it after (none: this clone's record only). `now` stamps the record.
pub fn notify(
    repo: &Repository,
    request: &NotifyRequest,
    secret: &dyn Fn(&str) -> Result<Option<String>>,
    net: Option<&mut Network<'_>>,
    now: i64,
) -> Result<Notified> {
    let head = repo.source_commit(&request.head)?;
    let since_rev = match &request.since {
        Some(rev) => rev.clone(),
        None => match default_since(repo, &head.id)? {
            Some(rev) => rev,
            // No subscribers file anywhere in HEAD's history: no one to tell.
            None => head.id.clone(),
        },
    };
    let since = repo.source_commit(&since_rev)?;
    let git = git2::Repository::open(repo.root())
        .map_err(|e| Problem::new(ErrorCode::Git, e.message().to_owned()))?;
    let mut net = net;
    let remote = repo.publish_remote().ok();
    let mut record_error = None;
    if let (Some(net), Some(remote)) = (net.as_deref_mut(), remote.as_deref()) {
        if let Err(e) = fetch_record(repo, &git, remote, net) {
            // Sending without the remote's record could send twice: stop.
            return Err(Problem::new(
                e.code,
                format!("the record of earlier deliveries could not be fetched from {remote}, so nothing was sent: {}", e.message),
            ));
        }
    }
    let (folder, after) = page_at(repo, &head.id)?;
    let before = match page_at(repo, &since.id) {
        Ok((_, page)) => Some(page),
        Err(p) if p.code == ErrorCode::NotFound => None,
        Err(p) => {
            return Err(Problem::new(
                p.code,
                format!(
                "the page at --since {since_rev} does not load, so what is new cannot be told: {}",
                p.message
            ),
            ))
        }
    };
    let (path, text) = subscribers_at(repo, &head.id, &folder)?;
    let channels = channels_of(text.as_deref().unwrap_or_default(), &after, &folder, &path)
        .map_err(|mut p| {
            p.message.push_str("; nothing was sent");
            p
        })?;
    let channels: Vec<Channel> = match &request.channel {
        Some(name) => {
            let one: Vec<Channel> = channels.into_iter().filter(|c| &c.name == name).collect();
            if one.is_empty() {
                return Err(Problem::new(
                    ErrorCode::NotFound,
                    format!("there is no channel `{name}` in {path}"),
                ));
            }
            one
        }
        None => channels,
    };
    let events = notify::events(before.as_ref(), &after);
    let delivered = delivered(&git)?;
    let agent = agent(request.timeout);
    let mut deliveries = Vec::new();
    for event in &events {
        let wanted: Vec<&Channel> = channels
            .iter()
            .filter(|c| notify::wants(c, event))
            .collect();
        let mut batch: Vec<Delivery> = wanted
            .iter()
            .map(|c| Delivery {
                event: event.id.clone(),
                channel: c.name.clone(),
                kind: c.kind.as_str().to_owned(),
                message_id: message_id(&event.id, &c.name),
                headline: notify::headline(event),
                outcome: DeliveryOutcome::WouldSend,
                attempts: 0,
                status: None,
                error: None,
            })
            .collect();
        // What to post where, secrets read here (one thread); None: nothing to post.
        let mut posts: Vec<Option<Outgoing>> = Vec::with_capacity(batch.len());
        for (d, channel) in batch.iter_mut().zip(&wanted) {
            if delivered.contains(&(event.id.clone(), channel.name.clone())) {
                d.outcome = DeliveryOutcome::AlreadyDelivered;
                posts.push(None);
            } else if request.dry_run {
                posts.push(None);
            } else {
                posts.push(prepare(channel, event, &after, secret, d)?);
            }
        }
        // Every channel of one update at once (a few requests in flight), then the update's
        // deliveries recorded in one note: a run cut short loses at most one update's record.
        let per_thread = batch.len().div_ceil(PARALLEL).max(1);
        std::thread::scope(|scope| {
            for (ds, ps) in batch.chunks_mut(per_thread).zip(posts.chunks(per_thread)) {
                let link = Link {
                    agent: &agent,
                    timeout: request.timeout,
                    smtp_ca: request.smtp_ca.as_deref(),
                };
                let retry = request.retry;
                scope.spawn(move || {
                    for (d, p) in ds.iter_mut().zip(ps) {
                        if let Some(p) = p {
                            deliver(&link, p, retry, d);
                        }
                    }
                });
            }
        });
        if !request.dry_run {
            record(&git, head.id.as_str(), &batch, now)?;
        }
        deliveries.extend(batch);
    }
    if !request.dry_run {
        if let (Some(net), Some(remote)) = (net, remote.as_deref()) {
            let spec = format!("{NOTES_REF}:{NOTES_REF}");
            if git.find_reference(NOTES_REF).is_ok() {
                if let Err(e) = repo.push_refspecs_to(remote, &[spec.as_str()], net) {
                    record_error = Some(e.to_string());
                }
            }
        }
    }
    Ok(Notified {
        since: since.id,
        head: head.id,
        events,
        channels: channels.len(),
        deliveries,
        record_error,
    })
}

/// The remote's record merged into ours (line-wise: nothing either side recorded is lost).
fn fetch_record(
    repo: &Repository,
    git: &git2::Repository,
    remote: &str,
    net: &mut Network<'_>,
) -> Result<()> {
    let fetched = format!("refs/notes/remotes/{remote}/wheelhouse/notifications");
    let spec = format!("+{NOTES_REF}:{fetched}");
    repo.fetch_refspecs_from(remote, &[spec.as_str()], net)?;
    let sig = signature(git)?;
    wheelhouse_approvals::notes::merge_notes_refs(git, NOTES_REF, &fetched, &sig)
        .map_err(|e| Problem::new(e.code(), e.to_string()))?;
    Ok(())
}

fn signature(git: &git2::Repository) -> Result<git2::Signature<'static>> {
    git.signature()
        .or_else(|_| git2::Signature::now("Wheelhouse", "wheelhouse@localhost"))
        .map_err(|e| Problem::new(ErrorCode::Git, e.message().to_owned()))
}

/// Every delivery recorded, on any commit.
fn records(git: &git2::Repository) -> Result<Vec<DeliveryRecord>> {
    let mut out = Vec::new();
    let Ok(notes) = git.notes(Some(NOTES_REF)) else {
        return Ok(out);
    };
    for item in notes {
        let (blob, _) = item.map_err(|e| Problem::new(ErrorCode::Git, e.message().to_owned()))?;
        let Ok(blob) = git.find_blob(blob) else {
            continue;
        };
        out.extend(
            blob.content()
                .split(|&b| b == b'\n')
                .filter_map(|line| serde_json::from_slice::<DeliveryRecord>(line).ok()),
        );
    }
    Ok(out)
}

/// (event, channel) of every delivery recorded as made, on any commit.
fn delivered(git: &git2::Repository) -> Result<BTreeSet<(String, String)>> {
    Ok(records(git)?
        .into_iter()
        .filter(|r| r.outcome == DeliveryOutcome::Delivered)
        .map(|r| (r.event, r.channel))
        .collect())
}

/// Adds a line per made or failed delivery to the note on `head`, in one notes commit, merged
/// line-wise with what is there.
fn record(git: &git2::Repository, head: &str, deliveries: &[Delivery], now: i64) -> Result<()> {
    let git_err = |e: git2::Error| Problem::new(ErrorCode::Git, e.message().to_owned());
    let at = wheelhouse_status::Timestamp::from_second(now)
        .map(|t| t.to_string())
        .unwrap_or_default();
    let lines: String = deliveries
        .iter()
        .filter(|d| {
            matches!(
                d.outcome,
                DeliveryOutcome::Delivered | DeliveryOutcome::Failed
            )
        })
        .map(|d| {
            serde_json::to_string(&DeliveryRecord {
                event: d.event.clone(),
                channel: d.channel.clone(),
                message_id: d.message_id.clone(),
                outcome: d.outcome,
                attempts: d.attempts,
                status: d.status,
                at: at.clone(),
                headline: Some(d.headline.clone()),
            })
            .expect("records serialize")
                + "\n"
        })
        .collect();
    if lines.is_empty() {
        return Ok(());
    }
    let commit = git2::Oid::from_str(head).map_err(git_err)?;
    let existing = git
        .find_note(Some(NOTES_REF), commit)
        .ok()
        .map(|n| n.message_bytes().to_vec())
        .unwrap_or_default();
    let merged = wheelhouse_approvals::notes::cat_sort_uniq(&[&existing, lines.as_bytes()]);
    let text = String::from_utf8_lossy(&merged).into_owned();
    let sig = signature(git)?;
    git.note(&sig, &sig, Some(NOTES_REF), commit, &text, true)
        .map_err(git_err)?;
    Ok(())
}

/// The first 16 hex digits of SHA-256 over the event and the channel.
fn message_id(event: &str, channel: &str) -> String {
    let digest = sha2::Sha256::digest(format!("{event}\n{channel}").as_bytes());
    hex::encode(&digest[..8])
}

/// `sha256=` and the hex HMAC-SHA256 of `body` under `key`: the `X-Wheelhouse-Signature` header.
pub fn signature_header(key: &[u8], body: &[u8]) -> String {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC takes any key");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .provider(ureq::tls::TlsProvider::NativeTls)
                .build(),
        )
        .build()
        .into()
}

/// How many requests are in flight at once.
const PARALLEL: usize = 8;

/// A request ready to go: where, what, signed how.
struct Post {
    url: String,
    body: Vec<u8>,
    signature: Option<String>,
    event: &'static str,
}

/// A message ready to go: a POST, or an email and its server.
enum Outgoing {
    Post(Post),
    Mail(crate::smtp::Server, Box<lettre::Message>),
}

/// What messages go out through: the HTTP agent, each attempt's time limit, and the
/// certificates trusted for mail servers besides the system's.
#[derive(Clone, Copy)]
struct Link<'a> {
    agent: &'a ureq::Agent,
    timeout: Duration,
    smtp_ca: Option<&'a [u8]>,
}

/// Sends `out`, trying again with back-off while the failure may pass.
fn deliver(link: &Link<'_>, out: &Outgoing, retry: Retry, d: &mut Delivery) {
    match out {
        Outgoing::Post(p) => post(link.agent, p, retry, d),
        Outgoing::Mail(server, message) => mail(link, server, message, retry, d),
    }
}

/// Hands `message` to `server`, trying again with back-off on no answer, a timeout or a 4xx.
fn mail(
    link: &Link<'_>,
    server: &crate::smtp::Server,
    message: &lettre::Message,
    retry: Retry,
    d: &mut Delivery,
) {
    let mut delay = retry.first_delay;
    for attempt in 1..=retry.attempts.max(1) {
        d.attempts = attempt;
        match crate::smtp::send(server, message, link.timeout, link.smtp_ca) {
            Ok(code) => {
                d.status = Some(code);
                d.outcome = DeliveryOutcome::Delivered;
                d.error = None;
                return;
            }
            Err(f) => {
                d.status = f.code;
                d.error = Some(f.reason);
                if !f.again {
                    break;
                }
            }
        }
        if attempt < retry.attempts.max(1) {
            std::thread::sleep(delay);
            delay = delay.saturating_mul(2);
        }
    }
    d.outcome = DeliveryOutcome::Failed;
}

/// The message for `channel`, its secrets read; none (and `d` failed, saying why) when one is
/// not set or does not hold an address, or an email cannot be made.
fn prepare(
    channel: &Channel,
    event: &Event,
    page: &wheelhouse_status::StatusPage,
    secret: &dyn Fn(&str) -> Result<Option<String>>,
    d: &mut Delivery,
) -> Result<Option<Outgoing>> {
    let mut fail = |why: String| {
        d.outcome = DeliveryOutcome::Failed;
        d.error = Some(why);
        Ok(None)
    };
    let body = match notify::message(channel, event, page) {
        notify::Message::Email(email) => {
            let address = match address_of(
                channel,
                secret,
                notify::check_smtp_url,
                "a mail server's address (smtp://user:password@host:587 or smtps://…)",
            )? {
                Ok(a) => a,
                Err(why) => return fail(why),
            };
            let server = match crate::smtp::server_of(&address) {
                Ok(s) => s,
                Err(why) => return fail(format!("the mail server's address: {why}")),
            };
            let Some(mailing) = &channel.email else {
                return fail("an email channel names no sender and recipients".into());
            };
            return match crate::smtp::message(mailing, &email, &d.message_id) {
                Ok(m) => Ok(Some(Outgoing::Mail(server, Box::new(m)))),
                Err(why) => fail(why),
            };
        }
        notify::Message::Post(json) => serde_json::to_vec(&json).expect("payloads serialize"),
    };
    let url = match address_of(
        channel,
        secret,
        notify::check_url,
        "a webhook's address (https://…)",
    )? {
        Ok(u) => u,
        Err(why) => return fail(why),
    };
    let signature = match &channel.signing_secret {
        Some(name) => match secret(name)? {
            Some(key) => Some(signature_header(key.as_bytes(), &body)),
            None => return fail(missing_secret(name)),
        },
        None => None,
    };
    let event = event.kind.wire_name();
    Ok(Some(Outgoing::Post(Post {
        url,
        body,
        signature,
        event,
    })))
}

/// `channel`'s address: as written, or its secret's, checked by `check`; or why not, in words.
/// A secret's words are never repeated (they may hold a token or a login): a failure names the
/// secret and what it should hold (`expected`).
fn address_of(
    channel: &Channel,
    secret: &dyn Fn(&str) -> Result<Option<String>>,
    check: fn(&str) -> std::result::Result<String, String>,
    expected: &str,
) -> Result<std::result::Result<String, String>> {
    Ok(match &channel.address {
        Address::Url(u) => Ok(u.clone()),
        Address::Secret(name) => match secret(name)? {
            Some(u) => {
                check(u.trim()).map_err(|_| format!("the secret `{name}` does not hold {expected}"))
            }
            None => Err(missing_secret(name)),
        },
    })
}

/// What to do about a secret that is not set.
fn missing_secret(name: &str) -> String {
    format!(
        "the secret `{name}` is not set: set WHEELHOUSE_SECRET_{} or store it with `wheelhouse status secret set {name}`",
        env_name(name)
    )
}

/// Posts `p`, trying again with back-off on a network error, 408, 425, 429 or 5xx.
fn post(agent: &ureq::Agent, p: &Post, retry: Retry, d: &mut Delivery) {
    let url = &p.url;
    let mut delay = retry.first_delay;
    for attempt in 1..=retry.attempts.max(1) {
        d.attempts = attempt;
        let mut req = agent
            .post(url)
            .header("Content-Type", "application/json")
            .header(
                "User-Agent",
                concat!("wheelhouse/", env!("CARGO_PKG_VERSION")),
            )
            .header("Idempotency-Key", &d.message_id)
            .header("X-Wheelhouse-Delivery", &d.message_id)
            .header("X-Wheelhouse-Event", p.event);
        if let Some(sig) = &p.signature {
            req = req.header("X-Wheelhouse-Signature", sig);
        }
        let (again, wait) = match req.send(&p.body[..]) {
            Ok(response) => {
                let status = response.status().as_u16();
                d.status = Some(status);
                if (200..300).contains(&status) {
                    d.outcome = DeliveryOutcome::Delivered;
                    d.error = None;
                    return;
                }
                d.error = Some(format!("{} answered HTTP {status}", host_of(url)));
                let retry_after = response
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(|s| Duration::from_secs(s.min(60)));
                (
                    matches!(status, 408 | 425 | 429) || status >= 500,
                    retry_after,
                )
            }
            Err(e) => {
                // The address may hold a secret (Slack's does): name the host only.
                d.error = Some(format!(
                    "{} could not be reached: {}",
                    host_of(url),
                    transport_reason(&e, url)
                ));
                (true, None)
            }
        };
        if !again || attempt == retry.attempts.max(1) {
            break;
        }
        std::thread::sleep(wait.unwrap_or(delay));
        delay = delay.saturating_mul(2);
    }
    d.outcome = DeliveryOutcome::Failed;
}

fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str().map(|h| match u.port() {
                Some(p) => format!("{h}:{p}"),
                None => h.to_owned(),
            })
        })
        .unwrap_or_else(|| "the channel".into())
}

/// Why a request failed, without the address (which may be a secret).
fn transport_reason(e: &ureq::Error, url: &str) -> String {
    match e {
        ureq::Error::Timeout(_) => "it did not answer in time".into(),
        ureq::Error::ConnectionFailed => "the connection was refused".into(),
        ureq::Error::HostNotFound => "its name does not resolve".into(),
        ureq::Error::Io(io) => io.kind().to_string(),
        other => other.to_string().replace(url, &host_of(url)),
    }
}

/// `slack-ops` → `SLACK_OPS`: the environment variable `WHEELHOUSE_SECRET_SLACK_OPS`.
pub fn env_name(secret: &str) -> String {
    secret.to_uppercase().replace('-', "_")
}

/// The keyring's "host" for channel secrets (the secret's name is its user).
pub const SECRET_HOST: &str = "status-page";

/// A channel secret: `WHEELHOUSE_SECRET_<NAME>` when set (CI), else the keyring's.
pub fn channel_secret(
    store: &wheelhouse_secrets::CredentialStore,
    name: &str,
) -> Result<Option<String>> {
    if let Ok(value) = std::env::var(format!("WHEELHOUSE_SECRET_{}", env_name(name))) {
        if !value.is_empty() {
            return Ok(Some(value));
        }
    }
    Ok(store
        .get(
            wheelhouse_secrets::CredentialKind::ChannelSecret,
            SECRET_HOST,
            name,
        )?
        .map(|s| s.expose().to_owned()))
}

/// A channel of `subscribers.yaml` with its last recorded delivery, as the status screen lists it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ChannelState {
    pub name: String,
    pub kind: String,
    pub components: Vec<String>,
    pub last: Option<DeliveryRecord>,
}

/// The subscribers as committed at HEAD, each channel's last delivery, and how many committed
/// updates are not told yet.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SubscribersView {
    /// `status/subscribers.yaml`.
    pub path: String,
    /// Whether HEAD has the file.
    pub exists: bool,
    pub channels: Vec<ChannelState>,
    /// Updates since [`default_since`] that some channel wants and has not been told.
    pub pending: usize,
    /// Why the page or the file cannot be read, in words.
    pub problem: Option<String>,
}

/// The commit a notify without `--since` starts after: the nearest commit (HEAD's first-parent
/// line) whose deliveries are recorded, else the one that added `subscribers.yaml` (what came
/// before anyone subscribed is not news); none when HEAD's history has no subscribers file.
pub fn default_since(repo: &Repository, head: &str) -> Result<Option<String>> {
    let git = git2::Repository::open(repo.root())
        .map_err(|e| Problem::new(ErrorCode::Git, e.message().to_owned()))?;
    let err = |e: git2::Error| Problem::new(ErrorCode::Git, e.message().to_owned());
    let head = repo.source_commit(head)?;
    let folder = crate::committed::folder_at(repo, &head.id)?;
    let path = std::path::PathBuf::from(format!("{folder}/{SUBSCRIBERS_FILE}"));
    let mut commit = git
        .find_commit(git2::Oid::from_str(&head.id).map_err(err)?)
        .map_err(err)?;
    loop {
        if git.find_note(Some(NOTES_REF), commit.id()).is_ok() {
            return Ok(Some(commit.id().to_string()));
        }
        let has = commit.tree().map_err(err)?.get_path(&path).is_ok();
        let parent = commit.parent(0).ok();
        let parent_has = match &parent {
            Some(p) => p.tree().map_err(err)?.get_path(&path).is_ok(),
            None => false,
        };
        if has && !parent_has {
            return Ok(Some(commit.id().to_string()));
        }
        match parent {
            Some(p) => commit = p,
            None => return Ok(None),
        }
    }
}

/// `subscribers.yaml` of the status folder `folder` at `rev`: its path, and its text when
/// the commit has it.
fn subscribers_at(repo: &Repository, rev: &str, folder: &str) -> Result<(String, Option<String>)> {
    crate::committed::status_file_at(repo, rev, folder, SUBSCRIBERS_FILE)
}

/// The channels `text` (the file at `path`) lists, checked against `page`; refused at its
/// first mistake, located.
fn channels_of(
    text: &str,
    page: &wheelhouse_status::StatusPage,
    folder: &str,
    path: &str,
) -> Result<Vec<Channel>> {
    notify::parse_subscribers(text, page)
        .map_err(|errors| crate::committed::first_error(errors, folder, path))
}

/// The status screen's view of the subscribers ([`SubscribersView`]).
pub fn subscribers_view(repo: &Repository) -> Result<SubscribersView> {
    let head = repo.source_commit("HEAD")?;
    let folder = crate::committed::folder_at(repo, &head.id)?;
    let (path, text) = subscribers_at(repo, &head.id, &folder)?;
    let mut view = SubscribersView {
        path: path.clone(),
        exists: text.is_some(),
        channels: Vec::new(),
        pending: 0,
        problem: None,
    };
    let Some(text) = text else {
        return Ok(view);
    };
    let after = match page_at(repo, &head.id) {
        Ok((_, page)) => page,
        Err(p) => {
            view.problem = Some(p.to_string());
            return Ok(view);
        }
    };
    let channels = match channels_of(&text, &after, &folder, &path) {
        Ok(c) => c,
        Err(p) => {
            view.problem = Some(p.to_string());
            return Ok(view);
        }
    };
    let git = git2::Repository::open(repo.root())
        .map_err(|e| Problem::new(ErrorCode::Git, e.message().to_owned()))?;
    let records = records(&git)?;
    view.channels = channels
        .iter()
        .map(|c| ChannelState {
            name: c.name.clone(),
            kind: c.kind.as_str().to_owned(),
            components: c.components.clone(),
            last: records
                .iter()
                .filter(|r| r.channel == c.name)
                .max_by(|a, b| a.at.cmp(&b.at))
                .cloned(),
        })
        .collect();
    if let Some(since) = default_since(repo, &head.id)? {
        let before = match page_at(repo, &since) {
            Ok((_, page)) => Some(page),
            Err(_) => None,
        };
        let done: BTreeSet<(String, String)> = records
            .iter()
            .filter(|r| r.outcome == DeliveryOutcome::Delivered)
            .map(|r| (r.event.clone(), r.channel.clone()))
            .collect();
        view.pending = notify::events(before.as_ref(), &after)
            .iter()
            .filter(|e| {
                channels
                    .iter()
                    .any(|c| notify::wants(c, e) && !done.contains(&(e.id.clone(), c.name.clone())))
            })
            .count();
    }
    Ok(view)
}

/// Sends a test message to `channel` (as committed at HEAD): not an update, not recorded.
pub fn test_notification(
    repo: &Repository,
    channel: &str,
    secret: &dyn Fn(&str) -> Result<Option<String>>,
    timeout: Duration,
    smtp_ca: Option<&[u8]>,
    now: i64,
) -> Result<Delivery> {
    let head = repo.source_commit("HEAD")?;
    let (folder, after) = page_at(repo, &head.id)?;
    let (path, text) = subscribers_at(repo, &head.id, &folder)?;
    let channels = channels_of(text.as_deref().unwrap_or_default(), &after, &folder, &path)?;
    let Some(channel) = channels.into_iter().find(|c| c.name == channel) else {
        return Err(Problem::new(
            ErrorCode::NotFound,
            format!("there is no channel `{channel}` in {path} as committed"),
        ));
    };
    let at = wheelhouse_status::Timestamp::from_second(now).unwrap_or_default();
    let event = Event {
        id: format!("test/{now}"),
        kind: notify::EventKind::IncidentUpdated,
        slug: "test".into(),
        title: format!("Test message from Wheelhouse to {}", channel.name),
        status: "test".into(),
        status_label: "Test".into(),
        impact: "none".into(),
        impact_label: "None".into(),
        body: format!(
            "This is a test of the channel `{}` of {}: there is no incident.",
            channel.name, after.page.name
        ),
        at: at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        window: None,
        components: Vec::new(),
        updates: Vec::new(),
        url: after.page.url.clone(),
    };
    let mut d = Delivery {
        event: event.id.clone(),
        channel: channel.name.clone(),
        kind: channel.kind.as_str().to_owned(),
        message_id: message_id(&event.id, &channel.name),
        headline: notify::headline(&event),
        outcome: DeliveryOutcome::WouldSend,
        attempts: 0,
        status: None,
        error: None,
    };
    if let Some(p) = prepare(&channel, &event, &after, secret, &mut d)? {
        let once = Retry {
            attempts: 1,
            first_delay: Duration::ZERO,
        };
        let agent = agent(timeout);
        let link = Link {
            agent: &agent,
            timeout,
            smtp_ca,
        };
        deliver(&link, &p, once, &mut d);
    }
    Ok(d)
}

/// Whether `rev` has a `subscribers.yaml` in its status folder.
pub fn has_subscribers(repo: &Repository, rev: &str) -> Result<bool> {
    let folder = crate::committed::folder_at(repo, rev)?;
    Ok(subscribers_at(repo, rev, &folder)?.1.is_some())
}
