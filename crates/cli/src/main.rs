//! The `wheelhouse` command: every capability of the app, headless, with `--json`.
//!
//! Glue only: parse arguments, call the core crates, print. Errors go to stderr as one sentence
//! (or to stdout as `{"error": {"code", "message"}}` with `--json`) and exit non-zero.

mod terminal;

/// The allocator: resolving a repository builds and drops millions of small values on every
/// core, where glibc's per-thread arenas cost more than the work (bench/approvals-effect.sh).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use wheelhouse_api::promote::{self, MaintenanceWindow, PromotionRequest};
use wheelhouse_desired_state::check;
use wheelhouse_desired_state::edit::{self, Field};
use wheelhouse_desired_state::{matrix, Severity, Workspace};
use wheelhouse_repo::history::{CommitDetail, FileDiff, HistoryFilter, LineKind};
use wheelhouse_repo::network::{self, Network};
use wheelhouse_repo::{ErrorCode, RepoOverview, Repository};
use wheelhouse_secrets::{CredentialKind, CredentialStore, Secret};

#[derive(Debug, Parser)]
#[command(
    name = "wheelhouse",
    version = wheelhouse_build_info::version!(),
    about = "Steer GitOps environments through Git",
    long_about = "Wheelhouse opens a GitOps repository and shows what runs where. \
                  Every capability of the desktop app is available here, with --json for scripts and CI."
)]
struct Cli {
    /// Print machine-readable JSON on stdout instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// The repository's root folder.
    #[arg(long, global = true, default_value = ".")]
    repo: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create the demo workspace (a GitOps repository with history and a bare origin) in DIR.
    Demo {
        /// A new or empty folder; the repository is created at DIR/acme-gitops.
        dir: PathBuf,
    },
    /// Show a repository's branch, upstream, remotes, working-tree changes and latest commits.
    Overview {
        /// How many commits to list.
        #[arg(long, default_value_t = 20)]
        commits: usize,
    },
    /// Clone URL into DIR (https, ssh, scp-style or file). Asks for credentials on a terminal
    /// when the keyring has none, and stores them once the clone succeeded.
    Clone { url: String, dir: PathBuf },
    /// Fetch the upstream and fast-forward when that is safe; say what blocks it otherwise.
    Sync,
    /// Push the current branch to its upstream.
    Push,
    /// List commits, newest first, optionally only those touching PATH (a file or a folder).
    History {
        path: Option<String>,
        /// Only commits whose author name or email contains this text.
        #[arg(long)]
        author: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long, default_value_t = 0)]
        skip: usize,
    },
    /// Show one commit with its diff.
    Show { commit: String },
    /// Show uncommitted changes, of one file or of all; with --rendered, what BASE..HEAD
    /// changes in each environment's rendered manifests.
    Diff {
        /// A file (uncommitted changes), or BASE..HEAD with --rendered.
        path: Option<String>,
        /// The diff of the rendered manifests per environment and resource, for BASE..HEAD.
        #[arg(long)]
        rendered: bool,
    },
    /// Throw away the uncommitted changes of one file.
    Discard {
        path: String,
        /// Required: discarding cannot be undone.
        #[arg(long)]
        yes: bool,
    },
    /// Commit every change in the working tree.
    Commit {
        #[arg(short, long)]
        message: String,
    },
    /// Revert COMMIT as a new change branch (the working tree is not touched).
    Rollback { commit: String },
    /// Store an HTTPS credential for HOST in the OS keyring (the token is read without echo,
    /// or from standard input when it is not a terminal).
    Login {
        host: String,
        #[arg(long)]
        user: Option<String>,
    },
    /// Remove a stored HTTPS credential.
    Logout {
        host: String,
        #[arg(long)]
        user: String,
    },
    /// List stored credentials (hosts and users, never secrets).
    Credentials,
    /// List the environments in promotion order, with the files that make each one.
    Envs,
    /// Show the environment matrix: image tags, replicas and chart versions per environment.
    Matrix,
    /// Show every value that differs between two environments, with where each side sets it.
    Compare { a: String, b: String },
    /// Change one value in one environment's own layer: FIELD=VALUE with FIELD one of
    /// image (first container), image.<container>, replicas, env.<NAME>,
    /// resources.<requests|limits>.<cpu|memory>, values.<key> (Helm), chart (the chart
    /// version of an Argo CD Application or Flux HelmRelease the environment owns).
    Set {
        env: String,
        workload: String,
        assignment: String,
        /// Show the diff without writing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Move image tags from one environment to the next as a change branch (all workloads,
    /// or those named), with a generated commit message. The working tree is not touched.
    Promote {
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
    },
    /// Check every YAML file and manifest; exits 1 when there are errors.
    Validate,
    /// Print the manifests ENV renders to (multi-document YAML, as `kustomize build` prints
    /// them), or only WORKLOAD's. With --check, run the real Kustomize (kubectl or kustomize on
    /// PATH) on the same folders and list every disagreement; exits 1 on one.
    Render {
        env: String,
        workload: Option<String>,
        #[arg(long)]
        check: bool,
        /// With --check: stop a kustomize build that runs longer than SECONDS (default: the
        /// repository's check.timeout_seconds, else 30).
        #[arg(long, value_name = "SECONDS", requires = "check", value_parser = clap::value_parser!(u64).range(1..=3600))]
        timeout: Option<u64>,
    },
    /// Check one file as the app's YAML editor does (syntax, Kubernetes and kustomization
    /// schema); with --stdin, check the text on stdin as that file's content. Exits 1 on errors.
    Check {
        path: String,
        #[arg(long)]
        stdin: bool,
    },
    /// Replace a file of the repository with the text on stdin, as the app's YAML editor saves:
    /// refused while the text has errors, atomic, never over a file that changed meanwhile.
    Write {
        path: String,
        /// Show the diff without writing.
        #[arg(long)]
        dry_run: bool,
    },
    /// List open changes (branches ahead of the target) with their verdicts.
    Changes {
        /// The branch changes merge into (default: the remote's default branch, else main, else
        /// master — as the app decides it).
        #[arg(long)]
        target: Option<String>,
    },
    /// Approve a change (or request changes), signed with your SSH key, recorded as a git note.
    Approve {
        change: String,
        /// The branch changes merge into (default: the remote's default branch, else main, else
        /// master — as the app decides it).
        #[arg(long)]
        target: Option<String>,
        /// Request changes instead of approving.
        #[arg(long)]
        request_changes: bool,
        #[arg(long, default_value = "")]
        comment: String,
        /// The key to sign with, as git's user.signingkey takes it: a private key file, a public
        /// key file (.pub) whose private half is in the SSH agent, or a key the agent holds
        /// written as "key::ssh-ed25519 AAAA…" (see signing-keys). Default: the key chosen in
        /// the app's Settings, else git's user.signingkey.
        #[arg(long)]
        key: Option<String>,
    },
    /// List the keys the SSH agent (SSH_AUTH_SOCK) holds, to choose one to sign approvals with.
    SigningKeys,
    /// Judge BASE..HEAD under BASE's policy; exits 0 only when it may merge (for CI).
    Verify { range: String },
    /// Merge a change into the target when, and only when, its verdict allows, then push the
    /// branch and the approval notes to the upstream (as the app does); a failed push keeps the
    /// merge and says why.
    Merge {
        change: String,
        /// The branch changes merge into (default: the remote's default branch, else main, else
        /// master — as the app decides it).
        #[arg(long)]
        target: Option<String>,
        /// Keep the merge local: do not push.
        #[arg(long)]
        no_push: bool,
    },
    /// The status page kept as code in the repository (status/ by default).
    Status {
        #[command(subcommand)]
        action: StatusCommand,
    },
    /// Whether a newer signed release of Wheelhouse exists: reads the release feed (from
    /// update.json in the app's data folder, or --feed and --public-key), refuses it unless its
    /// minisign signature verifies, and compares versions. Installs nothing.
    UpdateCheck {
        /// The release feed's URL (its signature is at the same URL + .minisig).
        #[arg(long, requires = "public_key")]
        feed: Option<String>,
        /// The minisign public key the feed must be signed with (base64).
        #[arg(long, requires = "feed")]
        public_key: Option<String>,
    },
    /// Print the completion script for SHELL (the packages install them).
    Completions { shell: clap_complete::Shell },
    /// Write the manual pages (wheelhouse.1 and one per subcommand) into DIR, made from these
    /// definitions (the packages install them).
    #[command(hide = true)]
    Man { dir: PathBuf },
}

#[derive(Debug, Subcommand)]
enum StatusCommand {
    /// Build the static export (HTML, Statuspage v2 JSON, feeds, calendar, badges) into OUT,
    /// all at once; OUT must be new, empty, or an earlier export. Prints the files written.
    Build {
        out: PathBuf,
        /// The moment the page shows (RFC 3339), instead of the current time.
        #[arg(long)]
        now: Option<String>,
    },
    /// Check the status page's files; errors name file:line:column. Exits 1 on errors.
    Check,
    /// Set a component's status in components.yaml (operational, degraded_performance,
    /// partial_outage, major_outage, under_maintenance). Format-preserving: only that value
    /// changes.
    Component {
        id: String,
        status: String,
        /// Show the diff without writing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Move a component within its group or into another (group and position count from 0, in
    /// the page's order); its lines and comments move with it.
    Move {
        id: String,
        #[arg(long)]
        group: usize,
        #[arg(long)]
        position: usize,
        /// Show the diff without writing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Incidents: open one (from a template or not), add an update, resolve, write the
    /// postmortem.
    Incident {
        #[command(subcommand)]
        action: IncidentCommand,
    },
    /// Scheduled maintenance: plan one in a time zone, start it, complete it.
    Maintenance {
        #[command(subcommand)]
        action: MaintenanceCommand,
    },
    /// Convert another tool's status page (a cState site or an Upptime repository in DIR)
    /// into this repository's status folder. Existing status files are not overwritten
    /// without --force; the result must load with the folder's other files. Prints what was
    /// imported and notes on what could not be.
    Import {
        source: ImportSource,
        /// The folder of the cState site or the Upptime repository (only the files the import
        /// needs are read).
        dir: PathBuf,
        /// Check and show what would be written, without writing.
        #[arg(long)]
        dry_run: bool,
        /// Overwrite status files that exist with other content.
        #[arg(long)]
        force: bool,
    },
}

/// The tools `status import` reads.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ImportSource {
    /// A cState (Hugo) site: config.yml and content/issues/.
    Cstate,
    /// An Upptime repository: .upptimerc.yml and history/.
    Upptime,
}

#[derive(Debug, Subcommand)]
enum IncidentCommand {
    /// Open an incident: writes incidents/YYYY-MM-DD-slug.md (dated in the page's time zone)
    /// with its first update.
    New {
        /// Required unless the template gives one.
        #[arg(long, default_value = "")]
        title: String,
        /// none, minor, major or critical (default: the template's, else none).
        #[arg(long)]
        impact: Option<String>,
        /// investigating (default), identified, monitoring or resolved.
        #[arg(long)]
        status: Option<String>,
        /// An affected component and its status; repeat for more.
        #[arg(long = "component", value_name = "ID=STATUS")]
        components: Vec<String>,
        /// A template in the status folder's templates/ (its slug) that fills what is not given.
        #[arg(long)]
        template: Option<String>,
        /// The first update's Markdown.
        #[arg(long, default_value = "")]
        body: String,
        /// When it started, if before now (RFC 3339).
        #[arg(long)]
        started_at: Option<String>,
        /// The moment of the first update (RFC 3339), instead of now.
        #[arg(long)]
        at: Option<String>,
        /// Show the new file without writing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Add an update to an incident (SLUG: its file name without .md); the incident takes the
    /// update's status.
    Update {
        slug: String,
        /// investigating, identified, monitoring, resolved or postmortem.
        #[arg(long)]
        status: String,
        #[arg(long, default_value = "")]
        body: String,
        /// A component's new status; repeat for more.
        #[arg(long = "component", value_name = "ID=STATUS")]
        components: Vec<String>,
        /// The moment of the update (RFC 3339), instead of now.
        #[arg(long)]
        at: Option<String>,
        /// Show the diff without writing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Resolve an incident: a `resolved` update that brings its components back to operational.
    Resolve {
        slug: String,
        /// Default: "This incident has been resolved."
        #[arg(long)]
        body: Option<String>,
        #[arg(long)]
        at: Option<String>,
        #[arg(long)]
        dry_run: bool,
    },
    /// Write the postmortem (the Markdown after the front matter) from --body, or from stdin;
    /// a resolved incident becomes `postmortem`.
    Postmortem {
        slug: String,
        #[arg(long)]
        body: Option<String>,
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Subcommand)]
enum MaintenanceCommand {
    /// Plan a maintenance: writes maintenances/YYYY-MM-DD-slug.md, its window written with the
    /// offsets of --tz (default: the page's zone).
    New {
        #[arg(long)]
        title: String,
        /// The start, local to --tz: 2026-12-03T22:00.
        #[arg(long)]
        from: String,
        /// The end, local to --tz.
        #[arg(long)]
        until: String,
        /// An IANA time zone, e.g. Europe/Berlin.
        #[arg(long)]
        tz: Option<String>,
        /// A component under maintenance (its id); repeat for more.
        #[arg(long = "component", value_name = "ID")]
        components: Vec<String>,
        /// none, minor, major or critical (default none).
        #[arg(long)]
        impact: Option<String>,
        /// The first update's Markdown.
        #[arg(long, default_value = "")]
        body: String,
        /// The Markdown description after the front matter.
        #[arg(long, default_value = "")]
        description: String,
        /// The moment the maintenance is announced (RFC 3339), instead of now.
        #[arg(long)]
        at: Option<String>,
        #[arg(long)]
        dry_run: bool,
    },
    /// Start a scheduled maintenance: in_progress, its components under maintenance.
    Start {
        slug: String,
        #[arg(long)]
        body: Option<String>,
        #[arg(long)]
        at: Option<String>,
        #[arg(long)]
        dry_run: bool,
    },
    /// Complete a maintenance: completed, its components operational again.
    Complete {
        slug: String,
        #[arg(long)]
        body: Option<String>,
        #[arg(long)]
        at: Option<String>,
        #[arg(long)]
        dry_run: bool,
    },
}

/// Set when a failing command already printed its `--json` document with the error in it.
static ALREADY_REPORTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

#[derive(Debug)]
struct CliError {
    code: ErrorCode,
    message: String,
}

/// `{"code", "message", "hint"}`: the hint is the code's, from the one list.
impl Serialize for CliError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("CliError", 3)?;
        s.serialize_field("code", &self.code)?;
        s.serialize_field("message", &self.message)?;
        s.serialize_field("hint", self.code.hint())?;
        s.end()
    }
}

impl From<wheelhouse_api::Problem> for CliError {
    fn from(p: wheelhouse_api::Problem) -> Self {
        CliError {
            code: p.code,
            message: p.to_string(),
        }
    }
}

impl From<wheelhouse_repo::Error> for CliError {
    fn from(e: wheelhouse_repo::Error) -> Self {
        CliError {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

impl From<wheelhouse_secrets::SecretsError> for CliError {
    fn from(e: wheelhouse_secrets::SecretsError) -> Self {
        CliError {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            if ALREADY_REPORTED.load(std::sync::atomic::Ordering::Relaxed) {
                // The command's own JSON document already carries the error.
            } else if cli.json {
                println!("{}", serde_json::json!({ "error": err }));
            } else {
                eprintln!("error: {}", err.message);
            }
            ExitCode::FAILURE
        }
    }
}

/// The app's data folder, shared with the desktop app (same identifier), so both list the same
/// stored credentials. `WHEELHOUSE_DATA_DIR` overrides it (tests, portable setups).
fn data_dir() -> PathBuf {
    std::env::var_os("WHEELHOUSE_DATA_DIR")
        .map(PathBuf::from)
        .or_else(|| dirs::data_dir().map(|d| d.join("dev.wheelhouse.app")))
        .unwrap_or_else(|| PathBuf::from(".wheelhouse-data"))
}

fn update_error(e: wheelhouse_update::UpdateError) -> CliError {
    CliError {
        code: e.code(),
        message: e.to_string(),
    }
}

fn open(path: &Path) -> Result<Repository, CliError> {
    Ok(Repository::open(path)?)
}

fn run(cli: &Cli) -> Result<(), CliError> {
    // Verdicts depend on the date: a pinned time that is not one is refused, never ignored.
    wheelhouse_repo::clock::check().map_err(|e| CliError {
        code: ErrorCode::InvalidInput,
        message: e.to_string(),
    })?;
    if desired_state(cli)? {
        return Ok(());
    }
    let json = cli.json;
    match &cli.command {
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut cmd, "wheelhouse", &mut script);
            write_stdout(&script, "completion script")?;
        }
        Command::UpdateCheck { feed, public_key } => {
            let version = env!("CARGO_PKG_VERSION");
            let found = match (feed, public_key) {
                (Some(feed), Some(public_key)) => {
                    let settings = wheelhouse_update::UpdateSettings {
                        feed: feed.clone(),
                        public_key: public_key.clone(),
                    };
                    wheelhouse_update::check(&settings, version)
                }
                // The app's settings, as Settings → About reads them.
                _ => wheelhouse_update::status(&data_dir(), version, true)
                    .and_then(wheelhouse_update::UpdateStatus::into_check),
            }
            .map_err(update_error)?;
            if json {
                print_json(&found);
            } else if found.newer {
                println!(
                    "Wheelhouse {} is available (this is {}){}.",
                    found.latest,
                    found.current,
                    found
                        .pub_date
                        .as_deref()
                        .map(|d| format!(", published {d}"))
                        .unwrap_or_default()
                );
                if let Some(url) = &found.download {
                    println!("Package: {url}");
                }
                if let Some(notes) = &found.notes {
                    println!("{notes}");
                }
            } else {
                println!(
                    "No newer signed release: the feed's latest is {} (this is {}; feed {}).",
                    found.latest, found.current, found.feed
                );
            }
        }
        Command::Man { dir } => {
            clap_mangen::generate_to(<Cli as clap::CommandFactory>::command(), dir).map_err(
                |e| CliError {
                    code: ErrorCode::Io,
                    message: format!(
                        "The manual pages could not be written to {}: {e}",
                        dir.display()
                    ),
                },
            )?;
        }
        Command::Demo { dir } => {
            let demo = wheelhouse_demo::create(dir).map_err(|e| CliError {
                code: e.code(),
                message: e.to_string(),
            })?;
            if json {
                print_json(&demo);
            } else {
                println!("Created the demo workspace ({} commits).", demo.commits);
                println!("  repository: {}", demo.repo);
                println!("  origin:     {}", demo.origin);
                println!("Open it: wheelhouse-app --repo {}", demo.repo);
            }
        }
        Command::Overview { commits } => {
            let overview = open(&cli.repo)?.overview(*commits)?;
            if json {
                print_json(&overview);
            } else {
                print_overview(&overview);
            }
        }
        Command::Clone { url, dir } => {
            let store = CredentialStore::new(data_dir());
            let progress = terminal::Progress::new(!json);
            let mut net = Network::new()
                .on_progress(|p| progress.show(p))
                .credentials(network::keyring_first(&store, terminal::ask_credentials));
            let repo = wheelhouse_repo::clone(url, dir, &mut net);
            progress.finish();
            let repo = repo?;
            network::remember_accepted(&store, net.accepted())?;
            let overview = repo.overview(5)?;
            if json {
                print_json(&overview);
            } else {
                println!("Cloned into {}.", overview.path);
            }
        }
        Command::Sync => {
            let repo = open(&cli.repo)?;
            let store = CredentialStore::new(data_dir());
            let mut net = Network::new()
                .credentials(network::keyring_first(&store, terminal::ask_credentials));
            let report = repo.sync(&mut net)?;
            network::remember_accepted(&store, net.accepted())?;
            if let Err(e) = wheelhouse_approvals::review::sync_notes(&repo, &mut net) {
                eprintln!("note: approval notes were not fetched: {e}");
            }
            if json {
                print_json(&report);
            } else {
                let s = &report.state;
                if report.fast_forwarded > 0 {
                    println!("Pulled {} commit(s).", report.fast_forwarded);
                }
                match (&s.upstream, s.ahead, s.behind) {
                    (Some(u), 0, 0) => println!("Up to date with {u}."),
                    (Some(u), a, b) => println!("{a} commit(s) to push, {b} to pull ({u})."),
                    (None, _, _) => println!("No upstream branch."),
                }
                for c in &s.incoming {
                    println!(
                        "  incoming  {}  {:<18}  {}",
                        c.short_id, c.author_name, c.summary
                    );
                }
                for c in &s.outgoing {
                    println!(
                        "  outgoing  {}  {:<18}  {}",
                        c.short_id, c.author_name, c.summary
                    );
                }
                if let Some(block) = &s.blocked {
                    println!("Not updated: {}", wheelhouse_repo::describe_block(block));
                }
            }
        }
        Command::Push => {
            let repo = open(&cli.repo)?;
            let store = CredentialStore::new(data_dir());
            let mut net = Network::new()
                .credentials(network::keyring_first(&store, terminal::ask_credentials));
            repo.push(&mut net)?;
            network::remember_accepted(&store, net.accepted())?;
            wheelhouse_approvals::review::push_notes(&repo, &mut net).map_err(review_failure)?;
            let state = repo.sync_state()?;
            if json {
                print_json(&state);
            } else {
                println!("Pushed to {}.", state.upstream.unwrap_or_default());
            }
        }
        Command::History {
            path,
            author,
            limit,
            skip,
        } => {
            let repo = open(&cli.repo)?;
            if let Some(p) = path {
                repo.resolve_inside(p)?;
            }
            let page = repo.history(&HistoryFilter {
                path: path.clone(),
                author: author.clone(),
                skip: *skip,
                limit: *limit,
            })?;
            if json {
                print_json(&page);
            } else {
                for c in &page.commits {
                    println!("{}  {:<18}  {}", c.short_id, c.author_name, c.summary);
                }
                if page.has_more {
                    println!("(more: --skip {})", skip + limit);
                }
            }
        }
        Command::Show { commit } => {
            let detail = open(&cli.repo)?.commit_detail(commit)?;
            if json {
                print_json(&detail);
            } else {
                print_detail(&detail);
            }
        }
        Command::Diff {
            path: Some(range),
            rendered: true,
        } => {
            let repo = open(&cli.repo)?;
            let (base, head) = split_range(range)?;
            let mut reviews = wheelhouse_approvals::review::ReviewCache::default();
            let r = reviews
                .judge(&repo, head, head, base, now())
                .map_err(review_failure)?;
            // The process ends after printing: freeing the renders would only delay it.
            std::mem::forget(reviews);
            if json {
                print_json(&r.effect);
            } else {
                print_effect(&r.effect, true);
            }
        }
        Command::Diff { rendered: true, .. } => {
            return Err(CliError {
                code: ErrorCode::InvalidInput,
                message: "diff --rendered needs BASE..HEAD (for example main..change/x).".into(),
            })
        }
        Command::Diff { path, .. } => {
            let files = open(&cli.repo)?.working_diff(path.as_deref())?;
            if json {
                print_json(&files);
            } else if files.is_empty() {
                println!("No uncommitted changes.");
            } else {
                print_files(&files);
            }
        }
        Command::Discard { path, yes } => {
            if !yes {
                return Err(CliError {
                    code: ErrorCode::InvalidInput,
                    message: format!(
                        "Discarding the changes of {path} cannot be undone; run again with --yes."
                    ),
                });
            }
            open(&cli.repo)?.discard(path)?;
            if json {
                print_json(&serde_json::json!({ "discarded": path }));
            } else {
                println!("Discarded the changes of {path}.");
            }
        }
        Command::Commit { message } => {
            let commit = open(&cli.repo)?.commit_all(message)?;
            if json {
                print_json(&commit);
            } else {
                println!("Committed {} {}", commit.short_id, commit.summary);
            }
        }
        Command::Rollback { commit } => {
            let rollback = open(&cli.repo)?.rollback(commit)?;
            if json {
                print_json(&rollback);
            } else {
                println!(
                    "Created {} with {} \"{}\". It waits for approval like any change.",
                    rollback.branch, rollback.commit.short_id, rollback.commit.summary
                );
            }
        }
        Command::Login { host, user } => {
            let store = CredentialStore::new(data_dir());
            let user = match user {
                Some(u) => u.clone(),
                None => terminal::read_line(&format!("User name for {host}: "))?,
            };
            let token = terminal::read_secret(&format!("Token or password for {user}@{host}: "))?;
            let row = store.store(CredentialKind::HttpsToken, host, &user, &Secret::new(token))?;
            if json {
                print_json(&row);
            } else {
                println!(
                    "Stored a credential for {}@{} in the OS keyring.",
                    row.user, row.host
                );
            }
        }
        Command::Logout { host, user } => {
            CredentialStore::new(data_dir()).forget(CredentialKind::HttpsToken, host, user)?;
            if json {
                print_json(&serde_json::json!({ "forgotten": { "host": host, "user": user } }));
            } else {
                println!("Forgot the credential for {user}@{host}.");
            }
        }
        Command::Envs
        | Command::Matrix
        | Command::Compare { .. }
        | Command::Set { .. }
        | Command::Promote { .. }
        | Command::Validate
        | Command::Render { .. }
        | Command::Check { .. }
        | Command::Write { .. }
        | Command::Changes { .. }
        | Command::Approve { .. }
        | Command::Verify { .. }
        | Command::Merge { .. } => unreachable!("handled by desired_state"),
        Command::Status { action } => status_page(cli, action)?,
        Command::SigningKeys => {
            use wheelhouse_approvals::agent;
            let keys = agent::default_socket()
                .and_then(|socket| agent::list_identities(&socket))
                .map_err(signing_failure)?;
            if json {
                print_json(&keys);
            } else if keys.is_empty() {
                println!("The SSH agent holds no keys. Add one: ssh-add ~/.ssh/id_ed25519");
            } else {
                for k in &keys {
                    let cert = if k.certificate { "  (certificate)" } else { "" };
                    println!("{}  {}  {}{cert}", k.fingerprint, k.algorithm, k.comment);
                    println!("  git config user.signingkey \"key::{}\"", k.public_key);
                }
                println!(
                    "Choose one with the git config line under it, or --key with its .pub file."
                );
            }
        }
        Command::Credentials => {
            let list = CredentialStore::new(data_dir()).list();
            if json {
                print_json(&list);
            } else if list.is_empty() {
                println!("No stored credentials. Add one with: wheelhouse login HOST");
            } else {
                for c in list {
                    println!("{:<20} {:<30} {:?}", c.host, c.user, c.kind);
                }
            }
        }
    }
    Ok(())
}

fn read_stdin() -> Result<String, CliError> {
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).map_err(|e| CliError {
        code: ErrorCode::Io,
        message: format!("Could not read the text on stdin: {e}"),
    })?;
    Ok(text)
}

/// Prints problems (errors, then a count) and fails when there is an error among them.
fn report_problems(
    problems: &[wheelhouse_desired_state::Problem],
    json: bool,
) -> Result<(), CliError> {
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    if json {
        print_json(&problems);
    } else {
        for p in problems {
            println!(
                "{}: {p}",
                if p.severity == Severity::Error {
                    "error"
                } else {
                    "warning"
                }
            );
        }
        println!("{errors} error(s), {} warning(s).", problems.len() - errors);
    }
    if errors > 0 {
        return Err(CliError {
            code: ErrorCode::ValidationFailed,
            message: format!("{errors} error(s) found."),
        });
    }
    Ok(())
}

fn workspace(path: &Path) -> Result<Workspace, CliError> {
    // Open through the repository first: the same refusals (not a repository, bare, …).
    let repo = open(path)?;
    Workspace::open(repo.root()).map_err(|e| CliError {
        code: ErrorCode::Io,
        message: format!("Could not read {}: {e}", repo.root().display()),
    })
}

fn edit_failure(e: edit::EditError) -> CliError {
    CliError {
        code: e.code(),
        message: e.to_string(),
    }
}

/// `image`, `image.api`, `replicas`, `values.image.tag`, `chart` → a field.
fn parse_field(name: &str) -> Result<Field, CliError> {
    let field = match name {
        "image" | "tag" => Field::ImageTag { container: None },
        "replicas" => Field::Replicas,
        "chart" => Field::ChartVersion,
        _ => {
            if let Some(c) = name.strip_prefix("image.") {
                Field::ImageTag {
                    container: Some(c.to_owned()),
                }
            } else if let Some(k) = name.strip_prefix("values.") {
                Field::HelmValue { key: k.to_owned() }
            } else if let Some(var) = name.strip_prefix("env.") {
                Field::EnvVar {
                    container: None,
                    name: var.to_owned(),
                }
            } else if let Some(r) = name.strip_prefix("resources.") {
                Field::Resource {
                    container: None,
                    name: r.to_owned(),
                }
            } else {
                return Err(CliError {
                    code: ErrorCode::InvalidInput,
                    message: format!("\"{name}\" is not a field: use image, image.<container>, replicas, env.<NAME>, resources.<requests|limits>.<cpu|memory>, values.<key> or chart."),
                });
            }
        }
    };
    Ok(field)
}

fn desired_state(cli: &Cli) -> Result<bool, CliError> {
    let json = cli.json;
    match &cli.command {
        Command::Envs => {
            let ws = workspace(&cli.repo)?;
            if json {
                print_json(&ws.state().environments);
            } else {
                for e in &ws.state().environments {
                    let lock = if e.protected { "  (protected)" } else { "" };
                    let stage = e
                        .stage
                        .as_ref()
                        .map(|s| format!("  (a {s} variant)"))
                        .unwrap_or_default();
                    println!("{}{lock}{stage}\n  {}", e.name, e.paths.join("\n  "));
                }
            }
        }
        Command::Matrix => {
            let ws = workspace(&cli.repo)?;
            let m = matrix::matrix(ws.state());
            if json {
                print_json(&m);
            } else {
                print!("{:<28}", "workload");
                for e in &m.environments {
                    print!("{:<22}", e.name);
                }
                println!();
                for row in &m.rows {
                    print!("{:<28}", row.id);
                    for cell in &row.cells {
                        let text = match cell {
                            None => "—".to_owned(),
                            Some(c) => {
                                let mut parts = c.tags.clone();
                                if let Some(v) = &c.chart_version {
                                    parts.push(format!("chart {v}"));
                                }
                                if let Some(r) = &c.replicas {
                                    parts.push(format!("×{r}"));
                                }
                                format!(
                                    "{}{}",
                                    if c.differs_from_previous { "*" } else { "" },
                                    parts.join(" ")
                                )
                            }
                        };
                        print!("{text:<22}");
                    }
                    println!();
                }
                for p in &m.problems {
                    eprintln!("{p}");
                }
            }
            // The process ends after printing: freeing the parsed repository would only delay it.
            std::mem::forget(ws);
        }
        Command::Compare { a, b } => {
            let ws = workspace(&cli.repo)?;
            let envs = &ws.state().environments;
            let index = |name: &str| {
                envs.iter().position(|e| e.name == name).ok_or_else(|| {
                    edit_failure(edit::EditError::UnknownEnvironment(name.to_owned()))
                })
            };
            let diffs = matrix::compare(ws.state(), index(a)?, index(b)?);
            if json {
                print_json(&diffs);
            } else if diffs.is_empty() {
                println!("{a} and {b} are the same.");
            } else {
                for d in &diffs {
                    let side = |s: &Option<wheelhouse_desired_state::Sourced>| match s {
                        Some(v) => format!("{} ({}:{})", v.value, v.source.file, v.source.line),
                        None => "—".into(),
                    };
                    println!(
                        "{:<16} {:<28} {a}: {}\n{:<45} {b}: {}",
                        d.workload,
                        d.field,
                        side(&d.left),
                        "",
                        side(&d.right)
                    );
                }
            }
        }
        Command::Set {
            env,
            workload,
            assignment,
            dry_run,
        } => {
            let (name, value) = assignment.split_once('=').ok_or_else(|| CliError {
                code: ErrorCode::InvalidInput,
                message: format!("\"{assignment}\" is not FIELD=VALUE."),
            })?;
            let field = parse_field(name)?;
            let mut ws = workspace(&cli.repo)?;
            let edits = if *dry_run {
                wheelhouse_api::edits::plan(&ws, env, workload, &field, value)?
            } else {
                let mut history = wheelhouse_api::edits::EditHistory::default();
                wheelhouse_api::edits::set(&mut ws, &mut history, env, workload, &field, value)?
            };
            if json {
                print_json(&edits);
            } else if edits.is_empty() {
                println!("Nothing to change: {workload} in {env} already has {name}={value}.");
            } else {
                for e in &edits {
                    print!("{}", e.diff);
                }
            }
        }
        Command::Promote {
            from,
            to,
            workloads,
            dry_run,
            maintenance_from,
            maintenance_until,
            maintenance_tz,
        } => {
            let repo = open(&cli.repo)?;
            let ws = workspace(&cli.repo)?;
            let maintenance = match (maintenance_from, maintenance_until) {
                (Some(start), Some(end)) => Some(MaintenanceWindow {
                    start: start.clone(),
                    end: end.clone(),
                    time_zone: maintenance_tz.clone(),
                }),
                _ => None,
            };
            let request = PromotionRequest {
                from: from.clone(),
                to: to.clone(),
                workloads: workloads.clone(),
                maintenance,
                dry_run: *dry_run,
            };
            let outcome = promote::create(&repo, &ws, request, now_timestamp())?;
            let promotion = outcome.promotion;
            let created = outcome.created.map(|c| (c.branch, c.commit));
            if json {
                print_json(
                    &serde_json::json!({ "promotion": promotion, "branch": created.as_ref().map(|c| &c.0), "commit": created.as_ref().map(|c| &c.1) }),
                );
            } else {
                println!("{}", promotion.message);
                for e in &promotion.edits {
                    print!("{}", e.diff);
                }
                match created {
                    Some((branch, commit)) => println!(
                        "Created {branch} at {}; it waits for approval like any change.",
                        commit.short_id
                    ),
                    None if promotion.edits.is_empty() => {
                        println!("Nothing to promote: {to} already runs what {from} runs.")
                    }
                    None => println!("(dry run: nothing was written)"),
                }
            }
        }
        Command::Validate => {
            let ws = workspace(&cli.repo)?;
            let problems =
                wheelhouse_desired_state::validate::validate(ws.snapshot(), &ws.state().problems);
            report_problems(&problems, json)?;
        }
        Command::Render {
            env,
            workload,
            check,
            timeout,
        } => render(&cli.repo, env, workload.as_deref(), *check, *timeout, json)?,
        Command::Check { path, stdin } => {
            let repo = open(&cli.repo)?;
            let full = repo.resolve_inside(path)?;
            let text = if *stdin {
                read_stdin()?
            } else {
                check::read_for_edit(&full, path).map_err(edit_failure)?
            };
            let problems = wheelhouse_checks::check_file(repo.root(), path, &text);
            report_problems(&problems, json)?;
        }
        Command::Write { path, dry_run } => {
            let repo = open(&cli.repo)?;
            let full = repo.resolve_inside(path)?;
            let before = if full.exists() {
                check::read_for_edit(&full, path).map_err(edit_failure)?
            } else {
                String::new()
            };
            let text = read_stdin()?;
            let planned =
                wheelhouse_checks::write_file(repo.root(), path, &before, &text, *dry_run)
                    .map_err(edit_failure)?;
            if json {
                print_json(&serde_json::json!({
                    "path": planned.path,
                    "diff": planned.diff,
                    "written": !dry_run && planned.before != planned.after,
                }));
            } else if planned.diff.is_empty() {
                println!("No change: {path} already holds this text.");
            } else {
                print!("{}", planned.diff);
                if !dry_run {
                    println!("Wrote {path}.");
                }
            }
        }
        Command::Changes { target } => {
            let repo = open(&cli.repo)?;
            let target = &target_of(&repo, target);
            let list =
                wheelhouse_approvals::review::list(&repo, target, now()).map_err(review_failure)?;
            if json {
                print_json(&list);
            } else if list.is_empty() {
                println!("No open changes against {target}.");
            } else {
                for r in &list {
                    println!("{}  {}  ({})", r.change.name, r.title, r.author.name);
                    println!(
                        "  touches {}; {}",
                        if r.environments.is_empty() {
                            "no environment".to_owned()
                        } else {
                            r.environments.join(", ")
                        },
                        r.verdict.summary
                    );
                }
            }
        }
        Command::Approve {
            change,
            target,
            request_changes,
            comment,
            key,
        } => {
            let repo = open(&cli.repo)?;
            let target = &target_of(&repo, target);
            let git = git2::Repository::open(repo.root()).map_err(|e| CliError {
                code: ErrorCode::Git,
                message: e.message().to_owned(),
            })?;
            let config = git.config().map_err(|e| CliError {
                code: ErrorCode::Git,
                message: e.message().to_owned(),
            })?;
            let email = config.get_string("user.email").map_err(|_| CliError {
                code: ErrorCode::IdentityMissing,
                message: "Set git config user.email: approvals are recorded under it.".into(),
            })?;
            let setting = wheelhouse_approvals::faces::signing_key_setting(
                key.as_deref(),
                &data_dir(),
                &repo,
            )
            .unwrap_or_default();
            let signer = open_signing_key(&setting)?;
            let r = wheelhouse_approvals::review::approve(
                &repo,
                change,
                target,
                &wheelhouse_approvals::review::Reviewer {
                    email: &email,
                    key: &signer,
                },
                !request_changes,
                comment,
                now(),
            )
            .map_err(review_failure)?;
            if json {
                print_json(&r);
            } else {
                println!(
                    "Recorded your {} of {}. {}",
                    if *request_changes {
                        "request for changes"
                    } else {
                        "approval"
                    },
                    r.change.name,
                    r.verdict.summary
                );
            }
        }
        Command::Verify { range } => {
            let repo = open(&cli.repo)?;
            let (base, head) = split_range(range)?;
            // The file diff is in the JSON document only; the text explains the verdict.
            let mut reviews = wheelhouse_approvals::review::ReviewCache::default();
            let r = if json {
                reviews.review(&repo, head, head, base, now())
            } else {
                reviews.judge(&repo, head, head, base, now())
            }
            .map_err(review_failure)?;
            // The process ends after printing: freeing the renders would only delay it.
            std::mem::forget(reviews);
            let refused = (!r.verdict.allows_merge()).then(|| CliError {
                code: ErrorCode::PolicyNotSatisfied,
                message: r.verdict.summary.clone(),
            });
            if json {
                // One JSON document: the review, with the error beside it when it fails.
                let mut doc = serde_json::to_value(&r).expect("a review serialises");
                if let Some(e) = &refused {
                    doc["error"] = serde_json::json!(e);
                    ALREADY_REPORTED.store(true, std::sync::atomic::Ordering::Relaxed);
                }
                print_json(&doc);
            } else {
                print_verdict(&r.verdict);
                print_effect(&r.effect, false);
            }
            if let Some(e) = refused {
                return Err(e);
            }
        }
        Command::Merge {
            change,
            target,
            no_push,
        } => {
            let repo = open(&cli.repo)?;
            let target = target_of(&repo, target);
            let store = CredentialStore::new(data_dir());
            let mut net = Network::new()
                .credentials(network::keyring_first(&store, terminal::ask_credentials));
            let outcome = wheelhouse_approvals::faces::merge_and_push(
                &repo,
                change,
                &target,
                now(),
                (!no_push).then_some(&mut net),
            )
            .map_err(review_failure)?;
            if outcome.pushed {
                network::remember_accepted(&store, net.accepted())?;
            }
            if json {
                print_json(&outcome);
            } else {
                println!(
                    "Merged into {target}: {} {}",
                    outcome.commit.short_id, outcome.commit.summary
                );
                match (&outcome.push_error, outcome.pushed) {
                    (_, true) => println!("Pushed {target} and the approval notes."),
                    (Some(why), false) => {
                        println!("Not pushed: {why} The merge is kept locally.")
                    }
                    (None, false) => {
                        println!("Kept local (--no-push); wheelhouse push sends it.")
                    }
                }
            }
        }
        _ => return Ok(false),
    }
    Ok(true)
}

fn now() -> i64 {
    wheelhouse_repo::clock::now_unix()
}

/// The branch changes merge into: the one given, else as the app decides it.
fn target_of(repo: &Repository, given: &Option<String>) -> String {
    given
        .clone()
        .unwrap_or_else(|| wheelhouse_approvals::faces::target_branch(repo))
}

/// The status folder `.wheelhouse/config.yaml` names, refused when it leads outside the
/// repository.
fn status_folder(root: &std::path::Path) -> Result<(String, std::path::PathBuf), CliError> {
    wheelhouse_status::fs::status_dir(root).map_err(|e| CliError {
        code: e.code(),
        message: e.to_string(),
    })
}

fn split_range(range: &str) -> Result<(&str, &str), CliError> {
    range.split_once("..").ok_or_else(|| CliError {
        code: ErrorCode::InvalidInput,
        message: format!("\"{range}\" is not BASE..HEAD (for example origin/main..HEAD)."),
    })
}

/// The verdict and why: each rule that applies (by which paths, by which effects), each that
/// does not, the freeze.
fn print_verdict(v: &wheelhouse_approvals::policy::Verdict) {
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
fn print_effect(e: &wheelhouse_desired_state::effect::Effect, diffs: bool) {
    use wheelhouse_desired_state::effect::EffectStatus;
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
                    wheelhouse_desired_state::effect::ResourceStatus::Added => "added",
                    wheelhouse_desired_state::effect::ResourceStatus::Removed => "removed",
                    wheelhouse_desired_state::effect::ResourceStatus::Changed => "changed",
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

fn now_timestamp() -> wheelhouse_status::Timestamp {
    wheelhouse_status::Timestamp::from_second(now())
        .unwrap_or_else(|_| wheelhouse_status::Timestamp::now())
}

fn review_failure(e: wheelhouse_approvals::review::ReviewError) -> CliError {
    CliError {
        code: e.code(),
        message: e.to_string(),
    }
}

/// `status build` and `status check`: read the status folder, then export or report.
fn status_page(cli: &Cli, action: &StatusCommand) -> Result<(), CliError> {
    if let Some((edit, at, dry_run)) = status_edit_of(action)? {
        return status_edit(cli, &edit, at.as_deref(), dry_run);
    }
    if let StatusCommand::Import {
        source,
        dir,
        dry_run,
        force,
    } = action
    {
        return status_import(cli, *source, dir, *dry_run, *force);
    }
    let repo = open(&cli.repo)?;
    let (folder, dir) = status_folder(repo.root())?;
    let fs_failure = |e: wheelhouse_status::fs::FsError| CliError {
        code: e.code(),
        message: e.to_string(),
    };
    let files = wheelhouse_status::fs::read_folder(&dir).map_err(fs_failure)?;
    let model = match wheelhouse_status::load(&files) {
        Ok(model) => model,
        Err(errors) => {
            let errors: Vec<_> = errors.into_iter().map(|e| e.in_folder(&folder)).collect();
            if cli.json {
                print_json(&errors);
            } else {
                for e in &errors {
                    println!("error: {e}");
                }
            }
            return Err(CliError {
                code: ErrorCode::StatusInvalid,
                message: format!(
                    "{} error(s) in {folder}/; nothing was written.",
                    errors.len()
                ),
            });
        }
    };
    match action {
        StatusCommand::Import { .. } => unreachable!("handled before loading"),
        StatusCommand::Component { .. }
        | StatusCommand::Move { .. }
        | StatusCommand::Incident { .. }
        | StatusCommand::Maintenance { .. } => unreachable!("handled by status_edit"),
        StatusCommand::Check => {
            let components = model.components().count();
            if cli.json {
                print_json(&serde_json::json!({
                    "folder": folder,
                    "components": components,
                    "incidents": model.incidents.len(),
                    "maintenances": model.maintenances.len(),
                    "templates": model.templates.len(),
                }));
            } else {
                println!(
                    "{folder}/ is valid: {components} component(s), {} incident(s), {} maintenance(s), {} template(s).",
                    model.incidents.len(),
                    model.maintenances.len(),
                    model.templates.len()
                );
            }
        }
        StatusCommand::Build { out, now } => {
            let now = match now {
                Some(text) => text.parse::<wheelhouse_status::Timestamp>().map_err(|_| CliError {
                    code: ErrorCode::InvalidInput,
                    message: format!(
                        "--now \"{text}\" is not an RFC 3339 time with an offset, e.g. 2026-11-06T12:00:00Z."
                    ),
                })?,
                None => now_timestamp(),
            };
            let export = wheelhouse_status::build(&model, now);
            wheelhouse_status::fs::write_export(out, &export).map_err(fs_failure)?;
            if cli.json {
                let files: Vec<_> = export
                    .iter()
                    .map(|(path, bytes)| serde_json::json!({"path": path, "bytes": bytes.len()}))
                    .collect();
                print_json(&serde_json::json!({
                    "out": out,
                    "now": now.to_string(),
                    "files": files,
                }));
            } else {
                for path in export.keys() {
                    println!("{path}");
                }
                println!(
                    "Wrote {} files to {} (as of {now}).",
                    export.len(),
                    out.display()
                );
            }
        }
    }
    Ok(())
}

/// `status import cstate|upptime DIR`: read the few files the importer needs from DIR, convert,
/// and write into the repository's status folder (or only show it with --dry-run).
fn status_import(
    cli: &Cli,
    source: ImportSource,
    dir: &Path,
    dry_run: bool,
    force: bool,
) -> Result<(), CliError> {
    use wheelhouse_status::import::{self, FileAction, ImportError, Source};
    let source = match source {
        ImportSource::Cstate => Source::Cstate,
        ImportSource::Upptime => Source::Upptime,
    };
    let repo = open(&cli.repo)?;
    let (folder, status_dir) = status_folder(repo.root())?;
    let failure = |e: ImportError| {
        let mut message = e.to_string();
        if let ImportError::Exists { paths } = &e {
            let paths: Vec<String> = paths.iter().map(|p| format!("{folder}/{p}")).collect();
            message = format!(
                "These status files exist already: {}. Pass --force to overwrite them; nothing was written.",
                paths.join(", ")
            );
        }
        if let ImportError::Invalid { errors } = &e {
            for error in errors.iter().take(5) {
                message.push_str(&format!("\n  {}", error.clone().in_folder(&folder)));
            }
            if errors.len() > 5 {
                message.push_str(&format!("\n  … and {} more", errors.len() - 5));
            }
        }
        CliError {
            code: e.code(),
            message,
        }
    };
    let files = import::read_source(source, dir).map_err(failure)?;
    let imported = import::import(source, &files).map_err(failure)?;
    let plan = import::write_into(&status_dir, &imported.files, force, dry_run).map_err(failure)?;
    if cli.json {
        let files: Vec<_> = plan
            .iter()
            .map(|p| {
                serde_json::json!({
                    "path": format!("{folder}/{}", p.path),
                    "action": p.action,
                    "bytes": p.bytes,
                })
            })
            .collect();
        print_json(&serde_json::json!({
            "source": source,
            "dir": dir,
            "folder": folder,
            "dry_run": dry_run,
            "components": imported.components,
            "incidents": imported.incidents,
            "files": files,
            "notes": imported.notes,
        }));
        return Ok(());
    }
    println!(
        "{} {} from {} into {folder}/: {} component(s), {} incident(s).",
        if dry_run { "Would import" } else { "Imported" },
        source.label(),
        dir.display(),
        imported.components,
        imported.incidents
    );
    for p in &plan {
        let action = match p.action {
            FileAction::Create => "create",
            FileAction::Overwrite => "overwrite",
            FileAction::Unchanged => "unchanged",
        };
        println!("  {action:<10} {folder}/{}", p.path);
    }
    if !imported.notes.is_empty() {
        println!(
            "Notes ({}): what was not imported as it was",
            imported.notes.len()
        );
        for n in &imported.notes {
            println!("  - {n}");
        }
    }
    if dry_run {
        println!("Nothing was written (--dry-run).");
    } else {
        println!("Review the files (git diff), then commit them like any other change.");
    }
    Ok(())
}

fn status_edit_failure(e: wheelhouse_status::EditError) -> CliError {
    CliError {
        code: e.code(),
        message: e.to_string(),
    }
}

/// `ID=STATUS` → a component change.
fn component_change(text: &str) -> Result<wheelhouse_status::ComponentChange, CliError> {
    let (id, status) = text.split_once('=').ok_or_else(|| CliError {
        code: ErrorCode::InvalidInput,
        message: format!("--component \"{text}\" is not ID=STATUS, e.g. api=partial_outage."),
    })?;
    Ok(wheelhouse_status::ComponentChange {
        id: id.trim().to_string(),
        status: status.parse().map_err(status_edit_failure)?,
    })
}

fn optional_word<T>(word: &Option<String>) -> Result<Option<T>, CliError>
where
    T: std::str::FromStr<Err = wheelhouse_status::EditError>,
{
    word.as_deref()
        .map(str::parse)
        .transpose()
        .map_err(status_edit_failure)
}

/// The edit a `status` subcommand asks for, the moment it is dated (`--at`), and `--dry-run`;
/// `None` for the commands that read the page instead.
#[allow(clippy::type_complexity)]
fn status_edit_of(
    action: &StatusCommand,
) -> Result<Option<(wheelhouse_status::StatusEdit, Option<String>, bool)>, CliError> {
    use wheelhouse_status::edit::{NewIncident, NewMaintenance};
    use wheelhouse_status::StatusEdit;
    let changes = |list: &[String]| {
        list.iter()
            .map(|c| component_change(c))
            .collect::<Result<Vec<_>, _>>()
    };
    Ok(Some(match action {
        StatusCommand::Build { .. } | StatusCommand::Check | StatusCommand::Import { .. } => {
            return Ok(None)
        }
        StatusCommand::Component {
            id,
            status,
            dry_run,
        } => (
            StatusEdit::SetComponentStatus {
                id: id.clone(),
                status: status.parse().map_err(status_edit_failure)?,
            },
            None,
            *dry_run,
        ),
        StatusCommand::Move {
            id,
            group,
            position,
            dry_run,
        } => (
            StatusEdit::MoveComponent {
                id: id.clone(),
                group: *group,
                position: *position,
            },
            None,
            *dry_run,
        ),
        StatusCommand::Incident { action } => match action {
            IncidentCommand::New {
                title,
                impact,
                status,
                components,
                template,
                body,
                started_at,
                at,
                dry_run,
            } => (
                StatusEdit::NewIncident(NewIncident {
                    title: title.clone(),
                    status: optional_word(status)?,
                    impact: optional_word(impact)?,
                    components: changes(components)?,
                    body: body.clone(),
                    template: template.clone(),
                    started_at: started_at.clone(),
                }),
                at.clone(),
                *dry_run,
            ),
            IncidentCommand::Update {
                slug,
                status,
                body,
                components,
                at,
                dry_run,
            } => (
                StatusEdit::AddIncidentUpdate {
                    slug: slug.clone(),
                    at: None,
                    status: status.parse().map_err(status_edit_failure)?,
                    body: body.clone(),
                    components: changes(components)?,
                },
                at.clone(),
                *dry_run,
            ),
            IncidentCommand::Resolve {
                slug,
                body,
                at,
                dry_run,
            } => (
                StatusEdit::ResolveIncident {
                    slug: slug.clone(),
                    at: None,
                    body: body.clone(),
                },
                at.clone(),
                *dry_run,
            ),
            IncidentCommand::Postmortem {
                slug,
                body,
                dry_run,
            } => (
                StatusEdit::SetPostmortem {
                    slug: slug.clone(),
                    markdown: match body {
                        Some(b) => b.clone(),
                        None => read_stdin()?,
                    },
                },
                None,
                *dry_run,
            ),
        },
        StatusCommand::Maintenance { action } => match action {
            MaintenanceCommand::New {
                title,
                from,
                until,
                tz,
                components,
                impact,
                body,
                description,
                at,
                dry_run,
            } => (
                StatusEdit::NewMaintenance(NewMaintenance {
                    title: title.clone(),
                    impact: optional_word(impact)?,
                    components: components.clone(),
                    scheduled_for: from.clone(),
                    scheduled_until: until.clone(),
                    time_zone: tz.clone(),
                    body: body.clone(),
                    description: description.clone(),
                }),
                at.clone(),
                *dry_run,
            ),
            MaintenanceCommand::Start {
                slug,
                body,
                at,
                dry_run,
            } => (
                StatusEdit::StartMaintenance {
                    slug: slug.clone(),
                    at: None,
                    body: body.clone(),
                },
                at.clone(),
                *dry_run,
            ),
            MaintenanceCommand::Complete {
                slug,
                body,
                at,
                dry_run,
            } => (
                StatusEdit::CompleteMaintenance {
                    slug: slug.clone(),
                    at: None,
                    body: body.clone(),
                },
                at.clone(),
                *dry_run,
            ),
        },
    }))
}

/// `status component|move|incident|maintenance`: one edit planned over the status folder's
/// files (format-preserving, checked with the other files), then written atomically, never
/// over a file that changed meanwhile; with --dry-run only shown.
fn status_edit(
    cli: &Cli,
    edit: &wheelhouse_status::StatusEdit,
    at: Option<&str>,
    dry_run: bool,
) -> Result<(), CliError> {
    let repo = open(&cli.repo)?;
    let (folder, dir) = status_folder(repo.root())?;
    let files = wheelhouse_status::fs::read_folder(&dir).map_err(|e| CliError {
        code: e.code(),
        message: e.to_string(),
    })?;
    let now = match at {
        Some(text) => text.parse::<wheelhouse_status::Timestamp>().map_err(|_| CliError {
            code: ErrorCode::InvalidTime,
            message: format!(
                "--at \"{text}\" is not an RFC 3339 time with an offset, e.g. 2026-11-06T13:00:00+01:00."
            ),
        })?,
        None => now_timestamp(),
    };
    let failure = |e: wheelhouse_status::EditError| status_edit_failure(e.in_folder(&folder));
    let changes = wheelhouse_status::edit::plan(&files, edit, now).map_err(failure)?;
    if !dry_run {
        wheelhouse_status::save::apply(&dir, &changes).map_err(failure)?;
    }
    let changes: Vec<_> = changes.into_iter().map(|c| c.in_folder(&folder)).collect();
    if cli.json {
        print_json(&serde_json::json!({
            "changes": changes,
            "written": !dry_run && !changes.is_empty(),
        }));
    } else if changes.is_empty() {
        println!("Nothing to change.");
    } else {
        for c in &changes {
            print!("{}", c.diff);
        }
        if dry_run {
            println!("(dry run: nothing was written)");
        } else {
            for c in &changes {
                let verb = if c.created { "Created" } else { "Updated" };
                println!("{verb} {}.", c.path);
            }
        }
    }
    Ok(())
}

fn signing_failure(e: wheelhouse_approvals::signing::SigningError) -> CliError {
    CliError {
        code: e.code(),
        message: e.to_string(),
    }
}

/// Opens the signing key that `setting` (`--key` or `user.signingkey`) names, as git does: a key
/// file (its passphrase from the keyring, else from the terminal), or a public key whose private
/// half the SSH agent holds.
fn open_signing_key(setting: &str) -> Result<wheelhouse_approvals::key::SigningKey, CliError> {
    use wheelhouse_approvals::key::{resolve_signing_key, KeyChoice};
    let choice = resolve_signing_key(setting).map_err(signing_failure)?;
    let prompt = match &choice {
        KeyChoice::File(path) => format!("Passphrase for {}: ", path.display()),
        KeyChoice::Agent(_) => String::new(),
    };
    let store = CredentialStore::new(data_dir());
    wheelhouse_approvals::review::open_signing_key(&store, &choice, || {
        terminal::read_secret(&prompt).ok()
    })
    .map_err(signing_failure)
}

/// Writes `bytes` (a generated `what`) to standard output.
fn write_stdout(bytes: &[u8], what: &str) -> Result<(), CliError> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|e| CliError {
            code: ErrorCode::Io,
            message: format!("The {what} could not be written: {e}"),
        })
}

fn print_json(value: &impl Serialize) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("views serialize")
    );
}

fn print_overview(o: &RepoOverview) {
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

fn print_detail(d: &CommitDetail) {
    println!("commit {}", d.commit.id);
    println!(
        "Author: {} <{}>",
        d.commit.author_name, d.commit.author_email
    );
    println!();
    for line in d.message.lines() {
        println!("    {line}");
    }
    println!();
    print_files(&d.files);
}

fn print_files(files: &[FileDiff]) {
    for f in files {
        println!(
            "{} {:?} (+{} -{})",
            f.path, f.status, f.additions, f.deletions
        );
        if f.binary {
            println!("  (binary)");
        }
        for h in &f.hunks {
            println!("{}", h.header);
            for l in &h.lines {
                let sign = match l.kind {
                    LineKind::Added => '+',
                    LineKind::Removed => '-',
                    LineKind::Context => ' ',
                };
                println!("{sign}{}", l.text);
            }
        }
    }
}

fn render(
    repo: &Path,
    env: &str,
    workload: Option<&str>,
    check: bool,
    timeout: Option<u64>,
    json: bool,
) -> Result<(), CliError> {
    // Only what `env` builds is parsed and built (the check builds through the workspace).
    let root = match Repository::quick_root(repo) {
        Some(root) => root,
        None => open(repo)?.root().to_owned(),
    };
    let mut rendered = wheelhouse_desired_state::workspace::render_environment(&root, env)
        .map_err(|e| CliError {
            code: ErrorCode::Io,
            message: format!("Could not read {}: {e}", root.display()),
        })?
        .map_err(|names| CliError {
            code: ErrorCode::NotFound,
            message: format!(
                "There is no environment {env}; the environments are: {}.",
                names.join(", ")
            ),
        })?;
    if check {
        let mut ws = workspace(repo)?;
        let failed = |message| CliError {
            code: ErrorCode::CheckFailed,
            message,
        };
        let mut prepared = ws.prepare_check(env).map_err(failed)?;
        if let Some(seconds) = timeout {
            prepared.limit = std::time::Duration::from_secs(seconds);
        }
        let result = prepared
            .run(&std::sync::atomic::AtomicBool::new(false))
            .map_err(failed)?;
        if json {
            print_json(&result);
        } else {
            for d in &result.disagreements {
                println!(
                    "{} {}: wheelhouse {} / {} {}",
                    d.resource,
                    if d.path.is_empty() {
                        "(whole object)"
                    } else {
                        &d.path
                    },
                    d.ours.as_deref().unwrap_or("(absent)"),
                    result.tool,
                    d.theirs.as_deref().unwrap_or("(absent)")
                );
            }
            let edited = if result.edited.is_empty() {
                String::new()
            } else {
                format!(
                    " ({} as the Argo CD Application's kustomize: edits it, in a copy)",
                    result.edited.join(", ")
                )
            };
            println!(
                "{} disagreement(s) with {} on {}{edited}.",
                result.disagreements.len(),
                result.tool,
                result.folders.join(", ")
            );
        }
        if !result.disagreements.is_empty() {
            return Err(CliError {
                code: ErrorCode::Disagreement,
                message: format!(
                    "Wheelhouse's render of {env} differs from {} in {} place(s).",
                    result.tool,
                    result.disagreements.len()
                ),
            });
        }
        return Ok(());
    }
    if let Some(w) = workload {
        rendered = rendered.only(w);
        if rendered.objects.is_empty() {
            return Err(CliError {
                code: ErrorCode::NotFound,
                message: format!("{env} renders no object named {w}."),
            });
        }
    }
    if json {
        #[derive(Serialize)]
        struct Out<'a> {
            environment: &'a str,
            folders: &'a [String],
            /// Kustomizations an Argo CD Application's `kustomize:` edits before the build.
            edited: Vec<&'a str>,
            objects: Vec<serde_json::Value>,
            problems: &'a [wheelhouse_desired_state::Problem],
        }
        print_json(&Out {
            environment: env,
            folders: &rendered.folders,
            edited: rendered.edited.iter().map(|(p, _)| p.as_str()).collect(),
            objects: rendered.objects.iter().map(|o| o.to_json()).collect(),
            problems: &rendered.problems,
        });
    } else {
        print!("{}", rendered.to_yaml());
        for (p, _) in &rendered.edited {
            eprintln!("{p}: built as the Argo CD Application's kustomize: edits it");
        }
        for p in &rendered.problems {
            eprintln!("{p}");
        }
    }
    Ok(())
}
