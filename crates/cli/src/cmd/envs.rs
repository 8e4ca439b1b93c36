use crate::context::Context;
use wheelhouse_diagnostics::Problem;

/// List the environments in promotion order, with the files that make each one.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_: Args, cx: &Context) -> Result<(), Problem> {
    let ws = cx.workspace()?;
    cx.out.show(&ws.state().environments, |envs| {
        for e in envs {
            let lock = if e.protected { "  (protected)" } else { "" };
            let stage = e
                .stage
                .as_ref()
                .map(|s| format!("  (a {s} variant)"))
                .unwrap_or_default();
            println!("{}{lock}{stage}\n  {}", e.name, e.paths.join("\n  "));
        }
    });
    Ok(())
}
