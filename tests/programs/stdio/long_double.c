// long double: printf's %Lf/%Le/%Lg, strtold, scanf's %Lf, and long double arithmetic.
// x86-64 long double is 80-bit extended (64-bit mantissa), WALI's is IEEE binary128 (113-bit):
// every value printed here is either exact in both (1e27 = 2^27 * 5^27 needs 63 bits) or printed
// with fewer digits than both get right, while still more than a double has, so a double-only
// printf would show.
// stdin: 2.5 -0.125\n1e-3 123456789.0625\n
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    long double values[] = {0.0L, -0.0L, 1.0L, -1.5L, 0.1L, 2.5L, 1e10L, 1e-10L, 123456789.125L,
                            1.0L / 3.0L, 2.0L / 3.0L, 1e27L, 1e-300L};
    const char *formats[] = {"%Lf", "%.0Lf", "%.3Lf", "%.18Lf", "%Le", "%.18Le", "%.3Le", "%Lg",
                             "%.18Lg", "%20.6Lf", "%-20.4Le|", "%+Lg", "%#.0Lf", "%LE", "%LG"};
    for (size_t f = 0; f < sizeof formats / sizeof *formats; f++)
        for (size_t v = 0; v < sizeof values / sizeof *values; v++) {
            char buffer[512];
            int length = snprintf(buffer, sizeof buffer, formats[f], values[v]);
            printf("%-10s |%s| %d\n", formats[f], buffer, length);
        }

    // 2^62 + 1 needs 63 bits: exact in both long doubles, not in a double.
    long double big = (long double)(1ULL << 62) + 1.0L;
    printf("2^62+1 = %.0Lf (as double: %.0f)\n", big, (double)big);
    long double third = 1.0L / 3.0L;
    printf("1/3 = %.18Lf\n", third);
    printf("sqrtl(2) = %.17Lf, sqrtl(16) = %Lg\n", sqrtl(2.0L), sqrtl(16.0L));
    printf("sizeof(long double) = %zu\n", sizeof(long double));
    printf("1e4000L is %s\n", isinf(strtold("1e4000", NULL)) ? "inf" : "finite");
    printf("LDBL_DIG >= 18: %d\n", LDBL_DIG >= 18);
    printf("inf %Lf nan %Lf\n", (long double)INFINITY, (long double)NAN);

    const char *inputs[] = {"0", "1.5", "-2.25e3", "0x1.8p1", "  42abc", "1e-5", "123456789012345678",
                            "0.1", "inf", "-infinity", "nan", "", "abc", "1e5000", "9.87654321e-7"};
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
        char *end;
        long double value = strtold(inputs[i], &end);
        printf("strtold(\"%s\") = %.15Lg, consumed %d\n", inputs[i], value, (int)(end - inputs[i]));
    }

    long double a, b, sum = 0;
    int lines = 0;
    while (scanf("%Lf %Lf", &a, &b) == 2) {
        printf("read %.10Lg and %.10Lg\n", a, b);
        sum += a * b;
        lines++;
    }
    printf("%d pairs, sum of products %.12Lf\n", lines, sum);

    long double x = 0;
    for (int i = 1; i <= 100; i++)
        x += 1.0L / ((long double)i * i);
    printf("sum 1/i^2 for i<=100 = %.15Lf\n", x);
    long double parsed;
    if (sscanf("3.25 rest", "%Lg", &parsed) == 1)
        printf("sscanf %%Lg: %Lg\n", parsed);
    return 0;
}
