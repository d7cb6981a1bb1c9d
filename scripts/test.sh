#!/usr/bin/env bash
# THE test command (CI runs it through .ci/run). From a fresh clone on a fresh machine:
#   1. setup        scripts/setup.sh: wasm target, trunk, wasm-bindgen-cli, chromium, npm packages
#   2. fetch        cargo fetch --locked: the only step that downloads crates (Trunk builds offline)
#   3. engine-deps  the engine (crate moviematch) has no web dependency, as a build fact:
#                   `cargo tree` for the host and for wasm32 finds none of yew, web-sys, js-sys,
#                   gloo, wasm-bindgen among its normal dependencies
#      native       cargo test --workspace: engine, app (host-side unit tests), tools, pkg
#   4. wasm         the engine's wasm-bindgen-tests in headless Chromium (tests/*.rs that call
#                   wasm_bindgen_test_configure!(run_in_browser))
#      wasm-bench   tests/wasm_bench.rs in release wasm: scoring speed (printed, not asserted)
#      pkg          pkg/build.sh + pkg/test/browser.mjs: the JS package (wasm-bindgen --target web)
#                   rebuilt into pkg/dist and used from a plain module script in headless Chromium
#   5. build        trunk build --release: the real site in dist/
#   6. e2e          tests/e2e/app.spec.mjs: the built site in headless Chromium via playwright-core
# Prints a summary with the time of each stage; exits non-zero if anything failed. Stages 3–5
# run even when an earlier one of them fails, so one run reports every broken layer; setup and
# fetch failures stop everything, and e2e needs the build.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_HOME=${CARGO_HOME:-$HOME/.cargo}
# ~/.cargo/bin: trunk, wasm-bindgen, wasm-bindgen-test-runner. node_modules/.bin: wasm-opt 132
# (Trunk's release build runs it; Debian's binaryen is too old).
export PATH="$PWD/node_modules/.bin:$CARGO_HOME/bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
ARTIFACTS=tests/artifacts
mkdir -p "$ARTIFACTS"

names=() results=() secs=()
overall=0

# run_stage NAME CMD...: runs CMD with errexit working inside it (a function called from an
# `if` would silently lose `set -e`), records PASS/FAIL and the time taken.
run_stage() {
    local name=$1 rc start
    shift
    printf '\n\033[1m======== %s: %s ========\033[0m\n' "$name" "$*"
    start=$SECONDS
    set +e
    (
        set -e
        "$@"
    )
    rc=$?
    set -e
    names+=("$name")
    secs+=($((SECONDS - start)))
    if [ "$rc" -eq 0 ]; then
        results+=(PASS)
    else
        results+=("FAIL (exit $rc)")
        overall=1
    fi
    return 0
}

skip_stage() {
    names+=("$1")
    secs+=(0)
    results+=("SKIPPED ($2)")
    overall=1
}

last_passed() { [ "${results[-1]}" = PASS ]; }

summary() {
    printf '\n\033[1m======== summary ========\033[0m\n'
    local i total=0
    for i in "${!names[@]}"; do
        printf '  %-10s %-22s %5ss\n' "${names[$i]}" "${results[$i]}" "${secs[$i]}"
        total=$((total + secs[i]))
    done
    printf '  %-10s %-22s %5ss\n' total "" "$total"
    if [ -f "$ARTIFACTS/wasm_bench.log" ]; then
        grep -E '^bench: ' "$ARTIFACTS/wasm_bench.log" | sed 's/^/  measurement: /' || true
    fi
    if [ -f "$ARTIFACTS/pkg.log" ]; then
        # The JS package's sizes and timings (pkg_…=N lines).
        grep -E '^pkg_[a-z_]+=[0-9]+$' "$ARTIFACTS/pkg.log" | sed 's/^/  measurement: /' || true
    fi
    if [ -f "$ARTIFACTS/e2e.log" ]; then
        # Measurements the e2e test prints as key=value lines.
        grep -E '^[a-z_][a-z0-9_]*=[0-9]+$' "$ARTIFACTS/e2e.log" | sed 's/^/  measurement: /' || true
    fi
    if [ "$overall" -eq 0 ]; then
        printf '\n\033[32mALL PASSED\033[0m\n'
    else
        printf '\n\033[31mFAILED\033[0m\n'
    fi
}

# --- stages ----------------------------------------------------------------------------------

engine_has_no_web_dependency() {
    local target deps bad
    for target in "$(rustc -vV | sed -n 's/^host: //p')" wasm32-unknown-unknown; do
        # Every normal dependency of the engine, one "name vX.Y.Z" per line.
        deps=$(cargo tree --locked -p moviematch -e normal --all-features --target "$target" \
            --prefix none --no-dedupe)
        [ -n "$deps" ] || { echo "cargo tree printed nothing for $target" >&2; return 1; }
        bad=$(grep -E '^(yew|web-sys|js-sys|gloo|wasm-bindgen)( |-)' <<<"$deps" | sort -u || true)
        if [ -n "$bad" ]; then
            printf 'the engine depends on web crates for %s:\n%s\n' "$target" "$bad" >&2
            return 1
        fi
        echo "engine (moviematch) for $target: $(sort -u <<<"$deps" | wc -l) crates, none of yew, web-sys, js-sys, gloo, wasm-bindgen"
    done
}

wasm_tests() {
    # Every integration test that runs in the browser; plain host `cargo test` compiles them to
    # nothing (they are gated with #![cfg(target_arch = "wasm32")]).
    local files=() f
    mapfile -t files < <(grep -l 'wasm_bindgen_test_configure!(run_in_browser)' tests/*.rs | grep -v wasm_bench)
    [ "${#files[@]}" -gt 0 ] || { echo "no browser tests found in tests/*.rs" >&2; return 1; }
    local args=()
    for f in "${files[@]}"; do
        args+=(--test "$(basename "$f" .rs)")
    done
    # The runner reads ./webdriver.json (Chromium flags) and $CHROMEDRIVER.
    cargo test --locked --target wasm32-unknown-unknown "${args[@]}"
}

wasm_bench() {
    # Release wasm, as the site ships it; prints medians (never asserted), kept for the summary.
    cargo test --locked --release --target wasm32-unknown-unknown --test wasm_bench -- --nocapture \
        2>&1 | tee "$ARTIFACTS/wasm_bench.log"
    return "${PIPESTATUS[0]}"
}

pkg_test() {
    # The package is rebuilt here (pkg/dist is not committed), then tested in Chromium.
    pkg/build.sh
    node pkg/test/browser.mjs 2>&1 | tee "$ARTIFACTS/pkg.log"
    return "${PIPESTATUS[0]}"
}

trunk_build() {
    [ -f web/model.bin ] || {
        echo "web/model.bin is missing: the site needs the default model bundle (built by tools train)" >&2
        return 1
    }
    # --offline: only package registries are reachable, so Trunk must not try to download tools;
    # it uses wasm-bindgen from ~/.cargo/bin and wasm-opt from node_modules/.bin (versions pinned
    # in Trunk.toml). Offline also makes its cargo offline, hence the fetch stage.
    trunk build --release --skip-version-check --offline
}

e2e() {
    node tests/e2e/app.spec.mjs 2>&1 | tee "$ARTIFACTS/e2e.log"
}

rm -f "$ARTIFACTS/e2e.log" "$ARTIFACTS/pkg.log"

run_stage setup scripts/setup.sh
if ! last_passed; then
    summary
    exit 1
fi
run_stage fetch cargo fetch --locked
if ! last_passed; then
    summary
    exit 1
fi
run_stage engine-deps engine_has_no_web_dependency
run_stage native cargo test --locked --workspace
run_stage wasm wasm_tests
run_stage wasm-bench wasm_bench
run_stage pkg pkg_test
run_stage build trunk_build
if last_passed; then
    run_stage e2e e2e
else
    skip_stage e2e "build failed"
fi

summary
exit "$overall"
