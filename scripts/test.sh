#!/usr/bin/env bash
# Runs every test: native (cargo test), wasm in headless Chromium (wasm-bindgen-test),
# and the end-to-end browser tests of the built page (Playwright + Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

echo "== native tests"
cargo test

echo "== wasm tests (headless Chromium)"
# tests/web.rs, and the matrix kernel against its oracle in each of the page's two builds
# (the relaxed one in its own target dir, as build-web.sh keeps it). The runner rejects
# --quiet, so no -q here.
cargo test --target wasm32-unknown-unknown --test web --test gemm
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=+simd128,+relaxed-simd" \
  cargo test --target wasm32-unknown-unknown --test gemm --target-dir target/relaxed

echo "== end-to-end browser tests"
bash scripts/build-web.sh
node --test --test-concurrency=1 tests/e2e/
