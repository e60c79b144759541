// Integer arithmetic as C defines it: signed division and remainder signs, unsigned wrap-around,
// shifts, 64-bit and 128-bit multiplication and division (software on wasm32), bit-counting
// builtins, byte swaps, and conversions between widths.
#include <limits.h>
#include <stdint.h>
#include <stdio.h>

static volatile int64_t samples[] = {0, 1, -1, 7, -7, 3, -3, 1000000007, -1000000007, INT32_MAX, INT32_MIN,
                                     INT64_MAX, INT64_MIN + 1, 0x123456789abcdefLL, -0x0fedcba987654321LL};

static void print_u128(unsigned __int128 value) {
    char digits[64];
    int n = 0;
    do {
        digits[n++] = (char)('0' + (int)(value % 10));
        value /= 10;
    } while (value);
    while (n)
        putchar(digits[--n]);
}

int main(void) {
    size_t n = sizeof samples / sizeof *samples;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            int64_t a = samples[i], b = samples[j];
            uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
            printf("%lld %lld: ", (long long)a, (long long)b);
            if (b != 0 && !(a == INT64_MIN && b == -1))
                printf("/ %lld %% %lld ", (long long)(a / b), (long long)(a % b));
            if (ub != 0)
                printf("u/ %llu u%% %llu ", (unsigned long long)(ua / ub), (unsigned long long)(ua % ub));
            printf("u* %llu u+ %llu u- %llu ", (unsigned long long)(ua * ub), (unsigned long long)(ua + ub),
                   (unsigned long long)(ua - ub));
            int32_t a32 = (int32_t)a, b32 = (int32_t)b;
            if (b32 != 0 && !(a32 == INT32_MIN && b32 == -1))
                printf("32/ %d 32%% %d ", a32 / b32, a32 % b32);
            unsigned __int128 product = (unsigned __int128)ua * ub;
            printf("hi %016llx ", (unsigned long long)(product >> 64));
            __int128 sp = (__int128)a * b;
            if (b != 0)
                printf("128/ %lld", (long long)(sp / b));
            printf("\n");
        }
    for (int s = 0; s < 64; s += 5) {
        int64_t v = (int64_t)0x8123456789abcdefULL;
        printf("shift %2d: << %016llx >> %016llx u>> %016llx rot %016llx\n", s, (unsigned long long)((uint64_t)v << s),
               (unsigned long long)(v >> s), (unsigned long long)((uint64_t)v >> s),
               (unsigned long long)(((uint64_t)v << s) | ((uint64_t)v >> ((64 - s) & 63))));
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t u = (uint64_t)samples[i];
        printf("%016llx: popcount %d clz %d ctz %d bswap %016llx bswap32 %08x parity %d\n", (unsigned long long)u,
               __builtin_popcountll(u), u ? __builtin_clzll(u) : 64, u ? __builtin_ctzll(u) : 64,
               (unsigned long long)__builtin_bswap64(u), __builtin_bswap32((uint32_t)u), __builtin_parityll(u));
        printf("    as int8 %d uint8 %u int16 %d uint16 %u int32 %d uint32 %u\n", (int8_t)u, (uint8_t)u, (int16_t)u,
               (uint16_t)u, (int32_t)u, (uint32_t)u);
    }
    unsigned __int128 factorial = 1;
    for (int i = 1; i <= 34; i++)
        factorial *= (unsigned)i;
    printf("34! = ");
    print_u128(factorial);
    printf("\n34!/33! = ");
    unsigned __int128 f33 = 1;
    for (int i = 1; i <= 33; i++)
        f33 *= (unsigned)i;
    print_u128(factorial / f33);
    printf("\n");
    int overflow_detected = 0;
    int result;
    overflow_detected += __builtin_add_overflow(INT_MAX, 1, &result);
    overflow_detected += __builtin_mul_overflow(65536, 65536, &result);
    overflow_detected += __builtin_sub_overflow(INT_MIN, 1, &result);
    printf("overflow builtins: %d\n", overflow_detected);
    return 0;
}
