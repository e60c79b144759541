/* memcpy, memmove and memset for wasm32 with bulk memory (included by the
 * three files beside this one).
 *
 * musl's generic versions are byte and word loops; run as wasm they cost 3-5x
 * the host's vectorized routines from 64 bytes up. memory.copy and memory.fill
 * are one instruction each, which walic turns into one call of its runtime
 * (bounds check, then the host's memmove/memset). That call costs a few
 * nanoseconds, more than moving up to 32 bytes inline, and libc-internal
 * copies are mostly that small (qsort swapping pointers, stdio's short
 * writes), so those stay inline: two to four possibly overlapping 8-byte
 * words, or fewer narrower ones. Measurements are in wali-musl/README.md.
 *
 * Every load happens before the first store, so the small path is as safe
 * for overlapping ranges as memory.copy is (it has memmove semantics).
 *
 * libc is built with -ffreestanding, so nothing here is turned back into a
 * call of memcpy or memset; __builtin_memmove and __builtin_memset still are
 * the builtins, which the bulk-memory target lowers to memory.copy and
 * memory.fill. */
#include <stddef.h>
#include <stdint.h>

#ifndef __wasm_bulk_memory__
#error "bulk_memory.h needs the bulk-memory feature"
#endif

/* Copies of at most this many bytes stay inline. */
#define WALI_INLINE_BYTES 32

typedef uint64_t __attribute__((__may_alias__, __aligned__(1))) wali_u64;
typedef uint32_t __attribute__((__may_alias__, __aligned__(1))) wali_u32;

static inline void *wali_move_bytes(void *dest, const void *src, size_t n)
{
	unsigned char *d = dest;
	const unsigned char *s = src;

	if (n > WALI_INLINE_BYTES) return __builtin_memmove(dest, src, n);
	if (n > 16) {
		uint64_t a = *(wali_u64 *)s, b = *(wali_u64 *)(s+8);
		uint64_t y = *(wali_u64 *)(s+n-16), z = *(wali_u64 *)(s+n-8);
		*(wali_u64 *)d = a;
		*(wali_u64 *)(d+8) = b;
		*(wali_u64 *)(d+n-16) = y;
		*(wali_u64 *)(d+n-8) = z;
	} else if (n >= 8) {
		uint64_t a = *(wali_u64 *)s, z = *(wali_u64 *)(s+n-8);
		*(wali_u64 *)d = a;
		*(wali_u64 *)(d+n-8) = z;
	} else if (n >= 4) {
		uint32_t a = *(wali_u32 *)s, z = *(wali_u32 *)(s+n-4);
		*(wali_u32 *)d = a;
		*(wali_u32 *)(d+n-4) = z;
	} else if (n) {
		unsigned char a = s[0], m = s[n/2], z = s[n-1];
		d[0] = a;
		d[n/2] = m;
		d[n-1] = z;
	}
	return dest;
}

static inline void *wali_fill_bytes(void *dest, int c, size_t n)
{
	unsigned char *d = dest;
	uint64_t v = 0x0101010101010101ull * (unsigned char)c;

	if (n > WALI_INLINE_BYTES) return __builtin_memset(dest, c, n);
	if (n > 16) {
		*(wali_u64 *)d = v;
		*(wali_u64 *)(d+8) = v;
		*(wali_u64 *)(d+n-16) = v;
		*(wali_u64 *)(d+n-8) = v;
	} else if (n >= 8) {
		*(wali_u64 *)d = v;
		*(wali_u64 *)(d+n-8) = v;
	} else if (n >= 4) {
		*(wali_u32 *)d = v;
		*(wali_u32 *)(d+n-4) = v;
	} else if (n) {
		d[0] = c;
		d[n/2] = c;
		d[n-1] = c;
	}
	return dest;
}
