// Process attributes: uid/gid families agree, process group and session ids, resource limits
// through getrlimit/setrlimit/prlimit (a lowered RLIMIT_NOFILE is enforced), getrusage, uname,
// sysinfo, sched_getaffinity, umask, prctl thread names, getrandom.
#define _GNU_SOURCE
#include <sched.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <fcntl.h>
#include <unistd.h>

#include "../include/show.h"

int main(void) {
    printf("uid==euid: %d gid==egid: %d\n", getuid() == geteuid(), getgid() == getegid());
    show("setuid to self", setuid(getuid()));
    show("setresgid unchanged", setresgid(-1, -1, -1));
    gid_t groups[256];
    int n = getgroups(256, groups);
    printf("getgroups count matches: %d\n", n == getgroups(0, NULL));
    printf("getpgid(0)==getpgrp: %d getsid(0)>0: %d\n", getpgid(0) == getpgrp(), getsid(0) > 0);
    show("getpgid of no process", getpgid(0x7ffffff0));

    struct rlimit lim;
    show("getrlimit NOFILE", getrlimit(RLIMIT_NOFILE, &lim));
    struct rlimit low = {16, lim.rlim_max};
    show("setrlimit NOFILE 16", setrlimit(RLIMIT_NOFILE, &low));
    int last = -1, fd;
    while ((fd = open("/dev/null", O_RDONLY)) >= 0) last = fd;
    printf("highest fd under the limit: %d, then %s\n", last, errno == EMFILE ? "EMFILE" : err());
    struct rlimit old;
    show("prlimit restores", prlimit(0, RLIMIT_NOFILE, &lim, &old));
    printf("old soft limit: %llu\n", (unsigned long long)old.rlim_cur);
    struct rlimit bad = {10, 5};
    show("setrlimit soft > hard", setrlimit(RLIMIT_NOFILE, &bad));
    show("getrlimit bad resource", getrlimit(1000, &lim));

    struct rusage usage;
    show("getrusage", getrusage(RUSAGE_SELF, &usage));
    printf("maxrss positive: %d\n", usage.ru_maxrss > 0);
    struct utsname u;
    show("uname", uname(&u));
    printf("sysname: %s machine-nonempty: %d\n", u.sysname, u.machine[0] != 0);
    struct sysinfo si;
    show("sysinfo", sysinfo(&si));
    printf("uptime positive: %d totalram positive: %d mem_unit: %u\n", si.uptime > 0, si.totalram > 0, si.mem_unit);
    cpu_set_t set;
    CPU_ZERO(&set);
    show("sched_getaffinity ok", sched_getaffinity(0, sizeof set, &set) == 0 ? 0 : -1);
    printf("at least one cpu: %d\n", CPU_COUNT(&set) >= 1);
    show("sched_yield", sched_yield());
    printf("umask previous: %o\n", umask(027));
    printf("umask now: %o\n", umask(022));

    show("PR_SET_NAME", prctl(PR_SET_NAME, "walic-test", 0, 0, 0));
    char name[16] = {0};
    show("PR_GET_NAME", prctl(PR_GET_NAME, name, 0, 0, 0));
    printf("name: %s\n", name);
    show("PR_GET_DUMPABLE", prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
    int sig = -1;
    show("PR_GET_PDEATHSIG", prctl(PR_GET_PDEATHSIG, &sig, 0, 0, 0));
    printf("pdeathsig: %d\n", sig);

    unsigned char random[64];
    show("getrandom", getrandom(random, sizeof random, 0));
    int nonzero = 0;
    for (int i = 0; i < 64; i++) nonzero |= random[i];
    printf("random bytes not all zero: %d\n", nonzero != 0);
    show("getrandom bad flags", getrandom(random, 8, 0x1000));
    fflush(stdout);
    return 0;
}
