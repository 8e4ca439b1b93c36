use crate::context::Context;
use crate::output::read_stdin;
use wheelhouse_desired_state::check::read_for_edit;
use wheelhouse_diagnostics::Problem;

/// Check one file as the app's YAML editor does (syntax, Kubernetes and kustomization
/// schema); with --stdin, check the text on stdin as that file's content. Exits 1 on errors.
#[derive(Debug, clap::Args)]
pub struct Args {
    path: String,
    #[arg(long)]
    stdin: bool,
}

pub fn run(args: Args, cx: &Context) -> Result<(), Problem> {
    let repo = cx.open()?;
    let full = repo.resolve_inside(&args.path)?;
    let text = if args.stdin {
        read_stdin()?
    } else {
        read_for_edit(&full, &args.path)?
    };
    let problems = wheelhouse_checks::check_file(repo.root(), &args.path, &text);
    super::validate::report(&problems, &cx.out)
}
