// Several threads run the same functions with promoted -O0 frames at once: each activation's
// locals are its own.
// cflags: -O0
#include <pthread.h>
#include <stdio.h>

static unsigned long long churn(unsigned int seed, int n) {
    unsigned long long acc = seed;
    unsigned int x = seed;
    short s = 0;
    double d = seed;
    for (int i = 0; i < n; i++) {
        x = x * 1664525u + 1013904223u;
        s = (short)(s + (x >> 20));
        d = d * 0.5 + (x & 0xff);
        acc = acc * 31 + x + s + (unsigned long long)d;
    }
    return acc;
}

static unsigned long long nest(unsigned int seed, int depth) {
    int here = (int)seed + depth;
    if (depth == 0) return churn(seed, 2000);
    return nest(seed * 3 + 1, depth - 1) ^ (unsigned long long)here;
}

static void *worker(void *arg) {
    unsigned int id = (unsigned int)(unsigned long)arg;
    unsigned long long r = 0;
    for (int i = 0; i < 50; i++) r += nest(id * 100 + i, 20);
    return (void *)(unsigned long)(r & 0xffffffff);
}

int main(void) {
    enum { N = 4 };
    pthread_t t[N];
    for (unsigned long i = 0; i < N; i++) pthread_create(&t[i], 0, worker, (void *)i);
    for (int i = 0; i < N; i++) {
        void *r;
        pthread_join(t[i], &r);
        printf("thread %d: %lu (alone: %lu)\n", i, (unsigned long)r,
               (unsigned long)worker((void *)(unsigned long)i));
    }
    return 0;
}
