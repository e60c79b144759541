// Integer division and remainder by zero trap in wasm ("integer divide by zero", status 134);
// natively the CPU raises SIGFPE. Both the 32-bit and 64-bit cases are tried, in separate cases.
// wasm-exit: 134
// wasm-stderr: walic: wasm trap: integer divide by zero
// native-signal: SIGFPE
// case: div32
// args: div32
// case: rem32
// args: rem32
// case: div64
// args: div64
// case: udiv64
// args: udiv64
#include <stdio.h>
#include <string.h>

static volatile int zero32 = 0;
static volatile long long zero64 = 0;

int main(int argc, char **argv) {
    const char *operation = argc > 1 ? argv[1] : "div32";
    printf("dividing: %s\n", operation);
    fflush(stdout);
    long long result = 0;
    if (strcmp(operation, "div32") == 0)
        result = 7 / zero32;
    else if (strcmp(operation, "rem32") == 0)
        result = 7 % zero32;
    else if (strcmp(operation, "div64") == 0)
        result = 7LL / zero64;
    else
        result = 7ULL / (unsigned long long)zero64;
    printf("no trap: %lld\n", result);
    return 3;
}
