// Hostile pointer arguments: buffers, strings and arrays that run off the end of the program's
// memory, or lie wholly outside it, fail with EFAULT and change nothing. The native build places
// its "end of memory" at a page followed by an unmapped page; the WALI build grows linear memory
// by one page and uses its last page, so in both the bytes after `end` are not the program's.
// Raw syscall() is used where a libc wrapper would touch the memory itself (vDSO clocks, musl's
// stat and recvmsg copy structures in user space), which would be a wasm trap, not an EFAULT.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define OUTSIDE ((void *)(uintptr_t)0xFFFFFFF0u)

static const char *name(int e) {
    switch (e) {
    case 0: return "ok";
    case EFAULT: return "EFAULT";
    case EINVAL: return "EINVAL";
    case ENOENT: return "ENOENT";
    case EBADF: return "EBADF";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    default: return "other";
    }
}

static void report(const char *what, long result) {
    printf("%-28s %s\n", what, result < 0 ? name(errno) : "ok");
}

/* Start of a 4096-byte page whose end is the end of the program's accessible memory. */
static char *last_page(void) {
#ifdef __wasm__
    unsigned long old = __builtin_wasm_memory_grow(0, 1);
    if (old == (unsigned long)-1) abort();
    return (char *)(old * 65536 + 65536 - 4096);
#else
    char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) abort();
    munmap(p + 4096, 4096);
    return p;
#endif
}

int main(void) {
    char *page = last_page();
    char *end = page + 4096;
    int fds[2], sv[2];
    if (pipe(fds) != 0 || socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) != 0) return 1;
    write(fds[1], "0123456789abcdefghij", 20);

    report("read straddling end", read(fds[0], end - 10, 20));
    report("read past end", read(fds[0], end, 16));
    report("read 0xFFFFFFF0", read(fds[0], OUTSIDE, 0x20));
    report("write from past end", write(fds[1], end, 4));

    struct iovec iov[2] = {{"hello", 5}, {end, 4}};
    report("writev iovec past end", writev(fds[1], iov, 2));
    struct iovec *iov_at_end = (struct iovec *)(end - sizeof(struct iovec) / 2);
    report("writev array straddling", syscall(SYS_writev, fds[1], iov_at_end, 1));

    memcpy(end - 3, "abc", 3);
    report("open unterminated path", open(end - 3, O_RDONLY));
    report("open 0xFFFFFFF0", open(OUTSIDE, O_RDONLY));
    report("mkdir unterminated path", mkdir(end - 3, 0700));

    report("stat buffer past end", syscall(SYS_stat, "/", end - 100));
    report("getcwd straddling end", syscall(SYS_getcwd, end - 4, 4096));
    report("uname straddling end", uname((struct utsname *)(end - 100)));
    report("clock_gettime 0xFFFFFFF0", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, OUTSIDE));
    report("nanosleep request outside", syscall(SYS_nanosleep, OUTSIDE, NULL));
    report("poll fds straddling end", poll((struct pollfd *)(end - 4), 1, 0));
    report("pipe fds straddling end", syscall(SYS_pipe, end - 4));
    report("getrandom 0xFFFFFFF0", syscall(SYS_getrandom, OUTSIDE, 0x20, 0));

    socklen_t len = sizeof(struct sockaddr_un);
    report("getsockname addr past end", getsockname(sv[0], (struct sockaddr *)end, &len));
    report("getsockname len outside", getsockname(sv[0], (struct sockaddr *)page, OUTSIDE));

    send(sv[1], "datagram", 8, 0);
    struct msghdr msg = {0};
    msg.msg_iov = (struct iovec *)end;
    msg.msg_iovlen = 1;
    report("recvmsg msg_iov past end", recvmsg(sv[0], &msg, 0));
    report("recvmsg header past end", syscall(SYS_recvmsg, sv[0], end - 8, 0));
    struct iovec outside = {OUTSIDE, 0x20};
    msg.msg_iov = &outside;
    report("recvmsg buffer outside", recvmsg(sv[0], &msg, 0));

    char *argv_at_end = end - sizeof(char *);
    char *arg0 = "/bin/true";
    memcpy(argv_at_end, &arg0, sizeof arg0);
    report("execve argv unterminated", execve("/bin/true", (char **)argv_at_end, NULL));

    /* Nothing above changed the pipe: its 20 bytes are all still there. */
    char buf[32];
    long n = read(fds[0], buf, sizeof buf);
    printf("pipe still holds %ld bytes: %.*s\n", n, (int)(n > 0 ? n : 0), buf);
    fflush(stdout);
    return 0;
}
