//! Running the monitors of `monitors.yaml` (as committed at HEAD): HTTP(S), TCP, TLS and DNS
//! checks, a bounded number at once, each judged by its conditions; the results added to the
//! history kept on its own branch, `status-history` (one file per month and `state.tsv`), so
//! that measurements never wait for a review nor crowd the project's log, and travel like any
//! branch. A branch that moved elsewhere (CI and a teammate both checking) is merged hour by
//! hour, never forced.

use crate::committed::{first_error, folder_at, page_at, status_file_at};
use crate::{ErrorCode, Problem, Result};
use serde::Serialize;
use std::collections::BTreeMap;
use std::net::{SocketAddr, TcpStream, ToSocketAddrs, UdpSocket};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use ts_rs::TS;
use wheelhouse_repo::network::Network;
use wheelhouse_repo::Repository;
use wheelhouse_status::monitor::history::{self, History, MonitorState, Transition};
use wheelhouse_status::monitor::{self, Monitor, MonitorKind, Observation, MONITORS_FILE};
use wheelhouse_status::Timestamp;

/// The branch the history is committed to.
pub const HISTORY_BRANCH: &str = "status-history";
/// The history's file of where each monitor stands.
pub const STATE_FILE: &str = "state.tsv";

#[derive(Debug, Clone)]
pub struct MonitorRequest {
    /// Only this monitor.
    pub only: Option<String>,
    /// Check and show; record nothing.
    pub dry_run: bool,
    /// Checks in flight at once.
    pub concurrency: usize,
    /// PEM certificates trusted for TLS checks besides the system's (`--ca`).
    pub trust: Option<Vec<u8>>,
    /// Only the monitors whose interval has passed since their last recorded check (a loop's
    /// tick); else every monitor.
    pub due_only: bool,
}

impl Default for MonitorRequest {
    fn default() -> Self {
        MonitorRequest {
            only: None,
            dry_run: false,
            concurrency: 32,
            trust: None,
            due_only: false,
        }
    }
}

/// One condition as judged.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ConditionResult {
    pub ok: bool,
    /// `[STATUS] (503) == 200`.
    pub shown: String,
}

/// One monitor's check.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CheckResult {
    pub monitor: String,
    pub component: String,
    pub kind: MonitorKind,
    pub url: String,
    pub ok: bool,
    pub response_ms: Option<u64>,
    pub conditions: Vec<ConditionResult>,
    /// Why nothing was connected or read.
    pub error: Option<String>,
    /// Where the monitor stands after this check (thresholds applied).
    pub state: MonitorState,
    pub transition: Transition,
}

/// A change a run drafted for people to review: an incident opened for a monitor that went
/// down, or the resolution of that incident when it came back. Never merged by the run.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Draft {
    pub monitor: String,
    /// `incident` or `resolution`.
    pub kind: String,
    /// The change's branch (`change/monitor-api-health-down`).
    pub branch: String,
    pub commit: String,
    /// The incident's slug.
    pub incident: String,
    /// Pushed to the remote, where the team sees it.
    pub pushed: bool,
    /// The merge commit, when the policy auto-approved the draft and it was merged (then
    /// pushed, and the subscribers told, as a merge from Reviews does).
    pub merged: Option<String>,
}

/// What one run checked and recorded.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MonitorRun {
    /// When the run started, RFC 3339.
    pub at: String,
    pub checks: Vec<CheckResult>,
    /// Changes drafted for monitors that went down or came back.
    pub drafts: Vec<Draft>,
    /// Why a change could not be drafted or pushed (the run is recorded all the same).
    pub draft_error: Option<String>,
    /// The history commit made; none for a dry run (or when nothing was recorded).
    pub history_commit: Option<String>,
    /// Why the history could not be fetched from or pushed to the remote (it is kept here).
    pub record_error: Option<String>,
    /// A loop's round whose results are held, to be recorded with a later round's (at most
    /// [`RECORD_EVERY_SECONDS`] later, at once when a monitor goes down or comes back).
    pub held: bool,
}

impl MonitorRun {
    pub fn failing(&self) -> usize {
        self.checks.iter().filter(|c| !c.ok).count()
    }
}

/// The monitors of `monitors.yaml` at `rev`, checked against the page there; none when the
/// file is absent.
pub fn monitors_at(repo: &Repository, rev: &str) -> Result<Vec<Monitor>> {
    let folder = folder_at(repo, rev)?;
    let (path, text) = status_file_at(repo, rev, &folder, MONITORS_FILE)?;
    let Some(text) = text else {
        return Ok(Vec::new());
    };
    let (_, page) = page_at(repo, rev)?;
    monitors_of(&text, &page, &folder, &path)
}

/// The monitors `text` (the file at `path`) lists, checked against `page`; refused at its
/// first mistake, located.
fn monitors_of(
    text: &str,
    page: &wheelhouse_status::StatusPage,
    folder: &str,
    path: &str,
) -> Result<Vec<Monitor>> {
    monitor::parse_monitors(text, page).map_err(|errors| first_error(errors, folder, path))
}

/// How long a loop of runs may hold what it checked before recording it: a loop (`--watch`,
/// the app's Keep checking) checks each monitor at its interval but commits the history at
/// most this often — and at once when a monitor goes down or comes back — so a day of rounds
/// writes a hundred commits' worth of objects, not one per minute.
pub const RECORD_EVERY_SECONDS: i64 = 15 * 60;

/// What a loop of runs checked and has not recorded yet, carried from one round to the next
/// ([`run_in_loop`]); [`record_held`] records it (when the loop stops).
#[derive(Debug, Clone, Default)]
pub struct Held {
    /// Each check not yet recorded: monitor, when, passed, milliseconds.
    checks: Vec<(String, Timestamp, bool, Option<u64>)>,
    /// Where each monitor stands after the last round.
    states: BTreeMap<String, MonitorState>,
    /// When the first round not recorded ran; none: nothing held.
    since: Option<Timestamp>,
}

impl Held {
    /// When the first round not yet recorded ran.
    pub fn since(&self) -> Option<Timestamp> {
        self.since
    }

    /// Where each monitor stands after the last round held.
    pub fn states(&self) -> Vec<MonitorState> {
        self.states.values().cloned().collect()
    }
}

/// Checks every monitor once (or the one `request` names), records the results on the history
/// branch (fetched first and pushed after, given `net`), and says what each saw.
pub fn run(
    repo: &Repository,
    request: &MonitorRequest,
    net: Option<&mut Network<'_>>,
    secret: &dyn Fn(&str) -> Result<Option<String>>,
    now: Timestamp,
) -> Result<MonitorRun> {
    run_held(repo, request, net, secret, now, None)
}

/// One round of a loop: as [`run`], except that what it checked is held in `held` rather than
/// recorded, until a monitor goes down or comes back or the first round held is
/// [`RECORD_EVERY_SECONDS`] old — then everything held is recorded at once (and `held`
/// emptied). A round that records nothing touches no branch and no remote.
pub fn run_in_loop(
    repo: &Repository,
    request: &MonitorRequest,
    net: Option<&mut Network<'_>>,
    secret: &dyn Fn(&str) -> Result<Option<String>>,
    now: Timestamp,
    held: &mut Held,
) -> Result<MonitorRun> {
    run_held(repo, request, net, secret, now, Some(held))
}

/// Records what `held` holds, as a round that records would (when a loop stops); the commit
/// made, none when it held nothing. Why the remote was not reached is an error (the results are
/// recorded here all the same).
pub fn record_held(
    repo: &Repository,
    net: Option<&mut Network<'_>>,
    held: &mut Held,
    now: Timestamp,
) -> Result<Option<String>> {
    if held.since.is_none() {
        return Ok(None);
    }
    let held = std::mem::take(held);
    let (commit, error) = record(
        repo,
        net,
        &held.checks,
        &held.states,
        "results held by a loop".into(),
        now,
    )?;
    match error {
        Some(e) => Err(Problem::new(ErrorCode::RemoteUnreachable, e)),
        None => Ok(commit),
    }
}

fn run_held(
    repo: &Repository,
    request: &MonitorRequest,
    net: Option<&mut Network<'_>>,
    secret: &dyn Fn(&str) -> Result<Option<String>>,
    now: Timestamp,
    held: Option<&mut Held>,
) -> Result<MonitorRun> {
    let head = repo.source_commit("HEAD")?;

    let mut monitors = monitors_at(repo, &head.id)?;
    if let Some(name) = &request.only {
        monitors.retain(|m| &m.name == name);
        if monitors.is_empty() {
            return Err(Problem::new(
                ErrorCode::NotFound,
                format!("there is no monitor `{name}` in {MONITORS_FILE} as committed"),
            ));
        }
    }
    let mut net = net;
    // Where each monitor stands here: the branch as last fetched, then what the loop holds.
    // The remote is fetched only to record, and what is recorded is added to its history then.
    let mut states = branch_states(repo)?;
    if let Some(h) = held.as_deref() {
        later_states(&mut states, &h.states);
    }
    let mut recorded = Vec::new();
    if request.due_only {
        monitors.retain(|m| is_due(m, states.get(&m.name), now));
    }
    let observations = check_all(
        &monitors,
        request.concurrency,
        request.trust.as_deref(),
        now,
    );
    let mut checks = Vec::new();
    for (m, seen) in monitors.iter().zip(observations) {
        let (ok, verdicts) = monitor::judge(m, &seen);
        let reason = (!ok).then(|| {
            seen.error.clone().unwrap_or_else(|| {
                verdicts
                    .iter()
                    .filter(|v| !v.ok)
                    .map(|v| v.shown.clone())
                    .collect::<Vec<_>>()
                    .join("; ")
            })
        });
        recorded.push((m.name.clone(), now, ok, seen.response_ms));
        let (state, transition) =
            history::step(states.get(&m.name), m, ok, seen.response_ms, reason, now);
        states.insert(m.name.clone(), state.clone());
        checks.push(CheckResult {
            monitor: m.name.clone(),
            component: m.component.clone(),
            kind: m.kind,
            url: m.url.clone(),
            ok,
            response_ms: seen.response_ms,
            conditions: verdicts
                .into_iter()
                .map(|v| ConditionResult {
                    ok: v.ok,
                    shown: v.shown,
                })
                .collect(),
            error: seen.error,
            state,
            transition,
        });
    }
    let mut done = MonitorRun {
        at: now.to_string(),
        checks,
        drafts: Vec::new(),
        draft_error: None,
        history_commit: None,
        record_error: None,
        held: false,
    };
    if request.dry_run || done.checks.is_empty() {
        return Ok(done);
    }
    let changed = done.checks.iter().any(|c| c.transition != Transition::None);
    let mut checks = recorded;
    if let Some(h) = held {
        let since = h.since.unwrap_or(now);
        h.checks.append(&mut checks);
        h.states = states;
        if !changed && (now - since).get_seconds() < RECORD_EVERY_SECONDS {
            h.since = Some(since);
            done.held = true;
            return Ok(done);
        }
        let all = std::mem::take(h);
        checks = all.checks;
        states = all.states;
    }
    let failing: Vec<&str> = done
        .checks
        .iter()
        .filter(|c| !c.ok)
        .map(|c| c.monitor.as_str())
        .collect();
    let outcome = if failing.is_empty() {
        format!("{} checked, all up", done.checks.len())
    } else {
        format!(
            "{} checked, {} failing ({})",
            done.checks.len(),
            failing.len(),
            failing.join(", ")
        )
    };
    let (commit, record_error) = record(repo, net.as_deref_mut(), &checks, &states, outcome, now)?;
    done.history_commit = commit;
    done.record_error = record_error;
    match draft_changes(repo, &head.id, &monitors, &done.checks, now) {
        Ok(drafts) => done.drafts = drafts,
        Err(e) => done.draft_error = Some(e.to_string()),
    }
    if !done.drafts.is_empty() {
        if let Err(e) = merge_auto_approved(repo, &mut done.drafts, net.as_deref_mut(), secret, now)
        {
            done.draft_error = Some(e.to_string());
        }
    }
    if let (Some(net), Ok(remote)) = (net, repo.publish_remote()) {
        for d in done.drafts.iter_mut().filter(|d| d.merged.is_none()) {
            match repo.push_branch(&remote, &d.branch, net) {
                Ok(()) => d.pushed = true,
                Err(e) => {
                    done.draft_error = Some(format!(
                        "{} was drafted here but not pushed to {remote}: {e}",
                        d.branch
                    ))
                }
            }
        }
    }
    Ok(done)
}

/// Merges each draft whose verdict is ready *because the policy auto-approves it*: at least one
/// rule applies and every rule that applies was auto-approved or asks for nobody. A draft that
/// needs people (or that no rule covers) stays a change for them.
fn merge_auto_approved(
    repo: &Repository,
    drafts: &mut [Draft],
    mut net: Option<&mut Network<'_>>,
    secret: &dyn Fn(&str) -> Result<Option<String>>,
    now: Timestamp,
) -> Result<()> {
    let target = crate::review::target_branch(repo, None);
    for d in drafts.iter_mut() {
        let reviews = crate::review::changes(repo, &target, now.as_second())?;
        let Some(review) = reviews.iter().find(|r| r.change.name == d.branch) else {
            continue;
        };
        let rules = &review.verdict.rules;
        let automatic = review.verdict.allows_merge()
            && rules.iter().any(|r| r.auto_approved_by.is_some())
            && rules
                .iter()
                .all(|r| r.auto_approved_by.is_some() || r.required == 0);
        if !automatic {
            continue;
        }
        let outcome = crate::review::merge(
            repo,
            &d.branch,
            &target,
            now.as_second(),
            net.as_deref_mut(),
            secret,
        )
        .map_err(|e| {
            Problem::new(
                e.code,
                format!(
                    "the policy auto-approves {}, but it could not be merged (it waits as a change): {}",
                    d.branch, e.message
                ),
            )
        })?;
        d.merged = Some(outcome.commit.id.clone());
        d.pushed = outcome.pushed;
    }
    Ok(())
}

/// How a drafted incident names its monitor in its first update: how its resolution finds it.
fn marker(monitor: &str) -> String {
    format!("monitor `{monitor}`")
}

/// Drafts a change for each monitor that went down (a new incident, investigating, its
/// component at the monitor's impact) or came back (the resolution of the incident drafted for
/// it, once merged), each on its own branch from `head`.
fn draft_changes(
    repo: &Repository,
    head: &str,
    monitors: &[Monitor],
    checks: &[CheckResult],
    now: Timestamp,
) -> Result<Vec<Draft>> {
    use wheelhouse_status::edit::{plan, NewIncident, StatusEdit};
    use wheelhouse_status::{ComponentChange, ComponentStatus, Impact, IncidentStatus};
    let changed: Vec<(&CheckResult, &Monitor)> = checks
        .iter()
        .filter(|c| c.transition != Transition::None)
        .filter_map(|c| {
            monitors
                .iter()
                .find(|m| m.name == c.monitor)
                .map(|m| (c, m))
        })
        .collect();
    if changed.is_empty() {
        return Ok(Vec::new());
    }
    let (folder, page) = page_at(repo, head)?;
    let prefix = format!("{folder}/");
    let files = repo.files_at(head, |p| p.starts_with(&prefix))?;
    let files = wheelhouse_status::fs::folder_of_files(&files, &folder)?;
    let open_for = |m: &Monitor| {
        page.incidents.iter().find(|i| {
            i.resolved_at.is_none()
                && i.updates
                    .first()
                    .is_some_and(|u| u.body.contains(&marker(&m.name)))
        })
    };
    let when = |rfc: &str| {
        rfc.parse::<Timestamp>()
            .map(|t| t.strftime("%H:%M UTC on %-d %b").to_string())
            .unwrap_or_else(|_| rfc.to_owned())
    };
    let mut out = Vec::new();
    for (check, m) in changed {
        let component = page
            .component(&m.component)
            .map_or(m.component.clone(), |c| c.name.clone());
        let (kind, edit, branch, known_slug) = match check.transition {
            Transition::WentDown => {
                if open_for(m).is_some() {
                    continue; // already open on the target: nothing new to say
                }
                let impact = match m.impact {
                    ComponentStatus::MajorOutage => Impact::Major,
                    _ => Impact::Minor,
                };
                let reason = check.state.reason.clone().unwrap_or_default();
                let body = format!(
                    "We are investigating failures of {component}: our {} has failed {} checks in a row since {}.\n\nWhat it saw: {reason}",
                    marker(&m.name),
                    m.failure_threshold,
                    when(&check.state.since)
                );
                let edit = StatusEdit::NewIncident(NewIncident {
                    title: format!("{component} is failing"),
                    status: Some(IncidentStatus::Investigating),
                    impact: Some(impact),
                    components: vec![ComponentChange {
                        id: m.component.clone(),
                        status: m.impact,
                    }],
                    body,
                    template: None,
                    started_at: Some(check.state.since.clone()),
                });
                (
                    "incident",
                    edit,
                    format!("change/monitor-{}-down", m.name),
                    None,
                )
            }
            Transition::CameUp => {
                let Some(incident) = open_for(m) else {
                    continue; // the drafted incident was never merged: nothing to resolve
                };
                let body = format!(
                    "{component} is working again: our {} has passed {} checks in a row since {}.",
                    marker(&m.name),
                    m.success_threshold,
                    when(&check.state.since)
                );
                let edit = StatusEdit::ResolveIncident {
                    slug: incident.slug.clone(),
                    at: None,
                    body: Some(body),
                };
                (
                    "resolution",
                    edit,
                    format!("change/monitor-{}-resolved", m.name),
                    Some(incident.slug.clone()),
                )
            }
            Transition::None => continue,
        };
        let changes = plan(&files, &edit, now).map_err(|e| {
            Problem::new(
                ErrorCode::InvalidInput,
                format!(
                    "the {kind} for monitor `{}` could not be drafted: {e}",
                    m.name
                ),
            )
        })?;
        let Some(first) = changes.first() else {
            continue;
        };
        let slug = known_slug.unwrap_or_else(|| {
            first
                .path
                .trim_start_matches("incidents/")
                .trim_end_matches(".md")
                .to_owned()
        });
        let contents: Vec<(String, String)> = changes
            .iter()
            .map(|c| (format!("{folder}/{}", c.path), c.after.clone()))
            .collect();
        let message = if kind == "incident" {
            format!(
                "Incident: {component} is failing\n\nDrafted by `wheelhouse status monitor`: {} went down at {}. Review the words before merging.",
                m.name, check.state.since
            )
        } else {
            format!(
                "Resolve {slug}\n\nDrafted by `wheelhouse status monitor`: {} came back at {}.",
                m.name, check.state.since
            )
        };
        let (branch, commit) = repo.draft_to_new_branch(&branch, &contents, &message)?;
        out.push(Draft {
            monitor: m.name.clone(),
            kind: kind.to_owned(),
            branch,
            commit: commit.id,
            incident: slug,
            pushed: false,
            merged: None,
        });
    }
    Ok(out)
}

/// The history as recorded last — the branch here, or the remote's copy when that is ahead —
/// with the months from `since` on (parsed and merged); none before the first record.
pub fn recorded_history(
    repo: &Repository,
    since: jiff::civil::Date,
) -> Result<Option<(String, History)>> {
    let ours = repo
        .source_commit(&format!("refs/heads/{HISTORY_BRANCH}"))
        .ok();
    let theirs = repo.publish_remote().ok().and_then(|r| {
        repo.source_commit(&format!("refs/remotes/{r}/{HISTORY_BRANCH}"))
            .ok()
    });
    let tip = match (ours, theirs) {
        (None, None) => return Ok(None),
        (Some(o), None) => o.id,
        (None, Some(t)) => t.id,
        (Some(o), Some(t)) => {
            if repo.descends_from(&t.id, &o.id)? {
                t.id
            } else {
                o.id
            }
        }
    };
    let first = history::month_of(since);
    let files = repo.files_at(&tip, |p| {
        p.strip_suffix(".tsv")
            .is_some_and(|m| !p.contains('/') && m.len() == 7 && m >= first.as_str())
    })?;
    let mut hist = History::default();
    for (name, bytes) in files {
        let month = History::parse(&String::from_utf8_lossy(&bytes))
            .map_err(|(line, why)| bad_history(&name, line, &why))?;
        hist.merge(&month);
    }
    Ok(Some((tip, hist)))
}

/// The history recorded over the page's uptime window as of `now` (what the bars and charts
/// draw from); none before the first record.
pub fn recorded_window(repo: &Repository, now: Timestamp) -> Result<Option<History>> {
    Ok(recorded_history(repo, monitor::window_since(now))?.map(|(_, h)| h))
}

/// Records `checks` and `states` on the history branch: the remote's branch fetched first (and
/// merged with this clone's when both moved), the checks added to its month files, the states
/// set where they are later, the day's commit replaced, pushed with a lease (given `net`). The
/// commit made (none when nothing changed) and why the remote was not reached.
fn record(
    repo: &Repository,
    net: Option<&mut Network<'_>>,
    checks: &[(String, Timestamp, bool, Option<u64>)],
    states: &BTreeMap<String, MonitorState>,
    outcome: String,
    now: Timestamp,
) -> Result<(Option<String>, Option<String>)> {
    let remote = repo.publish_remote().ok();
    let mut net = net;
    let mut record_error = None;
    if let (Some(net), Some(remote)) = (net.as_deref_mut(), remote.as_deref()) {
        let spec = format!("+refs/heads/{HISTORY_BRANCH}:refs/remotes/{remote}/{HISTORY_BRANCH}");
        if let Err(e) = repo.fetch_refspecs_from(remote, &[spec.as_str()], net) {
            record_error = Some(format!(
                "the history could not be fetched from {remote}: {e}"
            ));
        }
    }
    // What the remote's branch is as fetched: the push below goes only while it still is.
    let fetched = remote.as_deref().and_then(|r| {
        repo.source_commit(&format!("refs/remotes/{r}/{HISTORY_BRANCH}"))
            .ok()
            .map(|c| c.id)
    });
    let mut files = history_files(repo, remote.as_deref())?;
    let mut months: BTreeMap<String, History> = BTreeMap::new();
    for (monitor, at, ok, ms) in checks {
        let month = history::month_at(*at);
        let file = format!("{month}.tsv");
        if !months.contains_key(&month) {
            let hist = match files.get(&file) {
                Some(bytes) => History::parse(&String::from_utf8_lossy(bytes))
                    .map_err(|(line, why)| bad_history(&file, line, &why))?,
                None => History::default(),
            };
            months.insert(month.clone(), hist);
        }
        months
            .get_mut(&month)
            .expect("inserted above")
            .record(monitor, *at, *ok, *ms);
    }
    for (month, hist) in &months {
        files.insert(
            format!("{month}.tsv"),
            hist.render_month(month).into_bytes(),
        );
    }
    // Where each monitor stands: ours, unless the remote's was checked later (a tie is ours:
    // this run's check comes after what it read).
    let mut standing = match files.get(STATE_FILE) {
        Some(bytes) => history::parse_states(&String::from_utf8_lossy(bytes))
            .map_err(|(line, why)| bad_history(STATE_FILE, line, &why))?
            .into_iter()
            .map(|s| (s.monitor.clone(), s))
            .collect(),
        None => BTreeMap::new(),
    };
    for (name, s) in states {
        if standing
            .get(name)
            .is_none_or(|have: &MonitorState| have.checked_at <= s.checked_at)
        {
            standing.insert(name.clone(), s.clone());
        }
    }
    let list: Vec<MonitorState> = standing.into_values().collect();
    files.insert(
        STATE_FILE.to_owned(),
        history::render_states(&list).into_bytes(),
    );
    // One commit a day (UTC): a run replaces the day's commit with one holding everything it
    // held and this run's results, so a year of one-minute checks is 365 commits, not 525,600.
    let day = day_prefix(now);
    let message = format!("{day} last run at {}: {outcome}", now.strftime("%H:%M UTC"));
    let commit = repo.commit_pages_replacing(
        HISTORY_BRANCH,
        remote.as_deref(),
        &files,
        &message,
        &|m: &str| m.starts_with(&day),
    )?;
    if let (Some(net), Some(remote)) = (net, remote.as_deref()) {
        if record_error.is_none() {
            if let Err(e) = repo.push_branch_leased(remote, HISTORY_BRANCH, fetched.as_deref(), net)
            {
                record_error = Some(format!(
                    "the history was kept here but not pushed to {remote}: {e}"
                ));
            }
        }
    }
    Ok((commit.commit, record_error))
}

/// How the history commit of `now`'s day (UTC) begins its message: `Monitors, 2026-12-07:`.
fn day_prefix(now: Timestamp) -> String {
    format!("Monitors, {}:", now.strftime("%Y-%m-%d"))
}

/// Puts what the monitors listed at `rev` measured, as last recorded, into `page` (`rev`'s
/// page, loaded by the caller: the uptime bars' down stretches and the response-time charts)
/// as of `now`; the history commit read (none: nothing measured).
pub fn measure(
    repo: &Repository,
    rev: &str,
    page: &mut wheelhouse_status::StatusPage,
    now: Timestamp,
) -> Result<Option<String>> {
    let folder = folder_at(repo, rev)?;
    let monitors = match status_file_at(repo, rev, &folder, MONITORS_FILE)? {
        (path, Some(text)) => monitors_of(&text, page, &folder, &path)?,
        (_, None) => Vec::new(),
    };
    if monitors.is_empty() {
        return Ok(None);
    }
    // The charts reach a week back; the bars, the uptime window.
    let Some((tip, hist)) = recorded_history(repo, monitor::window_since(now))? else {
        return Ok(None);
    };
    monitor::apply(page, &monitors, &hist, now);
    Ok(Some(tip))
}

/// Whether `m`'s interval has passed since its last recorded check (`state`).
pub fn is_due(m: &Monitor, state: Option<&MonitorState>, now: Timestamp) -> bool {
    let Some(last) = state.and_then(|s| s.checked_at.parse::<Timestamp>().ok()) else {
        return true;
    };
    now.as_second() - last.as_second() >= m.interval as i64
}

/// Seconds until the first monitor committed at HEAD is due again, as of `now` (at least 1; a
/// minute when there are none), counting the checks a loop `held` too: how long a loop of due
/// runs waits.
pub fn next_round_in(repo: &Repository, held: &Held, now: Timestamp) -> Result<u64> {
    let mut states = branch_states(repo)?;
    later_states(&mut states, &held.states);
    Ok(next_due_in(&monitors_at(repo, "HEAD")?, &states, now))
}

/// Seconds until the first of `monitors` is due again after its last check in `states`, as of
/// `now` (at least 1; a minute when there are none).
fn next_due_in(
    monitors: &[Monitor],
    states: &BTreeMap<String, MonitorState>,
    now: Timestamp,
) -> u64 {
    monitors
        .iter()
        .map(|m| {
            let last = states
                .get(&m.name)
                .and_then(|s| s.checked_at.parse::<Timestamp>().ok());
            match last {
                Some(t) => (t.as_second() + m.interval as i64 - now.as_second()).max(1) as u64,
                None => 1,
            }
        })
        .min()
        .unwrap_or(60)
}

/// `states` with each of `newer` that was checked later (a loop's held rounds; a run from
/// elsewhere may have recorded since).
fn later_states(
    states: &mut BTreeMap<String, MonitorState>,
    newer: &BTreeMap<String, MonitorState>,
) {
    for (name, s) in newer {
        if states
            .get(name)
            .is_none_or(|have| have.checked_at < s.checked_at)
        {
            states.insert(name.clone(), s.clone());
        }
    }
}

/// Where each monitor stands as the history branch here says.
fn branch_states(repo: &Repository) -> Result<BTreeMap<String, MonitorState>> {
    let Some(bytes) = repo
        .files_at(&format!("refs/heads/{HISTORY_BRANCH}"), |p| p == STATE_FILE)
        .ok()
        .and_then(|mut f| f.remove(STATE_FILE))
    else {
        return Ok(BTreeMap::new());
    };
    Ok(history::parse_states(&String::from_utf8_lossy(&bytes))
        .map_err(|(line, why)| bad_history(STATE_FILE, line, &why))?
        .into_iter()
        .map(|s| (s.monitor.clone(), s))
        .collect())
}

fn bad_history(file: &str, line: u32, why: &str) -> Problem {
    Problem::new(
        ErrorCode::InvalidFile,
        format!("{file} on {HISTORY_BRANCH} does not read: {why}"),
    )
    .at(file.to_owned(), Some(line), None)
}

/// The history's files as the branch holds them here or on `remote`, whichever is ahead;
/// when both moved, every month of both merged hour by hour, and the branch here moved to the
/// remote's (so the next commit follows it).
fn history_files(repo: &Repository, remote: Option<&str>) -> Result<BTreeMap<String, Vec<u8>>> {
    let ours = repo
        .source_commit(&format!("refs/heads/{HISTORY_BRANCH}"))
        .ok();
    let theirs = remote.and_then(|r| {
        repo.source_commit(&format!("refs/remotes/{r}/{HISTORY_BRANCH}"))
            .ok()
    });
    let read = |id: &str| repo.files_at(id, |p| !p.contains('/'));
    match (ours, theirs) {
        (None, None) => Ok(BTreeMap::new()),
        (Some(o), None) => Ok(read(&o.id)?),
        (None, Some(t)) => Ok(read(&t.id)?),
        (Some(o), Some(t)) => {
            if repo.descends_from(&t.id, &o.id)? {
                return Ok(read(&t.id)?);
            }
            if repo.descends_from(&o.id, &t.id)? {
                return Ok(read(&o.id)?);
            }
            // Both moved: merge, and follow theirs.
            let merged = merge_files(&read(&o.id)?, read(&t.id)?);
            repo.follow_remote_branch(HISTORY_BRANCH, remote.expect("theirs is the remote's"))?;
            Ok(merged)
        }
    }
}

/// `mine` merged into `other`: the month files hour by hour (an hour checked on both sides
/// counts the busier side), the state by the later check of each monitor.
fn merge_files(
    mine: &BTreeMap<String, Vec<u8>>,
    other: BTreeMap<String, Vec<u8>>,
) -> BTreeMap<String, Vec<u8>> {
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let mut merged = other.clone();
    for (name, bytes) in mine {
        if name == STATE_FILE {
            let mut states: BTreeMap<String, MonitorState> = BTreeMap::new();
            for s in [other.get(name), Some(bytes)]
                .into_iter()
                .flatten()
                .filter_map(|b| history::parse_states(&text(b)).ok())
                .flatten()
            {
                match states.get(&s.monitor) {
                    Some(have) if have.checked_at >= s.checked_at => {}
                    _ => {
                        states.insert(s.monitor.clone(), s);
                    }
                }
            }
            let list: Vec<MonitorState> = states.into_values().collect();
            merged.insert(name.clone(), history::render_states(&list).into_bytes());
        } else if let Some(month) = name.strip_suffix(".tsv") {
            let mut h = other
                .get(name)
                .and_then(|b| History::parse(&text(b)).ok())
                .unwrap_or_default();
            if let Ok(m) = History::parse(&text(bytes)) {
                h.merge(&m);
            }
            merged.insert(name.clone(), h.render_month(month).into_bytes());
        }
    }
    merged
}

/// Checks `monitors`, `concurrency` at once, in their order; a certificate's life is counted
/// from `now`.
pub fn check_all(
    monitors: &[Monitor],
    concurrency: usize,
    trust: Option<&[u8]>,
    now: Timestamp,
) -> Vec<Observation> {
    let agent = http_agent();
    let next = AtomicUsize::new(0);
    let mut out: Vec<Option<Observation>> = vec![None; monitors.len()];
    let workers = concurrency.clamp(1, 256).min(monitors.len().max(1));
    let results = std::sync::Mutex::new(&mut out);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(m) = monitors.get(i) else { break };
                let seen = check(m, &agent, trust, now);
                results.lock().expect("not poisoned")[i] = Some(seen);
            });
        }
    });
    out.into_iter().map(Option::unwrap_or_default).collect()
}

fn http_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(5)
        .user_agent(concat!("wheelhouse-monitor/", env!("CARGO_PKG_VERSION")))
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .provider(ureq::tls::TlsProvider::NativeTls)
                .build(),
        )
        .build()
        .into()
}

/// One check of `m`; a certificate's life is counted from `now`.
pub fn check(
    m: &Monitor,
    agent: &ureq::Agent,
    trust: Option<&[u8]>,
    now: Timestamp,
) -> Observation {
    let timeout = Duration::from_secs(m.timeout.max(1));
    match m.kind {
        MonitorKind::Http => check_http(m, agent, timeout, trust, now),
        MonitorKind::Tcp | MonitorKind::Tls => {
            let url = url::Url::parse(&m.url).ok();
            let host = url.as_ref().and_then(|u| u.host_str()).unwrap_or_default();
            let port = url.as_ref().and_then(|u| u.port()).unwrap_or_default();
            check_socket(host, port, m.kind == MonitorKind::Tls, timeout, trust, now)
        }
        MonitorKind::Dns => check_dns(m, timeout),
    }
}

fn failed(why: String) -> Observation {
    Observation {
        connected: false,
        error: Some(why),
        ..Observation::default()
    }
}

fn resolve(host: &str, port: u16) -> std::result::Result<SocketAddr, String> {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    (host, port)
        .to_socket_addrs()
        .map_err(|e| format!("{host} does not resolve: {e}"))?
        .next()
        .ok_or_else(|| format!("{host} does not resolve"))
}

fn check_http(
    m: &Monitor,
    agent: &ureq::Agent,
    timeout: Duration,
    trust: Option<&[u8]>,
    now: Timestamp,
) -> Observation {
    let Ok(url) = url::Url::parse(&m.url) else {
        return failed(format!("`{}` is not a URL", m.url));
    };
    let host = url.host_str().unwrap_or_default().to_owned();
    let port = url.port_or_known_default().unwrap_or(80);
    let ip = resolve(&host, port).ok().map(|a| a.ip().to_string());
    let mut builder = ureq::http::Request::builder()
        .method(m.method.as_str())
        .uri(m.url.as_str());
    for (k, v) in &m.headers {
        builder = builder.header(k.as_str(), v.as_str());
    }
    let Ok(request) = builder.body(m.body.clone().unwrap_or_default().into_bytes()) else {
        return failed("the request could not be made from its method and headers".into());
    };
    let request = agent
        .configure_request(request)
        .timeout_global(Some(timeout))
        .build();
    let start = Instant::now();
    let mut seen = match agent.run(request) {
        Ok(mut response) => {
            let status = response.status().as_u16();
            let body = response
                .body_mut()
                .with_config()
                .limit(1 << 20)
                .read_to_string()
                .unwrap_or_default();
            Observation {
                connected: true,
                status: Some(status),
                response_ms: Some(start.elapsed().as_millis() as u64),
                body: Some(body),
                ip,
                ..Observation::default()
            }
        }
        Err(e) => {
            let why = match e {
                ureq::Error::Timeout(_) => {
                    format!("{host} did not answer within {} s", timeout.as_secs())
                }
                ureq::Error::ConnectionFailed => format!("{host}:{port} refused the connection"),
                ureq::Error::HostNotFound => format!("{host} does not resolve"),
                ureq::Error::Io(io) => format!("{host}:{port}: {}", io.kind()),
                other => format!("{host}:{port}: {other}"),
            };
            let mut o = failed(why);
            o.ip = ip;
            o
        }
    };
    let wants_certificate = m
        .conditions
        .iter()
        .any(|c| c.placeholder == monitor::condition::Placeholder::CertificateExpiration);
    if url.scheme() == "https" && wants_certificate {
        let tls = check_socket(&host, port, true, timeout, trust, now);
        seen.certificate_expires_in = tls.certificate_expires_in;
    }
    seen
}

/// A TCP connection, and with `tls` a handshake and the certificate's remaining life.
fn check_socket(
    host: &str,
    port: u16,
    tls: bool,
    timeout: Duration,
    trust: Option<&[u8]>,
    now: Timestamp,
) -> Observation {
    let addr = match resolve(host, port) {
        Ok(a) => a,
        Err(why) => return failed(why),
    };
    let start = Instant::now();
    let stream = match TcpStream::connect_timeout(&addr, timeout) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {
            return failed(format!(
                "{host}:{port} did not answer within {} s",
                timeout.as_secs()
            ))
        }
        Err(e) => return failed(format!("{host}:{port}: {}", e.kind())),
    };
    let mut seen = Observation {
        connected: true,
        ip: Some(addr.ip().to_string()),
        ..Observation::default()
    };
    if tls {
        let _ = stream.set_read_timeout(Some(timeout));
        let _ = stream.set_write_timeout(Some(timeout));
        let mut connector = native_tls::TlsConnector::builder();
        if let Some(pem) = trust {
            match native_tls::Certificate::from_pem(pem) {
                Ok(c) => {
                    connector.add_root_certificate(c);
                }
                Err(e) => return failed(format!("the trusted certificate does not load: {e}")),
            }
        }
        let connector = match connector.build() {
            Ok(c) => c,
            Err(e) => return failed(format!("TLS could not be set up: {e}")),
        };
        let host_name = host.trim_start_matches('[').trim_end_matches(']');
        match connector.connect(host_name, stream) {
            Ok(mut s) => {
                seen.certificate_expires_in = s
                    .peer_certificate()
                    .ok()
                    .flatten()
                    .and_then(|c| c.to_der().ok())
                    .and_then(|der| expires_in(&der, now));
                let _ = s.shutdown();
            }
            Err(e) => {
                seen.connected = false;
                seen.error = Some(format!("{host}:{port}: the TLS handshake failed: {e}"));
                return seen;
            }
        }
    }
    seen.response_ms = Some(start.elapsed().as_millis() as u64);
    seen
}

/// Seconds from `now` until the DER certificate's `notAfter`.
fn expires_in(der: &[u8], now: Timestamp) -> Option<i64> {
    use x509_cert::der::Decode as _;
    let cert = x509_cert::Certificate::from_der(der).ok()?;
    let not_after = cert
        .tbs_certificate
        .validity
        .not_after
        .to_unix_duration()
        .as_secs() as i64;
    Some(not_after - now.as_second())
}

fn check_dns(m: &Monitor, timeout: Duration) -> Observation {
    use hickory_proto::op::{Message, Query};
    use hickory_proto::rr::{Name, RecordType};
    let Some(q) = &m.dns else {
        return failed("no question to ask".into());
    };
    let url = url::Url::parse(&m.url).ok();
    let host = url
        .as_ref()
        .and_then(|u| u.host_str())
        .unwrap_or_default()
        .to_owned();
    let port = url.as_ref().and_then(|u| u.port()).unwrap_or(53);
    let server = match resolve(&host, port) {
        Ok(a) => a,
        Err(why) => return failed(why),
    };
    let record = match q.record.as_str() {
        "AAAA" => RecordType::AAAA,
        "CNAME" => RecordType::CNAME,
        "MX" => RecordType::MX,
        "NS" => RecordType::NS,
        "TXT" => RecordType::TXT,
        _ => RecordType::A,
    };
    let Ok(name) = Name::from_ascii(format!("{}.", q.name)) else {
        return failed(format!("`{}` is not a domain name", q.name));
    };
    let mut query = Message::query();
    query.metadata.recursion_desired = true;
    query.add_query(Query::query(name, record));
    let Ok(bytes) = query.to_vec() else {
        return failed("the query could not be written".into());
    };
    let bind = if server.is_ipv6() {
        "[::]:0"
    } else {
        "0.0.0.0:0"
    };
    let socket = match UdpSocket::bind(bind) {
        Ok(s) => s,
        Err(e) => return failed(format!("no socket to ask from: {e}")),
    };
    let _ = socket.set_read_timeout(Some(timeout));
    let start = Instant::now();
    if let Err(e) = socket.send_to(&bytes, server) {
        return failed(format!("{server}: {}", e.kind()));
    }
    let mut buf = [0u8; 4096];
    let answer = loop {
        match socket.recv_from(&mut buf) {
            Ok((n, from)) if from == server => match Message::from_vec(&buf[..n]) {
                Ok(a) if a.metadata.id == query.metadata.id => break a,
                _ => continue,
            },
            Ok(_) => continue,
            Err(_) => {
                return failed(format!(
                    "{server} did not answer within {} s",
                    timeout.as_secs()
                ))
            }
        }
    };
    let rcode = match u16::from(answer.metadata.response_code) {
        0 => "NOERROR".to_owned(),
        1 => "FORMERR".to_owned(),
        2 => "SERVFAIL".to_owned(),
        3 => "NXDOMAIN".to_owned(),
        4 => "NOTIMP".to_owned(),
        5 => "REFUSED".to_owned(),
        n => format!("RCODE{n}"),
    };
    let data: Vec<String> = answer.answers.iter().map(|r| r.data.to_string()).collect();
    let ip = answer
        .answers
        .iter()
        .find_map(|r| r.data.ip_addr())
        .map(|ip| ip.to_string());
    Observation {
        connected: true,
        response_ms: Some(start.elapsed().as_millis() as u64),
        dns_rcode: Some(rcode),
        body: Some(data.join(", ")),
        ip,
        ..Observation::default()
    }
}

/// A monitor as the status screen lists it: where it stands and its last day of response
/// times.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MonitorView {
    pub name: String,
    pub component: String,
    pub kind: MonitorKind,
    pub url: String,
    /// Seconds between checks.
    pub interval: u64,
    /// Where it stands after its last recorded check; none before the first.
    pub state: Option<MonitorState>,
    /// The last 24 hours' hourly mean response times (oldest first; none for an hour without
    /// an answered check).
    pub response_times: Vec<Option<u32>>,
    /// (checks, failures) over those 24 hours.
    pub checks: u32,
    pub failures: u32,
}

/// The monitors as committed at HEAD with what was recorded of them.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MonitorsView {
    /// `status/monitors.yaml`.
    pub path: String,
    /// Whether HEAD has the file.
    pub exists: bool,
    pub monitors: Vec<MonitorView>,
    /// The history commit read; none before the first record.
    pub history_commit: Option<String>,
    /// Why the file or the history cannot be read, in words.
    pub problem: Option<String>,
}

/// The status screen's view of the monitors ([`MonitorsView`]) as of `now`; where a loop's
/// rounds `held` saw a monitor later than the history records, its state is that.
pub fn monitors_view(repo: &Repository, held: &Held, now: Timestamp) -> Result<MonitorsView> {
    let head = repo.source_commit("HEAD")?;
    let folder = folder_at(repo, &head.id)?;
    let (path, text) = status_file_at(repo, &head.id, &folder, MONITORS_FILE)?;
    let mut view = MonitorsView {
        path: path.clone(),
        exists: text.is_some(),
        monitors: Vec::new(),
        history_commit: None,
        problem: None,
    };
    let Some(text) = text else {
        return Ok(view);
    };
    let monitors = match page_at(repo, &head.id)
        .and_then(|(_, page)| monitors_of(&text, &page, &folder, &path))
    {
        Ok(m) => m,
        Err(p) => {
            view.problem = Some(p.to_string());
            return Ok(view);
        }
    };
    let day_ago = now - jiff::SignedDuration::from_hours(24);
    let since = day_ago.to_zoned(jiff::tz::TimeZone::UTC).date();
    let (history, recorded_states) = match recorded(repo, since) {
        Ok(found) => found,
        Err(p) => {
            view.problem = Some(p.to_string());
            (None, Vec::new())
        }
    };
    let mut states: BTreeMap<String, MonitorState> = recorded_states
        .into_iter()
        .map(|s| (s.monitor.clone(), s))
        .collect();
    later_states(&mut states, &held.states);
    let from = Timestamp::from_second(day_ago.as_second() - day_ago.as_second() % 3600 + 3600)
        .unwrap_or(day_ago);
    view.history_commit = history.as_ref().map(|(tip, _)| tip.clone());
    view.monitors = monitors
        .iter()
        .map(|m| {
            let (response_times, checks, failures) = match &history {
                Some((_, h)) => {
                    let (c, f) = h.hours(&m.name, from, 24);
                    (h.response_times(&m.name, from, 24), c, f)
                }
                None => (vec![None; 24], 0, 0),
            };
            MonitorView {
                name: m.name.clone(),
                component: m.component.clone(),
                kind: m.kind,
                url: m.url.clone(),
                interval: m.interval,
                state: states.get(&m.name).cloned(),
                response_times,
                checks,
                failures,
            }
        })
        .collect();
    Ok(view)
}

/// The history from `since` and the states, as last recorded.
#[allow(clippy::type_complexity)]
fn recorded(
    repo: &Repository,
    since: jiff::civil::Date,
) -> Result<(Option<(String, History)>, Vec<MonitorState>)> {
    let Some((tip, history)) = recorded_history(repo, since)? else {
        return Ok((None, Vec::new()));
    };
    let states = match repo.files_at(&tip, |p| p == STATE_FILE)?.remove(STATE_FILE) {
        Some(bytes) => history::parse_states(&String::from_utf8_lossy(&bytes))
            .map_err(|(line, why)| bad_history(STATE_FILE, line, &why))?,
        None => Vec::new(),
    };
    Ok((Some((tip, history)), states))
}
