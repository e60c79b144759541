#include <string.h>
#include "word.h"

char *__strchrnul(const char *s, int c)
{
	uintptr_t off = (uintptr_t)s & 7;
	const wali_word *w = (const void *)((uintptr_t)s - off);
	uint64_t k = WONES * (unsigned char)c, v = *w;
	/* The bytes before s are made nonzero in both tests. */
	uint64_t m = haszero(v | LOWBYTES(off)) | haszero((v ^ k) | LOWBYTES(off));
	while (!m) {
		v = *++w;
		m = haszero(v) | haszero(v ^ k);
	}
	return (char *)w + FIRSTBYTE(m);
}

weak_alias(__strchrnul, strchrnul);
