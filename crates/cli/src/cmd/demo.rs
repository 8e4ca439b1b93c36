use crate::context::Context;
use std::path::PathBuf;
use wheelhouse_diagnostics::Problem;

/// Create the demo workspace (a GitOps repository with history and a bare origin) in DIR.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A new or empty folder; the repository is created at DIR/acme-gitops.
    dir: PathBuf,
}

pub fn run(args: Args, cx: &Context) -> Result<(), Problem> {
    let demo = wheelhouse_demo::create(&args.dir)?;
    cx.out.show(&demo, |demo| {
        println!("Created the demo workspace ({} commits).", demo.commits);
        println!("  repository: {}", demo.repo);
        println!("  origin:     {}", demo.origin);
        println!("Open it: wheelhouse-app --repo {}", demo.repo);
    });
    Ok(())
}
