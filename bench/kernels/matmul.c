/* Dense double-precision matrix multiply, C = A * B, with the cache-friendly i-k-j loop order.
 * Size: the matrix dimension n. */
#include "common.h"

int main(int argc, char **argv)
{
    long n = bench_size(argc, argv, 1100);
    double *a = malloc(sizeof(double) * n * n);
    double *b = malloc(sizeof(double) * n * n);
    double *c = calloc((size_t)(n * n), sizeof(double));
    if (!a || !b || !c) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    bench_rng rng = { 0x9E3779B97F4A7C15ULL };
    for (long i = 0; i < n * n; i++) {
        a[i] = bench_unit(&rng) - 0.5;
        b[i] = bench_unit(&rng) - 0.5;
    }
    for (long i = 0; i < n; i++) {
        double *row = c + i * n;
        for (long k = 0; k < n; k++) {
            double scale = a[i * n + k];
            const double *brow = b + k * n;
            for (long j = 0; j < n; j++)
                row[j] += scale * brow[j];
        }
    }
    double trace = 0, total = 0;
    uint64_t hash = BENCH_FNV_INIT;
    for (long i = 0; i < n; i++) {
        trace += c[i * n + i];
        for (long j = 0; j < n; j++)
            total += c[i * n + j];
    }
    hash = bench_fnv(hash, c, sizeof(double) * n * n);
    printf("matmul n=%ld trace=%.9f total=%.9f hash=%016llx\n", n, trace, total,
           (unsigned long long)hash);
    free(a);
    free(b);
    free(c);
    return bench_finish();
}
