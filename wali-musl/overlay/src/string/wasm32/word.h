/* Word-at-a-time helpers for the string functions beside this file.
 *
 * musl's generic strlen, memchr, strchrnul and stpcpy already scan a word at
 * a time under __GNUC__, but their word is size_t, which is 4 bytes on
 * wasm32, and memcmp, strcmp, strncmp and memrchr are byte loops. wasm has
 * native 64-bit integers, so these files scan 8 bytes per step.
 *
 * Reading beyond the end of the object is safe as long as the read stays
 * within an aligned 8-byte word that holds at least one byte of the object:
 * such a word never crosses a 4 KiB page (so it cannot touch a PROT_NONE page
 * that walic's mmap maps at host page granularity) nor a 64 KiB wasm page (so
 * it cannot pass memory.size and trap). Where a second string may be at a
 * different alignment (strcmp, strncmp), its unaligned 8-byte read is only
 * done when it does not cross a 4 KiB boundary.
 *
 * In a word v, haszero(v) has the high bit set in the lowest zero byte and
 * possibly in bytes above a zero byte (borrows), never below the lowest one,
 * so the lowest set bit finds the first zero byte (wasm is little-endian).
 * zerobytes(v) is exact: the high bit of every zero byte and nothing else. */
#include <stddef.h>
#include <stdint.h>

typedef uint64_t __attribute__((__may_alias__)) wali_word;
typedef uint64_t __attribute__((__may_alias__, __aligned__(1))) wali_uword;

#define WONES ((uint64_t)0x0101010101010101)
#define WHIGHS ((uint64_t)0x8080808080808080)
#define WLOWS ((uint64_t)0x7f7f7f7f7f7f7f7f)
static inline uint64_t haszero(uint64_t v)
{
	return (v - WONES) & ~v & WHIGHS;
}

static inline uint64_t zerobytes(uint64_t v)
{
	return ~(((v & WLOWS) + WLOWS) | v | WLOWS);
}

/* The bytes below byte k of a word (k = 0..7) all set, the others clear. */
#define LOWBYTES(k) (((uint64_t)1 << (8*(k))) - 1)

/* Index of the byte that holds the lowest set bit of a nonzero mask. */
#define FIRSTBYTE(m) ((size_t)__builtin_ctzll(m) >> 3)
/* Index of the byte that holds the highest set bit of a nonzero mask. */
#define LASTBYTE(m) ((size_t)(63 - __builtin_clzll(m)) >> 3)

/* An unaligned 8-byte read at p stays within p's 4 KiB page. */
#define PAGE_SAFE(p) (((uintptr_t)(p) & 4095) <= 4096 - 8)
