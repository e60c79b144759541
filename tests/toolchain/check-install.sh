#!/bin/sh
# The installed toolchain, away from the checkout (issue 13):
#   tests/toolchain/check-install.sh OUTPUT-DIR
# Installs with `PREFIX=OUTPUT-DIR/prefix scripts/install.sh --no-build`, then, in OUTPUT-DIR/work
# with only the installed bin/ and the system on PATH: wali-cc hello.c -o hello && ./hello
# (checking no command refers to the checkout), the same through a symbolic link to wali-cc,
# `walic run`, a CMake project through the installed toolchain file and a Meson project through
# the installed cross file, each built and its tests run. Finally a staged installation
# (`PREFIX=/opt/walic DESTDIR=OUTPUT-DIR/stage`) builds hello from where it was staged.
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
repo=$(CDPATH= cd -- "$here/../.." && pwd)
out=${1:?usage: check-install.sh OUTPUT-DIR}
mkdir -p "$out"
out=$(CDPATH= cd -- "$out" && pwd)

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }
# show LOG: the end of a log, for a failure's context.
show() { tail -n 30 "$1" >&2; }

rm -rf "$out/prefix" "$out/stage" "$out/work"
prefix=$out/prefix
PREFIX=$prefix sh "$repo/scripts/install.sh" --no-build > "$out/install.log" 2>&1 ||
    { show "$out/install.log"; fail "scripts/install.sh"; }
for file in bin/walic bin/wali-cc bin/wali-ar bin/wali-ranlib lib/walic/sysroot/lib/libc.a \
    lib/walic/sysroot/include/stdio.h share/walic/cmake/wali-toolchain.cmake \
    share/walic/meson/wali-cross.ini; do
    [ -e "$prefix/$file" ] || fail "install left no $file"
done
ok "scripts/install.sh installs walic, wali-cc, wali-ar, wali-ranlib, the sysroot, CMake and Meson files"

work=$out/work
mkdir -p "$work"
cd "$work"
unset WALIC WALI_SYSROOT WALIC_RUNTIME
PATH=$prefix/bin:/usr/bin:/bin
export PATH XDG_CACHE_HOME="$out/cache"

printf '#include <stdio.h>\nint main(int argc, char **argv) { printf("hello from %%s\\n", argv[0]); return argc - 1; }\n' > hello.c
WALI_CC_VERBOSE=1 wali-cc -O2 hello.c -o hello 2> cc.log || { show cc.log; fail "installed wali-cc hello.c -o hello"; }
[ "$(./hello)" = "hello from ./hello" ] || fail "./hello"
if grep -F "$repo" cc.log; then fail "installed wali-cc used the checkout"; fi
ok "installed wali-cc hello.c -o hello && ./hello, nothing from the checkout"

mkdir -p links
ln -s "$prefix/bin/wali-cc" links/cc
links/cc hello.c -o hello-linked && [ "$(./hello-linked)" = "hello from ./hello-linked" ] ||
    fail "wali-cc through a symbolic link"
ok "wali-cc through a symbolic link finds its sysroot and walic"

wali-cc -O2 hello.c -o hello.wasm || fail "wali-cc hello.c -o hello.wasm"
status=0
output=$(walic run hello.wasm a b) || status=$?
[ "$output" = "hello from hello.wasm" ] && [ $status = 2 ] || fail "installed walic run: '$output', status $status"
ok "installed walic run hello.wasm"

mkdir cmake-src
cp "$here/cmake-project/CMakeLists.txt" "$here/make-project/"*.c "$here/make-project/"*.h cmake-src/
{
    cmake -S cmake-src -B cmake-build -DCMAKE_TOOLCHAIN_FILE="$prefix/share/walic/cmake/wali-toolchain.cmake" &&
        cmake --build cmake-build &&
        (cd cmake-build && ctest --output-on-failure)
} > cmake.log 2>&1 || { show cmake.log; fail "CMake project through wali-toolchain.cmake"; }
[ -f cmake-build/wordcount.wasm ] || fail "the CMake build left no wordcount.wasm"
ok "CMake project builds through wali-toolchain.cmake and ctest passes"

mkdir meson-src
cp "$here/meson-project/meson.build" "$here/make-project/"*.c "$here/make-project/"*.h meson-src/
{
    meson setup --cross-file "$prefix/share/walic/meson/wali-cross.ini" meson-build meson-src &&
        ninja -C meson-build &&
        meson test -C meson-build
} > meson.log 2>&1 || { show meson.log; fail "Meson project through wali-cross.ini"; }
[ "$(meson-build/wordcount 'a b c')" = "a b c: 3 words, 1.00 letters each" ] || fail "Meson-built wordcount"
ok "Meson project builds through wali-cross.ini and meson test passes"

PREFIX=/opt/walic DESTDIR="$out/stage" sh "$repo/scripts/install.sh" --no-build > "$out/stage.log" 2>&1 ||
    { show "$out/stage.log"; fail "scripts/install.sh with DESTDIR"; }
grep -q "^c = '/opt/walic/bin/wali-cc'" "$out/stage/opt/walic/share/walic/meson/wali-cross.ini" ||
    fail "the staged Meson cross file must name PREFIX/bin, not DESTDIR"
"$out/stage/opt/walic/bin/wali-cc" hello.c -o hello-staged && [ "$(./hello-staged)" = "hello from ./hello-staged" ] ||
    fail "wali-cc of a staged (moved) installation"
ok "DESTDIR stages the tree under PREFIX, and the staged tools work where they are"
