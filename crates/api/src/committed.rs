//! The status folder as a commit holds it: which folder `.wheelhouse/config.yaml` names, the
//! page loaded from it, and a file's errors as one located refusal. What publish, notify and
//! the monitors read (never the working tree).

use crate::{ErrorCode, Problem, Result};
use wheelhouse_repo::Repository;
use wheelhouse_status::{fs, StatusPage};

/// The status folder `.wheelhouse/config.yaml` names at `rev` (`status` without one).
pub fn folder_at(repo: &Repository, rev: &str) -> Result<String> {
    let config = repo.files_at(rev, |p| p == fs::CONFIG_PATH)?;
    let config = config
        .get(fs::CONFIG_PATH)
        .map(|b| String::from_utf8_lossy(b).into_owned());
    Ok(fs::folder_in_config(config.as_deref()))
}

/// A file of the status folder that does not load, refused at the first of its `errors`
/// (located in the repository), counting the rest: `… (N error(s) in WHAT)`.
pub(crate) fn first_error(
    errors: Vec<wheelhouse_status::StatusError>,
    folder: &str,
    what: &str,
) -> Problem {
    let count = errors.len();
    let first = errors
        .into_iter()
        .next()
        .expect("a refusal names an error")
        .in_folder(folder);
    let (file, line, column) = (first.file.clone(), first.line, first.column);
    Problem::new(
        ErrorCode::StatusInvalid,
        format!("{} ({count} error(s) in {what})", first.message),
    )
    .at(
        file,
        (line > 0).then_some(line),
        (column > 0).then_some(column),
    )
}

/// The status page of `rev` as committed: the status folder its `.wheelhouse/config.yaml`
/// names, loaded. A page that does not load is refused at its first error, counting the rest.
pub fn page_at(repo: &Repository, rev: &str) -> Result<(String, StatusPage)> {
    let folder = folder_at(repo, rev)?;
    let prefix = format!("{folder}/");
    let files = repo.files_at(rev, |p| p.starts_with(&prefix))?;
    let files = fs::folder_of_files(&files, &folder)?;
    if files.is_empty() {
        return Err(Problem::new(
            ErrorCode::NotFound,
            format!("{rev} has no status page: {folder}/ holds none of its files"),
        ));
    }
    let page = wheelhouse_status::load(&files).map_err(|errors| {
        let what = format!("{folder}/ at {rev}; `wheelhouse status check` lists them");
        first_error(errors, &folder, &what)
    })?;
    Ok((folder, page))
}

/// The file `name` of the status folder `folder` at `rev`: its repository path, and its text
/// when the commit has it.
pub(crate) fn status_file_at(
    repo: &Repository,
    rev: &str,
    folder: &str,
    name: &str,
) -> Result<(String, Option<String>)> {
    let path = format!("{folder}/{name}");
    let text = repo
        .files_at(rev, |p| p == path)?
        .remove(&path)
        .map(|b| String::from_utf8_lossy(&b).into_owned());
    Ok((path, text))
}
