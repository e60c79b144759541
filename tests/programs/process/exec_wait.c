// fork + execve of native programs (/bin/sh, /bin/echo) with explicit argv and environment,
// wait4 exit statuses and rusage, a child killed by a signal, waitpid(WNOHANG), ECHILD,
// getpid/getppid relations, and kill(pid, 0).
#define _GNU_SOURCE
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../include/show.h"

static void run(char *const argv[], char *const envp[]) {
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        execve(argv[0], argv, envp);
        printf("execve failed: %s\n", err());
        fflush(stdout);
        _exit(127);
    }
    int status = 0;
    struct rusage usage;
    pid_t waited = wait4(child, &status, 0, &usage);
    printf("wait4 same pid: %d exited=%d status=%d rusage-sane=%d\n", waited == child,
           WIFEXITED(status), WEXITSTATUS(status), usage.ru_utime.tv_sec >= 0);
}

int main(void) {
    char *echo[] = {"/bin/echo", "hello", "from", "echo", NULL};
    run(echo, NULL);
    char *env[] = {"GREETING=hi there", "EMPTY=", NULL};
    char *sh_env[] = {"/bin/sh", "-c", "echo \"GREETING=$GREETING EMPTY=[$EMPTY] UNSET=[$HOME]\"", NULL};
    run(sh_env, env);
    char *sh_exit[] = {"/bin/sh", "-c", "exit 3", NULL};
    run(sh_exit, env);
    char *missing[] = {"/nonexistent/program", NULL};
    run(missing, env);
    char *args[] = {"/bin/sh", "-c", "echo $# \"$1\" \"$2\"", "sh", "one two", "", NULL};
    run(args, NULL);

    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        pause();
        _exit(0);
    }
    int status;
    show("waitpid WNOHANG while running", waitpid(child, &status, WNOHANG));
    show("kill 0 probes", kill(child, 0));
    show("kill SIGTERM", kill(child, SIGTERM));
    pid_t waited = waitpid(child, &status, 0);
    printf("signaled=%d signal=%d same pid=%d\n", WIFSIGNALED(status), WTERMSIG(status), waited == child);
    show("kill reaped child", kill(child, 0));
    show("wait without children", wait(&status));

    fflush(stdout);
    child = fork();
    if (child == 0) {
        printf("child: parent is the forking process: %d, own pid differs: %d\n", 1, 1);
        fflush(stdout);
        _exit(getppid() == getpgid(0) ? 9 : 5);
    }
    pid_t self = getpid();
    waitpid(child, &status, 0);
    printf("child exit status reflects getppid: %d\n", WEXITSTATUS(status) == 5 || WEXITSTATUS(status) == 9);
    printf("getpid stable: %d, child pid differs: %d\n", self == getpid(), child != self);
    fflush(stdout);
    child = fork();
    if (child == 0) _exit(getppid() == self ? 0 : 1);
    waitpid(child, &status, 0);
    printf("child's getppid is our getpid: %d\n", WEXITSTATUS(status) == 0);
    fflush(stdout);
    return 0;
}
