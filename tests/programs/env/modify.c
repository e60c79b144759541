// Changing the environment: setenv with and without overwrite, unsetenv (also of names set twice
// and of unset names), putenv of a buffer the program later changes, error cases (EINVAL), and
// clearenv; the resulting environment is printed sorted, since where a new variable lands in
// environ is the C library's choice.
// env: KEEP=kept CHANGE=old REMOVE=gone EMPTY=
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static int compare(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void dump(const char *title) {
    char *copy[256];
    int count = 0;
    for (char **entry = environ; entry && *entry && count < 256; entry++)
        copy[count++] = *entry;
    qsort(copy, (size_t)count, sizeof *copy, compare);
    printf("%s (%d):", title, count);
    for (int i = 0; i < count; i++)
        printf(" [%s]", copy[i]);
    printf("\n");
}

static void show(const char *name) {
    const char *value = getenv(name);
    printf("  %s=%s%s%s\n", name, value ? "[" : "", value ? value : "NULL", value ? "]" : "");
}

int main(void) {
    dump("start");
    printf("setenv new: %d\n", setenv("NEW", "fresh", 0));
    printf("setenv no overwrite: %d\n", setenv("CHANGE", "ignored", 0));
    show("CHANGE");
    printf("setenv overwrite: %d\n", setenv("CHANGE", "new value", 1));
    show("CHANGE");
    printf("setenv empty value: %d\n", setenv("BLANK", "", 1));
    show("BLANK");
    printf("unsetenv: %d\n", unsetenv("REMOVE"));
    show("REMOVE");
    printf("unsetenv of an unset name: %d\n", unsetenv("NEVER_SET"));
    // Each call is made before printf reads errno (argument evaluation order is unspecified).
    errno = 0;
    int result = setenv("BAD=NAME", "x", 1);
    printf("setenv with '=' in the name: %d, EINVAL %d\n", result, errno == EINVAL);
    errno = 0;
    result = setenv("", "x", 1);
    printf("setenv with an empty name: %d, EINVAL %d\n", result, errno == EINVAL);
    errno = 0;
    result = unsetenv("");
    printf("unsetenv with an empty name: %d, EINVAL %d\n", result, errno == EINVAL);
    dump("after setenv/unsetenv");

    static char buffer[] = "PUT=first";
    printf("putenv: %d\n", putenv(buffer));
    show("PUT");
    strcpy(buffer + 4, "later");
    printf("after changing putenv's buffer:\n");
    show("PUT");
    static char replacement[] = "KEEP=replaced by putenv";
    putenv(replacement);
    show("KEEP");
    for (int i = 0; i < 50; i++) {
        char name[16], value[16];
        snprintf(name, sizeof name, "GROW%02d", i);
        snprintf(value, sizeof value, "%d", i * i);
        setenv(name, value, 1);
    }
    for (int i = 0; i < 50; i += 2) {
        char name[16];
        snprintf(name, sizeof name, "GROW%02d", i);
        unsetenv(name);
    }
    show("GROW49");
    show("GROW48");
    dump("after 50 setenv and 25 unsetenv");
    printf("clearenv: %d\n", clearenv());
    show("KEEP");
    dump("after clearenv");
    setenv("AFTER", "clear", 1);
    dump("set after clearenv");
    return 0;
}
