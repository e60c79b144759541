// A SIGALRM handler interrupts a pure computation loop (no system calls) several times.
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

static volatile sig_atomic_t ticks;

static void on_alarm(int sig) {
    (void)sig;
    ticks++;
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval t = {{0, 10000}, {0, 10000}};
    setitimer(ITIMER_REAL, &t, NULL);
    volatile unsigned long spins = 0;
    while (ticks < 5) {
        spins++;
    }
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    printf("ticks: %d, loop ran: %d\n", (int)ticks >= 5, spins > 0);

    // A loop in a function that calls nothing at all.
    ticks = 0;
    setitimer(ITIMER_REAL, &t, NULL);
    unsigned long x = 1;
    while (ticks < 3) {
        x = x * 6364136223846793005UL + 1442695040888963407UL;
    }
    setitimer(ITIMER_REAL, &off, NULL);
    printf("second loop done: %d\n", x != 0 || x == 0);
    return 0;
}
