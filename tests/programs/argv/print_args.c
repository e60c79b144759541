// Prints argc and every argument with its length, byte for byte, and checks argv[argc] == NULL:
// no arguments, spaces, empty arguments, quotes and shell metacharacters, non-ASCII bytes, 1000
// arguments, and long arguments.
// case: none
// case: spaces
// args: "two words" "  leading and trailing  " "tab	inside" a
// case: empty
// args: '' x '' '' y ''
// case: special
// args: '"double"' "'single'" 'back\slash' '$HOME' '*' '-' '--' '-x' '--flag=value' ';|&<>' '#not a comment'
// case: bytes
// args: 'héllo wörld' '日本語' '€'
// case: many
// args-generate: 1000 arg-{}
// case: long
// args-generate: 100 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-{}
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    printf("argc = %d\n", argc);
    size_t total = 0;
    for (int i = 0; i < argc; i++) {
        size_t length = strlen(argv[i]);
        total += length;
        printf("argv[%d] (%zu) = [", i, length);
        for (const unsigned char *p = (const unsigned char *)argv[i]; *p; p++) {
            if (*p >= 0x20 && *p < 0x7f)
                putchar(*p);
            else
                printf("\\x%02x", *p);
        }
        printf("]\n");
    }
    printf("argv[argc] is %s, %zu bytes in all\n", argv[argc] ? "not NULL" : "NULL", total);
    return argc > 255 ? 255 : argc;
}
