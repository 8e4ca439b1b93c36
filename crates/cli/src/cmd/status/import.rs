use crate::context::Context;
use std::path::PathBuf;
use wheelhouse_diagnostics::Problem;
use wheelhouse_status::import::{self, FileAction, ImportError, Source};

/// Convert another tool's status page (a cState site or an Upptime repository in DIR)
/// into this repository's status folder. Existing status files are not overwritten
/// without --force; the result must load with the folder's other files. Prints what was
/// imported and notes on what could not be.
#[derive(Debug, clap::Args)]
pub struct Args {
    source: Tool,
    /// The folder of the cState site or the Upptime repository (only the files the import
    /// needs are read).
    dir: PathBuf,
    /// Check and show what would be written, without writing.
    #[arg(long)]
    dry_run: bool,
    /// Overwrite status files that exist with other content.
    #[arg(long)]
    force: bool,
}

/// The tools `status import` reads.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Tool {
    /// A cState (Hugo) site: config.yml and content/issues/.
    Cstate,
    /// An Upptime repository: .upptimerc.yml and history/.
    Upptime,
}

/// Reads the few files the importer needs from DIR, converts, and writes into the repository's
/// status folder (or only shows it with --dry-run).
pub fn run(args: Args, cx: &Context) -> Result<(), Problem> {
    let Args {
        source,
        dir,
        dry_run,
        force,
    } = args;
    let source = match source {
        Tool::Cstate => Source::Cstate,
        Tool::Upptime => Source::Upptime,
    };
    // A repository without commits is where a status page is often begun.
    let root = wheelhouse_repo::Repository::working_tree(&cx.repo)?;
    let (folder, status_dir) = wheelhouse_status::fs::status_dir(&root)?;
    let failure = |e: ImportError| refusal(e, &folder);
    let files = import::read_source(source, &dir).map_err(failure)?;
    let imported = import::import(source, &files).map_err(failure)?;
    let plan = import::write_into(&status_dir, &imported.files, force, dry_run).map_err(failure)?;
    let files: Vec<_> = plan
        .iter()
        .map(|p| {
            serde_json::json!({
                "path": format!("{folder}/{}", p.path),
                "action": p.action,
                "bytes": p.bytes,
            })
        })
        .collect();
    let document = serde_json::json!({
        "source": source,
        "dir": dir,
        "folder": folder,
        "dry_run": dry_run,
        "components": imported.components,
        "incidents": imported.incidents,
        "files": files,
        "notes": imported.notes,
    });
    cx.out.show(&document, |_| {
        println!(
            "{} {} from {} into {folder}/: {} component(s), {} incident(s).",
            if dry_run { "Would import" } else { "Imported" },
            source.label(),
            dir.display(),
            imported.components,
            imported.incidents
        );
        for p in &plan {
            let action = match p.action {
                FileAction::Create => "create",
                FileAction::Overwrite => "overwrite",
                FileAction::Unchanged => "unchanged",
            };
            println!("  {action:<10} {folder}/{}", p.path);
        }
        if !imported.notes.is_empty() {
            println!(
                "Notes ({}): what was not imported as it was",
                imported.notes.len()
            );
            for n in &imported.notes {
                println!("  - {n}");
            }
        }
        if dry_run {
            println!("Nothing was written (--dry-run).");
        } else {
            println!("Review the files (git diff), then commit them like any other change.");
        }
    });
    Ok(())
}

/// The import's refusal, its paths named in the repository: files that exist already (and
/// --force), or the first errors of a result that would not load.
fn refusal(e: ImportError, folder: &str) -> Problem {
    let mut message = e.to_string();
    if let ImportError::Exists { paths } = &e {
        let paths: Vec<String> = paths.iter().map(|p| format!("{folder}/{p}")).collect();
        message = format!(
            "These status files exist already: {}. Pass --force to overwrite them; nothing was written.",
            paths.join(", ")
        );
    }
    if let ImportError::Invalid { errors } = &e {
        for error in errors.iter().take(5) {
            message.push_str(&format!("\n  {}", error.clone().in_folder(folder)));
        }
        if errors.len() > 5 {
            message.push_str(&format!("\n  … and {} more", errors.len() - 5));
        }
    }
    Problem::new(e.code(), message)
}
