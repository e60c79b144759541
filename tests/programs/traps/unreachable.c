// __builtin_trap() is wasm's `unreachable`: the WALI build reports the trap and exits with 134;
// natively it is an illegal instruction (SIGILL). Output written before the trap survives.
// wasm-exit: 134
// wasm-stderr: walic: wasm trap: unreachable
// native-signal: SIGILL
#include <stdio.h>

static volatile int reach_the_trap = 1;

int main(void) {
    printf("before the trap\n");
    fflush(stdout);
    if (reach_the_trap)
        __builtin_trap();
    printf("not reached\n");
    return 0;
}
