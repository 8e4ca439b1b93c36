//! Building the status page export for 100 components with 2,000 and with 10,000 incidents
//! (a synthetic page, one incident every eight hours going back; see
//! `tests/common/synthetic.rs`). Bars: 2,000 incidents ≤ 1 s, 10,000 ≤ 5 × that (linear).
//!
//! Besides criterion's report, prints one `status-export …` line per size (cold build, median
//! build, load time, the size of index.html as served and gzipped, and how many scripts and
//! remote requests it holds) that `bench/status-export.sh` summarises.

use criterion::{criterion_group, criterion_main, Criterion};
use std::io::Write as _;
use std::time::{Duration, Instant};

#[allow(dead_code)]
#[path = "../tests/common/synthetic.rs"]
mod synthetic;

const COMPONENTS: usize = 100;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn gzip_len(bytes: &[u8]) -> usize {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap().len()
}

/// What in `html` would run a script or make the browser fetch from another host: script
/// elements, event-handler attributes, and `src`, stylesheet or `url()` references to http(s).
fn scripts_and_remote(html: &str) -> (usize, usize) {
    let lower = html.to_ascii_lowercase();
    let scripts = lower.matches("<script").count() + lower.matches(" onload=").count();
    let remote = [
        "src=\"http",
        "src='http",
        "url(http",
        "url(\"http",
        "@import",
    ]
    .iter()
    .map(|p| lower.matches(p).count())
    .sum::<usize>()
        + lower
            .split("<link")
            .skip(1)
            .filter(|tag| {
                let tag = tag.split('>').next().unwrap_or_default();
                tag.contains("href=\"http") && !tag.contains("rel=\"alternate\"")
            })
            .count();
    (scripts, remote)
}

fn export(c: &mut Criterion) {
    let now: jiff::Timestamp = "2026-11-06T12:00:00Z".parse().unwrap();
    let mut group = c.benchmark_group("status-export");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    for incidents in [2_000, 10_000] {
        let files = synthetic::synthetic_files(COMPONENTS, incidents, now);
        let started = Instant::now();
        let model = wheelhouse_status::load(&files).expect("the synthetic page loads");
        let load = started.elapsed();
        // The first build of the size: for 2,000 it is the first of the process (cold).
        let started = Instant::now();
        let out = wheelhouse_status::build(&model, now);
        let cold = started.elapsed();
        let bytes: usize = out.values().map(Vec::len).sum();

        let mut times: Vec<Duration> = Vec::new();
        group.bench_function(format!("{COMPONENTS}x{incidents}"), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let started = Instant::now();
                    let out = wheelhouse_status::build(&model, now);
                    let took = started.elapsed();
                    std::hint::black_box(out);
                    times.push(took);
                    total += took;
                }
                total
            })
        });
        times.sort();
        let median = times[times.len() / 2];
        let index = &out["index.html"];
        let (scripts, remote) = scripts_and_remote(&String::from_utf8_lossy(index));
        println!(
            "status-export components={COMPONENTS} incidents={incidents} files={} bytes={bytes} \
             load_ms={:.1} cold_ms={:.1} median_ms={:.1} index_bytes={} index_gzip_bytes={} \
             index_scripts={scripts} index_remote_requests={remote}",
            out.len(),
            ms(load),
            ms(cold),
            ms(median),
            index.len(),
            gzip_len(index)
        );
    }
    group.finish();
}

criterion_group!(benches, export);
criterion_main!(benches);
