// UDP over 127.0.0.1: sendto/recvfrom with source addresses, a datagram larger than the buffer
// (truncated, MSG_TRUNC reports its real size), sendmsg/recvmsg with msg_name and MSG_TRUNC in
// msg_flags, and MSG_DONTWAIT on an empty socket.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../include/show.h"

int main(void) {
    int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in addr = {0}, baddr;
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    baddr = addr;
    bind(a, (struct sockaddr *)&addr, sizeof addr);
    bind(b, (struct sockaddr *)&baddr, sizeof baddr);
    socklen_t len = sizeof addr;
    getsockname(a, (struct sockaddr *)&addr, &len);
    len = sizeof baddr;
    getsockname(b, (struct sockaddr *)&baddr, &len);

    show("sendto", sendto(b, "ping", 4, 0, (struct sockaddr *)&addr, sizeof addr));
    char buf[64] = {0};
    struct sockaddr_in from = {0};
    len = sizeof from;
    show("recvfrom", recvfrom(a, buf, sizeof buf, 0, (struct sockaddr *)&from, &len));
    printf("got '%s' from b: %d (len %u)\n", buf, from.sin_port == baddr.sin_port, (unsigned)len);

    sendto(b, "0123456789", 10, 0, (struct sockaddr *)&addr, sizeof addr);
    memset(buf, 0, sizeof buf);
    show("recv truncated with MSG_TRUNC", recv(a, buf, 4, MSG_TRUNC));
    printf("buffer: '%s'\n", buf);

    sendto(b, "abcdefgh", 8, 0, (struct sockaddr *)&addr, sizeof addr);
    struct sockaddr_in name = {0};
    char small[3];
    struct iovec iov = {small, sizeof small};
    struct msghdr msg = {0};
    msg.msg_name = &name;
    msg.msg_namelen = sizeof name;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    show("recvmsg", recvmsg(a, &msg, 0));
    printf("msg_namelen=%u from-b=%d MSG_TRUNC=%d data='%.3s'\n", (unsigned)msg.msg_namelen,
           name.sin_port == baddr.sin_port, (msg.msg_flags & MSG_TRUNC) != 0, small);

    struct iovec parts[2] = {{"sent", 4}, {"msg", 3}};
    struct msghdr out = {0};
    out.msg_name = &addr;
    out.msg_namelen = sizeof addr;
    out.msg_iov = parts;
    out.msg_iovlen = 2;
    show("sendmsg", sendmsg(b, &out, 0));
    memset(buf, 0, sizeof buf);
    show("recv", recv(a, buf, sizeof buf, 0));
    printf("got '%s'\n", buf);
    show("recv empty MSG_DONTWAIT", recv(a, buf, sizeof buf, MSG_DONTWAIT));
    out.msg_iovlen = 2000;
    show("sendmsg too many iovecs", sendmsg(b, &out, 0));
    fflush(stdout);
    return 0;
}
