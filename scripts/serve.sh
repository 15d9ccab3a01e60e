#!/usr/bin/env bash
# Builds the playground and serves it on 127.0.0.1 (PORT, default 8000).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-web.sh
port="${PORT:-8000}"
echo "Squares Playground: http://127.0.0.1:${port}/"
exec python3 -m http.server --bind 127.0.0.1 "$port" --directory dist
