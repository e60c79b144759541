#!/bin/sh
# `walic run` behaves like running the compiled program (issue 13):
#   tests/toolchain/check-run.sh OUTPUT-DIR
# Builds run-program.c with wali-cc into a module and, through `walic run` with a cache in
# OUTPUT-DIR/cache, checks: argv (argv[0] is the module path as typed; options after the module
# are the program's), the environment, stdin, the exit status, death by a signal, SIGPIPE both
# default and inherited as ignored (compared with the directly compiled program), that walic
# execs (same process id), that a second run reuses the cache entry, and that concurrent first
# runs all succeed and leave one complete entry and no temporary files.
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
repo=$(CDPATH= cd -- "$here/../.." && pwd)
out=${1:?usage: check-run.sh OUTPUT-DIR}
walic=${WALIC:-$repo/target/release/walic}
mkdir -p "$out"
out=$(CDPATH= cd -- "$out" && pwd)
cd "$out"
rm -rf cache
export XDG_CACHE_HOME="$out/cache"
entries=$out/cache/walic/programs

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

"$repo/scripts/wali-cc" -O2 "$here/run-program.c" -o prog.wasm || fail "run-program.c does not build"
"$walic" prog.wasm -o prog || fail "walic prog.wasm -o prog"

[ "$("$walic" run prog.wasm args 'a b' '' --help -O0)" = "$(printf '[prog.wasm]\n[args]\n[a b]\n[]\n[--help]\n[-O0]')" ] ||
    fail "arguments"
[ "$("$walic" run ./prog.wasm)" = "[./prog.wasm]" ] || fail "argv[0] is the module path as typed"
ok "walic run passes the arguments; argv[0] is the module path as typed"
[ "$(WALIC_RUN_TEST='x y' "$walic" run prog.wasm env)" = "x y" ] || fail "environment"
[ "$(printf 'banana\n' | "$walic" run prog.wasm stdin)" = "bbnbnb" ] || fail "stdin"
ok "walic run passes the environment and stdin"

status=0; "$walic" run prog.wasm exit 42 || status=$?
[ $status = 42 ] || fail "exit status 42, got $status"
status=0; sh -c '"$0" run prog.wasm signal 15' "$walic" 2> /dev/null || status=$?
[ $status = 143 ] || fail "killed by SIGTERM must show as 143, got $status"
pids=$(sh -c 'echo $$; exec "$0" run prog.wasm pid' "$walic")
[ "$(echo "$pids" | sed -n 1p)" = "$(echo "$pids" | sed -n 2p)" ] ||
    fail "walic run must exec the program (same process id): $pids"
ok "walic run: the program's exit status and signal, in walic's own process"

# SIGPIPE: killed when writing to a closed pipe; with SIGPIPE ignored by the parent, EPIPE.
for program in "./prog" "$walic run prog.wasm"; do
    (sh -c "$program pipe 2>/dev/null; echo \$? > status.default" | head -n 1 > /dev/null)
    (trap '' PIPE; sh -c "$program pipe 2> err.ignored; echo \$? > status.ignored" | head -n 1 > /dev/null)
    echo "$(cat status.default) $(cat status.ignored) $(cat err.ignored)" >> pipe-statuses
done
[ "$(sed -n 1p pipe-statuses)" = "141 3 write: EPIPE" ] || fail "direct program and SIGPIPE: $(sed -n 1p pipe-statuses)"
[ "$(sed -n 2p pipe-statuses)" = "141 3 write: EPIPE" ] || fail "walic run and SIGPIPE: $(sed -n 2p pipe-statuses)"
ok "walic run: SIGPIPE default and inherited-ignored as for the program itself"

[ "$(ls "$entries" | wc -l)" = 1 ] || fail "one module, one set of options: one cache entry"
entry=$(ls "$entries")
touch -d '2000-01-01' "$entries/$entry"
"$walic" run prog.wasm exit 0 || fail "cache hit"
[ "$(ls "$entries")" = "$entry" ] && [ -z "$(find "$entries/$entry" -newermt '2001-01-01')" ] ||
    fail "a second run must reuse the cache entry untouched"
ok "a second walic run reuses the cache entry"

rm -rf cache
i=0
while [ $i -lt 6 ]; do
    ("$walic" run prog.wasm args $i > "concurrent.$i" 2>&1; echo $? >> "concurrent.$i") &
    i=$((i + 1))
done
wait
i=0
while [ $i -lt 6 ]; do
    [ "$(cat "concurrent.$i")" = "$(printf '[prog.wasm]\n[args]\n[%s]\n0' $i)" ] ||
        fail "concurrent run $i: $(cat "concurrent.$i")"
    i=$((i + 1))
done
[ "$(ls -a "$entries" | grep -v '^\.\.\?$' | wc -l)" = 1 ] || fail "concurrent runs must leave one entry: $(ls -a "$entries")"
ok "6 concurrent first runs all succeed and leave one complete entry"
