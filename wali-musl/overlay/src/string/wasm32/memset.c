/* memset as memory.fill (see bulk_memory.h). */
#ifdef __wasm_bulk_memory__
#include <string.h>
#include "bulk_memory.h"

void *memset(void *dest, int c, size_t n)
{
	return wali_fill_bytes(dest, c, n);
}
#else
#include "../memset.c"
#endif
