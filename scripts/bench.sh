#!/usr/bin/env bash
# Benchmarks: native training throughput and a sweep's speed-up over one thread (cargo
# bench), then in headless Chromium our wasm trainer vs TensorFlow.js (cpu and wasm
# backends), the page's timings, its gzipped size and a memory soak (SOAK_SECONDS, default
# 60; BENCH_RUNS, default 3). Prints figures only.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

echo "== native (cargo bench)"
cargo bench --bench throughput
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
cp bench/index.html bench/bench.js "$site/bench/"
tfjs=bench/node_modules/@tensorflow
cp "$tfjs/tfjs/dist/tf.min.js" "$tfjs/tfjs-backend-wasm/dist/tf-backend-wasm.min.js" \
  "$tfjs"/tfjs-backend-wasm/dist/*.wasm "$site/bench/vendor/"
echo "== browser"
node bench/run.mjs
