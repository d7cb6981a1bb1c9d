#!/usr/bin/env bash
# Installs everything the build and the tests need, on a fresh machine that has only rustup
# (stable), node/npm, python3 and apt, running as root. Idempotent: every step first checks
# whether the right version is already there and skips if so, so CI can call it on every run.
#
# Only package registries are reachable (crates.io, npm, PyPI, Debian) plus `rustup target add`;
# see /work/shared/TOOLCHAIN.md (copied facts below) for why each step is done the way it is.
# Everything goes to standard places: ~/.cargo/bin, /usr/bin (apt), ./node_modules.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO_ROOT=$PWD

# Exact versions. Trunk 0.22.x needs a newer rustc than we have; 0.21.14 is the last that builds.
TRUNK_VERSION=0.21.14
# The webpki-roots version the registry actually has (wasm-bindgen-cli's lockfile pins a newer one).
WEBPKI_ROOTS_FALLBACK=1.0.10

export CARGO_HOME=${CARGO_HOME:-$HOME/.cargo}
export PATH="$CARGO_HOME/bin:$PATH"

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
skip() { printf '    %s (skipped)\n' "$*"; }
die() {
    printf '\n\033[31mERROR: %s\033[0m\n' "$*" >&2
    exit 1
}
trap 'die "setup.sh failed at line $LINENO: $BASH_COMMAND"' ERR

for tool in rustup cargo node npm; do
    command -v "$tool" >/dev/null || die "$tool is not installed; it is a prerequisite of this script"
done

# Runs a command as root: directly when we are root (CI), through sudo otherwise.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo "$@"
    else
        die "need root (or sudo) to run: $*"
    fi
}

# --- 1. The wasm32 target ----------------------------------------------------------------
say "Rust target wasm32-unknown-unknown"
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    skip "already installed"
else
    rustup target add wasm32-unknown-unknown
fi

# --- 2. Trunk --------------------------------------------------------------------------------
say "trunk $TRUNK_VERSION"
if [ "$(trunk --version 2>/dev/null || true)" = "trunk $TRUNK_VERSION" ]; then
    skip "trunk $TRUNK_VERSION is on PATH"
else
    echo "    building from crates.io (about 7 minutes on 2 cores)"
    cargo install --locked trunk --version "$TRUNK_VERSION"
fi

# --- 3. wasm-bindgen-cli, same version as the wasm-bindgen crate in Cargo.lock ----------------
# The CLI and the crate must match exactly or the generated JS glue does not fit the wasm.
# Read it from the lockfile so it can never drift from what the app and tests compile against.
[ -f Cargo.lock ] || die "Cargo.lock is missing (it is committed; run from a full checkout)"
mapfile -t wb_versions < <(awk '
    /^\[\[package\]\]/ { name = "" }
    /^name = /         { name = $3 }
    /^version = / && name == "\"wasm-bindgen\"" { gsub(/"/, "", $3); print $3 }
' Cargo.lock)
[ "${#wb_versions[@]}" -eq 1 ] ||
    die "expected exactly one wasm-bindgen version in Cargo.lock, found: ${wb_versions[*]:-none}"
WB_VERSION=${wb_versions[0]}

say "wasm-bindgen-cli $WB_VERSION (from Cargo.lock)"
if [ "$(wasm-bindgen --version 2>/dev/null || true)" = "wasm-bindgen $WB_VERSION" ] &&
    [ "$(wasm-bindgen-test-runner --version 2>/dev/null || true)" = "wasm-bindgen-test-runner $WB_VERSION" ]; then
    skip "wasm-bindgen and wasm-bindgen-test-runner $WB_VERSION are on PATH"
else
    # A plain `cargo install --locked wasm-bindgen-cli` fails here: the crate's own lockfile pins a
    # webpki-roots release the registry does not have. Try it anyway (it works wherever the
    # registry is complete); when it fails it has at least unpacked the crate's source into
    # $CARGO_HOME/registry/src, which we then build with webpki-roots moved to a release that exists.
    if cargo install --locked wasm-bindgen-cli --version "$WB_VERSION"; then
        echo "    installed straight from crates.io"
    else
        echo "    plain install failed (expected without the full registry); using the lockfile workaround"
        src=$(find "$CARGO_HOME"/registry/src -maxdepth 2 -type d -name "wasm-bindgen-cli-$WB_VERSION" -print -quit 2>/dev/null || true)
        [ -n "$src" ] || die "cargo did not unpack wasm-bindgen-cli-$WB_VERSION into $CARGO_HOME/registry/src"
        build_dir=$(mktemp -d -t wasm-bindgen-cli.XXXXXX)
        # Not `trap ... EXIT`: keep the ERR trap above and clean up explicitly.
        cp -r "$src"/. "$build_dir"
        (
            cd "$build_dir"
            if grep -q '^name = "webpki-roots"' Cargo.lock; then
                cargo update -p webpki-roots --precise "$WEBPKI_ROOTS_FALLBACK"
            fi
            cargo install --locked --force --path .
        )
        rm -rf "$build_dir"
    fi
    [ "$(wasm-bindgen --version)" = "wasm-bindgen $WB_VERSION" ] ||
        die "wasm-bindgen on PATH is '$(wasm-bindgen --version)', expected $WB_VERSION"
fi

# --- 4. Chromium and its WebDriver, from Debian ---------------------------------------------
# Used headless by wasm-bindgen-test (through chromedriver) and by the end-to-end test
# (through playwright-core). Browser downloads from elsewhere (npx playwright install) fail here.
say "chromium + chromium-driver (apt)"
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    skip "/usr/bin/chromium and /usr/bin/chromedriver exist"
else
    command -v apt-get >/dev/null || die "apt-get not found: install Chromium and chromedriver by hand"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver
fi
# The Debian wrapper script prints a harmless shell warning on stderr; keep only the version line.
echo "    $(/usr/bin/chromium --version 2>/dev/null)"
echo "    $(/usr/bin/chromedriver --version 2>/dev/null | cut -d' ' -f1-2)"

# --- 5. npm packages: wasm-opt (binaryen), esbuild, Zopfli, playwright-core ------------------------------
# Debian's binaryen is too old for current wasm-bindgen output; npm's binaryen@132 works.
# `npm ci` installs exactly package-lock.json. The stamp (a hash of the lockfile) lets
# reruns skip it when node_modules already matches.
say "npm packages (package-lock.json)"
[ -f package-lock.json ] || die "package-lock.json is missing (it is committed)"
stamp=node_modules/.setup-stamp
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
    [ -x node_modules/.bin/wasm-opt ] && [ -d node_modules/playwright-core ]; then
    skip "node_modules matches package-lock.json"
else
    npm ci --no-audit --no-fund
    echo "$want" >"$stamp"
fi
wasm_opt_version=$(node_modules/.bin/wasm-opt --version)
echo "    $wasm_opt_version"
case "$wasm_opt_version" in
*"version 132"*) ;;
*) die "node_modules/.bin/wasm-opt is not binaryen 132: $wasm_opt_version" ;;
esac

say "setup complete"
printf '    %s\n' "$(rustc --version)" "$(trunk --version)" "$(wasm-bindgen --version)" \
    "node $(node --version)" "repo: $REPO_ROOT"
