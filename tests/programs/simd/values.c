// v128 values as ordinary values: many vector arguments (some passed on the stack), vector
// results, recursion, calls through function pointers, vectors in structs, and vectors live
// across setjmp/longjmp and across a signal handler that itself computes with vectors. Natively
// the same program runs on a four-int struct.
// wasm-cflags: -msimd128
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __wasm__
#include <wasm_simd128.h>
typedef v128_t vec;
#define MAKE(a, b, c, d) wasm_i32x4_make(a, b, c, d)
#define ADD(a, b) wasm_i32x4_add(a, b)
#define MUL(a, b) wasm_i32x4_mul(a, b)
#define SHUF(a) wasm_i32x4_shuffle(a, a, 3, 2, 1, 0)
static int32_t lane(vec v, int i) {
    int32_t l[4];
    wasm_v128_store(l, v);
    return l[i];
}
#else
typedef struct {
    int32_t l[4];
} vec;
static vec MAKE(int32_t a, int32_t b, int32_t c, int32_t d) { return (vec){{a, b, c, d}}; }
static vec ADD(vec a, vec b) {
    for (int i = 0; i < 4; i++)
        a.l[i] = (int32_t)((uint32_t)a.l[i] + (uint32_t)b.l[i]);
    return a;
}
static vec MUL(vec a, vec b) {
    for (int i = 0; i < 4; i++)
        a.l[i] = (int32_t)((uint32_t)a.l[i] * (uint32_t)b.l[i]);
    return a;
}
static vec SHUF(vec a) { return (vec){{a.l[3], a.l[2], a.l[1], a.l[0]}}; }
static int32_t lane(vec v, int i) { return v.l[i]; }
#endif

static void print(const char *name, vec v) {
    printf("%-10s %d %d %d %d\n", name, lane(v, 0), lane(v, 1), lane(v, 2), lane(v, 3));
}

__attribute__((noinline)) static vec many(vec a, vec b, vec c, vec d, vec e, vec f, vec g, vec h,
                                          vec i, vec j, int k, vec l) {
    vec s = ADD(ADD(ADD(a, MUL(b, c)), ADD(d, SHUF(e))), ADD(ADD(f, g), MUL(h, i)));
    return ADD(ADD(s, MUL(j, MAKE(k, k, k, k))), l);
}

__attribute__((noinline)) static vec fib(int n, vec a, vec b) {
    return n == 0 ? a : fib(n - 1, b, ADD(a, SHUF(b)));
}

static vec op_add(vec a, vec b) { return ADD(a, b); }
static vec op_mul(vec a, vec b) { return MUL(a, b); }
static vec op_mix(vec a, vec b) { return ADD(SHUF(a), MUL(b, b)); }
static vec (*const volatile ops[3])(vec, vec) = {op_add, op_mul, op_mix};

struct pair {
    vec x;
    int tag;
    vec y;
};

__attribute__((noinline)) static struct pair swap(struct pair p) {
    return (struct pair){SHUF(p.y), p.tag + 1, p.x};
}

static jmp_buf env;

__attribute__((noinline)) static void jump(vec v) {
    if (lane(v, 0) > 0)
        longjmp(env, lane(v, 0));
}

static volatile sig_atomic_t handled;
static vec handler_result;

static void on_signal(int sig) {
    handler_result = fib(10 + sig % 3, MAKE(1, 2, 3, 4), MAKE(sig, 0, 0, 1));
    handled = 1;
}

int main(void) {
    vec one = MAKE(1, -2, 3, -4);
    print("many", many(one, MAKE(5, 6, 7, 8), MAKE(-1, -1, 2, 2), one, MAKE(9, 10, 11, 12), one,
                       one, MAKE(3, 3, 3, 3), one, MAKE(100, 200, 300, 400), 7, MAKE(0, 0, 0, 1)));
    print("fib", fib(40, MAKE(0, 1, 2, 3), MAKE(1, 1, 1, 1)));
    vec acc = one;
    for (int i = 0; i < 9; i++)
        acc = ops[i % 3](acc, MAKE(i, i + 1, -i, 2));
    print("pointers", acc);
    struct pair p = swap((struct pair){one, 41, MAKE(7, 8, 9, 10)});
    print("pair.x", p.x);
    printf("pair.tag   %d\n", p.tag);
    print("pair.y", p.y);

    vec kept = MAKE(11, 22, 33, 44);
    int r = setjmp(env);
    if (r == 0) {
        print("before", kept);
        jump(MAKE(5, 0, 0, 0));
    }
    printf("longjmp    %d\n", r);
    print("after", ADD(kept, MAKE(r, r, r, r)));

    signal(SIGUSR1, on_signal);
    vec live = fib(20, one, kept);
    raise(SIGUSR1);
    printf("handled    %d\n", handled);
    print("handler", handler_result);
    print("live", ADD(live, one));
    return 0;
}
