// sscanf's conversions, widths, scan sets, %n and return values; scanf and the line functions
// reading standard input.
// stdin: 10 20 0x1f 017 word\n
// stdin: line two has spaces\n
// stdin: 3.5 -7e2 text
// stdin: \nlast line without newline
#include <stdio.h>
#include <string.h>

int main(void) {
    int a = 0, b = 0, c = 0, n = 0;
    unsigned u = 0;
    long long ll = 0;
    double d = 0;
    float f = 0;
    char word[32] = "", rest[64] = "";
    int got; // each sscanf runs before printf reads what it stored

    got = sscanf("12 34", "%d %d", &a, &b);
    printf("%d: %d %d\n", got, a, b);
    got = sscanf("0x1A 012 -9", "%i %i %i", &a, &b, &c);
    printf("%d: %i %i %i\n", got, a, b, c);
    got = sscanf("ff 777", "%x %o", &a, &b);
    printf("%d: %x %o\n", got, a, b);
    got = sscanf("4294967295", "%u", &u);
    printf("%d: %u\n", got, u);
    got = sscanf("-9223372036854775808", "%lld", &ll);
    printf("%d: %lld\n", got, ll);
    got = sscanf("1.25e-3 3.5", "%lf %f", &d, &f);
    printf("%d: %.17g %.9g\n", got, d, (double)f);
    got = sscanf("hello world", "%s %s", word, rest);
    printf("%d: %s|%s\n", got, word, rest);
    got = sscanf("abcdefgh", "%3s", word);
    printf("%d: [%s]\n", got, word);
    got = sscanf("12345", "%2d%3d", &a, &b);
    printf("%d: %d %d\n", got, a, b);
    got = sscanf("key=value;x", "%[a-z]=%[^;]", word, rest);
    printf("%d: [%s] [%s]\n", got, word, rest);
    got = sscanf("   padded", "%s", word);
    printf("%d: [%s]\n", got, word);
    got = sscanf("77 tail", "%d%n", &a, &n);
    printf("%d: %d n=%d\n", got, a, n);
    got = sscanf("1 2 3", "%*d %*d %d", &a);
    printf("%d: %d\n", got, a);
    got = sscanf("xy", "%c%c", &word[0], &word[1]);
    printf("%d: [%c%c]\n", got, word[0], word[1]);
    got = sscanf("", "%d", &a);
    printf("%d\n", got);
    got = sscanf("abc", "%d", &a);
    printf("%d\n", got);
    got = sscanf("5,6", "%d,%d", &a, &b);
    printf("%d: %d\n", got, b);
    got = sscanf("100%", "%d%%", &a);
    printf("%d: %d\n", got, a);
    got = sscanf("inf", "%lf", &d);
    printf("%d: %.17g\n", got, d);
    got = sscanf("0x1.8p3", "%lf", &d);
    printf("%d: %.17g\n", got, d);

    int x, y, hex, oct;
    char token[16];
    got = scanf("%d %d %x %o %15s", &x, &y, &hex, &oct, token);
    printf("scanf: %d -> %d %d %d %d %s\n", got, x, y, hex, oct, token);
    int ch = getchar();
    printf("next char: %d\n", ch);
    char line[128];
    if (fgets(line, sizeof line, stdin))
        printf("fgets: [%s]\n", strtok(line, "\n"));
    double p, q;
    got = scanf("%lf %lf %15s", &p, &q, token);
    printf("scanf: %d -> %g %g %s\n", got, p, q, token);
    ungetc('Z', stdin);
    printf("after ungetc: %c\n", getchar());
    while (fgets(line, sizeof line, stdin))
        printf("line: [%s] (%zu)\n", line, strlen(line));
    printf("feof %d ferror %d, getchar at EOF %d\n", feof(stdin) != 0, ferror(stdin) != 0, getchar());
    return 0;
}
