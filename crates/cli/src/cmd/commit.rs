use crate::context::Context;
use wheelhouse_diagnostics::Problem;

/// Commit every change in the working tree.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(short, long)]
    message: String,
}

pub fn run(args: Args, cx: &Context) -> Result<(), Problem> {
    let commit = cx.open()?.commit_all(&args.message)?;
    cx.out.show(&commit, |c| {
        println!("Committed {} {}", c.short_id, c.summary)
    });
    Ok(())
}
