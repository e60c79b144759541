#!/bin/sh
# Builds everything and shows walic at work on a real program, on a fresh machine of the project's
# kind (Debian bookworm with the Rust toolchain, as root):
#
#  1. scripts/setup.sh: the Debian packages and the WALI sysroot (does only what is missing);
#  2. cargo build --release --workspace: walic and its runtime library;
#  3. examples/wc.c -> build/examples/wc.wasm with scripts/wali-cc (a WALI WebAssembly module);
#  4. build/examples/wc.wasm -> build/examples/wc with walic (a native x86-64 executable);
#  5. runs build/examples/wc on the files given (default: README.md and examples/wc.c) and, for
#     comparison, the system's wc.
set -eu

repo=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
cd "$repo"

die() { echo "example: error: $*" >&2; exit 1; }
step() { echo "example: $*"; }

command -v cargo >/dev/null 2>&1 || die "cargo not found (this machine kind ships the Rust toolchain)"

step "scripts/setup.sh"
sh scripts/setup.sh || die "scripts/setup.sh failed"
step "cargo build --release --workspace"
cargo build --release --workspace || die "cargo build failed"

mkdir -p build/examples
step "scripts/wali-cc -O2 examples/wc.c -o build/examples/wc.wasm"
scripts/wali-cc -O2 examples/wc.c -o build/examples/wc.wasm || die "wali-cc failed"
step "target/release/walic build/examples/wc.wasm -o build/examples/wc"
target/release/walic build/examples/wc.wasm -o build/examples/wc || die "walic failed"
ls -l build/examples/wc.wasm build/examples/wc

[ $# -gt 0 ] || set -- README.md examples/wc.c
step "build/examples/wc $*"
build/examples/wc "$@" || die "build/examples/wc failed (exit status $?)"
if command -v wc >/dev/null 2>&1; then
    step "the system's wc, for comparison:"
    wc "$@"
fi
