#!/bin/sh
# Builds the WALI sysroot (headers, crt1.o, libc.a and the empty libm.a,
# libpthread.a, librt.a, libdl.a, ...) from the pristine musl 1.2.3 tarball
# plus this directory's patches and overlay, with mimalloc 2.0.9 (its tarball
# plus patches-mimalloc/) as the allocator. See README.md.
#
# Usage: wali-musl/build.sh [--force]
#
# Rebuilds only when something in wali-musl/, the tarballs or the compiler
# changed (a stamp in the sysroot records what it was built from).
# Environment: WALI_BUILD_DIR (default <repo>/build), JOBS (default 2),
# WALI_CLANG (default clang-22), WALI_SHARED_IMPORTS (the team's imports.tsv
# to compare our copy with; default /work/shared/wali/imports.tsv, skipped
# when absent).
set -eu

MUSL_SHA256=7d5b0b6062521e4627e099e4c9dc8248d32a30285e959b7eecaa780cf8cfd4a4
MIMALLOC_SHA256=cbc9d207ff105ad1f0cb739c378076143a6452b8d0624309cea0abfb040e972b

here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
repo=$(CDPATH= cd -- "$here/.." && pwd)
build=${WALI_BUILD_DIR:-$repo/build}
jobs=${JOBS:-2}
clang=${WALI_CLANG:-clang-22}
shared_imports=${WALI_SHARED_IMPORTS:-/work/shared/wali/imports.tsv}
tarball=$build/downloads/musl_1.2.3.orig.tar.gz
mimalloc_tarball=$build/downloads/mimalloc_2.0.9+ds.orig.tar.xz
src=$build/musl-src
sysroot=$build/sysroot
stamp_file=$sysroot/.wali-musl-stamp

die() { echo "wali-musl: error: $*" >&2; exit 1; }

force=0
case ${1:-} in
    --force) force=1 ;;
    "") ;;
    *) die "usage: $0 [--force]" ;;
esac

for tool in "$clang" llvm-ar-22 llvm-ranlib-22 python3 make patch tar sha256sum; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found (run scripts/setup.sh)"
done
[ -f "$tarball" ] || die "$tarball missing (run scripts/setup.sh)"
[ -f "$mimalloc_tarball" ] || die "$mimalloc_tarball missing (run scripts/setup.sh)"

if [ -f "$shared_imports" ] && ! cmp -s "$shared_imports" "$here/imports.tsv"; then
    die "wali-musl/imports.tsv differs from $shared_imports; copy the new one and rebuild"
fi

# Everything the result depends on: our sources, the tarball, the compiler.
stamp=$( (
    cd "$here" && find . -type f ! -name '*~' | LC_ALL=C sort | xargs sha256sum
    echo "$MUSL_SHA256"
    echo "$MIMALLOC_SHA256"
    "$clang" --version | head -n 1
) | sha256sum | cut -d' ' -f1)

if [ $force = 0 ] && [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$stamp" ]; then
    echo "wali-musl: sysroot up to date ($sysroot)"
    exit 0
fi

actual=$(sha256sum "$tarball" | cut -d' ' -f1)
[ "$actual" = "$MUSL_SHA256" ] || die "checksum mismatch for $tarball (got $actual)"
actual=$(sha256sum "$mimalloc_tarball" | cut -d' ' -f1)
[ "$actual" = "$MIMALLOC_SHA256" ] || die "checksum mismatch for $mimalloc_tarball (got $actual)"

echo "wali-musl: preparing $src"
rm -rf "$src"
mkdir -p "$src"
tar -xzf "$tarball" -C "$src" --strip-components=1

for p in "$here"/patches/*.patch; do
    patch -d "$src" -p1 --quiet --forward --no-backup-if-mismatch < "$p" ||
        die "patch $(basename "$p") does not apply"
done
cp -R "$here/overlay/." "$src/"
# The allocator (config.mak's MALLOC_DIR = mimalloc): its headers and sources,
# compiled as one unit by overlay/src/malloc/mimalloc/mimalloc.c.
mkdir -p "$src/mimalloc"
tar -xJf "$mimalloc_tarball" -C "$src/mimalloc" --strip-components=1 \
    --wildcards '*/include/*' '*/src/*' || die "cannot unpack $mimalloc_tarball"
for p in "$here"/patches-mimalloc/*.patch; do
    patch -d "$src/mimalloc" -p1 --quiet --forward --no-backup-if-mismatch < "$p" ||
        die "patch $(basename "$p") does not apply"
done

# Files that are right for wasm32 as they are for x86-64: long is 64-bit in
# both, and WALI uses the x86-64 syscall numbers and kernel layouts.
for f in bits/syscall.h.in bits/stat.h bits/posix.h bits/sem.h kstat.h; do
    cp "$src/arch/x86_64/$f" "$src/arch/wasm32/$f"
done
python3 "$here/tools/gen-syscall-headers.py" "$here/imports.tsv" "$src/arch/wasm32"

sed -e "s|@CC@|$clang --target=wasm32-linux-muslwali|" \
    -e "s|@AR@|llvm-ar-22|" -e "s|@RANLIB@|llvm-ranlib-22|" \
    -e "s|@PREFIX@|$sysroot.new|" \
    -e "s|@CLANG_RESOURCE_DIR@|$("$clang" -print-resource-dir)|" \
    "$here/config.mak.in" > "$src/config.mak"

echo "wali-musl: compiling with $jobs jobs"
libs="lib/libc.a lib/crt1.o lib/libm.a lib/libpthread.a lib/librt.a lib/libdl.a
      lib/libcrypt.a lib/libutil.a lib/libxnet.a lib/libresolv.a"
(cd "$src" && nice make -s -j"$jobs" $libs) || die "musl build failed"

rm -rf "$sysroot.new"
(cd "$src" && make -s install-headers) >/dev/null || die "header installation failed"
mkdir -p "$sysroot.new/lib"
for lib in $libs; do cp "$src/$lib" "$sysroot.new/lib/"; done
echo "$stamp" > "$sysroot.new/.wali-musl-stamp"
rm -rf "$sysroot"
mv "$sysroot.new" "$sysroot"
echo "wali-musl: sysroot ready ($sysroot)"
