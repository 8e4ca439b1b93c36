#!/usr/bin/env bash
# End-to-end tests of the real app: Xvfb + a D-Bus session + tauri-driver (WebKitWebDriver),
# with a scratch HOME, all started and stopped here. Screenshots land in target/e2e-artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."

# WHEELHOUSE_APP may name another build (the release app, for bench/release-figures.sh).
app="${WHEELHOUSE_APP:-$PWD/target/debug/wheelhouse-app}"
cli="$PWD/target/debug/wheelhouse"
server="$PWD/target/debug/wheelhouse-test-git-server"
for bin in "$app" "$cli" "$server"; do
  [ -x "$bin" ] || { echo "e2e: $bin is missing; run make build first" >&2; exit 1; }
done

artifacts="$PWD/target/e2e-artifacts"
rm -rf "$artifacts" && mkdir -p "$artifacts"
scratch="$(mktemp -d)"

display=99
while [ -e "/tmp/.X11-unix/X$display" ] || [ -e "/tmp/.X$display-lock" ]; do display=$((display + 1)); done
Xvfb ":$display" -screen 0 1280x800x24 -nolisten tcp >"$artifacts/xvfb.log" 2>&1 &
xvfb_pid=$!
# An SSH agent of our own (specs add keys to it; the app signs approvals through it).
eval "$(ssh-agent -s -a "$scratch/agent.sock")" >/dev/null
cleanup() {
  # The app's own log (wheelhouse.log, in its log folder under the scratch HOME) is kept.
  cp "$scratch"/home/.local/share/*/logs/wheelhouse.log "$artifacts/" 2>/dev/null || true
  kill "$SSH_AGENT_PID" 2>/dev/null || true
  kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$display" ] && break; sleep 0.1; done

export DISPLAY=":$display" NO_AT_BRIDGE=1 HOME="$scratch/home" XDG_RUNTIME_DIR="$scratch/run"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
export WHEELHOUSE_APP="$app" WHEELHOUSE_CLI="$cli" WHEELHOUSE_GIT_SERVER="$server"
export E2E_ARTIFACTS="$artifacts" E2E_SCRATCH="$scratch"
# The day the app judges by (freeze windows, status pages): 2026-11-26T12:00:00Z, so that the
# demo's holiday freeze (20 December to 4 January) does not change the specs' verdicts.
export WHEELHOUSE_NOW="${WHEELHOUSE_NOW:-1795694400}"
export E2E_SPECS="${E2E_SPECS:-}"
export TAURI_DRIVER_PORT="${TAURI_DRIVER_PORT:-4444}"

# A D-Bus session with an unlocked GNOME Keyring: the app stores credentials in the real one.
WHEELHOUSE_KEEP_HOME=1 scripts/with-keyring.sh bash -c '
  tauri-driver --port "$TAURI_DRIVER_PORT" --native-port $((TAURI_DRIVER_PORT + 1)) >"$E2E_ARTIFACTS/tauri-driver.log" 2>&1 &
  driver=$!
  for _ in $(seq 50); do
    (exec 3<>/dev/tcp/127.0.0.1/$TAURI_DRIVER_PORT) 2>/dev/null && break
    sleep 0.1
  done
  status=0
  node --test --test-concurrency=1 ${E2E_SPECS:-tests/e2e/} || status=$?
  kill $driver 2>/dev/null || true
  exit $status
'
