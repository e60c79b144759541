// TCP over 127.0.0.1 in one program: a server binds port 0, a forked client connects, both
// exchange messages (send/recv, sendto/recvfrom on a connected socket, writev), the server
// checks getpeername/getsockname/accept addresses, socket options round-trip, shutdown gives EOF.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../include/show.h"

static long recv_all(int fd, char *buf, long len) {
    long total = 0, n;
    while (total < len && (n = recv(fd, buf + total, len - total, 0)) > 0) total += n;
    return total;
}

int main(void) {
    int server = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    show("SO_REUSEADDR", setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one));
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    show("bind", bind(server, (struct sockaddr *)&addr, sizeof addr));
    show("listen", listen(server, 4));
    socklen_t len = sizeof addr;
    show("getsockname", getsockname(server, (struct sockaddr *)&addr, &len));
    printf("bound: family=%d len=%u loopback=%d port-assigned=%d\n", addr.sin_family,
           (unsigned)len, addr.sin_addr.s_addr == htonl(INADDR_LOOPBACK), addr.sin_port != 0);
    int value = 0;
    len = sizeof value;
    show("getsockopt SO_TYPE", getsockopt(server, SOL_SOCKET, SO_TYPE, &value, &len));
    printf("SO_TYPE=%d len=%u\n", value, (unsigned)len);
    fflush(stdout);

    pid_t child = fork();
    if (child == 0) {
        close(server);
        int c = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(c, (struct sockaddr *)&addr, sizeof addr) != 0) _exit(1);
        setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        send(c, "hello server", 12, 0);
        char reply[64] = {0};
        recv_all(c, reply, 12);
        struct iovec parts[2] = {{"got: ", 5}, {reply, 12}};
        writev(c, parts, 2);
        shutdown(c, SHUT_WR);
        char rest[8];
        _exit(recv(c, rest, sizeof rest, 0) == 0 ? 0 : 2);
    }

    struct sockaddr_in peer = {0};
    len = sizeof peer;
    int conn = accept4(server, (struct sockaddr *)&peer, &len, SOCK_CLOEXEC);
    printf("accept4: %s peer-len=%u peer-loopback=%d\n", conn >= 0 ? "ok" : err(), (unsigned)len,
           peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
    struct sockaddr_in peer2 = {0};
    len = sizeof peer2;
    show("getpeername", getpeername(conn, (struct sockaddr *)&peer2, &len));
    printf("same peer port: %d\n", peer.sin_port == peer2.sin_port);
    len = 4; /* too short: truncated address, full length reported */
    show("getpeername short", getpeername(conn, (struct sockaddr *)&peer2, &len));
    printf("reported length: %u\n", (unsigned)len);

    char buf[64] = {0};
    show("recv", recv_all(conn, buf, 12));
    printf("server got: '%s'\n", buf);
    show("sendto connected", sendto(conn, "hello client", 12, 0, NULL, 0));
    memset(buf, 0, sizeof buf);
    struct sockaddr_in from;
    len = sizeof from;
    show("recvfrom", recvfrom(conn, buf, 17, MSG_WAITALL, (struct sockaddr *)&from, &len));
    printf("server got: '%s'\n", buf);
    show("recv after shutdown", recv(conn, buf, sizeof buf, 0));
    shutdown(conn, SHUT_RDWR);
    int status;
    waitpid(child, &status, 0);
    printf("client exit: %d\n", WEXITSTATUS(status));
    close(conn);

    int unconnected = socket(AF_INET, SOCK_STREAM, 0);
    show("send unconnected", send(unconnected, "x", 1, MSG_NOSIGNAL));
    show("getpeername unconnected", getpeername(unconnected, (struct sockaddr *)&peer2, &len));
    close(server);
    show("connect refused", connect(unconnected, (struct sockaddr *)&addr, sizeof addr));
    fflush(stdout);
    return 0;
}
