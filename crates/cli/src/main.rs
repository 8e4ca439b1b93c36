//! The `wheelhouse` command: every capability of the app, headless, with `--json`.
//!
//! Glue only: each subcommand is a module in `cmd/` — its arguments and a function that calls
//! the core crates and shows the answer through [`output::Output`] (text, or one JSON document
//! with `--json`). Errors are the one `Problem`: to stderr as one sentence, or to stdout as
//! `{"error": {"code", "message", "hint", …}}` with `--json`; the exit status is non-zero.

mod cmd;
mod context;
mod output;
mod terminal;

/// The allocator: resolving a repository builds and drops millions of small values on every
/// core, where glibc's per-thread arenas cost more than the work (bench/approvals-effect.sh).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};
use cmd::*;
use context::Context;
use std::path::PathBuf;
use std::process::ExitCode;
use wheelhouse_diagnostics::{ErrorCode, Problem};

#[derive(Debug, Parser)]
#[command(
    name = "wheelhouse",
    version = wheelhouse_build_info::version!(),
    about = "Steer GitOps environments through Git",
    long_about = "Wheelhouse opens a GitOps repository and shows what runs where. \
                  Every capability of the desktop app is available here, with --json for scripts and CI."
)]
pub struct Cli {
    /// Print machine-readable JSON on stdout instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// The repository's root folder.
    #[arg(long, global = true, default_value = ".")]
    repo: PathBuf,
    #[command(subcommand)]
    command: Command,
}

/// The subcommands, in the order `--help` lists them; each one's help is its module's `Args`.
#[derive(Debug, Subcommand)]
enum Command {
    Demo(demo::Args),
    Overview(overview::Args),
    Clone(clone::Args),
    Sync(sync::Args),
    Push(push::Args),
    History(history::Args),
    Show(show::Args),
    Diff(diff::Args),
    Discard(discard::Args),
    Commit(commit::Args),
    Rollback(rollback::Args),
    Login(credentials::Login),
    Logout(credentials::Logout),
    Credentials(credentials::List),
    Envs(envs::Args),
    Matrix(matrix::Args),
    Compare(compare::Args),
    Set(set::Args),
    Promote(promote::Args),
    Validate(validate::Args),
    Render(render::Args),
    Check(check::Args),
    Write(write::Args),
    Changes(changes::Args),
    Approve(approve::Args),
    Signing(signing::Args),
    SigningKeys(signing_keys::Args),
    Verify(verify::Args),
    Merge(merge::Args),
    Status(status::Args),
    UpdateCheck(update_check::Args),
    Completions(completions::Args),
    #[command(hide = true)]
    Man(man::Args),
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
    let cx = Context {
        repo: cli.repo,
        out: output::Output::new(cli.json),
    };
    match run(cli.command, &cx) {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => {
            cx.out.fail(&problem);
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command, cx: &Context) -> Result<(), Problem> {
    // Verdicts depend on the date: a pinned time that is not one is refused, never ignored.
    wheelhouse_repo::clock::check()
        .map_err(|e| Problem::new(ErrorCode::InvalidInput, e.to_string()))?;
    match command {
        Command::Demo(args) => demo::run(args, cx),
        Command::Overview(args) => overview::run(args, cx),
        Command::Clone(args) => clone::run(args, cx),
        Command::Sync(args) => sync::run(args, cx),
        Command::Push(args) => push::run(args, cx),
        Command::History(args) => history::run(args, cx),
        Command::Show(args) => show::run(args, cx),
        Command::Diff(args) => diff::run(args, cx),
        Command::Discard(args) => discard::run(args, cx),
        Command::Commit(args) => commit::run(args, cx),
        Command::Rollback(args) => rollback::run(args, cx),
        Command::Login(args) => credentials::login(args, cx),
        Command::Logout(args) => credentials::logout(args, cx),
        Command::Credentials(args) => credentials::list(args, cx),
        Command::Envs(args) => envs::run(args, cx),
        Command::Matrix(args) => matrix::run(args, cx),
        Command::Compare(args) => compare::run(args, cx),
        Command::Set(args) => set::run(args, cx),
        Command::Promote(args) => promote::run(args, cx),
        Command::Validate(args) => validate::run(args, cx),
        Command::Render(args) => render::run(args, cx),
        Command::Check(args) => check::run(args, cx),
        Command::Write(args) => write::run(args, cx),
        Command::Changes(args) => changes::run(args, cx),
        Command::Approve(args) => approve::run(args, cx),
        Command::Signing(args) => signing::run(args, cx),
        Command::SigningKeys(args) => signing_keys::run(args, cx),
        Command::Verify(args) => verify::run(args, cx),
        Command::Merge(args) => merge::run(args, cx),
        Command::Status(args) => status::run(args, cx),
        Command::UpdateCheck(args) => update_check::run(args, cx),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
    }
}
