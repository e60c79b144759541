/* Spectral norm of the infinite matrix A(i,j) = 1/((i+j)(i+j+1)/2 + i + 1), truncated to n x n,
 * estimated by ten rounds of the power method on A^T A. Size: n. */
#include <math.h>
#include "common.h"

static inline double entry(long i, long j)
{
    return 1.0 / (double)((i + j) * (i + j + 1) / 2 + i + 1);
}

static void times_a(const double *v, double *out, long n)
{
    for (long i = 0; i < n; i++) {
        double sum = 0;
        for (long j = 0; j < n; j++)
            sum += entry(i, j) * v[j];
        out[i] = sum;
    }
}

static void times_at(const double *v, double *out, long n)
{
    for (long i = 0; i < n; i++) {
        double sum = 0;
        for (long j = 0; j < n; j++)
            sum += entry(j, i) * v[j];
        out[i] = sum;
    }
}

int main(int argc, char **argv)
{
    long n = bench_size(argc, argv, 4200);
    double *u = malloc(sizeof(double) * n), *v = malloc(sizeof(double) * n);
    double *tmp = malloc(sizeof(double) * n);
    if (!u || !v || !tmp)
        return 1;
    for (long i = 0; i < n; i++)
        u[i] = 1;
    for (int round = 0; round < 10; round++) {
        times_a(u, tmp, n);
        times_at(tmp, v, n);
        times_a(v, tmp, n);
        times_at(tmp, u, n);
    }
    double uv = 0, vv = 0;
    for (long i = 0; i < n; i++) {
        uv += u[i] * v[i];
        vv += v[i] * v[i];
    }
    printf("spectral n=%ld norm=%.9f\n", n, sqrt(uv / vv));
    free(u);
    free(v);
    free(tmp);
    return bench_finish();
}
