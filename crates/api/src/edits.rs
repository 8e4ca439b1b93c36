//! Changing one value of one workload in one environment, and taking it back: the edit is
//! planned in the environment's own layer, written with the one conflict-checked writer, and
//! remembered so that undo writes the files back — deleting a patch file the edit made — and
//! redo writes them again, each only while the files still hold what the step before wrote.

use crate::{ErrorCode, Problem, Result};
use wheelhouse_desired_state::edit::{self, Field, FileEdit, Planner};
use wheelhouse_desired_state::Workspace;

/// The edits written and not committed, to undo (newest last) and to redo after an undo. One
/// entry is everything one step wrote (an edit can change several files).
#[derive(Debug, Default, Clone)]
pub struct EditHistory {
    done: Vec<Vec<FileEdit>>,
    undone: Vec<Vec<FileEdit>>,
}

impl EditHistory {
    pub fn can_undo(&self) -> bool {
        !self.done.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.undone.is_empty()
    }

    /// Remembers a step written by someone else's hand (the YAML editor's save): undoable like
    /// an edit; a new step ends what could be redone.
    pub fn record(&mut self, edits: Vec<FileEdit>) {
        if edits
            .iter()
            .any(|e| e.before != e.after || e.creates || e.removes)
        {
            self.done.push(edits);
            self.undone.clear();
        }
    }

    /// Forgets everything (another repository was opened, or the edits were committed).
    pub fn clear(&mut self) {
        self.done.clear();
        self.undone.clear();
    }
}

/// The files that setting `field` of `workload` in `env` to `value` would change, and how;
/// nothing is written.
pub fn plan(
    ws: &Workspace,
    env: &str,
    workload: &str,
    field: &Field,
    value: &str,
) -> Result<Vec<FileEdit>> {
    let mut planner = Planner::new(ws.state(), ws.snapshot());
    planner.set(env, workload, field, value)?;
    Ok(planner.finish())
}

/// Sets the value: planned, written (all files or none, never over a file that changed since
/// it was read), the workspace refreshed, the step remembered for undo. The edits written.
pub fn set(
    ws: &mut Workspace,
    history: &mut EditHistory,
    env: &str,
    workload: &str,
    field: &Field,
    value: &str,
) -> Result<Vec<FileEdit>> {
    let edits = plan(ws, env, workload, field, value)?;
    write(ws, &edits)?;
    history.record(edits.clone());
    Ok(edits)
}

/// Takes back the last step: every file back to what it held before (a file the step made is
/// deleted), refused with nothing written when one of them changed since. The edits written.
pub fn undo(ws: &mut Workspace, history: &mut EditHistory) -> Result<Vec<FileEdit>> {
    let Some(step) = history.done.last() else {
        return Err(Problem::new(
            ErrorCode::InvalidInput,
            "There is no edit to undo.",
        ));
    };
    let reverse: Vec<FileEdit> = step.iter().rev().map(FileEdit::reverse).collect();
    write(ws, &reverse)?;
    let step = history.done.pop().expect("checked above");
    history.undone.push(step);
    Ok(reverse)
}

/// Writes again the last step undone, refused with nothing written when a file changed since
/// the undo. The edits written.
pub fn redo(ws: &mut Workspace, history: &mut EditHistory) -> Result<Vec<FileEdit>> {
    let Some(step) = history.undone.last() else {
        return Err(Problem::new(
            ErrorCode::InvalidInput,
            "There is no undone edit to redo.",
        ));
    };
    let again = step.clone();
    write(ws, &again)?;
    let step = history.undone.pop().expect("checked above");
    history.done.push(step);
    Ok(again)
}

fn write(ws: &mut Workspace, edits: &[FileEdit]) -> Result<()> {
    edit::apply(ws.root(), edits)?;
    let paths: Vec<String> = edits.iter().map(|e| e.path.clone()).collect();
    ws.refresh(&paths);
    Ok(())
}
