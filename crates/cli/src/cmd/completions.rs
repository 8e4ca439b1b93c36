use crate::output::write_stdout;
use wheelhouse_diagnostics::Problem;

/// Print the completion script for SHELL (the packages install them).
#[derive(Debug, clap::Args)]
pub struct Args {
    shell: clap_complete::Shell,
}

pub fn run(args: Args) -> Result<(), Problem> {
    let mut cmd = <crate::Cli as clap::CommandFactory>::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "wheelhouse", &mut script);
    write_stdout(&script, "completion script")
}
