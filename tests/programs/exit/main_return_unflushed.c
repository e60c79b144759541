// Returning from main flushes stdio (a partial line, fully buffered stdout) and runs atexit.
#include <stdio.h>
#include <stdlib.h>

static void last(void) {
    fputs(" and the atexit handler", stdout);
}

int main(void) {
    atexit(last);
    fputs("no newline at the end", stdout);
    fputs("stderr too", stderr);
    return 0;
}
