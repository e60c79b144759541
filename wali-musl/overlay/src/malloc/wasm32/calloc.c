/* calloc for the mimalloc-based allocator (src/malloc/mimalloc/glue.c):
 * mimalloc knows which memory is fresh from mmap and does not clear it again,
 * where musl's generic calloc clears (or reads, to see it is zero) every
 * page. */
#include <stdlib.h>
#include <errno.h>
#include "mimalloc.h"
#include "../mimalloc/glue.h"

void *calloc(size_t m, size_t n)
{
	if (n && m > (size_t)-1/n) {
		errno = ENOMEM;
		return 0;
	}
	void *p = mi_calloc(1, min_block(m * n));
	if (!p) errno = ENOMEM;
	return p;
}
