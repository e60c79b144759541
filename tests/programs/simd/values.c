// v128 values as ordinary values: many vector arguments (some passed on the stack), vector
// results, recursion, calls through function pointers, vectors in structs, and vectors live
// across setjmp/longjmp and across signal handlers that themselves compute with vectors (raised
// once, and delivered by a timer in the middle of a vector loop, where walic's signal checks run
// with vectors live in registers). Natively the same program runs on a four-int struct.
// wasm-cflags: -msimd128
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/time.h>

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

static volatile sig_atomic_t ticks;

static void on_tick(int sig) {
    (void)sig;
    vec junk = fib(30, MAKE(ticks, 1, 2, 3), MAKE(9, 8, 7, 6));
    ticks += 1 + (lane(junk, 0) & 0);
}

// Millions of iterations with several vectors live across the loop header's signal check.
__attribute__((noinline)) static vec busy_loop(int n) {
    vec a = MAKE(1, 2, 3, 4), b = MAKE(5, 6, 7, 8), c = MAKE(-1, 1, -1, 1), d = MAKE(0, 0, 0, 0);
    for (int i = 0; i < n; i++) {
        a = ADD(a, b);
        b = ADD(MUL(b, MAKE(3, 5, 7, 9)), c);
        c = SHUF(ADD(c, a));
        d = ADD(d, MUL(a, c));
    }
    return ADD(ADD(a, b), ADD(c, d));
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

    signal(SIGALRM, on_tick);
    struct itimerval every = {{0, 500}, {0, 500}};
    setitimer(ITIMER_REAL, &every, NULL);
    vec busy = busy_loop(30000000);
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    print("busy", busy);
    printf("ticked     %d\n", ticks > 0);
    return 0;
}
