// A signal handler runs while a function with a promoted -O0 frame is in a loop: the handler
// changes a volatile global (and calls functions with frames of its own, on the same wasm
// stack); the interrupted function's locals are intact when it resumes.
// cflags: -O0
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

static volatile sig_atomic_t ticks;

static int handler_work(int n) {
    int a = n * 7;
    int b = a ^ 0x55;
    return a + b;
}

static void on_alarm(int sig) {
    (void)sig;
    volatile int scratch = handler_work(ticks);
    (void)scratch;
    ticks++;
}

static long long spin(int wanted) {
    long long acc = 0;
    unsigned int x = 1;
    int iterations = 0;
    double d = 0.5;
    while (ticks < wanted) {
        x = x * 1103515245u + 12345u;
        acc += x >> 16;
        d = d * 0.999 + 0.001;
        iterations++;
    }
    // Replays the loop without interruptions and checks the locals against it.
    unsigned int y = 1;
    long long check = 0;
    double e = 0.5;
    for (int i = 0; i < iterations; i++) {
        y = y * 1103515245u + 12345u;
        check += y >> 16;
        e = e * 0.999 + 0.001;
    }
    return (check == acc && y == x && e == d) ? 1 : 0;
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, 0);
    struct itimerval it = {{0, 2000}, {0, 2000}};
    setitimer(ITIMER_REAL, &it, 0);
    int ok = 1;
    for (int round = 1; round <= 5; round++) ok &= (int)spin(round * 10);
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, 0);
    printf("locals intact: %s\n", ok ? "yes" : "no");
    return 0;
}
