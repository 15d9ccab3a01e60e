#!/usr/bin/env bash
# Builds the playground into dist/: a plain static folder (index.html, www/, pkg/) that
# any static host can serve.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh build

cargo build --release --target wasm32-unknown-unknown --lib
rm -rf dist
mkdir -p dist/pkg
wasm-bindgen --target web --no-typescript --out-dir dist/pkg \
  target/wasm32-unknown-unknown/release/squares_playground.wasm
# npm's binaryen only: Debian's wasm-opt (v108) emits a module that fails to load.
wasm_opt=node_modules/binaryen/bin/wasm-opt
if [ -x "$wasm_opt" ]; then
  "$wasm_opt" -O3 --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
    dist/pkg/squares_playground_bg.wasm -o dist/pkg/squares_playground_bg.wasm
fi
cp index.html dist/
cp -r www dist/www
echo "built dist/ ($(du -sh dist | cut -f1); wasm $(wc -c < dist/pkg/squares_playground_bg.wasm) bytes)"
