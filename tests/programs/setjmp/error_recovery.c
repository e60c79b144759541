// Lua-style error recovery: a protected call sets a jmp_buf, errors thrown from nested calls
// longjmp back to it, 100,000 times, with nested protected calls and values passed through.
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

struct handler {
    jmp_buf buf;
    struct handler *previous;
    volatile int status;
};

static struct handler *current;
static long depth_reached;

static void throw_error(int code) {
    current->status = code;
    longjmp(current->buf, code);
}

static int protected_call(void (*f)(void *), void *arg) {
    struct handler h;
    h.previous = current;
    h.status = 0;
    current = &h;
    if (setjmp(h.buf) == 0) {
        f(arg);
    }
    current = h.previous;
    return h.status;
}

static void recurse(int n, int throw_at) {
    char frame[64];
    memset(frame, n, sizeof frame);
    depth_reached += frame[n % 64] != 0;
    if (n == throw_at) {
        throw_error(n + 1);
    }
    if (n < 40) {
        recurse(n + 1, throw_at);
    }
}

static void body(void *arg) {
    int i = *(int *)arg;
    recurse(0, i % 50);
}

static void inner_fails(void *arg) {
    (void)arg;
    throw_error(7);
}

static void outer(void *arg) {
    int *result = arg;
    // A nested protected call catches its own error; the outer one then throws another.
    *result = protected_call(inner_fails, NULL);
    throw_error(*result + 100);
}

int main(void) {
    long sum = 0;
    int caught = 0;
    for (int i = 0; i < 100000; i++) {
        int status = protected_call(body, &i);
        if (status != 0) {
            caught++;
            sum += status;
        }
    }
    printf("caught %d errors, status sum %ld, depth %ld\n", caught, sum, depth_reached);

    int inner = 0;
    int status = protected_call(outer, &inner);
    printf("nested: inner %d outer %d\n", inner, status);

    // longjmp with 0 makes setjmp return 1.
    jmp_buf b;
    volatile int rounds = 0;
    int r = setjmp(b);
    if (rounds++ == 0) {
        longjmp(b, 0);
    }
    printf("setjmp after longjmp(0) returned %d after %d rounds\n", r, rounds);

    // Locals modified between setjmp and longjmp keep their values when volatile.
    volatile int counter = 0;
    jmp_buf c;
    if (setjmp(c) < 5) {
        counter++;
        longjmp(c, counter);
    }
    printf("counter %d\n", counter);
    return 0;
}
