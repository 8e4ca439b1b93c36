#!/usr/bin/env bash
# Two builds of the CLI run in turn on the plain 30 x 300 repository, N pairs (24 unless given),
# for `--json matrix` (every environment resolved) and `render env-07` (one environment): the
# median and the fastest of each build and their ratio. Alternating (and swapping which goes
# first) keeps a busier minute of a shared machine from favouring one build, which hyperfine's
# one-after-the-other runs do not.
#
#   cp target/release/wheelhouse /tmp/before   # then change and: cargo build --release -p wheelhouse-cli
#   bench/cli-compare.sh /tmp/before target/release/wheelhouse [N]
set -euo pipefail
a="$(realpath "$1")" b="$(realpath "$2")" n="${3:-24}"
cd "$(dirname "$0")/.."
repo="$PWD/target/bench-envs-plain"
source bench/common.sh
envs_repo "$repo"
python3 - "$a" "$b" "$n" "$repo" <<'PY'
import statistics, subprocess, sys, time
a, b, n, repo = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
cases = {"matrix": ["--json", "--repo", repo, "matrix"], "render env-07": ["--repo", repo, "render", "env-07"]}
for name, args in cases.items():
    times = {a: [], b: []}
    for build in (a, b):  # warm the page cache for both
        subprocess.run([build, *args], stdout=subprocess.DEVNULL, check=True)
    for i in range(n):
        for build in ((a, b) if i % 2 == 0 else (b, a)):
            start = time.perf_counter()
            subprocess.run([build, *args], stdout=subprocess.DEVNULL, check=True)
            times[build].append((time.perf_counter() - start) * 1000)
    med = {k: statistics.median(v) for k, v in times.items()}
    low = {k: min(v) for k, v in times.items()}
    print(f"{name}: before {med[a]:.1f} ms median ({low[a]:.1f} fastest), "
          f"after {med[b]:.1f} ms ({low[b]:.1f}); after/before {med[b] / med[a]:.2f} x median, "
          f"{low[b] / low[a]:.2f} x fastest ({n} pairs)")
PY
