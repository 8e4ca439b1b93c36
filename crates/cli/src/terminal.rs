//! The terminal side of the CLI: progress on stderr and credential prompts. Prompts only happen
//! on a terminal; in scripts and CI a missing credential is an error that says to run `login`.

use std::io::{BufRead, IsTerminal, Write};
use wheelhouse_diagnostics::{ErrorCode, Problem};
use wheelhouse_repo::network::{AuthMethod, Credential, CredentialRequest, TransferProgress};
use wheelhouse_secrets::Secret;

/// A one-line progress display on stderr, only when stderr is a terminal.
pub struct Progress {
    enabled: bool,
}

impl Progress {
    pub fn new(wanted: bool) -> Self {
        Progress {
            enabled: wanted && std::io::stderr().is_terminal(),
        }
    }

    pub fn show(&self, p: &TransferProgress) {
        if !self.enabled {
            return;
        }
        let total = if p.objects_total > 0 {
            format!("{}/{}", p.objects_done, p.objects_total)
        } else {
            p.objects_done.to_string()
        };
        eprint!(
            "\r{:<12} {:>15} objects  {:>9} KiB  {:>7} KiB/s",
            format!("{:?}", p.phase).to_lowercase(),
            total,
            p.bytes / 1024,
            p.bytes_per_second / 1024
        );
        let _ = std::io::stderr().flush();
    }

    pub fn finish(&self) {
        if self.enabled {
            eprintln!();
        }
    }
}

/// Asks for credentials on the terminal; `None` (no prompt) when stdin is not a terminal.
pub fn ask_credentials(request: &CredentialRequest) -> Option<Credential> {
    if !std::io::stdin().is_terminal() {
        eprintln!(
            "{} needs credentials. Store them first: wheelhouse login {}",
            request.url, request.host
        );
        return None;
    }
    if request.attempt > 1 {
        eprintln!("Those credentials were rejected by {}.", request.host);
    }
    match request.method {
        AuthMethod::UserPassword => {
            let username = match &request.username {
                Some(u) => u.clone(),
                None => read_line(&format!("User name for {}: ", request.host)).ok()?,
            };
            let password = rpassword::prompt_password(format!(
                "Token or password for {username}@{}: ",
                request.host
            ))
            .ok()?;
            Some(Credential::UserPassword {
                username,
                password: Secret::new(password),
            })
        }
        AuthMethod::SshKey => {
            let key = read_line("Path of the SSH private key: ").ok()?;
            let passphrase = rpassword::prompt_password("Passphrase (empty for none): ").ok()?;
            Some(Credential::SshKey {
                username: request.username.clone().unwrap_or_else(|| "git".into()),
                private_key: key.into(),
                passphrase: (!passphrase.is_empty()).then(|| Secret::new(passphrase)),
            })
        }
    }
}

fn input_error(e: std::io::Error) -> Problem {
    Problem::new(
        ErrorCode::Io,
        format!("Could not read from the terminal: {e}"),
    )
}

/// One line from stdin, trimmed; the prompt goes to stderr.
pub fn read_line(prompt: &str) -> Result<String, Problem> {
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(input_error)?;
    Ok(line.trim().to_owned())
}

/// A secret: without echo on a terminal, or the first line of stdin in a pipe.
pub fn read_secret(prompt: &str) -> Result<String, Problem> {
    if std::io::stdin().is_terminal() {
        rpassword::prompt_password(prompt).map_err(input_error)
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(input_error)?;
        Ok(line.trim_end_matches(['\n', '\r']).to_owned())
    }
}
