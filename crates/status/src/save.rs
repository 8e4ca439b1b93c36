//! The disk edge of the editor: planned file changes written atomically, never over a file
//! that changed since it was read (with the writer desired state
//! uses too, `wheelhouse_yaml::write_files`).

pub use crate::change::{with_changes, FileChange};
use crate::edit::{plan, EditError, EditErrorCode, StatusEdit};
use jiff::Timestamp;
use std::path::Path;
use wheelhouse_yaml::{write_files, FileWrite, WriteError};

/// Writes planned changes under `root` (the folder their paths are relative to) with the one
/// writer ([`wheelhouse_yaml::write_files`]): every file must still hold the text it was planned
/// from, and a new file must still be absent, else nothing is written (`file_changed`). Each file
/// is replaced atomically; missing folders (`incidents/`) are created.
pub fn apply(root: &Path, changes: &[FileChange]) -> Result<(), EditError> {
    let writes: Vec<FileWrite<'_>> = changes
        .iter()
        .map(|c| FileWrite {
            path: &c.path,
            before: c.before.as_deref(),
            after: Some(&c.after),
        })
        .collect();
    write_files(root, &writes).map_err(|err| {
        let code = match &err {
            WriteError::OutsideRoot { .. } => EditErrorCode::InvalidValue,
            WriteError::Changed { .. } => EditErrorCode::FileChanged,
            WriteError::Io { .. } => EditErrorCode::Io,
        };
        let message = match &err {
            WriteError::OutsideRoot { .. } => {
                "this is not a path inside the status folder; nothing was written".to_owned()
            }
            WriteError::Changed { created: true, .. } => "this file was created since the edit was planned; nothing was written. Look at it and try again".to_owned(),
            WriteError::Changed { .. } => "this file changed on disk since it was read; nothing was written. Look at the new content and try again".to_owned(),
            WriteError::Io { message, .. } => format!("could not write it: {message}; nothing was written"),
        };
        EditError::new(code, err.path(), message)
    })
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
