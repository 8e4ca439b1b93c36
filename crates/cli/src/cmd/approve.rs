use crate::context::{data_dir, now, target_of, Context};
use crate::terminal;
use wheelhouse_approvals::key::{resolve_signing_key, KeyChoice, SigningKey};
use wheelhouse_approvals::review::{self, Reviewer};
use wheelhouse_diagnostics::{ErrorCode, Problem};

/// Approve a change (or request changes), signed with your SSH key, recorded as a git note.
#[derive(Debug, clap::Args)]
pub struct Args {
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
}

pub fn run(args: Args, cx: &Context) -> Result<(), Problem> {
    let repo = cx.open()?;
    let target = &target_of(&repo, &args.target);
    let git_failure = |e: git2::Error| Problem::new(ErrorCode::Git, e.message());
    let config = git2::Repository::open(repo.root())
        .and_then(|git| git.config())
        .map_err(git_failure)?;
    let email = config.get_string("user.email").map_err(|_| {
        Problem::new(
            ErrorCode::IdentityMissing,
            "Set git config user.email: approvals are recorded under it.",
        )
    })?;
    let setting =
        wheelhouse_approvals::faces::signing_key_setting(args.key.as_deref(), &data_dir(), &repo)
            .unwrap_or_default();
    let key = open_signing_key(cx, &setting)?;
    let approve = !args.request_changes;
    let reviewer = Reviewer {
        email: &email,
        key: &key,
    };
    let r = review::approve(
        &repo,
        &args.change,
        target,
        &reviewer,
        approve,
        &args.comment,
        now(),
    )?;
    cx.out.show(&r, |r| {
        let what = if approve {
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

/// Opens the signing key that `setting` (`--key` or `user.signingkey`) names, as git does: a key
/// file (its passphrase from the keyring, else from the terminal), or a public key whose private
/// half the SSH agent holds.
fn open_signing_key(cx: &Context, setting: &str) -> Result<SigningKey, Problem> {
    let choice = resolve_signing_key(setting)?;
    let prompt = match &choice {
        KeyChoice::File(path) => format!("Passphrase for {}: ", path.display()),
        KeyChoice::Agent(_) => String::new(),
    };
    let key = review::open_signing_key(&cx.credentials(), &choice, || {
        terminal::read_secret(&prompt).ok()
    })?;
    Ok(key)
}
