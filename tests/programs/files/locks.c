// fcntl record locks between processes: F_SETLK, F_GETLK reporting the holder, a conflicting
// F_SETLK failing, and F_SETLKW waiting until the holder unlocks; then flock.
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../include/show.h"

static struct flock range(short type, off_t start, off_t len) {
    struct flock fl = {0};
    fl.l_type = type;
    fl.l_whence = SEEK_SET;
    fl.l_start = start;
    fl.l_len = len;
    return fl;
}

int main(void) {
    int fd = open("lockfile", O_CREAT | O_RDWR, 0644);
    write(fd, "0123456789", 10);
    int ready[2], go[2];
    pipe(ready);
    pipe(go);
    struct flock fl = range(F_WRLCK, 0, 5);
    show("parent F_SETLK write 0-5", fcntl(fd, F_SETLK, &fl));
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        int cfd = open("lockfile", O_RDWR);
        struct flock probe = range(F_WRLCK, 0, 10);
        show("child F_GETLK", fcntl(cfd, F_GETLK, &probe));
        printf("holder: type=%s start=%lld len=%lld is-parent=%d\n",
               probe.l_type == F_WRLCK ? "F_WRLCK" : "other", (long long)probe.l_start,
               (long long)probe.l_len, probe.l_pid == getppid());
        struct flock free_part = range(F_WRLCK, 5, 5);
        show("child F_SETLK free part", fcntl(cfd, F_SETLK, &free_part));
        struct flock want = range(F_WRLCK, 0, 5);
        show("child F_SETLK conflicting", fcntl(cfd, F_SETLK, &want));
        fflush(stdout);
        write(ready[1], "r", 1);
        show("child F_SETLKW (waits)", fcntl(cfd, F_SETLKW, &want));
        char c;
        show("parent had unlocked first", read(go[0], &c, 1));
        fflush(stdout);
        _exit(0);
    }
    char c;
    read(ready[0], &c, 1);
    usleep(200000);
    fl = range(F_UNLCK, 0, 5);
    printf("parent unlocks\n");
    fflush(stdout);
    write(go[1], "g", 1);
    fcntl(fd, F_SETLK, &fl);
    int status;
    waitpid(child, &status, 0);
    printf("child exit: %d\n", WEXITSTATUS(status));
    struct flock bad = range(F_WRLCK, 0, 5);
    bad.l_whence = 99;
    show("F_SETLK bad whence", fcntl(fd, F_SETLK, &bad));
    show("flock LOCK_EX", flock(fd, LOCK_EX));
    int other = open("lockfile", O_RDONLY);
    show("flock other LOCK_EX|LOCK_NB", flock(other, LOCK_EX | LOCK_NB));
    show("flock LOCK_UN", flock(fd, LOCK_UN));
    show("flock other again", flock(other, LOCK_EX | LOCK_NB));
    unlink("lockfile");
    fflush(stdout);
    return 0;
}
