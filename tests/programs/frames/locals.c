// Every kind of C local in -O0 frames that never escape (walic keeps them in registers): all
// integer widths with their sign and zero extensions, floats and doubles, unions read back at
// another type of the same size, narrow stores of wide values, loops, and recursion, where each
// activation has its own copy of every local.
// cflags: -O0
#include <stdio.h>

static int mix(int n) {
    signed char c = (signed char)n;
    unsigned char uc = (unsigned char)n;
    short s = (short)(n * 300);
    unsigned short us = (unsigned short)(n * 300);
    long long ll = (long long)n * 0x100000001LL;
    unsigned long long ull = (unsigned long long)ll >> 3;
    float f = n / 3.0f;
    double d = n / 7.0;
    return c + uc + s + us + (int)(ll >> 20) + (int)ull + (int)(f * 100) + (int)(d * 1000);
}

static unsigned int pun_float(float f) {
    union { float f; unsigned int u; } v;
    v.f = f;
    return v.u;
}

static double pun_bits(unsigned long long bits) {
    union { unsigned long long u; double d; } v;
    v.u = bits;
    return v.d;
}

static int narrow(long long v) {
    char c;
    short s;
    int i;
    c = (char)v;
    s = (short)v;
    i = (int)v;
    return c * 7 + s * 3 + i;
}

static long long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static int ackermann(int m, int n) {
    if (m == 0) return n + 1;
    if (n == 0) return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

static double depth_sum(int depth, double carry) {
    double here = carry * 1.5 + depth;
    int local_depth = depth;
    if (depth == 0) return here;
    double below = depth_sum(depth - 1, here / 2);
    // `here` and `local_depth` must be this activation's, not the callee's.
    return below + here - local_depth;
}

static int odd(int n);
static int even(int n) { int m = n; return m == 0 ? 1 : odd(m - 1); }
static int odd(int n) { int m = n; return m == 0 ? 0 : even(m - 1); }

int main(void) {
    long long total = 0;
    for (int i = -300; i <= 300; i++) total += mix(i);
    printf("mix %lld\n", total);
    printf("pun %08x %08x\n", pun_float(1.5f), pun_float(-0.0f));
    printf("bits %.17g\n", pun_bits(0x400921fb54442d18ULL));
    printf("narrow %d %d\n", narrow(0x123456789LL), narrow(-2));
    printf("fib %lld\n", fib(25));
    printf("ackermann %d\n", ackermann(2, 300));
    printf("depth %.6f\n", depth_sum(500, 1.0));
    printf("parity %d %d\n", even(1001), odd(1001));
    return 0;
}
