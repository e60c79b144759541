/* Small helpers shared by walic's benchmark kernels.
 *
 * Every kernel takes one optional argument, a size, so the runner can scale the work; without it the
 * kernel uses a default chosen to take about half a second to two seconds when compiled natively.
 * Every kernel prints a deterministic result that must be byte-identical across gcc, clang and
 * walic builds: only fixed-width integer types cross printf, and floating-point work avoids libm
 * functions other than sqrt (glibc's and musl's transcendental functions round differently).
 *
 * Output is flushed explicitly before main returns so the result is visible even under a libc whose
 * return-from-main path skips stdio's exit flush. */
#ifndef WALIC_BENCH_COMMON_H
#define WALIC_BENCH_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Size argument: argv[1] if present (must be a positive integer), otherwise the default. */
static long bench_size(int argc, char **argv, long fallback)
{
    if (argc < 2)
        return fallback;
    char *end = 0;
    long value = strtol(argv[1], &end, 10);
    if (!end || *end || value <= 0) {
        fprintf(stderr, "usage: %s [positive size]\n", argv[0]);
        exit(2);
    }
    return value;
}

/* A 64-bit xorshift-multiply generator: deterministic, fast, identical on every target. */
typedef struct { uint64_t state; } bench_rng;

static inline uint64_t bench_next(bench_rng *rng)
{
    uint64_t x = rng->state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng->state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* Uniform double in [0, 1) built from the top 53 bits. */
static inline double bench_unit(bench_rng *rng)
{
    return (double)(bench_next(rng) >> 11) * (1.0 / 9007199254740992.0);
}

/* FNV-1a over a byte range, for checksumming buffers. */
static inline uint64_t bench_fnv(uint64_t hash, const void *data, size_t length)
{
    const unsigned char *bytes = (const unsigned char *)data;
    for (size_t i = 0; i < length; i++) {
        hash ^= bytes[i];
        hash *= 0x100000001B3ULL;
    }
    return hash;
}

static inline uint64_t bench_mix(uint64_t hash, uint64_t value)
{
    return bench_fnv(hash, &value, sizeof value);
}

#define BENCH_FNV_INIT 0xCBF29CE484222325ULL

static int bench_finish(void)
{
    fflush(stdout);
    return 0;
}

#endif
