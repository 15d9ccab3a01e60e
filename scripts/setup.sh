#!/usr/bin/env bash
# Installs what the build and the tests need, only where it is missing (idempotent):
# the wasm32 target, the wasm-bindgen CLI at exactly the version in Cargo.lock, the npm
# test packages, and Debian's Chromium + ChromeDriver for the browser tests.
#   bash scripts/setup.sh          everything
#   bash scripts/setup.sh build    only what building the page needs
#   bash scripts/setup.sh nightly-name   prints the pinned nightly toolchain (and readies it)
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"

say() { printf '[setup] %s\n' "$*"; }

# The threaded wasm build rebuilds the standard library with atomics (-Z build-std), which
# only a nightly toolchain does: the one this machine kind carries, pinned by its full name
# (../shared/TOOLCHAIN.md), with its standard library's source and the wasm32 target.
NIGHTLY=nightly-x86_64-unknown-linux-gnu
if [ "$what" = nightly-name ]; then
  if ! rustup toolchain list | grep -q "^$NIGHTLY"; then
    echo "[setup] the threaded build needs the toolchain $NIGHTLY, which this machine lacks" >&2
    exit 1
  fi
  rustup component list --installed --toolchain "$NIGHTLY" | grep -q '^rust-src' ||
    rustup component add rust-src --toolchain "$NIGHTLY" >&2
  rustup target list --installed --toolchain "$NIGHTLY" | grep -qx wasm32-unknown-unknown ||
    rustup target add wasm32-unknown-unknown --toolchain "$NIGHTLY" >&2
  echo "$NIGHTLY"
  exit 0
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The CLI must match the wasm-bindgen crate exactly, or the generated glue will not load.
[ -f Cargo.lock ] || cargo generate-lockfile
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  say "installing wasm-bindgen-cli $want (found: ${have:-none}); takes a few minutes once"
  # --locked fails on some registry mirrors (its lockfile pins a crate they lack).
  cargo install wasm-bindgen-cli --version "$want" --locked || cargo install wasm-bindgen-cli --version "$want"
fi

# npm packages: binaryen's wasm-opt (Debian's older binaryen breaks the module) and
# playwright-core for the browser tests. Reinstalled when the lockfile changes.
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.setup-lock; then
  say "installing npm packages"
  npm ci --no-audit --no-fund
  cp package-lock.json node_modules/.setup-lock
fi

[ "$what" = build ] && exit 0

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  say "installing Debian chromium and chromium-driver"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver
fi
say "ok"
