/* Introsort for WALI: replaces musl's smoothsort (src/stdlib/qsort.c).
 *
 * Smoothsort does few comparisons on nearly sorted input but many element
 * swaps and much bookkeeping per step; compiled to wasm it made qsort 4x
 * slower than glibc's. This is a quicksort (median of three, Tukey's ninther
 * for larger ranges, Hoare partition that stops on keys equal to the pivot so
 * runs of equal keys split evenly) that falls back to heapsort when the
 * recursion gets deeper than 2*log2(n), so the worst case stays O(n log n),
 * and finishes ranges of up to 12 elements with insertion sort. It recurses
 * only into the smaller half, so the stack depth is O(log n); it allocates
 * nothing, and the comparator only ever sees pointers to elements of the
 * array (the partition scans are bounded, no sentinel reads).
 *
 * Elements are swapped in 8-byte words when the base address and the width
 * are multiples of 8, in 4-byte words when they are multiples of 4, else
 * byte by byte; the sort is instantiated once per swap kind and once each for
 * qsort and qsort_r, so neither the swap dispatch nor qsort's comparator
 * wrapper costs anything per step. */

#define _BSD_SOURCE
#include <stdint.h>
#include <stdlib.h>

typedef int (*cmpfun)(const void *, const void *, void *);
typedef int (*cmpfun2)(const void *, const void *);

typedef uint64_t __attribute__((__may_alias__)) u64a;
typedef uint32_t __attribute__((__may_alias__)) u32a;

enum { SWAP_U64, SWAP_U32, SWAP_BYTE };

#define INSERTION_MAX 12
#define NINTHER_MIN 128

#define ALWAYS_INLINE static inline __attribute__((__always_inline__))

ALWAYS_INLINE void swap(char *a, char *b, size_t w, int kind)
{
	if (kind == SWAP_U64) {
		u64a *x = (u64a *)a, *y = (u64a *)b;
		for (; w; w -= 8, x++, y++) { uint64_t t = *x; *x = *y; *y = t; }
	} else if (kind == SWAP_U32) {
		u32a *x = (u32a *)a, *y = (u32a *)b;
		for (; w; w -= 4, x++, y++) { uint32_t t = *x; *x = *y; *y = t; }
	} else {
		for (; w; w--, a++, b++) { char t = *a; *a = *b; *b = t; }
	}
}

/* plain != 0: cmp is really a two-argument qsort comparator. Calling it
 * through its own type matters in wasm, where call_indirect checks the
 * signature. */
#define CMP(a, b) (plain ? ((cmpfun2)(void *)cmp)(a, b) : cmp(a, b, arg))

ALWAYS_INLINE char *median3(char *a, char *b, char *c,
	cmpfun cmp, void *arg, int plain)
{
	if (CMP(a, b) < 0) {
		if (CMP(b, c) < 0) return b;
		return CMP(a, c) < 0 ? c : a;
	}
	if (CMP(a, c) < 0) return a;
	return CMP(b, c) < 0 ? c : b;
}

ALWAYS_INLINE void insertion_sort(char *base, size_t n, size_t w,
	cmpfun cmp, void *arg, int plain, int kind)
{
	char *end = base + n*w, *i, *j;
	for (i = base + w; i < end; i += w)
		for (j = i; j > base && CMP(j - w, j) > 0; j -= w)
			swap(j - w, j, w, kind);
}

ALWAYS_INLINE void heap_sort(char *base, size_t n, size_t w,
	cmpfun cmp, void *arg, int plain, int kind)
{
	size_t start = n/2, end = n, root, child;
	for (;;) {
		if (start) {
			start--;
		} else {
			if (--end == 0) return;
			swap(base, base + end*w, w, kind);
		}
		/* Sift base[start] down within base[0..end). */
		for (root = start; (child = 2*root + 1) < end; root = child) {
			if (child + 1 < end && CMP(base + child*w, base + (child+1)*w) < 0)
				child++;
			if (CMP(base + root*w, base + child*w) >= 0) break;
			swap(base + root*w, base + child*w, w, kind);
		}
	}
}

typedef void (*sortfun)(char *, size_t, size_t, cmpfun, void *, int);

/* The body of one instantiation; rec is the instantiation itself, so the
 * recursive call is direct. depth counts the partitions left before heapsort
 * takes over. */
ALWAYS_INLINE void intro_sort(char *base, size_t n, size_t w,
	cmpfun cmp, void *arg, int depth, int plain, int kind, sortfun rec)
{
	while (n > INSERTION_MAX) {
		if (depth-- == 0) {
			heap_sort(base, n, w, cmp, arg, plain, kind);
			return;
		}
		char *last = base + (n-1)*w, *mid = base + (n/2)*w, *m;
		if (n >= NINTHER_MIN) {
			size_t s = (n/8)*w;
			m = median3(
				median3(base, base + s, base + 2*s, cmp, arg, plain),
				median3(mid - s, mid, mid + s, cmp, arg, plain),
				median3(last - 2*s, last - s, last, cmp, arg, plain),
				cmp, arg, plain);
		} else {
			m = median3(base, mid, last, cmp, arg, plain);
		}
		swap(base, m, w, kind);

		/* Hoare partition around the pivot at base[0]: afterwards
		 * [base+w, i) <= pivot and (j, last] >= pivot, with i > j or
		 * i == j pointing at a key equal to the pivot. Both scans stop
		 * on equal keys, and both are bounded by i <= j. */
		char *i = base + w, *j = last;
		for (;;) {
			while (i <= j && CMP(i, base) < 0) i += w;
			while (i <= j && CMP(j, base) > 0) j -= w;
			if (i >= j) break;
			swap(i, j, w, kind);
			i += w;
			j -= w;
		}
		swap(base, j, w, kind);

		size_t nl = (size_t)(j - base) / w, nr = n - 1 - nl;
		/* Recurse into the smaller side, loop on the larger. */
		if (nl < nr) {
			rec(base, nl, w, cmp, arg, depth);
			base = j + w;
			n = nr;
		} else {
			rec(j + w, nr, w, cmp, arg, depth);
			n = nl;
		}
	}
	insertion_sort(base, n, w, cmp, arg, plain, kind);
}

#define INSTANCE(name, plain, kind) \
static void name(char *base, size_t n, size_t w, cmpfun cmp, void *arg, int depth) \
{ \
	intro_sort(base, n, w, cmp, arg, depth, plain, kind, name); \
}
INSTANCE(sort_r_u64, 0, SWAP_U64)
INSTANCE(sort_r_u32, 0, SWAP_U32)
INSTANCE(sort_r_byte, 0, SWAP_BYTE)
INSTANCE(sort_u64, 1, SWAP_U64)
INSTANCE(sort_u32, 1, SWAP_U32)
INSTANCE(sort_byte, 1, SWAP_BYTE)

static void sort(void *base, size_t n, size_t w, cmpfun cmp, void *arg, int plain)
{
	if (n < 2 || !w) return;
	int depth = 0;
	for (size_t k = n; k > 1; k >>= 1) depth += 2;
	uintptr_t align = (uintptr_t)base | w;
	int kind = align % 8 == 0 ? SWAP_U64 : align % 4 == 0 ? SWAP_U32 : SWAP_BYTE;
	static const sortfun table[2][3] = {
		{ sort_r_u64, sort_r_u32, sort_r_byte },
		{ sort_u64, sort_u32, sort_byte },
	};
	table[plain][kind](base, n, w, cmp, arg, depth);
}

void __qsort_r(void *base, size_t nel, size_t width, cmpfun cmp, void *arg)
{
	sort(base, nel, width, cmp, arg, 0);
}

weak_alias(__qsort_r, qsort_r);

void qsort(void *base, size_t nel, size_t width, int (*cmp)(const void *, const void *))
{
	sort(base, nel, width, (cmpfun)(void *)cmp, 0, 1);
}
