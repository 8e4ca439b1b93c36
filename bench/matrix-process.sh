#!/usr/bin/env bash
# The whole CLI process on the plain 30 environments x 300 workloads repository (issue 22,
# Measure), side by side in one hyperfine run:
#   - `cat` of every YAML file (find + xargs cat: the floor for reading the repository),
#   - `wheelhouse --json matrix` (every environment resolved; bar: <= 3 x cat),
#   - `wheelhouse render env-07` (only what env-07 builds; bar: <= 100 ms).
# Uses a release build of the CLI (built here) and hyperfine.
#
#   bench/matrix-process.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "needs hyperfine: apt-get install hyperfine" >&2; exit 1; }
repo="$PWD/target/bench-envs-plain"
source bench/common.sh
envs_repo "$repo"
cargo build -q --release -p wheelhouse-cli
cli="$PWD/target/release/wheelhouse"
out="$PWD/target/bench-matrix-process.json"
hyperfine -N --warmup 2 --runs 15 --export-json "$out" \
  -n cat "sh -c 'find $repo -name \"*.yaml\" -not -path \"*/.git/*\" -print0 | xargs -0 cat > /dev/null'" \
  -n matrix "$cli --json --repo $repo matrix" \
  -n render "$cli --repo $repo render env-07" 2>&1 | grep -E "Time|Range|Benchmark" || true
python3 - "$out" <<'PY'
import json, sys
r = {x["command"]: x["median"] * 1000 for x in json.load(open(sys.argv[1]))["results"]}
cat, matrix, render = r["cat"], r["matrix"], r["render"]
print(f"cat of every YAML file: {cat:.0f} ms")
print(f"wheelhouse --json matrix: {matrix:.0f} ms, {matrix/cat:.2f} x cat (bar: <= 3 x)")
print(f"wheelhouse render env-07: {render:.0f} ms, {render/cat:.2f} x cat (bar: <= 100 ms)")
PY
