#!/usr/bin/env python3
"""Check the imports of WALI wasm files against the WALI import contract.

For every function import of every file given (read with `wasm-objdump -x`):
  * the module must be "wali" (ABI.md 1.1), and nothing else may be imported
    (no memory, table or global imports in a linked WALI module, ABI.md 3.1);
  * a `SYS_*` name must be listed in imports.tsv with exactly this signature
    (several signatures may be listed, separated by "|");
  * any other name must be one of the auxiliary imports of ABI.md 2, with the
    signature given there.

Prints one line per offending import and exits 1 if there is any; exits 2
if a file cannot be read. With --objects, relocatable objects are accepted:
their "env" imports (symbols resolved at link time) are ignored.

Usage: check-imports.py [--imports imports.tsv] [--objects] [--summary] FILE...
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_IMPORTS = REPO / "wali-musl" / "imports.tsv"

# ABI.md 2: the auxiliary (non-syscall) imports and their wasm types.
AUXILIARY = {
    "__init": "() -> i32",
    "__deinit": "() -> i32",
    "__proc_exit": "(i32) -> nil",
    "__cl_get_argc": "() -> i32",
    "__cl_get_argv_len": "(i32) -> i32",
    "__cl_copy_argv": "(i32, i32) -> i32",
    "__get_init_envfile": "(i32, i32) -> i32",
    "__wasm_thread_spawn": "(i32, i32) -> i32",
    "sigsetjmp": "(i32, i32) -> i32",
    "setjmp": "(i32) -> i32",
    "longjmp": "(i32, i32) -> nil",
}

TYPE_LINE = re.compile(r"^ - type\[(\d+)\] (\(.*\) -> .*)$")
IMPORT_LINE = re.compile(r"^ - (\w+)\[\d+\] (.*?)<- ([^.]*)\.(.*)$")
SIG_FIELD = re.compile(r"sig=(\d+)")


def load_syscalls(path):
    allowed = {}
    header = None
    for line in Path(path).read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        if header is None:
            header = fields
            continue
        row = dict(zip(header, fields))
        allowed[row["import"]] = {s.strip() for s in row["wasm_signature"].split("|")}
    return allowed


def read_imports(wasm):
    """[(kind, module, name, signature or None)] of one wasm file."""
    out = subprocess.run(
        ["wasm-objdump", "-x", str(wasm)],
        capture_output=True, text=True)
    if out.returncode != 0:
        raise OSError(out.stderr.strip() or f"wasm-objdump failed on {wasm}")
    types = {}
    imports = []
    for line in out.stdout.splitlines():
        m = TYPE_LINE.match(line)
        if m:
            types[int(m.group(1))] = m.group(2)
            continue
        m = IMPORT_LINE.match(line)
        if m:
            kind, detail, module, name = m.groups()
            sig = SIG_FIELD.search(detail)
            signature = types.get(int(sig.group(1))) if sig and kind == "func" else None
            imports.append((kind, module, name.strip(), signature))
    return imports


def check(path, imports, syscalls, objects):
    problems = []
    for kind, module, name, signature in imports:
        where = f"{path}: {kind} import {module}.{name}"
        if objects and module == "env":
            continue
        if module != "wali":
            problems.append(f"{where}: module is not \"wali\"")
        elif kind != "func":
            problems.append(f"{where}: only functions may be imported")
        elif name in syscalls:
            if signature not in syscalls[name]:
                listed = " | ".join(sorted(syscalls[name]))
                problems.append(f"{where}: signature {signature} is not listed ({listed})")
        elif name in AUXILIARY:
            if signature != AUXILIARY[name]:
                problems.append(f"{where}: signature {signature}, ABI.md 2 says {AUXILIARY[name]}")
        elif name.startswith("SYS_"):
            problems.append(f"{where}: syscall not listed in imports.tsv")
        else:
            problems.append(f"{where}: not a WALI import")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--imports", default=DEFAULT_IMPORTS, help="imports.tsv to check against")
    parser.add_argument("--objects", action="store_true", help="accept relocatable objects (ignore env imports)")
    parser.add_argument("--summary", action="store_true", help="print the number of wali imports per file")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()

    syscalls = load_syscalls(args.imports)
    problems = []
    for path in args.files:
        try:
            imports = read_imports(path)
        except OSError as err:
            print(f"{path}: cannot read imports: {err}", file=sys.stderr)
            return 2
        problems += check(path, imports, syscalls, args.objects)
        if args.summary:
            wali = [i for i in imports if i[1] == "wali"]
            sys_count = sum(1 for i in wali if i[2].startswith("SYS_"))
            print(f"{path}: {len(wali)} wali imports ({sys_count} syscalls, {len(wali) - sys_count} auxiliary)")
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
