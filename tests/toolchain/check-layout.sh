#!/bin/sh
# Checks the WALI data model and structure layouts of our sysroot against
# layout.expected (values typed from ABI.md). The check is compile-time:
# every line becomes a _Static_assert, so compiling with wali-cc is the test.
# It also builds layout.wasm, which prints the same lines when run.
#
# Usage: tests/toolchain/check-layout.sh [output-dir]   (default build/toolchain-tests)
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
repo=$(CDPATH= cd -- "$here/../.." && pwd)
out=${1:-$repo/build/toolchain-tests}
cc="$repo/scripts/wali-cc"
mkdir -p "$out"

# layout.expected -> SIZE(type, "name", n) / OFFSET(type, field, "name", n)
awk '
/^[[:space:]]*(#|$)/ { next }
{
	n = $NF; name = $0; sub(/[[:space:]]+[0-9]+[[:space:]]*$/, "", name)
	dot = index(name, ".")
	if (dot) printf "OFFSET(%s, %s, \"%s\", %s)\n", substr(name, 1, dot - 1), substr(name, dot + 1), name, n
	else printf "SIZE(%s, \"%s\", %s)\n", name, name, n
}' "$here/layout.expected" > "$out/layout_entries.h"

cat > "$out/layout_asserts.c" <<'C'
#include "layout_headers.h"
#define SIZE(type, name, expected) \
	_Static_assert(sizeof(type) == expected, "sizeof " name " is not " #expected);
#define OFFSET(type, field, name, expected) \
	_Static_assert(offsetof(type, field) == expected, "offset of " name " is not " #expected);
#include "layout_entries.h"
C

"$cc" -I"$here" -I"$out" -fsyntax-only "$out/layout_asserts.c"
"$cc" -I"$here" -I"$out" -O2 "$here/layout.c" -o "$out/layout.wasm"
"$repo/tests/toolchain/check-imports.py" "$out/layout.wasm"
echo "layout: $(grep -c '' "$out/layout_entries.h") sizes and offsets match ABI.md"
