// Calls walic inlines at -O2: clang keeps these helpers out of line (noinline), so the wasm has
// real calls between small functions, leaves, single-use functions, recursive and mutually
// recursive functions, and function pointers passed through inlined helpers.
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#define NOINLINE __attribute__((noinline))

static volatile int seed = 7;

NOINLINE static int add(int a, int b) { return a + b; }
NOINLINE static uint32_t rotl(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }
NOINLINE static double lerp(double a, double b, double t) { return a + (b - a) * t; }
NOINLINE static int64_t widen_mul(int32_t a, int32_t b) { return (int64_t)a * b; }

// A leaf with a loop, called from a loop.
NOINLINE static unsigned sum_to(unsigned n) {
    unsigned acc = 0;
    while (n) acc += n--;
    return acc;
}

// Single call site, medium size, writes through pointers.
NOINLINE static void stats(const int *v, int n, int *min, int *max, long *sum) {
    *min = v[0];
    *max = v[0];
    *sum = 0;
    for (int i = 0; i < n; i++) {
        if (v[i] < *min) *min = v[i];
        if (v[i] > *max) *max = v[i];
        *sum += v[i];
    }
}

// Recursion stays a real call per level.
NOINLINE static unsigned long fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
NOINLINE static int is_odd(unsigned n);
NOINLINE static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
NOINLINE static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }

// Indirect calls from inside an inlined helper.
typedef int (*binop)(int, int);
NOINLINE static int mul(int a, int b) { return a * b; }
NOINLINE static int sub(int a, int b) { return a - b; }
static binop ops[3] = {add, sub, mul};
NOINLINE static int apply(int which, int a, int b) { return ops[which % 3](a, b); }

// Struct returned by value (through memory in wasm32's C ABI).
struct pair { int q, r; };
NOINLINE static struct pair divmod(int a, int b) {
    struct pair p = {a / b, a % b};
    return p;
}

// Helpers calling helpers.
NOINLINE static int square(int x) { return x * x; }
NOINLINE static int sum_of_squares(int a, int b) { return add(square(a), square(b)); }

// Early returns.
NOINLINE static int clamp(int x, int lo, int hi) {
    if (x < lo) return lo;
    if (x > hi) return hi;
    return x;
}

// Uses the C stack (the wasm shadow stack) inside an inlined callee.
NOINLINE static int checksum(const char *s) {
    char buf[64];
    strncpy(buf, s, sizeof buf - 1);
    buf[sizeof buf - 1] = 0;
    int h = 0;
    for (char *p = buf; *p; p++) h = h * 31 + *p;
    return h;
}

int main(void) {
    int s = seed;
    printf("add %d rotl %u lerp %.3f widen %lld\n", add(s, 35), rotl(0x80000001u, s),
           lerp(1.0, 3.0, 0.25), (long long)widen_mul(-s * 100000, 300000));
    unsigned acc = 0;
    for (unsigned i = 0; i < 2000; i++) acc += sum_to(i);
    printf("sum_to %u\n", acc);
    int v[] = {5, -3, 12, 7, s, 0, -9};
    int mn, mx;
    long sm;
    stats(v, 7, &mn, &mx, &sm);
    printf("stats %d %d %ld\n", mn, mx, sm);
    printf("fib %lu even %d odd %d\n", fib(25), is_even(10001), is_odd(10001));
    long t = 0;
    for (int i = 0; i < 30000; i++) t += apply(i, i, s);
    printf("apply %ld\n", t);
    struct pair p = divmod(1000 + s, 13);
    printf("divmod %d %d\n", p.q, p.r);
    printf("squares %d clamp %d %d %d\n", sum_of_squares(s, 4), clamp(s, 10, 20),
           clamp(s * 10, 10, 20), clamp(s + 6, 10, 20));
    printf("checksum %d\n", checksum("inlined callees keep their frames apart"));
    return 0;
}
