//! Cloning a remote into a new folder, leaving nothing behind when it fails.

use crate::{redact_url, Error, Repository};
use std::path::Path;

/// Clones `url` into `dest`, which must not exist or be an empty folder, and opens the clone.
///
/// On failure the folder is removed again (or emptied, if it existed before), so a failed clone
/// never leaves a half-written repository. Credentials are not handled yet: a remote that asks
/// for them fails with [`Error::AuthRequired`].
pub fn clone(url: &str, dest: &Path) -> Result<Repository, Error> {
    let url = url.trim();
    if url.is_empty() {
        return Err(Error::InvalidInput {
            message: "Enter the URL of the repository to clone.".into(),
        });
    }
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
    match git2::build::RepoBuilder::new().clone(url, dest) {
        Ok(_) => Repository::open(dest),
        Err(source) => {
            if existed {
                if let Ok(entries) = std::fs::read_dir(dest) {
                    for entry in entries.flatten() {
                        let _ = std::fs::remove_dir_all(entry.path())
                            .or_else(|_| std::fs::remove_file(entry.path()));
                    }
                }
            } else {
                let _ = std::fs::remove_dir_all(dest);
            }
            let reason = scrub_secret(url, source.message());
            let url = redact_url(url);
            Err(match source.class() {
                git2::ErrorClass::Http | git2::ErrorClass::Ssh
                    if source.code() == git2::ErrorCode::Auth =>
                {
                    Error::AuthRequired { url }
                }
                _ => Error::CloneFailed { url, reason },
            })
        }
    }
}

/// libgit2 messages sometimes quote the URL: remove the password (and the URL as typed) from them.
fn scrub_secret(url: &str, message: &str) -> String {
    let mut out = message.replace(url, &redact_url(url));
    if let Some(password) = url::Url::parse(url)
        .ok()
        .and_then(|u| u.password().map(str::to_owned))
        .filter(|p| !p.is_empty())
    {
        out = out.replace(&password, "***");
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_password_quoted_in_a_git_message_is_scrubbed() {
        let url = "https://maya:hunter2@git.example.com/acme.git";
        let message = format!("unexpected http status 500 for {url} (token hunter2)");
        let clean = super::scrub_secret(url, &message);
        assert!(!clean.contains("hunter2"), "{clean}");
        assert!(
            clean.contains("https://maya@git.example.com/acme.git"),
            "{clean}"
        );
    }
}
