#!/usr/bin/env bash
# Issue 6: the status page preview updates within 300 ms of a file change. Times the real app
# (debug build, make build) through WebDriver, as the e2e specs run it (bench/status-preview.mjs).
#
#   bench/status-preview.sh
set -euo pipefail
cd "$(dirname "$0")/.."
E2E_SPECS=bench/status-preview.mjs scripts/e2e.sh 2>&1 | grep -E "Status preview|not ok|Error" || true
