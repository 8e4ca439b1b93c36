//! The disk edge of the editor: planned file changes written atomically, never over a file
//! that changed since it was read (as `wheelhouse_desired_state::edit::apply` writes desired
//! state).

pub use crate::change::{with_changes, FileChange};
use crate::edit::{plan, EditError, EditErrorCode, StatusEdit};
use jiff::Timestamp;
use std::path::{Component, Path};

/// Writes planned changes under `root` (the folder their paths are relative to): every file
/// must still hold the text it was planned from, and a new file must still be absent, else
/// nothing is written (`file_changed`). Each file is replaced atomically (temporary file in the
/// same folder, then rename); missing folders (`incidents/`) are created.
pub fn apply(root: &Path, changes: &[FileChange]) -> Result<(), EditError> {
    let io = |path: &str, e: std::io::Error| {
        EditError::new(
            EditErrorCode::Io,
            path,
            format!("could not write it: {e}; nothing was written"),
        )
    };
    for c in changes {
        let relative = Path::new(&c.path);
        let inside = !c.path.is_empty()
            && relative
                .components()
                .all(|part| matches!(part, Component::Normal(_)));
        if !inside {
            return Err(EditError::new(
                EditErrorCode::InvalidValue,
                &c.path,
                "this is not a path inside the status folder; nothing was written",
            ));
        }
        let current = match std::fs::read(root.join(relative)) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(io(&c.path, e)),
        };
        if current.as_deref() != c.before.as_deref().map(str::as_bytes) {
            return Err(EditError::new(
                EditErrorCode::FileChanged,
                &c.path,
                if c.before.is_none() {
                    "this file was created since the edit was planned; nothing was written. Look at it and try again"
                } else {
                    "this file changed on disk since it was read; nothing was written. Look at the new content and try again"
                },
            ));
        }
    }
    let mut staged = Vec::new();
    for c in changes {
        let target = root.join(&c.path);
        let dir = target.parent().unwrap_or(root);
        std::fs::create_dir_all(dir).map_err(|e| io(&c.path, e))?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".wheelhouse-")
            .tempfile_in(dir)
            .map_err(|e| io(&c.path, e))?;
        std::io::Write::write_all(&mut tmp, c.after.as_bytes()).map_err(|e| io(&c.path, e))?;
        tmp.as_file().sync_all().map_err(|e| io(&c.path, e))?;
        staged.push((tmp, target, &c.path));
    }
    for (tmp, target, path) in staged {
        tmp.persist(&target).map_err(|e| io(path, e.error))?;
    }
    Ok(())
}

/// Reads the status folder `dir`, plans `edit` over it and writes the result: the changes
/// written (paths relative to `dir`).
pub fn save(dir: &Path, edit: &StatusEdit, now: Timestamp) -> Result<Vec<FileChange>, EditError> {
    let files = crate::fs::read_folder(dir)
        .map_err(|e| EditError::new(EditErrorCode::Io, "", format!("{e}; nothing was written")))?;
    let changes = plan(&files, edit, now)?;
    apply(dir, &changes)?;
    Ok(changes)
}

/// A maintenance scheduled together with another change (a promotion into a protected
/// environment): the files that schedule it, repository-relative, planned over the status folder
/// of the repository at `root` (refused with the located problems when they would not load),
/// and the sentence the change's commit message gets. Nothing is written.
pub fn plan_maintenance_files(
    root: &Path,
    maintenance: crate::edit::NewMaintenance,
    now: Timestamp,
) -> Result<(Vec<(String, String)>, String), EditError> {
    // The message already names `.wheelhouse/config.yaml` with its line and column.
    let (folder, dir) = crate::fs::status_dir(root)
        .map_err(|e| EditError::new(EditErrorCode::Io, "", e.to_string()))?;
    let files = crate::fs::read_folder(&dir)
        .map_err(|e| EditError::new(EditErrorCode::Io, &folder, e.to_string()))?;
    let sentence = format!(
        "Status page: schedules the maintenance \"{}\".",
        maintenance.title
    );
    let changes = plan(&files, &StatusEdit::NewMaintenance(maintenance), now)
        .map_err(|e| e.in_folder(&folder))?;
    let out = changes
        .into_iter()
        .map(|c| (format!("{folder}/{}", c.path), c.after))
        .collect();
    Ok((out, sentence))
}

/// The ids of the components that stand for any of `workloads` in environment `env`
/// (`links: {env, workloads}` in components.yaml): what a maintenance for a promotion covers.
pub fn components_for(model: &crate::StatusPage, env: &str, workloads: &[String]) -> Vec<String> {
    model
        .components()
        .filter(|c| c.links.env.as_deref() == Some(env))
        .filter(|c| workloads.is_empty() || c.links.workloads.iter().any(|w| workloads.contains(w)))
        .map(|c| c.id.clone())
        .collect()
}
