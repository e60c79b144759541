// Signals aimed at threads that spin in call-free loops: each worker waits in a loop with no
// calls until its own handler has run, so only the loop-header poll can deliver the signal.
// Two workers spin at once, so a poll taken for another thread's signal must leave it for its
// owner, and every thread's signal must still arrive.
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>

#define WORKERS 2
#define ROUNDS 50

static _Thread_local volatile sig_atomic_t handled;
static atomic_int received[WORKERS];
static atomic_int ready[WORKERS];
static _Thread_local int my_index;

static void on_usr1(int sig) {
    (void)sig;
    handled++;
    atomic_fetch_add(&received[my_index], 1);
}

static void *worker(void *arg) {
    my_index = (int)(long)arg;
    for (int round = 0; round < ROUNDS; round++) {
        atomic_store(&ready[my_index], round + 1);
        while (handled < round + 1)
            ;
    }
    return 0;
}

int main(void) {
    struct sigaction sa = {0};
    sa.sa_handler = on_usr1;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGUSR1, &sa, 0) != 0) {
        perror("sigaction");
        return 1;
    }
    pthread_t threads[WORKERS];
    for (long i = 0; i < WORKERS; i++)
        pthread_create(&threads[i], 0, worker, (void *)i);
    for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < WORKERS; i++) {
            // Wait until worker i spins in this round before signalling it.
            while (atomic_load(&ready[i]) < round + 1)
                ;
            while (atomic_load(&received[i]) < round + 1) {
                pthread_kill(threads[i], SIGUSR1);
                // Give the signal time to land before sending again.
                for (volatile int k = 0; k < 20000 && atomic_load(&received[i]) < round + 1; k++)
                    ;
            }
        }
    }
    for (int i = 0; i < WORKERS; i++) {
        pthread_join(threads[i], 0);
        printf("worker %d: %d rounds, every signal handled: %s\n", i, ROUNDS,
               atomic_load(&received[i]) >= ROUNDS ? "yes" : "no");
    }
    return 0;
}
