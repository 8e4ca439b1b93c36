//! Turns a stream of observations into one [`RepoChange`] per burst of activity.
//!
//! A burst ends when nothing relevant has happened for the debounce interval (a quiet period),
//! so a checkout that rewrites 3,000 files over half a second is one change, not one per file or
//! per clock tick. A burst that never goes quiet is cut at [`Timing::max_delay`].

use crate::change::{Observation, PendingChange};
use crate::RepoChange;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Even a burst that never ends must refresh views eventually (a tool rewriting a file in the
/// tree in a loop). The cut is late on purpose: a refresh halfway through a checkout shows a
/// half-written tree and costs a second refresh, and writing 3,000 files took up to six seconds
/// in this crate's tests on a busy two-core machine.
const MAX_DELAY_FLOOR: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, Copy)]
pub(crate) struct Timing {
    /// How long the repository must be quiet before a burst is delivered.
    pub(crate) debounce: Duration,
    /// How long after its first event a burst is delivered at the latest.
    pub(crate) max_delay: Duration,
}

impl Timing {
    pub(crate) fn for_debounce(debounce: Duration) -> Self {
        Timing {
            debounce,
            max_delay: MAX_DELAY_FLOOR.max(debounce.saturating_mul(4)),
        }
    }
}

/// Runs until the sending side hangs up, calling `on_change` once per burst. A burst still
/// pending when the sender hangs up is dropped: the watcher is gone, nobody wants it.
/// `stopped` is checked before every call, so a dropped watcher starts no new callback.
pub(crate) fn deliver(
    observations: Receiver<Observation>,
    timing: Timing,
    stopped: &AtomicBool,
    mut on_change: impl FnMut(RepoChange),
) {
    while let Ok(first) = observations.recv() {
        let started = Instant::now();
        let mut last = started;
        let mut pending = PendingChange::default();
        pending.add(first);
        loop {
            let deadline = (last + timing.debounce).min(started + timing.max_delay);
            let Some(wait) = deadline.checked_duration_since(Instant::now()) else {
                break;
            };
            match observations.recv_timeout(wait) {
                Ok(observation) => {
                    pending.add(observation);
                    last = Instant::now();
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        if let Some(change) = pending.finish() {
            if stopped.load(Ordering::Acquire) {
                return;
            }
            tracing::debug!(
                worktree = change.worktree,
                head = change.head,
                git_index = change.git_index,
                git_refs = change.git_refs,
                rescan = change.rescan,
                paths_total = change.paths_total,
                "repository changed"
            );
            on_change(change);
        }
    }
}

/// Spawns [`deliver`] on its own thread, which is the thread `on_change` runs on.
pub(crate) fn spawn(
    observations: Receiver<Observation>,
    timing: Timing,
    stopped: Arc<AtomicBool>,
    on_change: impl FnMut(RepoChange) + Send + 'static,
) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("wheelhouse-watch".to_string())
        .spawn(move || deliver(observations, timing, &stopped, on_change))
        .map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::change::PathClass;
    use std::sync::mpsc::{self, Sender};
    use std::thread;

    fn edit(path: &str) -> Observation {
        Observation::Path(PathClass::Worktree, path.to_string())
    }

    /// Starts a delivery loop; returns where to send observations and where changes come out.
    fn start(timing: Timing) -> (Sender<Observation>, Receiver<RepoChange>, Arc<AtomicBool>) {
        let (observe, observations) = mpsc::channel();
        let (report, changes) = mpsc::channel();
        let stopped = Arc::new(AtomicBool::new(false));
        spawn(observations, timing, stopped.clone(), move |change| {
            // The test may have stopped listening; that is its business.
            let _ = report.send(change);
        })
        .unwrap();
        (observe, changes, stopped)
    }

    // Generous margins: these run beside other builds on two cores.
    const LONG: Timing = Timing {
        debounce: Duration::from_millis(400),
        max_delay: Duration::from_secs(30),
    };

    #[test]
    fn observations_closer_than_the_debounce_arrive_as_one_change() {
        let (observe, changes, _stopped) = start(LONG);
        for i in 0..10 {
            observe.send(edit(&format!("f{i}.yaml"))).unwrap();
            thread::sleep(Duration::from_millis(10));
        }
        let change = changes.recv_timeout(Duration::from_secs(5)).unwrap();
        assert_eq!(change.paths_total, 10);
        assert_eq!(
            changes.recv_timeout(Duration::from_secs(1)),
            Err(RecvTimeoutError::Timeout)
        );
    }

    #[test]
    fn a_quiet_period_ends_a_burst() {
        let (observe, changes, _stopped) = start(Timing {
            debounce: Duration::from_millis(50),
            max_delay: Duration::from_secs(30),
        });
        observe.send(edit("first.yaml")).unwrap();
        let first = changes.recv_timeout(Duration::from_secs(5)).unwrap();
        observe.send(edit("second.yaml")).unwrap();
        let second = changes.recv_timeout(Duration::from_secs(5)).unwrap();
        assert_eq!(first.paths, vec!["first.yaml"]);
        assert_eq!(second.paths, vec!["second.yaml"]);
    }

    #[test]
    fn a_burst_that_never_goes_quiet_is_delivered_at_the_max_delay() {
        let (observe, changes, _stopped) = start(Timing {
            debounce: Duration::from_millis(400),
            max_delay: Duration::from_millis(200),
        });
        let done = Arc::new(AtomicBool::new(false));
        let feeding = done.clone();
        let feeder = thread::spawn(move || {
            let until = Instant::now() + Duration::from_secs(3);
            let mut i = 0;
            while Instant::now() < until && !feeding.load(Ordering::Acquire) {
                observe.send(edit(&format!("f{i}.yaml"))).unwrap();
                i += 1;
                thread::sleep(Duration::from_millis(20));
            }
        });
        // Observations never pause for the debounce, and keep coming for longer than this wait,
        // so only the max delay can deliver a change in time.
        let first = changes.recv_timeout(Duration::from_millis(2500));
        done.store(true, Ordering::Release);
        feeder.join().unwrap();
        assert!(first.is_ok(), "nothing delivered while activity continued");
    }

    #[test]
    fn nothing_is_delivered_once_stopped() {
        let (observe, changes, stopped) = start(Timing {
            debounce: Duration::from_millis(50),
            max_delay: Duration::from_secs(30),
        });
        stopped.store(true, Ordering::Release);
        observe.send(edit("late.yaml")).unwrap();
        assert_eq!(
            changes.recv_timeout(Duration::from_secs(1)),
            Err(RecvTimeoutError::Disconnected),
            "the loop must end without calling back"
        );
    }

    #[test]
    fn the_max_delay_is_never_shorter_than_the_debounce() {
        let slow = Timing::for_debounce(Duration::from_secs(5));
        assert!(slow.max_delay >= slow.debounce);
        assert_eq!(
            Timing::for_debounce(Duration::from_millis(100)).max_delay,
            MAX_DELAY_FLOOR
        );
    }
}
