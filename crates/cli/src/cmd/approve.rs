use super::changes::Target;
use crate::context::{data_dir, now, Context};
use crate::terminal;
use wheelhouse_api::review::{self, Approval, Keys};
use wheelhouse_diagnostics::Problem;

/// Approve a change (or request changes), signed with your SSH key, recorded as a git note.
#[derive(Debug, clap::Args)]
pub struct Args {
    change: String,
    #[command(flatten)]
    target: Target,
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
}

pub fn run(args: Args, cx: &Context) -> Result<(), Problem> {
    let repo = cx.open()?;
    let target = args.target.branch(&repo);
    let approval = Approval {
        change: &args.change,
        target: &target,
        approve: !args.request_changes,
        comment: &args.comment,
        key: args.key.as_deref(),
    };
    let (data_dir, store) = (data_dir(), cx.credentials());
    let keys = Keys {
        data_dir: &data_dir,
        store: &store,
    };
    // A key file's passphrase, when the keyring has none, is asked on the terminal.
    let ask = |key: &str| terminal::read_secret(&format!("Passphrase for {key}: ")).ok();
    let r = review::approve(&repo, &keys, &approval, ask, now())?;
    cx.out.show(&r, |r| {
        let what = if approval.approve {
            "approval"
        } else {
            "request for changes"
        };
        println!(
            "Recorded your {what} of {}. {}",
            r.change.name, r.verdict.summary
        );
    });
    Ok(())
}
