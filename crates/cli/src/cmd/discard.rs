use crate::context::Context;
use wheelhouse_diagnostics::{ErrorCode, Problem};

/// Throw away the uncommitted changes of one file.
#[derive(Debug, clap::Args)]
pub struct Args {
    path: String,
    /// Required: discarding cannot be undone.
    #[arg(long)]
    yes: bool,
}

pub fn run(args: Args, cx: &Context) -> Result<(), Problem> {
    let path = &args.path;
    if !args.yes {
        return Err(Problem::new(
            ErrorCode::InvalidInput,
            format!("Discarding the changes of {path} cannot be undone; run again with --yes."),
        ));
    }
    cx.open()?.discard(path)?;
    cx.out.show(&serde_json::json!({ "discarded": path }), |_| {
        println!("Discarded the changes of {path}.")
    });
    Ok(())
}
