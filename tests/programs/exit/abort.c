// abort() kills the process with SIGABRT, after output was flushed.
// native-signal: SIGABRT
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    printf("about to abort\n");
    fflush(stdout);
    abort();
}
