//! The disk edges of an import: reading the few files a source needs, and writing the result
//! into a status folder.

use super::common::{is_safe_relative, ImportError, Source, MAX_FILE_BYTES};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

/// Reads the files the importer for `source` uses from the folder `dir`, as paths relative to
/// it:
/// - cState: `config.yml` (or `config.yaml`, `hugo.yml`, `hugo.yaml`),
///   `content/issues/*.md` and `content/issues/*/index.md`;
/// - Upptime: `.upptimerc.yml` (or `.yaml`), `history/summary.json`, `history/*.yml`.
///
/// Nothing else is opened. A file or folder that is a link leading out of `dir` is refused.
pub fn read_source(source: Source, dir: &Path) -> Result<BTreeMap<String, String>, ImportError> {
    let reader = Reader::new(dir)?;
    let mut files = BTreeMap::new();
    match source {
        Source::Cstate => {
            for name in super::cstate::CONFIG_FILES {
                reader.read_into(name, &mut files)?;
            }
            for (name, is_dir) in reader.list("content/issues")? {
                if is_dir {
                    reader.read_into(&format!("content/issues/{name}/index.md"), &mut files)?;
                } else if name.ends_with(".md") {
                    reader.read_into(&format!("content/issues/{name}"), &mut files)?;
                }
            }
        }
        Source::Upptime => {
            for name in super::upptime::CONFIG_FILES {
                reader.read_into(name, &mut files)?;
            }
            reader.read_into(super::upptime::SUMMARY_FILE, &mut files)?;
            for (name, is_dir) in reader.list("history")? {
                if !is_dir && (name.ends_with(".yml") || name.ends_with(".yaml")) {
                    reader.read_into(&format!("history/{name}"), &mut files)?;
                }
            }
        }
    }
    Ok(files)
}

struct Reader {
    dir: PathBuf,
    root: PathBuf,
}

impl Reader {
    fn new(dir: &Path) -> Result<Reader, ImportError> {
        let root = dir.canonicalize().map_err(|source| ImportError::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        if !root.is_dir() {
            return Err(ImportError::Read {
                path: dir.to_path_buf(),
                source: io::Error::new(io::ErrorKind::NotADirectory, "not a folder"),
            });
        }
        Ok(Reader {
            dir: dir.to_path_buf(),
            root,
        })
    }

    /// The real path of `rel`, `None` when it does not exist; refused when it leads out.
    fn real(&self, rel: &str) -> Result<Option<PathBuf>, ImportError> {
        let path = self.dir.join(rel);
        match path.canonicalize() {
            Ok(real) if real.starts_with(&self.root) => Ok(Some(real)),
            Ok(_) => Err(ImportError::UnsafePath {
                path: rel.to_string(),
            }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(ImportError::Read { path, source }),
        }
    }

    fn read_into(
        &self,
        rel: &str,
        files: &mut BTreeMap<String, String>,
    ) -> Result<(), ImportError> {
        let Some(real) = self.real(rel)? else {
            return Ok(());
        };
        let path = self.dir.join(rel);
        let meta = std::fs::metadata(&real).map_err(|source| ImportError::Read {
            path: path.clone(),
            source,
        })?;
        if !meta.is_file() {
            return Ok(());
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(ImportError::TooLarge { path });
        }
        let bytes = std::fs::read(&real).map_err(|source| ImportError::Read {
            path: path.clone(),
            source,
        })?;
        let text = String::from_utf8(bytes).map_err(|_| ImportError::NotText { path })?;
        files.insert(rel.to_string(), text);
        Ok(())
    }

    /// The entries of a folder (name, is a folder), by name; none when it does not exist.
    fn list(&self, rel: &str) -> Result<Vec<(String, bool)>, ImportError> {
        let Some(real) = self.real(rel)? else {
            return Ok(Vec::new());
        };
        let path = self.dir.join(rel);
        let entries = match std::fs::read_dir(&real) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotADirectory => return Ok(Vec::new()),
            Err(source) => return Err(ImportError::Read { path, source }),
        };
        let mut out = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|source| ImportError::Read {
                path: path.clone(),
                source,
            })?;
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            if name.starts_with('.') {
                continue;
            }
            // Follows links, so a link to a folder lists as a folder (checked when read).
            let is_dir = entry.path().is_dir();
            out.push((name, is_dir));
        }
        out.sort();
        Ok(out)
    }
}

/// What [`write_into`] does (or, for a dry run, would do) with one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedFile {
    /// Relative to the status folder.
    pub path: String,
    pub action: FileAction,
    pub bytes: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileAction {
    Create,
    Overwrite,
    /// The file exists with the same text.
    Unchanged,
}

/// Writes imported files into the status folder `status_dir` (created when absent).
///
/// Refused, with nothing written: an existing file with other content unless `force`; a file
/// or sub-folder there that is a link; and a result that would not load together with the
/// folder's other files (an existing incident naming a component the import does not have,
/// say). With `dry_run` everything is checked and nothing written. The files are written with
/// the one writer (`wheelhouse_yaml::write_files`): atomically, and not at all if one of them
/// changed since it was looked at.
pub fn write_into(
    status_dir: &Path,
    files: &BTreeMap<String, String>,
    force: bool,
    dry_run: bool,
) -> Result<Vec<PlannedFile>, ImportError> {
    let mut plan = Vec::new();
    let mut existing = Vec::new();
    // The text each overwritten file holds now: the writer checks it is still there.
    let mut before: BTreeMap<&str, String> = BTreeMap::new();
    for (rel, text) in files {
        if !is_safe_relative(rel) {
            return Err(ImportError::UnsafePath { path: rel.clone() });
        }
        if let Some((dir, _)) = rel.rsplit_once('/') {
            let sub = status_dir.join(dir);
            if let Ok(meta) = std::fs::symlink_metadata(&sub) {
                if !meta.is_dir() {
                    return Err(ImportError::UnsafeDestination { path: sub });
                }
            }
        }
        let target = status_dir.join(rel);
        let action = match std::fs::symlink_metadata(&target) {
            Ok(meta) if !meta.is_file() => {
                return Err(ImportError::UnsafeDestination { path: target })
            }
            Ok(_) => {
                let old = std::fs::read(&target).map_err(|source| ImportError::Read {
                    path: target.clone(),
                    source,
                })?;
                if old == text.as_bytes() {
                    FileAction::Unchanged
                } else {
                    existing.push(rel.clone());
                    before.insert(rel, String::from_utf8_lossy(&old).into_owned());
                    FileAction::Overwrite
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => FileAction::Create,
            Err(source) => {
                return Err(ImportError::Read {
                    path: target,
                    source,
                })
            }
        };
        plan.push(PlannedFile {
            path: rel.clone(),
            action,
            bytes: text.len(),
        });
    }
    if !existing.is_empty() && !force {
        return Err(ImportError::Exists { paths: existing });
    }

    let mut merged = crate::fs::read_folder(status_dir).map_err(|e| match e {
        crate::fs::FsError::Read { path, source } => ImportError::Read { path, source },
        crate::fs::FsError::NotText { path } => ImportError::NotText { path },
        other => ImportError::Read {
            path: status_dir.to_path_buf(),
            source: io::Error::other(other.to_string()),
        },
    })?;
    merged.extend(files.iter().map(|(k, v)| (k.clone(), v.clone())));
    if let Err(errors) = crate::load(&merged) {
        return Err(ImportError::Invalid { errors });
    }
    if dry_run {
        return Ok(plan);
    }

    let writes: Vec<wheelhouse_yaml::FileWrite<'_>> = plan
        .iter()
        .filter(|p| p.action != FileAction::Unchanged)
        .map(|p| wheelhouse_yaml::FileWrite {
            path: &p.path,
            before: before.get(p.path.as_str()).map(String::as_str),
            after: Some(&files[&p.path]),
        })
        .collect();
    wheelhouse_yaml::write_files(status_dir, &writes).map_err(|e| ImportError::Write {
        path: status_dir.join(e.path()),
        source: io::Error::other(match &e {
            wheelhouse_yaml::WriteError::Io { message, .. } => message.clone(),
            other => other.to_string(),
        }),
    })?;
    Ok(plan)
}
