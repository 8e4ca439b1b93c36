use crate::context::Context;
use crate::output::Output;
use wheelhouse_desired_state::{validate, Severity};
use wheelhouse_diagnostics::{ErrorCode, Problem};

/// Check every YAML file and manifest; exits 1 when there are errors.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_: Args, cx: &Context) -> Result<(), Problem> {
    let ws = cx.workspace()?;
    let problems = validate::validate(ws.snapshot(), &ws.state().problems);
    report(&problems, &cx.out)
}

/// Shows problems (errors, then a count) and fails when there is an error among them.
pub fn report(problems: &[wheelhouse_desired_state::Problem], out: &Output) -> Result<(), Problem> {
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    out.show(problems, |problems| {
        for p in problems {
            let severity = if p.severity == Severity::Error {
                "error"
            } else {
                "warning"
            };
            println!("{severity}: {p}");
        }
        println!("{errors} error(s), {} warning(s).", problems.len() - errors);
    });
    if errors > 0 {
        return Err(Problem::new(
            ErrorCode::ValidationFailed,
            format!("{errors} error(s) found."),
        ));
    }
    Ok(())
}
