use crate::context::{data_dir, Context};
use crate::terminal;
use wheelhouse_api::review::{self, Keys, SigningSetup};
use wheelhouse_diagnostics::{ErrorCode, Problem};

/// Show the signing set-up approvals use (the key, where it is, your allowed_signers line), or
/// choose the key with --key, as the app's Settings → Signing does: it must open (a key file's
/// passphrase is asked and kept in the OS keyring; an agent key must be in the agent).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The key, as git's user.signingkey takes it: a private key file, a public key file (.pub)
    /// whose private half is in the SSH agent, or "key::ssh-ed25519 AAAA…" (see signing-keys).
    #[arg(long)]
    key: Option<String>,
}

pub fn run(args: Args, cx: &Context) -> Result<(), Problem> {
    let (data_dir, store) = (data_dir(), cx.credentials());
    let keys = Keys {
        data_dir: &data_dir,
        store: &store,
    };
    if let Some(key) = &args.key {
        match review::choose_key(&keys, key, None) {
            Err(p) if p.code == ErrorCode::PassphraseRequired => {
                let phrase = terminal::read_secret(&format!("Passphrase for {key}: "))?;
                review::choose_key(&keys, key, Some(&phrase))?;
            }
            chosen => chosen?,
        }
    }
    let repo = cx.open().ok();
    let setup = review::signing_setup(repo.as_ref(), &keys);
    cx.out.show(&setup, print);
    Ok(())
}

fn print(s: &SigningSetup) {
    let Some(key) = &s.key else {
        println!("No signing key is set. Choose one: wheelhouse signing --key ~/.ssh/id_ed25519");
        return;
    };
    let whence = if s.from_git_config {
        " (git config user.signingkey)"
    } else {
        ""
    };
    println!("Key: {key}{whence}");
    if let (Some(source), Some(fingerprint)) = (&s.source, &s.fingerprint) {
        let place = if source == "agent" {
            "held by the SSH agent"
        } else {
            "a key file"
        };
        println!("  {fingerprint}, {place}");
    }
    if let Some(problem) = &s.problem {
        println!("  cannot be used: {problem}");
    }
    match (&s.email, &s.allowed_signers_line) {
        (Some(email), Some(line)) => {
            println!(
                "Approvals are recorded under {email}. Your line for .wheelhouse/allowed_signers:"
            );
            println!("  {line}");
        }
        (Some(email), None) => println!("Approvals are recorded under {email}."),
        (None, _) => println!("Set git config user.email: approvals are recorded under it."),
    }
}
