//! The `wheelhouse` command: every capability of the app, headless, with `--json`.
//!
//! Glue only: parse arguments, call the core crates, print. Errors go to stderr as one sentence
//! (or to stdout as `{"error": {"code", "message"}}` with `--json`) and exit non-zero.

use clap::{Parser, Subcommand};
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;
use wheelhouse_repo::{ErrorCode, RepoOverview, Repository};

#[derive(Debug, Parser)]
#[command(
    name = "wheelhouse",
    version,
    about = "Steer GitOps environments through Git",
    long_about = "Wheelhouse opens a GitOps repository and shows what runs where. \
                  Every capability of the desktop app is available here, with --json for scripts and CI."
)]
struct Cli {
    /// Print machine-readable JSON on stdout instead of text.
    #[arg(long, global = true)]
    json: bool,
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
        /// The repository's root folder (default: the current folder).
        #[arg(long, default_value = ".")]
        repo: PathBuf,
        /// How many commits to list.
        #[arg(long, default_value_t = 20)]
        commits: usize,
    },
}

#[derive(Debug, Serialize)]
struct CliError {
    code: ErrorCode,
    message: String,
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
            if cli.json {
                println!("{}", serde_json::json!({ "error": err }));
            } else {
                eprintln!("error: {}", err.message);
            }
            ExitCode::FAILURE
        }
    }
}

fn run(cli: &Cli) -> Result<(), CliError> {
    match &cli.command {
        Command::Demo { dir } => {
            let demo = wheelhouse_demo::create(dir).map_err(|e| CliError {
                code: e.code(),
                message: e.to_string(),
            })?;
            if cli.json {
                print_json(&demo);
            } else {
                println!("Created the demo workspace ({} commits).", demo.commits);
                println!("  repository: {}", demo.repo);
                println!("  origin:     {}", demo.origin);
                println!("Open it: wheelhouse-app --repo {}", demo.repo);
            }
        }
        Command::Overview { repo, commits } => {
            let overview = Repository::open(repo)
                .and_then(|r| r.overview(*commits))
                .map_err(repo_error)?;
            if cli.json {
                print_json(&overview);
            } else {
                print_overview(&overview);
            }
        }
    }
    Ok(())
}

fn repo_error(e: wheelhouse_repo::Error) -> CliError {
    CliError {
        code: e.code(),
        message: e.to_string(),
    }
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
