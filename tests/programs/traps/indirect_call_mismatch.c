// With `--strict-indirect-calls`, calling a function through a pointer of the wrong type traps as
// the WebAssembly specification says: "indirect call type mismatch" (status 134). Natively the
// call just happens (undefined behaviour without a check) and returns, and the native build exits
// with 3. Without the option walic makes the call as natively (calls/function_pointer_casts).
// walic-flags: --strict-indirect-calls
// wasm-exit: 134
// wasm-stderr: walic: wasm trap: indirect call type mismatch
// native-exit: 3
#include <stdio.h>

static int takes_two(int a, int b) { return a + b; }

typedef double (*takes_a_double)(double);
static volatile takes_a_double wrong_type;

int main(void) {
    wrong_type = (takes_a_double)(void *)takes_two;
    printf("calling through the wrong type\n");
    fflush(stdout);
    double result = wrong_type(1.5);
    return result == result ? 3 : 4;
}
