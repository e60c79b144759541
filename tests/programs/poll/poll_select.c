// poll, ppoll, select and pselect on pipes: readiness of read and write ends, timeouts, POLLHUP
// after the writer closes, POLLNVAL for a closed descriptor, fd_set contents after select, and a
// signal mask passed to pselect/ppoll.
#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include <sys/select.h>
#include <unistd.h>

#include "../include/show.h"

int main(void) {
    int p[2];
    pipe(p);
    struct pollfd fds[3] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}, {99, POLLIN, 0}};
    show("poll empty pipe", poll(fds, 3, 0));
    printf("revents: read=%#x write=%#x closed=%#x\n", fds[0].revents, fds[1].revents, fds[2].revents);
    write(p[1], "x", 1);
    show("poll with data", poll(fds, 2, 1000));
    printf("revents: read=%#x write=%#x\n", fds[0].revents, fds[1].revents);
    struct timespec ts = {0, 1000000};
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    show("ppoll with mask", ppoll(fds, 1, &ts, &mask));

    fd_set r, w;
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_SET(p[0], &r);
    FD_SET(p[1], &w);
    struct timeval tv = {1, 0};
    show("select", select(p[1] + 1, &r, &w, NULL, &tv));
    printf("read set=%d write set=%d\n", FD_ISSET(p[0], &r), FD_ISSET(p[1], &w));
    char c;
    read(p[0], &c, 1);
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    tv.tv_sec = 0;
    tv.tv_usec = 20000;
    show("select timeout", select(p[0] + 1, &r, NULL, NULL, &tv));
    printf("read set=%d remaining<=20ms=%d\n", FD_ISSET(p[0], &r), tv.tv_usec <= 20000);
    FD_SET(p[0], &r);
    ts.tv_sec = 0;
    ts.tv_nsec = 1000000;
    show("pselect with mask", pselect(p[0] + 1, &r, NULL, NULL, &ts, &mask));
    show("select negative nfds", select(-1, NULL, NULL, NULL, &tv));

    close(p[1]);
    fds[0].revents = 0;
    show("poll after writer closed", poll(fds, 1, 0));
    printf("revents: POLLHUP=%d\n", (fds[0].revents & POLLHUP) != 0);
    show("poll nothing, 10ms", poll(NULL, 0, 10));
    fflush(stdout);
    return 0;
}
