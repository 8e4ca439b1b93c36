use crate::context::Context;
use wheelhouse_diagnostics::Problem;
use wheelhouse_repo::RepoOverview;

/// Show a repository's branch, upstream, remotes, working-tree changes and latest commits.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// How many commits to list.
    #[arg(long, default_value_t = 20)]
    commits: usize,
}

pub fn run(args: Args, cx: &Context) -> Result<(), Problem> {
    let overview = cx.open()?.overview(args.commits)?;
    cx.out.show(&overview, print);
    Ok(())
}

fn print(o: &RepoOverview) {
    let branch = o.head.branch.as_deref().unwrap_or("(detached HEAD)");
    println!("{}  {}", o.name, o.path);
    print!("On {branch} at {}", o.head.commit.short_id);
    match &o.upstream {
        Some(u) => println!(
            " · {} ahead, {} behind {} (as of the last fetch)",
            u.ahead, u.behind, u.name
        ),
        None => println!(" · no upstream branch"),
    }
    for r in &o.remotes {
        println!("remote {}  {}", r.name, r.url);
    }
    if o.working_tree.clean {
        println!("Working tree clean.");
    } else {
        println!("{} changed file(s):", o.working_tree.total);
        for c in &o.working_tree.changes {
            let staged = if c.staged { " (staged)" } else { "" };
            println!(
                "  {:<10} {}{staged}",
                format!("{:?}", c.kind).to_lowercase(),
                c.path
            );
        }
    }
    println!("Latest commits:");
    for c in &o.commits {
        println!("  {}  {:<20}  {}", c.short_id, c.author_name, c.summary);
    }
}
