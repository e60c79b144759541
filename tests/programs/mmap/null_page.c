// Address 0 is C's NULL, and nothing is mapped there natively: mprotect, msync, madvise and
// mincore of a range starting at 0 fail with ENOMEM. In wasm, address 0 is the first page of
// linear memory; walic must answer as natively. Ranges that are mapped still work.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

static void report(const char *what, int r) {
    printf("%-28s %d %s\n", what, r, r == 0 ? "ok" : errno == ENOMEM ? "ENOMEM" : errno == EINVAL ? "EINVAL" : "other");
}

int main(void) {
    long page = sysconf(_SC_PAGESIZE);
    unsigned char vec[4];
    report("mprotect(0, page, READ)", mprotect(NULL, page, PROT_READ));
    report("mprotect(0, 0, READ)", mprotect(NULL, 0, PROT_READ));
    report("msync(0, page, MS_ASYNC)", msync(NULL, page, MS_ASYNC));
    report("madvise(0, page, NORMAL)", madvise(NULL, page, MADV_NORMAL));
    report("mincore(0, page)", mincore(NULL, page, vec));
    report("mincore(0, 3 pages)", mincore(NULL, 3 * page, vec));
    report("mincore(1, page)", mincore((void *)1, page, vec));

    char *p = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return 1;
    p[0] = 1;
    p[2 * page] = 1;
    report("mincore(mapped, 4 pages)", mincore(p, 4 * page, vec));
    printf("resident: %d %d\n", vec[0] & 1, vec[2] & 1);
    report("mprotect(mapped, READ)", mprotect(p, page, PROT_READ));
    report("madvise(mapped, DONTNEED)", madvise(p + page, page, MADV_DONTNEED));
    munmap(p + 2 * page, 2 * page);
    report("mincore(partly unmapped)", mincore(p, 4 * page, vec));
    return 0;
}
