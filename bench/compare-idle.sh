#!/usr/bin/env bash
# Wheelhouse on the demo workspace vs a minimal Tauri 2 app (one window, one static page), same
# machine, same run: idle PSS after 10 s and time to first painted frame. The minimal app is
# generated in target/bench-minimal and built into the shared target/ (same tauri version).
#
#   bench/compare-idle.sh                    # after `make build`
#   PROFILE=release bench/compare-idle.sh    # after `make package`: both built in release
set -euo pipefail
profile="${PROFILE:-debug}"
flag=""
[ "$profile" = release ] && flag="--release"
cd "$(dirname "$0")/.."
root=$PWD
min="$root/target/bench-minimal"
mkdir -p "$min/src" "$min/dist" "$min/icons"
cp icons/32x32.png icons/128x128.png icons/icon.png "$min/icons/"
tauri_version=$(cargo metadata --format-version 1 --locked 2>/dev/null \
  | python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"]=="tauri"))')
cat >"$min/Cargo.toml" <<TOML
[package]
name = "minimal-tauri"
version = "0.1.0"
edition = "2021"
[workspace]
[build-dependencies]
tauri-build = "2"
[dependencies]
tauri = { version = "=$tauri_version", features = ["custom-protocol"] }
TOML
cp Cargo.lock "$min/Cargo.lock"
echo 'fn main() { tauri_build::build() }' >"$min/build.rs"
echo 'fn main() { tauri::Builder::default().run(tauri::generate_context!()).expect("run"); }' >"$min/src/main.rs"
echo '<!doctype html><html><body><h1>Hello from a minimal Tauri app</h1></body></html>' >"$min/dist/index.html"
cat >"$min/tauri.conf.json" <<JSON
{"productName":"minimal","version":"0.1.0","identifier":"dev.example.minimal",
 "build":{"frontendDist":"dist"},
 "app":{"windows":[{"title":"minimal","width":1280,"height":800}]},
 "bundle":{"icon":["icons/32x32.png","icons/128x128.png","icons/icon.png"]}}
JSON
(cd "$min" && CARGO_TARGET_DIR="$root/target" cargo build --quiet $flag)

demo="$root/target/bench-demo"
rm -rf "$demo" && "target/$profile/wheelhouse" demo "$demo" >/dev/null
echo "minimal:    $(bench/idle-memory.sh "$root/target/$profile/minimal-tauri")"
# The same bare app told to composite in software, as Wheelhouse does on a machine without a GPU
# render node (src-tauri/src/platform.rs): the comparison on equal terms.
echo "minimal-software: $(WEBKIT_DISABLE_COMPOSITING_MODE=1 bench/idle-memory.sh "$root/target/$profile/minimal-tauri")"
echo "wheelhouse: $(bench/idle-memory.sh "$root/target/$profile/wheelhouse-app" --repo "$demo/acme-gitops")"
