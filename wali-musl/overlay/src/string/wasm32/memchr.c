#include <string.h>
#include "word.h"

void *memchr(const void *src, int c, size_t n)
{
	if (!n) return 0;
	uintptr_t p = (uintptr_t)src, off = p & 7;
	const wali_word *w = (const void *)(p - off);
	uint64_t k = WONES * (unsigned char)c;
	/* An object cannot wrap around the address space: the bytes counted
	 * from w then fit in a size_t. */
	if (n > -p) n = -p;
	n += off;
	/* Bytes equal to c become zero; those before src are made nonzero. */
	uint64_t m = haszero((*w ^ k) | LOWBYTES(off));
	for (; n > 8; n -= 8) {
		if (m) return (char *)w + FIRSTBYTE(m);
		m = haszero(*++w ^ k);
	}
	/* Last word: only its first n bytes belong to the object. A spurious
	 * bit only ever sits above a genuine match, so masking keeps the
	 * lowest genuine one. */
	if (n < 8) m &= LOWBYTES(n);
	return m ? (char *)w + FIRSTBYTE(m) : 0;
}
