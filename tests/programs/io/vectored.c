// readv/writev (several buffers, empty ones, a short read spreading over them), preadv/pwritev,
// pread/pwrite at offsets without moving the file position, dup/dup2/dup3 sharing offsets.
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "../include/show.h"

int main(void) {
    int fd = open("v.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
    struct iovec out[4] = {{"alpha ", 6}, {"", 0}, {"beta ", 5}, {"gamma\n", 6}};
    show("writev", writev(fd, out, 4));
    show("writev no buffers", writev(fd, out, 0));
    /* Hostile counts the kernel rejects; volatile keeps the compiler from flagging them. */
    volatile int negative = -1, too_many = 1025;
    show("writev negative count", writev(fd, out, negative));
    show("writev too many", writev(fd, out, too_many));
    lseek(fd, 0, SEEK_SET);
    char a[4], b[3], c[32];
    memset(c, 0, sizeof c);
    struct iovec in[3] = {{a, 4}, {b, 3}, {c, sizeof c}};
    show("readv", readv(fd, in, 3));
    printf("pieces: '%.4s' '%.3s' '%s'\n", a, b, c);
    show("readv at EOF", readv(fd, in, 3));

    struct iovec at[2] = {{"XX", 2}, {"YY", 2}};
    show("pwritev at 2", pwritev(fd, at, 2, 2));
    memset(c, 0, sizeof c);
    struct iovec back[2] = {{a, 4}, {c, 8}};
    show("preadv at 0", preadv(fd, back, 2, 0));
    printf("preadv: '%.4s' '%s'\n", a, c);
    show("position unchanged", lseek(fd, 0, SEEK_CUR));
    show("pwrite at 20", pwrite(fd, "!", 1, 20));
    memset(c, 0, sizeof c);
    show("pread at 15", pread(fd, c, 10, 15));
    printf("pread: '%s'\n", c);
    show("pread negative offset", pread(fd, c, 1, -1));

    int copy = dup(fd);
    lseek(fd, 6, SEEK_SET);
    show("dup shares the offset", lseek(copy, 0, SEEK_CUR));
    show("dup2 onto 10", dup2(fd, 10));
    show("dup2 same fd", dup2(10, 10));
    show("dup3 same fd", dup3(10, 10, 0));
    show("dup3 O_CLOEXEC", dup3(fd, 11, O_CLOEXEC));
    show("fd 11 FD_CLOEXEC", fcntl(11, F_GETFD));
    show("fd 10 FD_CLOEXEC", fcntl(10, F_GETFD));
    show("F_DUPFD from 20", fcntl(fd, F_DUPFD, 20));
    show("dup bad fd", dup(99));
    show("dup2 bad fd", dup2(99, 12));
    unlink("v.txt");
    fflush(stdout);
    return 0;
}
