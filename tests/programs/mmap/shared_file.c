// File-backed mappings: a MAP_SHARED mapping's writes are visible through read(), write() is
// visible through the mapping, msync works, and MAP_PRIVATE writes stay private.
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void) {
    int fd = open("data.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return 1;
    if (ftruncate(fd, 8192) != 0) return 2;
    char *shared = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (shared == MAP_FAILED) return 3;
    strcpy(shared, "written through the mapping");
    strcpy(shared + 4096, "second page");
    printf("msync=%d\n", msync(shared, 8192, MS_SYNC));
    char buf[64] = {0};
    pread(fd, buf, sizeof buf - 1, 0);
    printf("read back: %s\n", buf);
    pread(fd, buf, 11, 4096);
    buf[11] = 0;
    printf("read page 2: %s\n", buf);

    pwrite(fd, "WRITTEN", 7, 0);
    printf("mapping sees: %.27s\n", shared);

    char *priv = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 4096);
    printf("private sees: %s\n", priv);
    strcpy(priv, "private change");
    pread(fd, buf, 11, 4096);
    buf[11] = 0;
    printf("file still: %s, private: %s\n", buf, priv);

    // A mapping at an offset, read-only.
    char *ro = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 4096);
    printf("offset mapping: %s\n", ro);
    munmap(ro, 4096);
    munmap(priv, 4096);
    munmap(shared, 8192);
    close(fd);

    // The file keeps what the shared mapping wrote.
    fd = open("data.bin", O_RDONLY);
    memset(buf, 0, sizeof buf);
    read(fd, buf, 27);
    printf("after munmap: %s\n", buf);
    close(fd);
    return 0;
}
