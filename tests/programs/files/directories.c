// mkdir, readdir (names sorted for determinism), rename, unlink, rmdir, chdir/getcwd/fchdir,
// *at variants relative to a directory descriptor, and their errors.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *err(void) {
    switch (errno) {
    case ENOENT: return "ENOENT";
    case EEXIST: return "EEXIST";
    case ENOTEMPTY: return "ENOTEMPTY";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
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

static int compare(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list(const char *path) {
    DIR *d = opendir(path);
    if (!d) {
        printf("opendir %s: %s\n", path, err());
        return;
    }
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 64) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, compare);
    printf("%s:", path);
    for (int i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
}

static void touch(const char *path) {
    int fd = open(path, O_CREAT | O_WRONLY, 0644);
    write(fd, path, strlen(path));
    close(fd);
}

int main(void) {
    umask(022);
    printf("mkdir d: %d\n", mkdir("d", 0755));
    show("mkdir d again", mkdir("d", 0755));
    printf("mkdir d/sub: %d\n", mkdir("d/sub", 0700));
    for (int i = 0; i < 12; i++) {
        char name[32];
        snprintf(name, sizeof name, "d/file%02d", i);
        touch(name);
    }
    list("d");
    printf("rename file00 -> renamed: %d\n", rename("d/file00", "d/renamed"));
    show("rename missing", rename("d/missing", "d/x"));
    printf("rename file01 over renamed: %d\n", rename("d/file01", "d/renamed"));
    show("rename file onto dir", rename("d/file02", "d/sub"));
    show("rmdir non-empty", rmdir("d"));
    show("unlink dir", unlink("d/sub"));
    show("rmdir file", rmdir("d/file02"));
    list("d");

    int dirfd = open("d", O_RDONLY | O_DIRECTORY);
    printf("mkdirat: %d\n", mkdirat(dirfd, "made-at", 0755));
    int fd = openat(dirfd, "made-at/inner", O_CREAT | O_WRONLY, 0600);
    printf("openat inner: %s\n", fd >= 0 ? "ok" : err());
    close(fd);
    printf("renameat: %d\n", renameat(dirfd, "made-at/inner", dirfd, "inner-moved"));
    printf("unlinkat file: %d\n", unlinkat(dirfd, "inner-moved", 0));
    printf("unlinkat dir: %d\n", unlinkat(dirfd, "made-at", AT_REMOVEDIR));
    show("O_DIRECTORY on file", open("d/file03", O_RDONLY | O_DIRECTORY));

    char cwd[4096];
    getcwd(cwd, sizeof cwd);
    printf("chdir d: %d\n", chdir("d"));
    char inner[4096];
    getcwd(inner, sizeof inner);
    printf("getcwd ends with /d: %d\n", strlen(inner) > 2 && !strcmp(inner + strlen(inner) - 2, "/d"));
    char *small = getcwd(inner, 2);
    printf("getcwd too small: %s %s\n", small ? "ok" : "fail", errno == ERANGE ? "ERANGE" : err());
    touch("from-inside");
    int top = open("..", O_RDONLY | O_DIRECTORY);
    printf("fchdir ..: %d\n", fchdir(top));
    close(top);
    getcwd(inner, sizeof inner);
    printf("back at start: %d\n", strcmp(cwd, inner) == 0);
    list("d");

    for (int i = 2; i < 12; i++) {
        char name[32];
        snprintf(name, sizeof name, "d/file%02d", i);
        unlink(name);
    }
    unlink("d/renamed");
    unlink("d/from-inside");
    rmdir("d/sub");
    show("rmdir d", rmdir("d"));
    show("rmdir d again", rmdir("d"));
    fflush(stdout);
    return 0;
}
