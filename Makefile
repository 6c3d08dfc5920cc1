# Keyward: every set-up step lives here, so a fresh Debian/Ubuntu machine needs only
# `make run` (build and open the app) and `make test` (every test layer).
SHELL := /bin/bash
.DEFAULT_GOAL := help

APT_PACKAGES := libwebkit2gtk-4.1-dev ca-certificates build-essential pkg-config curl file libxdo-dev libssl-dev libsqlite3-dev \
	libayatana-appindicator3-dev librsvg2-dev xvfb xauth imagemagick webkit2gtk-driver dbus-x11 \
	gnome-keyring libsecret-tools chromium sqlite3 xclip xdotool procps \
	man-db desktop-file-utils systemd
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APP_BIN := target/debug/keyward-app
CLI_BIN := target/debug/keyward
SANDBOX_BIN := target/debug/keyward-sandbox
VENV := tests/e2e/.venv
CARGO_BIN := $(HOME)/.cargo/bin

.PHONY: contracts check-contracts check-layers test-lint help fuzz bench deps deps-apt deps-npm deps-driver deps-py ui app run demo test test-inner \
	test-bindings test-rust test-ui test-e2e test-package package lint bindings clean

help:
	@echo "make run    build Keyward (release) and open it (installs what is missing)"
	@echo "make demo   Keyward against the local sandbox, in a throwaway data dir and keychain"
	@echo "make test   every test layer: core, shell, UI, journeys through the real app, the installed .deb"
	@echo "make package  a release .deb in target/deb/bundle/deb (app, CLI, completions, man pages)"

deps: deps-apt deps-npm

deps-apt:
	@dpkg -s $(APT_PACKAGES) >/dev/null 2>&1 || { \
		echo "Installing Debian packages…"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(APT_PACKAGES); }

ui/node_modules/.package-lock.json: ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund
	@touch $@

deps-npm: ui/node_modules/.package-lock.json

deps-driver:
	@command -v tauri-driver >/dev/null 2>&1 || [ -x $(CARGO_BIN)/tauri-driver ] || \
		cargo install tauri-driver --locked --version "^2"

$(VENV)/.installed: tests/e2e/requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q -r tests/e2e/requirements.txt
	@touch $@

deps-py: $(VENV)/.installed

ui: deps-npm
	cd ui && npm run build

# The app binary serves the built UI (custom-protocol), as a release would.
app: deps ui
	cargo build -p keyward-app -p keyward-cli -p keyward-sandbox --features keyward-app/custom-protocol

# A person's build is a release build: a debug build opens WebKit's inspector, from which a
# page script (or anyone at the keyboard) can call every command.
run: deps ui
	cargo build --release -p keyward-app -p keyward-cli --features keyward-app/custom-protocol
	target/release/keyward-app

# A release .deb (Tauri's bundler, its CLI pinned in ui/package-lock.json): the app and the CLI
# from one cargo build, the desktop entry, icons, completions, man pages and the notices timer.
# The deb profile (Cargo.toml) keeps it to minutes on two cores.
package: deps ui
	cd src-tauri && ../ui/node_modules/.bin/tauri build --ci --bundles deb --config tauri.package.conf.json \
		-- --profile deb -p keyward-app -p keyward-cli
	@ls -l target/deb/bundle/deb/*.deb

demo: app
	tests/demo.sh

# Everything in ui/src/lib/bindings is generated: a type renamed in Rust leaves no file behind.
bindings:
	rm -rf ui/src/lib/bindings
	cargo test -q -p keyward-core -p keyward-app --lib export_bindings

test: deps deps-driver deps-py ui
	tests/with-keychain.sh $(MAKE) --no-print-directory test-inner

test-inner: check-contracts check-layers test-lint test-bindings test-rust test-ui test-e2e test-package

# Clippy, with every warning an error, is the compiler of the workspace's own crates in every
# build `make test` does (what `cargo clippy` sets up, but for a real build instead of a check):
# the lints cost no second compile of every dependency, which took minutes on two cores.
CLIPPY_DRIVER := $(shell rustc --print sysroot 2>/dev/null)/bin/clippy-driver
test-inner: export RUSTC_WORKSPACE_WRAPPER := $(CLIPPY_DRIVER)
test-inner: export CLIPPY_ARGS := -D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__

# The house style (rustfmt.toml); clippy runs in the builds (above), `make lint` on its own.
test-lint:
	@cargo fmt --version >/dev/null 2>&1 && [ -x "$(CLIPPY_DRIVER)" ] || \
		{ echo "rustfmt or clippy is not part of this toolchain (rustup component add rustfmt clippy)"; exit 1; }
	cargo fmt --all --check

lint:
	cargo fmt --all --check
	cargo clippy -q --workspace --all-targets --features keyward-app/custom-protocol -- -D warnings

# The core's modules import one way (DESIGN.md): a cycle among them fails here.
check-layers:
	@python3 tests/tools/test_module_cycles.py >/dev/null || python3 tests/tools/test_module_cycles.py
	python3 tests/tools/module_cycles.py crates/keyward-core/src

# The services' contracts the tests hold Keyward to live in tests/contracts, so a clone stands
# alone; `make contracts` copies them again from ../shared/api when the services change. A
# difference is said, not failed: the tests pass against the copy they were written for.
contracts:
	for s in braintrust respan barndoor; do mkdir -p tests/contracts/$$s && cp ../shared/api/$$s/openapi.yaml tests/contracts/$$s/; done
	cp ../shared/api/README.md tests/contracts/README.shared.md

check-contracts:
	@if [ -d ../shared/api ]; then \
		for s in braintrust respan barndoor; do \
			cmp -s ../shared/api/$$s/openapi.yaml tests/contracts/$$s/openapi.yaml || \
				echo "note: ../shared/api/$$s/openapi.yaml differs from tests/contracts; run 'make contracts' and adapt Keyward"; \
		done; \
	fi

# The UI's TypeScript types are generated from Rust; a drift between the two fails here.
test-bindings:
	@rm -rf .tmp/bindings && mkdir -p .tmp/bindings
	TS_RS_EXPORT_DIR=$(CURDIR)/.tmp/bindings cargo test -q -p keyward-core -p keyward-app --lib export_bindings >/dev/null
	@diff -ru ui/src/lib/bindings .tmp/bindings || { echo "ui/src/lib/bindings is stale: run 'make bindings' and commit."; exit 1; }
	@echo "bindings: up to date"

test-rust:
	KEYWARD_REAL_KEYCHAIN=1 cargo test --workspace --features keyward-app/custom-protocol

test-ui:
	cd ui && npm run check && npm test

test-e2e: app
	tests/e2e/run.sh

# The .deb installed with apt-get, checked, driven through one journey, then removed.
test-package: package app deps-py deps-driver
	tests/package/run.sh

# Speed and size against the bare Tauri floor; prints the table and updates tests/bench/results.md.
bench: deps deps-npm
	tests/bench/run.sh

# libFuzzer over every response parser, 10 minutes a target (FUZZ_SECONDS to change).
fuzz: deps-apt
	tests/fuzz.sh

clean:
	cargo clean
	rm -rf ui/dist ui/node_modules $(VENV) .tmp
