//! The status page's edits as both faces make them: one edit (a component's status, a move, an
//! incident or maintenance and their updates, a postmortem) planned over the whole status folder
//! — refused with the located problems when the result would not load — and written atomically,
//! only over files that still hold what was read. Every save is an ordinary working-tree change:
//! committed, it goes through review.

use crate::{Problem, Result};
use std::path::Path;
use wheelhouse_status::{fs, save, EditError, FileChange, StatusEdit, Timestamp};

/// Plans `edit` at `now` over the status folder of the repository at `root` and, unless
/// `dry_run`, writes it. The changes (and the errors) name repository-relative paths
/// (`status/components.yaml`).
pub fn edit(
    root: &Path,
    edit: &StatusEdit,
    now: Timestamp,
    dry_run: bool,
) -> Result<Vec<FileChange>> {
    let (folder, dir) = fs::status_dir(root)?;
    let files = fs::read_folder(&dir)?;
    let located = |e: EditError| Problem::from(e.in_folder(&folder));
    let changes = wheelhouse_status::edit::plan(&files, edit, now).map_err(located)?;
    if !dry_run {
        save::apply(&dir, &changes).map_err(located)?;
    }
    Ok(changes.into_iter().map(|c| c.in_folder(&folder)).collect())
}
