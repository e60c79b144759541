// SIGSEGV, SIGBUS, SIGFPE and SIGILL sent with raise/kill are ordinary signals for the program:
// its handlers run and return; with the default action the process dies of the signal.
// native-signal: SIGSEGV
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t last, count;

static void on_signal(int sig) {
    last = sig;
    count++;
}

int main(void) {
    int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL};
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < 4; i++) {
        sigaction(sigs[i], &sa, NULL);
        raise(sigs[i]);
        printf("raise %d: handler saw %d\n", sigs[i], (int)last);
        kill(getpid(), sigs[i]);
        printf("kill %d: count %d\n", sigs[i], (int)count);
    }
    sigaction(SIGSEGV, NULL, &old);
    printf("oldact is the handler: %d\n", old.sa_handler == on_signal);

    signal(SIGFPE, SIG_IGN);
    raise(SIGFPE);
    printf("ignored SIGFPE, count %d\n", (int)count);

    signal(SIGSEGV, SIG_DFL);
    printf("raising SIGSEGV with the default action\n");
    fflush(stdout);
    raise(SIGSEGV);
    printf("not reached\n");
    return 0;
}
