use std::path::PathBuf;
use wheelhouse_diagnostics::{ErrorCode, Problem};

/// Write the manual pages (wheelhouse.1 and one per subcommand) into DIR, made from these
/// definitions (the packages install them).
#[derive(Debug, clap::Args)]
pub struct Args {
    dir: PathBuf,
}

pub fn run(args: Args) -> Result<(), Problem> {
    clap_mangen::generate_to(<crate::Cli as clap::CommandFactory>::command(), &args.dir).map_err(
        |e| {
            Problem::new(
                ErrorCode::Io,
                format!(
                    "The manual pages could not be written to {}: {e}",
                    args.dir.display()
                ),
            )
        },
    )
}
