// malloc of every size from 0 to 4 KiB and of powers of two up to 64 MiB: each block is filled
// with its own pattern, checked after all allocations, and freed in a different order; calloc
// zeroes (also memory that malloc handed out dirty before); alignment is at least 16.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fill(unsigned char *p, size_t n, unsigned tag) {
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(tag * 13 + i);
}
static size_t check(const unsigned char *p, size_t n, unsigned tag) {
    size_t wrong = 0;
    for (size_t i = 0; i < n; i++)
        wrong += p[i] != (unsigned char)(tag * 13 + i);
    return wrong;
}

int main(void) {
    enum { SMALL = 4097 };
    static unsigned char *blocks[SMALL];
    size_t misaligned = 0, null = 0;
    for (size_t size = 0; size < SMALL; size++) {
        blocks[size] = malloc(size);
        null += blocks[size] == NULL;
        misaligned += (uintptr_t)blocks[size] % 16 != 0;
        if (blocks[size])
            fill(blocks[size], size, (unsigned)size);
    }
    size_t wrong = 0;
    for (size_t size = 0; size < SMALL; size++)
        if (blocks[size])
            wrong += check(blocks[size], size, (unsigned)size);
    printf("small: %d blocks, %zu NULL, %zu misaligned, %zu wrong bytes\n", SMALL, null, misaligned, wrong);
    for (size_t size = 1; size < SMALL; size += 2)
        free(blocks[size]);
    for (size_t size = 1; size < SMALL; size += 2) {
        blocks[size] = malloc(size);
        fill(blocks[size], size, (unsigned)size);
    }
    wrong = 0;
    for (size_t size = 0; size < SMALL; size++)
        wrong += check(blocks[size], size, (unsigned)size);
    printf("after freeing and reallocating every other block: %zu wrong bytes\n", wrong);
    for (size_t size = SMALL; size-- > 0;)
        free(blocks[size]);

    for (size_t shift = 0; shift <= 26; shift++) {
        size_t size = (size_t)1 << shift;
        unsigned char *p = malloc(size);
        if (!p) {
            printf("2^%zu: NULL\n", shift);
            continue;
        }
        p[0] = 1;
        p[size / 2] = 2;
        p[size - 1] = 3;
        unsigned sum = p[0] + p[size / 2] + p[size - 1];
        printf("2^%zu: aligned %d, ends hold %u\n", shift, (uintptr_t)p % 16 == 0, sum);
        free(p);
    }

    size_t dirty_zero = 0;
    for (size_t size = 1; size <= 100000; size = size * 3 + 1) {
        unsigned char *dirty = malloc(size);
        memset(dirty, 0xa5, size);
        free(dirty);
        unsigned char *clean = calloc(size, 1);
        for (size_t i = 0; i < size; i++)
            dirty_zero += clean[i] != 0;
        free(clean);
    }
    printf("calloc: %zu non-zero bytes\n", dirty_zero);
    int *array = calloc(1000, sizeof *array);
    long total = 0;
    for (int i = 0; i < 1000; i++)
        total += array[i] + (array[i] = i);
    printf("calloc array: total %ld\n", total);
    free(array);
    // Through a volatile pointer: a compiler may drop an allocation whose result is only tested.
    static void *volatile impossible;
    impossible = calloc(SIZE_MAX / 2, 4);
    printf("calloc overflow: %s\n", impossible ? "allocated" : "NULL");
    free(impossible);
    impossible = malloc(SIZE_MAX);
    printf("malloc(SIZE_MAX): %s\n", impossible ? "allocated" : "NULL");
    free(impossible);
    free(NULL);
    return 0;
}
