//! What every subcommand is given: the repository's folder and the output; and the few things
//! they open the same way (the repository, the workspace, the keyring, the network, the clock).

use crate::output::Output;
use crate::terminal;
use std::path::PathBuf;
use wheelhouse_desired_state::Workspace;
use wheelhouse_diagnostics::{ErrorCode, Problem};
use wheelhouse_repo::network::{self, Network};
use wheelhouse_repo::Repository;
use wheelhouse_secrets::CredentialStore;

pub struct Context {
    /// `--repo`: the repository's root folder.
    pub repo: PathBuf,
    pub out: Output,
}

impl Context {
    pub fn open(&self) -> Result<Repository, Problem> {
        Ok(Repository::open(&self.repo)?)
    }

    /// The desired state, read after the repository opened (the same refusals: not a
    /// repository, bare, …).
    pub fn workspace(&self) -> Result<Workspace, Problem> {
        let repo = self.open()?;
        Workspace::open(repo.root()).map_err(|e| {
            Problem::new(
                ErrorCode::Io,
                format!("Could not read {}: {e}", repo.root().display()),
            )
        })
    }

    /// The credentials the app stores, in the same data folder.
    pub fn credentials(&self) -> CredentialStore {
        CredentialStore::new(data_dir())
    }
}

/// The app's data folder, shared with the desktop app (same identifier), so both list the same
/// stored credentials and signing set-up. `WHEELHOUSE_DATA_DIR` overrides it (tests, portable
/// set-ups).
pub fn data_dir() -> PathBuf {
    std::env::var_os("WHEELHOUSE_DATA_DIR")
        .map(PathBuf::from)
        .or_else(|| dirs::data_dir().map(|d| d.join("dev.wheelhouse.app")))
        .unwrap_or_else(|| PathBuf::from(".wheelhouse-data"))
}

/// The network with credentials from the keyring first, then asked on the terminal.
pub fn network(store: &CredentialStore) -> Network<'_> {
    Network::new().credentials(network::keyring_first(store, terminal::ask_credentials))
}

/// The moment verdicts and status edits are judged at (`WHEELHOUSE_NOW` pins it).
pub fn now() -> i64 {
    wheelhouse_repo::clock::now_unix()
}

/// The moment a `--now` or `--at` FLAG names (RFC 3339 with an offset), refused naming the flag.
pub fn time_arg(
    flag: &str,
    text: Option<&str>,
) -> Result<Option<wheelhouse_status::Timestamp>, Problem> {
    text.map(|t| {
        t.parse().map_err(|_| {
            Problem::new(
                ErrorCode::InvalidTime,
                format!("{flag} \"{t}\" is not an RFC 3339 time with an offset, e.g. 2026-11-06T13:00:00+01:00."),
            )
        })
    })
    .transpose()
}

pub fn now_timestamp() -> wheelhouse_status::Timestamp {
    wheelhouse_status::Timestamp::from_second(now())
        .unwrap_or_else(|_| wheelhouse_status::Timestamp::now())
}

/// `BASE..HEAD` → its two ends.
pub fn split_range(range: &str) -> Result<(&str, &str), Problem> {
    range.split_once("..").ok_or_else(|| {
        Problem::new(
            ErrorCode::InvalidInput,
            format!("\"{range}\" is not BASE..HEAD (for example origin/main..HEAD)."),
        )
    })
}
