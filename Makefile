# The two commands of the README: `make run` and `make test`. Both install what is missing first
# (scripts/setup.sh skips every step already done).

SHELL := /bin/bash
export PATH := $(CURDIR)/.tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
# Trunk would otherwise ask the network for a newer version.
export TRUNK_SKIP_VERSION_CHECK := true
export CHROMEDRIVER := /usr/bin/chromedriver
WASM_RUNNER := CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner WASM_BINDGEN_TEST_TIMEOUT=120

.PHONY: run report release setup-release test setup setup-build setup-lrs build dist test-native test-browser test-e2e lint bench screenshots

## Serve the player with the bundled courses at http://127.0.0.1:8080, and a local Ralph LRS
run: setup-build setup-lrs
	scripts/run.sh

## The campus figures from the local Ralph of `make run` (run it in another terminal meanwhile)
report: setup-build
	PARCOURS_LRS_USERNAME=parcours-dev PARCOURS_LRS_PASSWORD=parcours-dev-secret \
	  cargo run --quiet --locked --bin parcours -- report --endpoint http://127.0.0.1:8100/xAPI/

## Every test: native, browser (wasm-bindgen-test in headless Chromium), end-to-end (Chromium + chromedriver)
test: setup lint test-native test-browser test-e2e

setup:
	scripts/setup.sh all

setup-build:
	scripts/setup.sh build

setup-lrs:
	scripts/setup.sh lrs

## The release builds of the player (Trunk's hook runs the debug `parcours` for the catalog and the
## page's policy): the LMS package's, with SCORM 1.2 and cmi5, in target/lms-player/, then the
## site's in dist/ (last, so that target/ keeps its named wasm for `make bench`'s profile); then
## the release `parcours` binary, once, which embeds both
dist:
	trunk build --release --features player,lms --dist target/lms-player
	trunk build --release
	cargo build --release --bin parcours

## Property tests (tests/robustness.rs, src/safe_html): 4,000 generated cases per property
test-native:
	PROPTEST_CASES=4000 cargo test --locked

test-browser:
	$(WASM_RUNNER) cargo test --locked --target wasm32-unknown-unknown --test web

test-e2e: dist release
	.venv/bin/python -m pytest -q tests/e2e

## The artefacts a maintainer would publish (tar.gz + SHA-256, PyPI wheel, npm packages), in
## target/release-artifacts/, built and tested here, published nowhere (docs/contributing.md)
release: setup-release dist
	scripts/release.sh

setup-release:
	scripts/setup.sh release

lint:
	cargo fmt --all -- --check
	cargo clippy --locked --all-targets -- -D warnings
	cargo clippy --locked --target wasm32-unknown-unknown --lib --bins --test web --features player -- -D warnings
	cargo clippy --locked --target wasm32-unknown-unknown --lib --bins --features lms -- -D warnings

## Sizes of every shipped file, time to the first lesson text, GIFT parse and grade times (release build)
bench: setup dist
	cargo bench --locked --bench quiz
	cargo bench --locked --bench course
	cargo bench --locked --bench progress
	.venv/bin/python scripts/bench.py
	.venv/bin/python scripts/bench_report.py

## Refreshes the README's pictures in tests/screenshots/ (tests only ever write under target/)
screenshots: setup dist
	PARCOURS_SCREENSHOTS=$(CURDIR)/tests/screenshots .venv/bin/python -m pytest -q tests/e2e/test_a11y.py -k screenshots
	.venv/bin/python scripts/screenshot.py
