use crate::context::{network, Context};
use wheelhouse_diagnostics::Problem;
use wheelhouse_repo::network::remember_accepted;

/// Push the current branch to its upstream.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_: Args, cx: &Context) -> Result<(), Problem> {
    let repo = cx.open()?;
    let store = cx.credentials();
    let mut net = network(&store);
    repo.push(&mut net)?;
    remember_accepted(&store, net.accepted())?;
    wheelhouse_approvals::review::push_notes(&repo, &mut net)?;
    let state = repo.sync_state()?;
    cx.out.show(&state, |s| {
        println!("Pushed to {}.", s.upstream.as_deref().unwrap_or_default())
    });
    Ok(())
}
