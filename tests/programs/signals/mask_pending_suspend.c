// sigprocmask blocks a signal, sigpending shows it, sigsuspend delivers it.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t runs;
static volatile sig_atomic_t blocked_inside;

static void on_usr1(int sig) {
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    blocked_inside = sigismember(&now, sig) * 10 + sigismember(&now, SIGUSR2);
    runs++;
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    sigaction(SIGUSR1, &sa, NULL);

    sigset_t block, old, pending;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, &old);
    raise(SIGUSR1);
    sigpending(&pending);
    printf("blocked: runs=%d pending=%d\n", (int)runs, sigismember(&pending, SIGUSR1));

    sigset_t wait_mask;
    sigemptyset(&wait_mask);
    int r = sigsuspend(&wait_mask);
    printf("sigsuspend=%d EINTR=%d runs=%d mask in handler=%d\n", r, errno == EINTR, (int)runs,
           (int)blocked_inside);
    sigpending(&pending);
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("after: pending=%d still blocked=%d\n", sigismember(&pending, SIGUSR1),
           sigismember(&now, SIGUSR1));

    // Unblocking delivers it right away.
    raise(SIGUSR1);
    printf("raised while blocked: runs=%d\n", (int)runs);
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    printf("unblocked: runs=%d\n", (int)runs);

    // An invalid `how` is rejected by the kernel.
    errno = 0;
    r = sigprocmask(99, &block, NULL);
    printf("sigprocmask how=99: %d EINVAL=%d\n", r, errno == EINVAL);
    return 0;
}
