#include <string.h>
#include "word.h"

void *__memrchr(const void *src, int c, size_t n)
{
	if (!n) return 0;
	uintptr_t p = (uintptr_t)src, end = p + n, off = p & 7;
	const wali_word *w = (const void *)((end - 1) & -8);
	uint64_t k = WONES * (unsigned char)c;
	/* Scans down from the word holding the last byte. zerobytes is exact,
	 * so the highest set bit is the last match. */
	uint64_t m = zerobytes(*w ^ k);
	if (end & 7) m &= LOWBYTES(end & 7);
	while ((uintptr_t)w > p - off) {
		if (m) return (char *)w + LASTBYTE(m);
		m = zerobytes(*--w ^ k);
	}
	/* The first word: bytes before src do not count. */
	m &= ~LOWBYTES(off);
	return m ? (char *)w + LASTBYTE(m) : 0;
}

weak_alias(__memrchr, memrchr);
