#!/usr/bin/env bash
# Benchmarks: native sgemm and training throughput and a sweep's speed-up over one thread
# (cargo bench), then in headless Chromium our two wasm builds (SIMD128, relaxed SIMD) vs
# TensorFlow.js (cpu and wasm backends), the page's timings, its gzipped size and a memory
# soak (SOAK_SECONDS, default 60; BENCH_RUNS, default 3; BENCH_PARTS to pick). Prints
# figures only.
#   BENCH_BASELINE=<folder with another build's squares_playground.js and _bg.wasm>
#   (BENCH_BASELINE_NAME=label) times that build too, in the same pages.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

echo "== native (cargo bench)"
cargo bench --bench sgemm --bench throughput
echo "== native sweep speed-up (cargo bench)"
cargo bench --bench sweep

bash scripts/build-web.sh
# The peers: TensorFlow.js and its wasm backend, installed only for the benchmark.
if [ ! -f bench/node_modules/.package-lock.json ] || ! cmp -s bench/package-lock.json bench/node_modules/.bench-lock; then
  (cd bench && npm ci --no-audit --no-fund && cp package-lock.json node_modules/.bench-lock)
fi
site=target/bench-site
rm -rf "$site"
cp -r dist "$site"
mkdir -p "$site/bench/vendor"
cp bench/index.html bench/bench.js bench/threads-worker.js "$site/bench/"
tfjs=bench/node_modules/@tensorflow
cp "$tfjs/tfjs/dist/tf.min.js" "$tfjs/tfjs-backend-wasm/dist/tf-backend-wasm.min.js" \
  "$tfjs"/tfjs-backend-wasm/dist/*.wasm "$site/bench/vendor/"
if [ -n "${BENCH_BASELINE:-}" ]; then
  mkdir -p "$site/bench/baseline"
  cp "$BENCH_BASELINE"/squares_playground.js "$BENCH_BASELINE"/squares_playground_bg.wasm "$site/bench/baseline/"
fi
echo "== browser"
node bench/run.mjs
