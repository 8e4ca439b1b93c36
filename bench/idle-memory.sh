#!/usr/bin/env bash
# Idle memory and time to first painted frame of a Tauri app on a virtual display.
#
#   bench/idle-memory.sh BINARY [ARGS…]
#
# Starts BINARY under its own Xvfb and D-Bus session with a scratch HOME, records when the first
# frame with content appears on screen (the top 200 pixel rows, where both apps draw their first
# text, stop being one flat colour: neither the empty root nor a blank window counts; polled with
# ImageMagick, so the resolution is one screenshot, about 50–100 ms), waits 10 s, then sums the
# PSS of the process and all its descendants (WebKit's network and web processes) from
# /proc/PID/smaps_rollup. Prints one JSON line. bench/compare-idle.sh runs it for Wheelhouse and a
# minimal Tauri app in the same run.
set -euo pipefail
bin="$1"; shift
source "$(dirname "$0")/common.sh"

own_display 120
trap 'kill $xvfb 2>/dev/null; [ -n "${app:-}" ] && kill -- -$app 2>/dev/null; rm -rf "$scratch"' EXIT

flat() {
  [ "$(/usr/bin/import -silent -window root -crop 1280x200+0+0 png:- 2>/dev/null \
    | /usr/bin/convert png:- -format '%[fx:standard_deviation>0.001]' info: 2>/dev/null)" != 1 ]
}

start=$(date +%s%N)
setsid dbus-run-session -- "$bin" "$@" >"$scratch/app.log" 2>&1 &
app=$!
painted=""
for _ in $(seq 600); do
  if ! flat; then painted=$(( ($(date +%s%N) - start) / 1000000 )); break; fi
done
sleep 10

descendants() { local p; for p in $(pgrep -P "$1"); do echo "$p"; descendants "$p"; done; }
pss=0
by=""
for pid in $app $(descendants "$app"); do
  kb=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)
  pss=$((pss + ${kb:-0}))
  [ "${kb:-0}" -gt 1024 ] && by="$by${by:+,}\"$(cat "/proc/$pid/comm" 2>/dev/null)\":$((kb / 1024))"
done
printf '{"binary":"%s","first_paint_ms":%s,"pss_mib":%s,"by_process_mib":{%s}}\n' "$(basename "$bin")" "${painted:-null}" "$((pss / 1024))" "$by"
