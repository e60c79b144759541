// sigsetjmp(env, 1) saves the signal mask and siglongjmp restores it; sigsetjmp(env, 0) does not.
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>

static void print_mask(const char *label) {
    sigset_t s;
    sigprocmask(SIG_BLOCK, NULL, &s);
    printf("%s: USR1=%d USR2=%d TERM=%d\n", label, sigismember(&s, SIGUSR1),
           sigismember(&s, SIGUSR2), sigismember(&s, SIGTERM));
}

static void set_mask(int a, int b, int c) {
    sigset_t s;
    sigemptyset(&s);
    if (a) sigaddset(&s, SIGUSR1);
    if (b) sigaddset(&s, SIGUSR2);
    if (c) sigaddset(&s, SIGTERM);
    sigprocmask(SIG_SETMASK, &s, NULL);
}

static sigjmp_buf saved, unsaved;

static void deep(sigjmp_buf b, int level, int value) {
    if (level == 0) {
        siglongjmp(b, value);
    }
    deep(b, level - 1, value);
}

int main(void) {
    set_mask(1, 0, 0);
    int r = sigsetjmp(saved, 1);
    if (r == 0) {
        set_mask(0, 1, 1);
        print_mask("before siglongjmp");
        deep(saved, 10, 5);
    }
    printf("sigsetjmp returned %d\n", r);
    print_mask("restored");

    set_mask(0, 0, 1);
    r = sigsetjmp(unsaved, 0);
    if (r == 0) {
        set_mask(1, 1, 0);
        deep(unsaved, 3, 9);
    }
    printf("sigsetjmp returned %d\n", r);
    print_mask("not restored");

    // A jmp_buf copied elsewhere still works.
    sigjmp_buf copy;
    volatile int pass = 0;
    set_mask(0, 0, 0);
    if (sigsetjmp(saved, 1) == 0) {
        __builtin_memcpy(copy, saved, sizeof copy);
        set_mask(1, 0, 0);
        pass = 1;
        siglongjmp(copy, 3);
    }
    printf("copy pass %d\n", pass);
    print_mask("after copy");
    return 0;
}
