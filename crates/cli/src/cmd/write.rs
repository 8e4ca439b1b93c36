use crate::context::Context;
use crate::output::read_stdin;
use wheelhouse_desired_state::check::read_for_edit;
use wheelhouse_diagnostics::Problem;

/// Replace a file of the repository with the text on stdin, as the app's YAML editor saves:
/// refused while the text has errors, atomic, never over a file that changed meanwhile.
#[derive(Debug, clap::Args)]
pub struct Args {
    path: String,
    /// Show the diff without writing.
    #[arg(long)]
    dry_run: bool,
}

pub fn run(args: Args, cx: &Context) -> Result<(), Problem> {
    let Args { path, dry_run } = &args;
    let repo = cx.open()?;
    let full = repo.resolve_inside(path)?;
    let before = if full.exists() {
        read_for_edit(&full, path)?
    } else {
        String::new()
    };
    let text = read_stdin()?;
    let planned = wheelhouse_checks::write_file(repo.root(), path, &before, &text, *dry_run)?;
    let document = serde_json::json!({
        "path": planned.path,
        "diff": planned.diff,
        "written": !dry_run && planned.before != planned.after,
    });
    cx.out.show(&document, |_| {
        if planned.diff.is_empty() {
            println!("No change: {path} already holds this text.");
        } else {
            print!("{}", planned.diff);
            if !dry_run {
                println!("Wrote {path}.");
            }
        }
    });
    Ok(())
}
