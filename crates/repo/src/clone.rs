//! Cloning a remote into a new folder, with progress and cancel, leaving nothing behind on failure.

use crate::network::{check_url, Network};
use crate::{redact_url, Error, Repository};
use std::path::Path;

/// Clones `url` into `dest`, which must not exist or be an empty folder, and opens the clone.
///
/// On failure or cancel the folder is removed again (or emptied, if it existed before), so a
/// failed clone never leaves a half-written repository. Credentials come from `net`; once the
/// clone succeeded, [`Network::accepted`] says which one worked.
pub fn clone(url: &str, dest: &Path, net: &mut Network<'_>) -> Result<Repository, Error> {
    let url = url.trim();
    if url.is_empty() {
        return Err(Error::InvalidInput {
            message: "Enter the URL of the repository to clone.".into(),
        });
    }
    check_url(url)?;
    let existed = match std::fs::metadata(dest) {
        Ok(meta) if !meta.is_dir() => {
            return Err(Error::NotADirectory {
                path: dest.to_path_buf(),
            })
        }
        Ok(_) => {
            let mut entries = std::fs::read_dir(dest).map_err(|source| Error::Io {
                path: dest.to_path_buf(),
                source,
            })?;
            if entries.next().is_some() {
                return Err(Error::DestinationNotEmpty {
                    path: dest.to_path_buf(),
                });
            }
            true
        }
        Err(_) => false,
    };
    tracing::info!(url = %redact_url(url), dest = %dest.display(), "clone started");
    let config = git2::Config::open_default().ok();
    let result = {
        let mut fetch = git2::FetchOptions::new();
        fetch.remote_callbacks(net.callbacks(config));
        git2::build::RepoBuilder::new()
            .fetch_options(fetch)
            .clone(url, dest)
    };
    let outcome = match result {
        Ok(_) if net.cancelled() => Err(Error::Cancelled {
            what: "The clone".into(),
        }),
        Ok(_) => Repository::open(dest),
        Err(e) => Err(net.error("The clone", url, e)),
    };
    match outcome {
        Ok(repo) => {
            net.succeeded();
            tracing::info!(url = %redact_url(url), "clone finished");
            Ok(repo)
        }
        Err(err) => {
            remove_partial_clone(dest, existed);
            tracing::info!(url = %redact_url(url), code = err.code().as_str(), "clone failed");
            Err(err)
        }
    }
}

fn remove_partial_clone(dest: &Path, existed: bool) {
    if existed {
        if let Ok(entries) = std::fs::read_dir(dest) {
            for entry in entries.flatten() {
                let path = entry.path();
                let _ = if path.is_dir() {
                    std::fs::remove_dir_all(&path)
                } else {
                    std::fs::remove_file(&path)
                };
            }
        }
    } else {
        let _ = std::fs::remove_dir_all(dest);
    }
}
