#!/usr/bin/env bash
# Two builds of the app launched in turn on the 30 x 300 repository, N times each (8 unless
# given): the launch → matrix painted figure of bench/matrix-view.mjs for each launch and the
# median of each build. Alternating keeps a busier minute of the machine from favouring one.
#
#   cp target/release/wheelhouse-app /tmp/before   # then change and rebuild
#   bench/launch-compare.sh /tmp/before target/release/wheelhouse-app [N]
set -euo pipefail
a="$(realpath "$1")" b="$(realpath "$2")" n="${3:-8}"
cd "$(dirname "$0")/.."
repo="$PWD/target/bench-matrix-view/repo"
source bench/common.sh
envs_repo "$repo"
declare -A times
for _ in $(seq "$n"); do
  for app in "$a" "$b"; do
    t=$(WHEELHOUSE_APP="$app" BENCH_LABEL=compare BENCH_REPO="$repo" E2E_SPECS=bench/matrix-view.mjs scripts/e2e.sh 2>&1 \
      | sed -n 's/.*from launch to the matrix painted[^:]*: \([0-9]*\) ms.*/\1/p')
    echo "$app: ${t:-failed} ms"
    times[$app]="${times[$app]:-} ${t:-}"
  done
done
for app in "$a" "$b"; do
  sorted=$(printf '%s\n' ${times[$app]} | sort -n)
  count=$(echo "$sorted" | grep -c . || true)
  [ "$count" -gt 0 ] || { echo "$app: no launch measured"; continue; }
  printf '%s: median %s ms of %d launches (%s)\n' "$app" "$(echo "$sorted" | sed -n "$(( (count + 1) / 2 ))p")" "$count" "$(echo $sorted)"
done
