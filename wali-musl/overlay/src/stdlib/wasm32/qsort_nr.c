/* qsort is defined together with qsort_r in qsort.c beside this file, so
 * that it calls its comparator directly instead of through a wrapper. This
 * file replaces musl's src/stdlib/qsort_nr.c, which defined it. */
#include <stdlib.h>
