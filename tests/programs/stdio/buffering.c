// stdio buffering as a program observes it in its output. Each case picks stdout's mode with
// setvbuf before any output (the only time C allows it), then mixes stdio with raw write()s, which
// overtake whatever stdio still holds: stdout to a file is fully buffered by default, line
// buffering flushes at each newline, unbuffered writes at once. stderr is unbuffered. Also
// fflush(NULL), a large fwrite, and exit() flushing what is left, after the atexit handlers (run
// in reverse order) have printed.
// case: default
// case: line
// args: line
// case: unbuffered
// args: none
// case: own-buffer
// args: own
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void first_handler(void) { printf("atexit: registered first, runs last\n"); }
static void second_handler(void) { printf("atexit: registered second, runs first\n"); }

static char own_buffer[256];

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "default";
    if (strcmp(mode, "line") == 0)
        setvbuf(stdout, NULL, _IOLBF, 0);
    else if (strcmp(mode, "none") == 0)
        setvbuf(stdout, NULL, _IONBF, 0);
    else if (strcmp(mode, "own") == 0)
        setvbuf(stdout, own_buffer, _IOFBF, sizeof own_buffer);
    // musl flushes the very first line of a default stdout (it learns that stdout is not a
    // terminal only at its first write); one flushed line first makes both libraries steady.
    printf("start\n");
    fflush(stdout);
    atexit(first_handler);
    atexit(second_handler);

    printf("mode %s: part of a line, ", mode);
    write(STDOUT_FILENO, "[raw 1]", 7);
    printf("the rest of the line\n");
    write(STDOUT_FILENO, "[raw 2]\n", 8);
    putchar('c');
    write(STDOUT_FILENO, "[raw 3]\n", 8);
    fflush(stdout);
    write(STDOUT_FILENO, "[raw 4 after fflush]\n", 21);

    // 151 bytes: less than any of the buffers (musl keeps 8 bytes of a buffer for ungetc).
    for (int i = 0; i < 50; i++)
        printf("%02d ", i);
    printf("\n");
    write(STDOUT_FILENO, "[raw 5]\n", 8);

    fputs("stderr is unbuffered: ", stderr);
    write(STDERR_FILENO, "[raw 6]", 7);
    fputs("\n", stderr);
    fprintf(stderr, "fprintf to stderr: %d %s\n", 42, "ok");
    fflush(NULL);

    char block[10000];
    for (size_t i = 0; i < sizeof block; i++)
        block[i] = (char)('a' + i % 26);
    block[sizeof block - 1] = '\n';
    size_t written = fwrite(block, 1, sizeof block, stdout);
    fflush(stdout);
    printf("fwrite wrote %zu\n", written);
    puts("puts adds a newline");
    printf("%s", "left in the buffer for exit() to flush");
    exit(3);
}
