#include <string.h>
#include "word.h"

size_t strlen(const char *s)
{
	const wali_word *w = (const void *)((uintptr_t)s & -8);
	/* The bytes before s in its word count as nonzero. */
	uint64_t m = haszero(*w | LOWBYTES((uintptr_t)s & 7));
	while (!m) m = haszero(*++w);
	return (const char *)w + FIRSTBYTE(m) - s;
}
