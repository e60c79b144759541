/* memmove as memory.copy, which has memmove semantics (see bulk_memory.h). */
#ifdef __wasm_bulk_memory__
#include <string.h>
#include "bulk_memory.h"

void *memmove(void *dest, const void *src, size_t n)
{
	return wali_move_bytes(dest, src, n);
}
#else
#include "../memmove.c"
#endif
