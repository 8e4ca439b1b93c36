use crate::context::{network, time_arg, Context};
use std::path::PathBuf;
use wheelhouse_api::publish::{self, Destination, PublishRequest};
use wheelhouse_diagnostics::Problem;

/// Publish the status page as committed: build the export of FROM's status folder (as of that
/// commit's time, so the same commit always gives the same tree) and commit it as the next
/// commit of the pages branch, or write it into a folder. Never forces a push.
#[derive(Debug, clap::Args)]
pub struct Publish {
    /// The commit whose status page is published.
    #[arg(long, default_value = "HEAD")]
    from: String,
    /// The pages branch (its own history, one commit per publish).
    #[arg(long, default_value = publish::DEFAULT_BRANCH, conflicts_with = "folder")]
    branch: String,
    /// Write the export into this folder instead of committing it to a branch.
    #[arg(long)]
    folder: Option<PathBuf>,
    /// Fetch the remote's pages branch first and push the new commit to it.
    #[arg(long, conflicts_with = "folder")]
    push: bool,
    /// The moment the page shows (RFC 3339), instead of the commit's time.
    #[arg(long)]
    now: Option<String>,
    /// Build and compare with the last publish; commit, write and push nothing.
    #[arg(long)]
    dry_run: bool,
}

pub fn run(args: Publish, cx: &Context) -> Result<(), Problem> {
    let repo = cx.open()?;
    let now = time_arg("--now", args.now.as_deref())?;
    let request = PublishRequest {
        from: args.from,
        to: match args.folder {
            Some(folder) => Destination::Folder(folder),
            None => Destination::Branch(args.branch),
        },
        now,
        push: args.push,
        dry_run: args.dry_run,
    };
    let store = cx.credentials();
    let mut net = network(&store);
    let done = publish::publish(&repo, &request, args.push.then_some(&mut net))?;
    if args.push {
        wheelhouse_repo::network::remember_accepted(&store, net.accepted())?;
    }
    cx.out.show(&done, |p| {
        let source = &p.source[..12.min(p.source.len())];
        for c in &p.changed {
            println!("{:>8}  {}", c.kind, c.path);
        }
        let what = format!(
            "the status page of {source} ({}) as of {}",
            p.source_summary, p.as_of
        );
        match (&p.folder, &p.branch) {
            (Some(folder), _) if p.dry_run => {
                println!("Would write {what} into {folder} ({} files).", p.files)
            }
            (Some(folder), _) => println!("Wrote {what} into {folder} ({} files).", p.files),
            (None, Some(branch)) if p.unchanged => {
                println!("{branch} already holds {what}; nothing to commit.")
            }
            (None, Some(branch)) if p.dry_run => println!(
                "Would commit {what} to {branch}: {} file(s) changed.",
                p.changed.len()
            ),
            (None, Some(branch)) => println!(
                "Committed {what} to {branch} ({}): {} file(s) changed.",
                p.commit.as_deref().map_or("", |c| &c[..12.min(c.len())]),
                p.changed.len()
            ),
            (None, None) => {}
        }
        if let Some(remote) = &p.pushed_to {
            println!(
                "Pushed {} to {remote}.",
                p.branch.as_deref().unwrap_or_default()
            );
        }
    });
    Ok(())
}
