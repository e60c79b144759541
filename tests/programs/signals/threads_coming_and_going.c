// Process-directed signals while threads keep starting and ending: each must reach a thread that
// runs its handler promptly. The main thread blocks the signal, so the kernel picks another thread
// every time: a spawner, or one of the short-lived threads, which may be anywhere between its
// start-up and its exit.
// cflags: -pthread
// timeout: 30
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static atomic_int handled;
static atomic_int stop;

static void on_usr1(int sig) {
    (void)sig;
    atomic_fetch_add(&handled, 1);
}

static void *nothing(void *arg) {
    return arg;
}

// Starts and joins short-lived threads until told to stop.
static void *spawner(void *arg) {
    (void)arg;
    while (!atomic_load(&stop)) {
        pthread_t t;
        if (pthread_create(&t, NULL, nothing, NULL) == 0) {
            pthread_join(t, NULL);
        }
    }
    return NULL;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);

    pthread_t threads[2];
    for (int i = 0; i < 2; i++) {
        pthread_create(&threads[i], NULL, spawner, NULL);
    }
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &usr1, NULL);

    int sent = 300, lost = 0;
    for (int i = 0; i < sent; i++) {
        int before = atomic_load(&handled);
        kill(getpid(), SIGUSR1);
        double deadline = now() + 2.0;
        while (atomic_load(&handled) == before && now() < deadline) {
        }
        if (atomic_load(&handled) == before) {
            lost++;
        }
    }
    atomic_store(&stop, 1);
    for (int i = 0; i < 2; i++) {
        pthread_join(threads[i], NULL);
    }
    printf("signals sent: %d, handled promptly: %d\n", sent, sent - lost);
    return 0;
}
