#!/usr/bin/env bash
# Builds the playground and serves it on 127.0.0.1 (PORT, default 8000).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-web.sh
port="${PORT:-8000}"
echo "Squares Playground: http://127.0.0.1:${port}/"
# Our own small server: the plain http.server cannot send the cross-origin isolation
# headers that let one run train on every core (scripts/serve.py).
exec python3 scripts/serve.py dist "$port"
