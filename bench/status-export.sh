#!/usr/bin/env bash
# Status page export at scale (issue 6): building the export of a synthetic page with 100
# components and 2,000 incidents (bar: <= 1 s, cold) and with 10,000 incidents (bar: <= 5 x the
# 2,000 time: linear, not quadratic), plus the size of index.html for 100 components as served
# and gzipped (bar: <= 15 KB gzip, no script, no remote request), printed beside cState's as
# issue 14 gives it (103 KB, 10.3 KB gzip: cState is a Hugo theme no registry here serves, so it
# is not built here; set CSTATE_INDEX to the index.html of a cState site built with the same
# 100 components and 2,000 incidents to measure it in the same run). Runs
# crates/status/benches/build.rs (criterion, optimised build) and prints a summary: criterion's
# estimate (mean over all samples) and our own median per size.
#
#   bench/status-export.sh
set -euo pipefail
cd "$(dirname "$0")/.."
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
cstate_raw=0 cstate_gz=0
if [ -n "${CSTATE_INDEX:-}" ]; then
  cstate_raw=$(wc -c < "$CSTATE_INDEX")
  cstate_gz=$(gzip -c -6 < "$CSTATE_INDEX" | wc -c)
fi
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
    raw[n] = v["index_bytes"]; scripts[n] = v["index_scripts"]; remote[n] = v["index_remote_requests"]
  }
  END {
    printf "\nstatus page export, 100 components (optimised build)\n"
    for (k = 1; k <= 2; k++) {
      n = k == 1 ? 2000 : 10000
      printf "  %6d incidents: build %7.1f ms (criterion), %7.1f ms median, %7.1f ms cold; load %.1f ms; %d files\n", n, est[n], median[n], cold[n], load[n], files[n]
    }
    printf "  ratio 10,000 / 2,000: %.2f (criterion), %.2f (median); linear is 5.0\n", est[10000] / est[2000], median[10000] / median[2000]
    printf "  index.html, 100 components, 2,000 incidents: %.1f KB, %.1f KB gzip; %d scripts, %d remote requests\n", raw[2000] / 1024, gz[2000] / 1024, scripts[2000], remote[2000]
    printf "  index.html, 100 components, 10,000 incidents: %.1f KB, %.1f KB gzip\n", raw[10000] / 1024, gz[10000] / 1024
    if (cstate_raw > 0) {
      printf "  cState index.html (%s, measured now): %.1f KB, %.1f KB gzip; ours / cState gzip: %.2f\n", cstate_path, cstate_raw / 1024, cstate_gz / 1024, gz[2000] / cstate_gz
    } else {
      printf "  cState index.html, as issue 14 gives it (not built here): 103 KB, 10.3 KB gzip; ours / that gzip: %.2f\n", gz[2000] / (10.3 * 1024)
    }
    printf "  bar 2,000 incidents <= 1000 ms cold:   %s\n", (cold[2000] <= 1000 && est[2000] <= 1000) ? "met" : "MISSED"
    printf "  bar 10,000 <= 5 x 2,000 (criterion):  %s\n", est[10000] <= 5 * est[2000] ? "met" : "MISSED"
    printf "  bar index.html <= 15 KB gzip:         %s\n", gz[2000] <= 15360 ? "met" : "MISSED"
    printf "  bar no script, no remote request:     %s\n", (scripts[2000] + remote[2000] == 0) ? "met" : "MISSED"
  }' cstate_path="${CSTATE_INDEX:-}" cstate_raw="$cstate_raw" cstate_gz="$cstate_gz" "$log"
