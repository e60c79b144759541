// A program started the way the reference WALI libc starts it (ABI.md 3.3): `_start` calls
// `main` and then only `__deinit` and `__proc_exit`, never musl's `__stdio_exit`. Output still in
// stdout's full buffer when main returns must reach the file all the same, as natively, where
// returning from main flushes. The WALI build uses its own `_start` (-nostartfiles); the native
// build starts normally.
// wasm-cflags: -nostartfiles
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __wasm__
#define WALI_IMPORT(name) __attribute__((__import_module__("wali"), __import_name__(name)))
int wali_deinit(void) WALI_IMPORT("__deinit");
void wali_proc_exit(int) WALI_IMPORT("__proc_exit");
/* Our libc's start-up without its flushing finish: __init, TLS, argv, environment. */
void __wali_libc_start(void);
int main(int, char **);

void _start(void) {
    __wali_libc_start();
    int r = main(1, NULL);
    if (r) wali_proc_exit(r);
    wali_proc_exit(wali_deinit());
}
#endif

int main(int argc, char **argv) {
    /* An exit() on some path, as real programs have, links musl's __stdio_exit in. */
    if (argc > 1) exit(2);
    (void)argv;
    char line[64];
    memset(line, 'x', sizeof line - 1);
    line[sizeof line - 1] = 0;
    /* Less than a buffer: nothing is written before exit. */
    for (int i = 0; i < 10; i++) printf("%d %s\n", i, line);
    fputs("and no newline at the end", stdout);
    return 0;
}
