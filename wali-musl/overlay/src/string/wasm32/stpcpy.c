#include <string.h>
#include "word.h"

char *__stpcpy(char *restrict d, const char *restrict s)
{
	for (; (uintptr_t)s & 7; s++, d++)
		if (!(*d = *s)) return d;
	/* Whole words of s without a terminator; d may be unaligned, and
	 * every byte stored belongs to the string. */
	const wali_word *ws = (const void *)s;
	for (; !haszero(*ws); ws++, d += 8) *(wali_uword *)d = *ws;
	for (s = (const void *)ws; (*d = *s); s++, d++);
	return d;
}

weak_alias(__stpcpy, stpcpy);
