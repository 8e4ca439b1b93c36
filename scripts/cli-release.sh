#!/usr/bin/env bash
# `make cli-release`: the command line alone, statically linked (glibc, OpenSSL, zlib and libdbus
# built in; no GUI libraries, nothing to install beside it), for CI images. Then it is run in an
# empty root (as root: chroot into a folder holding only the binary) to show it needs nothing:
# --version, demo, --json matrix, --json verify.
set -euo pipefail
cd "$(dirname "$0")/.."
target=x86_64-unknown-linux-gnu
out="target/static/$target/release/wheelhouse"

echo "==> static release build of the CLI ($target, crt-static)"
# --target keeps build scripts and proc-macros dynamic; only the CLI is linked statically.
# libdbus is built from its source (vendored-dbus): the system's static one needs libsystemd.
RUSTFLAGS="-C target-feature=+crt-static" OPENSSL_STATIC=1 PKG_CONFIG_ALL_STATIC=1 \
  cargo build --release --locked -p wheelhouse-cli --features vendored-dbus \
  --target "$target" --target-dir target/static

file "$out" | grep -q "static" || { echo "cli-release: $out is not statically linked" >&2; exit 1; }
printf '==> %s: %.1f MB, statically linked\n' "$out" "$(echo "$(stat -c %s "$out") / 1000000" | bc -l)"

if [ "$(id -u)" = 0 ]; then
  root="$(mktemp -d)"
  trap 'rm -rf "$root"' EXIT
  mkdir -p "$root/tmp" "$root/work"
  cp "$out" "$root/wheelhouse"
  echo "==> run in an empty root (only the binary)"
  chroot "$root" /wheelhouse --version
  chroot "$root" /wheelhouse --json demo /work/demo >/dev/null
  chroot "$root" /wheelhouse --json matrix --repo /work/demo/acme-gitops | grep -q '"environments"'
  chroot "$root" /wheelhouse --json verify --repo /work/demo/acme-gitops HEAD~1..HEAD >/dev/null || true
  echo "    --version, demo, matrix and verify ran with nothing else in the root"
fi
