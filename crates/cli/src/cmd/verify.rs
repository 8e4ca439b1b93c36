use crate::context::{now, split_range, Context};
use wheelhouse_api::review;
use wheelhouse_approvals::policy::Verdict;
use wheelhouse_approvals::review::ReviewCache;
use wheelhouse_desired_state::effect::{Effect, EffectStatus, ResourceStatus};
use wheelhouse_diagnostics::Problem;

/// Judge BASE..HEAD under BASE's policy; exits 0 only when it may merge (for CI).
#[derive(Debug, clap::Args)]
pub struct Args {
    range: String,
}

pub fn run(args: Args, cx: &Context) -> Result<(), Problem> {
    let repo = cx.open()?;
    let (base, head) = split_range(&args.range)?;
    // The file diff is in the JSON document only; the text explains the verdict.
    let mut reviews = ReviewCache::default();
    let verified = review::verify(&mut reviews, &repo, base, head, now(), cx.out.json())?;
    // The process ends after printing: freeing the renders would only delay it.
    std::mem::forget(reviews);
    let (r, refused) = (verified.review, verified.refused);
    match &refused {
        // One JSON document: the review, with the error beside it.
        Some(problem) if cx.out.json() => cx.out.show_refused(
            serde_json::to_value(&r).expect("a review serialises"),
            problem,
        ),
        _ => cx.out.show(&r, |r| {
            print_verdict(&r.verdict);
            print_effect(&r.effect, false);
        }),
    }
    refused.map_or(Ok(()), Err)
}

/// The verdict and why: each rule that applies (by which paths, by which effects), each that
/// does not, the freeze.
fn print_verdict(v: &Verdict) {
    println!("{}", v.summary);
    for rule in &v.rules {
        let state = if rule.satisfied {
            match &rule.auto_approved_by {
                Some(why) => format!("satisfied (auto-approved: {why})"),
                None => format!("satisfied ({} of {})", rule.counted.len(), rule.required),
            }
        } else {
            format!("needs {} more", rule.missing())
        };
        println!("  {}: {state}", rule.rule);
        for why in &rule.matched_effects {
            println!("    {why}");
        }
        if !rule.matched_paths.is_empty() {
            println!("    touches {}", rule.matched_paths.join(", "));
        }
        if let Some(why) = &rule.auto_approve_declined {
            println!("    not auto-approved: {why}");
        }
    }
    for n in &v.not_applied {
        println!("  {}: does not apply ({})", n.rule, n.reason);
    }
    if let Some(f) = &v.freeze {
        let mut on: Vec<String> = f.environments.clone();
        on.extend(f.paths.iter().cloned());
        println!("  freeze until {}: {}", f.until_text, on.join(", "));
    }
}

/// What a change does per environment: its field changes, and with `diffs` the rendered diff
/// of each resource; unaffected environments are listed as such.
pub fn print_effect(e: &Effect, diffs: bool) {
    for p in &e.problems {
        println!("error: {p}");
    }
    for file in &e.redefining {
        println!("{file} defines environments: every environment's protection is at stake");
    }
    let mut unaffected = Vec::new();
    for env in &e.environments {
        let status = match env.status {
            EffectStatus::Unaffected => {
                unaffected.push(env.env.as_str());
                continue;
            }
            EffectStatus::Changed => "changed",
            EffectStatus::Added => "added by the change",
            EffectStatus::Removed => "removed by the change",
        };
        let via = if env.via.is_empty() {
            String::new()
        } else {
            format!(" via {}", env.via.join(", "))
        };
        println!("{}: {status}{via}", env.env);
        for f in &env.fields {
            println!("  {}", f.describe());
        }
        if diffs {
            for r in &env.resources {
                let status = match r.status {
                    ResourceStatus::Added => "added",
                    ResourceStatus::Removed => "removed",
                    ResourceStatus::Changed => "changed",
                };
                println!("  {} ({status})", r.resource);
                for line in r.diff.lines() {
                    println!("    {line}");
                }
            }
        }
    }
    if !unaffected.is_empty() {
        println!("unaffected: {}", unaffected.join(", "));
    }
}
