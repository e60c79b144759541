// Tail calls through function pointers of another type (docs/calls.md): a table typed
// `long (*)(long, long)` also holds a handler declared `int (int, int)`, which continues the
// chain through an `int (*)(int, int)` pointer to the `long` handler. clang emits
// `return_call_indirect` with the pointer's type; where the callee's type differs, walic calls it
// through the call-cast adapter as x86-64 would (an i32 argument zero-extended, an i64 result
// read as its low half). Those hops keep their frames (3,000 of them); the matching calls
// between them stay real tail calls (3 million in all). Values stay below 2^30, where the native
// and the wasm conversions agree.
// wasm-cflags: -mtail-call
// timeout: 30
#include <stdio.h>
#include "../include/musttail.h"

typedef long (*step)(long n, long acc);
typedef int (*int_step)(int n, int acc);
static step steps[2];

static long step_fast(long n, long acc) {
    if (n == 0)
        return acc;
    acc = (acc * 31 + n) & 0x3fffffff;
    MUSTTAIL return steps[n % 1000 == 0](n - 1, acc);
}

static int step_int(int n, int acc) {
    acc = (acc ^ (n << 3)) & 0x3fffffff;
    MUSTTAIL return ((int_step)steps[0])(n, acc);
}

int main(void) {
    steps[0] = step_fast;
    steps[1] = (step)step_int;
    for (long start = 999; start <= 3000000; start += 999999)
        printf("run(%ld) = %ld\n", start, steps[0](start, 1));
    return 0;
}
