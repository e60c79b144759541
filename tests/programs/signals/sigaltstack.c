// The alternate signal stack: an SA_ONSTACK handler runs on it (its locals live there), and it is
// reported as SS_ONSTACK while the handler runs; handlers without SA_ONSTACK do not use it.
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *alt;
static size_t alt_size = 64 * 1024;
static volatile int on_alt, flags_inside, runs;

static void handler(int sig) {
    (void)sig;
    volatile char local[64];
    local[0] = 1;
    on_alt = (char *)local >= alt && (char *)local < alt + alt_size;
    stack_t cur;
    sigaltstack(NULL, &cur);
    flags_inside = cur.ss_flags;
    runs++;
}

int main(void) {
    stack_t ss, old;
    sigaltstack(NULL, &old);
    printf("initially disabled: %d\n", (old.ss_flags & SS_DISABLE) != 0);

    alt = malloc(alt_size);
    ss.ss_sp = alt;
    ss.ss_size = alt_size;
    ss.ss_flags = 0;
    printf("sigaltstack=%d\n", sigaltstack(&ss, NULL));
    sigaltstack(NULL, &old);
    printf("installed: sp ok=%d size ok=%d flags=%d\n", old.ss_sp == alt, old.ss_size == alt_size, old.ss_flags);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    printf("SA_ONSTACK: runs=%d on alt stack=%d SS_ONSTACK inside=%d\n", runs, on_alt, (flags_inside & SS_ONSTACK) != 0);

    sa.sa_flags = 0;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);
    printf("without SA_ONSTACK: runs=%d on alt stack=%d\n", runs, on_alt);

    ss.ss_size = 100;
    printf("too small: %d\n", sigaltstack(&ss, NULL));
    ss.ss_flags = SS_DISABLE;
    printf("disable=%d\n", sigaltstack(&ss, NULL));
    sigaltstack(NULL, &old);
    printf("disabled: %d\n", (old.ss_flags & SS_DISABLE) != 0);
    return 0;
}
