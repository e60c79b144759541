// <string.h>: length, comparison (by sign), copying, concatenation, searching, tokenizing,
// duplication and case-insensitive comparison, including the edge cases of empty strings and
// missing matches.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int sign(int value) { return (value > 0) - (value < 0); }

static void show_position(const char *what, const char *base, const char *found) {
    if (found)
        printf("%s: at %d (\"%s\")\n", what, (int)(found - base), found);
    else
        printf("%s: not found\n", what);
}

int main(void) {
    const char *text = "the quick brown fox jumps over the lazy dog";
    printf("strlen: %zu %zu %zu\n", strlen(text), strlen(""), strnlen(text, 10));
    const char *pairs[][2] = {{"abc", "abc"}, {"abc", "abd"}, {"abd", "abc"}, {"ab", "abc"}, {"", ""},
                              {"", "a"},      {"\xff", "a"}, {"A", "a"},     {"zeta", "alpha"}};
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
        printf("cmp(\"%s\",\"%s\"): strcmp %d strncmp2 %d strcasecmp %d strncasecmp1 %d\n", pairs[i][0],
               pairs[i][1], sign(strcmp(pairs[i][0], pairs[i][1])), sign(strncmp(pairs[i][0], pairs[i][1], 2)),
               sign(strcasecmp(pairs[i][0], pairs[i][1])), sign(strncasecmp(pairs[i][0], pairs[i][1], 1)));

    char buffer[128];
    strcpy(buffer, "hello");
    strcat(buffer, ", ");
    strncat(buffer, "world!!!", 5);
    printf("strcpy/strcat/strncat: %s (%zu)\n", buffer, strlen(buffer));
    char padded[12];
    memset(padded, 'X', sizeof padded);
    strncpy(padded, "abc", 8);
    printf("strncpy pads:");
    for (size_t i = 0; i < sizeof padded; i++)
        printf(" %02x", (unsigned char)padded[i]);
    printf("\n");
    char *end = stpcpy(buffer, "stp");
    end = stpcpy(end, "cpy");
    printf("stpcpy: %s, end at %d\n", buffer, (int)(end - buffer));

    show_position("strchr o", text, strchr(text, 'o'));
    show_position("strrchr o", text, strrchr(text, 'o'));
    show_position("strchr NUL", text, strchr(text, '\0'));
    show_position("strchr z", text, strchr(text, 'Z'));
    show_position("strstr the", text, strstr(text, "the"));
    show_position("strstr lazy", text, strstr(text, "lazy"));
    show_position("strstr empty", text, strstr(text, ""));
    show_position("strstr missing", text, strstr(text, "cat"));
    show_position("strpbrk xyz", text, strpbrk(text, "xyz"));
    show_position("memchr q", text, memchr(text, 'q', strlen(text)));
    show_position("memrchr e", text, memrchr(text, 'e', strlen(text)));
    printf("strspn: %zu strcspn: %zu\n", strspn(text, "the "), strcspn(text, "xyz"));

    char csv[] = "alpha,beta,,gamma;delta";
    for (char *token = strtok(csv, ",;"); token; token = strtok(NULL, ",;"))
        printf("strtok: [%s]\n", token);
    char nested[] = "a=1&b=2&c=3";
    char *outer_state;
    for (char *pair = strtok_r(nested, "&", &outer_state); pair; pair = strtok_r(NULL, "&", &outer_state)) {
        char *inner_state;
        char *key = strtok_r(pair, "=", &inner_state);
        char *value = strtok_r(NULL, "=", &inner_state);
        printf("strtok_r: %s -> %s\n", key, value);
    }
    char sep_text[] = "one::two";
    char *cursor = sep_text, *field;
    while ((field = strsep(&cursor, ":")))
        printf("strsep: [%s]\n", field);

    char *copy = strdup(text);
    char *prefix = strndup(text, 9);
    printf("strdup: %s | strndup: %s | equal %d\n", copy, prefix, strcmp(copy, text) == 0);
    free(copy);
    free(prefix);

    printf("strcoll: %d, strxfrm: %zu\n", sign(strcoll("abc", "abd")), strxfrm(buffer, "xyz", sizeof buffer));
    printf("index/rindex: %d %d\n", (int)(index(text, 'u') - text), (int)(rindex(text, 'u') - text));
    printf("ffs: %d %d %d\n", ffs(0), ffs(1), ffs(0x80));
    return 0;
}
