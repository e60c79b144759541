// open/write/lseek/read/pread, stat/fstat/lstat of a regular file, ftruncate and truncate,
// O_APPEND, O_EXCL, unlink, and the errors of each on missing or wrong files.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *err(void) {
    switch (errno) {
    case ENOENT: return "ENOENT";
    case EEXIST: return "EEXIST";
    case EBADF: return "EBADF";
    case EISDIR: return "EISDIR";
    case EINVAL: return "EINVAL";
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

static void show_stat(const char *what, const struct stat *st) {
    printf("%s: size=%lld regular=%d mode=%o links=%ld\n", what, (long long)st->st_size,
           S_ISREG(st->st_mode), st->st_mode & 07777, (long)st->st_nlink);
}

int main(void) {
    umask(022);
    int fd = open("data.txt", O_CREAT | O_RDWR | O_TRUNC, 0640);
    printf("open: %s\n", fd >= 0 ? "ok" : err());
    printf("write: %zd\n", write(fd, "hello, world\n", 13));
    printf("lseek end: %lld\n", (long long)lseek(fd, 0, SEEK_END));
    printf("lseek set: %lld\n", (long long)lseek(fd, 7, SEEK_SET));
    char buf[64] = {0};
    printf("read: %zd '%.5s'\n", read(fd, buf, 5), buf);
    printf("pread: %zd '%.5s'\n", pread(fd, buf, 5, 0), buf);
    printf("pwrite: %zd\n", pwrite(fd, "HELLO", 5, 0));
    printf("position after pread/pwrite: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
    show("lseek bad whence", lseek(fd, 0, 42));

    struct stat st;
    fstat(fd, &st);
    show_stat("fstat", &st);
    printf("ftruncate 5: %d\n", ftruncate(fd, 5));
    stat("data.txt", &st);
    show_stat("stat", &st);
    printf("truncate 100: %d\n", truncate("data.txt", 100));
    lstat("data.txt", &st);
    show_stat("lstat", &st);
    show("truncate missing", truncate("missing", 1));
    lseek(fd, 0, SEEK_SET);
    memset(buf, 'x', sizeof buf);
    ssize_t n = read(fd, buf, sizeof buf);
    printf("read after truncate: %zd first='%.5s' zero-filled=%d\n", n, buf, buf[10] == 0);
    close(fd);
    show("read closed fd", read(fd, buf, 1));

    fd = open("data.txt", O_WRONLY | O_APPEND);
    write(fd, "tail", 4);
    close(fd);
    stat("data.txt", &st);
    printf("after append: size=%lld\n", (long long)st.st_size);

    show("O_EXCL existing", open("data.txt", O_CREAT | O_EXCL | O_WRONLY, 0600));
    show("open missing", open("missing", O_RDONLY));
    show("open dir for write", open(".", O_WRONLY));
    fd = open("data.txt", O_RDONLY);
    show("write to O_RDONLY", write(fd, "x", 1));
    close(fd);
    int p[2];
    pipe(p);
    show("lseek on pipe", lseek(p[0], 0, SEEK_SET));

    fd = openat(AT_FDCWD, "data.txt", O_RDONLY);
    printf("openat AT_FDCWD: %s\n", fd >= 0 ? "ok" : err());
    printf("unlink: %d\n", unlink("data.txt"));
    show("unlink again", unlink("data.txt"));
    fflush(stdout);
    return 0;
}
