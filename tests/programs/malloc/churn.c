// Allocator churn: 400,000 random mallocs, frees and reallocs of sizes from 1 byte to 256 KiB over
// a pool of 4096 live blocks, each block carrying a pattern that is checked before it is freed or
// resized; memory is reused many times over. Also aligned allocations.
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state = 0x9e3779b97f4a7c15ULL;
static uint64_t next_random(void) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

struct block {
    unsigned char *data;
    size_t size;
    unsigned char tag;
};

static size_t random_size(void) {
    uint64_t r = next_random();
    switch (r % 16) {
    case 0:
        return 1 + (r >> 8) % (256 * 1024);
    case 1:
    case 2:
        return 1 + (r >> 8) % 16384;
    default:
        return 1 + (r >> 8) % 512;
    }
}

static size_t verify(const struct block *b) {
    size_t wrong = 0;
    for (size_t i = 0; i < b->size; i += 1 + i / 64)
        wrong += b->data[i] != (unsigned char)(b->tag + i);
    return wrong;
}

// Patterns are written and checked at a stride that grows with the offset (every byte of the first
// 64, then sparser), so big blocks cost little but every page is touched.
static void stamp(struct block *b) {
    for (size_t i = 0; i < b->size; i += 1 + i / 64)
        b->data[i] = (unsigned char)(b->tag + i);
}

int main(void) {
    enum { POOL = 4096, OPERATIONS = 400000 };
    static struct block pool[POOL];
    size_t wrong = 0, live = 0, peak = 0, allocations = 0;
    for (long op = 0; op < OPERATIONS; op++) {
        struct block *b = &pool[next_random() % POOL];
        if (!b->data) {
            b->size = random_size();
            b->data = malloc(b->size);
            b->tag = (unsigned char)next_random();
            stamp(b);
            live += b->size;
            allocations++;
        } else if (next_random() % 3 == 0) {
            wrong += verify(b);
            size_t new_size = random_size();
            size_t kept = new_size < b->size ? new_size : b->size;
            b->data = realloc(b->data, new_size);
            for (size_t i = 0; i < kept; i += 1 + i / 64)
                wrong += b->data[i] != (unsigned char)(b->tag + i);
            live = live - b->size + new_size;
            b->size = new_size;
            stamp(b);
        } else {
            wrong += verify(b);
            free(b->data);
            live -= b->size;
            b->data = NULL;
        }
        if (live > peak)
            peak = live;
    }
    size_t remaining = 0;
    for (int i = 0; i < POOL; i++)
        if (pool[i].data) {
            wrong += verify(&pool[i]);
            free(pool[i].data);
            remaining++;
        }
    printf("%d operations, %zu allocations, peak %zu live bytes, %zu blocks left, %zu wrong bytes\n", OPERATIONS,
           allocations, peak, remaining, wrong);

    size_t bad_alignment = 0;
    for (size_t alignment = 16; alignment <= 65536; alignment *= 2) {
        void *p = NULL;
        int error = posix_memalign(&p, alignment, alignment * 3 + 5);
        bad_alignment += error != 0 || (uintptr_t)p % alignment != 0;
        memset(p, 1, alignment * 3 + 5);
        void *q = aligned_alloc(alignment, alignment * 2);
        bad_alignment += q == NULL || (uintptr_t)q % alignment != 0;
        void *r = memalign(alignment, 100);
        bad_alignment += r == NULL || (uintptr_t)r % alignment != 0;
        bad_alignment += malloc_usable_size(r) < 100;
        free(p);
        free(q);
        free(r);
    }
    void *p;
    printf("aligned allocations: %zu bad, posix_memalign(3) %s\n", bad_alignment,
           posix_memalign(&p, 3, 8) ? "rejected" : "accepted");
    return 0;
}
