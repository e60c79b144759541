// Pipes: pipe/pipe2 flags, a forked writer and reader, EOF after the writer closes, EAGAIN on an
// empty non-blocking pipe, EPIPE when the reader is gone (SIGPIPE ignored), FIONREAD, and a
// large write crossing the pipe's capacity.
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../include/show.h"

int main(void) {
    int p[2];
    show("pipe2 O_CLOEXEC|O_NONBLOCK", pipe2(p, O_CLOEXEC | O_NONBLOCK));
    show("read end FD_CLOEXEC", fcntl(p[0], F_GETFD));
    show("read end O_NONBLOCK", fcntl(p[0], F_GETFL) & O_NONBLOCK);
    char buf[256];
    show("read empty non-blocking", read(p[0], buf, sizeof buf));
    write(p[1], "abc", 3);
    int avail = -1;
    show("FIONREAD", ioctl(p[0], FIONREAD, &avail));
    printf("available: %d\n", avail);
    close(p[0]);
    close(p[1]);

    show("pipe", pipe(p));
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        close(p[0]);
        static char big[200000];
        for (size_t i = 0; i < sizeof big; i++) big[i] = 'a' + i % 26;
        long total = 0;
        while (total < (long)sizeof big) {
            long n = write(p[1], big + total, sizeof big - total);
            if (n <= 0) _exit(1);
            total += n;
        }
        _exit(0);
    }
    close(p[1]);
    long total = 0, sum = 0, n;
    while ((n = read(p[0], buf, sizeof buf)) > 0) {
        for (long i = 0; i < n; i++) sum += buf[i];
        total += n;
    }
    printf("received %ld bytes, checksum %ld, then read returns %ld\n", total, sum, n);
    int status;
    waitpid(child, &status, 0);
    printf("writer exit: %d\n", WEXITSTATUS(status));
    close(p[0]);

    signal(SIGPIPE, SIG_IGN);
    pipe(p);
    close(p[0]);
    show("write with no reader", write(p[1], "x", 1));
    close(p[1]);
    show("close twice", close(p[1]));
    fflush(stdout);
    return 0;
}
