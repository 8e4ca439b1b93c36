#!/usr/bin/env bash
# Installs what Wheelhouse needs to build (`deps.sh run`) or to build and test (`deps.sh test`).
# Debian/Ubuntu: apt packages when root, otherwise prints the exact sudo line and stops.
# Then npm ci when the lock file changed, and tauri-driver for the end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-run}"
build_pkgs=(libwebkit2gtk-4.1-dev build-essential libssl-dev libayatana-appindicator3-dev
  librsvg2-dev libxdo-dev file pkg-config libsecret-1-dev libdbus-1-dev)
test_pkgs=(xvfb xauth webkit2gtk-driver dbus dbus-x11 gnome-keyring keyutils imagemagick
  x11-utils fonts-dejavu-core openssh-client chromium chromium-driver)

pkgs=("${build_pkgs[@]}")
[ "$mode" = test ] && pkgs+=("${test_pkgs[@]}")

if command -v dpkg-query >/dev/null 2>&1; then
  missing=()
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      echo "==> installing ${missing[*]}"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
      echo "Wheelhouse needs these system packages. Install them, then run make again:" >&2
      echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
      exit 1
    fi
  fi
else
  echo "note: not a Debian-like system; see README.md for the prerequisites of your platform." >&2
fi

command -v cargo >/dev/null || { echo "Rust is missing: install it from https://rustup.rs" >&2; exit 1; }
command -v npm >/dev/null || { echo "Node.js 20.19+ and npm are missing: install them first." >&2; exit 1; }

# npm ci only when node_modules is older than the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ "$mode" = test ] && ! command -v tauri-driver >/dev/null 2>&1; then
  echo "==> cargo install tauri-driver"
  cargo install tauri-driver --locked --quiet
fi
