#!/usr/bin/env bash
# `make package`: release builds of the app and the CLI, bundled by Tauri as a .deb and an .rpm
# (target/release/bundle/{deb,rpm}/) holding the app with its desktop entry and icons, the CLI at
# /usr/bin/wheelhouse, its manual pages and its bash, zsh and fish completions. Offline: Tauri's
# bundler writes both formats itself (AppImage is not made: its tools are downloaded at build
# time, which these machines cannot do).
set -euo pipefail
cd "$(dirname "$0")/.."

extra=target/package-extra
rm -rf "$extra"
mkdir -p "$extra/man" "$extra/completions"

echo "==> release build of the CLI"
cargo build --release --locked -p wheelhouse-cli
cli=target/release/wheelhouse
"$cli" man "$extra/man"
gzip -9n "$extra"/man/*.1
"$cli" completions bash >"$extra/completions/wheelhouse"
"$cli" completions zsh >"$extra/completions/_wheelhouse"
"$cli" completions fish >"$extra/completions/wheelhouse.fish"

echo "==> release build of the app, bundled (the UI is built first by tauri.conf.json)"
rm -rf target/release/bundle
npx --no-install tauri build --ci --bundles deb,rpm --config src-tauri/package.conf.json

ls -l target/release/bundle/deb/*.deb target/release/bundle/rpm/*.rpm
