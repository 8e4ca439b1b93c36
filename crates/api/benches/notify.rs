//! `wheelhouse status notify` for 100 channels × 10 updates against a loopback endpoint: the
//! whole run (page at both commits, events, payloads, HMAC, 1,000 POSTs, the record in git notes)
//! beside the baseline of the same 1,000 POSTs sent by a bare loop — the network time. The bar:
//! under 2 s plus that.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use std::time::Duration;
use wheelhouse_api::notify::{self, NotifyRequest, Retry};
use wheelhouse_repo::Repository;
use wheelhouse_testsupport::webhook::WebhookReceiver;
use wheelhouse_testsupport::{git_cli, TempRepo};

const CHANNELS: usize = 100;
const UPDATES: usize = 10;

fn incident() -> String {
    let mut text = String::from("---\ntitle: Checkout is slow\nstatus: monitoring\nimpact: major\nstarted_at: 2026-11-20T09:00:00Z\ncomponents:\n  web: partial_outage\nupdates:\n");
    for n in 0..UPDATES {
        let status = if n == 0 {
            "investigating"
        } else {
            "monitoring"
        };
        text.push_str(&format!(
            "  - at: 2026-11-20T{:02}:{:02}:00Z\n    status: {status}\n    body: Update {n}, we are **still** on it.\n",
            9 + n / 60,
            1 + n % 60
        ));
    }
    text + "---\n"
}

fn bench(c: &mut Criterion) {
    let hook = WebhookReceiver::start(&[]);
    let mut subscribers = String::from("channels:\n");
    for n in 0..CHANNELS {
        subscribers.push_str(&format!(
            "  - name: partner-{n}\n    kind: webhook\n    url: {}\n    signing_secret: key\n",
            hook.url(&format!("/p/{n}"))
        ));
    }
    let repo_dir = TempRepo::with_files(&[
        (
            "status/page.yaml",
            "name: Acme\ntime_zone: UTC\nurl: https://status.acme.example\n",
        ),
        (
            "status/components.yaml",
            "groups:\n  - name: Shop\n    components:\n      - {id: web, name: Website}\n",
        ),
        ("status/subscribers.yaml", &subscribers),
    ]);
    let since = repo_dir.git().head().unwrap().target().unwrap().to_string();
    repo_dir.commit(
        &[("status/incidents/2026-11-20-checkout.md", &incident())],
        "Incident",
    );
    let repo = Repository::open(repo_dir.path()).unwrap();
    let secret = |_: &str| Ok(Some("the shared key".to_owned()));
    let request = NotifyRequest {
        since: Some(since),
        head: "HEAD".into(),
        dry_run: false,
        channel: None,
        retry: Retry {
            attempts: 1,
            first_delay: Duration::ZERO,
        },
        timeout: Duration::from_secs(10),
        smtp_ca: None,
    };
    let forget_record = || {
        let _ = git_cli(repo_dir.path(), &["update-ref", "-d", notify::NOTES_REF]);
    };

    let mut group = c.benchmark_group("notify");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("100 channels x 10 updates", |b| {
        b.iter_batched(
            forget_record,
            |()| {
                let n = notify::notify(&repo, &request, &secret, None, 1_795_200_000).unwrap();
                assert_eq!(n.deliveries.len(), CHANNELS * UPDATES);
                assert_eq!(n.failed(), 0);
            },
            BatchSize::PerIteration,
        )
    });
    // Baseline: the same number of POSTs of a body of the same size, in the same 8 threads.
    let body = vec![b'x'; 1500];
    let url = hook.url("/baseline");
    let agent: ureq::Agent = ureq::Agent::config_builder().build().into();
    group.bench_function("baseline: 1,000 bare POSTs", |b| {
        b.iter(|| {
            std::thread::scope(|s| {
                for _ in 0..8 {
                    s.spawn(|| {
                        for _ in 0..(CHANNELS * UPDATES) / 8 {
                            agent.post(&url).send(&body[..]).unwrap();
                        }
                    });
                }
            })
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
