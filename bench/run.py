#!/usr/bin/env python3
"""walic's benchmark runner: builds every benchmark natively (gcc -O2, clang-22 -O2) and through
`scripts/wali-cc -O2` + `walic`, checks that all builds print the same output, times them
interleaved, and writes a markdown report to build/bench/results.md (raw data: results.json).
The compute kernels are also built for WASI and run by wasmtime, the peer engine on the same code
generator (Cranelift), timed in-process by bench/tools/wasmtime_run.py.

Run it through `scripts/bench.sh` (same options). `--help` lists the options; bench/README.md
explains what is measured and how to read the table.

Everything built or fetched lives under build/ (gitignored):
  build/bench-src/        Debian source packages (apt-get source --download-only) and their trees
  build/bench/bin/V/      executables per variant V (gcc, clang, walic)
  build/bench/wasm/       WALI modules from wali-cc (what walic compiles and iwasm runs)
  build/bench/wasm-simd/  WALI modules of the compute kernels built with -msimd128 (the walic-simd
                          column: what clang's auto-vectorization gives)
  build/bench/wasi/       WASI modules of the compute kernels (what wasmtime runs)
  build/bench/venv/       the Python virtual environment with wasmtime (made by scripts/bench.sh)
  build/bench/real/V/     per-variant build trees of Lua, SQLite and zlib
  build/bench/data/       generated inputs; build/bench/tmp/V/ scratch files written by runs
  build/bench/logs/       build logs, and the output of any run that failed or differed
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import glob
import json
import math
import os
import platform
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
BUILD = ROOT / "build" / "bench"
SOURCES = ROOT / "build" / "bench-src"
VENV_PYTHON = BUILD / "venv" / "bin" / "python"
WASMTIME_RUN = BENCH / "tools" / "wasmtime_run.py"
DATA = BUILD / "data"
LOGS = BUILD / "logs"

GOALS = {
    "compute": 1.10,      # walic within 10% of native (gcc), geometric mean
    "syscall": 1.03,      # within 3% on syscall-heavy work
    "startup_ms": 2.0,    # hello world under 2 ms
    "bash_code_mb": 2.5,  # a bash-sized module...
    "bash_compile_s": 10.0,  # ...compiled in under 10 s on 2 cores
}


def log(message: str) -> None:
    print(message, flush=True)


class BuildError(Exception):
    """A build step failed; the message names the step and its log file."""


# --------------------------------------------------------------------------------------------
# Tools


@dataclass
class Tools:
    gcc: str
    clang: str
    musl: Optional[str]
    wali_cc: Optional[Path]
    walic: Optional[Path]
    iwasm: Optional[str]
    iwasm_flags: list[str]
    wasmtime_python: Optional[Path]   # a Python that can `import wasmtime`
    wasmtime_version: str
    wasi_sysroot: Path                # Debian's wasi-libc: <sysroot>/lib/wasm32-wasi/libc.a
    walic_flags: list[str]
    ar_wasm: str
    ranlib_wasm: str
    why_no_wasm: str = ""
    why_no_walic: str = ""
    why_no_wasmtime: str = ""

    def compiler(self, variant: str) -> str:
        return {"gcc": self.gcc, "clang": self.clang, "musl": str(self.musl),
                "wasm": str(self.wali_cc), "wasm-simd": str(self.wali_cc), "wasi": self.clang}[variant]

    def target_flags(self, variant: str) -> list[str]:
        """Flags that select the variant's target. WASI: clang-22 calls the `wasm32-wasi` triple
        deprecated (for wasm32-wasip1) but Debian's wasi-libc installs under that name."""
        if variant == "wasi":
            return ["--target=wasm32-wasi", "-Wno-deprecated", f"--sysroot={self.wasi_sysroot}"]
        if variant == "wasm-simd":
            return ["-msimd128"]
        return ["-static"] if variant == "musl" else []

    def stamp(self, variant: str) -> str:
        """Identity of the toolchain that builds `variant`: rebuild whenever it changes."""
        if variant in ("wasm", "wasm-simd"):
            parts = [self.wali_cc, ROOT / "build/sysroot/lib/libc.a", ROOT / "build/sysroot/lib/crt1.o"]
        elif variant == "walic":
            parts = [self.walic, self.walic.parent / "libwalic_runtime.a"] if self.walic else []
        elif variant == "wasi":
            parts = [Path(shutil.which(self.clang) or self.clang),
                     self.wasi_sysroot / "lib/wasm32-wasi/libc.a"]
        else:
            return shutil.which(self.compiler(variant)) or self.compiler(variant)
        return ";".join(f"{p}@{p.stat().st_mtime_ns}" for p in parts if p and p.exists())


def find_tools(args: argparse.Namespace) -> Tools:
    wali_cc = ROOT / "scripts" / "wali-cc"
    walic = Path(os.environ.get("WALIC", ROOT / "target" / "release" / "walic")).resolve()
    runtime = walic.parent / "libwalic_runtime.a"
    tools = Tools(
        gcc=os.environ.get("BENCH_GCC", "gcc"),
        clang=os.environ.get("BENCH_CLANG", "clang-22"),
        musl=None if args.no_musl else shutil.which("musl-gcc"),
        wali_cc=wali_cc,
        walic=walic,
        iwasm=os.environ.get("IWASM") or None,
        iwasm_flags=shlex.split(os.environ.get(
            "IWASM_FLAGS", "--stack-size=1048576 --heap-size=0 --max-threads=8")),
        walic_flags=shlex.split(os.environ.get("WALIC_FLAGS", "")),
        wasmtime_python=Path(os.environ.get("BENCH_WASMTIME_PYTHON", VENV_PYTHON)),
        wasmtime_version="",
        wasi_sysroot=Path(os.environ.get("WASI_SYSROOT", "/usr")),
        ar_wasm=str(ROOT / "scripts" / "wali-ar") if (ROOT / "scripts" / "wali-ar").exists()
        else shutil.which("llvm-ar-22") or "llvm-ar",
        ranlib_wasm=str(ROOT / "scripts" / "wali-ranlib") if (ROOT / "scripts" / "wali-ranlib").exists()
        else shutil.which("llvm-ranlib-22") or "llvm-ranlib",
    )
    sysroot_libc = ROOT / "build" / "sysroot" / "lib" / "libc.a"
    if args.native_only:
        tools.why_no_wasm = "--native-only"
    elif not wali_cc.exists():
        tools.why_no_wasm = "scripts/wali-cc missing"
    elif not sysroot_libc.exists():
        tools.why_no_wasm = "build/sysroot/lib/libc.a missing (run scripts/setup.sh)"
    if tools.why_no_wasm:
        tools.wali_cc = None
    if args.native_only:
        tools.why_no_walic = "--native-only"
    elif not walic.exists():
        tools.why_no_walic = f"{walic} missing (cargo build --release)"
    elif not runtime.exists() and "WALIC" not in os.environ:
        tools.why_no_walic = f"{runtime} missing"
    if tools.why_no_walic or tools.why_no_wasm:
        tools.walic = None
    if tools.iwasm and not (shutil.which(tools.iwasm) or Path(tools.iwasm).exists()):
        raise SystemExit(f"IWASM={tools.iwasm} is not an executable")
    if tools.iwasm and not tools.wali_cc:
        tools.iwasm = None
    if args.native_only or args.no_wasmtime:
        tools.why_no_wasmtime = "--native-only" if args.native_only else "--no-wasmtime"
    elif not (tools.wasi_sysroot / "lib/wasm32-wasi/libc.a").exists():
        tools.why_no_wasmtime = (f"{tools.wasi_sysroot}/lib/wasm32-wasi/libc.a missing "
                                 "(apt-get install wasi-libc)")
    else:
        version = subprocess.run(
            [str(tools.wasmtime_python), "-c",
             "import importlib.metadata, wasmtime; print(importlib.metadata.version('wasmtime'))"],
            capture_output=True, text=True) if tools.wasmtime_python.exists() else None
        if version is None or version.returncode != 0:
            tools.why_no_wasmtime = (f"{tools.wasmtime_python} cannot import wasmtime "
                                     "(scripts/bench.sh installs it)")
        else:
            tools.wasmtime_version = version.stdout.strip()
    if tools.why_no_wasmtime:
        tools.wasmtime_python = None
    for compiler in (tools.gcc, tools.clang):
        if not shutil.which(compiler):
            raise SystemExit(f"{compiler} not found")
    return tools


# --------------------------------------------------------------------------------------------
# Building


def run_logged(command: list[str], log_name: str, cwd: Optional[Path] = None,
               env: Optional[dict] = None) -> None:
    """Run a build command with its output in build/bench/logs/<log_name>; raise on failure."""
    LOGS.mkdir(parents=True, exist_ok=True)
    log_path = LOGS / log_name
    with open(log_path, "a") as out:
        out.write(f"$ (cd {cwd or ROOT}) {shlex.join(command)}\n")
        out.flush()
        result = subprocess.run(command, cwd=cwd or ROOT, stdout=out, stderr=subprocess.STDOUT,
                                env=env, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        tail = log_path.read_text(errors="replace").strip().splitlines()[-12:]
        raise BuildError(f"{shlex.join(command[:3])}... exited {result.returncode} "
                         f"(log: {log_path.relative_to(ROOT)})\n      " + "\n      ".join(tail))


def up_to_date(output: Path, inputs: list[Path], recipe: str) -> bool:
    """True when `output` exists, is newer than every input and was made by the same recipe."""
    stamp = output.with_name(output.name + ".recipe")
    if not output.exists() or not stamp.exists() or stamp.read_text() != recipe:
        return False
    built = output.stat().st_mtime_ns
    return all(p.stat().st_mtime_ns <= built for p in inputs if p.exists())


def mark_built(output: Path, recipe: str) -> None:
    output.with_name(output.name + ".recipe").write_text(recipe)


def build_c(tools: Tools, variant: str, name: str, sources: list[Path], output: Path,
            flags: list[str], libs: list[str], extra_inputs: list[Path] = (),
            cwd: Optional[Path] = None, opt: str = "-O2") -> Path:
    """Compile and link C sources in one command with the variant's compiler at `opt`."""
    command = [tools.compiler(variant), opt, *tools.target_flags(variant), *flags, "-o", str(output),
               *map(str, sources), *libs]
    recipe = shlex.join(command) + "\n" + tools.stamp(variant)
    if up_to_date(output, [*sources, *extra_inputs], recipe):
        return output
    output.parent.mkdir(parents=True, exist_ok=True)
    output.unlink(missing_ok=True)
    run_logged(command, f"build-{name}-{variant}.log", cwd=cwd)
    mark_built(output, recipe)
    return output


def code_section_size(wasm: Path) -> int:
    """Size in bytes of the wasm code section (id 10), read from the section headers."""
    data = wasm.read_bytes()
    if data[:4] != b"\0asm":
        raise ValueError(f"{wasm} is not a wasm module")
    position = 8

    def leb() -> int:
        nonlocal position
        value = shift = 0
        while True:
            byte = data[position]
            position += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value

    while position < len(data):
        section_id = data[position]
        position += 1
        size = leb()
        if section_id == 10:
            return size
        position += size
    return 0


def walic_phases(verbose_log: Path) -> str:
    """The per-phase times walic -v prints ("walic: parse   12.3 ms"), as "parse 12 / ..."."""
    phases = []
    try:
        for line in verbose_log.read_text(errors="replace").splitlines():
            words = line.split()
            if len(words) >= 4 and words[0] == "walic:" and words[3] == "ms":
                phases.append(f"{words[1]} {float(words[2]):.0f}")
    except (OSError, ValueError):
        pass
    return ", ".join(phases)


def fetch_sources() -> dict[str, Path]:
    """Download Debian's source packages once and unpack their upstream tarballs (no Debian
    patches: the benchmarks need none). Returns {package: unpacked tree}."""
    SOURCES.mkdir(parents=True, exist_ok=True)
    wanted = {
        "lua5.4": "lua5.4_*.orig.tar.*",
        "sqlite3": "sqlite3_*.orig.tar.*",
        "zlib": "zlib_*.orig.tar.*",
    }
    def tarballs(pattern: str) -> list[str]:
        return sorted(f for f in glob.glob(str(SOURCES / pattern))
                      if "-www" not in f and f.endswith((".gz", ".bz2", ".xz")))

    missing = [p for p, pattern in wanted.items() if not tarballs(pattern)]
    if missing:
        log(f"fetching Debian sources: {' '.join(missing)}")
        result = subprocess.run(["apt-get", "source", "--download-only", *missing], cwd=SOURCES,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode != 0:
            raise BuildError("apt-get source failed (does /etc/apt have a bookworm deb-src entry? "
                             "scripts/setup.sh adds one; then apt-get update):\n      "
                             + "\n      ".join(result.stdout.strip().splitlines()[-6:]))
    trees = {}
    for package, pattern in wanted.items():
        tarball = Path(tarballs(pattern)[-1])
        marker = tarball.with_name(tarball.name + ".tree")
        tree = SOURCES / marker.read_text().strip() if marker.exists() else None
        if tree is None or not tree.is_dir():
            log(f"unpacking {tarball.name}")
            with tarfile.open(tarball) as archive:
                top = archive.getnames()[0].split("/")[0]
                tree = SOURCES / top
                shutil.rmtree(tree, ignore_errors=True)
                if hasattr(tarfile, "data_filter"):
                    archive.extractall(SOURCES, filter="tar")
                else:
                    archive.extractall(SOURCES)
            marker.write_text(top)
        trees[package] = tree
    return trees


def sqlite_amalgamation(tree: Path, tools: Tools, jobs: int) -> Path:
    """Generate sqlite3.c and shell.c from the Debian source tree (native tools + tclsh)."""
    out = SOURCES / "sqlite-amalgamation"
    if (out / "sqlite3.c").exists() and (out / "shell.c").exists():
        return out
    if not shutil.which("tclsh"):
        raise BuildError("tclsh is needed to generate the SQLite amalgamation (apt-get install tcl)")
    out.mkdir(parents=True, exist_ok=True)
    log("generating the SQLite amalgamation")
    env = dict(os.environ, CC=tools.gcc)
    run_logged([str(tree / "configure"), "--disable-tcl"], "sqlite-amalgamation.log", cwd=out, env=env)
    run_logged(["make", f"-j{jobs}", "sqlite3.c", "shell.c"], "sqlite-amalgamation.log", cwd=out)
    return out


# --------------------------------------------------------------------------------------------
# Programs: what gets built. Each program is built once per build variant ("gcc", "clang",
# "musl", "wasm"); the walic executable comes from the wasm one. Programs that WASI can run are
# also built as "wasi" modules for wasmtime.

NOT_WASI = "not built for WASI: the wasmtime column runs the compute kernels"


@dataclass
class Program:
    name: str
    build: Callable[[Tools, str, Path], Path]  # (tools, variant, output) -> built file
    # Why there is no WASI build (what WASI lacks for it: threads, signals, fork, Linux system
    # calls...); empty when the program is built for WASI and run by wasmtime.
    no_wasi: str = NOT_WASI
    wasm_only: bool = False  # built only as a WALI module (the -O0 builds)
    simd: bool = False  # also built with -msimd128 for the walic-simd column (compute kernels)


def kernel_program(name: str, source: Path, no_wasi: str = "") -> Program:
    def build(tools: Tools, variant: str, output: Path) -> Path:
        return build_c(tools, variant, name, [source], output, [], ["-lm"],
                       extra_inputs=[BENCH / "kernels" / "common.h"])
    return Program(name, build, no_wasi, simd=True)


def lua_program(trees: dict[str, Path], opt: str = "-O2") -> Program:
    suffix = "" if opt == "-O2" else opt
    def build(tools: Tools, variant: str, output: Path) -> Path:
        source = trees["lua5.4"]
        work = BUILD / "real" / variant / (source.name + suffix)
        recipe = f"lua {source.name} {opt} {tools.stamp(variant)}"
        if up_to_date(output, [], recipe):
            return output
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(source, work)
        # Lua's own makefile; the `posix` target is the portable POSIX configuration
        # (LUA_USE_POSIX, no dlopen, no readline), the same for every variant.
        command = ["make", "-C", "src", "posix", f"CC={tools.compiler(variant)}"]
        if suffix:
            # MYCFLAGS comes after the makefile's -O2, so it wins.
            command += [f"MYCFLAGS={opt}"]
        if variant == "wasm":
            command += [f"AR={tools.ar_wasm} rcu", f"RANLIB={tools.ranlib_wasm}"]
        if variant == "musl":
            command += ["MYLDFLAGS=-static"]
        run_logged(command, f"build-lua-{variant}.log", cwd=work)
        output.parent.mkdir(parents=True, exist_ok=True)
        # wali-cc links `lua` as a runnable program and leaves the module beside it in lua.wasm.
        built = work / "src" / ("lua.wasm" if variant == "wasm" else "lua")
        shutil.copy2(built, output)
        mark_built(output, recipe)
        return output
    return Program("lua" + suffix, build, wasm_only=bool(suffix))


SQLITE_FLAGS = ["-DSQLITE_THREADSAFE=0", "-DSQLITE_OMIT_LOAD_EXTENSION", "-DSQLITE_DQS=0",
                "-DSQLITE_DEFAULT_MEMSTATUS=0"]


def sqlite_program(trees: dict[str, Path], jobs: int, opt: str = "-O2") -> Program:
    suffix = "" if opt == "-O2" else opt
    def build(tools: Tools, variant: str, output: Path) -> Path:
        amalgamation = sqlite_amalgamation(trees["sqlite3"], tools, jobs)
        sources = [amalgamation / "shell.c", amalgamation / "sqlite3.c"]
        return build_c(tools, variant, "sqlite" + suffix, sources, output,
                       ["-I", str(amalgamation), *SQLITE_FLAGS], ["-lm"], opt=opt)
    return Program("sqlite3" + suffix, build, wasm_only=bool(suffix))


ZLIB_FILES = ["adler32", "compress", "crc32", "deflate", "infback", "inffast", "inflate",
              "inftrees", "trees", "uncompr", "zutil"]


def zlib_program(trees: dict[str, Path]) -> Program:
    def build(tools: Tools, variant: str, output: Path) -> Path:
        tree = trees["zlib"]
        sources = [BENCH / "real" / "zbench.c"] + [tree / f"{f}.c" for f in ZLIB_FILES]
        return build_c(tools, variant, "zbench", sources, output, ["-I", str(tree)], [])
    return Program("zbench", build)


# --------------------------------------------------------------------------------------------
# Benchmarks: what gets run.


@dataclass
class Benchmark:
    name: str
    group: str          # compute | syscall | real
    program: str
    args: list[str]
    quick_args: list[str]
    stdin: Optional[str] = None            # path, may use {data}
    prepare: Optional[Callable[[Path], None]] = None  # called with the run's tmp dir, untimed
    note: str = ""
    # The program the native variants run when it differs from the WALI one (the -O0 rows
    # compare a WALI -O0 build with the native -O2 builds).
    native_program: Optional[str] = None


def remove_db(tmp: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        (tmp / f"bench.db{suffix}").unlink(missing_ok=True)


def benchmarks() -> list[Benchmark]:
    kernels = [
        ("matmul", "1100", "200", "double matrix multiply 1100x1100"),
        ("nbody", "140000", "5000", "48-body gravity, 140k steps"),
        ("fannkuch", "15000000", "500000", "pancake flips over 15M permutations of 12"),
        ("spectral", "4200", "500", "spectral norm, n=4200"),
        ("mandelbrot", "3400", "400", "3400x3400 grid, 100 iterations"),
        ("bintrees", "3600", "200", "malloc/free-heavy binary trees"),
        ("sha256", "256", "10", "SHA-256 over 256 MiB"),
        ("sort", "2000000", "100000", "introsort + libc qsort, 3 x 2M keys"),
        ("strings", "2500000", "50000", "word counts, qsort(strcmp), snprintf, strstr"),
        ("workmix", "20000", "1000", "lists, int matrix, state machine, CRC-16"),
    ]
    result = [Benchmark(n, "compute", n, [a], [q], note=d) for n, a, q, d in kernels]
    for mode, count, quick, note in [
        ("write", "4500000", "100000", "16-byte write() to /dev/null"),
        ("read", "4500000", "100000", "64-byte read() from /dev/zero"),
        ("getpid", "6000000", "100000", "getpid()"),
        ("open", "250000", "10000", "open()+fstat()+close() of /dev/null"),
        ("clock", "30000000", "200000", "clock_gettime(CLOCK_MONOTONIC)"),
    ]:
        result.append(Benchmark(f"sys-{mode}", "syscall", "syscalls", [mode, count],
                                [mode, quick], note=f"{count} x {note}"))
    result += [
        Benchmark("lua-objects", "real", "lua", ["bench/real/lua/objects.lua", "8"],
                  ["bench/real/lua/objects.lua", "1"], note="Lua 5.4: calls, closures, metatables, tables"),
        Benchmark("lua-strings", "real", "lua", ["bench/real/lua/strings.lua", "8"],
                  ["bench/real/lua/strings.lua", "1"], note="Lua 5.4: gsub/gmatch, format, sort, pcall"),
        Benchmark("sqlite", "real", "sqlite3", ["-batch", "{tmp}/bench.db"],
                  ["-batch", "{tmp}/bench.db"], stdin="{data}/sqlite-workload.sql",
                  prepare=remove_db, note="sqlite3 shell: 20k INSERTs + 150k bulk rows, indexes, joins"),
        # What users ship: -O0 WALI builds (like the WALI project's precompiled binaries),
        # against the same native -O2 builds as the rows above.
        Benchmark("lua-O0-objects", "real", "lua-O0", ["bench/real/lua/objects.lua", "8"],
                  ["bench/real/lua/objects.lua", "1"], native_program="lua",
                  note="the lua-objects run of a -O0 WALI build; native columns are -O2"),
        Benchmark("lua-O0-strings", "real", "lua-O0", ["bench/real/lua/strings.lua", "8"],
                  ["bench/real/lua/strings.lua", "1"], native_program="lua",
                  note="the lua-strings run of a -O0 WALI build; native columns are -O2"),
        Benchmark("sqlite-O0", "real", "sqlite3-O0", ["-batch", "{tmp}/bench.db"],
                  ["-batch", "{tmp}/bench.db"], stdin="{data}/sqlite-workload.sql",
                  prepare=remove_db, native_program="sqlite3",
                  note="the sqlite run of a -O0 WALI build; native columns are -O2"),
        Benchmark("zlib", "real", "zbench", ["run", "{data}/zinput.bin", "{tmp}/zout.z"],
                  ["run", "{data}/zinput.bin", "{tmp}/zout.z"], note="deflate -6 + inflate of 20 MiB"),
    ]
    return result


def generate_inputs(quick: bool, zbench_native: Optional[Path]) -> None:
    """Deterministic input files for the real programs (made natively, outside any timing)."""
    DATA.mkdir(parents=True, exist_ok=True)
    customers = 2000 if quick else 20000
    workload = DATA / "sqlite-workload.sql"
    queries = (BENCH / "real" / "sqlite" / "queries.sql").read_text()
    if quick:
        queries = queries.replace("i < 150000", "i < 20000").replace("i < 40000", "i < 2000")
    lines = ["PRAGMA synchronous=OFF;",
             "CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT NOT NULL, city INTEGER, score REAL);",
             "CREATE TABLE orders(id INTEGER PRIMARY KEY, customer INTEGER NOT NULL, amount INTEGER, note TEXT);",
             "BEGIN;"]
    for i in range(1, customers + 1):
        lines.append(f"INSERT INTO customers VALUES({i}, 'customer-{(i * 7919) % 100003}', "
                     f"{(i * 37) % 500}, {(i * 7907) % 1000}.{i % 10});")
    lines.append("COMMIT;")
    text = "\n".join(lines) + "\n" + queries
    if not workload.exists() or workload.read_text() != text:
        workload.write_text(text)
    mib = 2 if quick else 20
    zinput = DATA / "zinput.bin"
    stamp = DATA / "zinput.mib"
    if zbench_native and (not zinput.exists() or not stamp.exists() or stamp.read_text() != str(mib)):
        subprocess.run([str(zbench_native), "gen", str(zinput), str(mib)], check=True)
        stamp.write_text(str(mib))


# --------------------------------------------------------------------------------------------
# Timing


@dataclass
class Sample:
    wall: float      # seconds
    user: float
    sys: float
    rss_kib: int
    status: int


@dataclass
class Cell:
    """All runs of one benchmark under one variant."""
    samples: list[Sample] = field(default_factory=list)
    error: str = ""          # build failure, crash, wrong output...

    @property
    def ok(self) -> bool:
        return not self.error and bool(self.samples)

    @property
    def median(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu_median(self) -> float:
        return statistics.median(s.user + s.sys for s in self.samples)

    @property
    def rss(self) -> int:
        return max(s.rss_kib for s in self.samples)

    def percentile(self, percent: int) -> float:
        """The wall time below which `percent`% of the runs fall (the start-up table's rule)."""
        walls = sorted(s.wall for s in self.samples)
        return walls[len(walls) * percent // 100]

    @property
    def spread(self) -> float:
        walls = [s.wall for s in self.samples]
        return (max(walls) - min(walls)) / 2 / statistics.median(walls) if walls else 0.0


def spawn(timer: list[str], command: list[str], runs: int, stdin: str, stdout: Path,
          timeout: float) -> list[Sample]:
    """Time `command` through a timing helper (`timer_for`); a run past `timeout` is killed
    (status 124). Both helpers take the same options and print one line per run."""
    helper = [*timer, "-n", str(runs), "-i", stdin, "-o", str(stdout),
              "-e", str(stdout.with_suffix(".err")), "--", *command]
    process = subprocess.Popen(helper, stdout=subprocess.PIPE, text=True, cwd=ROOT,
                               start_new_session=True)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return [Sample(timeout, 0, 0, 0, 124)]
    if process.returncode != 0:
        return [Sample(0, 0, 0, 0, 127)]
    samples = []
    for line in output.splitlines():
        wall, user, system, rss, status = (int(x) for x in line.split())
        samples.append(Sample(wall / 1e9, user / 1e6, system / 1e6, rss, status))
    return samples


def timer_for(variant: str, tools: Tools, spawntime: Path) -> list[str]:
    """The helper that times a variant: spawntime (posix_spawn to wait4: the whole process) for
    everything but wasmtime, which wasmtime_run.py times inside its own process (instantiate +
    _start of a module compiled beforehand)."""
    if variant == "wasmtime":
        return [str(tools.wasmtime_python), str(WASMTIME_RUN)]
    return [str(spawntime)]


def command_for(variant: str, executables: dict, program: str, tools: Tools) -> Optional[list[str]]:
    if variant == "iwasm":
        wasm = executables.get(("wasm", program))
        return [tools.iwasm, *tools.iwasm_flags, str(wasm)] if wasm else None
    if variant == "wasmtime":
        wasi = executables.get(("wasi", program))
        return [str(wasi)] if wasi else None
    exe = executables.get((variant, program))
    return [str(exe)] if exe else None


def expand(text: str, tmp: Path) -> str:
    return text.replace("{data}", str(DATA)).replace("{tmp}", str(tmp))


# The walic columns: the module build each compiles and the walic options it adds. The ablation
# columns (`--ablation`) turn one of walic's own optimizations off, so one interleaved run gives
# the before/after ratio of each.
WALIC_RUNNERS = {
    "walic": ("wasm", []),
    "walic-simd": ("wasm-simd", []),
    "walic-O1": ("wasm", ["-O1"]),  # no inlining
    "walic-nopromo": ("wasm", ["--no-frame-promotion"]),  # -O0 frames stay in memory
}
ABLATION_RUNNERS = ("walic-O1", "walic-nopromo")


def runner_applies(runner: str, program: Program) -> bool:
    """Whether walic column `runner` has a cell for `program`: the -msimd128 build exists only for
    the compute kernels, and frame promotion acts only on -O0 modules."""
    if runner == "walic-simd":
        return program.simd
    if runner == "walic-nopromo":
        return program.name.endswith("-O0")
    return True
# Variants that run the WALI module itself rather than a native build.
WASM_RUNNERS = (*WALIC_RUNNERS, "iwasm")


def run_benchmark(bench: Benchmark, variants: list[str], executables: dict, build_errors: dict,
                  tools: Tools, spawntime: Path, rounds: int, iwasm_rounds: int,
                  quick: bool) -> dict[str, Cell]:
    cells = {v: Cell() for v in variants}
    reference: Optional[bytes] = None
    reference_time = None
    module_of = {**{r: m for r, (m, _) in WALIC_RUNNERS.items()}, "iwasm": "wasm", "wasmtime": "wasi"}
    for v in variants:
        program = bench.program if v in WASM_RUNNERS else bench.native_program or bench.program
        if (v, program) in build_errors or (module_of.get(v), bench.program) in build_errors:
            cells[v].error = "build failed"
    args = bench.quick_args if quick else bench.args
    for round_index in range(rounds):
        order = variants[round_index % len(variants):] + variants[:round_index % len(variants)]
        if round_index == 0:
            order = variants  # gcc first: its output is the reference and sets the time-outs
        for v in order:
            cell = cells[v]
            if cell.error or (v == "iwasm" and round_index >= iwasm_rounds):
                continue
            program = bench.program if v in WASM_RUNNERS else bench.native_program or bench.program
            command = command_for(v, executables, program, tools)
            if not command:
                cell.error = "not built"
                continue
            tmp = BUILD / "tmp" / v
            tmp.mkdir(parents=True, exist_ok=True)
            if bench.prepare:
                bench.prepare(tmp)
            stdin = expand(bench.stdin, tmp) if bench.stdin else "/dev/null"
            stdout = tmp / f"{bench.name}.out"
            timeout = 600.0 if reference_time is None else 60 + 40 * reference_time
            if v == "iwasm":
                timeout *= 5
            samples = spawn(timer_for(v, tools, spawntime), command + [expand(a, tmp) for a in args],
                            1, stdin, stdout, timeout)
            sample = samples[0]
            output = stdout.read_bytes() if stdout.exists() else b""
            if sample.status != 0:
                kind = {124: "timed out", 127: "could not run"}.get(sample.status)
                cell.error = kind or (f"killed by signal {sample.status - 128}" if sample.status > 128
                                      else f"exit status {sample.status}")
                keep_failure(bench, v, stdout, command + args)
                continue
            if reference is None:
                reference, reference_time = output, sample.wall
            elif output != reference:
                cell.error = "wrong output"
                keep_failure(bench, v, stdout, command + args)
                continue
            cell.samples.append(sample)
    return cells


def keep_failure(bench: Benchmark, variant: str, stdout: Path, command: list[str]) -> None:
    LOGS.mkdir(parents=True, exist_ok=True)
    for source, suffix in ((stdout, "out"), (stdout.with_suffix(".err"), "err")):
        if source.exists():
            shutil.copy(source, LOGS / f"run-{bench.name}-{variant}.{suffix}")
    (LOGS / f"run-{bench.name}-{variant}.cmd").write_text(shlex.join(command) + "\n")


def measure_startup(variants: list[str], executables: dict, tools: Tools, spawntime: Path,
                    rounds: int, per_round: int) -> dict[str, Cell]:
    cells = {v: Cell() for v in variants}
    for round_index in range(rounds):
        order = variants[round_index % len(variants):] + variants[:round_index % len(variants)]
        for v in order:
            command = command_for(v, executables, "hello", tools)
            if not command or cells[v].error:
                cells[v].error = cells[v].error or "not built"
                continue
            tmp = BUILD / "tmp" / v
            tmp.mkdir(parents=True, exist_ok=True)
            samples = spawn(timer_for(v, tools, spawntime), command, per_round, "/dev/null",
                            tmp / "hello.out", 120)
            if any(s.status for s in samples):
                cells[v].error = f"exit status {samples[0].status}"
                continue
            if (tmp / "hello.out").read_bytes() != b"hello, world\n":
                cells[v].error = "wrong output"
                continue
            cells[v].samples += samples
    return cells


# --------------------------------------------------------------------------------------------
# Report


def geomean(values: list[float]) -> Optional[float]:
    values = [v for v in values if v and v > 0]
    return math.exp(sum(map(math.log, values)) / len(values)) if values else None


def machine_info(tools: Tools) -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass

    def first_line(command: list[str]) -> str:
        try:
            return subprocess.run(command, capture_output=True, text=True).stdout.splitlines()[0].strip()
        except (OSError, IndexError):
            return "?"

    revision = first_line(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain"], capture_output=True,
                           text=True).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "kernel": platform.release(),
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "gcc": first_line([tools.gcc, "--version"]),
        "clang": first_line([tools.clang, "--version"]),
        "musl": ("musl-gcc -static, musl "
                 + first_line(["dpkg-query", "-W", "-f=${Version}\\n", "musl"])) if tools.musl else "",
        "walic": f"{revision}{' (uncommitted changes)' if dirty else ''}",
        "iwasm": tools.iwasm or "",
        "wasmtime": (f"wasmtime {tools.wasmtime_version} (PyPI) running `clang-22 -O2 "
                     f"{shlex.join(tools.target_flags('wasi'))}` modules on Debian's wasi-libc "
                     + first_line(["dpkg-query", "-W", "-f=${Version}\\n", "wasi-libc"]))
        if tools.wasmtime_python else "",
        "load_start": os.getloadavg(),
    }


def fmt_time(cell: Cell, base: Optional[float]) -> str:
    if not cell.ok:
        return cell.error or "—"
    text = f"{cell.median:.3f}"
    if base:
        text += f" ({cell.median / base:.2f})"
    return text


def timing_notes(results: dict, variants: list[str], startup: dict[str, Cell]) -> list[str]:
    """What each column's time covers, and how big the difference between the two ways of
    timing is, from this run's own start-up numbers."""
    spawned = [v for v in variants if v != "wasmtime"]
    notes = [f"How each column is timed: {', '.join(spawned)}: the whole process, from just before "
             "`posix_spawn` to the return of `wait4` (bench/tools/spawntime.c), so exec, the C "
             "start-up and exit are in it" + (", and for walic its runtime's start-up (memory "
                                              "reservation, signal set-up)" if "walic" in variants
                                              else "") + "."]
    if "wasmtime" not in variants:
        return notes
    notes[0] += (" wasmtime: inside its Python process (bench/tools/wasmtime_run.py): the module is "
                 "compiled before the clock starts, which then covers `Linker.instantiate` (creating "
                 "the linear memory, data segments) and the module's `_start` up to its return or "
                 "`proc_exit`; no process start, no engine start-up, no compilation.")
    walic_start, wasmtime_start = startup.get("walic"), startup.get("wasmtime")
    timed = [cells["walic"].median for cells in results.values()
             if "walic" in cells and cells["walic"].ok
             and "wasmtime" in cells and cells["wasmtime"].ok]
    if walic_start and walic_start.ok and wasmtime_start and wasmtime_start.ok and timed:
        # The 10th percentile: on a loaded machine the median is mostly waiting for a core.
        walic_ms, wasmtime_ms = walic_start.percentile(10) * 1000, wasmtime_start.percentile(10) * 1000
        notes.append(f"So walic's times include its process start-up and wasmtime's do not: a hello "
                     f"world takes {walic_ms:.2f} ms under walic and {wasmtime_ms:.2f} ms under "
                     f"wasmtime (10th percentiles, start-up table), a difference of "
                     f"{(walic_ms - wasmtime_ms) / 1000 / min(timed) * 100:.2f}% of the shortest "
                     "walic time that has a wasmtime cell; walic/wasmtime is not corrected for it.")
    notes.append("wasmtime runs a WASI build of the same C source, made by the same clang-22 at -O2 "
                 "(the WALI build adds `-matomics -mbulk-memory -pthread`), so walic/wasmtime "
                 "compares two Cranelift-based engines but not quite on the same wasm code: WALI's "
                 "`long` is 64 bits and WASI's 32, so the kernels' `long` counters and indices are "
                 "i64 in walic's module and i32 in wasmtime's; and wasi-libc's malloc is dlmalloc "
                 "where the WALI build's musl has mallocng, so the allocation-heavy kernels "
                 "(bintrees, sort, strings) compare libcs as well as engines.")
    return notes


def report(results: dict, variants: list[str], startup: dict[str, Cell], compiles: list[dict],
           info: dict, args: argparse.Namespace, tools: Tools, failures: list[str],
           elapsed: float, descriptions: dict[str, Benchmark], no_wasi: dict[str, str]) -> str:
    out = ["# walic benchmarks", ""]
    out.append(f"- Machine: {info['cpu']}, {info['cores']} cores, Linux {info['kernel']}; "
               f"load average at start {info['load_start'][0]:.2f}, at end {os.getloadavg()[0]:.2f}")
    out.append(f"- Date: {info['date']}; run took {elapsed / 60:.1f} min")
    out.append(f"- Compilers: {info['gcc']}; {info['clang']}; "
               + (f"{info['musl']}; " if info["musl"] else "") + f"walic at {info['walic']}"
               + (f" with `{shlex.join(tools.walic_flags)}`" if tools.walic_flags else "")
               + (f"; iwasm: `{info['iwasm']} {shlex.join(tools.iwasm_flags)}`" if info["iwasm"] else "")
               + (f"; {info['wasmtime']}" if info["wasmtime"] else ""))
    out.append(f"- Each time is the median wall time (s) of {args.rounds} runs"
               + (f" ({args.iwasm_rounds} for iwasm)" if "iwasm" in variants else "")
               + ", all variants interleaved round by round; (x.xx) = ratio to gcc -O2."
               + (" **Quick mode: sizes are tiny, times are not meaningful.**" if args.quick else ""))
    missing = []
    if tools.why_no_wasm:
        missing.append(f"no WALI builds ({tools.why_no_wasm})")
    elif tools.why_no_walic:
        missing.append(f"no walic builds ({tools.why_no_walic})")
    if tools.why_no_wasmtime and not args.native_only:
        missing.append(f"no wasmtime column ({tools.why_no_wasmtime})")
    if missing:
        out.append(f"- **Not measured:** {'; '.join(missing)}")
    out.append("")
    others = ["clang"] + (["musl"] if "musl" in variants else []) + ["walic"] \
        + [v for v in ("walic-simd", *ABLATION_RUNNERS, "wasmtime", "iwasm") if v in variants]
    # walic against the same libc compiled natively, and against the peer engine on the same
    # code generator (Cranelift).
    versus = [(a, b) for a, b in (("walic", "musl"), ("walic", "wasmtime"))
              if a in variants and b in variants]
    spread_variants = ["gcc", "walic"] + (["wasmtime"] if "wasmtime" in variants else [])
    header = ["benchmark", "gcc s", *(f"{v} s" for v in others), *(f"{a}/{b}" for a, b in versus),
              "walic/gcc max RSS", "± " + " / ".join(spread_variants)]
    out.append("| " + " | ".join(header) + " |")
    out.append("|" + "---|" * len(header))
    ratios: dict[tuple[str, str], list[float]] = {}
    cpu_ratios: dict[tuple[str, str], list[float]] = {}
    rss_ratios: dict[str, list[float]] = {}
    # Groups in the order the benchmarks come, so that a new group (or new rows in a group)
    # needs nothing here.
    for group in dict.fromkeys(descriptions[name].group for name in results):
        for name, cells in results.items():
            if descriptions[name].group != group:
                continue
            gcc = cells.get("gcc")
            base = gcc.median if gcc and gcc.ok else None
            row = [f"{name}", fmt_time(gcc, None) if gcc else "—"]
            for v in others:
                cell = cells.get(v)
                if cell is None:
                    row.append("n/a")
                    continue
                row.append(fmt_time(cell, base))
                if cell.ok and base:
                    ratios.setdefault((group, v), []).append(cell.median / base)
                    cpu_ratios.setdefault((group, v), []).append(
                        cell.cpu_median / max(gcc.cpu_median, 1e-6))
            walic = cells.get("walic")
            for a, b in versus:
                numerator, denominator = cells.get(a), cells.get(b)
                if numerator and numerator.ok and denominator and denominator.ok:
                    ratio = numerator.median / denominator.median
                    ratios.setdefault((group, f"{a}/{b}"), []).append(ratio)
                    row.append(f"{ratio:.2f}")
                else:
                    row.append("n/a" if denominator is None else "—")
            if walic and walic.ok and gcc and gcc.ok:
                rss_ratio = walic.rss / gcc.rss
                rss_ratios.setdefault(group, []).append(rss_ratio)
                row.append(f"{rss_ratio:.2f} ({walic.rss / 1024:.1f} / {gcc.rss / 1024:.1f} MiB)")
            else:
                row.append("—")
            spreads = [f"{cells[v].spread * 100:.1f}%" if v in cells and cells[v].ok else "—"
                       for v in spread_variants]
            row.append(" / ".join(spreads))
            out.append("| " + " | ".join(row) + " |")
        row = [f"**geomean {group}**", ""]
        for v in others + [f"{a}/{b}" for a, b in versus]:
            g = geomean(ratios.get((group, v), []))
            row.append(f"**{g:.3f}**" if g else "—")
        g = geomean(rss_ratios.get(group, []))
        row.append(f"{g:.2f}" if g else "—")
        row.append("")
        out.append("| " + " | ".join(row) + " |")
    out.append("")
    out.append("± is half the range of the runs relative to the median: differences smaller than "
               "that are noise. RSS is the largest max-RSS of any run (getrusage of the child)."
               + (" `musl` is gcc -O2 -static against Debian's musl 1.2.3 (musl-gcc): the libc "
                  "the WALI port derives from, so walic/musl separates walic's own cost from "
                  "glibc-vs-musl differences (stdio, libm; the port's qsort, malloc and string "
                  "scanning are its own)." if "musl" in variants else ""))
    out.append("")
    for note in timing_notes(results, variants, startup):
        out.append(note)
        out.append("")
    if "wasmtime" in variants:
        without: dict[str, list[str]] = {}
        for name in results:
            if name in no_wasi:
                without.setdefault(no_wasi[name], []).append(f"`{name}`")
        for reason, names in without.items():
            out.append(f"No wasmtime cell (n/a) for {', '.join(names)}: {reason}.")
            out.append("")

    out.append("## Start-up (hello world)")
    out.append("")
    out.append("| variant | median ms | 10th percentile ms | min ms | runs |")
    out.append("|---|---|---|---|---|")
    for v in variants:
        cell = startup.get(v)
        if not cell:
            continue
        label = "wasmtime (instantiate + `_start`, in-process)" if v == "wasmtime" else v
        if cell.ok:
            walls = sorted(s.wall for s in cell.samples)
            out.append(f"| {label} | {statistics.median(walls) * 1000:.3f} | "
                       f"{cell.percentile(10) * 1000:.3f} | {walls[0] * 1000:.3f} | {len(walls)} |")
        else:
            out.append(f"| {label} | {cell.error} | | | |")
    out.append("")
    out.append("On a loaded machine the median includes waiting for a core; the 10th percentile and "
               "the minimum show the cost of the program itself.")
    out.append("")

    out.append("## walic compile time")
    out.append("")
    if compiles:
        out.append("| module | wasm code MB | walic wall s | walic CPU s | MB/s (wall) | executable MB "
                   "| phases (walic -v, ms) |")
        out.append("|---|---|---|---|---|---|---|")
        for c in compiles:
            if c.get("error"):
                out.append(f"| {c['module']} | {c['code_mb']:.3f} | {c['error']} | | | | |")
                continue
            rate = c["code_mb"] / c["wall"] if c["wall"] > 0 else 0
            out.append(f"| {c['module']} | {c['code_mb']:.3f} | {c['wall']:.3f} | {c['cpu']:.3f} | "
                       f"{rate:.2f} | {c['exe_mb']:.2f} | {c.get('phases', '')} |")
        out.append("")
    else:
        out.append("Not measured: " + (tools.why_no_walic or tools.why_no_wasm or "no modules") + ".")
        out.append("")

    out.append("## Goals (issue #6)")
    out.append("")
    out.append("| goal | target | measured | met |")
    out.append("|---|---|---|---|")

    def goal(label: str, target: str, value: Optional[float], fmt: str, limit: float,
             extra: str = "") -> None:
        if value is None:
            out.append(f"| {label} | {target} | not measured | |")
        else:
            out.append(f"| {label} | {target} | {fmt.format(value)}{extra} | "
                       f"{'yes' if value <= limit else '**no**'} |")

    for group, label, limit in (("compute", "compute kernels", GOALS["compute"]),
                                ("real", "real programs", GOALS["compute"]),
                                ("syscall", "syscall-heavy", GOALS["syscall"])):
        cpu = geomean(cpu_ratios.get((group, "walic"), []))
        goal(f"{label}, walic/gcc geomean", f"≤ {limit:.2f}",
             geomean(ratios.get((group, "walic"), [])), "{:.3f}", limit,
             f" (CPU time: {cpu:.3f})" if cpu else "")
    walic_start = startup.get("walic")
    goal("hello-world start-up (median)", f"< {GOALS['startup_ms']:.0f} ms",
         walic_start.median * 1000 if walic_start and walic_start.ok else None, "{:.3f} ms",
         GOALS["startup_ms"])
    good = [c for c in compiles if not c.get("error") and c["wall"] > 0]
    if good:
        biggest = max(good, key=lambda c: c["code_mb"])
        projected = GOALS["bash_code_mb"] / (biggest["code_mb"] / biggest["wall"])
        goal(f"2.5 MB of code compiled (projected from {biggest['module']}, "
             f"{biggest['code_mb']:.2f} MB)", f"< {GOALS['bash_compile_s']:.0f} s", projected,
             "{:.1f} s", GOALS["bash_compile_s"])
    else:
        goal("2.5 MB of code compiled", "< 10 s", None, "", 0)
    out.append("")

    if failures:
        out.append("## Failures")
        out.append("")
        for f in failures:
            out.append(f"- {f}")
        out.append("")

    out.append("## Benchmarks")
    out.append("")
    for name, bench in descriptions.items():
        if name in results:
            out.append(f"- `{name}` ({bench.group}): {bench.note}")
    out.append("")
    return "\n".join(out)


# --------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="timed runs per benchmark and variant (default 5)")
    parser.add_argument("--iwasm-rounds", type=int, default=3, help="timed runs for iwasm (default 3)")
    parser.add_argument("--quick", action="store_true", help="tiny sizes and 2 rounds: a smoke test")
    parser.add_argument("--only", default="", help="comma-separated benchmark names (prefixes allowed)")
    parser.add_argument("--skip-real", action="store_true", help="skip Lua, SQLite and zlib")
    parser.add_argument("--native-only", action="store_true", help="only the native builds")
    parser.add_argument("--no-wasmtime", action="store_true",
                        help="skip the wasmtime column (WASI builds of the compute kernels)")
    parser.add_argument("--no-musl", action="store_true",
                        help="skip the gcc+musl native variant (used when musl-gcc is installed)")
    parser.add_argument("--jobs", type=int, default=2, help="parallel jobs for the Lua and SQLite builds")
    parser.add_argument("--compile-runs", type=int, default=1, help="walic compilations per module to time (median)")
    parser.add_argument("--startup-runs", type=int, default=400, help="hello-world runs per variant")
    parser.add_argument("--ablation", action="store_true",
                        help="also time walic with each of its optimizations off (" + ", ".join(
                            f"{r}: {' '.join(WALIC_RUNNERS[r][1])}" for r in ABLATION_RUNNERS) + ")")
    parser.add_argument("--build-only", action="store_true", help="build (and walic-compile) everything, run nothing")
    parser.add_argument("--output", default=str(BUILD / "results.md"),
                        help="markdown report path (raw samples go beside it as .json)")
    args = parser.parse_args()
    if args.quick:
        args.rounds = min(args.rounds, 2)
        args.startup_runs = min(args.startup_runs, 40)
    args.iwasm_rounds = min(args.iwasm_rounds, args.rounds)
    started = time.monotonic()

    tools = find_tools(args)
    info = machine_info(tools)
    natives = ["gcc", "clang"] + (["musl"] if tools.musl else [])
    runners = [r for r in WALIC_RUNNERS if args.ablation or r not in ABLATION_RUNNERS]
    variants = natives + (runners if tools.walic else []) \
        + (["wasmtime"] if tools.wasmtime_python else []) + (["iwasm"] if tools.iwasm else [])
    build_variants = natives + (["wasm", "wasm-simd"] if tools.wali_cc else []) \
        + (["wasi"] if tools.wasmtime_python else [])
    log(f"walic benchmarks: variants {', '.join(variants)}"
        + (f" (no WALI builds: {tools.why_no_wasm})" if tools.why_no_wasm else "")
        + (f" (no walic: {tools.why_no_walic})" if not tools.why_no_wasm and tools.why_no_walic else "")
        + (f" (no wasmtime: {tools.why_no_wasmtime})"
           if tools.why_no_wasmtime and not args.native_only else ""))
    for directory in (BUILD, LOGS, DATA):
        directory.mkdir(parents=True, exist_ok=True)
    for stale in LOGS.glob("run-*"):
        stale.unlink()

    spawntime = BUILD / "spawntime"
    build_c(tools, "gcc", "spawntime", [BENCH / "tools" / "spawntime.c"], spawntime, [], [])

    all_benchmarks = benchmarks()
    selected = [b for b in all_benchmarks
                if (not args.only or any(b.name.startswith(p) for p in args.only.split(",")))
                and not (args.skip_real and b.group == "real")]
    failures: list[str] = []

    programs = {n: kernel_program(n, BENCH / "kernels" / f"{n}.c")
                for n in ["hello", "matmul", "nbody", "fannkuch", "spectral", "mandelbrot", "bintrees",
                          "sha256", "sort", "strings", "workmix"]}
    programs["syscalls"] = Program("syscalls", lambda t, v, o: build_c(
        t, v, "syscalls", [BENCH / "sys" / "syscalls.c"], o, [], []),
        no_wasi="Linux system calls: WASI has no getpid, and its read/write/open/clock are other calls")
    if any(b.group == "real" for b in selected):
        try:
            trees = fetch_sources()
            programs["lua"] = lua_program(trees)
            programs["sqlite3"] = sqlite_program(trees, args.jobs)
            programs["lua-O0"] = lua_program(trees, "-O0")
            programs["sqlite3-O0"] = sqlite_program(trees, args.jobs, "-O0")
            programs["zbench"] = zlib_program(trees)
        except BuildError as error:
            failures.append(f"real programs skipped: {error}")
            log(f"  {failures[-1]}")
            selected = [b for b in selected if b.group != "real"]

    needed = ["hello"] + sorted({b.program for b in selected}
                                | {b.native_program for b in selected if b.native_program})
    executables: dict[tuple[str, str], Path] = {}
    build_errors: dict[tuple[str, str], str] = {}
    compiles: list[dict] = []
    # Compilers run `--jobs` at a time (each build is one compiler process, or Lua's make -j1);
    # walic compilations come afterwards, one at a time, so their timings are not disturbed.
    if "sqlite3" in needed:
        try:
            sqlite_amalgamation(trees["sqlite3"], tools, args.jobs)
        except BuildError as error:
            failures.append(f"SQLite amalgamation: {error}")
            needed = [n for n in needed if not n.startswith("sqlite3")]
            selected = [b for b in selected if not b.program.startswith("sqlite3")]

    def build_one(name: str, variant: str) -> None:
        if variant in ("wasm", "wasm-simd", "wasi"):
            output = BUILD / variant / f"{name}.wasm"
        else:
            output = BUILD / "bin" / variant / name
        try:
            executables[(variant, name)] = programs[name].build(tools, variant, output)
        except BuildError as error:
            build_errors[(variant, name)] = str(error)
            failures.append(f"build of `{name}` with "
                            f"{tools.compiler(variant) if not variant.startswith('wasm') else 'wali-cc'}"
                            f"{' for WASI' if variant == 'wasi' else ''} failed: {error}")
            log(f"  FAILED: {error}")

    log(f"building {len(needed)} programs x {len(build_variants)} variants ({args.jobs} at a time)")
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for future in [pool.submit(build_one, n, v) for n in needed for v in build_variants
                       if (v != "wasi" or not programs[n].no_wasi)
                       and (v == "wasm" or not programs[n].wasm_only)
                       and (v != "wasm-simd" or programs[n].simd)]:
            future.result()
    for name, runner in [(n, r) for n in needed for r in runners
                         if n == "hello" or runner_applies(r, programs[n])]:
        module_variant, runner_flags = WALIC_RUNNERS[runner]
        wasm = executables.get((module_variant, name))
        if wasm and tools.walic:
            exe = BUILD / "bin" / runner / name
            exe.parent.mkdir(parents=True, exist_ok=True)
            code_mb = code_section_size(wasm) / 1e6
            module = name + {"walic": "", "walic-simd": " (-msimd128)"}.get(
                runner, f" ({shlex.join(runner_flags)})")
            record = {"module": module, "code_mb": code_mb}
            log(f"walic {name}.wasm ({code_mb:.2f} MB of code)")
            walls, cpus = [], []
            for _ in range(args.compile_runs):
                exe.unlink(missing_ok=True)
                command = [str(tools.walic), *tools.walic_flags, *runner_flags, "-v", str(wasm),
                           "-o", str(exe)]
                samples = spawn([str(spawntime)], command, 1, "/dev/null",
                                LOGS / f"{runner}-{name}.log", 1800)
                s = samples[0]
                if s.status != 0 or not exe.exists():
                    err = (LOGS / f"{runner}-{name}.err").read_text(errors="replace").strip()
                    lines = err.splitlines()[-6:]
                    record["error"] = f"walic failed (status {s.status})"
                    failures.append(f"walic failed on `{name}.wasm` (status {s.status}): "
                                    + (" / ".join(lines) or "no message")
                                    + f" (log: build/bench/logs/{runner}-{name}.err)")
                    build_errors[(runner, name)] = record["error"]
                    log(f"  FAILED: {failures[-1]}")
                    break
                walls.append(s.wall)
                cpus.append(s.user + s.sys)
                record["phases"] = walic_phases(LOGS / f"{runner}-{name}.err")
            if "error" not in record:
                record.update(wall=statistics.median(walls), cpu=statistics.median(cpus),
                              exe_mb=exe.stat().st_size / 1e6)
                executables[(runner, name)] = exe
            compiles.append(record)

    generate_inputs(args.quick, executables.get(("gcc", "zbench")))
    if args.build_only:
        for line in failures:
            log(f"failure: {line}")
        log("built: " + ", ".join(f"{n}/{v}" for v, n in sorted(executables)))
        return 1 if failures else 0

    results: dict[str, dict[str, Cell]] = {}
    for bench in selected:
        # No wasmtime cell where the program has no WASI build (the report says why), and no
        # cell for a walic column that does not apply to the program.
        program = programs[bench.program]
        bench_variants = [v for v in variants
                          if (v != "wasmtime" or not program.no_wasi)
                          and (v not in WALIC_RUNNERS or runner_applies(v, program))]
        log(f"run {bench.name} ({', '.join(bench_variants)})")
        cells = run_benchmark(bench, bench_variants, executables, build_errors, tools, spawntime,
                              args.rounds, args.iwasm_rounds, args.quick)
        results[bench.name] = cells
        base = cells["gcc"].median if cells["gcc"].ok else None
        log("  " + "  ".join(f"{v}={fmt_time(c, base)}" for v, c in cells.items()))
        for v, c in cells.items():
            if c.error and c.error not in ("build failed", "not built"):
                failures.append(f"`{bench.name}` under {v}: {c.error} "
                                f"(output kept in build/bench/logs/run-{bench.name}-{v}.*)")

    log("run start-up (hello world)")
    rounds = 10
    startup = measure_startup(variants, executables, tools, spawntime, rounds,
                              max(1, args.startup_runs // rounds))
    log("  " + "  ".join(f"{v}={c.median * 1000:.3f} ms" if c.ok else f"{v}={c.error}"
                         for v, c in startup.items()))

    elapsed = time.monotonic() - started
    no_wasi = {b.name: programs[b.program].no_wasi for b in selected if programs[b.program].no_wasi}
    text = report(results, variants, startup, compiles, info, args, tools, failures, elapsed,
                  {b.name: b for b in all_benchmarks}, no_wasi)
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(text)
    raw = {
        "machine": info,
        "variants": variants,
        "results": {n: {v: {"error": c.error, "samples": [s.__dict__ for s in c.samples]}
                        for v, c in cells.items()} for n, cells in results.items()},
        "startup": {v: {"error": c.error, "samples": [s.wall for s in c.samples]} for v, c in startup.items()},
        "compiles": compiles,
        "failures": failures,
    }
    Path(args.output).with_suffix(".json").write_text(json.dumps(raw, indent=1))
    print()
    print(text)
    log(f"report: {Path(args.output).relative_to(ROOT) if Path(args.output).is_relative_to(ROOT) else args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
