//! How much room a year of monitor history takes in the repository: one-minute checks of 50
//! monitors for all of 2026, committed to a branch the way `status monitor` leaves it — one
//! commit a day, since each run replaces the day's commit with one holding everything it held
//! and its results; this bench commits each day's last state once, which is what the branch
//! keeps — then packed by `git gc`. Prints the text size, the packed size and the bar (< 5 MB).
//! Run: `cargo bench -p wheelhouse-api --bench history_size`.

use std::time::Instant;
use wheelhouse_status::monitor::history::{self, History};
use wheelhouse_status::Timestamp;
use wheelhouse_testsupport::{git_cli, TempRepo};

const MONITORS: usize = 50;

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let started = Instant::now();
    let names: Vec<String> = (0..MONITORS)
        .map(|n| format!("service-{n:02}-health"))
        .collect();
    let repo = TempRepo::init();
    let mut history = History::default();
    let year: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
    let mut text_bytes = 0;
    // Response times and failures from a fixed pseudo-random sequence (the same every run):
    // real ones wander, and wandering digits compress worse than a pattern.
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        seed >> 33
    };
    for day in 0..365i64 {
        for minute in 0..1440i64 {
            let at = year + jiff::SignedDuration::from_mins(day * 1440 + minute);
            for (i, name) in names.iter().enumerate() {
                // A failure now and then; response times around each service's own level.
                let ok = next() % 2000 != 0;
                let ms = 40 + i as u64 * 9 + next() % 400;
                history.record(name, at, ok, Some(ms));
            }
        }
        let today = year + jiff::SignedDuration::from_hours(day * 24);
        let month = history::month_at(today);
        let file = format!("{month}.tsv");
        repo.commit(
            &[(file.as_str(), &history.render_month(&month))],
            &format!("Monitors: day {day}"),
        );
        if day % 30 == 0 {
            eprintln!("day {day}: {:.0?}", started.elapsed());
        }
    }
    for month in history.months() {
        text_bytes += history.render_month(&month).len();
    }
    git_cli(repo.path(), &["gc", "-q", "--prune=now"]);
    let counts = git_cli(repo.path(), &["count-objects", "-v"]);
    let packed_kib: u64 = counts
        .lines()
        .find_map(|l| l.strip_prefix("size-pack: "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    println!(
        "history of a year: {MONITORS} monitors x 525,600 one-minute checks = {} lines, {:.2} MB of text; {:.2} MB packed in the repository (365 commits); bar < 5 MB; {:.0?}",
        history.days.len(),
        text_bytes as f64 / 1e6,
        packed_kib as f64 * 1024.0 / 1e6,
        started.elapsed()
    );
    assert!(packed_kib * 1024 < 5_000_000, "over the 5 MB bar");
}
