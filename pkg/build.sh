#!/usr/bin/env bash
# Builds the JS package into pkg/dist/ (not committed: this script, run by the test command,
# rebuilds it): the release wasm of the moviematch-js crate, wasm-bindgen's `--target web`
# glue (an ES module, no bundler needed) with its TypeScript declarations, then wasm-opt -Oz.
# Needs: the wasm32-unknown-unknown target, the wasm-bindgen CLI equal to Cargo.lock's
# wasm-bindgen (0.2.130), and wasm-opt 132 from npm binaryen (node_modules/.bin); see
# scripts/setup.sh. wasm-pack is not used: it downloads its own binaries, which fails offline.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$PWD/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

out=pkg/dist
target_dir=$(cargo metadata --format-version 1 --no-deps | node -e \
    'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
wasm="$target_dir/wasm32-unknown-unknown/release/moviematch_js.wasm"

cargo build --locked --release --target wasm32-unknown-unknown -p moviematch-js
rm -rf "$out"
wasm-bindgen --target web --out-dir "$out" --out-name moviematch "$wasm"
# The scoring kernel uses wasm SIMD (.cargo/config.toml); rustc also emits bulk memory,
# sign extension, non-trapping float-to-int, multivalue and reference types by default.
wasm-opt -Oz \
    --enable-simd --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int \
    --enable-mutable-globals --enable-multivalue --enable-reference-types \
    -o "$out/moviematch_bg.wasm.opt" "$out/moviematch_bg.wasm"
mv "$out/moviematch_bg.wasm.opt" "$out/moviematch_bg.wasm"
# The package's package.json is pkg/package.json (dist/ holds only generated files).
rm -f "$out/package.json" "$out/.gitignore"
ls -l "$out"
