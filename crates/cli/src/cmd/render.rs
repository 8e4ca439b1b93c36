use crate::context::Context;
use serde::Serialize;
use wheelhouse_desired_state::workspace::render_environment;
use wheelhouse_diagnostics::{ErrorCode, Problem};
use wheelhouse_repo::Repository;

/// Print the manifests ENV renders to (multi-document YAML, as `kustomize build` prints
/// them), or only WORKLOAD's. With --check, run the real Kustomize (kubectl or kustomize on
/// PATH) on the same folders and list every disagreement; exits 1 on one.
#[derive(Debug, clap::Args)]
pub struct Args {
    env: String,
    workload: Option<String>,
    #[arg(long)]
    check: bool,
    /// With --check: stop a kustomize build that runs longer than SECONDS (default: the
    /// repository's check.timeout_seconds, else 30).
    #[arg(long, value_name = "SECONDS", requires = "check", value_parser = clap::value_parser!(u64).range(1..=3600))]
    timeout: Option<u64>,
}

pub fn run(args: Args, cx: &Context) -> Result<(), Problem> {
    let env = &args.env;
    // Only what `env` builds is parsed and built (the check builds through the workspace); an
    // unknown environment is refused here, for the check too.
    let root = match Repository::quick_root(&cx.repo) {
        Some(root) => root,
        None => cx.open()?.root().to_owned(),
    };
    let mut rendered = render_environment(&root, env)
        .map_err(|e| {
            Problem::new(
                ErrorCode::Io,
                format!("Could not read {}: {e}", root.display()),
            )
        })?
        .map_err(|names| {
            Problem::new(
                ErrorCode::NotFound,
                format!(
                    "There is no environment {env}; the environments are: {}.",
                    names.join(", ")
                ),
            )
        })?;
    if args.check {
        return check(&args, cx);
    }
    if let Some(w) = &args.workload {
        rendered = rendered.only(w);
        if rendered.objects.is_empty() {
            return Err(Problem::new(
                ErrorCode::NotFound,
                format!("{env} renders no object named {w}."),
            ));
        }
    }
    #[derive(Serialize)]
    struct Document<'a> {
        environment: &'a str,
        folders: &'a [String],
        /// Kustomizations an Argo CD Application's `kustomize:` edits before the build.
        edited: Vec<&'a str>,
        objects: Vec<serde_json::Value>,
        problems: &'a [wheelhouse_desired_state::Problem],
    }
    if cx.out.json() {
        crate::output::print_json(&Document {
            environment: env,
            folders: &rendered.folders,
            edited: rendered.edited.iter().map(|(p, _)| p.as_str()).collect(),
            objects: rendered.objects.iter().map(|o| o.to_json()).collect(),
            problems: &rendered.problems,
        });
    } else {
        print!("{}", rendered.to_yaml());
        for (p, _) in &rendered.edited {
            eprintln!("{p}: built as the Argo CD Application's kustomize: edits it");
        }
        for p in &rendered.problems {
            eprintln!("{p}");
        }
    }
    Ok(())
}

/// `--check`: the real Kustomize on the same folders, every disagreement listed.
fn check(args: &Args, cx: &Context) -> Result<(), Problem> {
    let env = &args.env;
    let mut ws = cx.workspace()?;
    let failed = |message| Problem::new(ErrorCode::CheckFailed, message);
    let mut prepared = ws.prepare_check(env).map_err(failed)?;
    if let Some(seconds) = args.timeout {
        prepared.limit = std::time::Duration::from_secs(seconds);
    }
    let result = prepared
        .run(&std::sync::atomic::AtomicBool::new(false))
        .map_err(failed)?;
    cx.out.show(&result, |result| {
        for d in &result.disagreements {
            println!(
                "{} {}: wheelhouse {} / {} {}",
                d.resource,
                if d.path.is_empty() {
                    "(whole object)"
                } else {
                    &d.path
                },
                d.ours.as_deref().unwrap_or("(absent)"),
                result.tool,
                d.theirs.as_deref().unwrap_or("(absent)")
            );
        }
        let edited = if result.edited.is_empty() {
            String::new()
        } else {
            format!(
                " ({} as the Argo CD Application's kustomize: edits it, in a copy)",
                result.edited.join(", ")
            )
        };
        println!(
            "{} disagreement(s) with {} on {}{edited}.",
            result.disagreements.len(),
            result.tool,
            result.folders.join(", ")
        );
    });
    if !result.disagreements.is_empty() {
        return Err(Problem::new(
            ErrorCode::Disagreement,
            format!(
                "Wheelhouse's render of {env} differs from {} in {} place(s).",
                result.tool,
                result.disagreements.len()
            ),
        ));
    }
    Ok(())
}
