use crate::context::Context;
use wheelhouse_diagnostics::Problem;

/// Revert COMMIT as a new change branch (the working tree is not touched).
#[derive(Debug, clap::Args)]
pub struct Args {
    commit: String,
}

pub fn run(args: Args, cx: &Context) -> Result<(), Problem> {
    let rollback = cx.open()?.rollback(&args.commit)?;
    cx.out.show(&rollback, |r| {
        println!(
            "Created {} with {} \"{}\". It waits for approval like any change.",
            r.branch, r.commit.short_id, r.commit.summary
        )
    });
    Ok(())
}
