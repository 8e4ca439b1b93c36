#!/usr/bin/env bash
# Approvals at scale (issue 5):
#  - `wheelhouse verify` on a change touching 1,000 files under 10 rules with 50 signed approval
#    records (bar: <= 200 ms);
#  - listing 200 open change branches with their verdicts (`wheelhouse changes --json`: what the
#    Reviews view asks the core for; bar for the view: <= 1 s).
# Uses a release build of the CLI (built here) and hyperfine.
#
#   bench/approvals.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/approvers.sh
command -v hyperfine >/dev/null || { echo "needs hyperfine: apt-get install hyperfine" >&2; exit 1; }
cargo build -q --release -p wheelhouse-cli
cli="$PWD/target/release/wheelhouse"
work="$PWD/target/bench-approvals"
rm -rf "$work" && mkdir -p "$work/keys"
repo="$work/repo"
git init -q -b main "$repo"
g() { git -C "$repo" -c user.name=Bench -c user.email=bench@example.com "$@"; }

mkdir -p "$repo/.wheelhouse"
{
  echo "rules:"
  for i in $(seq 0 9); do
    printf '  - name: env-%02d\n    paths: ["env-%02d/**"]\n    required_approvals: 2\n    approvers: ["@leads"]\n' "$i" "$i"
  done
  echo "settings: {require_signatures: true, dismiss_stale_approvals: true}"
} > "$repo/.wheelhouse/policy.yaml"
people_and_signers "$repo" "$work/keys"
for i in $(seq 0 9); do
  d=$(printf 'env-%02d' "$i"); mkdir -p "$repo/$d"
  for j in $(seq 0 99); do
    printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-%03d\nspec:\n  replicas: 1\n' "$j" > "$repo/$d/app-$j.yaml"
  done
done
g add -A && g commit -qm base
g checkout -q -b change/big
for f in "$repo"/env-*/app-*.yaml; do sed -i 's/replicas: 1/replicas: 2/' "$f"; done
g commit -qam "scale everything"
g checkout -q main
approve_fifty "$cli" "$repo" "$work/keys" change/big
echo "change/big: $(g diff --name-only main change/big | wc -l) files, $(git -C "$repo" notes --ref=devtools/discuss list | wc -l) annotated commit(s), 50 records"
hyperfine --warmup 2 --runs 15 -N --export-json "$work/verify.json" "$cli --repo $repo verify main..change/big" 2>&1 | grep -E "Time|Range" || true

for n in $(seq 1 200); do
  g branch -q "change/b$n" main
done
for n in $(seq 1 200); do
  git -C "$repo" -c user.name=Bench -c user.email=bench@example.com commit-tree -p main -m "change $n" "$(g rev-parse main^{tree})" >/dev/null
done
# 200 branches, each one commit ahead of main touching one file.
for n in $(seq 1 200); do
  g checkout -q "change/b$n"
  printf '# %s\n' "$n" >> "$repo/env-00/app-$((n % 100)).yaml"
  g commit -qam "change $n"
done
g checkout -q main
git -C "$repo" branch -D change/big -q
hyperfine --warmup 1 --runs 5 -N --export-json "$work/changes.json" "$cli --json --repo $repo changes" 2>&1 | grep -E "Time|Range" || true
python3 - "$work" <<'PY'
import json, sys
w = sys.argv[1]
v = json.load(open(f"{w}/verify.json"))["results"][0]["median"] * 1000
c = json.load(open(f"{w}/changes.json"))["results"][0]["median"] * 1000
print(f"verify, 1,000 files, 10 rules, 50 records: {v:.0f} ms (bar: <= 200 ms)")
print(f"200 open changes with verdicts (core side of the Reviews list): {c:.0f} ms (bar for the view: <= 1000 ms)")
PY
