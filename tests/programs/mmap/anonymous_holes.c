// Anonymous mmap/munmap/mremap: fresh pages are zero, holes are reused safely, mremap keeps
// contents while growing and shrinking, mprotect and MAP_FIXED behave.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096

static int all_zero(const unsigned char *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (p[i]) return 0;
    }
    return 1;
}

int main(void) {
    unsigned char *m[8];
    for (int i = 0; i < 8; i++) {
        m[i] = mmap(NULL, (i + 1) * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m[i] == MAP_FAILED) return 1;
        printf("map %d zero=%d\n", i, all_zero(m[i], (i + 1) * PAGE));
        memset(m[i], 'a' + i, (i + 1) * PAGE);
    }
    // Unmap every other mapping, map again: new memory is zero, old data untouched.
    for (int i = 0; i < 8; i += 2) munmap(m[i], (i + 1) * PAGE);
    for (int i = 0; i < 8; i += 2) {
        m[i] = mmap(NULL, (i + 1) * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        printf("remap %d zero=%d\n", i, all_zero(m[i], (i + 1) * PAGE));
    }
    int intact = 1;
    for (int i = 1; i < 8; i += 2) {
        for (int j = 0; j < (i + 1) * PAGE; j++) intact &= m[i][j] == 'a' + i;
    }
    printf("others intact=%d\n", intact);

    // mremap grows (maybe moving) and keeps the contents.
    unsigned char *g = mremap(m[1], 2 * PAGE, 64 * PAGE, MREMAP_MAYMOVE);
    printf("grow ok=%d kept=%d tail zero=%d\n", g != MAP_FAILED, g[0] == 'b' && g[2 * PAGE - 1] == 'b',
           all_zero(g + 2 * PAGE, 62 * PAGE));
    unsigned char *s = mremap(g, 64 * PAGE, PAGE, 0);
    printf("shrink in place=%d kept=%d\n", s == g, s[0] == 'b');
    // Growing in place into a neighbouring used page is impossible without MREMAP_MAYMOVE.
    unsigned char *three = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    errno = 0;
    void *nomove = mremap(three, PAGE, 2 * PAGE, 0);
    int e = errno;
    printf("grow into used page without MAYMOVE failed=%d ENOMEM=%d\n", nomove == MAP_FAILED, e == ENOMEM);
    munmap(three, 3 * PAGE);

    // MAP_FIXED replaces part of an existing mapping.
    unsigned char *big = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(big, 'x', 4 * PAGE);
    unsigned char *fixed = mmap(big + PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("fixed at requested=%d zero=%d neighbours=%c%c\n", fixed == big + PAGE, all_zero(fixed, PAGE),
           big[PAGE - 1], big[2 * PAGE]);
    errno = 0;
    void *noreplace = mmap(big, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    e = errno;
    printf("noreplace over used=%d EEXIST=%d\n", noreplace == MAP_FAILED, e == EEXIST);

    // mprotect to read-only and back.
    printf("mprotect ro=%d\n", mprotect(big, 4 * PAGE, PROT_READ));
    printf("still readable=%c\n", big[3 * PAGE]);
    printf("mprotect rw=%d\n", mprotect(big, 4 * PAGE, PROT_READ | PROT_WRITE));
    big[0] = 'y';
    printf("written=%c\n", big[0]);

    // Errors.
    errno = 0;
    void *r = mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    e = errno;
    printf("zero length: %d EINVAL=%d\n", r == MAP_FAILED, e == EINVAL);
    errno = 0;
    int u = munmap(big + 1, PAGE);
    e = errno;
    printf("unaligned munmap: %d EINVAL=%d\n", u, e == EINVAL);
    errno = 0;
    r = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 1);
    e = errno;
    printf("unaligned offset: %d EINVAL=%d\n", r == MAP_FAILED, e == EINVAL);
    errno = 0;
    r = mmap(NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0);
    e = errno;
    printf("neither shared nor private: %d EINVAL=%d\n", r == MAP_FAILED, e == EINVAL);
    errno = 0;
    r = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 12345, 0);
    e = errno;
    printf("bad fd: %d EBADF=%d\n", r == MAP_FAILED, e == EBADF);

    // Many small allocations and frees through malloc (which uses mmap for large blocks).
    long total = 0;
    for (int round = 0; round < 200; round++) {
        unsigned char *p = mmap(NULL, (round % 17 + 1) * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) return 2;
        total += all_zero(p, (round % 17 + 1) * PAGE);
        memset(p, 1, (round % 17 + 1) * PAGE);
        munmap(p, (round % 17 + 1) * PAGE);
    }
    printf("200 rounds all zero=%ld\n", total);
    return 0;
}
