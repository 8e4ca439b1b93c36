use crate::context::Context;
use wheelhouse_approvals::agent;
use wheelhouse_diagnostics::Problem;

/// List the keys the SSH agent (SSH_AUTH_SOCK) holds, to choose one to sign approvals with.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_: Args, cx: &Context) -> Result<(), Problem> {
    let keys = agent::default_socket().and_then(|socket| agent::list_identities(&socket))?;
    cx.out.show(&keys, |keys| {
        if keys.is_empty() {
            println!("The SSH agent holds no keys. Add one: ssh-add ~/.ssh/id_ed25519");
            return;
        }
        for k in keys {
            let cert = if k.certificate { "  (certificate)" } else { "" };
            println!("{}  {}  {}{cert}", k.fingerprint, k.algorithm, k.comment);
            println!("  git config user.signingkey \"key::{}\"", k.public_key);
        }
        println!("Choose one with the git config line under it, or --key with its .pub file.");
    });
    Ok(())
}
