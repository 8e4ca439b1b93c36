use crate::context::{network, Context};
use crate::terminal;
use std::path::PathBuf;
use wheelhouse_diagnostics::Problem;
use wheelhouse_repo::network::remember_accepted;

/// Clone URL into DIR (https, ssh, scp-style or file). Asks for credentials on a terminal
/// when the keyring has none, and stores them once the clone succeeded.
#[derive(Debug, clap::Args)]
pub struct Args {
    url: String,
    dir: PathBuf,
}

pub fn run(args: Args, cx: &Context) -> Result<(), Problem> {
    let store = cx.credentials();
    let progress = terminal::Progress::new(!cx.out.json());
    let mut net = network(&store).on_progress(|p| progress.show(p));
    let repo = wheelhouse_repo::clone(&args.url, &args.dir, &mut net);
    progress.finish();
    let repo = repo?;
    remember_accepted(&store, net.accepted())?;
    let overview = repo.overview(5)?;
    cx.out
        .show(&overview, |o| println!("Cloned into {}.", o.path));
    Ok(())
}
