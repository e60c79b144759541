// A load and a store through a pointer far outside the 2 GiB linear memory trap in wasm with "out
// of bounds memory access" (status 134); natively the address is unmapped and gives SIGSEGV.
// wasm-exit: 134
// wasm-stderr: walic: wasm trap: out of bounds memory access
// native-signal: SIGSEGV
// case: load
// args: load
// case: store
// args: store
// case: memcpy
// args: memcpy
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static volatile uintptr_t huge_address = 0xfffffff0u;

int main(int argc, char **argv) {
    const char *access = argc > 1 ? argv[1] : "load";
    printf("%s at %#lx\n", access, (unsigned long)huge_address);
    fflush(stdout);
    volatile int *pointer = (volatile int *)huge_address;
    if (strcmp(access, "load") == 0) {
        printf("no trap: %d\n", *pointer);
    } else if (strcmp(access, "store") == 0) {
        *pointer = 42;
        printf("no trap\n");
    } else {
        char buffer[64] = "source";
        memcpy((void *)huge_address, buffer, sizeof buffer);
        printf("no trap\n");
    }
    return 3;
}
