/* Syscall-heavy microbenchmarks: each mode makes many cheap system calls through the C library, so
 * the cost measured is dominated by the path from the program to the kernel and back.
 *
 *   syscalls write  [n]   n 16-byte write()s to /dev/null
 *   syscalls read   [n]   n 64-byte read()s from /dev/zero
 *   syscalls getpid [n]   n getpid() calls
 *   syscalls open   [n]   n open()/fstat()/close() of /dev/null
 *   syscalls clock  [n]   n clock_gettime(CLOCK_MONOTONIC) calls (a vDSO call natively)
 *   syscalls all    [n]   every mode above, n each
 *
 * Each prints a result that depends only on n (never on times or pids). */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static long do_write(long n)
{
    int fd = open("/dev/null", O_WRONLY);
    if (fd < 0) {
        perror("open /dev/null");
        exit(1);
    }
    char buffer[16];
    memset(buffer, 'w', sizeof buffer);
    long total = 0;
    for (long i = 0; i < n; i++) {
        ssize_t r = write(fd, buffer, sizeof buffer);
        if (r > 0)
            total += r;
    }
    close(fd);
    return total;
}

static long do_read(long n)
{
    int fd = open("/dev/zero", O_RDONLY);
    if (fd < 0) {
        perror("open /dev/zero");
        exit(1);
    }
    unsigned char buffer[64];
    long total = 0;
    for (long i = 0; i < n; i++) {
        ssize_t r = read(fd, buffer, sizeof buffer);
        if (r > 0)
            total += r + buffer[i % sizeof buffer];
    }
    close(fd);
    return total;
}

static long do_getpid(long n)
{
    pid_t first = getpid();
    long same = 0;
    for (long i = 0; i < n; i++)
        same += getpid() == first;
    return same;
}

static long do_open(long n)
{
    long ok = 0;
    for (long i = 0; i < n; i++) {
        int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        struct stat st;
        if (fstat(fd, &st) == 0 && S_ISCHR(st.st_mode))
            ok++;
        close(fd);
    }
    return ok;
}

static long do_clock(long n)
{
    struct timespec previous = { 0, 0 }, now;
    long monotonic = 0;
    for (long i = 0; i < n; i++) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec > previous.tv_sec ||
            (now.tv_sec == previous.tv_sec && now.tv_nsec >= previous.tv_nsec))
            monotonic++;
        previous = now;
    }
    return monotonic;
}

static const struct {
    const char *name;
    long (*run)(long);
    long default_count;
} modes[] = {
    { "write", do_write, 4500000 },
    { "read", do_read, 4500000 },
    { "getpid", do_getpid, 6000000 },
    { "open", do_open, 250000 },
    { "clock", do_clock, 30000000 },
};

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "all";
    long count = argc > 2 ? strtol(argv[2], 0, 10) : 0;
    int matched = 0;
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        if (strcmp(mode, "all") != 0 && strcmp(mode, modes[m].name) != 0)
            continue;
        matched = 1;
        long n = count > 0 ? count : modes[m].default_count;
        printf("syscalls %s n=%ld result=%ld\n", modes[m].name, n, modes[m].run(n));
    }
    if (!matched) {
        fprintf(stderr, "unknown mode %s\n", mode);
        return 2;
    }
    fflush(stdout);
    return 0;
}
