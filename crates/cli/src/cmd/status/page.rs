use crate::context::{now_timestamp, time_arg, Context};
use std::collections::BTreeMap;
use std::path::PathBuf;
use wheelhouse_diagnostics::{ErrorCode, Problem};
use wheelhouse_status::StatusPage;

/// Build the static export (HTML, Statuspage v2 JSON, feeds, calendar, badges) into OUT,
/// all at once; OUT must be new, empty, or an earlier export. Prints the files written.
#[derive(Debug, clap::Args)]
pub struct Build {
    out: PathBuf,
    /// The moment the page shows (RFC 3339), instead of the current time.
    #[arg(long)]
    now: Option<String>,
}

/// Check the status page's files; errors name file:line:column. Exits 1 on errors.
#[derive(Debug, clap::Args)]
pub struct Check {}

pub fn check(_: Check, cx: &Context) -> Result<(), Problem> {
    let (folder, model, _) = load_checked(cx, true)?;
    let components = model.components().count();
    let document = serde_json::json!({
        "folder": folder,
        "components": components,
        "incidents": model.incidents.len(),
        "maintenances": model.maintenances.len(),
        "templates": model.templates.len(),
    });
    cx.out.show(&document, |_| {
        println!(
            "{folder}/ is valid: {components} component(s), {} incident(s), {} maintenance(s), {} template(s).",
            model.incidents.len(),
            model.maintenances.len(),
            model.templates.len()
        )
    });
    Ok(())
}

pub fn build(args: Build, cx: &Context) -> Result<(), Problem> {
    let (_, mut model, files) = load_checked(cx, false)?;
    let now = time_arg("--now", args.now.as_deref())?.unwrap_or_else(now_timestamp);
    // The uptime bars count what the monitors recorded (the status-history branch), when any.
    if let Ok(repo) = cx.open() {
        if let Some(history) = wheelhouse_api::monitor::recorded_window(&repo, now)? {
            wheelhouse_status::monitor::apply_from_files(&mut model, &files, &history, now);
        }
    }
    let export = wheelhouse_status::build(&model, now);
    wheelhouse_status::fs::write_export(&args.out, &export)?;
    let files: Vec<_> = export
        .iter()
        .map(|(path, bytes)| serde_json::json!({"path": path, "bytes": bytes.len()}))
        .collect();
    let document = serde_json::json!({
        "out": args.out,
        "now": now.to_string(),
        "files": files,
    });
    cx.out.show(&document, |_| {
        for path in export.keys() {
            println!("{path}");
        }
        println!(
            "Wrote {} files to {} (as of {now}).",
            export.len(),
            args.out.display()
        );
    });
    Ok(())
}

/// The status folder's name and its page; a page that does not load is shown error by error
/// (located in the repository) and refused. With `beside`, the subscribers and monitors
/// files are judged too.
fn load_checked(
    cx: &Context,
    beside: bool,
) -> Result<(String, StatusPage, BTreeMap<String, String>), Problem> {
    // Files only: a repository without commits (a page just imported) is checked too.
    let root = wheelhouse_repo::Repository::working_tree(&cx.repo)?;
    let (folder, dir) = wheelhouse_status::fs::status_dir(&root)?;
    let files = wheelhouse_status::fs::read_folder(&dir)?;
    let loaded = wheelhouse_status::load(&files).and_then(|model| {
        let errors = if beside {
            wheelhouse_status::check_beside(&files, &model)
        } else {
            Vec::new()
        };
        if errors.is_empty() {
            Ok(model)
        } else {
            Err(errors)
        }
    });
    match loaded {
        Ok(model) => Ok((folder, model, files)),
        Err(errors) => {
            let errors: Vec<_> = errors.into_iter().map(|e| e.in_folder(&folder)).collect();
            let problem = Problem::new(
                ErrorCode::StatusInvalid,
                format!(
                    "{} error(s) in {folder}/; nothing was written.",
                    errors.len()
                ),
            );
            if cx.out.json() {
                // One document: every error located, and the refusal beside them.
                let document = serde_json::json!({ "errors": errors });
                cx.out.show_refused(document, &problem);
            } else {
                for e in &errors {
                    println!("error: {e}");
                }
            }
            Err(problem)
        }
    }
}
