// Exit statuses: exit(), return from main, _exit(), atexit handlers, and buffered output.
// case: exit
// args: exit 7
// case: return
// args: return 42
// case: underscore
// args: _exit 3
// case: negative
// args: exit -1
// case: big
// args: return 300
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void goodbye(void) {
    printf("atexit handler\n");
}

int main(int argc, char **argv) {
    atexit(goodbye);
    // Fully buffered (stdout is a file): nothing reaches the file until a flush.
    printf("buffered line, no flush");
    printf("\n");
    if (argc < 3) return 1;
    int code = atoi(argv[2]);
    if (strcmp(argv[1], "exit") == 0) exit(code);
    if (strcmp(argv[1], "_exit") == 0) {
        fflush(stdout);
        _exit(code);
    }
    return code;
}
