// INT_MIN / -1 overflows: wasm traps with "integer overflow" (status 134), x86-64's idiv raises
// SIGFPE. 32-bit and 64-bit.
// wasm-exit: 134
// wasm-stderr: walic: wasm trap: integer overflow
// native-signal: SIGFPE
// case: div32
// args: 32
// case: div64
// args: 64
#include <limits.h>
#include <stdio.h>
#include <string.h>

static volatile int minimum32 = INT_MIN, minus_one32 = -1;
static volatile long long minimum64 = LLONG_MIN, minus_one64 = -1;

int main(int argc, char **argv) {
    int wide = argc > 1 && strcmp(argv[1], "64") == 0;
    printf("dividing the minimum by -1 in %d bits\n", wide ? 64 : 32);
    fflush(stdout);
    long long result = wide ? minimum64 / minus_one64 : minimum32 / minus_one32;
    printf("no trap: %lld\n", result);
    return 3;
}
