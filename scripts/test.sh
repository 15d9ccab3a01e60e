#!/usr/bin/env bash
# Runs every test: native (cargo test), wasm in headless Chromium (wasm-bindgen-test),
# and the end-to-end browser tests of the built page (Playwright + Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

echo "== native tests"
cargo test

echo "== wasm tests (headless Chromium)"
# Only tests/web.rs targets wasm; the runner rejects --quiet, so no -q here.
cargo test --target wasm32-unknown-unknown --test web

echo "== end-to-end browser tests"
bash scripts/build-web.sh
node --test --test-concurrency=1 tests/e2e/
