// Signals delivered at loop headers while integer and floating-point values are live in
// registers. The handler does float and integer work of its own, and the loops' results must stay
// the same, so the poll at each loop header has to preserve every register.
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

static volatile sig_atomic_t ticks;
static volatile double sink;

static void on_alarm(int sig) {
    (void)sig;
    double a = 1.25, b = 0.5;
    for (int i = 0; i < 200; i++) {
        a = a * 1.0001 + b;
        b = b * 0.9999 - a * 1e-6;
    }
    sink = a + b;
    ticks++;
}

static double kernel(long rounds) {
    double s0 = 0, s1 = 1, s2 = 2, s3 = 3, s4 = 0.5, s5 = 0.25, s6 = 0.125, s7 = 4;
    unsigned long h0 = 1, h1 = 2, h2 = 3, h3 = 5;
    for (long r = 0; r < rounds; r++) {
        for (long i = 0; i < 1000; i++) {
            double x = (double)(i + r);
            s0 += x * 1e-9;
            s1 = s1 * 0.999999 + s0 * 1e-12;
            s2 += s1 * 1e-9 - s3 * 1e-12;
            s3 = s3 * 1.000001 - s2 * 1e-12;
            s4 += s5 * 1e-9;
            s5 += s6 * 1e-9;
            s6 += s7 * 1e-9;
            s7 -= s4 * 1e-12;
            h0 = h0 * 6364136223846793005UL + (unsigned long)i;
            h1 ^= h0 >> 7;
            h2 += h1 * 31;
            h3 = (h3 << 5) ^ h2 ^ (h3 >> 3);
        }
    }
    return s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + (double)((h0 ^ h1 ^ h2 ^ h3) & 0xffff);
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    double quiet = kernel(2000);
    struct itimerval t = {{0, 500}, {0, 500}};
    setitimer(ITIMER_REAL, &t, NULL);
    double noisy = 0;
    long runs = 0;
    while (ticks < 20 || runs < 3) {
        noisy = kernel(2000);
        runs++;
        if (noisy != quiet)
            break;
    }
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    printf("interrupted: %d, same result: %d, result: %.6f\n", ticks >= 20, noisy == quiet,
           quiet);
    return 0;
}
