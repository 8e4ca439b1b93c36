use crate::context::{now, split_range, Context};
use wheelhouse_api::review;
use wheelhouse_diagnostics::{ErrorCode, Problem};

/// Show uncommitted changes, of one file or of all; with --rendered, what BASE..HEAD
/// changes in each environment's rendered manifests.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A file (uncommitted changes), or BASE..HEAD with --rendered.
    path: Option<String>,
    /// The diff of the rendered manifests per environment and resource, for BASE..HEAD.
    #[arg(long)]
    rendered: bool,
}

pub fn run(args: Args, cx: &Context) -> Result<(), Problem> {
    if args.rendered && args.path.is_none() {
        return Err(Problem::new(
            ErrorCode::InvalidInput,
            "diff --rendered needs BASE..HEAD (for example main..change/x).",
        ));
    }
    let repo = cx.open()?;
    match (&args.path, args.rendered) {
        (Some(range), true) => {
            let (base, head) = split_range(range)?;
            let mut reviews = wheelhouse_approvals::review::ReviewCache::default();
            let verified = review::verify(&mut reviews, &repo, base, head, now(), false)?;
            // The process ends after printing: freeing the renders would only delay it.
            std::mem::forget(reviews);
            cx.out.show(&verified.review.effect, |e| {
                super::verify::print_effect(e, true)
            });
        }
        (path, _) => {
            let files = repo.working_diff(path.as_deref())?;
            cx.out.show(&files, |files| {
                if files.is_empty() {
                    println!("No uncommitted changes.");
                } else {
                    super::show::print_files(files);
                }
            });
        }
    }
    Ok(())
}
