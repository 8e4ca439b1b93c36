use crate::context::Context;
use wheelhouse_desired_state::matrix::{self, Matrix};
use wheelhouse_diagnostics::Problem;

/// Show the environment matrix: image tags, replicas and chart versions per environment.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_: Args, cx: &Context) -> Result<(), Problem> {
    let ws = cx.workspace()?;
    cx.out.show(&matrix::matrix(ws.state()), print);
    // The process ends after printing: freeing the parsed repository would only delay it.
    std::mem::forget(ws);
    Ok(())
}

fn print(m: &Matrix) {
    print!("{:<28}", "workload");
    for e in &m.environments {
        print!("{:<22}", e.name);
    }
    println!();
    for row in &m.rows {
        print!("{:<28}", row.id);
        for cell in &row.cells {
            let text = match cell {
                None => "—".to_owned(),
                Some(c) => {
                    let mut parts = c.tags.clone();
                    if let Some(v) = &c.chart_version {
                        parts.push(format!("chart {v}"));
                    }
                    if let Some(r) = &c.replicas {
                        parts.push(format!("×{r}"));
                    }
                    let mark = if c.differs_from_previous { "*" } else { "" };
                    format!("{mark}{}", parts.join(" "))
                }
            };
            print!("{text:<22}");
        }
        println!();
    }
    for p in &m.problems {
        eprintln!("{p}");
    }
}
