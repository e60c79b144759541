#!/bin/sh
# Installs walic and the WALI C toolchain under a prefix:
#
#   scripts/install.sh [--no-build]          (PREFIX=/usr/local, DESTDIR honoured)
#
#   $PREFIX/bin/walic                        the compiler (runtime library embedded)
#   $PREFIX/bin/wali-cc, wali-ar, wali-ranlib  the C driver and archivers
#   $PREFIX/lib/walic/sysroot/               our musl: headers, crt1.o, libc.a
#   $PREFIX/share/walic/cmake/wali-toolchain.cmake   CMake: -DCMAKE_TOOLCHAIN_FILE=...
#   $PREFIX/share/walic/meson/wali-cross.ini         Meson: --cross-file ...
#
# It first builds walic (cargo build --release -p walic) unless --no-build is given, and needs
# the sysroot built (scripts/setup.sh). The installed tools find each other relative to their
# own location, so the tree can be moved (only the Meson cross file names $PREFIX/bin), and
# nothing refers back to this checkout. They still
# need the Debian packages clang-22, lld-22, llvm-22 and libclang-rt-22-dev-wasm32 (wali-cc) and
# gcc with libc6-dev (walic links with `cc`). `DESTDIR=/tmp/stage` stages the tree for packaging.
set -eu

repo=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
prefix=${PREFIX:-/usr/local}
destdir=${DESTDIR:-}

die() { echo "install: error: $*" >&2; exit 1; }

build=1
for arg do
    case $arg in
        --no-build) build=0 ;;
        *) die "unknown argument $arg (usage: [PREFIX=...] [DESTDIR=...] scripts/install.sh [--no-build])" ;;
    esac
done
case $prefix in /*) ;; *) die "PREFIX must be an absolute path, not $prefix" ;; esac

if [ $build = 1 ]; then
    (cd "$repo" && cargo build --release -p walic) || die "cargo build --release -p walic failed"
fi
walic=$repo/target/release/walic
sysroot=$repo/build/sysroot
[ -x "$walic" ] || die "$walic not built (cargo build --release -p walic)"
[ -f "$sysroot/lib/libc.a" ] || die "WALI sysroot not built at $sysroot (run scripts/setup.sh)"

root=$destdir$prefix
mkdir -p "$root/bin" "$root/lib/walic" "$root/share/walic/cmake" "$root/share/walic/meson" ||
    die "cannot create directories under $root"
install -m 755 "$walic" "$root/bin/walic"
for tool in wali-cc wali-ar wali-ranlib; do
    install -m 755 "$repo/scripts/$tool" "$root/bin/$tool"
done
rm -rf "$root/lib/walic/sysroot"
cp -R "$sysroot" "$root/lib/walic/sysroot" || die "copying the sysroot to $root/lib/walic/sysroot"
install -m 644 "$repo/scripts/toolchain/wali-toolchain.cmake" "$root/share/walic/cmake/"
sed "s|@BINDIR@|$prefix/bin|g" "$repo/scripts/toolchain/wali-cross.ini.in" > "$root/share/walic/meson/wali-cross.ini" ||
    die "writing $root/share/walic/meson/wali-cross.ini"
echo "install: installed walic, wali-cc, wali-ar, wali-ranlib and the sysroot under $root"
