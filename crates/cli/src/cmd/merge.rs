use super::changes::Target;
use crate::context::{network, now, Context};
use wheelhouse_api::review;
use wheelhouse_diagnostics::Problem;
use wheelhouse_repo::network::remember_accepted;

/// Merge a change into the target when, and only when, its verdict allows, then push the
/// branch and the approval notes to the upstream (as the app does) and tell the status page's
/// subscribers of the updates it brought; a failed push keeps the merge and says why.
#[derive(Debug, clap::Args)]
pub struct Args {
    change: String,
    #[command(flatten)]
    target: Target,
    /// Keep the merge local: do not push.
    #[arg(long)]
    no_push: bool,
}

pub fn run(args: Args, cx: &Context) -> Result<(), Problem> {
    let repo = cx.open()?;
    let target = args.target.branch(&repo);
    let store = cx.credentials();
    let mut net = network(&store);
    let net_if_pushing = (!args.no_push).then_some(&mut net);
    let secret = |name: &str| wheelhouse_api::notify::channel_secret(&store, name);
    let outcome = review::merge(&repo, &args.change, &target, now(), net_if_pushing, &secret)?;
    if outcome.pushed {
        remember_accepted(&store, net.accepted())?;
    }
    cx.out.show(&outcome, |outcome| {
        println!(
            "Merged into {target}: {} {}",
            outcome.commit.short_id, outcome.commit.summary
        );
        match (&outcome.push_error, outcome.pushed) {
            (_, true) => println!("Pushed {target} and the approval notes."),
            (Some(why), false) => println!("Not pushed: {why} The merge is kept locally."),
            (None, false) => println!("Kept local (--no-push); wheelhouse push sends it."),
        }
        if let Some(n) = &outcome.notified {
            let sent = n
                .deliveries
                .iter()
                .filter(|d| d.outcome == wheelhouse_api::notify::DeliveryOutcome::Delivered)
                .count();
            println!("Told the status page's subscribers: {sent} message(s) sent, {} failed.", n.failed());
        }
        if let Some(why) = &outcome.notify_error {
            println!("The status page's subscribers were not told: {why} (wheelhouse status notify tells them later).");
        }
    });
    Ok(())
}
