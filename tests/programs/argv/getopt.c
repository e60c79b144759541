// getopt over realistic command lines: combined flags, attached and separate option arguments,
// unknown options and missing arguments (reported through opterr = 0), "--", and operands. The
// option string starts with '+' so glibc stops at the first operand as POSIX (and musl) do.
// case: simple
// args: -a -b value file1 file2
// case: combined
// args: -abvalue -c -- -a not-an-option
// case: errors
// args: -a -z -q -b arg
// case: operands-first
// args: file -a -b x
// case: repeated
// args: -c -c -c -bone -b two -a
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv) {
    opterr = 0;
    int option;
    while ((option = getopt(argc, argv, "+ab:c")) != -1) {
        switch (option) {
        case 'a':
        case 'c':
            printf("option -%c\n", option);
            break;
        case 'b':
            printf("option -b with [%s]\n", optarg);
            break;
        case '?':
            printf("unknown option -%c\n", optopt);
            break;
        case ':':
            printf("missing argument for -%c\n", optopt);
            break;
        }
    }
    printf("optind = %d\n", optind);
    for (int i = optind; i < argc; i++)
        printf("operand [%s]\n", argv[i]);
    return 0;
}
