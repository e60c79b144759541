/* Sorting: a hand-written introspective quicksort over 32-bit keys, then the C library's qsort over
 * records with a comparison callback (an indirect call per comparison), then a merge of the two
 * orders as a check. Size: number of elements. */
#include <string.h>
#include "common.h"

static void insertion_sort(uint32_t *a, long n)
{
    for (long i = 1; i < n; i++) {
        uint32_t key = a[i];
        long j = i - 1;
        while (j >= 0 && a[j] > key) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = key;
    }
}

static void sift_down(uint32_t *a, long start, long n)
{
    long root = start;
    for (;;) {
        long child = 2 * root + 1;
        if (child >= n)
            return;
        if (child + 1 < n && a[child] < a[child + 1])
            child++;
        if (a[root] >= a[child])
            return;
        uint32_t t = a[root];
        a[root] = a[child];
        a[child] = t;
        root = child;
    }
}

static void heap_sort(uint32_t *a, long n)
{
    for (long i = n / 2 - 1; i >= 0; i--)
        sift_down(a, i, n);
    for (long end = n - 1; end > 0; end--) {
        uint32_t t = a[0];
        a[0] = a[end];
        a[end] = t;
        sift_down(a, 0, end);
    }
}

static void intro_sort(uint32_t *a, long n, int depth_budget)
{
    while (n > 24) {
        if (depth_budget-- == 0) {
            heap_sort(a, n);
            return;
        }
        uint32_t x = a[0], y = a[n / 2], z = a[n - 1];
        uint32_t pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        long i = 0, j = n - 1;
        for (;;) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i >= j)
                break;
            uint32_t t = a[i];
            a[i] = a[j];
            a[j] = t;
            i++;
            j--;
        }
        /* Recurse into the smaller half, loop on the larger: stack depth stays logarithmic. */
        if (j + 1 < n - j - 1) {
            intro_sort(a, j + 1, depth_budget);
            a += j + 1;
            n -= j + 1;
        } else {
            intro_sort(a + j + 1, n - j - 1, depth_budget);
            n = j + 1;
        }
    }
    insertion_sort(a, n);
}

typedef struct {
    uint32_t key;
    uint32_t id;
} record;

static int compare_records(const void *pa, const void *pb)
{
    const record *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->id < b->id ? -1 : (a->id > b->id);
}

int main(int argc, char **argv)
{
    long n = bench_size(argc, argv, 2000000);
    uint32_t *keys = malloc(sizeof(uint32_t) * n);
    record *records = malloc(sizeof(record) * n);
    if (!keys || !records)
        return 1;
    bench_rng rng = { 0xDEADBEEFULL };
    uint64_t hash = BENCH_FNV_INIT;
    for (int pass = 0; pass < 3; pass++) {
        for (long i = 0; i < n; i++) {
            /* pass 0: uniform; pass 1: few distinct keys; pass 2: nearly sorted. */
            uint32_t v = (uint32_t)(bench_next(&rng) >> 32);
            if (pass == 1)
                v %= 1000;
            if (pass == 2)
                v = (uint32_t)i * 16 + (v % 64);
            keys[i] = v;
            records[i].key = v;
            records[i].id = (uint32_t)i;
        }
        int depth = 0;
        for (long m = n; m > 1; m >>= 1)
            depth += 2;
        intro_sort(keys, n, depth);
        qsort(records, (size_t)n, sizeof(record), compare_records);
        long mismatches = 0;
        for (long i = 0; i < n; i++) {
            if (keys[i] != records[i].key)
                mismatches++;
            if (i && keys[i - 1] > keys[i])
                mismatches++;
        }
        hash = bench_fnv(hash, keys, sizeof(uint32_t) * n);
        for (long i = 0; i < n; i += 97)
            hash = bench_mix(hash, records[i].id);
        printf("sort pass %d: n=%ld mismatches=%ld median=%u\n", pass, n, mismatches, keys[n / 2]);
    }
    printf("sort hash=%016llx\n", (unsigned long long)hash);
    free(keys);
    free(records);
    return bench_finish();
}
