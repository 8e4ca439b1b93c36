#!/usr/bin/env bash
# Opening a large repository (≈10,000 YAML files, 50,000 commits) and reading status plus the
# first 200 history entries through the core API, against `git status --porcelain` +
# `git log -n 200 --format=%H%s` on the same repository, in one criterion run
# (crates/repo/benches/open_large.rs). Prints the ratio of the medians; the issue's bar is 1.5 ×.
#
#   bench/open-large-repo.sh
#
# With hyperfine installed it also times the whole `wheelhouse overview` command (process start,
# library start-up, JSON output included) against the two git commands, for reference.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD/target/bench-large"
[ -d "$repo/.git" ] || python3 bench/synthetic-repo.py "$repo"
# Refresh the index's stat cache once, as any checkout a person works in would have.
git -C "$repo" status --porcelain >/dev/null

WHEELHOUSE_BENCH_REPO="$repo" cargo bench -q -p wheelhouse-repo --bench open_large -- --noplot 2>&1 \
  | grep -E "^open-large|time:" || true
python3 - <<'PY'
import json
def median(name):
    return json.load(open(f"target/criterion/open-large/{name}/new/estimates.json"))["median"]["point_estimate"]
w, g = median("wheelhouse"), median("git")
print(f"core API: wheelhouse {w/1e6:.1f} ms, git {g/1e6:.1f} ms, ratio {w/g:.2f} x (bar: <= 1.5 x)")
PY

if command -v hyperfine >/dev/null && [ -x target/debug/wheelhouse ]; then
  hyperfine --warmup 3 --runs 20 --export-json target/bench-open-large-cli.json -N \
    -n "wheelhouse CLI" "target/debug/wheelhouse --json overview --repo $repo --commits 200" \
    -n "git CLI" "sh -c 'git -C $repo status --porcelain >/dev/null && git -C $repo log -n 200 --format=%H%s >/dev/null'" \
    | grep -E "Time|±" || true
  python3 - <<'PY'
import json
r = {x["command"]: x["median"] for x in json.load(open("target/bench-open-large-cli.json"))["results"]}
print(f"whole command (debug build): wheelhouse {r['wheelhouse CLI']*1000:.1f} ms, git {r['git CLI']*1000:.1f} ms, ratio {r['wheelhouse CLI']/r['git CLI']:.2f} x")
PY
fi
