#!/usr/bin/env bash
# The environment matrix on 30 environments x 300 workloads (every overlay pulling in a Kustomize
# component and applying a label-selector patch): from cold against `cat` of every YAML byte
# (same run), the refresh after one file changed, one field edit written and re-resolved, one
# environment rendered against `kubectl kustomize` of the same folder (in process, and the
# release CLI `wheelhouse render` end to end with hyperfine). Bars (issues 4 and 11): <= 3 x cat,
# <= 50 ms, <= 20 ms, render <= 2 x kubectl kustomize.
#
#   bench/desired-state.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD/target/bench-envs-components"
source bench/common.sh
envs_repo "$repo" --components
WHEELHOUSE_BENCH_ENVS="$repo" cargo bench -q -p wheelhouse-desired-state --bench matrix -- --noplot 2>&1 \
  | grep -E "^desired-state|time:" || true
python3 - <<'PY'
import json
def median(name):
    return json.load(open(f"target/criterion/desired-state/{name}/new/estimates.json"))["median"]["point_estimate"] / 1e6
cat, cold = median("cat-all-yaml"), median("matrix-from-cold")
refresh, edit = median("refresh-after-one-file-changed"), median("edit-one-field-and-re-resolve")
render, kubectl = median("render-one-environment"), median("kubectl-kustomize-one-environment")
print(f"matrix from cold {cold:.1f} ms vs cat {cat:.1f} ms: {cold/cat:.2f} x (bar: <= 3 x)")
print(f"refresh after one file changed: {refresh:.1f} ms (bar: <= 50 ms)")
print(f"one field edit written and re-resolved: {edit:.1f} ms (bar: <= 20 ms)")
print(f"render env-07 in process {render:.1f} ms vs kubectl kustomize {kubectl:.1f} ms: {render/kubectl:.2f} x (bar: <= 2 x)")
PY
if command -v hyperfine > /dev/null; then
  cargo build -q --release -p wheelhouse-cli
  hyperfine -N --warmup 1 --runs 3 \
    "target/release/wheelhouse --repo $repo render env-07" \
    "kubectl kustomize $repo/overlays/env-07"
else
  echo "hyperfine is not installed (apt install hyperfine): the CLI end-to-end comparison was skipped"
fi
