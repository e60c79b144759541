// Several threads mmap, write, verify, mremap and munmap at the same time; every mapping is
// private to its thread and fresh memory is always zero.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define THREADS 6
#define PAGE 4096

static void *worker(void *arg) {
    long id = (long)arg;
    long bad = 0;
    for (int round = 0; round < 300; round++) {
        size_t pages = (size_t)(round % 13) + 1;
        unsigned char *p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) return (void *)-1L;
        for (size_t i = 0; i < pages * PAGE; i += 512) bad += p[i] != 0;
        memset(p, (int)id, pages * PAGE);
        if (round % 5 == 0) {
            unsigned char *q = mremap(p, pages * PAGE, (pages + 7) * PAGE, MREMAP_MAYMOVE);
            if (q == MAP_FAILED) return (void *)-2L;
            for (size_t i = 0; i < pages * PAGE; i += 512) bad += q[i] != id;
            for (size_t i = pages * PAGE; i < (pages + 7) * PAGE; i += 512) bad += q[i] != 0;
            p = q;
            pages += 7;
        }
        for (size_t i = 0; i < pages * PAGE; i += 512) bad += p[i] != id;
        munmap(p, pages * PAGE);
    }
    return (void *)bad;
}

int main(void) {
    pthread_t t[THREADS];
    for (long i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, worker, (void *)(i + 1));
    long total = 0;
    for (int i = 0; i < THREADS; i++) {
        void *r;
        pthread_join(t[i], &r);
        total += (long)r;
    }
    printf("errors: %ld\n", total);
    return 0;
}
