#!/bin/sh
# `walic binfmt` against the real kernel, without touching the system (issue 13):
#   tests/toolchain/check-binfmt.sh OUTPUT-DIR
# Since Linux 6.7 a user namespace mounts a binfmt_misc instance of its own, so in
# `unshare --user --map-root-user --mount` walic can register, run `./prog.wasm` through the
# kernel, and unregister, and nothing outside the namespace sees it. Where user namespaces or
# that kernel feature are missing the script says so and passes (compiler/tests/cli.rs tests the
# same commands against a fake binfmt_misc directory everywhere).
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
repo=$(CDPATH= cd -- "$here/../.." && pwd)
out=${1:?usage: check-binfmt.sh OUTPUT-DIR}
walic=${WALIC:-$repo/target/release/walic}
mkdir -p "$out"
out=$(CDPATH= cd -- "$out" && pwd)
cd "$out"
export XDG_CACHE_HOME="$out/cache"

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

if ! unshare --user --map-root-user --mount --fork \
    sh -c 'mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc' 2> unshare.err; then
    echo "skipped: no binfmt_misc of a user namespace here ($(head -n 1 unshare.err))"
    exit 0
fi

"$repo/scripts/wali-cc" -O2 "$here/run-program.c" -o prog.wasm || fail "run-program.c does not build"
chmod +x prog.wasm
cat > inside.sh <<'SCRIPT'
set -eu
walic=$1
mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
"$walic" binfmt status
"$walic" binfmt install
"$walic" binfmt status
./prog.wasm args 'a b' -o x
status=0; ./prog.wasm exit 7 || status=$?
echo "status $status"
"$walic" binfmt uninstall
"$walic" binfmt status
if ./prog.wasm args 2> /dev/null; then echo "still runs"; fi
SCRIPT
unshare --user --map-root-user --mount --fork sh inside.sh "$walic" > inside.out 2>&1 ||
    { cat inside.out >&2; fail "the binfmt_misc session"; }
walic_path=$(readlink -f "$walic")
cat > expected <<EXPECTED
walic: not registered (binfmt_misc at /proc/sys/fs/binfmt_misc; \`walic binfmt install\` as root)
walic: registered binfmt_misc entry \`walic\`: wasm modules now run with \`$walic_path run\`
walic: registered, enabled, interpreter $walic_path (this walic), flags P
[./prog.wasm]
[args]
[a b]
[-o]
[x]
status 7
walic: removed binfmt_misc entry \`walic\`
walic: not registered (binfmt_misc at /proc/sys/fs/binfmt_misc; \`walic binfmt install\` as root)
EXPECTED
diff -u expected inside.out >&2 || fail "binfmt_misc session differs from what is expected"
ok "walic binfmt install, ./prog.wasm through the kernel (argv, exit status), uninstall, status"
