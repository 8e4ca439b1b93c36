#!/usr/bin/env bash
# Issue 15's release figures, after `make package` (which leaves the release app, the CLI and the
# packages in target/release/), in one run on this machine:
#   - the release app's cold start to the matrix painted on the demo (bench/matrix-view.mjs
#     through tauri-driver: from the launch to the matrix's rows painted; bar <= 1,500 ms),
#     and the same on the 30 x 300 repository (issue 22);
#   - idle memory (PSS of the app and its WebKit processes after 10 s, bench/idle-memory.sh) of
#     the release app on the demo beside a bare Tauri 2 app built in release in the same run
#     (bar <= 1.3 x);
#   - the sizes of the .deb (bar <= 25 MB), the .rpm and the CLI.
#
#   make package && bench/release-figures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
app="$root/target/release/wheelhouse-app"
cli="$root/target/release/wheelhouse"
[ -x "$app" ] && [ -x "$cli" ] || { echo "run make package first" >&2; exit 1; }

demo="$root/target/bench-release-demo"
rm -rf "$demo" && "$cli" demo "$demo" >/dev/null
git -C "$demo/acme-gitops" config user.name Bench && git -C "$demo/acme-gitops" config user.email bench@example.com
large="$root/target/bench-matrix-view/repo"
source bench/common.sh
envs_repo "$large"

echo "== cold start to the matrix painted (release app)"
# Each repository RUNS times (5 unless set), each a new launch; the median of the launches.
runs="${RUNS:-5}"
for pair in "demo:$demo/acme-gitops" "30 x 300:$large"; do
  times=()
  for _ in $(seq "$runs"); do
    out=$(WHEELHOUSE_APP="$app" BENCH_LABEL="${pair%%:*}" BENCH_REPO="${pair#*:}" E2E_SPECS=bench/matrix-view.mjs \
      scripts/e2e.sh 2>&1 | grep -E "Environments view,|from launch|first open:|not ok|Error" || true)
    echo "$out"
    t=$(echo "$out" | sed -n 's/.*from launch to the matrix painted[^:]*: \([0-9]*\) ms.*/\1/p')
    [ -n "$t" ] && times+=("$t")
  done
  [ "${#times[@]}" -gt 0 ] && printf '%s: launch to the matrix painted, median of %d launches: %s ms (%s); bar: <= 1500 ms\n' \
    "${pair%%:*}" "${#times[@]}" "$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (${#times[@]} + 1) / 2 ))p")" "${times[*]}"
done

echo "== idle memory, release builds, same run"
idle=$(PROFILE=release bench/compare-idle.sh)
echo "$idle"
python3 - "$idle" <<'PY'
import json, sys
rows = {l.split(":", 1)[0].strip(): json.loads(l.split(":", 1)[1]) for l in sys.argv[1].splitlines() if l.strip()}
a, b = rows["minimal"], rows["wheelhouse"]
print(f"idle PSS: wheelhouse {b['pss_mib']} MiB vs bare Tauri {a['pss_mib']} MiB = {b['pss_mib']/a['pss_mib']:.2f} x (bar: <= 1.3 x)")
print(f"first painted frame: wheelhouse {b['first_paint_ms']} ms, bare Tauri {a['first_paint_ms']} ms")
s = rows.get("minimal-software")
if s:
    print(f"on equal terms (both compositing in software): wheelhouse {b['pss_mib']} MiB vs bare Tauri {s['pss_mib']} MiB = {b['pss_mib']/s['pss_mib']:.2f} x; first painted frame {s['first_paint_ms']} ms")
PY

echo "== sizes"
for f in target/release/bundle/deb/*.deb target/release/bundle/rpm/*.rpm "$cli" "$app"; do
  printf '%-60s %6.1f MB\n' "${f#"$root"/}" "$(echo "$(stat -c %s "$f") / 1000000" | bc -l)"
done
