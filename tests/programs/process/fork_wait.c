// fork + wait4: exit statuses, death by signal, the child's copy of memory, and output order.
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static int global = 1;

static void report(int status) {
    if (WIFEXITED(status)) {
        printf("exited %d\n", WEXITSTATUS(status));
    } else if (WIFSIGNALED(status)) {
        printf("killed by signal %d\n", WTERMSIG(status));
    } else {
        printf("other %d\n", status);
    }
}

int main(void) {
    int codes[] = {0, 3, 255, 256 + 7};
    for (int i = 0; i < 4; i++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            global = 100 + i;
            printf("child %d global %d\n", i, global);
            exit(codes[i]);
        }
        int status;
        struct rusage ru;
        pid_t w = wait4(pid, &status, 0, &ru);
        printf("wait4 matched=%d ", w == pid);
        report(status);
    }
    printf("parent global %d\n", global);

    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        abort();
    }
    int status;
    waitpid(pid, &status, 0);
    report(status);

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        raise(SIGTERM);
        _exit(1);
    }
    waitpid(pid, &status, 0);
    report(status);

    // A child that forks a grandchild.
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        pid_t g = fork();
        if (g == 0) {
            _exit(42);
        }
        int s;
        waitpid(g, &s, 0);
        _exit(WEXITSTATUS(s) + 1);
    }
    waitpid(pid, &status, 0);
    report(status);
    return 0;
}
