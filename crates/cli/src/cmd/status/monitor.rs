use crate::context::{network, now_timestamp, Context};
use wheelhouse_api::monitor::{self, MonitorRequest, MonitorRun};
use wheelhouse_diagnostics::{ErrorCode, Problem};
use wheelhouse_status::monitor::history::Transition;

/// Run the monitors of status/monitors.yaml (as committed at HEAD): HTTP(S), TCP, TLS and DNS
/// checks judged by their conditions. The results are recorded on the status-history branch
/// (fetched first, pushed after), which feeds the page's uptime bars. Once by default (for a CI
/// schedule); --watch checks each monitor at its interval until stopped. Exits 1 when a monitor
/// fails.
#[derive(Debug, clap::Args)]
pub struct Monitor {
    /// Keep checking, each monitor at its interval, until stopped (Ctrl-C).
    #[arg(long)]
    watch: bool,
    /// Only this monitor.
    #[arg(long)]
    only: Option<String>,
    /// Check and print; record nothing.
    #[arg(long)]
    dry_run: bool,
    /// Use this clone's history alone: no fetch before, no push after.
    #[arg(long)]
    offline: bool,
    /// Checks in flight at once.
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// A PEM file of certificates to trust for TLS checks besides the system's (an internal CA).
    #[arg(long, value_name = "FILE")]
    ca: Option<std::path::PathBuf>,
}

pub fn run(args: Monitor, cx: &Context) -> Result<(), Problem> {
    let repo = cx.open()?;
    let store = cx.credentials();
    let trust = match &args.ca {
        Some(path) => Some(std::fs::read(path).map_err(|e| {
            Problem::new(ErrorCode::NotFound, format!("--ca {}: {e}", path.display()))
        })?),
        None => None,
    };
    if !(1..=256).contains(&args.concurrency) {
        return Err(Problem::new(
            ErrorCode::InvalidInput,
            "--concurrency takes 1 to 256 checks at once.",
        ));
    }
    let request = MonitorRequest {
        only: args.only.clone(),
        dry_run: args.dry_run,
        concurrency: args.concurrency,
        trust,
        // Under a pinned clock (WHEELHOUSE_NOW) nothing falls due: each round checks them all.
        due_only: args.watch && !wheelhouse_repo::clock::is_pinned(),
    };
    let secret = |name: &str| wheelhouse_api::notify::channel_secret(&store, name);
    let mut net = network(&store);
    let sync = !args.offline && !args.dry_run;
    if !args.watch {
        let done = monitor::run(
            &repo,
            &request,
            sync.then_some(&mut net),
            &secret,
            now_timestamp(),
        )?;
        return report(&done, cx);
    }
    // A loop holds its rounds and records them together (every 15 minutes at the latest, at
    // once when a monitor goes down or comes back); Ctrl-C records what it holds, then stops.
    let mut held = monitor::Held::default();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    {
        let stop = stop.clone();
        ctrlc::set_handler(move || stop.store(true, std::sync::atomic::Ordering::SeqCst)).map_err(
            |e| Problem::new(ErrorCode::Internal, format!("Ctrl-C cannot be caught: {e}")),
        )?;
    }
    let stopped = || stop.load(std::sync::atomic::Ordering::SeqCst);
    loop {
        let done = monitor::run_in_loop(
            &repo,
            &request,
            sync.then_some(&mut net),
            &secret,
            now_timestamp(),
            &mut held,
        )?;
        if !done.checks.is_empty() {
            // Each round its own document (JSON lines with --json); a failure does not stop
            // the loop.
            let _ = report(&done, cx);
        }
        let wait = monitor::next_round_in(&repo, &held, now_timestamp())?;
        let until = std::time::Instant::now() + std::time::Duration::from_secs(wait);
        while !stopped() && std::time::Instant::now() < until {
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        if stopped() {
            let commit =
                monitor::record_held(&repo, sync.then_some(&mut net), &mut held, now_timestamp())?;
            if let Some(c) = commit {
                eprintln!(
                    "Stopped; what was held is recorded on {} ({}).",
                    monitor::HISTORY_BRANCH,
                    &c[..12]
                );
            }
            return Ok(());
        }
    }
}

fn report(done: &MonitorRun, cx: &Context) -> Result<(), Problem> {
    let failing = done.failing();
    let problem = (failing > 0).then(|| {
        Problem::new(
            ErrorCode::MonitorFailing,
            format!("{failing} of {} monitor(s) failing.", done.checks.len()),
        )
    });
    if let (true, Some(problem)) = (cx.out.json(), &problem) {
        cx.out.show_refused(
            serde_json::to_value(done).expect("views serialize"),
            problem,
        );
        return Err(problem.clone());
    }
    cx.out.show(done, |d| {
        if d.checks.is_empty() {
            println!("No monitors: status/monitors.yaml lists none (or is absent).");
        }
        for c in &d.checks {
            let what = if c.ok { "up" } else { "FAILING" };
            let ms = c.response_ms.map_or(String::new(), |m| format!(" {m} ms"));
            let change = match c.transition {
                Transition::WentDown => " — now counted down".to_owned(),
                Transition::CameUp => " — back up".to_owned(),
                Transition::None if !c.state.up => " (counted down)".to_owned(),
                Transition::None => String::new(),
            };
            println!("{what:>8}  {:<20} {}{ms}{change}", c.monitor, c.url);
            if !c.ok {
                let why = c.error.clone().unwrap_or_else(|| {
                    c.conditions
                        .iter()
                        .filter(|v| !v.ok)
                        .map(|v| v.shown.clone())
                        .collect::<Vec<_>>()
                        .join("; ")
                });
                println!("{:>8}  {why}", "");
            }
        }
        for draft in &d.drafts {
            let what = if draft.kind == "incident" {
                "an incident"
            } else {
                "the resolution of"
            };
            match &draft.merged {
                Some(commit) => println!(
                    "Drafted {what} {} on {} and merged it ({}): the policy auto-approves it.",
                    draft.incident,
                    draft.branch,
                    &commit[..12.min(commit.len())]
                ),
                None => println!(
                    "Drafted {what} {} on {}{}: review it like any change.",
                    draft.incident,
                    draft.branch,
                    if draft.pushed { " (pushed)" } else { "" }
                ),
            }
        }
        if let Some(e) = &d.draft_error {
            eprintln!("note: {e}");
        }
        match &d.history_commit {
            Some(c) => println!("Recorded on {} ({}).", monitor::HISTORY_BRANCH, &c[..12]),
            None if d.held => println!(
                "Held: recorded with a later round (within 15 minutes, at once when a monitor goes down or comes back)."
            ),
            None if !d.checks.is_empty() => println!("Nothing recorded (dry run)."),
            None => {}
        }
        if let Some(e) = &d.record_error {
            eprintln!("note: {e}");
        }
    });
    match problem {
        Some(p) => Err(p),
        None => Ok(()),
    }
}
