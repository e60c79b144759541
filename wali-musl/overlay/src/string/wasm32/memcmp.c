#include <string.h>
#include "word.h"

int memcmp(const void *vl, const void *vr, size_t n)
{
	const unsigned char *l = vl, *r = vr;
	/* Every byte read lies within both objects, so unaligned words are
	 * fine; the first differing byte decides, compared unsigned. */
	for (; n >= 8; n -= 8, l += 8, r += 8) {
		uint64_t x = *(const wali_uword *)l ^ *(const wali_uword *)r;
		if (x) {
			size_t i = FIRSTBYTE(x);
			return l[i] - r[i];
		}
	}
	for (; n && *l == *r; n--, l++, r++);
	return n ? *l - *r : 0;
}
