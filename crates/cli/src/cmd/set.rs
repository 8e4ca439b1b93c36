use crate::context::Context;
use wheelhouse_api::edits::{self, EditHistory};
use wheelhouse_desired_state::edit::Field;
use wheelhouse_diagnostics::{ErrorCode, Problem};

/// Change one value in one environment's own layer: FIELD=VALUE with FIELD one of
/// image (first container), image.<container>, replicas, env.<NAME>,
/// resources.<requests|limits>.<cpu|memory>, values.<key> (Helm), chart (the chart
/// version of an Argo CD Application or Flux HelmRelease the environment owns).
#[derive(Debug, clap::Args)]
pub struct Args {
    env: String,
    workload: String,
    assignment: String,
    /// Show the diff without writing.
    #[arg(long)]
    dry_run: bool,
}

pub fn run(args: Args, cx: &Context) -> Result<(), Problem> {
    let Args {
        env,
        workload,
        assignment,
        dry_run,
    } = &args;
    let (name, value) = assignment.split_once('=').ok_or_else(|| {
        Problem::new(
            ErrorCode::InvalidInput,
            format!("\"{assignment}\" is not FIELD=VALUE."),
        )
    })?;
    let field = parse_field(name)?;
    let mut ws = cx.workspace()?;
    let edits = if *dry_run {
        edits::plan(&ws, env, workload, &field, value)?
    } else {
        edits::set(
            &mut ws,
            &mut EditHistory::default(),
            env,
            workload,
            &field,
            value,
        )?
    };
    cx.out.show(&edits, |edits| {
        if edits.is_empty() {
            println!("Nothing to change: {workload} in {env} already has {name}={value}.");
        }
        for e in edits {
            print!("{}", e.diff);
        }
    });
    Ok(())
}

/// `image`, `image.api`, `replicas`, `values.image.tag`, `chart` → a field.
fn parse_field(name: &str) -> Result<Field, Problem> {
    let field = match name {
        "image" | "tag" => Field::ImageTag { container: None },
        "replicas" => Field::Replicas,
        "chart" => Field::ChartVersion,
        _ => {
            if let Some(c) = name.strip_prefix("image.") {
                Field::ImageTag {
                    container: Some(c.to_owned()),
                }
            } else if let Some(k) = name.strip_prefix("values.") {
                Field::HelmValue { key: k.to_owned() }
            } else if let Some(var) = name.strip_prefix("env.") {
                Field::EnvVar {
                    container: None,
                    name: var.to_owned(),
                }
            } else if let Some(r) = name.strip_prefix("resources.") {
                Field::Resource {
                    container: None,
                    name: r.to_owned(),
                }
            } else {
                return Err(Problem::new(
                    ErrorCode::InvalidInput,
                    format!("\"{name}\" is not a field: use image, image.<container>, replicas, env.<NAME>, resources.<requests|limits>.<cpu|memory>, values.<key> or chart."),
                ));
            }
        }
    };
    Ok(field)
}
