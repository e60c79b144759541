// siglongjmp out of signal handlers: from a handler run at a poll point (raise), and from a
// handler that interrupts a blocking read on a pipe (SIGALRM from a timer).
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

static sigjmp_buf env;
static volatile sig_atomic_t handled;

static void jump_out(int sig) {
    handled = sig;
    siglongjmp(env, sig);
}

static int blocked(int sig) {
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    return sigismember(&now, sig);
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = jump_out;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGALRM, &sa, NULL);

    // 1. From a handler of a raised signal, many times.
    int jumps = 0;
    for (int i = 0; i < 1000; i++) {
        int r = sigsetjmp(env, 1);
        if (r == 0) {
            raise(SIGUSR1);
            printf("not reached\n");
        } else {
            jumps += r == SIGUSR1;
        }
    }
    printf("jumped out of %d handlers, SIGUSR1 blocked afterwards: %d\n", jumps, blocked(SIGUSR1));

    // 2. Without saving the mask, the signal stays blocked after jumping out of its handler.
    if (sigsetjmp(env, 0) == 0) {
        raise(SIGUSR1);
    }
    printf("without savemask, SIGUSR1 blocked: %d\n", blocked(SIGUSR1));
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);

    // 3. From a handler that interrupts a blocking read.
    int fds[2];
    if (pipe(fds) != 0) {
        return 1;
    }
    volatile int reads_done = 0;
    if (sigsetjmp(env, 1) == 0) {
        struct itimerval t = {{0, 0}, {0, 20000}};
        setitimer(ITIMER_REAL, &t, NULL);
        char c;
        read(fds[0], &c, 1);
        reads_done++;
        printf("read returned\n");
    } else {
        printf("jumped out of a blocking read via signal %d, reads done %d, SIGALRM blocked: %d\n",
               handled, reads_done, blocked(SIGALRM));
    }

    // 4. The pipe still works afterwards.
    write(fds[1], "ok", 2);
    char buf[3] = {0};
    read(fds[0], buf, 2);
    printf("pipe after jump: %s\n", buf);
    return 0;
}
