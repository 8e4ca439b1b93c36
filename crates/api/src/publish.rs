//! Publishing the status page: the export of the status folder *as committed* (never the working
//! tree), built as of the source commit's time, committed as the next commit of a pages branch
//! (`status-pages`, a history of its own) and pushed — or written into a folder. The same source
//! commit gives the same tree, on any machine: the page is reproducible from the repository.

pub use crate::committed::{folder_at, page_at};
use crate::{ErrorCode, Problem, Result};
use serde::Serialize;
use std::path::PathBuf;
use ts_rs::TS;
use wheelhouse_repo::network::Network;
use wheelhouse_repo::Repository;
use wheelhouse_status::{fs, Timestamp};

/// The branch a publish commits to unless told otherwise.
pub const DEFAULT_BRANCH: &str = "status-pages";

/// Where the export goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// The next commit of this branch (pushed with [`PublishRequest::push`]).
    Branch(String),
    /// This folder, replaced whole (new, empty, or an earlier export).
    Folder(PathBuf),
}

#[derive(Debug, Clone)]
pub struct PublishRequest {
    /// The commit whose status folder is published (`HEAD`, a branch, an id).
    pub from: String,
    pub to: Destination,
    /// The moment the page shows; the source commit's time when none (reproducible).
    pub now: Option<Timestamp>,
    /// Fetch the remote's pages branch first and push the new commit (never forced).
    pub push: bool,
    /// Build and compare with the last publish, commit and push nothing.
    pub dry_run: bool,
}

/// What a publish did (or, dry, would do).
#[derive(Debug, Clone, Serialize, TS)]
pub struct Publication {
    /// The source commit and its summary (the change that caused the publish).
    pub source: String,
    pub source_summary: String,
    /// The moment the page shows, RFC 3339.
    pub as_of: String,
    /// The pages branch, or none when published into a folder.
    pub branch: Option<String>,
    pub folder: Option<String>,
    /// The export's tree id: the same for the same source commit and moment.
    pub tree: Option<String>,
    /// The branch's commit after the publish.
    pub commit: Option<String>,
    /// Nothing changed since the last publish: no commit was made.
    pub unchanged: bool,
    /// The remote the branch was pushed to.
    pub pushed_to: Option<String>,
    /// The remote a push goes to (the current branch's upstream remote, else `origin`); none
    /// when there is no remote to publish to.
    pub remote: Option<String>,
    pub dry_run: bool,
    /// Files of the export.
    pub files: usize,
    /// Files added, modified or deleted against the last publish.
    pub changed: Vec<ExportChange>,
    /// The monitors' history commit the uptime bars were measured from; none when the page
    /// has no monitors or nothing was recorded yet.
    pub history: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ExportChange {
    pub path: String,
    /// `added`, `modified` or `deleted`.
    pub kind: String,
}

/// Publishes the status page of `request.from` ([`PublishRequest`]). `net` is needed only to
/// push.
pub fn publish(
    repo: &Repository,
    request: &PublishRequest,
    net: Option<&mut Network<'_>>,
) -> Result<Publication> {
    let source = repo.source_commit(&request.from)?;
    let (_, mut page) = page_at(repo, &source.id).map_err(|mut p| {
        p.message.push_str(". Nothing was published.");
        p
    })?;
    let now = match request.now {
        Some(now) => now,
        None => Timestamp::from_second(source.time_unix).map_err(|e| {
            Problem::new(
                ErrorCode::InvalidTime,
                format!("the commit's time cannot be read: {e}"),
            )
        })?,
    };
    // What the monitors measured, as last recorded: the page names the history it used.
    let history = crate::monitor::measure(repo, &source.id, &mut page, now)?;
    let export = wheelhouse_status::build(&page, now);
    let short = &source.id[..12.min(source.id.len())];
    let mut publication = Publication {
        source: source.id.clone(),
        source_summary: source.summary.clone(),
        as_of: now.to_string(),
        branch: None,
        folder: None,
        tree: None,
        commit: None,
        unchanged: false,
        pushed_to: None,
        remote: repo.publish_remote().ok(),
        dry_run: request.dry_run,
        files: export.len(),
        changed: Vec::new(),
        history: history.clone(),
    };
    match &request.to {
        Destination::Folder(out) => {
            publication.folder = Some(out.display().to_string());
            if !request.dry_run {
                fs::write_export(out, &export)?;
            }
        }
        Destination::Branch(branch) => {
            let mut net = net;
            let remote = match (request.push, net.as_deref_mut()) {
                (true, Some(net)) => {
                    let remote = repo.publish_remote()?;
                    // The remote's pages branch, to follow it and never to push over it.
                    repo.fetch_remote(&remote, net)?;
                    Some(remote)
                }
                (true, None) => {
                    return Err(Problem::new(
                        ErrorCode::Internal,
                        "a push was asked for without a network",
                    ))
                }
                (false, _) => repo.publish_remote().ok(),
            };
            let mut message = format!(
                "Publish the status page as of {short}\n\n{}\n\nSource: {}\nAs of: {now}\n",
                source.summary, source.id
            );
            if let Some(h) = &history {
                message.push_str(&format!("History: {h}\n"));
            }
            let done = repo.commit_pages(
                branch,
                remote.as_deref(),
                &export,
                &message,
                request.dry_run,
            )?;
            publication.branch = Some(branch.clone());
            publication.tree = Some(done.tree);
            publication.commit = done.commit;
            publication.unchanged = done.unchanged;
            publication.changed = done
                .changed
                .into_iter()
                .map(|c| ExportChange {
                    path: c.path,
                    kind: c.kind.to_owned(),
                })
                .collect();
            if request.push && !request.dry_run {
                let (Some(remote), Some(net)) = (remote, net) else {
                    unreachable!("a push has its remote and network")
                };
                repo.push_branch(&remote, branch, net)?;
                publication.pushed_to = Some(remote);
            }
        }
    }
    Ok(publication)
}

/// The last publish of a pages branch, as the status page screen shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct LastPublish {
    pub branch: String,
    pub commit: String,
    /// When it was published (the commit's time), Unix seconds.
    #[ts(type = "number")]
    pub time_unix: i64,
    /// The source commit it was built from, and that commit's summary, as its message names
    /// them (none when another tool made the commit).
    pub source: Option<String>,
    pub source_summary: Option<String>,
    /// The moment the page shows, RFC 3339.
    pub as_of: Option<String>,
    /// The remote it goes to, and whether that remote's branch (as last fetched) holds it.
    pub remote: Option<String>,
    pub pushed: Option<bool>,
    /// The status folder committed at HEAD differs from the one published: a publish would
    /// change the page.
    pub outdated: bool,
}

/// The last publish on `branch`; none before the first.
pub fn last(repo: &Repository, branch: &str) -> Result<Option<LastPublish>> {
    let remote = repo.publish_remote().ok();
    let Some(tip) = repo.pages_tip(branch, remote.as_deref())? else {
        return Ok(None);
    };
    let trailer = |key: &str| {
        tip.message
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .map(|v| v.trim().to_owned())
    };
    // The message is "Publish … as of SHORT", a blank line, the source's summary, a blank line,
    // then the Source and As of lines.
    let source_summary = trailer("Source: ").and_then(|_| {
        tip.message
            .split("\n\n")
            .nth(1)
            .map(|s| s.trim().to_owned())
    });
    let source = trailer("Source: ");
    let folder =
        |rev: &str| -> Result<Option<String>> { Ok(repo.path_id(rev, &folder_at(repo, rev)?)?) };
    // A source another tool named, or one this clone lacks, cannot be compared: not outdated.
    let outdated = match source.as_deref() {
        Some(s) if repo.source_commit(s).is_ok() => folder(s)? != folder("HEAD")?,
        _ => false,
    };
    Ok(Some(LastPublish {
        branch: branch.to_owned(),
        commit: tip.commit,
        time_unix: tip.time_unix,
        outdated,
        source,
        source_summary,
        as_of: trailer("As of: "),
        remote: remote.filter(|_| tip.on_remote.is_some()),
        pushed: tip.on_remote,
    }))
}
