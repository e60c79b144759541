// A word counter: counts the lines, words and bytes of files (or of standard input), like the
// POSIX utility wc.
//
//   wc [-l] [-w] [-c] [FILE...]
//
// Without options it prints all three counts. With several files it also prints a total. A file
// that cannot be read is reported on stderr and makes the exit status 1.
//
// The differential suite runs it too (tests/README.md), on its own source:
// args: -lwc wc.c missing.txt -
// files: wc.c
// stdin: one two three\nfour five\n\n  six  \n
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct counts {
    unsigned long long lines, words, bytes;
};

static int show_lines, show_words, show_bytes;

static void count_stream(FILE *stream, struct counts *counts) {
    static char buffer[65536];
    int in_word = 0;
    size_t got;
    while ((got = fread(buffer, 1, sizeof buffer, stream)) > 0) {
        counts->bytes += got;
        for (size_t i = 0; i < got; i++) {
            unsigned char c = (unsigned char)buffer[i];
            if (c == '\n')
                counts->lines++;
            if (isspace(c)) {
                in_word = 0;
            } else if (!in_word) {
                in_word = 1;
                counts->words++;
            }
        }
    }
}

static void print_counts(const struct counts *counts, const char *name) {
    if (show_lines)
        printf("%8llu", counts->lines);
    if (show_words)
        printf("%8llu", counts->words);
    if (show_bytes)
        printf("%8llu", counts->bytes);
    if (name)
        printf(" %s", name);
    printf("\n");
}

int main(int argc, char **argv) {
    int option;
    while ((option = getopt(argc, argv, "lwc")) != -1) {
        switch (option) {
        case 'l':
            show_lines = 1;
            break;
        case 'w':
            show_words = 1;
            break;
        case 'c':
            show_bytes = 1;
            break;
        default:
            fprintf(stderr, "usage: wc [-l] [-w] [-c] [FILE...]\n");
            return 2;
        }
    }
    if (!show_lines && !show_words && !show_bytes)
        show_lines = show_words = show_bytes = 1;

    int status = 0, files = argc - optind;
    struct counts total = {0, 0, 0};
    if (files == 0) {
        count_stream(stdin, &total);
        print_counts(&total, NULL);
        return 0;
    }
    for (int i = optind; i < argc; i++) {
        const char *name = argv[i];
        int is_stdin = strcmp(name, "-") == 0;
        FILE *stream = is_stdin ? stdin : fopen(name, "r");
        if (!stream) {
            fprintf(stderr, "wc: %s: %s\n", name, strerror(errno));
            status = 1;
            continue;
        }
        struct counts counts = {0, 0, 0};
        count_stream(stream, &counts);
        if (ferror(stream)) {
            fprintf(stderr, "wc: %s: read error\n", name);
            status = 1;
        }
        if (!is_stdin)
            fclose(stream);
        print_counts(&counts, name);
        total.lines += counts.lines;
        total.words += counts.words;
        total.bytes += counts.bytes;
    }
    if (files > 1)
        print_counts(&total, "total");
    return status;
}
