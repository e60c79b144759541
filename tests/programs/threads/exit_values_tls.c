// Thread return values, pthread_exit from deep inside a thread, thread-local storage, and
// detached threads.
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static __thread int tls_value = 7;
static __thread char tls_name[16] = "main";

static void exit_deep(int n, long value) {
    if (n <= 0) {
        pthread_exit((void *)value);
    }
    exit_deep(n - 1, value);
    tls_value++;
}

static void *worker(void *arg) {
    long id = (long)arg;
    int initial = tls_value;
    tls_value = (int)id * 100;
    snprintf(tls_name, sizeof tls_name, "worker%ld", id);
    usleep(1000);
    if (tls_value != (int)id * 100) {
        return (void *)-1;
    }
    if (id % 2) {
        exit_deep(20, id * 10 + initial);
    }
    return (void *)(id * 10 + initial);
}

static volatile int detached_ran;

static void *detached(void *arg) {
    (void)arg;
    __atomic_store_n(&detached_ran, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

int main(void) {
    pthread_t t[6];
    for (long i = 0; i < 6; i++) {
        pthread_create(&t[i], NULL, worker, (void *)i);
    }
    for (int i = 0; i < 6; i++) {
        void *r;
        pthread_join(t[i], &r);
        printf("thread %d returned %ld\n", i, (long)r);
    }
    printf("main tls still %d %s\n", tls_value, tls_name);

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t d;
    pthread_create(&d, &attr, detached, NULL);
    while (!__atomic_load_n(&detached_ran, __ATOMIC_SEQ_CST)) {
        usleep(100);
    }
    printf("detached thread ran\n");
    return 0;
}
