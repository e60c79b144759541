// SA_RESETHAND: the first delivery runs the handler and resets the disposition to SIG_DFL; the
// second kills the process like a native one.
// native-signal: SIGUSR1
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t runs;

static void on_usr1(int sig) {
    (void)sig;
    runs++;
}

int main(void) {
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);

    sigaction(SIGUSR1, NULL, &old);
    printf("installed: handler=%d resethand=%d\n", old.sa_handler == on_usr1,
           (old.sa_flags & SA_RESETHAND) != 0);
    raise(SIGUSR1);
    printf("runs=%d\n", (int)runs);
    sigaction(SIGUSR1, NULL, &old);
    printf("after delivery: default=%d\n", old.sa_handler == SIG_DFL);

    // SIG_IGN round-trips and ignores.
    signal(SIGUSR2, SIG_IGN);
    raise(SIGUSR2);
    printf("ignored: %d\n", signal(SIGUSR2, SIG_DFL) == SIG_IGN);
    fflush(stdout);
    raise(SIGUSR1);
    printf("not reached\n");
    return 0;
}
