// Handlers that interrupt code making no calls at all, wherever it is: a leaf function keeping its
// frame below the stack pointer, a function that called sigsetjmp itself, a callee of such a
// function, and a loop hit by a SIGSEGV sent from another process.
// timeout: 20
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t ticks;
static sigjmp_buf env;
static volatile unsigned sink;

// Uses a lot of stack, so it overwrites whatever lies below the interrupted stack pointer.
static void on_alarm(int sig) {
    volatile unsigned char scratch[512];
    for (unsigned i = 0; i < sizeof scratch; i++) {
        scratch[i] = (unsigned char)(i * 7 + sig);
    }
    sink = scratch[ticks % sizeof scratch];
    ticks++;
}

static void arm(long usec) {
    struct itimerval t = {{0, usec}, {0, usec}};
    setitimer(ITIMER_REAL, &t, NULL);
}

static void disarm(void) {
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
}

// A leaf function with a small frame: wasm compilers keep it below __stack_pointer (the red zone)
// without moving the stack pointer, so a handler must not put its own frames there.
__attribute__((noinline)) static unsigned leaf(unsigned seed, unsigned rounds) {
    volatile unsigned state[20];
    for (unsigned i = 0; i < 20; i++) {
        state[i] = seed + i;
    }
    for (unsigned r = 0; r < rounds; r++) {
        unsigned i = r % 20;
        state[i] = state[i] * 1103515245u + state[(i + 7) % 20];
    }
    unsigned sum = 0;
    for (unsigned i = 0; i < 20; i++) {
        sum ^= state[i] + i;
    }
    return sum;
}

static void jump_out(int sig) {
    siglongjmp(env, sig);
}

// Spins until a signal's handler jumps back into this very function.
__attribute__((noinline)) static int spin_here(void) {
    volatile unsigned long spins = 0;
    int r = sigsetjmp(env, 1);
    if (r == 0) {
        arm(5000);
        for (;;) {
            spins++;
        }
    }
    disarm();
    return r == SIGALRM && spins > 0;
}

__attribute__((noinline)) static void spin_forever(void) {
    volatile unsigned long spins = 0;
    for (;;) {
        spins++;
    }
}

// Spins in a callee until a handler jumps back here.
__attribute__((noinline)) static int spin_in_callee(void) {
    int r = sigsetjmp(env, 1);
    if (r == 0) {
        arm(5000);
        spin_forever();
    }
    disarm();
    return r == SIGALRM;
}

static volatile sig_atomic_t segv_seen;
static volatile int segv_code;

static void on_segv(int sig, siginfo_t *info, void *context) {
    (void)sig;
    (void)context;
    segv_code = info->si_code;
    segv_seen = 1;
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);

    // 1. Red zone: the result must not depend on where the handlers struck.
    unsigned expected = leaf(12345, 3000000);
    ticks = 0;
    arm(500);
    unsigned got = 0;
    int runs = 0;
    while (ticks < 20) {
        got = leaf(12345, 3000000);
        runs++;
        if (got != expected) {
            break;
        }
    }
    disarm();
    printf("leaf frame intact under handlers: %d (%d runs)\n", got == expected, runs > 0);

    // 2. Longjmp from a handler into the function that is spinning.
    sa.sa_handler = jump_out;
    sigaction(SIGALRM, &sa, NULL);
    int ok = 1;
    for (int i = 0; i < 20; i++) {
        ok &= spin_here();
    }
    printf("jumped into the spinning function 20 times: %d\n", ok);

    // 3. Longjmp from a handler that interrupted a callee.
    ok = 1;
    for (int i = 0; i < 20; i++) {
        ok &= spin_in_callee();
    }
    printf("jumped out of the spinning callee 20 times: %d\n", ok);

    // 4. A SIGSEGV sent by another process to a program spinning in a loop.
    struct sigaction segv;
    memset(&segv, 0, sizeof segv);
    segv.sa_sigaction = on_segv;
    segv.sa_flags = SA_SIGINFO;
    sigemptyset(&segv.sa_mask);
    sigaction(SIGSEGV, &segv, NULL);
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == 0) {
        usleep(20000);
        kill(parent, SIGSEGV);
        _exit(0);
    }
    while (!segv_seen) {
    }
    int status;
    waitpid(child, &status, 0);
    printf("sent SIGSEGV handled while spinning: %d, si_code %d\n", segv_seen, segv_code);
    return 0;
}
