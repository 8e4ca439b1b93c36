# Wheelhouse: `make run` opens the app on the demo workspace; `make test` runs every check.
# One debug build with the features the tests need (the UI embedded), kept in target/.

SHELL := /bin/bash
FEATURES := --features custom-protocol
APP := target/debug/wheelhouse-app
CLI := target/debug/wheelhouse
DEMO_DIR := target/demo

.PHONY: run test deps deps-test ui build lint unit browser e2e types clean-demo corpus-goldens package package-test cli-release

run: deps ui build
	@if [ ! -d $(DEMO_DIR)/acme-gitops ]; then $(CLI) demo $(DEMO_DIR); fi
	$(APP) --repo $(DEMO_DIR)/acme-gitops

test: deps-test ui lint unit browser build e2e
	@echo "make test: all checks passed"

deps:
	@scripts/deps.sh run

deps-test:
	@scripts/deps.sh test

ui:
	npm --prefix ui run build --silent

build:
	cargo build --workspace $(FEATURES)

lint:
	cargo fmt --all --check
	scripts/module-cycles.py
	cargo clippy --workspace --all-targets $(FEATURES) -- -D warnings
	npm --prefix ui run check

# Rust tests run inside a D-Bus session with an unlocked GNOME Keyring: the credential tests use
# the real Secret Service, never a mock.
unit:
	scripts/with-keyring.sh cargo test --workspace $(FEATURES)
	npm --prefix ui test

# The status page export in headless Chromium (no display): XSS corpus, axe-core. Needs the CLI.
browser: build
	scripts/browser-tests.sh

e2e:
	scripts/e2e.sh

# Rewrites ui/src/lib/generated/types.ts from the Rust types (the unit tests fail when it is stale).
types:
	WHEELHOUSE_WRITE_TYPES=1 cargo test --lib -p wheelhouse-app $(FEATURES) generated_typescript_is_fresh

# Rewrites the differential corpus's golden renders with the real Kustomize (kubectl on PATH).
corpus-goldens:
	WHEELHOUSE_WRITE_CORPUS=1 cargo test -p wheelhouse-desired-state --test corpus goldens_are_what_kubectl_kustomize_prints

# Release builds of the app and the CLI as .deb and .rpm (target/release/bundle/), see scripts/package.sh.
package: deps
	scripts/package.sh

# The .deb installed with apt into a clean Debian root, run there (CLI and app), removed. Root.
package-test:
	scripts/package-test.sh

# The CLI alone, statically linked, for CI images (docs/ci.md); run in an empty root when root.
cli-release:
	scripts/cli-release.sh

clean-demo:
	rm -rf $(DEMO_DIR)
