//! The one writer of repository files: a set of planned changes is written whole or not at all,
//! never over a file that changed since it was read.
//!
//! Every change names the text its file held when it was planned (or that there was no file);
//! before anything is written each file is compared with it, and one difference refuses the
//! whole set. Each new text goes to a temporary file in the target's folder, synced, then
//! renamed over the target, so a reader (Git, Argo CD's repo server, an editor) never sees half
//! a file; deletions come last. Paths are relative to the root and may only name files under it.

use std::fmt;
use std::path::{Component, Path};

/// One planned change to a file, relative to the root it is written under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileWrite<'a> {
    pub path: &'a str,
    /// The text the file held when the change was planned; `None`: there was no file, and the
    /// change makes it only while there is still none.
    pub before: Option<&'a str>,
    /// The new text; `None` deletes the file.
    pub after: Option<&'a str>,
}

/// Why nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteError {
    /// The path is empty, absolute, or steps out of the root (`..`).
    OutsideRoot { path: String },
    /// The file is not what the change was planned from: it changed, or it was made meanwhile
    /// (`created`).
    Changed { path: String, created: bool },
    /// Reading, writing or renaming failed; `message` is the system's.
    Io { path: String, message: String },
}

impl WriteError {
    pub fn path(&self) -> &str {
        match self {
            WriteError::OutsideRoot { path }
            | WriteError::Changed { path, .. }
            | WriteError::Io { path, .. } => path,
        }
    }
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::OutsideRoot { path } => write!(
                f,
                "{path:?} is not a path inside the folder being written; nothing was written"
            ),
            WriteError::Changed {
                path,
                created: true,
            } => write!(
                f,
                "{path} was created since the change was planned; nothing was written. Look at it and try again"
            ),
            WriteError::Changed { path, .. } => write!(
                f,
                "{path} changed on disk since it was read; nothing was written. Look at the new content and try again"
            ),
            WriteError::Io { path, message } => {
                write!(f, "could not write {path}: {message}; nothing was written")
            }
        }
    }
}

impl std::error::Error for WriteError {}

/// Writes `writes` under `root`, all or nothing as far as the checks go: every path inside the
/// root, every file still holding its `before` (still absent where `before` is `None`), then
/// each new text replaced atomically (missing folders made), deletions last.
pub fn write_files(root: &Path, writes: &[FileWrite<'_>]) -> Result<(), WriteError> {
    for w in writes {
        let inside = !w.path.is_empty()
            && Path::new(w.path)
                .components()
                .all(|part| matches!(part, Component::Normal(_)));
        if !inside {
            return Err(WriteError::OutsideRoot {
                path: w.path.to_owned(),
            });
        }
        let current = match std::fs::read(root.join(w.path)) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(io(w.path, &e)),
        };
        if current.as_deref() != w.before.map(str::as_bytes) {
            return Err(WriteError::Changed {
                path: w.path.to_owned(),
                created: w.before.is_none(),
            });
        }
    }
    let mut staged = Vec::new();
    for w in writes {
        let Some(after) = w.after else { continue };
        let target = root.join(w.path);
        let dir = target.parent().unwrap_or(root);
        std::fs::create_dir_all(dir).map_err(|e| io(w.path, &e))?;
        let tmp = staged_file(dir, after.as_bytes()).map_err(|e| io(w.path, &e))?;
        staged.push((tmp, target, w.path));
    }
    for (tmp, target, path) in staged {
        tmp.persist(&target).map_err(|e| io(path, &e.error))?;
    }
    for w in writes.iter().filter(|w| w.after.is_none()) {
        match std::fs::remove_file(root.join(w.path)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(w.path, &e)),
            _ => {}
        }
    }
    Ok(())
}

/// Replaces the file at `path` with `bytes` atomically (temporary file beside it, synced, then
/// renamed), making its folder if needed: for files with no "before" to check, such as settings.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    staged_file(dir, bytes)?
        .persist(path)
        .map(|_| ())
        .map_err(|e| e.error)
}

fn staged_file(dir: &Path, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    let mut tmp = tempfile::Builder::new()
        .prefix(".wheelhouse-")
        .tempfile_in(dir)?;
    std::io::Write::write_all(&mut tmp, bytes)?;
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

fn io(path: &str, e: &std::io::Error) -> WriteError {
    WriteError::Io {
        path: path.to_owned(),
        message: e.to_string(),
    }
}

/// A unified diff of `before` → `after` with three lines of context, headed `a/PATH` and
/// `b/PATH` as Git prints it.
pub fn unified_diff(path: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(
        path: &'static str,
        before: Option<&'static str>,
        after: Option<&'static str>,
    ) -> FileWrite<'static> {
        FileWrite {
            path,
            before,
            after,
        }
    }

    #[test]
    fn writes_makes_and_deletes_together() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.yaml"), "a: 1\n").unwrap();
        std::fs::write(dir.path().join("gone.yaml"), "x\n").unwrap();
        write_files(
            dir.path(),
            &[
                write("a.yaml", Some("a: 1\n"), Some("a: 2\n")),
                write("new/b.yaml", None, Some("b: 1\n")),
                write("gone.yaml", Some("x\n"), None),
            ],
        )
        .unwrap();
        let read = |p: &str| std::fs::read_to_string(dir.path().join(p)).ok();
        assert_eq!(read("a.yaml").as_deref(), Some("a: 2\n"));
        assert_eq!(read("new/b.yaml").as_deref(), Some("b: 1\n"));
        assert_eq!(read("gone.yaml"), None);
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.starts_with(".wheelhouse-"))
            .collect();
        assert!(left.is_empty(), "temporary files left: {left:?}");
    }

    #[test]
    fn one_changed_file_refuses_the_whole_set() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.yaml"), "a: 1\n").unwrap();
        std::fs::write(dir.path().join("b.yaml"), "b: edited meanwhile\n").unwrap();
        let err = write_files(
            dir.path(),
            &[
                write("a.yaml", Some("a: 1\n"), Some("a: 2\n")),
                write("b.yaml", Some("b: 1\n"), Some("b: 2\n")),
            ],
        )
        .unwrap_err();
        assert_eq!(
            err,
            WriteError::Changed {
                path: "b.yaml".into(),
                created: false
            }
        );
        assert!(err
            .to_string()
            .contains("changed on disk since it was read"));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.yaml")).unwrap(),
            "a: 1\n"
        );
    }

    #[test]
    fn a_file_made_meanwhile_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("n.yaml"), "someone else's\n").unwrap();
        let err = write_files(dir.path(), &[write("n.yaml", None, Some("mine\n"))]).unwrap_err();
        assert!(matches!(err, WriteError::Changed { created: true, .. }));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("n.yaml")).unwrap(),
            "someone else's\n"
        );
    }

    #[test]
    fn paths_out_of_the_root_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let inner = dir.path().join("root");
        std::fs::create_dir(&inner).unwrap();
        for path in ["../x.yaml", "/etc/x.yaml", "", "a/../../x.yaml"] {
            let err = write_files(&inner, &[write(path, None, Some("x\n"))]).unwrap_err();
            assert!(
                matches!(err, WriteError::OutsideRoot { .. }),
                "{path}: {err}"
            );
        }
        assert!(!dir.path().join("x.yaml").exists());
    }

    #[test]
    fn write_atomic_replaces_and_makes_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("data/settings.json");
        write_atomic(&file, b"{}").unwrap();
        write_atomic(&file, b"{\"a\":1}").unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "{\"a\":1}");
    }
}
