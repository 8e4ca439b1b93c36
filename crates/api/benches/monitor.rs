//! Monitors, measured: one run of 200 HTTP monitors against a loopback endpoint (32 checks in
//! flight) beside the baseline of the same 200 GETs from a bare loop in as many threads — the
//! network time; and the 90-day uptime bars of 50 monitors built from the history (three month
//! files parsed, every day summed). The bars: a run ≤ 1 s, the bars ≤ 100 ms.

use criterion::{criterion_group, criterion_main, Criterion};
use std::time::Duration;
use wheelhouse_api::monitor::{self, MonitorRequest};
use wheelhouse_repo::Repository;
use wheelhouse_status::monitor::history::History;
use wheelhouse_status::Timestamp;
use wheelhouse_testsupport::probe::HttpProbe;
use wheelhouse_testsupport::TempRepo;

const MONITORS: usize = 200;
const CONCURRENCY: usize = 32;

fn bench(c: &mut Criterion) {
    let probe = HttpProbe::start(200, r#"{"status":"UP","version":"2.4.1"}"#);
    let mut yaml = String::from("monitors:\n");
    for n in 0..MONITORS {
        yaml.push_str(&format!(
            "  - name: m-{n}\n    component: web\n    url: {}\n    conditions: [\"[STATUS] == 200\", \"[BODY].status == UP\", \"[RESPONSE_TIME] < 1000\"]\n",
            probe.url(&format!("/health/{n}"))
        ));
    }
    let repo_dir = TempRepo::with_files(&[
        ("status/page.yaml", "name: Acme\ntime_zone: UTC\n"),
        (
            "status/components.yaml",
            "groups:\n  - name: Shop\n    components:\n      - {id: web, name: Website}\n",
        ),
        ("status/monitors.yaml", &yaml),
    ]);
    let repo = Repository::open(repo_dir.path()).unwrap();
    let request = MonitorRequest {
        dry_run: true,
        concurrency: CONCURRENCY,
        ..MonitorRequest::default()
    };
    let now: Timestamp = "2026-12-07T13:00:00Z".parse().unwrap();

    let mut group = c.benchmark_group("monitor");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("200 http monitors, one run", |b| {
        b.iter(|| {
            let run = monitor::run(&repo, &request, None, &|_| Ok(None), now).unwrap();
            assert_eq!(run.checks.len(), MONITORS);
            assert_eq!(run.failing(), 0);
        })
    });
    let agent: ureq::Agent = ureq::Agent::config_builder().build().into();
    let urls: Vec<String> = (0..MONITORS)
        .map(|n| probe.url(&format!("/health/{n}")))
        .collect();
    group.bench_function("baseline: 200 bare GETs, 32 threads", |b| {
        b.iter(|| {
            std::thread::scope(|s| {
                for chunk in urls.chunks(MONITORS / CONCURRENCY + 1) {
                    let agent = &agent;
                    s.spawn(move || {
                        for url in chunk {
                            let mut r = agent.get(url).call().unwrap();
                            r.body_mut().read_to_string().unwrap();
                        }
                    });
                }
            })
        })
    });

    // Ninety days of one-minute checks of 50 monitors (one component each), as the month
    // files hold them; the bars: the files parsed, the measured stretches, every bar computed.
    let mut components = String::from("groups:\n  - name: Services\n    components:\n");
    let mut yaml50 = String::from("monitors:\n");
    for n in 0..50 {
        components.push_str(&format!("      - {{id: s{n}, name: Service {n}}}\n"));
        yaml50.push_str(&format!(
            "  - name: monitor-{n}\n    component: s{n}\n    url: https://s{n}.example\n    conditions: [\"[STATUS] == 200\"]\n"
        ));
    }
    let files = wheelhouse_status::fs::folder_of_files(
        &[
            (
                "status/page.yaml".to_owned(),
                b"name: Acme\ntime_zone: UTC\n".to_vec(),
            ),
            ("status/components.yaml".to_owned(), components.into_bytes()),
            ("status/monitors.yaml".to_owned(), yaml50.into_bytes()),
        ]
        .into_iter()
        .collect(),
        "status",
    )
    .unwrap();
    let page = wheelhouse_status::load(&files).unwrap();
    let mut history = History::default();
    let start: Timestamp = "2026-09-08T00:00:00Z".parse().unwrap();
    for minute in 0..90 * 24 * 60i64 {
        let at = start + jiff::SignedDuration::from_mins(minute);
        for n in 0..50i64 {
            let ok = (minute + n * 7) % 997 != 0;
            history.record(
                &format!("monitor-{n}"),
                at,
                ok,
                Some(100 + (minute % 50) as u64),
            );
        }
    }
    let months: Vec<String> = history
        .months()
        .iter()
        .map(|m| history.render_month(m))
        .collect();
    let bars_now: Timestamp = "2026-12-06T23:59:00Z".parse().unwrap();
    group.bench_function(
        "uptime bars: 50 monitors x 90 days from the month files",
        |b| {
            b.iter(|| {
                let mut h = History::default();
                for text in &months {
                    h.merge(&History::parse(text).unwrap());
                }
                let mut model = page.clone();
                wheelhouse_status::monitor::apply_from_files(&mut model, &files, &h, bars_now);
                let bars = wheelhouse_status::uptimes(&model, bars_now);
                assert_eq!(bars.len(), 50);
                assert!(bars["s0"].ratio < 1.0);
            })
        },
    );
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
