use crate::context::{network, now, Context};
use crate::terminal;
use std::time::Duration;
use wheelhouse_api::notify::{self, DeliveryOutcome, NotifyRequest, Retry};
use wheelhouse_diagnostics::{ErrorCode, Problem};
use wheelhouse_secrets::{CredentialKind, Secret};

/// Tell the subscribers of status/subscribers.yaml about every incident and maintenance update
/// HEAD has and SINCE has not (CI: after a merge, with the commit before it). Each delivery is
/// recorded in a git note on HEAD (refs/notes/wheelhouse/notifications, fetched first and
/// pushed after), so nothing is sent twice; failures are retried and exit 1.
#[derive(Debug, clap::Args)]
pub struct Notify {
    /// The commit subscribers were last told about; by default the nearest commit whose
    /// deliveries are recorded, else the one that added subscribers.yaml.
    #[arg(long)]
    since: Option<String>,
    /// The commit whose updates are told.
    #[arg(long, default_value = "HEAD")]
    head: String,
    /// Only this channel.
    #[arg(long)]
    channel: Option<String>,
    /// Print what would be sent; send and record nothing.
    #[arg(long)]
    dry_run: bool,
    /// Use this clone's record only: no fetch before, no push after.
    #[arg(long)]
    offline: bool,
    /// Tries per message, the first included.
    #[arg(long, default_value_t = 4)]
    attempts: u32,
    /// Seconds before the second try (doubling after).
    #[arg(long, default_value_t = 1.0)]
    retry_delay: f64,
    /// Send a test message to the channel named by --channel (no update, not recorded).
    #[arg(long, requires = "channel")]
    test: bool,
    /// A PEM file of certificates to trust for mail servers besides the system's (a relay
    /// with a private CA).
    #[arg(long, value_name = "FILE")]
    smtp_ca: Option<std::path::PathBuf>,
}

/// The secrets channels name (webhook addresses, signing keys), kept in the OS keyring. In CI,
/// set WHEELHOUSE_SECRET_<NAME> instead (`slack-ops` → WHEELHOUSE_SECRET_SLACK_OPS).
#[derive(Debug, clap::Subcommand)]
pub enum SecretCmd {
    /// Store a secret (read without echo, or from standard input).
    Set { name: String },
    /// Remove a stored secret.
    Forget { name: String },
}

pub fn run(args: Notify, cx: &Context) -> Result<(), Problem> {
    let repo = cx.open()?;
    let store = cx.credentials();
    if !(0.0..=600.0).contains(&args.retry_delay) {
        return Err(Problem::new(
            ErrorCode::InvalidInput,
            "--retry-delay takes seconds from 0 to 600.",
        ));
    }
    let smtp_ca = match &args.smtp_ca {
        Some(path) => Some(std::fs::read(path).map_err(|e| {
            Problem::new(
                ErrorCode::NotFound,
                format!("--smtp-ca {}: {e}", path.display()),
            )
        })?),
        None => None,
    };
    let secret = |name: &str| notify::channel_secret(&store, name);
    if args.test {
        let channel = args.channel.as_deref().unwrap_or_default();
        let d = notify::test_notification(
            &repo,
            channel,
            &secret,
            Duration::from_secs(15),
            smtp_ca.as_deref(),
            now(),
        )?;
        if d.outcome == DeliveryOutcome::Failed {
            let problem = Problem::new(
                ErrorCode::DeliveryFailed,
                format!(
                    "the test message to {} was not delivered: {}",
                    d.channel,
                    d.error.as_deref().unwrap_or("no reason given")
                ),
            );
            if cx.out.json() {
                cx.out
                    .show_refused(serde_json::to_value(&d).expect("views serialize"), &problem);
            }
            return Err(problem);
        }
        cx.out
            .show(&d, |d| println!("Sent a test message to {}.", d.channel));
        return Ok(());
    }
    let request = NotifyRequest {
        since: args.since,
        head: args.head,
        dry_run: args.dry_run,
        channel: args.channel,
        retry: Retry {
            attempts: args.attempts.clamp(1, 10),
            first_delay: Duration::from_secs_f64(args.retry_delay),
        },
        timeout: Duration::from_secs(15),
        smtp_ca,
    };
    let mut net = network(&store);
    let sync = !args.offline && !args.dry_run;
    let done = notify::notify(&repo, &request, &secret, sync.then_some(&mut net), now())?;
    let failed = done.failed();
    let problem = (failed > 0).then(|| {
        Problem::new(
            ErrorCode::DeliveryFailed,
            format!("{failed} message(s) were not delivered; they are recorded as failed and sent again by the next run."),
        )
    });
    if let (true, Some(problem)) = (cx.out.json(), &problem) {
        // One document either way: the run with the error beside it.
        cx.out.show_refused(
            serde_json::to_value(&done).expect("views serialize"),
            problem,
        );
        return Err(problem.clone());
    }
    cx.out.show(&done, |n| {
        if n.channels == 0 {
            println!("No channels: status/subscribers.yaml lists none (or is absent).");
        }
        for d in &n.deliveries {
            let what = match d.outcome {
                DeliveryOutcome::Delivered => "sent",
                DeliveryOutcome::Failed => "FAILED",
                DeliveryOutcome::AlreadyDelivered => "already sent",
                DeliveryOutcome::WouldSend => "would send",
            };
            let tries = if d.attempts > 1 {
                format!(" after {} tries", d.attempts)
            } else {
                String::new()
            };
            println!("{what:>12}  {:<16} {}{tries}", d.channel, d.headline);
            if let Some(e) = &d.error {
                println!("{:>12}  {e}", "");
            }
        }
        println!(
            "{} update(s), {} channel(s): {} message(s) sent, {failed} failed.",
            n.events.len(),
            n.channels,
            n.deliveries
                .iter()
                .filter(|d| d.outcome == DeliveryOutcome::Delivered)
                .count()
        );
        if let Some(e) = &n.record_error {
            eprintln!("note: the record was kept here but not pushed: {e}");
        }
    });
    match problem {
        Some(problem) => Err(problem),
        None => Ok(()),
    }
}

pub fn secret(cmd: SecretCmd, cx: &Context) -> Result<(), Problem> {
    let store = cx.credentials();
    match cmd {
        SecretCmd::Set { name } => {
            let value = terminal::read_secret(&format!("Value of the secret {name}: "))?;
            store.store(
                CredentialKind::ChannelSecret,
                notify::SECRET_HOST,
                &name,
                &Secret::new(value),
            )?;
            cx.out.show(&serde_json::json!({ "stored": name }), |_| {
                println!("Stored the secret {name} in the OS keyring.")
            });
        }
        SecretCmd::Forget { name } => {
            store.forget(CredentialKind::ChannelSecret, notify::SECRET_HOST, &name)?;
            cx.out.show(&serde_json::json!({ "forgotten": name }), |_| {
                println!("Forgot the secret {name}.")
            });
        }
    }
    Ok(())
}
