//! Opening a large repository and reading status plus the first 200 history entries through the
//! core API, against `git status --porcelain` + `git log -n 200 --format=%H%s` on the same
//! repository, in the same run. The repository comes from `bench/synthetic-repo.py` (≈10,000
//! YAML files, 50,000 commits); `bench/open-large-repo.sh` makes it, runs this and prints the
//! ratio. Set WHEELHOUSE_BENCH_REPO to point at another repository.

use criterion::{criterion_group, criterion_main, Criterion};
use std::process::Command;
use wheelhouse_repo::history::HistoryFilter;
use wheelhouse_repo::Repository;

fn repo_path() -> String {
    std::env::var("WHEELHOUSE_BENCH_REPO").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/bench-large").to_owned()
    })
}

fn open_status_history(c: &mut Criterion) {
    let path = repo_path();
    assert!(
        std::path::Path::new(&path).join(".git").is_dir(),
        "{path} is missing: run bench/open-large-repo.sh (it generates the repository first)"
    );
    let mut group = c.benchmark_group("open-large");
    group.sample_size(30);
    group.bench_function("wheelhouse", |b| {
        b.iter(|| {
            let repo = Repository::open(&path).unwrap();
            let overview = repo.overview(200).unwrap();
            assert_eq!(overview.commits.len(), 200);
            let page = repo
                .history(&HistoryFilter {
                    limit: 200,
                    ..Default::default()
                })
                .unwrap();
            assert_eq!(page.commits.len(), 200);
        })
    });
    group.bench_function("git", |b| {
        b.iter(|| {
            let status = Command::new("git")
                .args(["-C", &path, "status", "--porcelain"])
                .output()
                .unwrap();
            assert!(status.status.success());
            let log = Command::new("git")
                .args(["-C", &path, "log", "-n", "200", "--format=%H%s"])
                .output()
                .unwrap();
            assert!(log.status.success());
        })
    });
    group.finish();
}

criterion_group!(benches, open_status_history);
criterion_main!(benches);
