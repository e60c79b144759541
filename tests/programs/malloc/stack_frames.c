// Memory on the stack, as ordinary C programs use it: a 256 KiB local array, recursion with 16 KiB
// frames 48 deep (768 KiB), and variable-length arrays. A native Linux program has an 8 MiB stack;
// in wasm the C stack is an area of linear memory whose size the linker sets, so this checks that
// WALI programs get a stack of a comparable size.
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint32_t checksum(const unsigned char *data, size_t length) {
    uint32_t hash = 2166136261u; // FNV-1a
    for (size_t i = 0; i < length; i++)
        hash = (hash ^ data[i]) * 16777619u;
    return hash;
}

static uint32_t recurse(int depth) {
    unsigned char frame[16384];
    for (size_t i = 0; i < sizeof frame; i++)
        frame[i] = (unsigned char)(depth + i);
    uint32_t below = depth > 0 ? recurse(depth - 1) : 0;
    return below ^ checksum(frame, sizeof frame);
}

static uint32_t variable_length(size_t length) {
    unsigned char data[length];
    memset(data, (int)(length & 0xff), length);
    return checksum(data, length);
}

int main(void) {
    unsigned char big[256 * 1024];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (unsigned char)(i * 7);
    printf("256 KiB local array: %08x\n", checksum(big, sizeof big));
    printf("48 frames of 16 KiB: %08x\n", recurse(47));
    for (size_t length = 1000; length <= 512000; length *= 8)
        printf("VLA of %zu bytes: %08x\n", length, variable_length(length));
    return 0;
}
