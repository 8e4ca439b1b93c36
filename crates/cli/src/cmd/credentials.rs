//! `login`, `logout` and `credentials`: the HTTPS credentials in the OS keyring, three views of
//! one store.

use crate::context::Context;
use crate::terminal;
use wheelhouse_diagnostics::Problem;
use wheelhouse_secrets::{CredentialKind, Secret};

/// Store an HTTPS credential for HOST in the OS keyring (the token is read without echo,
/// or from standard input when it is not a terminal).
#[derive(Debug, clap::Args)]
pub struct Login {
    host: String,
    #[arg(long)]
    user: Option<String>,
}

/// Remove a stored HTTPS credential.
#[derive(Debug, clap::Args)]
pub struct Logout {
    host: String,
    #[arg(long)]
    user: String,
}

/// List stored credentials (hosts and users, never secrets).
#[derive(Debug, clap::Args)]
pub struct List {}

pub fn login(args: Login, cx: &Context) -> Result<(), Problem> {
    let host = &args.host;
    let user = match args.user {
        Some(u) => u,
        None => terminal::read_line(&format!("User name for {host}: "))?,
    };
    let token = terminal::read_secret(&format!("Token or password for {user}@{host}: "))?;
    let row =
        cx.credentials()
            .store(CredentialKind::HttpsToken, host, &user, &Secret::new(token))?;
    cx.out.show(&row, |row| {
        println!(
            "Stored a credential for {}@{} in the OS keyring.",
            row.user, row.host
        )
    });
    Ok(())
}

pub fn logout(args: Logout, cx: &Context) -> Result<(), Problem> {
    let Logout { host, user } = &args;
    cx.credentials()
        .forget(CredentialKind::HttpsToken, host, user)?;
    cx.out.show(
        &serde_json::json!({ "forgotten": { "host": host, "user": user } }),
        |_| println!("Forgot the credential for {user}@{host}."),
    );
    Ok(())
}

pub fn list(_: List, cx: &Context) -> Result<(), Problem> {
    cx.out.show(&cx.credentials().list(), |list| {
        if list.is_empty() {
            println!("No stored credentials. Add one with: wheelhouse login HOST");
        }
        for c in list {
            println!("{:<20} {:<30} {:?}", c.host, c.user, c.kind);
        }
    });
    Ok(())
}
