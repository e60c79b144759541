/* memcpy as memory.copy (see bulk_memory.h). It is memmove: the definition
 * drops `restrict` so that a program that copies between overlapping ranges
 * gets the bytes it would get from memmove, here and in memory.copy alike. */
#ifdef __wasm_bulk_memory__
#include <string.h>
#include "bulk_memory.h"

void *memcpy(void *dest, const void *src, size_t n)
{
	return wali_move_bytes(dest, src, n);
}
#else
#include "../memcpy.c"
#endif
