// Number <-> string conversions: strtol/strtoul/strtoll/strtoull in every base with overflow
// (ERANGE; whether "no digits" sets EINVAL is the C library's choice, so only ERANGE is shown) and
// end pointers, atoi/atol, strtod/strtof including hex floats and rounding of long
// inputs, and round trips through printf's %.17g.
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *inputs[] = {"0",          "42",         "-42",        "+17",        "  \t 99xyz",
                               "0x1F",       "0X1f",       "077",        "0b101",      "zz",
                               "Zz",         "2147483647", "2147483648", "-2147483649", "9223372036854775807",
                               "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
                               "18446744073709551615", "18446744073709551616", "-1", "", "   ", "-",
                               "0x",         "1e5",        "123abc",     "1_000"};

int main(void) {
    static const int bases[] = {0, 2, 8, 10, 16, 36};
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
        for (size_t b = 0; b < sizeof bases / sizeof *bases; b++) {
            char *end;
            errno = 0;
            long long s = strtoll(inputs[i], &end, bases[b]);
            int s_errno = errno == ERANGE;
            int s_used = (int)(end - inputs[i]);
            errno = 0;
            unsigned long long u = strtoull(inputs[i], &end, bases[b]);
            int u_errno = errno == ERANGE;
            int u_used = (int)(end - inputs[i]);
            errno = 0;
            long l = strtol(inputs[i], &end, bases[b]);
            int l_errno = errno == ERANGE;
            errno = 0;
            unsigned long ul = strtoul(inputs[i], &end, bases[b]);
            int ul_errno = errno == ERANGE;
            printf("%-24s base %2d: ll %lld (%d, ERANGE %d) ull %llu (%d, ERANGE %d) l %ld (ERANGE %d) ul %lu (ERANGE %d)\n",
                   inputs[i], bases[b], s, s_used, s_errno, u, u_used, u_errno, l, l_errno, ul, ul_errno);
        }
    }
    printf("atoi: %d %d %d, atol: %ld, atoll: %lld\n", atoi("123"), atoi("-7x"), atoi("x"), atol("-99999"),
           atoll("123456789012"));
    printf("strtoimax: %jd, strtoumax: %ju\n", strtoimax("-12345678901234", NULL, 10), strtoumax("ffffffff", NULL, 16));

    static const char *floats[] = {"0",      "-0",        "1.5",     ".5",        "5.",         "1e10",
                                   "1E-10",  "0x1p4",     "0x1.8p-1", "0X.8P1",   "inf",        "-INF",
                                   "infinity", "nan",     "1e309",   "-1e309",    "1e-320",     "1e-400",
                                   "3.14159265358979323846264338327950288", "0.1000000000000000055511151231257827",
                                   "2.2250738585072011e-308", "9007199254740993", "123.456abc", "  -7.25e+2 ", "e5",
                                   "0.30000000000000004441", "1.7976931348623158e308", "4.9406564584124654e-324"};
    for (size_t i = 0; i < sizeof floats / sizeof *floats; i++) {
        char *end;
        errno = 0;
        double d = strtod(floats[i], &end);
        // ERANGE must be set on overflow and on underflow to zero; for a subnormal result, and
        // for EINVAL on no digits, the C libraries may differ.
        int d_range = (isinf(d) || d == 0) && errno == ERANGE;
        int used = (int)(end - floats[i]);
        errno = 0;
        float f = strtof(floats[i], NULL);
        int f_range = (isinf(f) || f == 0) && errno == ERANGE;
        printf("strtod(\"%s\") = %.17g (%d, ERANGE %d) strtof = %.9g (ERANGE %d)\n", floats[i], d, used, d_range,
               (double)f, f_range);
    }

    double round_trip[] = {0.1, 1.0 / 3.0, 2.0 / 3.0, 1e23, 5e-324, 1.7976931348623157e308, 123456.789,
                           0.3, 9007199254740993.0};
    int exact = 0;
    for (size_t i = 0; i < sizeof round_trip / sizeof *round_trip; i++) {
        char text[64];
        snprintf(text, sizeof text, "%.17g", round_trip[i]);
        exact += strtod(text, NULL) == round_trip[i];
        printf("round trip %s\n", text);
    }
    printf("%d of %zu round trips exact\n", exact, sizeof round_trip / sizeof *round_trip);
    return 0;
}
