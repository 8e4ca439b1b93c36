//! The environment matrix on a synthetic repository of 30 environments x 300 workloads (9,331
//! files, `bench/synthetic-environments.py`): from cold, against `cat` of every YAML file in the
//! same run; the incremental refresh after one file changes; one field edit written and
//! re-resolved; one environment rendered against `kubectl kustomize` of the same folder.
//! `bench/desired-state.sh` generates the repository (every overlay with a Kustomize component
//! and a label-selector patch), runs this and prints ratios.

use criterion::{criterion_group, criterion_main, Criterion};
use std::process::Command;
use wheelhouse_desired_state::edit::{self, Field, Planner};
use wheelhouse_desired_state::{matrix, Workspace};

fn repo() -> std::path::PathBuf {
    let path = std::env::var("WHEELHOUSE_BENCH_ENVS")
        .map(Into::into)
        .unwrap_or_else(|_| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-envs")
        });
    assert!(
        path.join("base").is_dir(),
        "{} is missing: run bench/desired-state.sh",
        path.display()
    );
    path
}

fn benches(c: &mut Criterion) {
    let root = repo();
    let mut group = c.benchmark_group("desired-state");
    group.sample_size(10);
    let find_cat = format!(
        "find '{}' -name '*.yaml' -print0 | xargs -0 cat > /dev/null",
        root.display()
    );
    group.bench_function("cat-all-yaml", |b| {
        b.iter(|| {
            assert!(Command::new("sh")
                .args(["-c", &find_cat])
                .status()
                .unwrap()
                .success())
        })
    });
    group.bench_function("matrix-from-cold", |b| {
        b.iter(|| {
            let ws = Workspace::open(&root).unwrap();
            let m = matrix::matrix(ws.state());
            assert_eq!(m.rows.len(), 300);
            assert_eq!(m.environments.len(), 30);
        })
    });

    let mut ws = Workspace::open(&root).unwrap();
    let patch = "overlays/env-07/svc-042-patch.yaml";
    let original = std::fs::read_to_string(root.join(patch)).unwrap();
    let mut flip = false;
    group.bench_function("refresh-after-one-file-changed", |b| {
        b.iter(|| {
            flip = !flip;
            let text = if flip {
                original.replace("value: ", "value: x")
            } else {
                original.clone()
            };
            std::fs::write(root.join(patch), text).unwrap();
            ws.refresh(&[patch.to_owned()]);
            let _ = matrix::matrix(ws.state());
        })
    });
    std::fs::write(root.join(patch), &original).unwrap();
    ws.refresh(&[patch.to_owned()]);

    let mut n = 0u32;
    group.bench_function("edit-one-field-and-re-resolve", |b| {
        b.iter(|| {
            n += 1;
            let mut planner = Planner::new(ws.state(), ws.snapshot());
            planner
                .set(
                    "env-03",
                    "svc-100",
                    &Field::ImageTag { container: None },
                    &format!("9.9.{n}"),
                )
                .unwrap();
            let edits = planner.finish();
            edit::apply(&root, &edits).unwrap();
            let paths: Vec<String> = edits.iter().map(|e| e.path.clone()).collect();
            ws.refresh(&paths);
        })
    });

    // One environment rendered (every object, as `kustomize build` prints it) against the real
    // Kustomize on the same folder, side by side.
    group.bench_function("render-one-environment", |b| {
        b.iter(|| {
            let r = ws.render("env-07").unwrap();
            assert!(r.to_yaml().len() > 1000);
        })
    });
    let kubectl = format!(
        "kubectl kustomize '{}' > /dev/null",
        root.join("overlays/env-07").display()
    );
    group.bench_function("kubectl-kustomize-one-environment", |b| {
        b.iter(|| {
            assert!(Command::new("sh")
                .args(["-c", &kubectl])
                .status()
                .unwrap()
                .success())
        })
    });
    group.finish();
}

criterion_group!(matrix_benches, benches);
criterion_main!(matrix_benches);
