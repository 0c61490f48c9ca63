#!/usr/bin/env bash
# The WebAssembly build, the JavaScript package and the playground page.
#
#   .ci/wasm.sh build     the one build command, from a fresh clone: installs
#                         the build's tools if missing (the rustup target,
#                         wasm-bindgen-cli at the exact version the wasm
#                         crate pins, npm ci), then builds the .wasm, its
#                         bindings into js/pkg/, and the page into web/
#   .ci/wasm.sh setup     the build's tools, plus Debian's chromium for tests
#   .ci/wasm.sh test      the node tests (js/test) and the browser test
#                         (js/browser), against the built package and page
#   .ci/wasm.sh ci        setup, build, the wasm crate's own checks, test
#
# From a fresh clone: `.ci/wasm.sh build`; then serve web/ with any static
# file server. Every step fails loudly: nothing is skipped. The build fails if
# the validation .wasm (js/pkg/helpscout_query_wasm_bg.wasm) is over 300 KB;
# the size of the customers .wasm, loaded only when first used, is reported.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TARGET=wasm32-unknown-unknown
CRATE=helpscout_query_wasm
# The second module's name: `customers` and `loadCustomers`.
CUSTOMERS=helpscout_query_customers
# The budget of issue 13 (bytes) for the validation .wasm, which every page
# loads: enforced. The customers .wasm, loaded on first use, is reported.
MAX_WASM=$((300 * 1024))

# The wasm-bindgen version pinned in wasm/Cargo.toml (`wasm-bindgen = "=X"`).
bindgen_version() {
    sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' wasm/Cargo.toml
}

build_tools() {
    rustup target add "$TARGET"
    local want
    want="$(bindgen_version)"
    [ -n "$want" ] || { echo "wasm.sh: no pinned wasm-bindgen version in wasm/Cargo.toml" >&2; exit 1; }
    if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
        cargo install --locked -j2 wasm-bindgen-cli --version "$want"
    fi
    if [ ! -d js/node_modules ]; then
        (cd js && npm ci --no-audit --no-fund)
    fi
}

setup() {
    build_tools
    if [ ! -x /usr/bin/chromium ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    fi
    /usr/bin/chromium --version
}

# `module FEATURE NAME`: the wasm crate built with only FEATURE, its bindings
# as js/pkg/NAME.js and js/pkg/NAME_bg.wasm, optimised by binaryen's wasm-opt.
module() {
    local feature=$1 name=$2
    (cd wasm && cargo build -j2 --locked --release --target "$TARGET" \
        --no-default-features --features "$feature")
    wasm-bindgen --target web --no-typescript --out-dir js/pkg --out-name "$name" \
        "wasm/target/$TARGET/release/$CRATE.wasm"
    # Smaller and faster: binaryen's wasm-opt, from npm (js/node_modules).
    local opt=js/node_modules/binaryen/bin/wasm-opt
    [ -x "$opt" ] || { echo "wasm.sh: $opt missing: run .ci/wasm.sh setup" >&2; exit 1; }
    node "$opt" -Oz --strip-debug --strip-producers \
        --enable-bulk-memory --enable-nontrapping-float-to-int \
        --enable-sign-ext --enable-mutable-globals \
        "js/pkg/${name}_bg.wasm" -o "js/pkg/${name}_bg.wasm.opt"
    mv "js/pkg/${name}_bg.wasm.opt" "js/pkg/${name}_bg.wasm"
}

build() {
    build_tools
    local want have
    want="$(bindgen_version)"
    have="$(wasm-bindgen --version | awk '{print $2}')"
    if [ "$have" != "$want" ]; then
        echo "wasm.sh: wasm-bindgen-cli is $have, the crate pins $want: run .ci/wasm.sh setup" >&2
        exit 1
    fi
    rm -rf js/pkg
    # One crate, two modules (wasm/Cargo.toml features): the validation jobs,
    # loaded by every page, and `customers`, loaded on first use.
    module validate helpscout_query_wasm
    module customers helpscout_query_customers
    # The page: the package and the sample customers, copied beside it.
    rm -rf web/hsq web/customers.json
    mkdir -p web/hsq
    cp -r js/index.js js/pkg web/hsq/
    cp data/customers.json web/customers.json
    local size gz
    size=$(stat -c %s "js/pkg/${CRATE}_bg.wasm")
    gz=$(gzip -9c "js/pkg/${CRATE}_bg.wasm" | wc -c)
    echo "wasm.sh: js/pkg/${CRATE}_bg.wasm (validation) is $size bytes ($gz gzipped); budget $MAX_WASM"
    size=$(stat -c %s "js/pkg/${CUSTOMERS}_bg.wasm")
    gz=$(gzip -9c "js/pkg/${CUSTOMERS}_bg.wasm" | wc -c)
    echo "wasm.sh: js/pkg/${CUSTOMERS}_bg.wasm (customers, loaded on first use) is $size bytes ($gz gzipped)"
    size=$(stat -c %s "js/pkg/${CRATE}_bg.wasm")
    if [ "$size" -gt "$MAX_WASM" ]; then
        echo "wasm.sh: the validation .wasm is $size bytes, over the ${MAX_WASM}-byte budget" >&2
        exit 1
    fi
}

crate_checks() {
    (cd wasm && cargo fmt -- --check)
    # Natively: the glue has no target-specific code, and its tests run here.
    (cd wasm && cargo clippy -j2 --locked --all-targets -- -D warnings)
    # Each module alone, as the build makes them.
    for feature in validate customers; do
        (cd wasm && cargo clippy -j2 --locked --all-targets --no-default-features \
            --features "$feature" -- -D warnings)
    done
    (cd wasm && cargo test -j2 --locked)
}

run_tests() {
    # The node tests compare with the CLI: build it.
    cargo build -j2 --bin hsq
    export HSQ_BIN="$ROOT/target/debug/hsq"
    (cd js && node --test test/*.test.js)
    (cd js && node --test browser/*.test.js)
}

case "${1:-}" in
    setup) setup ;;
    build) build ;;
    test) run_tests ;;
    ci)
        setup
        build
        crate_checks
        run_tests
        ;;
    *)
        echo "usage: .ci/wasm.sh setup|build|test|ci" >&2
        exit 2
        ;;
esac
