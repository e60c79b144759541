// Shared by the syscall-family programs: errno names and result printing.
#ifndef SHOW_H
#define SHOW_H
#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *err(void) {
    switch (errno) {
    case ENOENT: return "ENOENT";
    case EEXIST: return "EEXIST";
    case EACCES: return "EACCES";
    case EAGAIN: return "EAGAIN";
    case EBADF: return "EBADF";
    case EINVAL: return "EINVAL";
    case EPIPE: return "EPIPE";
    case EINTR: return "EINTR";
    case ECHILD: return "ECHILD";
    case ESRCH: return "ESRCH";
    case ENOTCONN: return "ENOTCONN";
    case ECONNREFUSED: return "ECONNREFUSED";
    case EMSGSIZE: return "EMSGSIZE";
    case EMFILE: return "EMFILE";
    case EPERM: return "EPERM";
    case EFAULT: return "EFAULT";
    case ESPIPE: return "ESPIPE";
    default: return "other";
    }
}

/* Prints a call's result, and the errno name when it failed (errno is read after the call). */
static void show(const char *what, long result) {
    if (result < 0)
        printf("%s: %ld %s\n", what, result, err());
    else
        printf("%s: %ld\n", what, result);
}
#endif
