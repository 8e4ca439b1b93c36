#!/usr/bin/env bash
# Processor time of the app and its WebKit processes in the first seconds after a launch on the
# 30 x 300 repository (no WebDriver): per process (user and system) and per thread over 50 ms.
# It shows who the two cores are shared with while the window is made.
#
#   bench/launch-cpu.sh [SECONDS] [APP]      # 3 s, target/release/wheelhouse-app
#   WEBKIT_DISABLE_COMPOSITING_MODE=0 bench/launch-cpu.sh   # WebKit's GPU compositor, even without a GPU
set -euo pipefail
seconds="${1:-3}"
app="$(realpath "${2:-target/release/wheelhouse-app}")"
cd "$(dirname "$0")/.."
repo="$PWD/target/bench-matrix-view/repo"
source bench/common.sh
envs_repo "$repo"

own_display 150
trap 'kill $xvfb 2>/dev/null; [ -n "${pid:-}" ] && kill -- -$pid 2>/dev/null; rm -rf "$scratch"' EXIT

setsid dbus-run-session -- "$app" --repo "$repo" >"$scratch/app.log" 2>&1 &
pid=$!
sleep "$seconds"
tick=$(getconf CLK_TCK)
descendants() { local p; for p in $(pgrep -P "$1"); do echo "$p"; descendants "$p"; done; }
for p in $pid $(descendants "$pid"); do
  [ -r "/proc/$p/stat" ] || continue
  awk -v t="$tick" '{ if ($14 + $15 > 0) printf "%-18s user %5d ms  system %5d ms\n", $2, $14 * 1000 / t, $15 * 1000 / t }' "/proc/$p/stat"
  for task in /proc/"$p"/task/*; do
    awk -v t="$tick" '{ ms = ($14 + $15) * 1000 / t; if (ms >= 50) printf "    thread %-18s %5d ms\n", $2, ms }' "$task/stat" 2>/dev/null || true
  done
done
