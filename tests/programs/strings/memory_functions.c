// memcpy, memmove (overlapping both ways), memset and memcmp over every small length and
// alignment, and over large buffers; results are checked byte by byte and summarized.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char source[4096 + 64], target[4096 + 64], expected[4096 + 64];

static void fill(unsigned char *p, size_t n, unsigned seed) {
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(seed + i * 31 + (i >> 8));
}

static int sign(int value) { return (value > 0) - (value < 0); }

int main(void) {
    unsigned failures = 0, checks = 0;
    for (size_t length = 0; length <= 300; length++) {
        for (size_t from = 0; from < 8; from++) {
            for (size_t to = 0; to < 8; to++) {
                fill(source, sizeof source, (unsigned)length);
                memset(target, 0xee, sizeof target);
                memcpy(target + to, source + from, length);
                for (size_t i = 0; i < sizeof target; i++) {
                    unsigned char want = (i >= to && i < to + length) ? source[from + i - to] : 0xee;
                    failures += target[i] != want;
                }
                checks++;
            }
        }
    }
    printf("memcpy: %u layouts, %u wrong bytes\n", checks, failures);

    failures = checks = 0;
    for (size_t length = 0; length <= 200; length += 7) {
        for (int shift = -9; shift <= 9; shift++) {
            fill(target, sizeof target, 5);
            memcpy(expected, target, sizeof target);
            size_t from = 100, to = (size_t)(100 + shift);
            unsigned char temporary[512];
            memcpy(temporary, expected + from, length);
            memcpy(expected + to, temporary, length);
            memmove(target + to, target + from, length);
            failures += memcmp(target, expected, sizeof target) != 0;
            checks++;
        }
    }
    printf("memmove: %u overlaps, %u wrong\n", checks, failures);

    failures = 0;
    for (size_t length = 0; length < 100; length++)
        for (size_t offset = 0; offset < 8; offset++) {
            memset(target, 1, 200);
            memset(target + offset, 0xab, length);
            for (size_t i = 0; i < 200; i++)
                failures += target[i] != ((i >= offset && i < offset + length) ? 0xab : 1);
        }
    printf("memset: %u wrong bytes\n", failures);

    int signs[5] = {0};
    for (size_t length = 1; length < 64; length++) {
        fill(source, length, 9);
        memcpy(target, source, length);
        signs[sign(memcmp(source, target, length)) + 1]++;
        target[length - 1]++;
        signs[sign(memcmp(source, target, length)) + 1]++;
        target[length - 1] -= 2;
        signs[sign(memcmp(source, target, length)) + 1]++;
    }
    printf("memcmp signs: less %d equal %d greater %d\n", signs[0], signs[1], signs[2]);
    unsigned char high = 0x80, low = 0x7f;
    printf("memcmp is unsigned: %d\n", sign(memcmp(&high, &low, 1)));

    size_t big = 8 << 20;
    unsigned char *a = malloc(big), *b = malloc(big);
    for (size_t i = 0; i < big; i++)
        a[i] = (unsigned char)(i ^ (i >> 11));
    memcpy(b, a, big);
    memmove(b + 1, b, big - 1);
    memmove(b, b + 1, big - 1);
    uint64_t hash = 1469598103934665603ULL;
    for (size_t i = 0; i < big; i++)
        hash = (hash ^ b[i]) * 1099511628211ULL;
    printf("8 MiB copy and moves: equal %d, hash %016llx\n", memcmp(a, b, big - 1) == 0, (unsigned long long)hash);
    memset(b, 0, big);
    printf("memset 8 MiB: first %d last %d\n", b[0], b[big - 1]);
    free(a);
    free(b);
    return 0;
}
