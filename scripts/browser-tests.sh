#!/usr/bin/env bash
# Browser tests of the status page export (tests/browser/): headless Chromium through
# chromedriver, started on a free port and stopped here. Needs no display, works as root (CI).
# Override the binaries with CHROMIUM_BIN, CHROMEDRIVER and WHEELHOUSE_CLI; extra arguments go
# to `node --test` (e.g. --test-name-pattern=axe).
set -euo pipefail
cd "$(dirname "$0")/.."

export WHEELHOUSE_CLI="${WHEELHOUSE_CLI:-$PWD/target/debug/wheelhouse}"
[ -x "$WHEELHOUSE_CLI" ] || {
  echo "browser: $WHEELHOUSE_CLI is missing; run make build (or cargo build -p wheelhouse-cli) first" >&2
  exit 1
}
[ -f node_modules/axe-core/axe.min.js ] && [ -d node_modules/webdriverio ] || {
  echo "browser: node_modules lacks axe-core or webdriverio; run npm ci (make deps-test)" >&2
  exit 1
}

# The first candidate that exists: a path, or a name on PATH.
find_bin() {
  for candidate in "$@"; do
    if [ -x "$candidate" ]; then echo "$candidate"; return 0; fi
    command -v "$candidate" 2>/dev/null && return 0
  done
  return 1
}
# Debian's /usr/bin/chromium is a shell wrapper that adds extension flags: use the browser itself.
CHROMIUM_BIN="${CHROMIUM_BIN:-$(find_bin /usr/lib/chromium/chromium chromium chromium-browser google-chrome || true)}"
CHROMEDRIVER="${CHROMEDRIVER:-$(find_bin chromedriver /usr/lib/chromium/chromedriver || true)}"
if [ -z "$CHROMIUM_BIN" ] || [ -z "$CHROMEDRIVER" ]; then
  echo "browser: Chromium or chromedriver is missing; install the Debian packages chromium and" >&2
  echo "chromium-driver (scripts/deps.sh test does), or set CHROMIUM_BIN and CHROMEDRIVER" >&2
  exit 1
fi
browser_major="$("$CHROMIUM_BIN" --version | grep -oE '[0-9]+' | head -1)"
driver_major="$("$CHROMEDRIVER" --version | grep -oE '[0-9]+' | head -1)"
if [ "$browser_major" != "$driver_major" ]; then
  echo "browser: $CHROMIUM_BIN is version $browser_major but $CHROMEDRIVER drives version $driver_major" >&2
  exit 1
fi
export CHROMIUM_BIN

scratch="$(mktemp -d)"
CHROMEDRIVER_PORT="$(node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => {
  console.log(s.address().port); s.close(); })")"
export CHROMEDRIVER_PORT
"$CHROMEDRIVER" --port="$CHROMEDRIVER_PORT" >"$scratch/chromedriver.log" 2>&1 &
driver=$!
cleanup() {
  # Browsers of sessions that did not end (an interrupted run) go with their chromedriver.
  pkill -TERM -P "$driver" 2>/dev/null || true
  kill "$driver" 2>/dev/null || true
  wait "$driver" 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$CHROMEDRIVER_PORT") 2>/dev/null && break
  kill -0 "$driver" 2>/dev/null || { cat "$scratch/chromedriver.log" >&2; exit 1; }
  sleep 0.1
done

version="$("$CHROMIUM_BIN" --version)"
echo "browser: ${version% } with chromedriver on port $CHROMEDRIVER_PORT"
status=0
node --test "$@" tests/browser/ || status=$?
[ "$status" = 0 ] || { echo "browser: chromedriver's log:" >&2; tail -n 20 "$scratch/chromedriver.log" >&2; }
exit "$status"
