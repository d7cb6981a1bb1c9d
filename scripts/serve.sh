#!/usr/bin/env bash
# The "serve" command: installs what is missing, then serves the app with the default model
# bundle (web/model.bin) on http://127.0.0.1:${PORT:-8080}/.
#
#   scripts/serve.sh           trunk serve --release (rebuilds on change; reload the page by hand)
#   scripts/serve.sh --dist    trunk build --release once, then serve dist/ as plain static files
#                              (exactly what gets deployed; no Trunk dev server in the way)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_HOME=${CARGO_HOME:-$HOME/.cargo}
# ~/.cargo/bin for trunk and wasm-bindgen; node_modules/.bin for wasm-opt 132 (release builds).
export PATH="$PWD/node_modules/.bin:$CARGO_HOME/bin:$PATH"
PORT=${PORT:-8080}

scripts/setup.sh

[ -f web/model.bin ] || {
    echo "ERROR: web/model.bin is missing: the app loads it as its default model bundle" >&2
    exit 1
}

# Trunk runs offline (only package registries are reachable and it must not try to download
# tools), and offline also makes cargo offline: fetch every crate first.
echo "==> cargo fetch"
cargo fetch --locked

if [ "${1:-}" = "--dist" ]; then
    echo "==> trunk build --release"
    trunk build --release --skip-version-check --offline
    echo "==> serving dist/ on http://127.0.0.1:$PORT/"
    exec node tests/e2e/static-server.mjs dist "$PORT" /
fi

echo "==> trunk serve --release on http://127.0.0.1:$PORT/"
# --no-autoreload: Trunk would inject its live-reload script into each response after the
# post-build hook has hashed the page's inline scripts, and the Content-Security-Policy would
# (rightly) block it. Rebuilds still happen on save; reload the page by hand.
exec trunk serve --release --skip-version-check --offline --open=false --no-autoreload \
    --address 127.0.0.1 --port "$PORT"
