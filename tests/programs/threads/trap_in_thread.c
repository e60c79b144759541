// A thread that dies of a fault ends the whole process; the main thread's output before it stays.
// wasm-exit: 134
// wasm-stderr: walic: wasm trap: out of bounds memory access
// native-signal: SIGSEGV
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *crash(void *arg) {
    volatile int *p = (volatile int *)arg;
    usleep(10000);
    return (void *)(long)*p;
}

int main(void) {
    printf("main running\n");
    fflush(stdout);
    pthread_t t;
    pthread_create(&t, NULL, crash, (void *)(long)0xfffffff0u);
    for (;;) {
        pause();
    }
}
