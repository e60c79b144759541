// A trap inside a function reached by a chain of tail calls (10 million `return_call`s, whose
// frames are gone) is reported with its message and the function it happened in, as any trap.
// wasm-cflags: -mtail-call
// wasm-exit: 134
// wasm-stderr: walic: wasm trap: integer divide by zero in function countdown_odd
// native-signal: SIGFPE
#include <stdint.h>
#include <stdio.h>
#include "../include/musttail.h"

static volatile uint32_t divisor;

static __attribute__((noinline)) uint32_t countdown_odd(uint32_t n, uint32_t acc);

static __attribute__((noinline)) uint32_t countdown_even(uint32_t n, uint32_t acc) {
    MUSTTAIL return countdown_odd(n - 1, acc + n);
}

static __attribute__((noinline)) uint32_t countdown_odd(uint32_t n, uint32_t acc) {
    if (n == 1)
        return acc / divisor;
    MUSTTAIL return countdown_even(n - 1, acc ^ n);
}

int main(void) {
    printf("counting down\n");
    fflush(stdout);
    uint32_t r = countdown_even(10000000, 0);
    printf("no trap: %u\n", r);
    return 3;
}
