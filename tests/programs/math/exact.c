// Floating-point operations whose results IEEE 754 defines exactly, printed as bit patterns:
// arithmetic and rounding, sqrt, fma, fmod/remainder/remquo, rounding functions, frexp/ldexp/
// modf/scalbn/nextafter/copysign, min/max, classification, conversions between float, double
// and integers, and subnormals and signed zeros. (fmin/fmax of equal arguments, +0 and -0, may
// return either, so those are shown as "equal".)
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

// The bits of a result, or "nan": the sign and payload of a NaN are not specified by C or IEEE
// 754 (x86 produces negative NaNs, wasm may canonicalize), so NaNs compare as NaNs.
static const char *bits(double x) {
    static char buffers[16][20];
    static unsigned next;
    char *buffer = buffers[next++ % 16];
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    if (isnan(x))
        snprintf(buffer, sizeof buffers[0], "nan");
    else
        snprintf(buffer, sizeof buffers[0], "%016llx", (unsigned long long)u);
    return buffer;
}
static const char *fbits(float x) {
    static char buffers[8][12];
    static unsigned next;
    char *buffer = buffers[next++ % 8];
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    if (isnan(x))
        snprintf(buffer, sizeof buffers[0], "nan");
    else
        snprintf(buffer, sizeof buffers[0], "%08x", (unsigned)u);
    return buffer;
}

static volatile double values[] = {0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1.5, 2.5, -2.5, 3.5, 1e300, -1e-300,
                                   4.9406564584124654e-324, 2.2250738585072014e-308, 123456.789, 9007199254740993.0,
                                   0x1.fffffffffffffp+52, -7.75};

int main(void) {
    size_t n = sizeof values / sizeof *values;
    for (size_t i = 0; i < n; i++) {
        double x = values[i];
        printf("%-24.17g sqrt %s floor %s ceil %s trunc %s round %s rint %s "
               "nearbyint %s\n",
               x, bits(sqrt(fabs(x))), bits(floor(x)), bits(ceil(x)), bits(trunc(x)), bits(round(x)), bits(rint(x)),
               bits(nearbyint(x)));
        int exponent;
        double mantissa = frexp(x, &exponent);
        double integral;
        double fraction = modf(x, &integral);
        printf("    frexp %s %d modf %s %s ldexp %s scalbn %s next %s %s "
               "lround %ld fpclassify %d signbit %d\n",
               bits(mantissa), exponent, bits(fraction), bits(integral), bits(ldexp(x, 3)), bits(scalbn(x, -2)),
               bits(nextafter(x, INFINITY)), bits(nextafter(x, -INFINITY)), isfinite(x) && fabs(x) < 1e18 ? lround(x) : 0,
               fpclassify(x), signbit(x) != 0);
        for (size_t j = 0; j < n; j += 3) {
            double y = values[j];
            int quotient;
            double r = remquo(x, y, &quotient);
            printf("    %-10.4g + %s - %s * %s / %s fmod %s remainder %s quo %d "
                   "fma %s min %s max %s\n",
                   y, bits(x + y), bits(x - y), bits(x * y), bits(x / y), bits(fmod(x, y)), bits(remainder(x, y)),
                   isnan(r) ? 0 : quotient & 7, bits(fma(x, y, 0.25)), x == y ? "equal" : bits(fmin(x, y)), x == y ? "equal" : bits(fmax(x, y)));
        }
    }
    volatile float f = 16777217.0f, g = 0.1f;
    printf("float: %s %s %s %s %s\n", fbits(f), fbits(g), fbits(g * g), fbits(sqrtf(g)),
           fbits(fmaf(g, g, g)));
    printf("double->float: %s %s %s\n", fbits((float)values[4]), fbits((float)values[10]),
           fbits((float)values[12]));
    volatile long long big = 9007199254740993LL;
    volatile unsigned long long ubig = 18446744073709551615ULL;
    printf("int->double: %s %s %s int->float %s %s\n", bits((double)big), bits((double)ubig),
           bits((double)(unsigned long long)(1ULL << 63)), fbits((float)big), fbits((float)ubig));
    volatile double d = -123456789.987;
    printf("double->int: %d %lld %u %llu\n", (int)d, (long long)(d * 1000), (unsigned)(-d), (unsigned long long)(-d * 1e6));
    printf("copysign %s %s, fabs(-0) %s, fdim %s, cbrt(27) %s\n", bits(copysign(3, -0.0)),
           bits(copysign(-3, 1)), bits(fabs(-0.0)), bits(fdim(5, 3)), bits(cbrt(27)));
    printf("FLT_EVAL_METHOD %d, DBL_MANT_DIG %d, FLT_RADIX %d\n", FLT_EVAL_METHOD, DBL_MANT_DIG, FLT_RADIX);
    return 0;
}
