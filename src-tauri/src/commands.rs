//! Commands: each one takes an intent from the UI, calls the core, and returns a view or a
//! `{code, message}` error. Blocking Git work runs off the main thread.

use crate::json::{CommandError, StartupView};
use crate::AppState;
use std::path::{Path, PathBuf};
use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::DialogExt;
use wheelhouse_repo::recent::{self, RecentRepository};
use wheelhouse_repo::{RepoOverview, Repository};

/// How many commits the overview lists.
const OVERVIEW_COMMITS: usize = 50;

type CommandResult<T> = Result<T, CommandError>;

fn recent_file(state: &AppState) -> PathBuf {
    state.data_dir.join("recent-repositories.json")
}

fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// Opens `path`, makes it the window's repository and remembers it in the recent list.
fn open_and_remember(state: &AppState, path: &Path) -> CommandResult<RepoOverview> {
    let repo = Repository::open(path)?;
    let overview = repo.overview(OVERVIEW_COMMITS)?;
    *state.current.lock().expect("state lock") = Some(repo.root().to_path_buf());
    let file = recent_file(state);
    let list = recent::remember(
        recent::load(&file),
        RecentRepository {
            path: overview.path.clone(),
            name: overview.name.clone(),
            opened_unix: now_unix(),
        },
    );
    if let Err(e) = recent::save(&file, &list) {
        tracing::warn!(error = %e, "could not save the recent repositories list");
    }
    tracing::info!(repo = %overview.path, "repository opened");
    Ok(overview)
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> CommandResult<T> + Send + 'static,
) -> CommandResult<T> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .unwrap_or_else(|e| {
            Err(CommandError {
                code: wheelhouse_repo::ErrorCode::Io,
                message: format!("Internal error: {e}"),
            })
        })
}

#[tauri::command]
pub async fn startup(app: AppHandle) -> CommandResult<StartupView> {
    blocking(move || {
        let state = app.state::<AppState>();
        let (opened, error) = match &state.initial_repo {
            Some(path) => match open_and_remember(&state, path) {
                Ok(o) => (Some(o), None),
                Err(e) => (None, Some(e)),
            },
            None => (None, None),
        };
        Ok(StartupView {
            recent: recent::load(&recent_file(&state)),
            opened,
            error,
        })
    })
    .await
}

#[tauri::command]
pub async fn open_repository(app: AppHandle, path: String) -> CommandResult<RepoOverview> {
    blocking(move || {
        let path = path.trim();
        if path.is_empty() {
            return Err(wheelhouse_repo::Error::InvalidInput {
                message: "Enter the path of a repository folder.".into(),
            }
            .into());
        }
        open_and_remember(&app.state::<AppState>(), Path::new(path))
    })
    .await
}

/// Shows the native folder picker; `None` when the person cancels.
#[tauri::command]
pub async fn choose_repository(app: AppHandle) -> CommandResult<Option<RepoOverview>> {
    blocking(move || {
        let Some(picked) = app
            .dialog()
            .file()
            .set_title("Open a GitOps repository")
            .blocking_pick_folder()
        else {
            return Ok(None);
        };
        let path = picked.into_path().map_err(|e| CommandError {
            code: wheelhouse_repo::ErrorCode::InvalidInput,
            message: format!("That folder cannot be opened: {e}"),
        })?;
        open_and_remember(&app.state::<AppState>(), &path).map(Some)
    })
    .await
}

/// Opens the demo workspace in the app's data folder, creating it the first time.
#[tauri::command]
pub async fn open_demo(app: AppHandle) -> CommandResult<RepoOverview> {
    blocking(move || {
        let state = app.state::<AppState>();
        let dir = state.data_dir.join("demo");
        let repo = dir.join(wheelhouse_demo::REPO_DIR);
        if !repo.exists() {
            wheelhouse_demo::create(&dir)?;
        }
        open_and_remember(&state, &repo)
    })
    .await
}

/// Clones `url` into `destination`, or into `<data folder>/clones/<name>` when none is given.
#[tauri::command]
pub async fn clone_repository(
    app: AppHandle,
    url: String,
    destination: Option<String>,
) -> CommandResult<RepoOverview> {
    blocking(move || {
        let state = app.state::<AppState>();
        let dest = match destination.as_deref().map(str::trim) {
            Some(d) if !d.is_empty() => PathBuf::from(d),
            _ => state.data_dir.join("clones").join(clone_folder_name(&url)),
        };
        let repo = wheelhouse_repo::clone(&url, &dest)?;
        open_and_remember(&state, repo.root())
    })
    .await
}

/// The last path segment of a clone URL without `.git`: `…/acme/gitops.git` → `gitops`.
fn clone_folder_name(url: &str) -> String {
    let last = url
        .trim()
        .trim_end_matches('/')
        .rsplit(['/', ':', '\\'])
        .next()
        .unwrap_or_default();
    let name = last.strip_suffix(".git").unwrap_or(last);
    if name.is_empty() || name == ".." || name == "." {
        "repository".into()
    } else {
        name.into()
    }
}

#[tauri::command]
pub async fn refresh_overview(app: AppHandle) -> CommandResult<RepoOverview> {
    blocking(move || {
        let state = app.state::<AppState>();
        let current = state.current.lock().expect("state lock").clone();
        let path = current.ok_or(wheelhouse_repo::Error::NoRepositoryOpen)?;
        Ok(Repository::open(&path)?.overview(OVERVIEW_COMMITS)?)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::clone_folder_name;

    #[test]
    fn clone_folders_are_named_after_the_repository() {
        assert_eq!(
            clone_folder_name("https://git.example.com/acme/gitops.git"),
            "gitops"
        );
        assert_eq!(clone_folder_name("git@github.com:acme/fleet.git"), "fleet");
        assert_eq!(clone_folder_name("file:///srv/git/infra/"), "infra");
        assert_eq!(clone_folder_name("https://example.com/.."), "repository");
    }
}
