#!/bin/sh
# Build and run walic's benchmark suite (issue #6); bench/README.md explains what it measures.
# Every option is passed to bench/run.py (`scripts/bench.sh --help` lists them), e.g.
#   scripts/bench.sh                  full run, report in build/bench/results.md
#   scripts/bench.sh --quick          smoke test with tiny sizes
#   scripts/bench.sh --only sqlite,sys-
#   IWASM=/path/to/iwasm scripts/bench.sh   adds the reference WALI engine as a column
#
# Before running it builds walic and its runtime (cargo build --release; nothing to do when they
# are up to date; BENCH_NO_CARGO=1 skips this). The WALI sysroot comes from scripts/setup.sh.
set -eu

repo=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
cd "$repo"

die() { echo "bench: error: $*" >&2; exit 1; }

command -v python3 >/dev/null 2>&1 || die "python3 not found"
[ -f build/sysroot/lib/libc.a ] || echo "bench: no WALI sysroot yet (run scripts/setup.sh): native builds only" >&2

# tclsh generates the SQLite amalgamation from Debian's source package.
if ! command -v tclsh >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        echo "bench: installing tcl (for the SQLite amalgamation)" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tcl >/dev/null 2>&1 ||
            die "apt-get install tcl failed"
    else
        echo "bench: tclsh missing (apt-get install tcl): SQLite will be skipped" >&2
    fi
fi

# musl-gcc gives the "musl" column: native code on the same libc as the WALI builds.
if ! command -v musl-gcc >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "bench: installing musl-tools (for the native gcc+musl column)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq musl-tools >/dev/null 2>&1 ||
        echo "bench: apt-get install musl-tools failed: no musl column" >&2
fi

# The wasmtime column: WASI builds of the compute kernels (Debian's wasi-libc, clang-22
# --target=wasm32-wasi) run by the wasmtime engine from PyPI, a peer that also generates code with
# Cranelift. wasmtime lives in a virtual environment under build/ so the system's Python is left
# alone (no --break-system-packages); bench/run.py finds it there. `--no-wasmtime` skips all this.
wasmtime_version='50.*'
case " $* " in
    *" --no-wasmtime "*|*" --native-only "*|*" --help "*|*" -h "*) ;;
    *)
        if [ ! -f /usr/lib/wasm32-wasi/libc.a ] && [ "$(id -u)" = 0 ]; then
            echo "bench: installing wasi-libc (for the wasmtime column)" >&2
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wasi-libc >/dev/null 2>&1 ||
                echo "bench: apt-get install wasi-libc failed: no wasmtime column" >&2
        fi
        venv=build/bench/venv
        if ! "$venv/bin/python" -c 'import wasmtime' >/dev/null 2>&1; then
            echo "bench: installing wasmtime $wasmtime_version from PyPI into $venv" >&2
            mkdir -p build/bench
            # Debian's own python3 needs python3-venv for `-m venv` (with pip inside it).
            if ! python3 -m venv "$venv" >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
                rm -rf "$venv"
                DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null 2>&1
                python3 -m venv "$venv" >/dev/null 2>&1 || rm -rf "$venv"
            fi
            if [ -x "$venv/bin/python" ]; then
                "$venv/bin/python" -m pip install -q --disable-pip-version-check \
                    "wasmtime==$wasmtime_version" >&2 ||
                    echo "bench: pip install wasmtime failed: no wasmtime column" >&2
            else
                echo "bench: cannot make a Python venv (apt-get install python3-venv): no wasmtime column" >&2
            fi
        fi ;;
esac

if [ "${BENCH_NO_CARGO:-0}" != 1 ] && command -v cargo >/dev/null 2>&1; then
    case " $* " in
        *" --native-only "*|*" --help "*|*" -h "*) ;;
        *)
            echo "bench: cargo build --release -p walic -p walic-runtime" >&2
            cargo build --release -q -p walic -p walic-runtime ||
                echo "bench: cargo build failed: walic columns will be missing" >&2 ;;
    esac
fi

exec python3 bench/run.py "$@"
