// Traps inside callees that walic inlines at -O2 are reported with their own message (the
// function named may be the caller). The helpers are small and called once each, so they are
// inlined into main. Natively the same operations raise a signal. The indirect call through a
// pointer of another type traps nowhere: it is made as natively (docs/calls.md), from inlined
// code too, and both builds return 3.
// wasm-exit: 134
// case: divide
// args: divide
// wasm-stderr: walic: wasm trap: integer divide by zero
// native-signal: SIGFPE
// case: overflow
// args: overflow
// wasm-stderr: walic: wasm trap: integer overflow
// native-signal: SIGFPE
// case: bounds
// args: bounds
// wasm-stderr: walic: wasm trap: out of bounds memory access
// native-signal: SIGSEGV
// case: unreachable
// args: unreachable
// wasm-stderr: walic: wasm trap: unreachable
// native-signal: SIGILL
// case: indirect
// args: indirect
// wasm-exit: 3
// native-exit: 3
// case: recursion
// args: recursion
// wasm-stderr: walic: wasm trap: call stack exhausted
// native-signal: SIGSEGV
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define NOINLINE __attribute__((noinline))

static volatile int zero = 0;
static volatile int minus_one = -1;
static volatile uintptr_t far_away = 0xfffffff0u;
// Results go to a volatile sink, so that clang cannot drop a call whose result is unused (it
// treats division by zero as impossible).
static volatile int sink;

NOINLINE static int divide(int a, int b) { return a / b; }
NOINLINE static int overflow(int a, int b) { return a / b; }
NOINLINE static int load(uintptr_t address) { return *(volatile int *)address; }
NOINLINE static void never(void) { __builtin_trap(); }
NOINLINE static int takes_int(int x) { return x + 1; }
// Through a volatile pointer, so that clang does not see the mismatch (and emit a trap itself).
static void *volatile takes_int_address = (void *)takes_int;
NOINLINE static int call_through(void *f) { return ((int (*)(double))f)(1.5); }
// Mutual recursion: each is inlined into the other, so one native frame holds two levels. The
// result is used twice, so that clang cannot turn the recursion into a loop.
NOINLINE static int deep_odd(int n);
NOINLINE static int deep_even(int n) {
    sink = n;
    int r = deep_odd(n + 1);
    return r ^ (r >> 3) ^ n;
}
NOINLINE static int deep_odd(int n) {
    int r = deep_even(n + 1);
    return r ^ (r >> 5) ^ n;
}

int main(int argc, char **argv) {
    const char *what = argc > 1 ? argv[1] : "";
    printf("trapping in an inlined callee: %s\n", what);
    fflush(stdout);
    if (strcmp(what, "divide") == 0)
        sink = divide(7, zero);
    else if (strcmp(what, "overflow") == 0)
        sink = overflow(INT32_MIN + zero, minus_one);
    else if (strcmp(what, "bounds") == 0)
        sink = load(far_away);
    else if (strcmp(what, "unreachable") == 0)
        never();
    else if (strcmp(what, "indirect") == 0)
        sink = call_through(takes_int_address);
    else if (strcmp(what, "recursion") == 0)
        sink = deep_even(zero);
    // Reached after the indirect call through a pointer of another type.
    return 3;
}
