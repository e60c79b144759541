/* spawntime: run a command N times and report, per run, its wall time and resource usage.
 *
 *   spawntime [-n RUNS] [-i STDIN] [-o STDOUT] [-e STDERR] -- PROGRAM [ARGS...]
 *
 * One line per run on our own stdout:
 *   <wall ns> <user us> <sys us> <max RSS KiB> <status>
 * where status is the exit code, or 128+N when the child died from signal N.
 * The clock starts just before posix_spawn and stops when wait4 returns, so the runner's own
 * start-up cost (Python) is not part of any measurement. STDIN/STDOUT/STDERR default to
 * /dev/null; STDOUT is truncated before every run so it holds the last run's output. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
    long runs = 1;
    const char *in = "/dev/null", *out = "/dev/null", *err = "/dev/null";
    int opt;
    while ((opt = getopt(argc, argv, "+n:i:o:e:")) != -1) {
        switch (opt) {
        case 'n': runs = strtol(optarg, 0, 10); break;
        case 'i': in = optarg; break;
        case 'o': out = optarg; break;
        case 'e': err = optarg; break;
        default:
            fprintf(stderr, "usage: spawntime [-n RUNS] [-i IN] [-o OUT] [-e ERR] -- CMD...\n");
            return 2;
        }
    }
    if (optind >= argc || runs < 1) {
        fprintf(stderr, "spawntime: no command\n");
        return 2;
    }
    char **command = argv + optind;
    for (long r = 0; r < runs; r++) {
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 0, in, O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        pid_t pid;
        long long start = now_ns();
        int rc = posix_spawnp(&pid, command[0], &actions, 0, command, environ);
        posix_spawn_file_actions_destroy(&actions);
        if (rc != 0) {
            fprintf(stderr, "spawntime: cannot run %s: %s\n", command[0], strerror(rc));
            return 127;
        }
        int status;
        struct rusage usage;
        while (wait4(pid, &status, 0, &usage) < 0) {
            if (errno != EINTR) {
                perror("wait4");
                return 1;
            }
        }
        long long wall = now_ns() - start;
        int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        printf("%lld %ld %ld %ld %d\n", wall,
               (long)usage.ru_utime.tv_sec * 1000000L + (long)usage.ru_utime.tv_usec,
               (long)usage.ru_stime.tv_sec * 1000000L + (long)usage.ru_stime.tv_usec,
               usage.ru_maxrss, code);
    }
    return 0;
}
