use crate::context::Context;
use wheelhouse_diagnostics::Problem;
use wheelhouse_repo::history::HistoryFilter;

/// List commits, newest first, optionally only those touching PATH (a file or a folder).
#[derive(Debug, clap::Args)]
pub struct Args {
    path: Option<String>,
    /// Only commits whose author name or email contains this text.
    #[arg(long)]
    author: Option<String>,
    #[arg(long, default_value_t = 50)]
    limit: usize,
    #[arg(long, default_value_t = 0)]
    skip: usize,
}

pub fn run(args: Args, cx: &Context) -> Result<(), Problem> {
    let repo = cx.open()?;
    if let Some(p) = &args.path {
        repo.resolve_inside(p)?;
    }
    let page = repo.history(&HistoryFilter {
        path: args.path,
        author: args.author,
        skip: args.skip,
        limit: args.limit,
    })?;
    cx.out.show(&page, |page| {
        for c in &page.commits {
            println!("{}  {:<18}  {}", c.short_id, c.author_name, c.summary);
        }
        if page.has_more {
            println!("(more: --skip {})", args.skip + args.limit);
        }
    });
    Ok(())
}
