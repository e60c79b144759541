// A function that calls setjmp also calls through function pointers of another type (its calls
// are guarded, so the adapted call goes through the guarded-call path), and a function reached
// through a cast pointer longjmps back out, as bash's top-level error handling does.
// cflags: -Wno-incompatible-function-pointer-types -Wno-cast-function-type
#include <setjmp.h>
#include <stdio.h>

static jmp_buf top_level;

typedef int (*handler)(int, int);

static int add_one(int x) { return x + 1; }
static void bail_out(int code) { longjmp(top_level, code); }
static int sum(int a, int b) { return a + b; }

static handler volatile handlers[] = {(handler)add_one, (handler)bail_out, sum};

int main(void) {
    volatile int rounds = 0;
    volatile long total = 0;
    int code = setjmp(top_level);
    if (code) printf("back at top level with %d after %d rounds\n", code, rounds);
    while (rounds < 5) {
        rounds++;
        total += handlers[0](rounds, 1000);
        total += handlers[2](rounds, 10);
        if (rounds % 2 == 0) handlers[1](rounds * 3, 0);
    }
    printf("total %ld\n", total);
    return 0;
}
