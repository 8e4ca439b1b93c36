#!/usr/bin/env bash
# Issue 22 §4: "the matrix is painted <= 1 s after the Environments view is opened" on the plain
# 30 x 300 repository. Makes it (bench/synthetic-environments.py, committed), then times the real
# app's Environments view through WebDriver (bench/matrix-view.mjs). Needs the debug build
# (make build) and what the e2e specs need (scripts/e2e.sh starts them).
#
#   bench/matrix-view.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD/target/bench-matrix-view/repo"
source bench/common.sh
envs_repo "$repo"
BENCH_REPO="$repo" E2E_SPECS=bench/matrix-view.mjs scripts/e2e.sh 2>&1 | grep -E "Environments view|from launch|not ok|Error" || true
