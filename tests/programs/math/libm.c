// libm's functions on ordinary arguments, printed with 12 significant digits: enough to catch a
// wrong function or a wrong argument, few enough that two correct libms (glibc natively, musl
// in WALI) agree. Exactly rounded functions are in exact.c.
#include <math.h>
#include <stdio.h>

typedef double (*unary)(double);
struct function {
    const char *name;
    unary f;
};

#define F(name) {#name, name}
static const struct function functions[] = {
    F(sin),  F(cos),  F(tan),   F(asin),  F(acos),  F(atan),  F(sinh),  F(cosh),   F(tanh),   F(asinh),
    F(acosh), F(atanh), F(exp), F(exp2),  F(expm1), F(log),   F(log2),  F(log10),  F(log1p),  F(cbrt),
    F(erf),  F(erfc), F(tgamma), F(lgamma), F(logb),
};

static const double arguments[] = {0.25, 0.5, 0.75, 0.9, 1.5, 2.0, 3.7, 10.0, -0.3, -2.5, 100.25, 1e-3};

int main(void) {
    for (size_t f = 0; f < sizeof functions / sizeof *functions; f++) {
        printf("%-7s", functions[f].name);
        for (size_t a = 0; a < sizeof arguments / sizeof *arguments; a++) {
            double y = functions[f].f(arguments[a]);
            if (isnan(y))
                printf(" nan");
            else
                printf(" %.12g", y);
        }
        printf("\n");
    }
    printf("pow: %.12g %.12g %.12g %.12g %.12g %.12g\n", pow(2, 10), pow(2, 0.5), pow(10, -3), pow(-2, 3),
           pow(1.0001, 10000), pow(0, 0));
    printf("atan2: %.12g %.12g %.12g %.12g\n", atan2(1, 1), atan2(-1, -1), atan2(0, -1), atan2(3, 0));
    printf("hypot: %.12g %.12g %.12g\n", hypot(3, 4), hypot(1e300, 1e300), hypot(1e-300, 1e-300));
    printf("float: sinf %.6g cosf %.6g expf %.6g logf %.6g powf %.6g sqrtf %.9g\n", (double)sinf(0.5f),
           (double)cosf(0.5f), (double)expf(2.0f), (double)logf(10.0f), (double)powf(1.5f, 2.5f),
           (double)sqrtf(2.0f));
    printf("long double: sinl %.12Lg expl %.12Lg logl %.12Lg powl %.12Lg\n", sinl(0.5L), expl(1.0L), logl(10.0L),
           powl(2.0L, 0.5L));
    int sign;
    double log_gamma = lgamma_r(-2.5, &sign);
    printf("lgamma_r(-2.5) %.12g sign %d\n", log_gamma, sign);
    printf("special: exp(1000) %g log(0) %g sqrt(-1) is nan %d, atanh(1) %g, tgamma(171.7) %g\n", exp(1000), log(0),
           isnan(sqrt(-1)) != 0, atanh(1), tgamma(171.7));
    printf("jn family: j0 %.10g j1 %.10g y0 %.10g\n", j0(2.5), j1(2.5), y0(2.5));

    double accumulated = 0;
    for (int i = 1; i <= 1000; i++)
        accumulated += sin(i * 0.01) * exp(-i * 0.001) + log1p(i * 1e-3);
    printf("accumulated: %.10g\n", accumulated);
    return 0;
}
