//! Keeps every path that comes from a repository file or from the UI inside the repository
//! root: [`join`] for repository-relative text (what the resolver follows in kustomizations,
//! Helm values and Applications), [`on_disk`] for a file or folder about to be read or written
//! (the status folder, a file the editor opens), symbolic links included, and [`within`] for
//! whether one repository path lies in a folder. Nothing else in Wheelhouse decides whether a
//! path escapes.

use std::io;
use std::path::{Path, PathBuf};

/// Whether repository-relative `path` is `dir` or lies below it (`overlays/prod/a.yaml` is
/// within `overlays/prod`, `overlays/prod-eu` is not).
///
/// ```
/// assert!(wheelhouse_paths::within("overlays/prod/a.yaml", "overlays/prod"));
/// assert!(!wheelhouse_paths::within("overlays/prod-eu/a.yaml", "overlays/prod"));
/// ```
pub fn within(path: &str, dir: &str) -> bool {
    path == dir
        || path
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Joins a repository-relative folder and a path written in a file, resolving `.` and `..`.
/// `None` when the result would leave the repository: an absolute path, a `..` that climbs above
/// the root, a Windows drive or a backslash-rooted path.
///
/// ```
/// assert_eq!(wheelhouse_paths::join("overlays/prod", "../../base").as_deref(), Some("base"));
/// assert_eq!(wheelhouse_paths::join("overlays", "../../etc"), None);
/// ```
pub fn join(dir: &str, rel: &str) -> Option<String> {
    if rel.starts_with('/') || rel.starts_with('\\') || has_drive(rel) {
        return None;
    }
    let mut parts: Vec<&str> = dir
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if parts.contains(&"..") {
        return None;
    }
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// `C:` or `c:\…`: a path on another drive, never inside a repository.
fn has_drive(rel: &str) -> bool {
    let b = rel.as_bytes();
    b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':'
}

/// Why a path was refused.
#[derive(Debug, thiserror::Error)]
pub enum Outside {
    /// Absolute, empty, or climbing above the root with `..`.
    #[error("{path} is outside the repository")]
    Escapes { path: String },
    /// Inside `.git`: Wheelhouse never reads or writes Git's own files as content.
    #[error("{path} is inside .git, which is not part of the working tree")]
    GitDir { path: String },
    /// A symbolic link on the way leads out of the repository.
    #[error("{path} leads outside the repository through the symbolic link {link}")]
    Link { path: String, link: String },
    #[error("could not check {}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
}

/// The full path of `rel` (relative to the repository at `root`), after checking that it stays
/// inside: written relatively, outside `.git`, and with every symbolic link on the way (in the
/// part that exists) resolving under the root. The file itself need not exist yet.
pub fn on_disk(root: &Path, rel: &str) -> Result<PathBuf, Outside> {
    let escapes = || Outside::Escapes {
        path: rel.to_owned(),
    };
    let normal = join("", rel).ok_or_else(escapes)?;
    if normal.is_empty() {
        return Err(escapes());
    }
    if normal == ".git" || normal.starts_with(".git/") {
        return Err(Outside::GitDir {
            path: rel.to_owned(),
        });
    }
    let real_root = root.canonicalize().map_err(|source| Outside::Io {
        path: root.to_path_buf(),
        source,
    })?;
    let full = root.join(&normal);
    // Walk down component by component: the first link that leaves the root is named.
    let mut at = root.to_path_buf();
    let mut shown = String::new();
    for part in normal.split('/') {
        at.push(part);
        if !shown.is_empty() {
            shown.push('/');
        }
        shown.push_str(part);
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let leads_out = match at.canonicalize() {
                    Ok(real) => !real.starts_with(&real_root),
                    // A dangling link: where it points is outside anything we can check.
                    Err(_) => true,
                };
                if leads_out {
                    return Err(Outside::Link {
                        path: rel.to_owned(),
                        link: shown,
                    });
                }
            }
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => break,
            Err(source) => return Err(Outside::Io { path: at, source }),
        }
    }
    Ok(full)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_join_inside_the_repository_only() {
        assert_eq!(join("overlays/prod", "../../base").as_deref(), Some("base"));
        assert_eq!(
            join("overlays/prod", "./patch.yaml").as_deref(),
            Some("overlays/prod/patch.yaml")
        );
        assert_eq!(join("", "a//b/./c").as_deref(), Some("a/b/c"));
        assert_eq!(join("overlays", "../../etc"), None);
        assert_eq!(join("a", "/etc/passwd"), None);
        assert_eq!(join("a", "C:/Windows"), None);
        assert_eq!(join("a", "\\\\server\\share"), None);
        assert_eq!(join("../x", "y"), None);
    }

    #[test]
    fn on_disk_refuses_escapes_git_and_links_that_lead_out() {
        let outside = tempfile::tempdir().unwrap();
        let repo = tempfile::tempdir().unwrap();
        let root = repo.path();
        std::fs::create_dir_all(root.join("status")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        assert_eq!(on_disk(root, "status").unwrap(), root.join("status"));
        assert_eq!(
            on_disk(root, "public/../status/page.yaml").unwrap(),
            root.join("status/page.yaml")
        );
        assert_eq!(
            on_disk(root, "not/yet/there.md").unwrap(),
            root.join("not/yet/there.md")
        );
        for bad in ["", "/etc", "../x", "a/../../x", ".git/config", "./.git"] {
            assert!(on_disk(root, bad).is_err(), "{bad} was accepted");
        }
        std::os::unix::fs::symlink(outside.path(), root.join("out")).unwrap();
        std::os::unix::fs::symlink(root.join("status"), root.join("in")).unwrap();
        std::os::unix::fs::symlink(root.join("gone"), root.join("dangling")).unwrap();
        let err = on_disk(root, "out/page.yaml").unwrap_err();
        assert!(
            matches!(&err, Outside::Link { link, .. } if link == "out"),
            "{err}"
        );
        assert!(on_disk(root, "in/page.yaml").is_ok());
        assert!(on_disk(root, "dangling").is_err());
    }
}
