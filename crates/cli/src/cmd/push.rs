use crate::context::{network, Context};
use wheelhouse_diagnostics::Problem;

/// Push the current branch to its upstream.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_: Args, cx: &Context) -> Result<(), Problem> {
    let repo = cx.open()?;
    let store = cx.credentials();
    let pushed = wheelhouse_api::sync::push(&repo, &mut network(&store), &store)?;
    if let Some(why) = &pushed.notes_error {
        eprintln!("note: approval notes were not pushed: {why}");
    }
    let state = repo.sync_state()?;
    cx.out.show(&state, |s| {
        println!("Pushed to {}.", s.upstream.as_deref().unwrap_or_default())
    });
    Ok(())
}
