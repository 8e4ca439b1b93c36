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

/// Shows problems (errors, then a count) and fails when there is an error among them. With
/// `--json`: one document, `{problems, errors, warnings}`, with `error` beside them on failure.
pub fn report(problems: &[wheelhouse_desired_state::Problem], out: &Output) -> Result<(), Problem> {
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = problems.len() - errors;
    let failure = (errors > 0).then(|| {
        Problem::new(
            ErrorCode::ValidationFailed,
            format!("{errors} error(s) found."),
        )
    });
    if out.json() {
        let document =
            serde_json::json!({ "problems": problems, "errors": errors, "warnings": warnings });
        match &failure {
            Some(problem) => out.show_refused(document, problem),
            None => crate::output::print_json(&document),
        }
    } else {
        for p in problems {
            let severity = if p.severity == Severity::Error {
                "error"
            } else {
                "warning"
            };
            println!("{severity}: {p}");
        }
        println!("{errors} error(s), {warnings} warning(s).");
    }
    failure.map_or(Ok(()), Err)
}
