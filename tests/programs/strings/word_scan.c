// The scanning string functions (strlen, strnlen, memchr, memrchr, strchr, strchrnul, strrchr,
// strcmp, strncmp, memcmp, stpcpy, strcpy) at every alignment 0..15 and every length 0..100, with
// the terminator or needle at every position, on buffers that end exactly at the end of an mmap'ed
// page followed by a PROT_NONE page (natively an overread faults there; in wasm it checks that no
// word read crosses into the next page) and on buffers in the middle of a page. Bytes >= 0x80
// check that comparisons are unsigned. Results are printed as one digest per function.
// timeout: 30
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { STRLEN, STRNLEN, MEMCHR, MEMRCHR, STRCHR, STRCHRNUL, STRRCHR, STRCMP, STRNCMP, MEMCMP,
       STPCPY, FUNCTIONS };
static const char *names[FUNCTIONS] = {"strlen", "strnlen", "memchr", "memrchr", "strchr",
                                       "strchrnul", "strrchr", "strcmp", "strncmp", "memcmp",
                                       "stpcpy"};
static uint64_t digests[FUNCTIONS];
static unsigned long calls[FUNCTIONS];

static void record(int f, long long v) {
    digests[f] = (digests[f] ^ (uint64_t)v) * 1099511628211ull;
    calls[f]++;
}

static long long offset_of(const void *p, const void *base) {
    return p ? (const char *)p - (const char *)base : -1;
}

static int sign(int v) { return (v > 0) - (v < 0); }

static uint32_t lcg = 7;
static unsigned char random_byte(void) {
    lcg = lcg * 1103515245u + 12345u;
    return (unsigned char)(1 + (lcg >> 16) % 255); // never 0
}

static void scan_one(unsigned char *s, size_t len) {
    // s[0..len) nonzero, s[len] == 0.
    record(STRLEN, (long long)strlen((char *)s));
    for (size_t n = 0; n <= len + 1; n++) record(STRNLEN, (long long)strnlen((char *)s, n));
    for (size_t pos = 0; pos <= len; pos++) {
        int c = s[pos];
        record(MEMCHR, offset_of(memchr(s, c, len + 1), s));
        record(MEMCHR, offset_of(memchr(s, c, pos), s));
        record(MEMCHR, offset_of(memchr(s + pos, c, len + 1 - pos), s));
        record(MEMRCHR, offset_of(memrchr(s, c, len + 1), s));
        record(MEMRCHR, offset_of(memrchr(s + pos, c, len + 1 - pos), s));
        record(MEMRCHR, offset_of(memrchr(s, c, pos), s));
        record(STRCHR, offset_of(strchr((char *)s, c), s));
        record(STRCHRNUL, offset_of(strchrnul((char *)s, c), s));
        record(STRRCHR, offset_of(strrchr((char *)s, c), s));
    }
    // A byte that is (almost surely) absent, and the high-bit bytes.
    static const int absent[] = {0x80, 0xff, 0x7f, 0x01, 0x100 + 'a'};
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++) {
        record(MEMCHR, offset_of(memchr(s, absent[i], len), s));
        record(MEMRCHR, offset_of(memrchr(s, absent[i], len), s));
        record(STRCHR, offset_of(strchr((char *)s, absent[i]), s));
        record(STRCHRNUL, offset_of(strchrnul((char *)s, absent[i]), s));
        record(STRRCHR, offset_of(strrchr((char *)s, absent[i]), s));
    }
}

static void compare_one(unsigned char *s, unsigned char *t, size_t len) {
    // t is a copy of s (elsewhere, at another alignment); change one byte at a time.
    record(STRCMP, sign(strcmp((char *)s, (char *)t)));
    record(STRNCMP, sign(strncmp((char *)s, (char *)t, 1000000)));
    record(MEMCMP, sign(memcmp(s, t, len + 1)));
    for (size_t pos = 0; pos <= len; pos++) {
        unsigned char saved = t[pos];
        static const unsigned char replacements[] = {0x00, 0x01, 0x80, 0xff};
        for (size_t r = 0; r < sizeof replacements; r++) {
            t[pos] = replacements[r];
            record(STRCMP, sign(strcmp((char *)s, (char *)t)));
            record(STRCMP, sign(strcmp((char *)t, (char *)s)));
            for (size_t n = pos; n <= pos + 9 && n <= len + 1; n += 3) {
                record(STRNCMP, sign(strncmp((char *)s, (char *)t, n)));
                record(STRNCMP, sign(strncmp((char *)t, (char *)s, n)));
                record(MEMCMP, sign(memcmp(s, t, n)));
                record(MEMCMP, sign(memcmp(t, s, n)));
            }
        }
        t[pos] = saved;
    }
}

int main(void) {
    long page = sysconf(_SC_PAGESIZE);
    unsigned char *map = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED || mprotect(map + 2 * page, page, PROT_NONE)) {
        perror("mmap");
        return 1;
    }
    unsigned char *page_end = map + 2 * page; // followed by PROT_NONE
    unsigned char *other = map + 3 * page;    // a page after the guard
    unsigned char copy[256];
    for (size_t len = 0; len <= 100; len++) {
        for (size_t align = 0; align < 16; align++) {
            // At the page end the start's alignment follows from the length; in the middle
            // of the page it is align. The second operand of the comparisons is at the other
            // place, and at varying alignments.
            for (int b = 0; b < 2; b++) {
                size_t l = len;
                unsigned char *s = b == 0 ? page_end - l - 1 : map + page / 2 + align;
                for (size_t i = 0; i < l; i++) s[i] = random_byte();
                s[l] = 0;
                scan_one(s, l);
                // Second operand: at the page end, and at each alignment in the other page.
                unsigned char *t = b == 0 ? other + (align * 5) % 16 : page_end - l - 1;
                memcpy(t, s, l + 1);
                compare_one(s, t, l);
                unsigned char *d = copy + align;
                memset(copy, 0xaa, sizeof copy);
                char *e = stpcpy((char *)d, (char *)s);
                record(STPCPY, offset_of(e, d));
                record(STPCPY, memcmp(d, s, l + 1) == 0 && copy[align + l + 1] == 0xaa);
                memset(copy, 0xaa, sizeof copy);
                record(STPCPY, offset_of(strcpy((char *)d + 1, (char *)s), d));
                record(STPCPY, memcmp(d + 1, s, l + 1) == 0 && copy[align + l + 2] == 0xaa);
            }
        }
    }
    for (int f = 0; f < FUNCTIONS; f++)
        printf("%-10s %8lu calls, digest %016llx\n", names[f], calls[f], (unsigned long long)digests[f]);
    return 0;
}
