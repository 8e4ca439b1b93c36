#!/usr/bin/env bash
# Status page export at scale (issue 6): building the export of a synthetic page with 100
# components and 2,000 incidents (bar: <= 1 s, cold) and with 10,000 incidents (bar: <= 5 x the
# 2,000 time: linear, not quadratic), plus the gzip size of index.html for 100 components
# (bar: <= 15 KB). Runs crates/status/benches/build.rs (criterion, optimised build) and prints a
# summary: criterion's estimate (mean over all samples) and our own median per size.
#
#   bench/status-export.sh
set -euo pipefail
cd "$(dirname "$0")/.."
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
cargo bench -p wheelhouse-status --bench build 2>&1 | tee "$log" >&2
awk '
  function to_ms(value, unit) { return unit == "s" ? value * 1000 : unit == "µs" ? value / 1000 : value }
  /^status-export\/100x[0-9]+ +time:/ {
    n = $1; sub(/.*x/, "", n)
    # time:   [low unit mid unit high unit]
    est[n] = to_ms($5, $6)
  }
  /^status-export / {
    for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    n = v["incidents"]; cold[n] = v["cold_ms"]; median[n] = v["median_ms"]
    load[n] = v["load_ms"]; gz[n] = v["index_gzip_bytes"]; files[n] = v["files"]
  }
  END {
    printf "\nstatus page export, 100 components (optimised build)\n"
    for (k = 1; k <= 2; k++) {
      n = k == 1 ? 2000 : 10000
      printf "  %6d incidents: build %7.1f ms (criterion), %7.1f ms median, %7.1f ms cold; load %.1f ms; %d files\n", n, est[n], median[n], cold[n], load[n], files[n]
    }
    printf "  ratio 10,000 / 2,000: %.2f (criterion), %.2f (median); linear is 5.0\n", est[10000] / est[2000], median[10000] / median[2000]
    printf "  index.html gzip: %d bytes with 2,000 incidents, %d with 10,000\n", gz[2000], gz[10000]
    printf "  bar 2,000 incidents <= 1000 ms cold:   %s\n", (cold[2000] <= 1000 && est[2000] <= 1000) ? "met" : "MISSED"
    printf "  bar 10,000 <= 5 x 2,000 (criterion):  %s\n", est[10000] <= 5 * est[2000] ? "met" : "MISSED"
    printf "  bar index.html <= 15 KB gzip:         %s\n", gz[2000] <= 15360 ? "met" : "MISSED"
  }' "$log"
