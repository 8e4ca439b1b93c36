//! Commands for desired state: the matrix, a workload's values with provenance, edits with a diff
//! preview (and undo of edits not yet committed), promotion as a change branch, compare, validate.

use crate::json::CommandError;
use crate::session::Session;
use crate::shell::blocking;
use std::path::Path;
use std::sync::MutexGuard;
use tauri::{AppHandle, Manager};
use wheelhouse_api::promote::{self, CreatedChange, MaintenanceWindow, PromotionRequest};
use wheelhouse_desired_state::check;
use wheelhouse_desired_state::edit::{self, Field, FileEdit, Promotion};
use wheelhouse_desired_state::effect::Effect;
use wheelhouse_desired_state::matrix::{self, Difference, Matrix};
use wheelhouse_desired_state::{Problem, WorkloadState, Workspace};
use wheelhouse_repo::{ErrorCode, Repository};

type CommandResult<T> = Result<T, CommandError>;

/// Runs `f` with the open repository's workspace, loading it the first time.
pub(crate) fn with_workspace<T>(
    session: &Session,
    f: impl FnOnce(&mut Workspace) -> CommandResult<T>,
) -> CommandResult<T> {
    let root = session
        .current_root()
        .ok_or(wheelhouse_repo::Error::NoRepositoryOpen)?;
    let mut guard = loaded_workspace(session, &root)?;
    f(guard.as_mut().expect("workspace just loaded"))
}

/// The workspace of `root`, read now unless it is already loaded. Loading holds the workspace
/// lock: a command that needs the desired state meanwhile waits for this load instead of
/// starting a second one; commands that do not need it are not held up.
fn loaded_workspace<'a>(
    session: &'a Session,
    root: &Path,
) -> CommandResult<MutexGuard<'a, Option<Workspace>>> {
    let mut guard = session.workspace.lock().expect("session lock");
    let wanted = root.canonicalize().unwrap_or(root.to_path_buf());
    if guard.as_ref().is_none_or(|w| w.root() != wanted) {
        let started = std::time::Instant::now();
        let ws = Workspace::open(root).map_err(|e| {
            CommandError::internal(format!("Could not read {}: {e}", root.display()))
        })?;
        tracing::info!(
            repo = %root.display(),
            environments = ws.state().environments.len(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "desired state loaded"
        );
        *guard = Some(ws);
    }
    Ok(guard)
}

/// Reads the open repository's desired state now, unless it is loaded already: called right
/// after the repository the app was started on (`--repo`) is opened, while the window is still
/// being made, so that the Environments view does not wait for it.
pub(crate) fn read_ahead(session: &Session) {
    let Some(root) = session.current_root() else {
        return;
    };
    if let Err(e) = loaded_workspace(session, &root) {
        tracing::info!(error = %e.0.message, "reading the desired state ahead failed; it is read again when asked for");
    }
}

#[tauri::command]
pub async fn desired_matrix(app: AppHandle) -> CommandResult<Matrix> {
    blocking(move || with_workspace(&app.state::<Session>(), |ws| Ok(matrix::matrix(ws.state()))))
        .await
}

/// An environment's rendered manifests (or one workload's), for the Rendered tab.
#[tauri::command]
pub async fn render_environment(
    app: AppHandle,
    env: String,
    workload: Option<String>,
) -> CommandResult<wheelhouse_desired_state::workspace::RenderView> {
    blocking(move || {
        with_workspace(&app.state::<Session>(), |ws| {
            ws.render_view(&env, workload.as_deref())
                .ok_or_else(|| CommandError::from(edit::EditError::UnknownEnvironment(env.clone())))
        })
    })
    .await
}

/// "Check against kustomize build": the real Kustomize on the environment's folders, and every
/// disagreement with what Wheelhouse renders. The render is taken under the workspace; the
/// build runs without it (other commands are served meanwhile), within the configured time
/// limit, and `cancel_operation(operation)` stops it.
#[tauri::command]
pub async fn check_render(
    app: AppHandle,
    env: String,
    operation: String,
) -> CommandResult<wheelhouse_desired_state::workspace::RenderCheck> {
    blocking(move || {
        let session = app.state::<Session>();
        let prepared = with_workspace(&session, |ws| {
            if ws.state().environments.iter().all(|e| e.name != env) {
                return Err(CommandError::from(edit::EditError::UnknownEnvironment(
                    env.clone(),
                )));
            }
            ws.prepare_check(&env)
                .map_err(|message| CommandError::new(ErrorCode::InvalidInput, message))
        })?;
        let cancel = session.begin_operation(&operation);
        let result = prepared.run(&cancel);
        session.end_operation(&operation);
        result.map_err(|message| {
            let code = if cancel.load(std::sync::atomic::Ordering::Relaxed) {
                ErrorCode::Cancelled
            } else {
                ErrorCode::InvalidInput
            };
            CommandError::new(code, message)
        })
    })
    .await
}

/// A workload in one environment: every effective value with where it is set.
#[tauri::command]
pub async fn workload_detail(
    app: AppHandle,
    env: String,
    workload: String,
) -> CommandResult<WorkloadState> {
    blocking(move || {
        with_workspace(&app.state::<Session>(), |ws| {
            let state = ws.state();
            let e = state
                .environments
                .iter()
                .position(|x| x.name == env)
                .ok_or_else(|| {
                    CommandError::from(edit::EditError::UnknownEnvironment(env.clone()))
                })?;
            state.workloads[e]
                .iter()
                .find(|w| w.id == workload)
                .cloned()
                .ok_or_else(|| {
                    CommandError::from(edit::EditError::UnknownWorkload { env, workload })
                })
        })
    })
    .await
}

fn plan(
    ws: &Workspace,
    env: &str,
    workload: &str,
    field: &Field,
    value: &str,
) -> CommandResult<Vec<FileEdit>> {
    Ok(wheelhouse_api::edits::plan(
        ws, env, workload, field, value,
    )?)
}

/// The diff an edit would make, without writing.
#[tauri::command]
pub async fn plan_edit(
    app: AppHandle,
    env: String,
    workload: String,
    field: Field,
    value: String,
) -> CommandResult<Vec<FileEdit>> {
    blocking(move || {
        with_workspace(&app.state::<Session>(), |ws| {
            plan(ws, &env, &workload, &field, &value)
        })
    })
    .await
}

/// What an edit would change in every environment's rendered manifests, without writing.
#[tauri::command]
pub async fn edit_effect(
    app: AppHandle,
    env: String,
    workload: String,
    field: Field,
    value: String,
) -> CommandResult<Effect> {
    blocking(move || {
        with_workspace(&app.state::<Session>(), |ws| {
            let edits = plan(ws, &env, &workload, &field, &value)?;
            Ok(ws.effect_of(&edits))
        })
    })
    .await
}

/// Writes an edit (atomically, refusing if a file changed on disk) and returns the new matrix.
#[tauri::command]
pub async fn apply_edit(
    app: AppHandle,
    env: String,
    workload: String,
    field: Field,
    value: String,
) -> CommandResult<Matrix> {
    blocking(move || {
        let session = app.state::<Session>();
        with_workspace(&session, |ws| {
            let mut history = session.edits.lock().expect("session lock");
            wheelhouse_api::edits::set(ws, &mut history, &env, &workload, &field, &value)?;
            Ok(matrix::matrix(ws.state()))
        })
    })
    .await
}

/// Undoes the last edit made in the app, if the files still hold what it wrote.
#[tauri::command]
pub async fn undo_edit(app: AppHandle) -> CommandResult<Matrix> {
    blocking(move || {
        let session = app.state::<Session>();
        with_workspace(&session, |ws| {
            let mut history = session.edits.lock().expect("session lock");
            wheelhouse_api::edits::undo(ws, &mut history)?;
            Ok(matrix::matrix(ws.state()))
        })
    })
    .await
}

/// Writes again the last edit undone in the app, if the files still hold what the undo wrote.
#[tauri::command]
pub async fn redo_edit(app: AppHandle) -> CommandResult<Matrix> {
    blocking(move || {
        let session = app.state::<Session>();
        with_workspace(&session, |ws| {
            let mut history = session.edits.lock().expect("session lock");
            wheelhouse_api::edits::redo(ws, &mut history)?;
            Ok(matrix::matrix(ws.state()))
        })
    })
    .await
}

#[tauri::command]
pub async fn plan_promotion(
    app: AppHandle,
    from: String,
    to: String,
    workloads: Vec<String>,
) -> CommandResult<Promotion> {
    blocking(move || {
        with_workspace(&app.state::<Session>(), |ws| {
            Ok(wheelhouse_api::promote::plan(ws, &from, &to, &workloads)?)
        })
    })
    .await
}

/// What a promotion would change in every environment's rendered manifests.
#[tauri::command]
pub async fn promotion_effect(
    app: AppHandle,
    from: String,
    to: String,
    workloads: Vec<String>,
) -> CommandResult<Effect> {
    blocking(move || {
        with_workspace(&app.state::<Session>(), |ws| {
            let promotion = wheelhouse_api::promote::plan(ws, &from, &to, &workloads)?;
            Ok(ws.effect_of(&promotion.edits))
        })
    })
    .await
}

/// Creates the promotion's change branch (from HEAD; the working tree is not touched). With a
/// `maintenance` window, the same commit also schedules a maintenance on the status page for the
/// components linked to the promoted workloads, so it is reviewed and lands with the promotion.
#[tauri::command]
pub async fn create_promotion(
    app: AppHandle,
    from: String,
    to: String,
    workloads: Vec<String>,
    maintenance: Option<MaintenanceWindow>,
) -> CommandResult<CreatedChange> {
    blocking(move || {
        let session = app.state::<Session>();
        let root = session
            .current_root()
            .ok_or(wheelhouse_repo::Error::NoRepositoryOpen)?;
        let repo = Repository::open(&root)?;
        let request = PromotionRequest {
            from,
            to,
            workloads,
            maintenance,
            dry_run: false,
        };
        let outcome = with_workspace(&session, |ws| {
            Ok(promote::create(&repo, ws, request, crate::shell::now())?)
        })?;
        Ok(outcome.require_created()?)
    })
    .await
}

#[tauri::command]
pub async fn compare_environments(
    app: AppHandle,
    a: String,
    b: String,
) -> CommandResult<Vec<Difference>> {
    blocking(move || {
        with_workspace(&app.state::<Session>(), |ws| {
            let envs = &ws.state().environments;
            let index = |name: &str| {
                envs.iter().position(|e| e.name == name).ok_or_else(|| {
                    CommandError::from(edit::EditError::UnknownEnvironment(name.to_owned()))
                })
            };
            Ok(matrix::compare(ws.state(), index(&a)?, index(&b)?))
        })
    })
    .await
}

#[tauri::command]
pub async fn validate_repository(app: AppHandle) -> CommandResult<Vec<Problem>> {
    blocking(move || {
        with_workspace(&app.state::<Session>(), |ws| {
            Ok(wheelhouse_desired_state::validate::validate(
                ws.snapshot(),
                &ws.state().problems,
            ))
        })
    })
    .await
}

/// A file opened in the YAML editor: its path and the text it was read with (the base of the
/// conflict check when it is saved).
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct OpenedFile {
    pub path: String,
    pub text: String,
}

fn resolve_file(session: &Session, path: &str) -> CommandResult<std::path::PathBuf> {
    let root = session
        .current_root()
        .ok_or(wheelhouse_repo::Error::NoRepositoryOpen)?;
    Ok(Repository::open(&root)?.resolve_inside(path)?)
}

/// Opens a file of the repository in the YAML editor.
#[tauri::command]
pub async fn open_file(app: AppHandle, path: String) -> CommandResult<OpenedFile> {
    blocking(move || {
        let full = resolve_file(&app.state::<Session>(), &path)?;
        let text = check::read_for_edit(&full, &path).map_err(CommandError::from)?;
        Ok(OpenedFile { path, text })
    })
    .await
}

/// The editor's inline diagnostics for `text` as the content of `path` (a status page file is
/// judged by the status page with its folder; the policy by the policy parser).
#[tauri::command]
pub async fn check_file(app: AppHandle, path: String, text: String) -> CommandResult<Vec<Problem>> {
    blocking(move || {
        let session = app.state::<Session>();
        let root = session
            .current_root()
            .ok_or(wheelhouse_repo::Error::NoRepositoryOpen)?;
        resolve_file(&session, &path)?;
        Ok(wheelhouse_checks::check_file(&root, &path, &text))
    })
    .await
}

/// The diff saving the editor's text would make (refused while it has errors).
#[tauri::command]
pub async fn plan_file(
    app: AppHandle,
    path: String,
    before: String,
    text: String,
) -> CommandResult<FileEdit> {
    blocking(move || {
        let session = app.state::<Session>();
        let root = session
            .current_root()
            .ok_or(wheelhouse_repo::Error::NoRepositoryOpen)?;
        resolve_file(&session, &path)?;
        wheelhouse_checks::write_file(&root, &path, &before, &text, true)
            .map_err(CommandError::from)
    })
    .await
}

/// Saves the editor's text: only without errors, only over the text it was opened with (else
/// nothing is written), atomically; undoable like any other edit. Returns the new matrix.
#[tauri::command]
pub async fn save_file(
    app: AppHandle,
    path: String,
    before: String,
    text: String,
) -> CommandResult<Matrix> {
    blocking(move || {
        let session = app.state::<Session>();
        resolve_file(&session, &path)?;
        with_workspace(&session, |ws| {
            let written = wheelhouse_checks::write_file(ws.root(), &path, &before, &text, false)
                .map_err(CommandError::from)?;
            session
                .edits
                .lock()
                .expect("session lock")
                .record(vec![written]);
            ws.refresh(std::slice::from_ref(&path));
            Ok(matrix::matrix(ws.state()))
        })
    })
    .await
}
