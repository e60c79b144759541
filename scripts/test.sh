#!/bin/sh
# Runs every test of walic, on a fresh machine of the project's kind (Debian bookworm with the
# Rust toolchain, as root), doing all the set-up itself:
#
#  1. scripts/setup.sh: the Debian packages and the WALI sysroot (does only what is missing);
#  2. cargo build --release --workspace: walic and its runtime library in target/release/;
#  3. cargo test --release --workspace: every crate's unit tests, the spec-suite conformance run,
#     and the differential suite (tests/README.md) with the import check of every module it
#     builds and the toolchain's checks (tests/toolchain/check-*).
#
# The differential suite ends with the line `N passed, N failed`; the exit status is non-zero
# when any test failed. It is what .ci/run runs.
set -eu

repo=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
cd "$repo"

die() { echo "test: error: $*" >&2; exit 1; }
step() { echo "test: $*"; }
now() { date +%s; }

command -v cargo >/dev/null 2>&1 || die "cargo not found (this machine kind ships the Rust toolchain)"
started=$(now)

step "scripts/setup.sh"
sh scripts/setup.sh || die "scripts/setup.sh failed"
setup_done=$(now)

step "cargo build --release --workspace"
cargo build --release --workspace || die "cargo build failed"
build_done=$(now)
step "set-up took $((setup_done - started)) s, the build $((build_done - setup_done)) s"

step "cargo test --release --workspace"
exec cargo test --release --workspace --no-fail-fast
