/* Mandelbrot set membership on a size x size grid over [-2,0.5] x [-1.25,1.25], 100 iterations
 * per point; prints the number of points inside, the total iteration count and a hash of the
 * per-point escape counts. Size: grid side. */
#include "common.h"

#define MAX_ITER 100

int main(int argc, char **argv)
{
    long size = bench_size(argc, argv, 3400);
    long inside = 0;
    uint64_t iterations = 0, hash = BENCH_FNV_INIT;
    for (long py = 0; py < size; py++) {
        double ci = 2.5 * (double)py / (double)size - 1.25;
        uint32_t row_hash = 2166136261u;
        for (long px = 0; px < size; px++) {
            double cr = 2.5 * (double)px / (double)size - 2.0;
            double zr = 0, zi = 0, zr2 = 0, zi2 = 0;
            int k = 0;
            while (k < MAX_ITER && zr2 + zi2 <= 4.0) {
                zi = 2.0 * zr * zi + ci;
                zr = zr2 - zi2 + cr;
                zr2 = zr * zr;
                zi2 = zi * zi;
                k++;
            }
            if (k == MAX_ITER)
                inside++;
            iterations += (uint64_t)k;
            row_hash = (row_hash ^ (uint32_t)k) * 16777619u;
        }
        hash = bench_mix(hash, row_hash);
    }
    printf("mandelbrot size=%ld inside=%ld iterations=%llu hash=%016llx\n", size, inside,
           (unsigned long long)iterations, (unsigned long long)hash);
    return bench_finish();
}
