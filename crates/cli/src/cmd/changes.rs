use crate::context::{now, Context};
use wheelhouse_api::review;
use wheelhouse_diagnostics::Problem;
use wheelhouse_repo::Repository;

/// List open changes (branches ahead of the target) with their verdicts.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    target: Target,
}

/// `--target`, as `changes`, `approve` and `merge` take it.
#[derive(Debug, clap::Args)]
pub struct Target {
    /// The branch changes merge into (default: the remote's default branch, else main, else
    /// master — as the app decides it).
    #[arg(long)]
    target: Option<String>,
}

impl Target {
    /// The branch given, else the one the app would choose.
    pub fn branch(&self, repo: &Repository) -> String {
        review::target_branch(repo, self.target.as_deref())
    }
}

pub fn run(args: Args, cx: &Context) -> Result<(), Problem> {
    let repo = cx.open()?;
    let target = &args.target.branch(&repo);
    let list = review::changes(&repo, target, now())?;
    cx.out.show(&list, |list| {
        if list.is_empty() {
            println!("No open changes against {target}.");
        }
        for r in list {
            let touches = if r.environments.is_empty() {
                "no environment".to_owned()
            } else {
                r.environments.join(", ")
            };
            println!("{}  {}  ({})", r.change.name, r.title, r.author.name);
            println!("  touches {touches}; {}", r.verdict.summary);
        }
    });
    Ok(())
}
