#!/usr/bin/env bash
# Keras parity: replays our runs exactly in real Keras (TensorFlow, CPU), trains the same
# runs in our native CLI and our wasm build, and prints one table of how closely they agree.
# It also rewrites tests/golden/ (Keras's results for the small runs `cargo test` checks)
# and docs/fidelity.md (the table, plus Keras's own random runs against ours over seeds).
#
#   bash scripts/keras-parity.sh                  everything (30–50 minutes on 2 cores)
#   PARITY_SEEDS=0 PARITY_SEEDS_BIG=0 bash …       no statistical part (15–20 minutes)
#   PARITY_CASES=relu-adam,dead-relus bash …      only those runs (golden files of the rest
#                                                 and docs/fidelity.md are left alone)
#   PARITY_SEEDS=10 PARITY_SEEDS_BIG=10           seeds per preset (small / 205k-parameter nets)
#   PARITY_REUSE=1                                reuse Keras results already on disk for the
#                                                 very same scripts (regenerate the report)
#   KERAS_PIP='tensorflow-cpu==2.21.0 keras==3.15.1'   what pip installs (these: the versions
#                                                 the committed golden files were made with)
#
# Not part of .ci/run: it installs TensorFlow (about 600 MB) and trains for a while.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[keras-parity] %s\n' "$*" >&2; }

# A virtual environment under target/ (git-ignored), made once.
venv=target/keras-venv
packages=${KERAS_PIP:-tensorflow-cpu==2.21.0 keras==3.15.1}
if ! "$venv/bin/python" -c 'import keras, tensorflow' 2>/dev/null; then
  say "creating $venv and installing $packages"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade pip
  # shellcheck disable=SC2086  # the list is meant to split into packages
  "$venv/bin/pip" install --quiet $packages || {
    say "pinned versions unavailable; installing the latest CPU TensorFlow and Keras 3"
    "$venv/bin/pip" install --quiet tensorflow-cpu 'keras>=3' || "$venv/bin/pip" install --quiet tensorflow 'keras>=3'
  }
fi
versions='import keras, tensorflow as tf; print("Keras", keras.__version__, "TensorFlow", tf.__version__)'
say "$("$venv/bin/python" -c "$versions" 2>/dev/null)"

# Ours: the native CLI, and the wasm build loaded by Node through the page's own glue.
bash scripts/setup.sh build >&2
say "building the native CLI and the wasm module"
cargo build --release --bin squares
cargo build --release --target wasm32-unknown-unknown --lib
wasm-bindgen --target web --no-typescript --out-dir target/parity/wasm \
  target/wasm32-unknown-unknown/release/squares_playground.wasm

cd scripts/parity
exec "../../$venv/bin/python" parity.py
