use crate::context::{network, Context};
use wheelhouse_diagnostics::Problem;

/// Fetch the upstream and fast-forward when that is safe; say what blocks it otherwise.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_: Args, cx: &Context) -> Result<(), Problem> {
    let repo = cx.open()?;
    let store = cx.credentials();
    let synced = wheelhouse_api::sync::sync(&repo, &mut network(&store), &store)?;
    if let Some(why) = &synced.notes_error {
        eprintln!("note: approval notes were not fetched: {why}");
    }
    cx.out.show(&synced, |synced| {
        let report = &synced.report;
        let s = &report.state;
        if report.fast_forwarded > 0 {
            println!("Pulled {} commit(s).", report.fast_forwarded);
        }
        match (&s.upstream, s.ahead, s.behind) {
            (Some(u), 0, 0) => println!("Up to date with {u}."),
            (Some(u), a, b) => println!("{a} commit(s) to push, {b} to pull ({u})."),
            (None, _, _) => println!("No upstream branch."),
        }
        for (way, list) in [("incoming", &s.incoming), ("outgoing", &s.outgoing)] {
            for c in list {
                println!(
                    "  {way}  {}  {:<18}  {}",
                    c.short_id, c.author_name, c.summary
                );
            }
        }
        if let Some(block) = &s.blocked {
            println!("Not updated: {}", wheelhouse_repo::describe_block(block));
        }
    });
    Ok(())
}
