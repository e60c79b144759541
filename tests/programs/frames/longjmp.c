// longjmp across functions whose -O0 frames walic promotes to registers. The program relies
// only on what C defines: in the function that called setjmp, locals not changed after setjmp
// and volatile locals keep their values; functions between setjmp and longjmp are abandoned; a
// promoted function whose callee uses setjmp/longjmp internally keeps all its locals.
// cflags: -O0
#include <setjmp.h>
#include <stdio.h>

static jmp_buf env;

static int descend(int depth, int limit) {
    int mine = depth * 3;
    long long wide = (long long)depth << 32;
    if (depth == limit) longjmp(env, depth + 1);
    return descend(depth + 1, limit) + mine + (int)(wide >> 32);
}

static int guarded(int limit) {
    jmp_buf here;
    int r = setjmp(here);
    if (r == 0) longjmp(here, limit);
    return r;
}

static int survivor(int n) {
    // All of these are promoted; the call in the middle does setjmp/longjmp below this frame.
    int a = n;
    double b = n * 0.25;
    short c = (short)(n * 2);
    int r = guarded(n + 1);
    return a + (int)(b * 4) + c + r;
}

int main(void) {
    int unchanged = 42;
    volatile int changed = 0;
    volatile int rounds = 0;
    int code = setjmp(env);
    rounds++;
    if (code != 0) changed += code;
    if (rounds < 20) descend(0, rounds * 3);
    printf("unchanged %d changed %d rounds %d\n", unchanged, changed, rounds);
    long long s = 0;
    for (int i = 0; i < 1000; i++) s += survivor(i);
    printf("survivor %lld\n", s);
    return 0;
}
