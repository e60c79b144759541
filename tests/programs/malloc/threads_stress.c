// The allocator under threads: 6 threads each run 15,000 random steps of malloc, calloc, realloc
// (growing and shrinking), free, posix_memalign, aligned_alloc and memalign, keeping up to 256
// live blocks whose contents are a pattern checked before every free or resize. A third of the
// frees are of blocks another thread allocated: threads hand blocks over through a shared mailbox.
// Alignments are checked, and malloc_usable_size must cover the requested size. Every thread then
// frees what it holds and the main thread allocates again after joining.
// timeout: 30
#define _GNU_SOURCE
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { THREADS = 6, STEPS = 15000, SLOTS = 256, MAILBOX = 64 };

typedef struct {
    unsigned char *p;
    size_t size;
    unsigned char seed;
} block;

static pthread_mutex_t mailbox_lock = PTHREAD_MUTEX_INITIALIZER;
static block mailbox[MAILBOX];
static int mailbox_count;

typedef struct {
    int id;
    uint64_t state;
    unsigned long errors, handed, received, aligned;
} worker;

static uint64_t next_random(worker *w) {
    w->state ^= w->state << 13;
    w->state ^= w->state >> 7;
    w->state ^= w->state << 17;
    return w->state;
}

static void fill(block *b) {
    for (size_t i = 0; i < b->size; i++) b->p[i] = (unsigned char)(b->seed + i * 13);
}

static int intact(const block *b, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (b->p[i] != (unsigned char)(b->seed + i * 13)) return 0;
    return 1;
}

static size_t random_size(worker *w) {
    uint64_t r = next_random(w);
    switch (r % 8) {
    case 0: return r >> 40 & 3;              // 0..3 bytes
    case 1: case 2: case 3: return 1 + (r >> 32) % 64;
    case 4: case 5: return 1 + (r >> 32) % 1024;
    case 6: return 1 + (r >> 32) % 16384;
    default: return 1 + (r >> 32) % 100000; // beyond any small-size class
    }
}

static void release(worker *w, block *b) {
    if (!b->p) return;
    if (!intact(b, b->size)) w->errors++;
    free(b->p);
    b->p = NULL;
}

static void allocate(worker *w, block *b) {
    uint64_t r = next_random(w);
    size_t size = random_size(w);
    b->seed = (unsigned char)(r >> 24);
    b->size = size;
    switch (r % 6) {
    case 0:
        b->p = calloc(1, size);
        if (b->p)
            for (size_t i = 0; i < size; i++)
                if (b->p[i]) w->errors++;
        break;
    case 1: {
        size_t align = (size_t)8 << (r >> 8) % 10; // 8 .. 4096
        void *p = NULL;
        if (posix_memalign(&p, align, size)) p = NULL;
        b->p = p;
        if ((uintptr_t)p % align) w->errors++;
        w->aligned++;
        break;
    }
    case 2: {
        size_t align = (size_t)16 << (r >> 8) % 9; // 16 .. 4096
        size_t rounded = (size + align - 1) / align * align;
        b->p = aligned_alloc(align, rounded);
        b->size = rounded;
        if ((uintptr_t)b->p % align) w->errors++;
        w->aligned++;
        break;
    }
    case 3: {
        size_t align = (size_t)32 << (r >> 8) % 6;
        b->p = memalign(align, size);
        if ((uintptr_t)b->p % align) w->errors++;
        w->aligned++;
        break;
    }
    default:
        b->p = malloc(size);
        break;
    }
    if (!b->p && size) w->errors++;
    if (!b->p) {
        b->size = 0;
        return;
    }
    if ((uintptr_t)b->p % 8) w->errors++;
    if (malloc_usable_size(b->p) < b->size) w->errors++;
    fill(b);
}

static void resize(worker *w, block *b) {
    size_t size = next_random(w) % 2 ? b->size * 2 + 1 : b->size / 2;
    if (size > 200000) size = 1 + size % 1000;
    size_t keep = size < b->size ? size : b->size;
    if (!intact(b, b->size)) w->errors++;
    unsigned char *p = realloc(b->p, size ? size : 1);
    if (!p) {
        w->errors++;
        return;
    }
    b->p = p;
    if (!intact(b, keep)) w->errors++;
    b->size = size;
    fill(b);
}

static void *work(void *arg) {
    worker *w = arg;
    block slots[SLOTS];
    memset(slots, 0, sizeof slots);
    for (int step = 0; step < STEPS; step++) {
        block *b = &slots[next_random(w) % SLOTS];
        uint64_t action = next_random(w) % 10;
        if (!b->p) {
            allocate(w, b);
        } else if (action < 3) {
            release(w, b);
        } else if (action < 5) {
            if (b->size) resize(w, b);
        } else if (action < 7) {
            // Hand the block to whichever thread takes it, or free one handed over.
            pthread_mutex_lock(&mailbox_lock);
            if (mailbox_count < MAILBOX) {
                mailbox[mailbox_count++] = *b;
                b->p = NULL;
                w->handed++;
            }
            block other = mailbox_count > 1 && action == 6 ? mailbox[--mailbox_count] : (block){0};
            pthread_mutex_unlock(&mailbox_lock);
            if (other.p) {
                w->received++;
                if (other.size && next_random(w) % 2) resize(w, &other);
                release(w, &other);
            }
        } else {
            if (!intact(b, b->size)) w->errors++;
        }
    }
    for (int i = 0; i < SLOTS; i++) release(w, &slots[i]);
    return NULL;
}

int main(void) {
    pthread_t threads[THREADS];
    worker workers[THREADS];
    for (int i = 0; i < THREADS; i++) {
        workers[i] = (worker){.id = i, .state = 0x9e3779b97f4a7c15ull * (uint64_t)(i + 1)};
        if (pthread_create(&threads[i], NULL, work, &workers[i])) {
            printf("pthread_create failed\n");
            return 1;
        }
    }
    unsigned long errors = 0, aligned = 0, exchanged = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(threads[i], NULL);
        errors += workers[i].errors;
        aligned += workers[i].aligned;
        exchanged += workers[i].received;
    }
    // What is left in the mailbox is freed by the main thread.
    worker main_worker = {.state = 12345};
    for (int i = 0; i < mailbox_count; i++) release(&main_worker, &mailbox[i]);
    errors += main_worker.errors;
    // Allocation still works after all those threads exited.
    block after = {.size = 100000, .seed = 7};
    after.p = malloc(after.size);
    fill(&after);
    if (!intact(&after, after.size)) errors++;
    free(after.p);
    printf("threads %d, errors %lu, aligned allocations made %s, blocks passed between threads %s\n",
           THREADS, errors, aligned > 1000 ? "many" : "few", exchanged > 1000 ? "many" : "few");
    return errors != 0;
}
