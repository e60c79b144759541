// SA_SIGINFO handlers receive siginfo_t with the sender's details.
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile int seen_signo, seen_code, seen_pid_ok, seen_uid_ok, seen_errno, context_given;

static void on_signal(int sig, siginfo_t *info, void *context) {
    seen_signo = info->si_signo == sig ? sig : -1;
    seen_code = info->si_code;
    seen_pid_ok = info->si_pid == getpid();
    seen_uid_ok = info->si_uid == getuid();
    seen_errno = info->si_errno;
    context_given = context != NULL;
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);

    kill(getpid(), SIGUSR1);
    printf("kill: signo=%d code_is_SI_USER=%d pid=%d uid=%d errno=%d\n", seen_signo,
           seen_code == SI_USER, seen_pid_ok, seen_uid_ok, seen_errno);

    raise(SIGUSR2);
    printf("raise: signo=%d code_is_SI_TKILL=%d pid=%d uid=%d\n", seen_signo,
           seen_code == SI_TKILL, seen_pid_ok, seen_uid_ok);

    struct sigaction old;
    sigaction(SIGUSR1, NULL, &old);
    printf("oldact: siginfo flag=%d handler kept=%d\n", (old.sa_flags & SA_SIGINFO) != 0,
           old.sa_sigaction == on_signal);
    return 0;
}
