#!/usr/bin/env python3
"""wasmtime_run: run a WASI command module under wasmtime N times and report each run's time.

    wasmtime_run.py [-n RUNS] [-i STDIN] [-o STDOUT] [-e STDERR] -- MODULE [ARGS...]

It is the wasmtime column's counterpart of spawntime.c and prints the same line per run:
    <wall ns> <user us> <sys us> <max RSS KiB> <status>
so bench/run.py reads both alike. Run it with the Python of the venv that scripts/bench.sh
creates (build/bench/venv), where the `wasmtime` package from PyPI is installed.

What is timed. The module is compiled once, before any run, and that is not timed (wasmtime's
start-up and Cranelift compilation are excluded). Each run then gets a new Store with its own WASI
context (argv = [module name, ARGS...], stdin/stdout/stderr on the given files, no environment, no
preopened directories), made before the clock starts; the clock (time.perf_counter_ns) starts just
before `Linker.instantiate` and stops when the module's `_start` export returns or exits through
`proc_exit`. So a run's time is instantiation (creating the linear memory, running data
initializers) plus the whole program. The Store is freed after the clock stops.

user/sys are getrusage(RUSAGE_SELF) differences over the same interval (every thread of this
process, but nothing else runs then). Max RSS is the whole process's high-water mark, Python and
the compiled code included: not comparable with a native program's.

Status is the WASI exit code (0 when `_start` returns), 134 for a wasm trap (as walic reports
one), 127 when the module cannot be compiled or instantiated; the message goes to STDERR.

Engine configuration: wasmtime's defaults (Cranelift at opt level "speed", signal-based traps,
4 GiB of reserved address space plus guard pages per memory, so no explicit bounds checks),
with the opt level set explicitly so that a change of default cannot change the measurement.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time

import wasmtime


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", dest="runs", type=int, default=1)
    parser.add_argument("-i", dest="stdin", default="/dev/null")
    parser.add_argument("-o", dest="stdout", default="/dev/null")
    parser.add_argument("-e", dest="stderr", default="/dev/null")
    parser.add_argument("command", nargs="+", help="MODULE [ARGS...] (after --)")
    arguments = parser.parse_args()
    if arguments.runs < 1:
        parser.error("-n needs a positive number of runs")
    return arguments


def report_failure(stderr_path: str, message: str) -> None:
    with open(stderr_path, "a") as stderr:
        stderr.write(f"wasmtime_run: {message}\n")


def run_once(engine: wasmtime.Engine, linker: wasmtime.Linker, module: wasmtime.Module,
             arguments: argparse.Namespace) -> tuple[int, int, int, int]:
    """One timed run: returns (wall ns, user us, sys us, status)."""
    wasi = wasmtime.WasiConfig()
    wasi.argv = [os.path.basename(arguments.command[0]).removesuffix(".wasm"),
                 *arguments.command[1:]]
    wasi.stdin_file = arguments.stdin
    wasi.stdout_file = arguments.stdout  # created or truncated here, as spawntime does
    wasi.stderr_file = arguments.stderr
    store = wasmtime.Store(engine)
    store.set_wasi(wasi)

    usage_before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter_ns()
    status, message = 0, ""
    try:
        instance = linker.instantiate(store, module)
        start = instance.exports(store)["_start"]
        start(store)
    except wasmtime.ExitTrap as exit_trap:
        status = exit_trap.code & 0xFF
    except wasmtime.Trap as trap:
        status = 134
        message = str(trap).strip() or "wasm trap"  # its last line names the trap
    except wasmtime.WasmtimeError as error:
        status = 127
        message = str(error).strip() or "instantiation failed"
    wall = time.perf_counter_ns() - started
    usage_after = resource.getrusage(resource.RUSAGE_SELF)
    del store  # closes the WASI files, unmaps the memory: after the clock stops

    if status in (127, 134):
        report_failure(arguments.stderr, message)
    user = round((usage_after.ru_utime - usage_before.ru_utime) * 1e6)
    system = round((usage_after.ru_stime - usage_before.ru_stime) * 1e6)
    return wall, user, system, status


def main() -> int:
    arguments = parse_arguments()
    config = wasmtime.Config()
    config.cranelift_opt_level = "speed"
    engine = wasmtime.Engine(config)
    try:
        module = wasmtime.Module.from_file(engine, arguments.command[0])
    except (wasmtime.WasmtimeError, OSError) as error:
        report_failure(arguments.stderr, f"cannot compile {arguments.command[0]}: {error}")
        for _ in range(arguments.runs):
            print("0 0 0 0 127")
        return 0
    linker = wasmtime.Linker(engine)
    linker.define_wasi()

    for _ in range(arguments.runs):
        wall, user, system, status = run_once(engine, linker, module, arguments)
        max_rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"{wall} {user} {system} {max_rss_kib} {status}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
