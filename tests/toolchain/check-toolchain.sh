#!/bin/sh
# End-to-end checks of the WALI C toolchain (issue #2), run from the repo:
#   tests/toolchain/check-toolchain.sh [output-dir]   (default build/toolchain-tests)
# Needs a built sysroot (scripts/setup.sh). Every wasm file it builds is
# finally checked with check-imports.py. Prints one line per check; exits
# non-zero at the first failure.
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
repo=$(CDPATH= cd -- "$here/../.." && pwd)
out=${1:-$repo/build/toolchain-tests}
cc="$repo/scripts/wali-cc"
check_imports="$here/check-imports.py"
rm -rf "$out"
mkdir -p "$out"

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

# The driver behaves like cc for the things build systems ask of it.
"$cc" --version | grep -q clang || fail "wali-cc --version"
ok "wali-cc --version"
printf 'int f(void) { return __wali__ + sizeof(long) + sizeof(void *); }\n' > "$out/probe.c"
"$cc" -E "$out/probe.c" -o "$out/probe.i" && grep -q 'return 1 + sizeof' "$out/probe.i" ||
    fail "wali-cc -E (__wali__ must be predefined)"
"$cc" -M "$out/probe.c" > "$out/probe.dep" && grep -q 'probe.o:' "$out/probe.dep" || fail "wali-cc -M"
"$cc" -c "$out/probe.c" -o "$out/probe.o" || fail "wali-cc -c"
ok "wali-cc -E, -M, -c"
printf '#include <stdio.h>\nint f(void);\nint main(void) { printf("%%d\\n", f()); return 0; }\n' > "$out/main.c"
"$cc" -c "$out/main.c" -o "$out/main.o" && "$cc" "$out/main.o" "$out/probe.o" -o "$out/linked.wasm" ||
    fail "wali-cc linking objects only"
ok "wali-cc links objects"
if "$cc" -shared "$out/probe.o" -o "$out/lib.so" 2> "$out/shared.err"; then fail "wali-cc -shared must be refused"; fi
[ "$(wc -l < "$out/shared.err")" = 1 ] && grep -q 'shared libraries are not supported' "$out/shared.err" ||
    fail "wali-cc -shared must fail with one clear line"
if WALI_SYSROOT="$out/no-sysroot" "$cc" "$out/main.c" -o "$out/x.wasm" 2> "$out/nosysroot.err"; then
    fail "wali-cc without a sysroot must fail"
fi
grep -q 'run scripts/setup.sh' "$out/nosysroot.err" || fail "wali-cc without a sysroot must say how to build it"
ok "wali-cc refuses -shared and a missing sysroot clearly"

# Module shape (ABI.md 3.1): exports and a shared memory of at most 2 GiB.
exports=$(wasm-objdump -x -j Export "$out/linked.wasm")
echo "$exports" | grep -q '"_start"' && echo "$exports" | grep -q '"memory"' || fail "exports _start and memory"
wasm-objdump -x -j Memory "$out/linked.wasm" | grep -q 'max=32768 shared' || fail "shared memory, max 32768 pages"
ok "module exports _start and a shared 2 GiB-max memory"

# Structure layouts (compile-time, against ABI.md).
"$here/check-layout.sh" "$out/layout" > /dev/null || fail "layouts differ from layout.expected"
ok "layouts match layout.expected"

# memcpy, memmove and memset are bulk memory (wali-musl/overlay/src/string/wasm32/): one
# memory.copy / memory.fill past a short inline path, never musl's loops nor a call (which in
# the freestanding libc build would be a call of memcpy or memset itself).
sysroot=${WALI_SYSROOT:-$repo/build/sysroot}
mkdir -p "$out/memops"
(cd "$out/memops" && llvm-ar-22 x "$sysroot/lib/libc.a" memcpy.o memmove.o memset.o) ||
    fail "libc.a has no memcpy.o, memmove.o, memset.o"
for pair in memcpy:memory.copy memmove:memory.copy memset:memory.fill; do
    name=${pair%%:*} op=${pair#*:}
    wasm-objdump -d "$out/memops/$name.o" > "$out/memops/$name.dis" || fail "wasm-objdump $name.o"
    grep -q " $op " "$out/memops/$name.dis" || fail "libc's $name does not use $op"
    if grep -q ' call ' "$out/memops/$name.dis"; then fail "libc's $name calls a function"; fi
done
ok "libc's memcpy, memmove, memset are memory.copy / memory.fill and call nothing"

# The smoke program: stdio, malloc, strings, long double, pthreads, setjmp,
# sockets, posix_spawn/popen/system.
"$cc" -O2 "$here/smoke.c" -o "$out/smoke.wasm" || fail "smoke.c does not build"
wasm-objdump -x -j Export "$out/smoke.wasm" | grep -q '"__wasm_thread_start_libc"' ||
    fail "threaded program must export __wasm_thread_start_libc"
ok "smoke.c builds ($("$check_imports" --summary "$out/smoke.wasm" | sed 's/.*: //'))"

# An ordinary Makefile project, built out of tree.
mkdir -p "$out/make-project"
make -s -C "$out/make-project" -f "$here/make-project/Makefile" SRC="$here/make-project" \
    CC="$cc" AR="$repo/scripts/wali-ar" check > /dev/null || fail "make-project does not build or its check fails"
[ -f "$out/make-project/wordcount.wasm" ] || fail "make-project left no wordcount.wasm"
ok "make-project builds with CC=wali-cc and its programs run (make check)"

# Every libc object and every wasm built above imports only WALI functions.
objects=$(find "$repo/build/musl-src/obj" -name '*.o' 2>/dev/null || true)
if [ -n "$objects" ]; then
    echo "$objects" | xargs "$check_imports" --objects || fail "libc objects have unlisted imports"
    ok "libc objects import only listed WALI functions ($(echo "$objects" | wc -l) objects)"
fi
find "$out" -name '*.wasm' | xargs "$check_imports" || fail "unlisted imports"
ok "all $(find "$out" -name '*.wasm' | wc -l) wasm files import only listed WALI functions"
