// 8 threads hammer a mutex-protected counter, C11 atomics, and hand work through a condition
// variable; the totals must be exact.
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#define THREADS 8
#define ROUNDS 20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long counter;
static atomic_long atomic_counter;
static atomic_int max_seen;
static int queue[64];
static int queue_len;
static int produced_done;
static long consumed_sum;
static int consumed_count;

static void *hammer(void *arg) {
    long id = (long)arg;
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&lock);
        counter += id;
        pthread_mutex_unlock(&lock);
        atomic_fetch_add(&atomic_counter, 1);
        int v = (int)id, cur = atomic_load(&max_seen);
        while (v > cur && !atomic_compare_exchange_weak(&max_seen, &cur, v)) {
        }
    }
    return NULL;
}

static void *consumer(void *arg) {
    (void)arg;
    pthread_mutex_lock(&lock);
    for (;;) {
        while (queue_len == 0 && !produced_done) {
            pthread_cond_wait(&cond, &lock);
        }
        if (queue_len == 0 && produced_done) {
            break;
        }
        consumed_sum += queue[--queue_len];
        consumed_count++;
        pthread_cond_broadcast(&cond);
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

int main(void) {
    pthread_t t[THREADS];
    for (long i = 0; i < THREADS; i++) {
        if (pthread_create(&t[i], NULL, hammer, (void *)(i + 1)) != 0) {
            printf("pthread_create failed\n");
            return 1;
        }
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
    }
    printf("mutex counter %ld (expected %ld)\n", counter, (long)ROUNDS * THREADS * (THREADS + 1) / 2);
    printf("atomic counter %ld, max id %d\n", atomic_load(&atomic_counter), atomic_load(&max_seen));

    pthread_t consumers[THREADS / 2];
    for (int i = 0; i < THREADS / 2; i++) {
        pthread_create(&consumers[i], NULL, consumer, NULL);
    }
    long expected = 0;
    for (int i = 1; i <= 10000; i++) {
        pthread_mutex_lock(&lock);
        while (queue_len == 64) {
            pthread_cond_wait(&cond, &lock);
        }
        queue[queue_len++] = i;
        expected += i;
        pthread_cond_signal(&cond);
        pthread_mutex_unlock(&lock);
    }
    pthread_mutex_lock(&lock);
    produced_done = 1;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < THREADS / 2; i++) {
        pthread_join(consumers[i], NULL);
    }
    printf("consumed %d items, sum %ld (expected %ld)\n", consumed_count, consumed_sum, expected);
    return 0;
}
