// symlink/readlink, link counts, chmod/fchmod/fchmodat and access/faccessat, utimensat with
// fixed times (and UTIME_OMIT), and the errors of each.
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../include/show.h"

int main(void) {
    umask(0);
    int fd = open("target", O_CREAT | O_WRONLY, 0644);
    write(fd, "contents", 8);
    show("symlink", symlink("target", "link"));
    show("symlink existing", symlink("target", "link"));
    char buf[64];
    long n = readlink("link", buf, sizeof buf);
    printf("readlink: %ld '%.*s'\n", n, (int)(n > 0 ? n : 0), buf);
    n = readlink("link", buf, 3);
    printf("readlink truncated: %ld '%.*s'\n", n, (int)(n > 0 ? n : 0), buf);
    show("readlink of a file", readlink("target", buf, sizeof buf));
    n = readlinkat(AT_FDCWD, "link", buf, sizeof buf);
    printf("readlinkat: %ld\n", n);
    struct stat st, lst;
    stat("link", &st);
    lstat("link", &lst);
    printf("stat through link: regular=%d size=%lld; lstat: symlink=%d size=%lld\n",
           S_ISREG(st.st_mode), (long long)st.st_size, S_ISLNK(lst.st_mode),
           (long long)lst.st_size);
    show("link", link("target", "hard"));
    stat("target", &st);
    printf("links after link: %ld\n", (long)st.st_nlink);
    show("linkat", linkat(AT_FDCWD, "target", AT_FDCWD, "hard2", 0));
    show("symlinkat", symlinkat("hard", AT_FDCWD, "link2"));

    show("chmod 0600", chmod("target", 0600));
    stat("target", &st);
    printf("mode: %o\n", st.st_mode & 07777);
    show("fchmod 0751", fchmod(fd, 0751));
    fstat(fd, &st);
    printf("mode: %o\n", st.st_mode & 07777);
    show("fchmodat 0644", fchmodat(AT_FDCWD, "target", 0644, 0));
    show("chmod missing", chmod("missing", 0644));
    show("access R_OK", access("target", R_OK));
    show("access X_OK", access("target", X_OK));
    show("access missing", access("missing", F_OK));
    show("faccessat W_OK", faccessat(AT_FDCWD, "target", W_OK, 0));

    struct timespec times[2] = {{1000000000, 5}, {1234567890, 123456789}};
    show("utimensat", utimensat(AT_FDCWD, "target", times, 0));
    stat("target", &st);
    printf("atime=%lld.%09ld mtime=%lld.%09ld\n", (long long)st.st_atim.tv_sec,
           st.st_atim.tv_nsec, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    struct timespec omit[2] = {{0, UTIME_OMIT}, {42, 0}};
    show("futimens", futimens(fd, omit));
    fstat(fd, &st);
    printf("atime=%lld mtime=%lld\n", (long long)st.st_atim.tv_sec, (long long)st.st_mtim.tv_sec);
    struct timespec bad[2] = {{0, 2000000000}, {0, 0}};
    show("utimensat bad nsec", utimensat(AT_FDCWD, "target", bad, 0));
    show("utimensat missing", utimensat(AT_FDCWD, "missing", times, 0));
    close(fd);
    show("unlink link", unlink("link"));
    show("unlink link2", unlink("link2"));
    show("unlink hard2", unlink("hard2"));
    stat("target", &st);
    printf("links at the end: %ld\n", (long)st.st_nlink);
    fflush(stdout);
    return 0;
}
