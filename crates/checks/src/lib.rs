//! Which checker judges which file, for the YAML editor's inline diagnostics and
//! `wheelhouse check`: the status page's files by the status page's loader (with the rest of
//! its folder), `.wheelhouse/policy.yaml` and `people.yaml` by the approvals crate's parsers
//! (after the YAML checks), every other file by desired-state's checks (syntax, Kubernetes,
//! kustomization schema). Reads the status folder from disk (the only I/O here).
//!
//! Not for: checking a whole repository (`wheelhouse validate`, `wheelhouse status check`).

use std::path::Path;
use wheelhouse_approvals::policy::{People, Policy, PolicyError};
use wheelhouse_desired_state::check::{check_text, plan_judged_edit};
use wheelhouse_desired_state::edit::{apply, EditError, FileEdit};
use wheelhouse_desired_state::{ErrorCode, Problem, Severity};

fn located(code: ErrorCode, file: &str, line: u32, column: u32, message: String) -> Problem {
    Problem::new(
        code,
        file,
        (line > 0).then_some(line),
        (column > 0).then_some(column),
        message,
    )
}

fn policy_problem(path: &str, e: PolicyError) -> Problem {
    located(e.code, path, e.line, e.column, e.message)
}

/// Every problem of `text` as the content of `path` (relative to the repository at `root`).
pub fn check_file(root: &Path, path: &str, text: &str) -> Vec<Problem> {
    let folder = wheelhouse_status::fs::status_dir(root);
    if let Some((rel, dir)) = folder
        .as_ref()
        .ok()
        .and_then(|(f, dir)| Some((path.strip_prefix(&format!("{f}/"))?, dir)))
    {
        let files = wheelhouse_status::fs::read_folder(dir).unwrap_or_default();
        return wheelhouse_status::check_file(&files, rel, text)
            .into_iter()
            .map(|e| located(e.code, path, e.line, e.column, e.message))
            .collect();
    }
    let mut problems = check_text(path, text);
    if problems.iter().any(|p| p.severity == Severity::Error) {
        return problems;
    }
    let parsed = match path {
        ".wheelhouse/policy.yaml" => Policy::parse(path, text).err(),
        ".wheelhouse/people.yaml" => People::parse(path, text).err(),
        _ => None,
    };
    problems.extend(parsed.map(|e| policy_problem(path, e)));
    problems
}

/// The YAML editor's save (and `wheelhouse write`): refused while [`check_file`] finds an
/// error in `after`; otherwise the planned edit, written (unless `dry_run`) atomically and only
/// when the file still holds `before`.
pub fn write_file(
    root: &Path,
    path: &str,
    before: &str,
    after: &str,
    dry_run: bool,
) -> Result<FileEdit, EditError> {
    let mut planned = plan_judged_edit(path, before, after, &check_file(root, path, after))?;
    // A new file (`.wheelhouse/config.yaml` written from the matrix's set-up form): its undo
    // deletes it rather than leaving it empty.
    planned.creates = before.is_empty() && std::fs::symlink_metadata(root.join(path)).is_err();
    if !dry_run && planned.before != planned.after {
        apply(root, std::slice::from_ref(&planned))?;
    }
    Ok(planned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let ws = wheelhouse_demo::create(&dir.path().join("demo")).unwrap();
        let root = std::path::PathBuf::from(ws.repo);
        (dir, root)
    }

    #[test]
    fn status_files_are_judged_by_the_status_page_with_their_folder() {
        let (_dir, root) = demo();
        let path = "status/components.yaml";
        let text = std::fs::read_to_string(root.join(path)).unwrap();
        assert_eq!(check_file(&root, path, &text), vec![]);
        let bad = text.replacen("status: operational", "status: on_fire", 1);
        let problems = check_file(&root, path, &bad);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].file, path);
        assert!(problems[0].line.is_some_and(|l| l > 1));
        assert!(
            problems[0].message.contains("on_fire"),
            "{}",
            problems[0].message
        );

        // An incident (Markdown with front matter) naming a component that does not exist.
        let incident = "status/incidents/2026-10-16-api-errors.md";
        let text = std::fs::read_to_string(root.join(incident)).unwrap();
        assert_eq!(check_file(&root, incident, &text), vec![]);
        let bad = text.replacen("  api: partial_outage", "  nope: partial_outage", 1);
        let problems = check_file(&root, incident, &bad);
        assert!(!problems.is_empty());
        assert!(problems
            .iter()
            .all(|p| p.file == incident && p.line.is_some()));
    }

    #[test]
    fn the_policy_and_people_files_are_judged_by_the_approvals_parsers() {
        let (_dir, root) = demo();
        let path = ".wheelhouse/policy.yaml";
        let text = std::fs::read_to_string(root.join(path)).unwrap();
        assert_eq!(check_file(&root, path, &text), vec![]);
        let bad = text.replacen("required_approvals: 2", "required_approvals: two", 1);
        assert_ne!(bad, text, "the demo policy has required_approvals: 2");
        let problems = check_file(&root, path, &bad);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].line.is_some_and(|l| l > 1));
        let people = check_file(&root, ".wheelhouse/people.yaml", "people: [oops\n");
        assert_eq!(people.len(), 1);
    }

    #[test]
    fn an_incident_is_saved_when_it_loads_and_refused_with_its_place_when_not() {
        let (_dir, root) = demo();
        let path = "status/incidents/2026-10-16-api-errors.md";
        let before = std::fs::read_to_string(root.join(path)).unwrap();
        let bad = before.replacen("impact: major", "impact: enormous", 1);
        let err = write_file(&root, path, &before, &bad, false).unwrap_err();
        assert_eq!(err.code(), "invalid_yaml");
        assert!(err.to_string().starts_with(path), "{err}");
        assert_eq!(std::fs::read_to_string(root.join(path)).unwrap(), before);
        let good = before.replacen("impact: major", "impact: critical", 1);
        let dry = write_file(&root, path, &before, &good, true).unwrap();
        assert!(dry.diff.contains("+impact: critical"));
        assert_eq!(std::fs::read_to_string(root.join(path)).unwrap(), before);
        write_file(&root, path, &before, &good, false).unwrap();
        assert_eq!(std::fs::read_to_string(root.join(path)).unwrap(), good);
    }

    #[test]
    fn writes_only_valid_text_over_what_was_read() {
        let (_dir, root) = demo();
        let path = "base/api.yaml";
        let before = std::fs::read_to_string(root.join(path)).unwrap();

        let bad = "kind: Deployment\nmetadata: [\n";
        let err = write_file(&root, path, &before, bad, false).unwrap_err();
        assert_eq!(err.code(), "invalid_yaml");
        assert_eq!(std::fs::read_to_string(root.join(path)).unwrap(), before);

        let after = before.replacen("name: api", "name: api-v2", 1);
        assert_ne!(after, before, "the demo's api is named api");
        let planned = write_file(&root, path, &before, &after, false).unwrap();
        assert!(planned.diff.contains("+  name: api-v2"), "{}", planned.diff);
        assert_eq!(std::fs::read_to_string(root.join(path)).unwrap(), after);

        // Someone else changed the file since the editor read it: nothing is written.
        let stale = after.replace("api-v2", "other");
        let err = write_file(&root, path, &before, &stale, false).unwrap_err();
        assert_eq!(err.code(), "file_changed");
        assert_eq!(std::fs::read_to_string(root.join(path)).unwrap(), after);
    }

    #[test]
    fn other_files_get_the_kubernetes_and_kustomization_checks() {
        let (_dir, root) = demo();
        let problems = check_file(
            &root,
            "overlays/prod/kustomization.yaml",
            "resources: ../base\n",
        );
        assert_eq!(problems[0].message, "resources must be a list of paths");
    }
}
