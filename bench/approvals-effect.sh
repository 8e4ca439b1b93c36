#!/usr/bin/env bash
# Approvals by effect at scale (issue 12): `wheelhouse verify` on a change to one base file shared
# by 30 environments x 300 workloads (every overlay pulling in a Kustomize component), under 10
# rules (environment rules, path rules, an auto-approval) with 50 signed approval records, against
# one full matrix build (`wheelhouse --json matrix`) of the same repository in the same run.
# Bars: <= 1 s and <= 3 x the matrix build. The path-only case (1,000 files, no environment
# affected) is bench/approvals.sh (bar: <= 200 ms).
# Uses a release build of the CLI (built here) and hyperfine.
#
#   bench/approvals-effect.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/approvers.sh
command -v hyperfine >/dev/null || { echo "needs hyperfine: apt-get install hyperfine" >&2; exit 1; }
cargo build -q --release -p wheelhouse-cli
cli="$PWD/target/release/wheelhouse"
work="$PWD/target/bench-approvals-effect"
rm -rf "$work" && mkdir -p "$work/keys"
repo="$work/repo"
python3 bench/synthetic-environments.py "$repo" --components
git -C "$repo" init -q -b main
g() { git -C "$repo" -c user.name=Bench -c user.email=bench@example.com "$@"; }

mkdir -p "$repo/.wheelhouse"
{
  echo "rules:"
  for i in 25 26 27 28 29; do
    printf '  - name: env-%02d by effect\n    environments: [env-%02d]\n    required_approvals: 2\n    approvers: ["@leads"]\n' "$i" "$i"
  done
  for i in 0 1 2 3; do
    printf '  - name: overlay env-%02d\n    paths: ["overlays/env-%02d/**"]\n    required_approvals: 1\n    approvers: ["@leads"]\n' "$i" "$i"
  done
  printf '  - name: image bumps\n    environments: [env-00, env-01]\n    auto_approve:\n      only_fields: [image_tag, replicas]\n'
  echo "settings: {require_signatures: true, dismiss_stale_approvals: true}"
} > "$repo/.wheelhouse/policy.yaml"
people_and_signers "$repo" "$work/keys"
g add -A && g commit -qm base
g checkout -q -b change/base
sed -i 's/cpu: 100m/cpu: 150m/' "$repo/base/svc-000.yaml"
g commit -qam "svc-000 requests more CPU everywhere"
g checkout -q main
approve_fifty "$cli" "$repo" "$work/keys" change/base
echo "change/base: $(g diff --name-only main change/base | tr '\n' ' ')- 50 records; $("$cli" --json --repo "$repo" verify main..change/base | python3 -c 'import json,sys; v=json.load(sys.stdin); print(len([e for e in v["effect"]["environments"] if e["status"]!="unaffected"]), "environments changed")' 2>/dev/null || echo "verify output unreadable")"
hyperfine --warmup 1 --runs 7 -N --ignore-failure --export-json "$work/runs.json" \
  "$cli --repo $repo verify main..change/base" \
  "$cli --json --repo $repo matrix" 2>&1 | grep -E "Time|Range|Benchmark" || true
python3 - "$work" <<'PY'
import json, sys
w = sys.argv[1]
r = json.load(open(f"{w}/runs.json"))["results"]
verify, matrix = r[0]["median"] * 1000, r[1]["median"] * 1000
print(f"verify with effect, base shared by 30 x 300, 10 rules, 50 records: {verify:.0f} ms (bar: <= 1000 ms)")
print(f"one full matrix build, same run: {matrix:.0f} ms; ratio {verify/matrix:.2f} x (bar: <= 3 x)")
PY
