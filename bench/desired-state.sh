#!/usr/bin/env bash
# The environment matrix on 30 environments x 300 workloads (9,331 files): from cold against `cat`
# of every YAML byte (same run), the refresh after one file changed, one field edit written and
# re-resolved. Bars (issue 4): <= 3 x cat, <= 50 ms, <= 20 ms.
#
#   bench/desired-state.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD/target/bench-envs"
[ -d "$repo/base" ] || python3 bench/synthetic-environments.py "$repo"
WHEELHOUSE_BENCH_ENVS="$repo" cargo bench -q -p wheelhouse-desired-state --bench matrix -- --noplot 2>&1 \
  | grep -E "^desired-state|time:" || true
python3 - <<'PY'
import json
def median(name):
    return json.load(open(f"target/criterion/desired-state/{name}/new/estimates.json"))["median"]["point_estimate"] / 1e6
cat, cold = median("cat-all-yaml"), median("matrix-from-cold")
refresh, edit = median("refresh-after-one-file-changed"), median("edit-one-field-and-re-resolve")
print(f"matrix from cold {cold:.1f} ms vs cat {cat:.1f} ms: {cold/cat:.2f} x (bar: <= 3 x)")
print(f"refresh after one file changed: {refresh:.1f} ms (bar: <= 50 ms)")
print(f"one field edit written and re-resolved: {edit:.1f} ms (bar: <= 20 ms)")
PY
