#!/usr/bin/env bash
# Issue 5: "the Changes view with 200 open change branches renders its list in <= 1 s".
# Makes a repository with 200 change branches (each one commit ahead of main, under a 10-rule
# policy), then times the real app's Reviews list through WebDriver (bench/reviews-view.mjs).
# Needs the debug build (make build) and what the e2e specs need (scripts/e2e.sh starts them).
#
#   bench/reviews-view.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work="$PWD/target/bench-reviews-view"
repo="$work/repo"
if [ ! -d "$repo/.git" ]; then
  rm -rf "$work" && mkdir -p "$work"
  git init -q -b main "$repo"
  g() { git -C "$repo" -c user.name=Bench -c user.email=bench@example.com "$@"; }
  mkdir -p "$repo/.wheelhouse"
  {
    echo "rules:"
    for i in $(seq 0 9); do
      printf '  - name: env-%02d\n    paths: ["env-%02d/**"]\n    required_approvals: 2\n' "$i" "$i"
    done
  } > "$repo/.wheelhouse/policy.yaml"
  for i in $(seq 0 9); do
    d=$(printf 'env-%02d' "$i"); mkdir -p "$repo/$d"
    for j in $(seq 0 19); do
      printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-%03d\nspec:\n  replicas: 1\n' "$j" > "$repo/$d/app-$j.yaml"
    done
  done
  g add -A && g commit -qm base
  for n in $(seq 1 200); do
    g checkout -q -b "change/b$n" main
    printf '# %s\n' "$n" >> "$repo/env-$(printf '%02d' $((n % 10)))/app-$((n % 20)).yaml"
    g commit -qam "change $n: scale app-$((n % 20))"
  done
  g checkout -q main
fi
BENCH_REPO="$repo" E2E_SPECS=bench/reviews-view.mjs scripts/e2e.sh 2>&1 | grep -E "Reviews list|not ok|Error" || true
