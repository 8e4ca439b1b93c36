//! `status …`: the status page kept as code — build and check it (`page`), edit it (`edit`),
//! import another tool's (`import`), publish it (`publish`), tell its subscribers (`notify`, `secret`),
//! run its monitors (`monitor`).

mod edit;
mod import;
mod monitor;
mod notify;
mod page;
mod publish;

use crate::context::Context;
use wheelhouse_diagnostics::Problem;

/// The status page kept as code in the repository (status/ by default).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    Build(page::Build),
    Check(page::Check),
    Component(edit::Component),
    Move(edit::Move),
    /// Incidents: open one (from a template or not), add an update, resolve, write the
    /// postmortem.
    #[command(subcommand)]
    Incident(edit::Incident),
    /// Scheduled maintenance: plan one in a time zone, start it, complete it.
    #[command(subcommand)]
    Maintenance(edit::Maintenance),
    Import(import::Args),
    Publish(publish::Publish),
    Notify(notify::Notify),
    /// The channels of subscribers.yaml: add one, remove one.
    #[command(subcommand)]
    Channel(edit::Channel),
    Monitor(monitor::Monitor),
    #[command(subcommand)]
    Secret(notify::SecretCmd),
}

pub fn run(args: Args, cx: &Context) -> Result<(), Problem> {
    match args.action {
        Action::Build(args) => page::build(args, cx),
        Action::Check(args) => page::check(args, cx),
        Action::Component(args) => edit::run(args.edit()?, cx),
        Action::Move(args) => edit::run(args.edit(), cx),
        Action::Incident(args) => edit::run(args.edit()?, cx),
        Action::Maintenance(args) => edit::run(args.edit()?, cx),
        Action::Import(args) => import::run(args, cx),
        Action::Publish(args) => publish::run(args, cx),
        Action::Notify(args) => notify::run(args, cx),
        Action::Channel(args) => edit::run(args.edit()?, cx),
        Action::Monitor(args) => monitor::run(args, cx),
        Action::Secret(cmd) => notify::secret(cmd, cx),
    }
}
