use crate::context::{now_timestamp, Context};
use wheelhouse_api::promote::{self, MaintenanceWindow, PromotionRequest};
use wheelhouse_diagnostics::Problem;

/// Move image tags from one environment to the next as a change branch (all workloads,
/// or those named), with a generated commit message. The working tree is not touched.
#[derive(Debug, clap::Args)]
pub struct Args {
    from: String,
    /// An environment, or a stage whose variants all receive the promotion in one change
    /// (`staging` for staging-eu and staging-us; `staging*` when an environment is named
    /// staging too).
    to: String,
    workloads: Vec<String>,
    /// Show the diff and the message without creating the branch.
    #[arg(long)]
    dry_run: bool,
    /// Also schedule a maintenance on the status page, in the same commit, for the components
    /// that stand for the promoted workloads in TO: its start, local to --maintenance-tz.
    #[arg(long, value_name = "2026-12-03T22:00", requires = "maintenance_until")]
    maintenance_from: Option<String>,
    /// The maintenance's end.
    #[arg(long, requires = "maintenance_from")]
    maintenance_until: Option<String>,
    /// The maintenance window's IANA time zone (default: the status page's).
    #[arg(long)]
    maintenance_tz: Option<String>,
}

pub fn run(args: Args, cx: &Context) -> Result<(), Problem> {
    let repo = cx.open()?;
    let ws = cx.workspace()?;
    let maintenance = match (args.maintenance_from, args.maintenance_until) {
        (Some(start), Some(end)) => Some(MaintenanceWindow {
            start,
            end,
            time_zone: args.maintenance_tz,
        }),
        _ => None,
    };
    let (from, to) = (args.from, args.to);
    let request = PromotionRequest {
        from: from.clone(),
        to: to.clone(),
        workloads: args.workloads,
        maintenance,
        dry_run: args.dry_run,
    };
    let outcome = promote::create(&repo, &ws, request, now_timestamp())?;
    let promotion = &outcome.promotion;
    let created = outcome.created.as_ref();
    let document = serde_json::json!({
        "promotion": promotion,
        "branch": created.map(|c| &c.branch),
        "commit": created.map(|c| &c.commit),
    });
    cx.out.show(&document, |_| {
        println!("{}", promotion.message);
        for e in &promotion.edits {
            print!("{}", e.diff);
        }
        match created {
            Some(c) => println!(
                "Created {} at {}; it waits for approval like any change.",
                c.branch, c.commit.short_id
            ),
            None if promotion.edits.is_empty() => {
                println!("Nothing to promote: {to} already runs what {from} runs.")
            }
            None => println!("(dry run: nothing was written)"),
        }
    });
    Ok(())
}
