#include <string.h>
#include "word.h"

int strcmp(const char *_l, const char *_r)
{
	const unsigned char *l = (void *)_l, *r = (void *)_r;
	for (; (uintptr_t)l & 7; l++, r++)
		if (*l != *r || !*l) return *l - *r;
	/* l is aligned; r is read unaligned unless that would cross a page,
	 * in which case these 8 bytes are compared one at a time. */
	for (;; l += 8, r += 8) {
		if (PAGE_SAFE(r)) {
			uint64_t a = *(const wali_word *)l;
			if (!haszero(a) && a == *(const wali_uword *)r) continue;
		}
		for (int i = 0; i < 8; i++)
			if (l[i] != r[i] || !l[i]) return l[i] - r[i];
	}
}
