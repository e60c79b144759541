// A blocking read on a pipe interrupted by a signal: without SA_RESTART it fails with EINTR after
// the handler ran; with SA_RESTART it restarts and returns the byte the handler wrote.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

static int fds[2];
static volatile sig_atomic_t handler_runs;

static void on_alarm(int sig) {
    (void)sig;
    handler_runs++;
    write(fds[1], "x", 1);
}

static void arm(void) {
    struct itimerval t = {{0, 0}, {0, 30000}};
    setitimer(ITIMER_REAL, &t, NULL);
}

static void install(int flags) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
}

int main(void) {
    if (pipe(fds) != 0) {
        return 1;
    }
    char c = 0;

    install(0);
    arm();
    ssize_t n = read(fds[0], &c, 1);
    int e = errno;
    printf("without SA_RESTART: read=%zd EINTR=%d handler runs=%d\n", n, n < 0 && e == EINTR,
           (int)handler_runs);
    n = read(fds[0], &c, 1);
    printf("next read=%zd byte=%c\n", n, c);

    install(SA_RESTART);
    arm();
    c = 0;
    n = read(fds[0], &c, 1);
    printf("with SA_RESTART: read=%zd byte=%c handler runs=%d\n", n, c, (int)handler_runs);

    // pause() returns after the handler ran.
    install(0);
    arm();
    int r = pause();
    e = errno;
    printf("pause=%d EINTR=%d handler runs=%d\n", r, e == EINTR, (int)handler_runs);
    n = read(fds[0], &c, 1);
    printf("drained %zd\n", n);
    return 0;
}
