#!/usr/bin/env bash
# `make package-test`: the .deb that `make package` built, installed with apt into a clean Debian
# root (mmdebstrap, from Debian's packages) so that only its declared dependencies are pulled
# (no recommends) — over an older version of itself, whose app has written its recent
# repositories, which must survive the upgrade; then the CLI runs there (`--version`, `demo`, `--json matrix`, a login with
# no keyring daemon), the installed app starts under Xvfb on the demo and its window title is
# read back (screenshot: target/package-test/installed-app.png), and the package is purged and
# every file it installed must be gone. Needs root (chroot), as CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."

[ "$(id -u)" = 0 ] || { echo "package-test: needs root (it builds a chroot)" >&2; exit 1; }
deb=$(ls target/release/bundle/deb/*.deb 2>/dev/null | head -1 || true)
[ -n "$deb" ] || { echo "package-test: no .deb in target/release/bundle/deb: run make package first" >&2; exit 1; }
for tool in mmdebstrap Xvfb xwininfo; do
  command -v "$tool" >/dev/null || missing="${missing:-} $tool"
done
if [ -n "${missing:-}" ]; then
  echo "==> installing mmdebstrap xvfb x11-utils"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap xvfb x11-utils imagemagick >/dev/null
fi

out="$PWD/target/package-test"
root="$out/root"
mounted=()
app_pid=""
xvfb_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  chroot "$root" pkill -f /usr/bin/wheelhouse-app 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[i]}" 2>/dev/null || true; done
}
trap cleanup EXIT
fail() { echo "package-test: FAILED: $*" >&2; exit 1; }
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }

rm -rf "$out" && mkdir -p "$out"
echo "==> a clean Debian 12 root (mmdebstrap --variant=apt)"
mmdebstrap --quiet --variant=apt --include=ca-certificates --skip=cleanup/apt/lists bookworm "$root" \
  "deb http://deb.debian.org/debian bookworm main" \
  "deb http://deb.debian.org/debian bookworm-updates main" \
  "deb http://deb.debian.org/debian-security bookworm-security main"
for m in proc sys dev; do
  mount --bind "/$m" "$root/$m" && mounted+=("$root/$m")
done

# The app under Xvfb on the demo until its window shows (title in $title), then stopped.
display=90
while [ -e "/tmp/.X11-unix/X$display" ] || [ -e "/tmp/.X$display-lock" ]; do display=$((display + 1)); done
Xvfb ":$display" -screen 0 1280x800x24 -nolisten tcp >"$out/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$display" ] && break; sleep 0.1; done
mkdir -p "$root/tmp/home"
data="$root/tmp/home/.local/share/dev.wheelhouse.app"
run_app() {
  # The X socket is reached through its abstract name (the chroot shares the network namespace).
  chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/tmp/home DISPLAY=":$display" NO_AT_BRIDGE=1 \
    LANG=C.UTF-8 /usr/bin/wheelhouse-app --repo /tmp/demo/acme-gitops >"$out/app.log" 2>&1 &
  app_pid=$!
  title=""
  for _ in $(seq 60); do
    title=$(DISPLAY=":$display" xwininfo -root -tree 2>/dev/null | grep -o '"Wheelhouse"' | head -1 || true)
    [ -n "$title" ] && break
    sleep 0.5
  done
  [ "$title" = '"Wheelhouse"' ] || { cat "$out/app.log"; fail "no window titled Wheelhouse"; }
  sleep 3 # the first view paints
  [ -n "${1:-}" ] && DISPLAY=":$display" import -window root "$1"
  kill "$app_pid" 2>/dev/null || true
  wait "$app_pid" 2>/dev/null || true
  app_pid=""
}

echo "==> an older version first (the same package, versioned 0.0.1), used once"
dpkg-deb -R "$deb" "$out/old"
sed -i 's/^Version: .*/Version: 0.0.1/' "$out/old/DEBIAN/control"
dpkg-deb --build --root-owner-group "$out/old" "$root/tmp/wheelhouse-old.deb" >/dev/null
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends /tmp/wheelhouse-old.deb \
  >"$out/apt-install-old.log" 2>&1 || { tail -20 "$out/apt-install-old.log"; fail "apt could not install the older package"; }
in_root git config --global user.name "Package Test"
in_root git config --global user.email package-test@example.invalid
in_root wheelhouse demo /tmp/demo >/dev/null || fail "wheelhouse demo"
run_app
grep -q /tmp/demo/acme-gitops "$data/recent-repositories.json" || fail "the app did not remember the demo"
cp "$data/recent-repositories.json" "$out/recent-before.json"

echo "==> apt install $(basename "$deb") over it (declared dependencies only)"
cp "$deb" "$root/tmp/wheelhouse.deb"
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends /tmp/wheelhouse.deb \
  >"$out/apt-install.log" 2>&1 || { tail -20 "$out/apt-install.log"; fail "apt could not install the package"; }
grep -q "Unpacking wheelhouse (.*) over (0.0.1)" "$out/apt-install.log" || fail "it was not an upgrade: $(cat "$out/apt-install.log")"
cmp -s "$out/recent-before.json" "$data/recent-repositories.json" || fail "the upgrade changed the recent repositories"
in_root dpkg -L wheelhouse >"$out/files.txt"

echo "==> the CLI"
version=$(in_root wheelhouse --version)
[[ "$version" =~ ^wheelhouse\ [0-9]+\.[0-9]+\.[0-9]+\ \([0-9a-f]{12}\ [0-9]{4}-[0-9]{2}-[0-9]{2}\)$ ]] \
  || fail "wheelhouse --version printed: $version"
echo "    $version"
in_root wheelhouse --json --repo /tmp/demo/acme-gitops matrix >"$out/matrix.json" || fail "wheelhouse --json matrix"
python3 - "$out/matrix.json" <<'PY' || fail "the matrix has no environments"
import json, sys
m = json.load(open(sys.argv[1]))
names = [e["name"] for e in m["environments"]]
assert names and m["rows"], m
print("    matrix:", len(m["rows"]), "workloads in", ", ".join(names))
PY
for f in /usr/share/man/man1/wheelhouse.1.gz /usr/share/bash-completion/completions/wheelhouse \
  /usr/share/applications/Wheelhouse.desktop /usr/share/icons/hicolor/48x48/apps/wheelhouse-app.png; do
  [ -f "$root$f" ] || fail "$f is not installed"
done
# No keyring daemon here: the message says how to start one, and nothing crashes.
set +e
login=$(echo token | in_root wheelhouse --repo /tmp/demo/acme-gitops login git.example.com --user maya 2>&1)
status=$?
set -e
[ "$status" = 1 ] && [[ "$login" == *"install and start one (GNOME Keyring or KWallet)"* ]] \
  || fail "login without a keyring daemon (exit $status): $login"

echo "==> the app under Xvfb"
run_app "$out/installed-app.png"
echo "    window: $title, the demo remembered across the upgrade (screenshot: target/package-test/installed-app.png)"

echo "==> apt purge"
in_root env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq wheelhouse >"$out/apt-purge.log" 2>&1 \
  || fail "apt could not remove the package"
left=$(while read -r f; do [ -f "$root$f" ] || [ -L "$root$f" ] && echo "$f"; done <"$out/files.txt" || true)
[ -z "$left" ] || fail "left behind after purge: $left"
! in_root dpkg -s wheelhouse >/dev/null 2>&1 || fail "dpkg still lists wheelhouse"
echo "package-test: the package installs, runs and removes cleanly"
