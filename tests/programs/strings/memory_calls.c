// memcpy, memmove and memset called as functions, every length up to 100 at every alignment and
// every overlap distance up to 40 both ways. memory_functions.c calls them directly, which the
// compiler turns into inline code or one memory.copy / memory.fill; here the calls go through
// volatile function pointers so they reach the C library's own functions (whose short lengths are
// inline code and whose long ones are memory.copy / memory.fill in WALI), and through wrappers
// that call memmove/memset with a variable length (memory.copy / memory.fill at every length).
#include <stdio.h>
#include <string.h>

typedef void *copy_function(void *, const void *, size_t);
typedef void *fill_function(void *, int, size_t);

static void *move_in_wrapper(void *to, const void *from, size_t length) { return memmove(to, from, length); }
static void *fill_in_wrapper(void *to, int value, size_t length) { return memset(to, value, length); }

static copy_function *volatile library_copy = memcpy;
static copy_function *volatile library_move = memmove;
static fill_function *volatile library_fill = memset;
static copy_function *volatile wrapped_move = move_in_wrapper;
static fill_function *volatile wrapped_fill = fill_in_wrapper;

#define SIZE 256
static unsigned char buffer[SIZE], expected[SIZE], source[SIZE];

static void pattern(unsigned char *p, size_t n, unsigned seed) {
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(seed * 7 + i * 13 + 1);
}

// Copies between separate buffers: wrong bytes over every length and both alignments.
static unsigned check_copy(copy_function *copy, const char *name) {
    unsigned wrong = 0, layouts = 0;
    for (size_t length = 0; length <= 100; length++)
        for (size_t from = 0; from < 8; from++)
            for (size_t to = 0; to < 8; to++) {
                pattern(source, SIZE, (unsigned)length);
                memset(buffer, 0xee, SIZE);
                void *result = copy(buffer + 16 + to, source + from, length);
                wrong += result != buffer + 16 + to;
                for (size_t i = 0; i < SIZE; i++) {
                    size_t start = 16 + to;
                    unsigned char want = (i >= start && i < start + length) ? source[from + i - start] : 0xee;
                    wrong += buffer[i] != want;
                }
                layouts++;
            }
    printf("%s: %u layouts, %u wrong\n", name, layouts, wrong);
    return wrong;
}

// Moves within one buffer, source after and before the destination by up to 40 bytes.
static unsigned check_move(copy_function *move, const char *name) {
    unsigned wrong = 0, layouts = 0;
    for (size_t length = 0; length <= 100; length++)
        for (int shift = -40; shift <= 40; shift++) {
            size_t from = 80, to = (size_t)(80 + shift);
            pattern(buffer, SIZE, (unsigned)length);
            memcpy(expected, buffer, SIZE);
            for (size_t i = 0; i < length; i++)
                expected[to + i] = buffer[from + i];
            void *result = move(buffer + to, buffer + from, length);
            wrong += result != buffer + to;
            for (size_t i = 0; i < SIZE; i++)
                wrong += buffer[i] != expected[i];
            layouts++;
        }
    printf("%s: %u overlaps, %u wrong\n", name, layouts, wrong);
    return wrong;
}

static unsigned check_fill(fill_function *fill, const char *name) {
    unsigned wrong = 0, layouts = 0;
    for (size_t length = 0; length <= 100; length++)
        for (size_t offset = 0; offset < 8; offset++) {
            memset(buffer, 0x11, SIZE);
            // Only the low byte of the value counts.
            void *result = fill(buffer + 16 + offset, 0x3ab + (int)length, length);
            wrong += result != buffer + 16 + offset;
            unsigned char value = (unsigned char)(0xab + length);
            for (size_t i = 0; i < SIZE; i++) {
                size_t start = 16 + offset;
                wrong += buffer[i] != ((i >= start && i < start + length) ? value : 0x11);
            }
            layouts++;
        }
    printf("%s: %u layouts, %u wrong\n", name, layouts, wrong);
    return wrong;
}

int main(void) {
    unsigned wrong = 0;
    wrong += check_copy(library_copy, "memcpy");
    wrong += check_copy(library_move, "memmove apart");
    wrong += check_move(library_move, "memmove");
    wrong += check_fill(library_fill, "memset");
    wrong += check_copy(wrapped_move, "memmove in wrapper, apart");
    wrong += check_move(wrapped_move, "memmove in wrapper");
    wrong += check_fill(wrapped_fill, "memset in wrapper");
    printf("%s\n", wrong ? "FAILED" : "all correct");
    return wrong != 0;
}
