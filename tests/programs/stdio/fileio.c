// stdio on files in the current directory: fopen modes, fprintf/fscanf, fseek/ftell/rewind,
// fread/fwrite of binary data, ungetc, append mode, freopen, remove and rename. The files left
// behind are compared too.
#include <stdio.h>
#include <string.h>

int main(void) {
    FILE *f = fopen("numbers.txt", "w");
    if (!f)
        return 1;
    for (int i = 1; i <= 20; i++)
        fprintf(f, "%d %d\n", i, i * i);
    printf("ftell after writing: %ld\n", ftell(f));
    fclose(f);

    f = fopen("numbers.txt", "r");
    int a, b, sum = 0, lines = 0;
    while (fscanf(f, "%d %d", &a, &b) == 2) {
        sum += b;
        lines++;
    }
    printf("read %d lines, sum of squares %d, feof %d\n", lines, sum, feof(f) != 0);
    rewind(f);
    char line[64];
    fgets(line, sizeof line, f);
    printf("first line again: %s", line);
    fseek(f, -6, SEEK_END);
    fgets(line, sizeof line, f);
    printf("last 6 bytes: %s", line);
    fseek(f, 10, SEEK_SET);
    int c = fgetc(f);
    ungetc('#', f);
    int pushed_back = fgetc(f);
    printf("at 10: %c, after ungetc: %c, ftell %ld\n", c, pushed_back, ftell(f));
    fclose(f);

    f = fopen("numbers.txt", "a");
    fputs("appended\n", f);
    fclose(f);
    f = fopen("numbers.txt", "r+");
    fputs("XX", f);
    fseek(f, 0, SEEK_END);
    printf("size after append: %ld\n", ftell(f));
    fclose(f);

    unsigned char data[1024];
    for (int i = 0; i < 1024; i++)
        data[i] = (unsigned char)(i * 7 + 3);
    f = fopen("data.bin", "wb+");
    size_t written = fwrite(data, 4, 256, f);
    rewind(f);
    unsigned char back[1024] = {0};
    size_t read = fread(back, 1, sizeof back, f);
    printf("binary: wrote %zu items, read %zu bytes, equal %d\n", written, read, memcmp(data, back, 1024) == 0);
    size_t at_end = fread(back, 1, 1, f);
    printf("fread at EOF: %zu, feof %d\n", at_end, feof(f) != 0);
    fclose(f);

    f = fopen("missing/file.txt", "r");
    printf("fopen of a missing file: %s\n", f ? "opened" : "NULL");
    printf("rename: %d\n", rename("data.bin", "renamed.bin"));
    f = fopen("scratch.txt", "w");
    fputs("temporary\n", f);
    fclose(f);
    int removed = remove("scratch.txt");
    printf("remove: %d, remove again: %d\n", removed, remove("scratch.txt"));

    if (!freopen("redirected.txt", "w", stdout))
        return 2;
    printf("this line went to redirected.txt through the reopened stdout\n");
    fclose(stdout);
    return 0;
}
