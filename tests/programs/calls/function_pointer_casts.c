// Calls through function pointers of another type, as large C programs make them: extra
// arguments (dropped), a result the caller ignores, a comparator whose declared result is
// `long` called as `int`, a `void (*)(int)` signal handler installed as a three-argument
// SA_SIGINFO one, and a callback table of mixed arities walked through one type. Only what x86-64
// defines is compared: the callee sees the arguments it declares, and an i32 result is the low
// half of an i64 one.
// cflags: -Wno-incompatible-function-pointer-types -Wno-cast-function-type
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long compare_as_long(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (long)(x > y) - (long)(x < y);
}

typedef int (*comparator)(const void *, const void *);

static int one(int a) { return a * 10; }
static int two(int a, int b) { return a * 10 + b; }
static void nothing(void) { printf("  nothing called\n"); }
static long widen(int a) { return (long)a * 3; }
static double half(double x) { return x / 2; }

typedef int (*three_ints)(int, int, int);
/* volatile keeps the calls indirect, as they are in real programs (a direct call through a cast
 * is rewritten by clang itself). */
static three_ints volatile table[] = {(three_ints)one, (three_ints)two, (three_ints)nothing,
                                      (three_ints)widen};

static volatile sig_atomic_t handled;
static void plain_handler(int sig) { handled = sig; }

int main(void) {
    int values[] = {5, -3, 9, 0, 9, -100, 42, 7, 1, -3, 2000000000, -2000000000};
    size_t n = sizeof values / sizeof values[0];
    qsort(values, n, sizeof values[0], (comparator)compare_as_long);
    for (size_t i = 0; i < n; i++) printf("%d ", values[i]);
    printf("\n");

    for (int i = 0; i < 4; i++) {
        int r = table[i](4, 2, 99);
        if (table[i] != (three_ints)nothing) printf("entry %d -> %d\n", i, r);
    }
    /* Same-type calls through the same pointers still work. */
    int (*volatile direct)(int, int) = two;
    printf("direct %d\n", direct(1, 2));
    double (*volatile halver)(double) = half;
    printf("half %.2f\n", halver(5.0));

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = (void (*)(int, siginfo_t *, void *))plain_handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    kill(getpid(), SIGUSR1);
    printf("handler saw signal %d\n", handled == SIGUSR1 ? 10 : (int)handled);
    return 0;
}
