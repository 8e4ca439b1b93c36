//! The disk edges: reading a status folder into the map [`crate::load`] takes, and writing an
//! export into a folder all at once.

use crate::load::{COMPONENTS_FILE, INCIDENTS_DIR, MAINTENANCES_DIR, PAGE_FILE, TEMPLATES_DIR};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

/// Why reading or writing failed. Nothing was written when this is returned.
#[derive(Debug, thiserror::Error)]
pub enum FsError {
    #[error("Could not read {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("{} is not UTF-8 text.", path.display())]
    NotText { path: PathBuf },
    #[error("{} exists and is not empty, and it does not look like a status page export (no index.html and api/v2/summary.json). Choose another folder; nothing was written.", .0.display())]
    NotAnExport(PathBuf),
    #[error("Could not write the export to {}: {source}. Nothing was changed there.", path.display())]
    Write { path: PathBuf, source: io::Error },
    /// `status_page:` names a folder outside the repository (absolute, `..`, a link leading
    /// out): nothing is read or written there.
    #[error("{CONFIG_FILE}:{line}:{column}: status_page `{folder}` {reason}; Wheelhouse reads and writes the status page only inside the repository.")]
    Outside {
        folder: String,
        reason: String,
        line: u32,
        column: u32,
    },
}

wheelhouse_diagnostics::from_coded!(FsError);

impl FsError {
    /// A stable code for consumers.
    pub fn code(&self) -> wheelhouse_diagnostics::ErrorCode {
        match self {
            FsError::Read { .. } => wheelhouse_diagnostics::ErrorCode::Io,
            FsError::NotText { .. } => wheelhouse_diagnostics::ErrorCode::InvalidFile,
            FsError::NotAnExport(_) => wheelhouse_diagnostics::ErrorCode::DestinationNotEmpty,
            FsError::Write { .. } => wheelhouse_diagnostics::ErrorCode::Io,
            FsError::Outside { .. } => wheelhouse_diagnostics::ErrorCode::PathOutsideRepository,
        }
    }
}

/// The status folder a repository configures in `.wheelhouse/config.yaml` (`status_page:`),
/// relative to the repository root; `status` when the file or the key is absent or unreadable
/// (the workspace's own validation reports a broken config).
pub fn configured_folder(repo_root: &Path) -> String {
    folder_in_config(config_text(repo_root).ok().as_deref())
}

/// The status folder the text of `.wheelhouse/config.yaml` names (`status` without one).
pub fn folder_in_config(config: Option<&str>) -> String {
    #[derive(Deserialize)]
    struct Config {
        #[serde(default)]
        status_page: Option<String>,
    }
    config
        .and_then(|text| serde_saphyr::from_str::<Config>(text).ok())
        .and_then(|c| c.status_page)
        .map(|s| s.trim().trim_end_matches('/').to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "status".to_string())
}

/// The path of the repository's config file, whose `status_page:` names the status folder.
pub const CONFIG_PATH: &str = CONFIG_FILE;

/// [`read_folder`] over files already read (a commit's tree): of `files` (repository path →
/// bytes), those of the status folder `folder` that [`crate::load`] knows, by their path in
/// the folder. A file that is not UTF-8 text is refused, naming it.
pub fn folder_of_files(
    files: &BTreeMap<String, Vec<u8>>,
    folder: &str,
) -> Result<BTreeMap<String, String>, FsError> {
    let prefix = format!("{folder}/");
    let mut out = BTreeMap::new();
    for (path, bytes) in files.range(prefix.clone()..) {
        let Some(rel) = path.strip_prefix(&prefix) else {
            break;
        };
        let known = TOP_FILES.contains(&rel)
            || [INCIDENTS_DIR, MAINTENANCES_DIR, TEMPLATES_DIR]
                .iter()
                .any(|d| {
                    rel.strip_prefix(&format!("{d}/"))
                        .is_some_and(|name| !name.contains('/') && name.ends_with(".md"))
                });
        if !known {
            continue;
        }
        let text = String::from_utf8(bytes.clone()).map_err(|_| FsError::NotText {
            path: PathBuf::from(path),
        })?;
        out.insert(rel.to_owned(), text);
    }
    Ok(out)
}

const CONFIG_FILE: &str = ".wheelhouse/config.yaml";

fn config_text(repo_root: &Path) -> Result<String, ()> {
    let path = wheelhouse_paths::on_disk(repo_root, CONFIG_FILE).map_err(|_| ())?;
    std::fs::read_to_string(path).map_err(|_| ())
}

/// The status folder of the repository at `repo_root`: its repository-relative name and its
/// full path, checked to stay inside the repository ([`wheelhouse_paths::on_disk`], symbolic
/// links included). Every reader and writer of the status page starts here.
pub fn status_dir(repo_root: &Path) -> Result<(String, PathBuf), FsError> {
    let folder = configured_folder(repo_root);
    match wheelhouse_paths::on_disk(repo_root, &folder) {
        Ok(dir) => Ok((folder, dir)),
        Err(wheelhouse_paths::Outside::Io { path, source }) => Err(FsError::Read { path, source }),
        Err(e) => {
            let reason = match e {
                wheelhouse_paths::Outside::Link { link, .. } => {
                    format!("leads outside the repository through the symbolic link {link}")
                }
                wheelhouse_paths::Outside::GitDir { .. } => "is inside .git".to_owned(),
                _ => "is outside the repository".to_owned(),
            };
            let (line, column) = config_text(repo_root)
                .ok()
                .and_then(|t| key_position(&t, "status_page"))
                .unwrap_or((1, 1));
            Err(FsError::Outside {
                folder,
                reason,
                line,
                column,
            })
        }
    }
}

/// Where a top-level `key:` is written (1-based line and column of its value).
fn key_position(text: &str, key: &str) -> Option<(u32, u32)> {
    text.lines().enumerate().find_map(|(i, l)| {
        let rest = l.strip_prefix(key)?.strip_prefix(':')?;
        let value = rest.len() - rest.trim_start().len();
        Some((i as u32 + 1, (key.len() + 1 + value + 1) as u32))
    })
}

/// The files at the top of the status folder that are read: the page's own, and those beside
/// it that commands read on their own (the subscribers, the monitors).
const TOP_FILES: [&str; 4] = [
    PAGE_FILE,
    COMPONENTS_FILE,
    crate::notify::SUBSCRIBERS_FILE,
    crate::monitor::MONITORS_FILE,
];

/// Reads the files of a status folder that [`crate::load`] knows: `page.yaml`,
/// `components.yaml`, `subscribers.yaml`, `monitors.yaml`, and the `*.md` files of
/// `incidents/`, `maintenances/` and `templates/`. Missing files and folders are simply absent
/// from the map.
pub fn read_folder(dir: &Path) -> Result<BTreeMap<String, String>, FsError> {
    let mut files = BTreeMap::new();
    for name in TOP_FILES {
        if let Some(text) = read_text(&dir.join(name))? {
            files.insert(name.to_string(), text);
        }
    }
    for sub in [INCIDENTS_DIR, MAINTENANCES_DIR, TEMPLATES_DIR] {
        let folder = dir.join(sub);
        let entries = match std::fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(source) => {
                return Err(FsError::Read {
                    path: folder,
                    source,
                })
            }
        };
        for entry in entries {
            let entry = entry.map_err(|source| FsError::Read {
                path: folder.clone(),
                source,
            })?;
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            let is_file = entry.file_type().is_ok_and(|t| t.is_file());
            if !is_file || !name.ends_with(".md") {
                continue;
            }
            if let Some(text) = read_text(&entry.path())? {
                files.insert(format!("{sub}/{name}"), text);
            }
        }
    }
    Ok(files)
}

fn read_text(path: &Path) -> Result<Option<String>, FsError> {
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| FsError::NotText {
                path: path.to_path_buf(),
            }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(FsError::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Writes an export into `out` all at once: the files go to a temporary folder beside it,
/// which then takes `out`'s place. `out` must not exist, be empty, or hold an earlier export
/// (which is replaced whole, so files of deleted incidents do not linger). On failure `out` is
/// as it was.
pub fn write_export(out: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<(), FsError> {
    let write_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| FsError::Write { path, source }
    };
    // None: absent; Some(false): an empty folder; Some(true): an earlier export.
    let existing = match std::fs::read_dir(out) {
        Ok(mut entries) => {
            let empty = entries.next().is_none();
            let earlier_export =
                out.join("index.html").is_file() && out.join("api/v2/summary.json").is_file();
            if !empty && !earlier_export {
                return Err(FsError::NotAnExport(out.to_path_buf()));
            }
            Some(!empty)
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(source) => {
            return Err(FsError::Write {
                path: out.to_path_buf(),
                source,
            })
        }
    };
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(write_err(&parent))?;
    let staging = tempfile::Builder::new()
        .prefix(".wheelhouse-status-")
        .tempdir_in(&parent)
        .map_err(write_err(&parent))?;
    for (path, bytes) in files {
        // Paths come from `build`: relative, `/`-separated, no `..`.
        let target = staging.path().join(path);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(write_err(dir))?;
        }
        std::fs::write(&target, bytes).map_err(write_err(&target))?;
    }
    if existing == Some(true) {
        // Move the old export aside first; put it back if the swap fails.
        let old = tempfile::Builder::new()
            .prefix(".wheelhouse-status-old-")
            .tempdir_in(&parent)
            .map_err(write_err(&parent))?;
        let aside = old.path().join("export");
        std::fs::rename(out, &aside).map_err(write_err(out))?;
        if let Err(source) = std::fs::rename(staging.path(), out) {
            let _ = std::fs::rename(&aside, out);
            return Err(FsError::Write {
                path: out.to_path_buf(),
                source,
            });
        }
        // `old` removes the previous export when dropped.
    } else {
        if existing == Some(false) {
            std::fs::remove_dir(out).map_err(write_err(out))?;
        }
        std::fs::rename(staging.path(), out).map_err(write_err(out))?;
    }
    // The staging folder now is `out`: do not let its guard delete it.
    let _ = staging.keep();
    Ok(())
}
