// Signals interrupting loops of inlined callees: a SIGALRM handler counts ticks while an inlined
// leaf loop spins (it must keep re-reading the flag the handler sets), and a handler that
// siglongjmps out of an inlined loop back into a setjmp caller.
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#define NOINLINE __attribute__((noinline))

static volatile sig_atomic_t ticks;
static sigjmp_buf env;

static void on_alarm(int sig) {
    (void)sig;
    ticks++;
}
static void jump_out(int sig) { siglongjmp(env, sig); }

// A small leaf with a loop: inlined into its callers.
NOINLINE static unsigned long spin_until(int n) {
    unsigned long spins = 0;
    while (ticks < n) spins++;
    return spins;
}
NOINLINE static unsigned long mix(unsigned long x) {
    return x * 6364136223846793005UL + 1442695040888963407UL;
}
// Spins forever in inlined code until a handler jumps out.
NOINLINE static unsigned long forever(unsigned long x) {
    for (;;) x = mix(x);
    return x;
}
// A plain caller of the loops (not a setjmp caller): signals run at once inside it.
NOINLINE static unsigned long rounds(int n) {
    unsigned long total = 0;
    for (int i = 1; i <= n; i++) total += spin_until(i) > 0 || 1;
    return total;
}

static void timer(long usec) {
    struct itimerval t = {{0, usec}, {0, usec}};
    setitimer(ITIMER_REAL, &t, NULL);
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    timer(5000);
    printf("rounds %lu\n", rounds(4));
    timer(0);

    sa.sa_handler = jump_out;
    sigaction(SIGALRM, &sa, NULL);
    int jumps = 0;
    for (int i = 0; i < 3; i++) {
        if (sigsetjmp(env, 1) == 0) {
            timer(5000);
            forever(i);
        } else {
            timer(0);
            jumps++;
        }
    }
    printf("jumped out %d times, ticks %d\n", jumps, ticks >= 4);
    return 0;
}
