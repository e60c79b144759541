/* Allocation-heavy binary trees: repeatedly builds, walks and frees complete binary trees of
 * varying depth with malloc/free, while a pool of longer-lived trees is replaced at pseudo-random
 * slots so the heap stays fragmented. Size: number of short-lived trees built. */
#include "common.h"

typedef struct node {
    struct node *left, *right;
    uint32_t value;
} node;

static node *build(uint32_t depth, uint32_t value)
{
    node *n = malloc(sizeof *n);
    if (!n) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    n->value = value;
    if (depth == 0) {
        n->left = n->right = 0;
    } else {
        n->left = build(depth - 1, value * 2 + 1);
        n->right = build(depth - 1, value * 2 + 2);
    }
    return n;
}

static uint64_t walk(const node *n)
{
    uint64_t sum = 0;
    while (n) {
        sum += n->value + 1;
        sum += walk(n->right);
        n = n->left;
    }
    return sum;
}

static void release(node *n)
{
    while (n) {
        node *left = n->left;
        release(n->right);
        free(n);
        n = left;
    }
}

#define POOL 64

int main(int argc, char **argv)
{
    long trees = bench_size(argc, argv, 3600);
    node *pool[POOL] = { 0 };
    bench_rng rng = { 42 };
    uint64_t checksum = 0, nodes = 0;
    for (long t = 0; t < trees; t++) {
        uint32_t depth = 4 + (uint32_t)(t % 12);
        node *tree = build(depth, (uint32_t)t);
        checksum = bench_mix(checksum, walk(tree));
        nodes += ((uint64_t)1 << (depth + 1)) - 1;
        release(tree);
        if (t % 8 == 0) {
            uint32_t slot = (uint32_t)(bench_next(&rng) % POOL);
            release(pool[slot]);
            uint32_t pool_depth = 6 + (uint32_t)(bench_next(&rng) % 6);
            pool[slot] = build(pool_depth, (uint32_t)t);
            nodes += ((uint64_t)1 << (pool_depth + 1)) - 1;
        }
    }
    for (int i = 0; i < POOL; i++) {
        checksum = bench_mix(checksum, walk(pool[i]));
        release(pool[i]);
    }
    printf("bintrees trees=%ld nodes=%llu checksum=%016llx\n", trees, (unsigned long long)nodes,
           (unsigned long long)checksum);
    return bench_finish();
}
