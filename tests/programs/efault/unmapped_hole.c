// Pointers into a hole the program punched in its own mapping: three pages are mapped, the
// middle one unmapped, and every call below gets a pointer into the hole (or a structure that
// runs into it, or names it) and must fail with EFAULT, change nothing, and leave the program
// running. Most of these are structures the WALI runtime converts or copies itself (iovec
// arrays, msghdr and its control buffer, execve's argv/envp, pselect6's mask pair, socket
// lengths, the sock_fprog, ifconf, the vDSO clocks, paths); the others are handed to the kernel
// and show that both paths agree.
// Raw syscall() is used where a libc wrapper would touch the memory itself in user space (glibc
// and musl copy or inspect msghdr, sigsets, timespecs, stat buffers), which would be a fault in
// the program, not an EFAULT.
#define _GNU_SOURCE
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "../include/show.h"

#define PAGE 4096

/* <linux/filter.h>'s classic BPF program (not in every libc's headers). */
struct filter_instruction {
    uint16_t code;
    uint8_t jt, jf;
    uint32_t k;
};
struct filter_program {
    unsigned short len;
    struct filter_instruction *filter;
};

int main(void) {
    /* stdout's buffer is allocated before the hole exists, so nothing can be mapped into it. */
    printf("start\n");
    char *map = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED) return 1;
    char *hole = map + PAGE, *after = map + 2 * PAGE;
    show("munmap middle page", munmap(hole, PAGE));

    int p[2], dgram[2];
    if (pipe(p) != 0 || socketpair(AF_UNIX, SOCK_DGRAM, 0, dgram) != 0) return 1;
    write(p[1], "0123456789", 10);

    /* iovec arrays: in the hole, starting before it (first entry readable), naming a buffer in
     * it, and the same array placed after the hole, which works. */
    struct iovec *before = (struct iovec *)(hole - sizeof(struct iovec));
    before[0] = (struct iovec){"abc", 3};
    show("writev array in hole", writev(p[1], (struct iovec *)hole, 1));
    show("writev array into hole", writev(p[1], before, 2));
    show("readv array in hole", readv(p[0], (struct iovec *)(hole + 64), 1));
    struct iovec to_hole = {hole + 100, 4};
    show("readv buffer in hole", readv(p[0], &to_hole, 1));
    int null = open("/dev/null", O_WRONLY);
    show("pwritev array in hole", pwritev(null, (struct iovec *)hole, 1, 0));
    struct iovec *later = (struct iovec *)after;
    later[0] = (struct iovec){"xyz", 3};
    show("writev array after hole", writev(p[1], later, 1));

    /* msghdr: in the hole, running into it, msg_iov in it, msg_control in it. */
    show("sendmsg header in hole", syscall(SYS_sendmsg, dgram[0], hole, 0));
    struct msghdr *straddling = (struct msghdr *)(hole - 8);
    show("recvmsg header into hole", syscall(SYS_recvmsg, dgram[1], straddling, MSG_DONTWAIT));
    struct iovec data = {"datagram", 8};
    struct msghdr m = {0};
    m.msg_iov = (struct iovec *)hole;
    m.msg_iovlen = 1;
    show("sendmsg msg_iov in hole", syscall(SYS_sendmsg, dgram[0], &m, 0));
    m.msg_iov = &data;
    m.msg_control = hole + 16;
    m.msg_controllen = 64;
    show("sendmsg msg_control in hole", syscall(SYS_sendmsg, dgram[0], &m, 0));
    char received[16];
    struct iovec into = {received, sizeof received};
    m = (struct msghdr){0};
    m.msg_iov = &into;
    m.msg_iovlen = 1;
    show("recvmsg: nothing was sent", syscall(SYS_recvmsg, dgram[1], &m, MSG_DONTWAIT));

    /* execve: argv in the hole, running into it, naming a string in it; envp in it. */
    char *argv_ok[] = {"true", NULL};
    char **argv_into = (char **)(hole - sizeof(char *));
    argv_into[0] = "true";
    char *argv_string[] = {"true", hole + 8, NULL};
    show("execve argv in hole", execve("/bin/true", (char **)hole, NULL));
    show("execve argv into hole", execve("/bin/true", argv_into, NULL));
    show("execve argv string in hole", execve("/bin/true", argv_string, NULL));
    show("execve envp in hole", execve("/bin/true", argv_ok, (char **)(hole + 40)));
    show("execve path in hole", execve(hole, argv_ok, NULL));

    /* Paths and names the runtime scans: in the hole, and running into it. */
    memcpy(hole - 4, "/tmp", 4);
    show("open path in hole", open(hole + 1, O_RDONLY));
    show("open path into hole", open(hole - 4, O_RDONLY));
    show("mkdir path into hole", mkdir(hole - 4, 0700));
    show("stat path in hole", syscall(SYS_stat, hole, after));
    show("readlink path in hole", readlink(hole, (char *)after, 64));

    /* Signal masks and the pselect6 mask-and-size pair. */
    struct timespec zero = {0, 0};
    show("pselect6 pair in hole", syscall(SYS_pselect6, 0, NULL, NULL, NULL, &zero, hole));
    show("pselect6 pair into hole", syscall(SYS_pselect6, 0, NULL, NULL, NULL, &zero, hole - 8));
    uint64_t pair[2] = {(uint64_t)(uintptr_t)hole, 8};
    show("pselect6 mask in hole", syscall(SYS_pselect6, 0, NULL, NULL, NULL, &zero, pair));
    struct pollfd pfd = {p[0], POLLIN, 0};
    show("ppoll sigmask in hole", syscall(SYS_ppoll, &pfd, 1, &zero, hole, 8));
    show("ppoll fds in hole", syscall(SYS_ppoll, hole, 1, &zero, NULL, 8));
    show("select fd_set in hole", syscall(SYS_select, 4, hole, NULL, NULL, &zero));
    show("rt_sigprocmask set in hole", syscall(SYS_rt_sigprocmask, SIG_BLOCK, hole, NULL, 8));

    /* Signal actions and the alternate stack, which the runtime emulates and copies itself. */
    show("rt_sigaction act in hole", syscall(SYS_rt_sigaction, SIGUSR1, hole, NULL, 8));
    show("rt_sigaction act into hole", syscall(SYS_rt_sigaction, SIGUSR1, hole - 8, NULL, 8));
    show("rt_sigaction oldact in hole", syscall(SYS_rt_sigaction, SIGUSR1, NULL, hole, 8));
    show("sigaltstack new in hole", syscall(SYS_sigaltstack, hole, NULL));
    show("sigaltstack old in hole", syscall(SYS_sigaltstack, NULL, hole));

    /* epoll: the event to add, and the events written back (p[0] is readable). */
    int ep = epoll_create1(0);
    show("epoll_ctl event in hole", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], (struct epoll_event *)hole));
    struct epoll_event ev = {EPOLLIN, {0}};
    show("epoll_ctl add", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
    show("epoll_wait events in hole", epoll_wait(ep, (struct epoll_event *)hole, 4, 0));

    /* Time: sleeps read their timespec; the clocks' results are copied out. */
    show("nanosleep request in hole", syscall(SYS_nanosleep, hole, NULL));
    show("clock_nanosleep request in hole",
         syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, hole, NULL));
    show("clock_gettime result in hole", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, hole));
    show("clock_gettime into hole", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, hole - 8));
    show("gettimeofday result in hole", syscall(SYS_gettimeofday, hole, NULL));
    show("gettimeofday zone in hole", syscall(SYS_gettimeofday, after, hole));

    /* Sockets: in/out lengths, option values, the filter program, ifconf. */
    socklen_t len = sizeof(struct sockaddr);
    show("getsockname length in hole", getsockname(dgram[0], (struct sockaddr *)after, (socklen_t *)hole));
    show("getsockname address in hole", getsockname(dgram[0], (struct sockaddr *)hole, &len));
    printf("length after: %u\n", (unsigned)len);
    show("getsockopt length in hole",
         getsockopt(dgram[0], SOL_SOCKET, SO_TYPE, after, (socklen_t *)(hole + 4)));
    show("setsockopt filter in hole",
         setsockopt(dgram[0], SOL_SOCKET, SO_ATTACH_FILTER, hole, sizeof(struct filter_program)));
    struct filter_program *program = (struct filter_program *)after;
    program->len = 1;
    program->filter = (struct filter_instruction *)hole;
    show("setsockopt filter code in hole",
         setsockopt(dgram[0], SOL_SOCKET, SO_ATTACH_FILTER, program, sizeof(struct filter_program)));
    show("ioctl SIOCGIFCONF in hole", ioctl(dgram[0], SIOCGIFCONF, hole));
    show("ioctl FIONREAD in hole", ioctl(p[0], FIONREAD, hole));

    /* Buffers handed to the kernel. */
    show("getrandom in hole", syscall(SYS_getrandom, hole, 16, 0));
    show("uname in hole", uname((struct utsname *)hole));
    show("pipe fds in hole", syscall(SYS_pipe, hole));
    show("prctl PR_SET_NAME in hole", prctl(PR_SET_NAME, hole, 0, 0, 0));

    /* Nothing above wrote to or read from the pipe except the one writev that worked. */
    char buf[32];
    long n = read(p[0], buf, sizeof buf);
    printf("pipe holds %ld bytes: %.*s\n", n, (int)(n > 0 ? n : 0), buf);
    fflush(stdout);
    return 0;
}
