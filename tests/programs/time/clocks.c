// Clocks: CLOCK_MONOTONIC never goes backwards over many reads, nanosleep and clock_nanosleep
// (relative and absolute) sleep at least as long as asked, gettimeofday agrees with
// CLOCK_REALTIME, clock_getres, bad clocks and bad times are EINVAL, CPU-time, coarse and boottime
// clocks read, and an itimer reads back.
#define _GNU_SOURCE
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "../include/show.h"

static long long ns(const struct timespec *t) { return t->tv_sec * 1000000000LL + t->tv_nsec; }

int main(void) {
    struct timespec prev, now;
    clock_gettime(CLOCK_MONOTONIC, &prev);
    int backwards = 0;
    for (int i = 0; i < 100000; i++) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (ns(&now) < ns(&prev)) backwards++;
        prev = now;
    }
    printf("monotonic went backwards: %d times\n", backwards);

    struct timespec before, after, req = {0, 20000000};
    clock_gettime(CLOCK_MONOTONIC, &before);
    show("nanosleep 20ms", nanosleep(&req, NULL));
    clock_gettime(CLOCK_MONOTONIC, &after);
    printf("slept at least 20ms: %d\n", ns(&after) - ns(&before) >= 20000000);
    struct timespec deadline = after;
    deadline.tv_nsec += 10000000;
    if (deadline.tv_nsec >= 1000000000) { deadline.tv_sec++; deadline.tv_nsec -= 1000000000; }
    printf("clock_nanosleep absolute: %d\n", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL));
    clock_gettime(CLOCK_MONOTONIC, &now);
    printf("reached the deadline: %d\n", ns(&now) >= ns(&deadline));
    printf("clock_nanosleep relative: %d\n", clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL));
    struct timespec bad = {0, 1000000000};
    show("nanosleep bad nsec", nanosleep(&bad, NULL));
    show("clock_gettime bad clock", clock_gettime(12345, &now));

    struct timeval tv;
    struct timespec rt;
    show("gettimeofday", gettimeofday(&tv, NULL));
    clock_gettime(CLOCK_REALTIME, &rt);
    long long diff = rt.tv_sec * 1000000LL + rt.tv_nsec / 1000 - (tv.tv_sec * 1000000LL + tv.tv_usec);
    printf("gettimeofday within 1s of CLOCK_REALTIME: %d, after 2020: %d\n", diff >= 0 && diff < 1000000, tv.tv_sec > 1577836800);
    struct timespec res;
    show("clock_getres monotonic", clock_getres(CLOCK_MONOTONIC, &res));
    printf("resolution at most 1ms: %d\n", res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 1000000);
    show("clock_gettime process cputime", clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now));
    show("clock_gettime thread cputime", clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now));
    // A clock id made from a pid (negative): not one the vDSO serves, it takes the syscall.
    clockid_t own;
    printf("clock_getcpuclockid: %d\n", clock_getcpuclockid(0, &own));
    show("clock_gettime own cpu clock", clock_gettime(own, &now));
    show("clock_gettime coarse", clock_gettime(CLOCK_MONOTONIC_COARSE, &now));
    show("clock_gettime boottime", clock_gettime(CLOCK_BOOTTIME, &now));

    struct itimerval it = {{0, 0}, {100, 0}}, old;
    show("setitimer", setitimer(ITIMER_REAL, &it, NULL));
    show("getitimer", getitimer(ITIMER_REAL, &old));
    printf("remaining in (99, 100] s: %d\n", old.it_value.tv_sec == 99 || (old.it_value.tv_sec == 100 && old.it_value.tv_usec == 0));
    it.it_value.tv_sec = 0;
    show("setitimer off", setitimer(ITIMER_REAL, &it, &old));
    printf("old value still running: %d\n", old.it_value.tv_sec > 0);
    printf("alarm returns the previous seconds: %u\n", alarm(0));
    fflush(stdout);
    return 0;
}
