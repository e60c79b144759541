// qsort and qsort_r over every array length from 0 to 300, then lengths up to 2,100 in steps and
// a few of 100,000, with element sizes 1, 3, 4, 5, 7, 8, 12, 13 and 24 bytes, at aligned and
// misaligned bases, on sorted, reversed, all-equal, organ-pipe, random and few-distinct keys.
// Equal keys make identical elements, so the order of equal elements (qsort is not stable) cannot
// show. Each sort is checked: the keys ascend, every element is intact, the multiset of keys is
// unchanged, and the comparator only ever saw pointers to elements of the array. One digest line
// per element size.
// timeout: 30
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t lcg = 1;
static uint32_t next_random(void) {
    lcg = lcg * 1103515245u + 12345u;
    return lcg >> 8;
}

static unsigned char *array_base;
static size_t array_length, element_size;
static unsigned long bad_pointers;

static void check_pointer(const void *p) {
    const unsigned char *c = p;
    if (c < array_base || c >= array_base + array_length * element_size ||
        (size_t)(c - array_base) % element_size)
        bad_pointers++;
}

// The key is the first min(size, 4) bytes, little-endian; the other bytes are derived from it.
static uint32_t key_of(const unsigned char *e) {
    uint32_t k = 0;
    for (size_t i = 0; i < element_size && i < 4; i++) k |= (uint32_t)e[i] << (8 * i);
    return k;
}

static void make_element(unsigned char *e, uint32_t k) {
    for (size_t i = 0; i < element_size; i++)
        e[i] = i < 4 ? (unsigned char)(k >> (8 * i)) : (unsigned char)(k * 31 + i * 7);
}

static int compare(const void *a, const void *b) {
    check_pointer(a);
    check_pointer(b);
    uint32_t x = key_of(a), y = key_of(b);
    return (x > y) - (x < y);
}

static int compare_r(const void *a, const void *b, void *arg) {
    ++*(unsigned long *)arg;
    return compare(a, b);
}

static uint32_t key_for(int pattern, size_t i, size_t n) {
    switch (pattern) {
    case 0: return (uint32_t)i;                          // sorted
    case 1: return (uint32_t)(n - i);                    // reversed
    case 2: return 42;                                   // all equal
    case 3: return (uint32_t)(i < n / 2 ? i : n - i);    // organ pipe
    case 4: return next_random();                        // random
    default: return next_random() % 5;                   // few distinct
    }
}

static uint64_t digest = 1469598103934665603ull;
static void mix(uint64_t v) {
    digest ^= v;
    digest *= 1099511628211ull;
}

static unsigned long failures;

static void sort_one(unsigned char *buffer, size_t offset, size_t n, size_t size, int pattern, int with_arg) {
    unsigned char *base = buffer + offset;
    array_base = base;
    array_length = n;
    element_size = size;
    uint32_t mask = size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
    uint64_t sum = 0, sum_squares = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t k = key_for(pattern, i, n) & mask;
        make_element(base + i * size, k);
        sum += k;
        sum_squares += (uint64_t)k * k;
    }
    unsigned long calls = 0;
    if (with_arg)
        qsort_r(base, n, size, compare_r, &calls);
    else
        qsort(base, n, size, compare);
    if (with_arg && n > 1 && calls == 0) failures++;
    unsigned char expect[32];
    for (size_t i = 0; i < n; i++) {
        uint32_t k = key_of(base + i * size);
        if (i && key_of(base + (i - 1) * size) > k) failures++;
        make_element(expect, k);
        if (memcmp(expect, base + i * size, size)) failures++;
        sum -= k;
        sum_squares -= (uint64_t)k * k;
        mix(k);
    }
    if (sum || sum_squares) failures++;
}

int main(void) {
    static const size_t sizes[] = {1, 3, 4, 5, 7, 8, 12, 13, 24};
    size_t max_n = 100000;
    unsigned char *buffer = malloc(max_n * 24 + 16);
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t size = sizes[s];
        digest = 1469598103934665603ull;
        unsigned long sorts = 0;
        for (size_t n = 0; n <= 2100; n += n < 300 ? 1 : 97) {
            for (int pattern = 0; pattern < 6; pattern++) {
                // Aligned to 8, to 4 only, and to nothing.
                size_t offset = (n + pattern) % 3 == 0 ? 0 : (n + pattern) % 3 == 1 ? 4 : 1;
                sort_one(buffer, offset, n, size, pattern, (int)(n + pattern) & 1);
                sorts++;
            }
        }
        if (size == 4 || size == 8 || size == 12) {
            for (int pattern = 0; pattern < 6; pattern++) {
                sort_one(buffer, 0, max_n, size, pattern, pattern & 1);
                sorts++;
            }
        }
        printf("element size %2zu: %lu sorts, digest %016llx\n", size, sorts, (unsigned long long)digest);
    }
    printf("failures %lu, bad comparator pointers %lu\n", failures, bad_pointers);
    free(buffer);
    return failures || bad_pointers;
}
