#!/usr/bin/env bash
# Builds the playground into dist/: a plain static folder (index.html, www/, pkg/,
# pkg-relaxed/) that any static host can serve.
#
# The core is built three times, because wasm has no run-time feature detection:
#   dist/pkg/          +simd128                 every browser of the last years
#   dist/pkg-relaxed/  +simd128,+relaxed-simd   fused multiply-add in the matrix kernel
#   dist/pkg-threads/  the same, +atomics       shared memory: helper threads share each step
# www/engine.js loads the second where the browser validates relaxed SIMD, and a training
# worker the third when its run gets more than one core (cross-origin isolated pages only).
# The third needs the standard library rebuilt with atomics: -Z build-std, on the pinned
# nightly toolchain (scripts/setup.sh); the other two build on stable. Each build has its
# own --target-dir, so switching flags never throws another's cache away.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh build

# npm's binaryen only: Debian's wasm-opt (v108) emits a module that fails to load.
wasm_opt=node_modules/binaryen/bin/wasm-opt
wasm_features=(--enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue)

# build <target dir> <out dir> [extra wasm-opt features…]; target features: .cargo/config.toml
# (+simd128), or CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS when set;
# TOOLCHAIN and BUILD_STD: the threaded build's pinned nightly and its -Z build-std.
build() {
  local target_dir=$1 out=$2
  shift 2
  cargo ${TOOLCHAIN:+"+$TOOLCHAIN"} build --release --target wasm32-unknown-unknown --lib --target-dir "$target_dir" \
    ${BUILD_STD:+-Z build-std=std,panic_abort}
  wasm-bindgen --target web --no-typescript --out-dir "$out" \
    "$target_dir/wasm32-unknown-unknown/release/squares_playground.wasm"
  if [ -x "$wasm_opt" ]; then
    "$wasm_opt" -O3 "${wasm_features[@]}" "$@" "$out/squares_playground_bg.wasm" -o "$out/squares_playground_bg.wasm"
  fi
}

rm -rf dist
mkdir -p dist
build target dist/pkg
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=+simd128,+relaxed-simd" \
  build target/relaxed dist/pkg-relaxed --enable-relaxed-simd
# Shared, imported memory (the helpers instantiate the module on it), up to 1 GiB, and the
# thread-local storage exports wasm-bindgen's glue uses to give each thread its own.
threads_flags="-C target-feature=+simd128,+relaxed-simd,+atomics,+bulk-memory,+mutable-globals"
for arg in --shared-memory --import-memory --max-memory=1073741824 \
  --export=__wasm_init_tls --export=__tls_size --export=__tls_align --export=__tls_base; do
  threads_flags+=" -C link-arg=$arg"
done
TOOLCHAIN=$(bash scripts/setup.sh nightly-name) BUILD_STD=1 \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$threads_flags" \
  build target/threads dist/pkg-threads --enable-relaxed-simd --enable-threads
cp index.html dist/
cp -r www dist/www
size() { wc -c < "dist/$1/squares_playground_bg.wasm"; }
echo "built dist/ ($(du -sh dist | cut -f1); wasm: simd128 $(size pkg) bytes, relaxed-simd $(size pkg-relaxed) bytes," \
  "threads $(size pkg-threads) bytes)"
