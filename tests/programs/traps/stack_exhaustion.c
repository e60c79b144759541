// Unbounded recursion exhausts the stack: the WALI build traps with "call stack exhausted" (status
// 134), natively the guard page gives SIGSEGV. The recursion goes through a volatile function
// pointer so no compiler can turn it into a loop, and keeps its locals in registers so it is the
// native call stack, not wasm's shadow stack in linear memory, that runs out.
// wasm-exit: 134
// wasm-stderr: walic: wasm trap: call stack exhausted
// native-signal: SIGSEGV
#include <stdio.h>

static int recurse(int depth);
static int (*volatile next_call)(int) = recurse;
static volatile int deepest;

static int recurse(int depth) {
    deepest = depth;
    return next_call(depth + 1) + depth;
}

int main(void) {
    printf("recursing\n");
    fflush(stdout);
    int result = recurse(0);
    printf("no trap: %d\n", result);
    return 3;
}
