// Shadow-stack frames whose address escapes stay in memory: locals whose address is passed to
// a function that changes them, a struct filled through a pointer, an array indexed by a
// variable, a pointer to a local kept in another local. Built at -O0, where every C local lives
// in the frame, so walic's frame promotion sees each of these.
// cflags: -O0
#include <stdio.h>
#include <string.h>

struct point { int x; long long y; double z; };

static void bump(int *p, int by) { *p += by; }
static void fill(struct point *p, int k) { p->x = k; p->y = (long long)k << 33; p->z = k * 0.5; }
static int sum(const int *a, int n) { int s = 0; for (int i = 0; i < n; i++) s += a[i]; return s; }

static int counted(int n) {
    int total = 0;
    for (int i = 0; i < n; i++) bump(&total, i);
    return total;
}

static long long structs(int n) {
    struct point p;
    long long acc = 0;
    for (int i = 0; i < n; i++) {
        fill(&p, i);
        acc += p.x + p.y + (long long)p.z;
    }
    return acc;
}

static int arrays(int n) {
    int a[16];
    for (int i = 0; i < 16; i++) a[i] = i * n;
    int j = n % 16;
    a[j] = -1;
    return sum(a, 16) + a[j];
}

static int aliases(int n) {
    int x = n;
    int *p = &x;
    int **pp = &p;
    **pp += 5;
    *p *= 2;
    return x;
}

static int half_words(long long v) {
    // The low and high halves of a long long read through a pointer of another type.
    long long w = v;
    unsigned int lo, hi;
    memcpy(&lo, &w, 4);
    memcpy(&hi, (char *)&w + 4, 4);
    return (int)(lo ^ hi);
}

int main(void) {
    printf("counted %d\n", counted(1000));
    printf("structs %lld\n", structs(100));
    printf("arrays %d\n", arrays(37));
    printf("aliases %d\n", aliases(11));
    printf("half_words %d\n", half_words(0x123456789abcdefLL));
    return 0;
}
