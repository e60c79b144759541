#!/bin/sh
# Prepares a fresh Debian bookworm machine (as root) for walic development and
# builds the WALI sysroot. Safe to run again: it only does what is missing.
#
#  1. installs the Debian packages the project needs;
#  2. adds a deb-src entry for bookworm if there is none;
#  3. fetches the musl 1.2.3 and mimalloc 2.0.9 source packages with
#     `apt-get source` into build/downloads and checks the upstream
#     tarballs' sha256;
#  4. builds the sysroot (wali-musl/build.sh; skipped when up to date).
#
# Nothing is downloaded except through apt. Any failure stops the script
# with one line naming what failed.
set -eu

# Debian packages: the WALI C toolchain (clang, wasm-ld, llvm-ar, compiler-rt
# wasm32 builtins), wabt for inspecting modules, and what the musl build,
# the Rust workspace and the checks need: cmake, meson and ninja-build for
# the installed toolchain files' tests (tests/toolchain/check-install.sh),
# hyperfine for the README's `walic run` start-up measurement.
PACKAGES="clang-22 lld-22 llvm-22 libclang-rt-22-dev-wasm32 wabt gcc libc6-dev make patch python3 ca-certificates cmake meson ninja-build hyperfine"

MUSL_VERSION=1.2.3
MUSL_TARBALL=musl_$MUSL_VERSION.orig.tar.gz
MUSL_SHA256=7d5b0b6062521e4627e099e4c9dc8248d32a30285e959b7eecaa780cf8cfd4a4
# The allocator of our musl port (wali-musl/README.md).
MIMALLOC_VERSION=2.0.9+ds
MIMALLOC_TARBALL=mimalloc_$MIMALLOC_VERSION.orig.tar.xz
MIMALLOC_SHA256=cbc9d207ff105ad1f0cb739c378076143a6452b8d0624309cea0abfb040e972b
SRC_LIST=/etc/apt/sources.list.d/walic-deb-src.sources

repo=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
downloads=$repo/build/downloads

die() { echo "setup: error: $*" >&2; exit 1; }
say() { echo "setup: $*"; }

[ "$(id -u)" = 0 ] || die "must run as root (it installs Debian packages)"
command -v apt-get >/dev/null 2>&1 || die "apt-get not found: this script is for Debian bookworm"

apt_updated=0
apt_update() {
    [ $apt_updated = 1 ] && return 0
    say "apt-get update"
    apt-get update -qq >/dev/null 2>&1 || die "apt-get update failed"
    apt_updated=1
}

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

# --- 1. packages -----------------------------------------------------------
missing=
for p in $PACKAGES; do installed "$p" || missing="$missing $p"; done
if [ -n "$missing" ]; then
    apt_update
    for p in $missing; do
        apt-cache show "$p" >/dev/null 2>&1 ||
            die "package $p is not available from the configured apt sources"
    done
    say "installing$missing"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null 2>&1 ||
        die "apt-get install failed for:$missing"
    for p in $missing; do installed "$p" || die "package $p did not install"; done
fi

# --- 2. deb-src for bookworm ------------------------------------------------
has_deb_src() {
    # deb822 files: a paragraph whose Types has deb-src and Suites has bookworm.
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk 'BEGIN { RS = ""; found = 1 }
             /(^|\n)Types:[^\n]*deb-src/ && /(^|\n)Suites:[^\n]*bookworm([ \n]|$)/ { found = 0 }
             END { exit found }' "$f" && return 0
    done
    # one-line format
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
        grep -Eq '^[[:space:]]*deb-src[[:space:]].*[[:space:]]bookworm[[:space:]]'
}

if ! has_deb_src; then
    # Same URI and keyring as the existing binary entry for bookworm.
    uri= keyring=
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        line=$(awk 'BEGIN { RS = "" }
            /(^|\n)Types:[^\n]*deb/ && /(^|\n)Suites:[^\n]*bookworm([ \n]|$)/ {
                u = ""; k = ""
                n = split($0, l, "\n")
                for (i = 1; i <= n; i++) {
                    if (l[i] ~ /^URIs:/) { split(l[i], w, /[ \t]+/); u = w[2] }
                    if (l[i] ~ /^Signed-By:/) { split(l[i], w, /[ \t]+/); k = w[2] }
                }
                if (u != "" && u !~ /security/) { print u, k; exit }
            }' "$f")
        if [ -n "$line" ]; then
            uri=${line%% *}; keyring=${line#* }; break
        fi
    done
    if [ -z "$uri" ]; then
        line=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
            grep -E '^[[:space:]]*deb[[:space:]].*[[:space:]]bookworm[[:space:]]' | head -n 1)
        uri=$(echo "$line" | sed -E 's/^[[:space:]]*deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\2/')
        keyring=$(echo "$line" | sed -nE 's/.*signed-by=([^] ]+).*/\1/p')
    fi
    [ -n "$uri" ] || die "no bookworm deb entry in /etc/apt to derive a deb-src entry from"
    [ -n "$keyring" ] || keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    say "adding deb-src entry $SRC_LIST ($uri)"
    cat > "$SRC_LIST" <<EOF
Types: deb-src
URIs: $uri
Suites: bookworm
Components: main
Signed-By: $keyring
EOF
    apt_updated=0
fi

# --- 3. musl and mimalloc sources ---------------------------------------------
mkdir -p "$downloads"
# fetch_source PACKAGE VERSION TARBALL SHA256: the upstream tarball of Debian's
# source package, checked against SHA256, and the .dsc must list the same.
fetch_source() {
    tarball=$downloads/$3
    if ! { [ -f "$tarball" ] && [ "$(sha256sum "$tarball" | cut -d' ' -f1)" = "$4" ]; }; then
        rm -f "$tarball"
        apt_update
        say "apt-get source --download-only $1"
        (cd "$downloads" && apt-get source --download-only -qq -o APT::Sandbox::User=root "$1" >/dev/null 2>&1) ||
            die "apt-get source --download-only $1 failed"
        [ -f "$tarball" ] || die "the $1 source package does not contain $3 (wrong $1 version?)"
        [ "$(sha256sum "$tarball" | cut -d' ' -f1)" = "$4" ] ||
            die "sha256 mismatch for $tarball (expected $4)"
    fi
    for dsc in "$downloads"/"$1"_"$2"-*.dsc; do
        [ -f "$dsc" ] || continue
        grep -q "^ $4 [0-9]* $3\$" "$dsc" ||
            die "$dsc does not list sha256 $4 for $3"
    done
    say "$1 $2 source verified"
}
fetch_source musl "$MUSL_VERSION" "$MUSL_TARBALL" "$MUSL_SHA256"
fetch_source mimalloc "$MIMALLOC_VERSION" "$MIMALLOC_TARBALL" "$MIMALLOC_SHA256"

# --- 4. sysroot ----------------------------------------------------------------
"$repo/wali-musl/build.sh" || die "wali-musl/build.sh failed"
say "done; compile with scripts/wali-cc"
