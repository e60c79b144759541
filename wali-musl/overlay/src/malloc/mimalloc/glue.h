/* Shared by glue.c and ../wasm32/calloc.c: see glue.c. */
#include <stddef.h>

#define MIN_BLOCK 16

static inline size_t min_block(size_t n)
{
	return n < MIN_BLOCK/2 + 1 ? MIN_BLOCK : n;
}
