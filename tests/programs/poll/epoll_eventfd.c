// epoll with several descriptors ready at once (pipes, an eventfd, a socket), level versus edge
// triggering, EPOLL_CTL_MOD/DEL, epoll_pwait with a mask, and eventfd counter and semaphore modes.
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../include/show.h"

int main(void) {
    int ep = epoll_create1(EPOLL_CLOEXEC);
    printf("epoll_create1: %s\n", ep >= 0 ? "ok" : err());
    int a[2], b[2], sv[2];
    pipe(a);
    pipe(b);
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    int efd = eventfd(0, EFD_NONBLOCK);
    struct epoll_event ev = {0};
    int watched[4] = {a[0], b[0], sv[0], efd};
    for (int i = 0; i < 4; i++) {
        ev.events = EPOLLIN;
        ev.data.u64 = 0x1000000000ULL + i;
        epoll_ctl(ep, EPOLL_CTL_ADD, watched[i], &ev);
    }
    show("ctl add twice", epoll_ctl(ep, EPOLL_CTL_ADD, a[0], &ev));
    show("ctl bad fd", epoll_ctl(ep, EPOLL_CTL_ADD, 99, &ev));
    struct epoll_event events[8];
    show("wait nothing ready", epoll_wait(ep, events, 8, 0));
    write(a[1], "a", 1);
    write(b[1], "b", 1);
    send(sv[1], "s", 1, 0);
    uint64_t one = 3;
    write(efd, &one, sizeof one);
    int n = epoll_wait(ep, events, 8, 1000);
    printf("ready: %d\n", n);
    unsigned seen = 0;
    for (int i = 0; i < n; i++) {
        seen |= 1u << (events[i].data.u64 - 0x1000000000ULL);
        if (events[i].events != EPOLLIN) printf("unexpected events %#x\n", events[i].events);
    }
    printf("seen mask: %#x\n", seen);
    show("wait with maxevents 2", epoll_wait(ep, events, 2, 0));
    show("wait maxevents 0", epoll_wait(ep, events, 0, 0));

    sigset_t mask;
    sigemptyset(&mask);
    show("epoll_pwait with mask", epoll_pwait(ep, events, 8, 0, &mask));

    ev.events = EPOLLIN | EPOLLET;
    ev.data.u64 = 7;
    show("ctl mod a to edge-triggered", epoll_ctl(ep, EPOLL_CTL_MOD, a[0], &ev));
    show("ctl del b", epoll_ctl(ep, EPOLL_CTL_DEL, b[0], NULL));
    show("ctl del sv", epoll_ctl(ep, EPOLL_CTL_DEL, sv[0], NULL));
    show("ctl del efd", epoll_ctl(ep, EPOLL_CTL_DEL, efd, NULL));
    show("edge: first wait", epoll_wait(ep, events, 8, 0));
    show("edge: second wait", epoll_wait(ep, events, 8, 0));
    write(a[1], "a", 1);
    show("edge: after new data", epoll_wait(ep, events, 8, 0));
    printf("data: %llu\n", (unsigned long long)events[0].data.u64);

    uint64_t value = 0;
    show("eventfd read", read(efd, &value, sizeof value));
    printf("counter: %llu\n", (unsigned long long)value);
    show("eventfd read empty", read(efd, &value, sizeof value));
    show("eventfd short read", read(efd, &value, 4));
    int sem = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
    read(sem, &value, sizeof value);
    printf("semaphore read: %llu\n", (unsigned long long)value);
    read(sem, &value, sizeof value);
    show("semaphore third read", read(sem, &value, sizeof value));
    fflush(stdout);
    return 0;
}
