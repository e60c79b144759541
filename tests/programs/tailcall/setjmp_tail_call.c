// A function that calls setjmp and ends in a tail call: walic keeps that call a guarded call
// followed by a return (docs/calls.md), so a longjmp back to the setjmp from the end of the chain
// finds the frame alive, as natively (gcc makes no sibling call in a function that calls setjmp).
// The chain's own 40 million tail calls are real ones.
// wasm-cflags: -mtail-call
#include <setjmp.h>
#include <stdio.h>
#include "../include/musttail.h"

static jmp_buf env;
static volatile int jumps;

static __attribute__((noinline)) long count_down(long n, long acc);

static __attribute__((noinline)) long count_up(long n, long acc) {
    if (n == 0) {
        if (jumps < 3)
            longjmp(env, 1);
        return acc;
    }
    MUSTTAIL return count_down(n - 1, acc + 2);
}

static __attribute__((noinline)) long count_down(long n, long acc) {
    MUSTTAIL return count_up(n, acc - 1);
}

// Calls setjmp, then tail-calls: each longjmp from the end of the chain restarts the chain.
static __attribute__((noinline)) long guarded(long n, long acc) {
    if (setjmp(env))
        jumps++;
    MUSTTAIL return count_up(n, acc + jumps);
}

int main(void) {
    long r = guarded(20000000, 0);
    printf("jumps %d, result %ld\n", jumps, r);
    return 0;
}
