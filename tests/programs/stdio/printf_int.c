// printf's integer, character, string and %n conversions with every flag, width, precision and
// length modifier, written to stdout and returned through snprintf.
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void show(const char *format, long long value) {
    char buffer[128];
    int length = snprintf(buffer, sizeof buffer, format, value);
    printf("%-12s|%s| (%d)\n", format, buffer, length);
}

int main(void) {
    static const long long values[] = {0, 1, -1, 42, -42, 255, 65535, 2147483647LL, -2147483647LL - 1,
                                       4294967295LL, LLONG_MAX, LLONG_MIN, 1234567890123LL};
    static const char *formats[] = {"%lld", "%+lld", "% lld", "%-8lld", "%08lld", "%.5lld", "%8.3lld",
                                    "%-+10lld", "%llx", "%#llx", "%llX", "%#llX", "%llo", "%#llo",
                                    "%llu", "%20llu", "%-20llu.", "%.0lld", "%#.0llo", "%+.0lld"};
    for (size_t f = 0; f < sizeof formats / sizeof *formats; f++)
        for (size_t v = 0; v < sizeof values / sizeof *values; v++)
            show(formats[f], values[v]);

    printf("[%d] [%i] [%u] [%x] [%o]\n", INT_MIN, INT_MAX, UINT_MAX, 0xdeadbeefu, 0777u);
    printf("[%hhd] [%hhu] [%hd] [%hu] [%hhx]\n", (char)200, (unsigned char)200, (short)40000,
           (unsigned short)40000, (unsigned char)0x1ff);
    printf("[%ld] [%lu] [%lx]\n", (long)LONG_MIN, (unsigned long)ULONG_MAX, (unsigned long)0x123456789abcdefUL);
    printf("[%jd] [%ju] [%zd] [%zu] [%td]\n", INTMAX_MIN, UINTMAX_MAX, (ssize_t)-5, (size_t)12345,
           (ptrdiff_t)-77);
    printf("[%" PRId8 "] [%" PRIu16 "] [%" PRIx32 "] [%" PRId64 "] [%" PRIu64 "]\n", (int8_t)-128,
           (uint16_t)65535, (uint32_t)0xcafef00d, (int64_t)INT64_MIN, (uint64_t)UINT64_MAX);
    printf("[%*d] [%-*d] [%.*d] [%*.*d]\n", 6, 42, 6, 42, 4, 7, 8, 3, -5);
    printf("[%c] [%3c] [%-3c] [%c]\n", 'x', 'y', 'z', 65);
    printf("[%s] [%10s] [%-10s] [%.3s] [%10.2s] [%s]\n", "hello", "right", "left", "truncate", "ab", "");
    printf("[%%] [100%%]\n");
    int count = 0, count2 = 0;
    printf("abc%n def%nxyz\n", &count, &count2);
    printf("%%n: %d %d\n", count, count2);
    printf("[%2$s %1$s] [%3$*4$d]\n", "world", "hello", 7, 5);

    char small[8];
    int needed = snprintf(small, sizeof small, "%s-%d", "truncated", 123456);
    printf("snprintf: needed %d, got \"%s\" (%zu)\n", needed, small, strlen(small));
    printf("snprintf(NULL, 0): %d\n", snprintf(NULL, 0, "%lld and %s", LLONG_MIN, "more"));
    char big[64];
    sprintf(big, "%05d|%-5d|%5s|", -42, -42, "ab");
    puts(big);
    return 0;
}
