// Hide the console window of release builds on Windows.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// The allocator: resolving a repository builds and drops millions of small values on every
/// core, where glibc's per-thread arenas cost more than the work (bench/approvals-effect.sh).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // Verdicts depend on the date: a pinned time that is not one is refused, never ignored.
    if let Err(e) = wheelhouse_repo::clock::check() {
        eprintln!("wheelhouse-app: {e}");
        std::process::exit(2);
    }
    // First, while this is the only thread: how WebKit composites, and huge pages off.
    let prepared = wheelhouse_app::platform::prepare();
    wheelhouse_app::run(prepared);
}
