// setjmp/longjmp across functions walic inlines at -O2: a setjmp caller calling small helpers
// (which it must not inline: its calls are guarded), helpers that longjmp from inside an inlined
// body, longjmp through several inlined frames, and a small function that calls setjmp itself
// (which must not be inlined into its callers).
#include <setjmp.h>
#include <stdio.h>

#define NOINLINE __attribute__((noinline))

static jmp_buf env;
static volatile int depth_reached;

NOINLINE static int twice(int x) { return 2 * x; }
NOINLINE static void fail(int code) { longjmp(env, code); }
NOINLINE static void check(int ok, int code) {
    if (!ok) fail(code);
}
// fail is inlined into check, check into descend's body: the longjmp leaves from inlined code.
NOINLINE static void descend(int n, int code) {
    depth_reached = n;
    if (n == 0) check(0, code);
    descend(n - 1, code);
}

// A small setjmp caller: returns twice; never inlined into main.
static jmp_buf inner;
NOINLINE static int catch_inner(int value) {
    int r = setjmp(inner);
    if (r == 0) {
        if (value) longjmp(inner, value);
        return -1;
    }
    return r;
}

int main(void) {
    int local = twice(21);
    volatile int round = 0;
    int r = setjmp(env);
    round++;
    if (r == 0) {
        check(local == 42, 1);
        check(0, 7);
        printf("not reached\n");
    }
    printf("round %d: r=%d local=%d\n", round, r, local);
    if (r == 7) {
        r = setjmp(env);
        if (r == 0) descend(50, 9);
        printf("descended to %d, r=%d\n", depth_reached, r);
    }
    printf("catch_inner: %d %d %d\n", catch_inner(0), catch_inner(5), catch_inner(11));
    long acc = 0;
    for (int i = 0; i < 1000; i++) {
        if (setjmp(env) == 0) {
            check(i % 3 != 0, i + 1);
            acc += twice(i);
        } else {
            acc -= 1;
        }
    }
    printf("acc %ld\n", acc);
    return 0;
}
