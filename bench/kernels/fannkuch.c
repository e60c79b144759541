/* Pancake flipping over permutations of 1..12: for each permutation, repeatedly reverse the prefix
 * whose length is the first element until the first element is 1; report the maximum number of
 * flips and a signed checksum of the flip counts. Permutations are visited in lexicographic order
 * starting from a fixed one in the middle of the order, so the work is not dominated by the cheap
 * early permutations. Size: number of permutations visited. */
#include "common.h"

#define N 12

static int next_permutation(int *p, int n)
{
    int i = n - 2;
    while (i >= 0 && p[i] > p[i + 1])
        i--;
    if (i < 0)
        return 0;
    int j = n - 1;
    while (p[j] < p[i])
        j--;
    int t = p[i];
    p[i] = p[j];
    p[j] = t;
    for (int lo = i + 1, hi = n - 1; lo < hi; lo++, hi--) {
        t = p[lo];
        p[lo] = p[hi];
        p[hi] = t;
    }
    return 1;
}

int main(int argc, char **argv)
{
    long count = bench_size(argc, argv, 15000000);
    const int n = N;
    int perm[N], work[N];
    static const int start[N] = { 7, 3, 11, 1, 9, 5, 12, 2, 10, 4, 8, 6 };
    for (int i = 0; i < n; i++)
        perm[i] = start[i];
    long max_flips = 0, checksum = 0, index = 0;
    do {
        for (int i = 0; i < n; i++)
            work[i] = perm[i];
        long flips = 0;
        int first = work[0];
        while (first != 1) {
            for (int lo = 0, hi = first - 1; lo < hi; lo++, hi--) {
                int t = work[lo];
                work[lo] = work[hi];
                work[hi] = t;
            }
            flips++;
            first = work[0];
        }
        if (flips > max_flips)
            max_flips = flips;
        checksum += (index & 1) ? -flips : flips;
        index++;
    } while (index < count && next_permutation(perm, n));
    printf("fannkuch n=%d permutations=%ld max_flips=%ld checksum=%ld last=", n, index, max_flips,
           checksum);
    for (int i = 0; i < n; i++)
        printf("%d%c", perm[i], i + 1 < n ? ',' : '\n');
    return bench_finish();
}
