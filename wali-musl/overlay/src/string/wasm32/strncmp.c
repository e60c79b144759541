#include <string.h>
#include "word.h"

int strncmp(const char *_l, const char *_r, size_t n)
{
	const unsigned char *l = (void *)_l, *r = (void *)_r;
	for (; n && (uintptr_t)l & 7; l++, r++, n--)
		if (*l != *r || !*l) return *l - *r;
	/* As in strcmp; a word is only used while 8 bytes remain of n. */
	for (; n >= 8; l += 8, r += 8, n -= 8) {
		if (PAGE_SAFE(r)) {
			uint64_t a = *(const wali_word *)l;
			if (!haszero(a) && a == *(const wali_uword *)r) continue;
		}
		for (int i = 0; i < 8; i++)
			if (l[i] != r[i] || !l[i]) return l[i] - r[i];
	}
	for (; n; l++, r++, n--)
		if (*l != *r || !*l) return *l - *r;
	return 0;
}
