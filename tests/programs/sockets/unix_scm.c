// UNIX socketpair: sendmsg/recvmsg passing a descriptor (SCM_RIGHTS) and credentials
// (SCM_CREDENTIALS), the control-message lengths the receiver sees, MSG_CTRUNC when the control
// buffer is too small, and the passed descriptor working in the receiver.
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../include/show.h"

static void send_fd(int sock, int fd) {
    char data = 'F';
    struct iovec iov = {&data, 1};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    memset(&control, 0, sizeof control);
    struct msghdr msg = {0};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof control.buf;
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof fd);
    show("sendmsg SCM_RIGHTS", sendmsg(sock, &msg, 0));
}

static int receive_fd(int sock, size_t control_size) {
    char data = 0;
    struct iovec iov = {&data, 1};
    char control[64];
    memset(control, 0, sizeof control);
    struct msghdr msg = {0};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = control_size;
    show("recvmsg", recvmsg(sock, &msg, 0));
    printf("data='%c' controllen=%u CTRUNC=%d\n", data, (unsigned)msg.msg_controllen,
           (msg.msg_flags & MSG_CTRUNC) != 0);
    int fd = -1;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        printf("cmsg level=%d type=%d len=%u\n", c->cmsg_level, c->cmsg_type, (unsigned)c->cmsg_len);
        if (c->cmsg_type == SCM_RIGHTS) memcpy(&fd, CMSG_DATA(c), sizeof fd);
    }
    return fd;
}

int main(void) {
    int sv[2];
    show("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    int file = open("passed.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(file, "through the socket", 18);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        close(sv[0]);
        int fd = receive_fd(sv[1], 64);
        char buf[32] = {0};
        long n = pread(fd, buf, sizeof buf - 1, 0);
        printf("child read %ld bytes through the passed fd: '%s'\n", n, buf);
        fd = receive_fd(sv[1], CMSG_LEN(0));
        printf("truncated fd: %d\n", fd);
        fflush(stdout);
        _exit(0);
    }
    close(sv[1]);
    send_fd(sv[0], file);
    int status;
    /* The child prints between our two sends only after the first one arrives. */
    usleep(100000);
    send_fd(sv[0], file);
    waitpid(child, &status, 0);
    printf("child exit: %d\n", WEXITSTATUS(status));

    int pair[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, pair);
    int on = 1;
    setsockopt(pair[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
    send(pair[0], "c", 1, 0);
    char data;
    struct iovec iov = {&data, 1};
    union {
        char buf[CMSG_SPACE(sizeof(struct ucred))];
        struct cmsghdr align;
    } control;
    struct msghdr msg = {0};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof control.buf;
    show("recvmsg credentials", recvmsg(pair[1], &msg, 0));
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    if (!c) {
        printf("no credentials\n");
        return 1;
    }
    struct ucred cred;
    memcpy(&cred, CMSG_DATA(c), sizeof cred);
    printf("SCM_CREDENTIALS=%d len=%u pid-is-self=%d uid-is-self=%d\n", c->cmsg_type == SCM_CREDENTIALS,
           (unsigned)c->cmsg_len, cred.pid == getpid(), cred.uid == getuid());
    unlink("passed.txt");
    fflush(stdout);
    return 0;
}
