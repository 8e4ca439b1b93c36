//! A synthetic status page of any size, written as files (so loading is exercised too):
//! `components` components in groups of ten, and `incidents` incidents, one every eight hours
//! back from `now`, each with three or four updates, some with a postmortem; plus a
//! maintenance every two weeks. Deterministic: the same sizes give the same files.

use std::collections::BTreeMap;
use std::fmt::Write as _;

const STATUSES: [&str; 3] = ["degraded_performance", "partial_outage", "major_outage"];
const IMPACTS: [&str; 3] = ["minor", "major", "critical"];

/// A tiny linear congruential generator: reproducible without a dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

fn time(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds).unwrap().to_string()
}

pub fn synthetic_files(
    components: usize,
    incidents: usize,
    now: jiff::Timestamp,
) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    files.insert(
        "page.yaml".to_string(),
        "name: Synthetic Cloud\nurl: https://status.synthetic.example\ntime_zone: America/New_York\n\
         description: Every service of a large synthetic cloud.\ntheme: {brand: \"#5b21b6\"}\n"
            .to_string(),
    );
    let mut yaml = String::from("groups:\n");
    for c in 0..components {
        if c % 10 == 0 {
            let _ = write!(yaml, "  - name: Region {}\n    components:\n", c / 10 + 1);
        }
        let _ = writeln!(
            yaml,
            "      - {{id: svc-{c:03}, name: Service {c:03}, description: Handles part {c} of the traffic}}"
        );
    }
    files.insert("components.yaml".to_string(), yaml);

    let mut rng = Lcg(42);
    let now = now.as_second();
    for n in 0..incidents {
        let start = now - (n as i64 + 1) * 8 * 3600 + rng.next(3600) as i64;
        let component = rng.next(components as u64);
        let status = STATUSES[rng.next(3) as usize];
        let length = 600 + rng.next(6 * 3600) as i64;
        let open = n < 2;
        let mut text = format!(
            "---\ntitle: \"Service {component:03}: elevated errors ({n})\"\nstatus: {}\nimpact: {}\nstarted_at: {}\n",
            if open { "identified" } else { "resolved" },
            IMPACTS[rng.next(3) as usize],
            time(start)
        );
        if !open {
            let _ = writeln!(text, "resolved_at: {}", time(start + length));
        }
        let _ = write!(
            text,
            "components: {{svc-{component:03}: {status}}}\nupdates:\n"
        );
        let _ = write!(
            text,
            "  - at: {}\n    status: investigating\n    body: We see **elevated errors** on service {component:03} and are investigating.\n",
            time(start)
        );
        let _ = write!(
            text,
            "  - at: {}\n    status: identified\n    body: \"The cause is a bad `config` push; see [the runbook](https://runbooks.synthetic.example/{n}). Rolling back.\"\n",
            time(start + length / 3)
        );
        if !open {
            let _ = write!(
                text,
                "  - at: {}\n    status: monitoring\n    body: The rollback is done. We keep watching error rates.\n    components: {{svc-{component:03}: degraded_performance}}\n",
                time(start + length * 2 / 3)
            );
            let _ = write!(
                text,
                "  - at: {}\n    status: resolved\n    body: Error rates are back to normal.\n    components: {{svc-{component:03}: operational}}\n",
                time(start + length)
            );
        }
        text.push_str("---\n");
        if n % 10 == 0 {
            text.push_str("## What happened\n\nA configuration change was rolled out to every node at once.\n\n## What we changed\n\n- staged rollouts\n- an alert on error budgets\n");
        }
        let day = jiff::Timestamp::from_second(start)
            .unwrap()
            .strftime("%Y-%m-%d");
        files.insert(format!("incidents/{day}-incident-{n:05}.md"), text);
    }
    // A maintenance every two weeks, half of them in the future.
    for k in 0..(incidents / 42).max(2) as i64 {
        let from = now + (4 - k) * 14 * 86_400 + 2 * 3600;
        let component = k as usize % components;
        let text = format!(
            "---\ntitle: Planned upgrade of service {component:03}\nstatus: scheduled\nimpact: minor\n\
             scheduled_for: {}\nscheduled_until: {}\ncomponents: {{svc-{component:03}: under_maintenance}}\n\
             updates:\n  - at: {}\n    status: scheduled\n    body: We will upgrade service {component:03}.\n---\n\
             Short interruptions are possible.\n",
            time(from),
            time(from + 2 * 3600),
            time(from - 7 * 86_400),
        );
        files.insert(format!("maintenances/m-{k:04}.md"), text);
    }
    files
}
