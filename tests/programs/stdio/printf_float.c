// printf's floating-point conversions: %f, %e, %g, %a and their flags, widths and precisions,
// rounding of halfway decimal cases, infinities and NaNs, subnormals and the extremes of double.
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *formats[] = {"%f",     "%.0f",  "%.1f",   "%.3f",  "%12.4f", "%-12.2f|", "%+f",
                                "% f",    "%#.0f", "%e",     "%.0e",  "%.3e",   "%E",       "%+.2e",
                                "%g",     "%.3g",  "%.10g",  "%#g",   "%G",     "%012.3f",  "%-+12.3e|",
                                "%.17g",  "%.20f", "%a",     "%.2a",  "%A",     "%.0a",     "%#.3g"};

static const double values[] = {0.0,   -0.0,     1.0,       -1.0,        0.5,       0.1,        0.3,
                                2.5,   3.5,      -2.5,      0.125,       0.375,     1.0 / 3.0,  2.0 / 3.0,
                                100.0, 123456.0, 1234567.0, 1e15,        1e16,      1e21,       1e-5,
                                1e-4,  9.9999,   99999.95,  0.000123456, 6.02214076e23, 1.7976931348623157e308,
                                2.2250738585072014e-308, 4.9406564584124654e-324, 1e300, 1e-300,
                                3.141592653589793, 2.718281828459045, 1.5e-310};

int main(void) {
    for (size_t f = 0; f < sizeof formats / sizeof *formats; f++) {
        for (size_t v = 0; v < sizeof values / sizeof *values; v++) {
            // glibc and musl write subnormals differently in hex (0x0.0…1p-1022 vs 0x1p-1074);
            // both are right, so hex is compared for normal numbers only.
            int hex = strchr(formats[f], 'a') || strchr(formats[f], 'A');
            if (hex && values[v] != 0 && fabs(values[v]) < DBL_MIN)
                continue;
            char buffer[512];
            int length = snprintf(buffer, sizeof buffer, formats[f], values[v]);
            printf("%-10s %-26.17g |%s| %d\n", formats[f], values[v], buffer, length);
        }
    }
    printf("[%f] [%f] [%e] [%g] [%5.1f] [%-6f|]\n", INFINITY, -INFINITY, INFINITY, -INFINITY, INFINITY,
           INFINITY);
    printf("[%f] [%e] [%g] [%F] [%E] [%G]\n", NAN, NAN, NAN, INFINITY, -INFINITY, NAN);
    printf("[%f] [%.3e]\n", -NAN, -NAN);
    printf("float promoted: [%f] [%.9g] [%a]\n", 0.1f, 0.1f, 0.1f);
    printf("FLT_MAX %e, FLT_MIN %e, FLT_TRUE_MIN %e\n", FLT_MAX, FLT_MIN, 1.40129846e-45f);
    printf("%.40f\n%.60e\n", 0.1, 1.0 / 3.0);
    printf("%.325f\n", 4.9406564584124654e-324);
    printf("%f\n", 1.7976931348623157e308);
    return 0;
}
