// Plain C loops that clang auto-vectorizes with -msimd128 (the WALI build), gcc compiling them as
// it likes (integer reductions, element-wise float arithmetic with no reassociation, so exact, byte
// transforms, clamping to narrower types, conversions, shifts and a small matrix multiply). The
// array lengths are not multiples of the vector width, so the scalar tails run too.
// wasm-cflags: -msimd128
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define N 1003

static int32_t ia[N], ib[N];
static int16_t sa[N], sb[N];
static uint8_t bytes[N];
static float fa[N], fb[N], fc[N];
static double da[N];

static uint64_t hash(const void *p, size_t n) {
    const uint8_t *b = p;
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211u;
    return h;
}

__attribute__((noinline)) static int64_t sum_i32(const int32_t *a, int n) {
    int64_t s = 0;
    for (int i = 0; i < n; i++)
        s += a[i];
    return s;
}

__attribute__((noinline)) static uint32_t dot_i16(const int16_t *a, const int16_t *b, int n) {
    uint32_t s = 0; // wraps, as the vector sum may
    for (int i = 0; i < n; i++)
        s += (uint32_t)(a[i] * b[i]);
    return s;
}

__attribute__((noinline)) static void saxpy(float *y, const float *x, float k, int n) {
    for (int i = 0; i < n; i++)
        y[i] = k * x[i] + y[i];
}

__attribute__((noinline)) static void to_upper(uint8_t *s, int n) {
    for (int i = 0; i < n; i++)
        s[i] = (s[i] >= 'a' && s[i] <= 'z') ? s[i] - 32 : s[i];
}

__attribute__((noinline)) static void clamp_to_u8(uint8_t *out, const int32_t *in, int n) {
    for (int i = 0; i < n; i++) {
        int32_t v = in[i];
        out[i] = v < 0 ? 0 : v > 255 ? 255 : (uint8_t)v;
    }
}

__attribute__((noinline)) static void min_max(const int16_t *a, int n, int16_t *lo, int16_t *hi) {
    int16_t l = a[0], h = a[0];
    for (int i = 1; i < n; i++) {
        l = a[i] < l ? a[i] : l;
        h = a[i] > h ? a[i] : h;
    }
    *lo = l;
    *hi = h;
}

__attribute__((noinline)) static void convert(int32_t *out, const float *in, double *wide, int n) {
    for (int i = 0; i < n; i++) {
        out[i] = (int32_t)in[i];
        wide[i] = (double)in[i] * 0.5;
    }
}

__attribute__((noinline)) static void shifts(uint32_t *out, const int32_t *a, const int32_t *b,
                                            int n) {
    for (int i = 0; i < n; i++)
        out[i] = ((uint32_t)a[i] >> 3) ^ (uint32_t)(b[i] << 5) ^ (uint32_t)(a[i] >> 7);
}

__attribute__((noinline)) static int count_equal(const uint8_t *a, uint8_t c, int n) {
    int k = 0;
    for (int i = 0; i < n; i++)
        k += a[i] == c;
    return k;
}

#define M 19
static float ma[M][M], mb[M][M], mc[M][M];

__attribute__((noinline)) static void matmul(void) {
    for (int i = 0; i < M; i++)
        for (int j = 0; j < M; j++)
            mc[i][j] = 0;
    for (int i = 0; i < M; i++)
        for (int k = 0; k < M; k++)
            for (int j = 0; j < M; j++)
                mc[i][j] += ma[i][k] * mb[k][j];
}

int main(void) {
    uint32_t seed = 12345;
    for (int i = 0; i < N; i++) {
        seed = seed * 1103515245u + 12345u;
        ia[i] = (int32_t)seed >> 3;
        ib[i] = (int32_t)(seed >> 20) - 1000;
        sa[i] = (int16_t)(seed >> 7);
        sb[i] = (int16_t)(seed >> 13);
        bytes[i] = (uint8_t)(32 + (seed >> 24) % 95);
        fa[i] = (float)(int32_t)(seed >> 9) / 1024.0f;
        fb[i] = (float)i * 0.25f - 100.0f;
    }
    for (int i = 0; i < M; i++)
        for (int j = 0; j < M; j++) {
            ma[i][j] = (float)((i * 7 + j * 3) % 11) - 5.0f;
            mb[i][j] = (float)((i * 5 + j) % 13) * 0.5f;
        }

    printf("sum_i32 %lld\n", (long long)sum_i32(ia, N));
    printf("dot_i16 %u\n", dot_i16(sa, sb, N));
    memcpy(fc, fb, sizeof fc);
    saxpy(fc, fa, 1.5f, N);
    printf("saxpy %016llx\n", (unsigned long long)hash(fc, sizeof fc));
    to_upper(bytes, N);
    printf("to_upper %.40s %016llx\n", (char *)bytes, (unsigned long long)hash(bytes, N));
    printf("count_equal %d\n", count_equal(bytes, 'A', N));
    uint8_t clamped[N];
    clamp_to_u8(clamped, ib, N);
    printf("clamp %016llx\n", (unsigned long long)hash(clamped, N));
    int16_t lo, hi;
    min_max(sa, N, &lo, &hi);
    printf("min_max %d %d\n", lo, hi);
    int32_t ints[N];
    convert(ints, fa, da, N);
    printf("convert %016llx %016llx\n", (unsigned long long)hash(ints, sizeof ints),
           (unsigned long long)hash(da, sizeof da));
    uint32_t mixed[N];
    shifts(mixed, ia, ib, N);
    printf("shifts %016llx\n", (unsigned long long)hash(mixed, sizeof mixed));
    matmul();
    printf("matmul %016llx %g\n", (unsigned long long)hash(mc, sizeof mc), mc[M - 1][M - 1]);
    return 0;
}
