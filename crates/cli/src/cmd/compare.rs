use crate::context::Context;
use wheelhouse_desired_state::edit::EditError;
use wheelhouse_desired_state::{matrix, Sourced};
use wheelhouse_diagnostics::Problem;

/// Show every value that differs between two environments, with where each side sets it.
#[derive(Debug, clap::Args)]
pub struct Args {
    a: String,
    b: String,
}

pub fn run(args: Args, cx: &Context) -> Result<(), Problem> {
    let (a, b) = (&args.a, &args.b);
    let ws = cx.workspace()?;
    let envs = &ws.state().environments;
    let index = |name: &str| {
        envs.iter()
            .position(|e| e.name == name)
            .ok_or_else(|| Problem::from(EditError::UnknownEnvironment(name.to_owned())))
    };
    let diffs = matrix::compare(ws.state(), index(a)?, index(b)?);
    cx.out.show(&diffs, |diffs| {
        if diffs.is_empty() {
            println!("{a} and {b} are the same.");
        }
        let side = |s: &Option<Sourced>| match s {
            Some(v) => format!("{} ({}:{})", v.value, v.source.file, v.source.line),
            None => "—".into(),
        };
        for d in diffs {
            println!(
                "{:<16} {:<28} {a}: {}\n{:<45} {b}: {}",
                d.workload,
                d.field,
                side(&d.left),
                "",
                side(&d.right)
            );
        }
    });
    Ok(())
}
