//! Status from monitors: what is checked and what counts as up (`monitors.yaml`), the
//! conditions, and the compact history the uptime bars and response-time charts are drawn
//! from. Pure; the checks themselves (HTTP, TCP, TLS, DNS) run in `wheelhouse_api::monitor`.

pub mod condition;
mod config;
pub mod history;

pub use condition::{Condition, Observation, Verdict};
pub use config::{parse_monitors, DnsQuery, Monitor, MonitorKind, MONITORS_FILE};
pub use history::{History, MonitorState, Transition};

/// Whether every condition of `monitor` holds for `seen`, and what each saw.
pub fn judge(monitor: &Monitor, seen: &Observation) -> (bool, Vec<Verdict>) {
    let verdicts: Vec<Verdict> = monitor.conditions.iter().map(|c| c.judge(seen)).collect();
    (verdicts.iter().all(|v| v.ok), verdicts)
}
