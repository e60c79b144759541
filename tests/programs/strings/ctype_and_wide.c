// <ctype.h> classification and case mapping of every byte and EOF in the C locale, and the wide
// string functions on ASCII text.
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>
#include <wctype.h>

int main(void) {
    for (int c = -1; c < 256; c++) {
        int classes = (isalnum(c) ? 1 : 0) | (isalpha(c) ? 2 : 0) | (iscntrl(c) ? 4 : 0) | (isdigit(c) ? 8 : 0) |
                      (isgraph(c) ? 16 : 0) | (islower(c) ? 32 : 0) | (isprint(c) ? 64 : 0) |
                      (ispunct(c) ? 128 : 0) | (isspace(c) ? 256 : 0) | (isupper(c) ? 512 : 0) |
                      (isxdigit(c) ? 1024 : 0) | (isblank(c) ? 2048 : 0);
        printf("%4d: classes %4d upper %4d lower %4d\n", c, classes, toupper(c), tolower(c));
    }

    const wchar_t *wide = L"Hello, wide world";
    wchar_t copy[64];
    wcscpy(copy, wide);
    wcscat(copy, L"!");
    printf("wcslen %zu, wcscmp %d, wcschr at %d, wcsstr at %d\n", wcslen(copy), wcscmp(copy, wide) > 0,
           (int)(wcschr(copy, L'w') - copy), (int)(wcsstr(copy, L"world") - copy));
    char narrow[64];
    size_t converted = wcstombs(narrow, copy, sizeof narrow);
    printf("wcstombs: %zu [%s]\n", converted, narrow);
    wchar_t back[64];
    printf("mbstowcs: %zu\n", mbstowcs(back, "ascii only", 64));
    printf("towupper: %lc%lc, iswalpha('3') %d, wcstol %ld\n", (wint_t)towupper(L'a'), (wint_t)towlower(L'Q'),
           iswalpha(L'3') != 0, wcstol(L"  -1234xyz", NULL, 10));
    wchar_t formatted[64];
    swprintf(formatted, 64, L"%d-%ls-%05.1f", 42, L"wide", 3.14159);
    printf("swprintf: %ls\n", formatted);
    return 0;
}
