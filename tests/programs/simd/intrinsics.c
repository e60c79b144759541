// wasm_simd128.h intrinsics against the same operations written lane by lane in plain C (the
// native build): integer and float lane arithmetic, saturation, shifts, comparisons and bitmasks,
// shuffles and swizzles, conversions, narrowing and widening, extended multiplies, dot products,
// and lane loads and stores. Every result is printed as bytes (floats lane by lane, NaNs as
// "nan": their sign and payload differ between x86 and wasm).
// Relaxed operators are checked against walic's documented deterministic choices (docs/simd.md).
// wasm-cflags: -msimd128 -mrelaxed-simd
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef union {
    int8_t i8[16];
    uint8_t u8[16];
    int16_t i16[8];
    uint16_t u16[8];
    int32_t i32[4];
    uint32_t u32[4];
    int64_t i64[2];
    uint64_t u64[2];
    float f32[4];
    double f64[2];
} V;

static void show(const char *name, V v) {
    printf("%-22s", name);
    for (int i = 0; i < 16; i++)
        printf(" %02x", v.u8[i]);
    printf("\n");
}

static void show_f32(const char *name, V v) {
    printf("%-22s", name);
    for (int i = 0; i < 4; i++)
        isnan(v.f32[i]) ? printf(" nan") : printf(" %a", v.f32[i]);
    printf("\n");
}

static void show_f64(const char *name, V v) {
    printf("%-22s", name);
    for (int i = 0; i < 2; i++)
        isnan(v.f64[i]) ? printf(" nan") : printf(" %a", v.f64[i]);
    printf("\n");
}

static void show_i32(const char *name, int32_t x) { printf("%-22s %d\n", name, x); }

// Inputs: edge values of every lane width.
static V A, B, F, G, D, E;

static void init(void) {
    static const uint8_t a[16] = {0x00, 0x01, 0x7f, 0x80, 0xff, 0xfe, 0x10, 0x90,
                                  0x55, 0xaa, 0x33, 0xcc, 0x7e, 0x81, 0x02, 0xfd};
    static const uint8_t b[16] = {0xff, 0x7f, 0x01, 0x80, 0x01, 0x81, 0x20, 0x70,
                                  0xaa, 0x55, 0xcc, 0x33, 0x03, 0x7f, 0x40, 0x0f};
    memcpy(A.u8, a, 16);
    memcpy(B.u8, b, 16);
    float f[4] = {1.5f, -2.5f, NAN, -0.0f};
    float g[4] = {-1.25f, 3e9f, 0.0f, 0.0f};
    memcpy(F.f32, f, 16);
    memcpy(G.f32, g, 16);
    D.f64[0] = -0.5;
    D.f64[1] = 5e9;
    E.f64[0] = NAN;
    E.f64[1] = -3.75;
}

#define SAT(x, lo, hi) ((x) < (lo) ? (lo) : (x) > (hi) ? (hi) : (x))

static float wasm_minf(float a, float b) {
    if (isnan(a) || isnan(b))
        return NAN;
    if (a == b)
        return signbit(a) ? a : b;
    return a < b ? a : b;
}
static float wasm_maxf(float a, float b) {
    if (isnan(a) || isnan(b))
        return NAN;
    if (a == b)
        return signbit(a) ? b : a;
    return a > b ? a : b;
}
static int32_t trunc_sat_s32(double x) {
    if (isnan(x))
        return 0;
    if (x <= -2147483648.0)
        return INT32_MIN;
    if (x >= 2147483647.0)
        return INT32_MAX;
    return (int32_t)x;
}
static uint32_t trunc_sat_u32(double x) {
    if (isnan(x) || x <= 0)
        return 0;
    if (x >= 4294967295.0)
        return UINT32_MAX;
    return (uint32_t)x;
}

#ifdef __wasm__
#include <wasm_simd128.h>
static v128_t in(V v) { return wasm_v128_load(&v); }
static V out(v128_t x) {
    V v;
    wasm_v128_store(&v, x);
    return v;
}
// One result: the intrinsic expression on wasm, the lane loop natively.
#define CASE(show_fn, name, simd, lanes, scalar)                                                   \
    do {                                                                                           \
        show_fn(name, out(simd));                                                                  \
    } while (0)
#else
#define CASE(show_fn, name, simd, lanes, scalar)                                                   \
    do {                                                                                           \
        V r;                                                                                       \
        memset(&r, 0, sizeof r);                                                                   \
        for (int i = 0; i < lanes; i++) {                                                          \
            scalar;                                                                                \
        }                                                                                          \
        show_fn(name, r);                                                                          \
    } while (0)
#endif

static void arithmetic(void) {
    CASE(show, "i8x16.add", wasm_i8x16_add(in(A), in(B)), 16, r.u8[i] = A.u8[i] + B.u8[i]);
    CASE(show, "i16x8.sub", wasm_i16x8_sub(in(A), in(B)), 8, r.u16[i] = A.u16[i] - B.u16[i]);
    CASE(show, "i16x8.mul", wasm_i16x8_mul(in(A), in(B)), 8, r.u16[i] = A.u16[i] * B.u16[i]);
    CASE(show, "i32x4.mul", wasm_i32x4_mul(in(A), in(B)), 4, r.u32[i] = A.u32[i] * B.u32[i]);
    CASE(show, "i64x2.mul", wasm_i64x2_mul(in(A), in(B)), 2, r.u64[i] = A.u64[i] * B.u64[i]);
    CASE(show, "i64x2.add", wasm_i64x2_add(in(A), in(B)), 2, r.u64[i] = A.u64[i] + B.u64[i]);
    CASE(show, "i8x16.neg", wasm_i8x16_neg(in(A)), 16, r.u8[i] = -A.u8[i]);
    CASE(show, "i8x16.abs", wasm_i8x16_abs(in(A)), 16, r.u8[i] = A.i8[i] < 0 ? -A.u8[i] : A.u8[i]);
    CASE(show, "i32x4.abs", wasm_i32x4_abs(in(A)), 4,
         r.u32[i] = A.i32[i] < 0 ? -A.u32[i] : A.u32[i]);
    CASE(show, "i64x2.abs", wasm_i64x2_abs(in(B)), 2,
         r.u64[i] = B.i64[i] < 0 ? -B.u64[i] : B.u64[i]);
    CASE(show, "i8x16.popcnt", wasm_i8x16_popcnt(in(A)), 16,
         r.u8[i] = __builtin_popcount(A.u8[i]));
    CASE(show, "i8x16.min_s", wasm_i8x16_min(in(A), in(B)), 16,
         r.i8[i] = A.i8[i] < B.i8[i] ? A.i8[i] : B.i8[i]);
    CASE(show, "i8x16.max_u", wasm_u8x16_max(in(A), in(B)), 16,
         r.u8[i] = A.u8[i] > B.u8[i] ? A.u8[i] : B.u8[i]);
    CASE(show, "i16x8.min_u", wasm_u16x8_min(in(A), in(B)), 8,
         r.u16[i] = A.u16[i] < B.u16[i] ? A.u16[i] : B.u16[i]);
    CASE(show, "i32x4.max_s", wasm_i32x4_max(in(A), in(B)), 4,
         r.i32[i] = A.i32[i] > B.i32[i] ? A.i32[i] : B.i32[i]);
    CASE(show, "i8x16.avgr_u", wasm_u8x16_avgr(in(A), in(B)), 16,
         r.u8[i] = (A.u8[i] + B.u8[i] + 1) / 2);
    CASE(show, "i16x8.avgr_u", wasm_u16x8_avgr(in(A), in(B)), 8,
         r.u16[i] = (A.u16[i] + B.u16[i] + 1) / 2);
}

static void saturation(void) {
    CASE(show, "i8x16.add_sat_s", wasm_i8x16_add_sat(in(A), in(B)), 16,
         r.i8[i] = SAT(A.i8[i] + B.i8[i], -128, 127));
    CASE(show, "i8x16.add_sat_u", wasm_u8x16_add_sat(in(A), in(B)), 16,
         r.u8[i] = SAT(A.u8[i] + B.u8[i], 0, 255));
    CASE(show, "i8x16.sub_sat_s", wasm_i8x16_sub_sat(in(A), in(B)), 16,
         r.i8[i] = SAT(A.i8[i] - B.i8[i], -128, 127));
    CASE(show, "i8x16.sub_sat_u", wasm_u8x16_sub_sat(in(A), in(B)), 16,
         r.u8[i] = SAT(A.u8[i] - B.u8[i], 0, 255));
    CASE(show, "i16x8.add_sat_s", wasm_i16x8_add_sat(in(A), in(B)), 8,
         r.i16[i] = SAT(A.i16[i] + B.i16[i], -32768, 32767));
    CASE(show, "i16x8.sub_sat_u", wasm_u16x8_sub_sat(in(A), in(B)), 8,
         r.u16[i] = SAT(A.u16[i] - B.u16[i], 0, 65535));
    CASE(show, "i16x8.q15mulr_sat_s", wasm_i16x8_q15mulr_sat(in(A), in(B)), 8,
         r.i16[i] = SAT((A.i16[i] * B.i16[i] + 0x4000) >> 15, -32768, 32767));
    CASE(show, "i8x16.narrow_i16x8_s", wasm_i8x16_narrow_i16x8(in(A), in(B)), 16,
         r.i8[i] = SAT(i < 8 ? A.i16[i] : B.i16[i - 8], -128, 127));
    CASE(show, "i8x16.narrow_i16x8_u", wasm_u8x16_narrow_i16x8(in(A), in(B)), 16,
         r.u8[i] = SAT(i < 8 ? A.i16[i] : B.i16[i - 8], 0, 255));
    CASE(show, "i16x8.narrow_i32x4_s", wasm_i16x8_narrow_i32x4(in(A), in(B)), 8,
         r.i16[i] = SAT(i < 4 ? A.i32[i] : B.i32[i - 4], -32768, 32767));
    CASE(show, "i16x8.narrow_i32x4_u", wasm_u16x8_narrow_i32x4(in(A), in(B)), 8,
         r.u16[i] = SAT(i < 4 ? A.i32[i] : B.i32[i - 4], 0, 65535));
}

static void shifts(void) {
    // Shift amounts are taken modulo the lane width.
    int amounts[] = {1, 7, 9, 17, 33, 65};
    for (int k = 0; k < 6; k++) {
        int n = amounts[k];
        printf("shift by %d\n", n);
        CASE(show, "i8x16.shl", wasm_i8x16_shl(in(A), n), 16, r.u8[i] = A.u8[i] << (n & 7));
        CASE(show, "i8x16.shr_s", wasm_i8x16_shr(in(A), n), 16, r.i8[i] = A.i8[i] >> (n & 7));
        CASE(show, "i8x16.shr_u", wasm_u8x16_shr(in(A), n), 16, r.u8[i] = A.u8[i] >> (n & 7));
        CASE(show, "i16x8.shr_s", wasm_i16x8_shr(in(A), n), 8, r.i16[i] = A.i16[i] >> (n & 15));
        CASE(show, "i32x4.shl", wasm_i32x4_shl(in(A), n), 4, r.u32[i] = A.u32[i] << (n & 31));
        CASE(show, "i64x2.shr_s", wasm_i64x2_shr(in(A), n), 2, r.i64[i] = A.i64[i] >> (n & 63));
        CASE(show, "i64x2.shr_u", wasm_u64x2_shr(in(A), n), 2, r.u64[i] = A.u64[i] >> (n & 63));
    }
}

static void comparisons(void) {
    CASE(show, "i8x16.lt_s", wasm_i8x16_lt(in(A), in(B)), 16, r.i8[i] = -(A.i8[i] < B.i8[i]));
    CASE(show, "i8x16.ge_u", wasm_u8x16_ge(in(A), in(B)), 16, r.i8[i] = -(A.u8[i] >= B.u8[i]));
    CASE(show, "i16x8.gt_u", wasm_u16x8_gt(in(A), in(B)), 8, r.i16[i] = -(A.u16[i] > B.u16[i]));
    CASE(show, "i32x4.le_s", wasm_i32x4_le(in(A), in(B)), 4, r.i32[i] = -(A.i32[i] <= B.i32[i]));
    CASE(show, "i64x2.gt_s", wasm_i64x2_gt(in(A), in(B)), 2, r.i64[i] = -(A.i64[i] > B.i64[i]));
    CASE(show, "i64x2.ne", wasm_i64x2_ne(in(A), in(A)), 2, r.i64[i] = 0);
    CASE(show, "f32x4.lt", wasm_f32x4_lt(in(F), in(G)), 4, r.i32[i] = -(F.f32[i] < G.f32[i]));
    CASE(show, "f32x4.eq", wasm_f32x4_eq(in(F), in(F)), 4, r.i32[i] = -(F.f32[i] == F.f32[i]));
    CASE(show, "f32x4.ne", wasm_f32x4_ne(in(F), in(G)), 4, r.i32[i] = -(F.f32[i] != G.f32[i]));
    CASE(show, "f64x2.ge", wasm_f64x2_ge(in(D), in(E)), 2, r.i64[i] = -(D.f64[i] >= E.f64[i]));
#ifdef __wasm__
    int masks[4] = {wasm_i8x16_bitmask(in(A)), wasm_i16x8_bitmask(in(B)),
                    wasm_i32x4_bitmask(in(A)), wasm_i64x2_bitmask(in(B))};
    int all[3] = {wasm_i8x16_all_true(in(A)), wasm_i32x4_all_true(in(B)),
                  wasm_i64x2_all_true(in(B))};
    int any[2] = {wasm_v128_any_true(in(A)), wasm_v128_any_true(wasm_i32x4_splat(0))};
#else
    int masks[4] = {0}, all[3] = {1, 1, 1}, any[2] = {0, 0};
    for (int i = 0; i < 16; i++) {
        masks[0] |= (A.u8[i] >> 7) << i;
        all[0] &= A.u8[i] != 0;
        any[0] |= A.u8[i] != 0;
    }
    for (int i = 0; i < 8; i++)
        masks[1] |= (B.u16[i] >> 15) << i;
    for (int i = 0; i < 4; i++) {
        masks[2] |= (A.u32[i] >> 31) << i;
        all[1] &= B.u32[i] != 0;
    }
    for (int i = 0; i < 2; i++) {
        masks[3] |= (int)(B.u64[i] >> 63) << i;
        all[2] &= B.u64[i] != 0;
    }
#endif
    for (int i = 0; i < 4; i++)
        show_i32("bitmask", masks[i]);
    for (int i = 0; i < 3; i++)
        show_i32("all_true", all[i]);
    for (int i = 0; i < 2; i++)
        show_i32("any_true", any[i]);
}

static void bitwise(void) {
    CASE(show, "v128.andnot", wasm_v128_andnot(in(A), in(B)), 16, r.u8[i] = A.u8[i] & ~B.u8[i]);
    CASE(show, "v128.bitselect", wasm_v128_bitselect(in(A), in(B), in(F)), 16,
         r.u8[i] = (A.u8[i] & F.u8[i]) | (B.u8[i] & ~F.u8[i]));
    CASE(show, "v128.not", wasm_v128_not(in(A)), 16, r.u8[i] = ~A.u8[i]);
}

static const int bytes_shuffle[16] = {31, 0, 17, 2, 19, 4, 5, 30, 8, 9, 10, 11, 16, 16, 15, 14};
static const int words_shuffle[4] = {3, 7, 0, 4};

static void shuffles(void) {
    CASE(show, "i8x16.shuffle", wasm_i8x16_shuffle(in(A), in(B), 31, 0, 17, 2, 19, 4, 5, 30, 8, 9, 10,
                                                   11, 16, 16, 15, 14),
         16,
         r.u8[i] = bytes_shuffle[i] < 16 ? A.u8[bytes_shuffle[i]] : B.u8[bytes_shuffle[i] - 16]);
    CASE(show, "i32x4.shuffle", wasm_i32x4_shuffle(in(A), in(B), 3, 7, 0, 4), 4,
         r.u32[i] = words_shuffle[i] < 4 ? A.u32[words_shuffle[i]] : B.u32[words_shuffle[i] - 4]);
    // Indices of 16 and more select 0.
    CASE(show, "i8x16.swizzle", wasm_i8x16_swizzle(in(A), in(B)), 16,
         r.u8[i] = B.u8[i] < 16 ? A.u8[B.u8[i]] : 0);
    V idx;
    for (int i = 0; i < 16; i++)
        idx.u8[i] = (uint8_t)(15 - i + (i & 1) * 8);
    CASE(show, "i8x16.swizzle rev", wasm_i8x16_swizzle(in(A), in(idx)), 16,
         r.u8[i] = idx.u8[i] < 16 ? A.u8[idx.u8[i]] : 0);
    CASE(show, "i16x8.splat", wasm_i16x8_splat(A.i16[3]), 8, r.i16[i] = A.i16[3]);
    CASE(show_f64, "f64x2.splat", wasm_f64x2_splat(D.f64[1]), 2, r.f64[i] = D.f64[1]);
#ifdef __wasm__
    show_i32("extract_lane_s", wasm_i8x16_extract_lane(in(A), 4));
    show_i32("extract_lane_u", wasm_u8x16_extract_lane(in(A), 4));
    show_i32("i16 extract_lane_s", wasm_i16x8_extract_lane(in(A), 1));
    show_i32("i16 extract_lane_u", wasm_u16x8_extract_lane(in(A), 1));
    show("replace_lane", out(wasm_i16x8_replace_lane(in(A), 5, -2)));
#else
    show_i32("extract_lane_s", A.i8[4]);
    show_i32("extract_lane_u", A.u8[4]);
    show_i32("i16 extract_lane_s", A.i16[1]);
    show_i32("i16 extract_lane_u", A.u16[1]);
    V r = A;
    r.i16[5] = -2;
    show("replace_lane", r);
#endif
}

static void floats(void) {
    CASE(show_f32, "f32x4.add", wasm_f32x4_add(in(F), in(G)), 4, r.f32[i] = F.f32[i] + G.f32[i]);
    CASE(show_f32, "f32x4.div", wasm_f32x4_div(in(F), in(G)), 4, r.f32[i] = F.f32[i] / G.f32[i]);
    CASE(show_f32, "f32x4.sqrt", wasm_f32x4_sqrt(in(G)), 4, r.f32[i] = sqrtf(G.f32[i]));
    CASE(show_f32, "f32x4.min", wasm_f32x4_min(in(F), in(G)), 4,
         r.f32[i] = wasm_minf(F.f32[i], G.f32[i]));
    CASE(show_f32, "f32x4.max", wasm_f32x4_max(in(F), in(G)), 4,
         r.f32[i] = wasm_maxf(F.f32[i], G.f32[i]));
    CASE(show_f32, "f32x4.pmin", wasm_f32x4_pmin(in(F), in(G)), 4,
         r.f32[i] = G.f32[i] < F.f32[i] ? G.f32[i] : F.f32[i]);
    CASE(show_f32, "f32x4.pmax", wasm_f32x4_pmax(in(F), in(G)), 4,
         r.f32[i] = F.f32[i] < G.f32[i] ? G.f32[i] : F.f32[i]);
    CASE(show_f32, "f32x4.abs", wasm_f32x4_abs(in(F)), 4, r.f32[i] = fabsf(F.f32[i]));
    CASE(show_f32, "f32x4.neg", wasm_f32x4_neg(in(G)), 4, r.f32[i] = -G.f32[i]);
    CASE(show_f32, "f32x4.ceil", wasm_f32x4_ceil(in(F)), 4, r.f32[i] = ceilf(F.f32[i]));
    CASE(show_f32, "f32x4.floor", wasm_f32x4_floor(in(F)), 4, r.f32[i] = floorf(F.f32[i]));
    CASE(show_f32, "f32x4.trunc", wasm_f32x4_trunc(in(G)), 4, r.f32[i] = truncf(G.f32[i]));
    CASE(show_f32, "f32x4.nearest", wasm_f32x4_nearest(in(F)), 4, r.f32[i] = nearbyintf(F.f32[i]));
    CASE(show_f64, "f64x2.mul", wasm_f64x2_mul(in(D), in(E)), 2, r.f64[i] = D.f64[i] * E.f64[i]);
    CASE(show_f64, "f64x2.nearest", wasm_f64x2_nearest(in(D)), 2, r.f64[i] = nearbyint(D.f64[i]));
    CASE(show_f64, "f64x2.min", wasm_f64x2_min(in(D), in(E)), 2,
         r.f64[i] = isnan(D.f64[i]) || isnan(E.f64[i]) ? NAN
                    : D.f64[i] < E.f64[i]              ? D.f64[i]
                                                       : E.f64[i]);
}

static void conversions(void) {
    CASE(show, "i32x4.trunc_sat_f32x4_s", wasm_i32x4_trunc_sat_f32x4(in(F)), 4,
         r.i32[i] = trunc_sat_s32(F.f32[i]));
    CASE(show, "i32x4.trunc_sat_f32x4_u", wasm_u32x4_trunc_sat_f32x4(in(G)), 4,
         r.u32[i] = trunc_sat_u32(G.f32[i]));
    CASE(show, "trunc_sat_f64x2_s_zero", wasm_i32x4_trunc_sat_f64x2_zero(in(D)), 2,
         r.i32[i] = trunc_sat_s32(D.f64[i]));
    CASE(show, "trunc_sat_f64x2_u_zero", wasm_u32x4_trunc_sat_f64x2_zero(in(D)), 2,
         r.u32[i] = trunc_sat_u32(D.f64[i]));
    CASE(show_f32, "f32x4.convert_i32x4_s", wasm_f32x4_convert_i32x4(in(A)), 4,
         r.f32[i] = (float)A.i32[i]);
    CASE(show_f32, "f32x4.convert_i32x4_u", wasm_f32x4_convert_u32x4(in(A)), 4,
         r.f32[i] = (float)A.u32[i]);
    CASE(show_f64, "f64x2.convert_low_s", wasm_f64x2_convert_low_i32x4(in(A)), 2,
         r.f64[i] = A.i32[i]);
    CASE(show_f64, "f64x2.convert_low_u", wasm_f64x2_convert_low_u32x4(in(A)), 2,
         r.f64[i] = A.u32[i]);
    CASE(show_f32, "f32x4.demote_f64x2", wasm_f32x4_demote_f64x2_zero(in(D)), 4,
         r.f32[i] = i < 2 ? (float)D.f64[i] : 0.0f);
    CASE(show_f64, "f64x2.promote_low", wasm_f64x2_promote_low_f32x4(in(G)), 2,
         r.f64[i] = G.f32[i]);
    CASE(show, "i16x8.extend_low_s", wasm_i16x8_extend_low_i8x16(in(A)), 8, r.i16[i] = A.i8[i]);
    CASE(show, "i16x8.extend_high_u", wasm_u16x8_extend_high_u8x16(in(A)), 8,
         r.u16[i] = A.u8[i + 8]);
    CASE(show, "i32x4.extend_high_s", wasm_i32x4_extend_high_i16x8(in(A)), 4,
         r.i32[i] = A.i16[i + 4]);
    CASE(show, "i64x2.extend_low_u", wasm_u64x2_extend_low_u32x4(in(A)), 2, r.u64[i] = A.u32[i]);
    CASE(show, "i64x2.extend_high_s", wasm_i64x2_extend_high_i32x4(in(A)), 2,
         r.i64[i] = A.i32[i + 2]);
}

static void products(void) {
    CASE(show, "i16x8.extmul_low_s", wasm_i16x8_extmul_low_i8x16(in(A), in(B)), 8,
         r.i16[i] = A.i8[i] * B.i8[i]);
    CASE(show, "i16x8.extmul_high_u", wasm_u16x8_extmul_high_u8x16(in(A), in(B)), 8,
         r.u16[i] = A.u8[i + 8] * B.u8[i + 8]);
    CASE(show, "i32x4.extmul_high_s", wasm_i32x4_extmul_high_i16x8(in(A), in(B)), 4,
         r.i32[i] = A.i16[i + 4] * B.i16[i + 4]);
    CASE(show, "i64x2.extmul_low_u", wasm_u64x2_extmul_low_u32x4(in(A), in(B)), 2,
         r.u64[i] = (uint64_t)A.u32[i] * B.u32[i]);
    CASE(show, "i64x2.extmul_high_s", wasm_i64x2_extmul_high_i32x4(in(A), in(B)), 2,
         r.i64[i] = (int64_t)A.i32[i + 2] * B.i32[i + 2]);
    CASE(show, "i16x8.extadd_pairwise_s", wasm_i16x8_extadd_pairwise_i8x16(in(A)), 8,
         r.i16[i] = A.i8[2 * i] + A.i8[2 * i + 1]);
    CASE(show, "i32x4.extadd_pairwise_u", wasm_u32x4_extadd_pairwise_u16x8(in(A)), 4,
         r.u32[i] = A.u16[2 * i] + A.u16[2 * i + 1]);
    CASE(show, "i32x4.dot_i16x8_s", wasm_i32x4_dot_i16x8(in(A), in(B)), 4,
         r.u32[i] = (uint32_t)(A.i16[2 * i] * B.i16[2 * i]) +
                    (uint32_t)(A.i16[2 * i + 1] * B.i16[2 * i + 1]));
}

static void memory(void) {
    uint8_t bytes[40];
    for (int i = 0; i < 40; i++)
        bytes[i] = (uint8_t)(i * 37 + 11);
    const uint8_t *p = bytes + 3; // unaligned
    CASE(show, "load8x8_s", wasm_i16x8_load8x8(p), 8, r.i16[i] = (int8_t)p[i]);
    CASE(show, "load16x4_u", wasm_u32x4_load16x4(p), 4, {
        uint16_t h;
        memcpy(&h, p + 2 * i, 2);
        r.u32[i] = h;
    });
    CASE(show, "load32x2_s", wasm_i64x2_load32x2(p), 2, {
        int32_t w;
        memcpy(&w, p + 4 * i, 4);
        r.i64[i] = w;
    });
    CASE(show, "load8_splat", wasm_v128_load8_splat(p + 5), 16, r.u8[i] = p[5]);
    CASE(show, "load32_splat", wasm_v128_load32_splat(p + 1), 4, memcpy(&r.u32[i], p + 1, 4));
    CASE(show, "load32_zero", wasm_v128_load32_zero(p + 2), 1, memcpy(&r.u32[0], p + 2, 4));
    CASE(show, "load64_zero", wasm_v128_load64_zero(p + 7), 1, memcpy(&r.u64[0], p + 7, 8));
    CASE(show, "load16_lane", wasm_v128_load16_lane(p + 9, in(A), 6), 16, {
        r.u8[i] = A.u8[i];
        if (i == 15)
            memcpy(&r.u16[6], p + 9, 2);
    });
    CASE(show, "load64_lane", wasm_v128_load64_lane(p + 1, in(B), 1), 2, {
        r.u64[i] = B.u64[i];
        if (i == 1)
            memcpy(&r.u64[1], p + 1, 8);
    });
    uint8_t dst[24];
    memset(dst, 0xee, sizeof dst);
#ifdef __wasm__
    wasm_v128_store8_lane(dst + 1, in(A), 13);
    wasm_v128_store16_lane(dst + 3, in(A), 7);
    wasm_v128_store32_lane(dst + 6, in(B), 2);
    wasm_v128_store64_lane(dst + 11, in(A), 1);
#else
    dst[1] = A.u8[13];
    memcpy(dst + 3, &A.u16[7], 2);
    memcpy(dst + 6, &B.u32[2], 4);
    memcpy(dst + 11, &A.u64[1], 8);
#endif
    printf("%-22s", "store lanes");
    for (int i = 0; i < 24; i++)
        printf(" %02x", dst[i]);
    printf("\n");
}

static void relaxed(void) {
    CASE(show, "relaxed_trunc_f32x4_s", wasm_i32x4_relaxed_trunc_f32x4(in(F)), 4,
         r.i32[i] = trunc_sat_s32(F.f32[i]));
    CASE(show, "relaxed_trunc_f32x4_u", wasm_u32x4_relaxed_trunc_f32x4(in(G)), 4,
         r.u32[i] = trunc_sat_u32(G.f32[i]));
    CASE(show, "relaxed_trunc_f64x2_s", wasm_i32x4_relaxed_trunc_f64x2_zero(in(E)), 2,
         r.i32[i] = trunc_sat_s32(E.f64[i]));
    CASE(show, "relaxed_trunc_f64x2_u", wasm_u32x4_relaxed_trunc_f64x2_zero(in(D)), 2,
         r.u32[i] = trunc_sat_u32(D.f64[i]));
    CASE(show_f32, "f32x4.relaxed_madd", wasm_f32x4_relaxed_madd(in(F), in(G), in(F)), 4, {
        volatile float product = F.f32[i] * G.f32[i]; // unfused, as walic computes it
        r.f32[i] = product + F.f32[i];
    });
    CASE(show_f64, "f64x2.relaxed_nmadd", wasm_f64x2_relaxed_nmadd(in(D), in(D), in(E)), 2, {
        volatile double product = D.f64[i] * D.f64[i];
        r.f64[i] = -product + E.f64[i];
    });
    CASE(show, "i8x16.relaxed_laneselect", wasm_i8x16_relaxed_laneselect(in(A), in(B), in(F)), 16,
         r.u8[i] = (A.u8[i] & F.u8[i]) | (B.u8[i] & ~F.u8[i]));
    CASE(show, "i8x16.relaxed_swizzle", wasm_i8x16_relaxed_swizzle(in(A), in(B)), 16,
         r.u8[i] = B.u8[i] < 16 ? A.u8[B.u8[i]] : 0);
    CASE(show_f32, "f32x4.relaxed_min", wasm_f32x4_relaxed_min(in(F), in(G)), 4,
         r.f32[i] = wasm_minf(F.f32[i], G.f32[i]));
    CASE(show_f32, "f32x4.relaxed_max", wasm_f32x4_relaxed_max(in(F), in(G)), 4,
         r.f32[i] = wasm_maxf(F.f32[i], G.f32[i]));
    CASE(show, "relaxed_q15mulr", wasm_i16x8_relaxed_q15mulr(in(A), in(B)), 8,
         r.i16[i] = SAT((A.i16[i] * B.i16[i] + 0x4000) >> 15, -32768, 32767));
    CASE(show, "relaxed_dot_i8x16_i7x16", wasm_i16x8_relaxed_dot_i8x16_i7x16(in(A), in(B)), 8,
         r.u16[i] = (uint16_t)(A.i8[2 * i] * B.i8[2 * i] + A.i8[2 * i + 1] * B.i8[2 * i + 1]));
    CASE(show, "relaxed_dot_add", wasm_i32x4_relaxed_dot_i8x16_i7x16_add(in(A), in(B), in(A)), 4, {
        int32_t sum = A.i32[i];
        for (int k = 4 * i; k < 4 * i + 4; k += 2)
            sum += (int16_t)(A.i8[k] * B.i8[k] + A.i8[k + 1] * B.i8[k + 1]);
        r.i32[i] = sum;
    });
}

int main(void) {
    init();
    arithmetic();
    saturation();
    shifts();
    comparisons();
    bitwise();
    shuffles();
    floats();
    conversions();
    products();
    memory();
    relaxed();
    return 0;
}
