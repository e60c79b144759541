// qsort with several comparators over distinct keys (strings, integers, structs), bsearch hits and
// misses, and lsearch-free manual checks. Keys are distinct: qsort is not stable anywhere.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t state = 12345;
static uint32_t next_random(void) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
}

static int compare_ints(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}
static int compare_ints_descending(const void *a, const void *b) { return compare_ints(b, a); }
static int compare_strings(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

struct record {
    char name[12];
    int age;
};
static int compare_records(const void *a, const void *b) {
    const struct record *x = a, *y = b;
    if (x->age != y->age)
        return x->age - y->age;
    return strcmp(x->name, y->name);
}

int main(void) {
    enum { COUNT = 20000 };
    static int numbers[COUNT];
    for (int i = 0; i < COUNT; i++)
        numbers[i] = (int)(next_random() & 0x7fffffff) - 0x40000000;
    for (int i = 0; i < COUNT; i++) /* make keys distinct */
        numbers[i] = numbers[i] / COUNT * COUNT + i;
    qsort(numbers, COUNT, sizeof *numbers, compare_ints);
    int sorted = 1;
    for (int i = 1; i < COUNT; i++)
        sorted &= numbers[i - 1] < numbers[i];
    printf("ints sorted: %d, min %d, median %d, max %d\n", sorted, numbers[0], numbers[COUNT / 2], numbers[COUNT - 1]);
    int hits = 0;
    for (int i = 0; i < COUNT; i += 97)
        hits += bsearch(&numbers[i], numbers, COUNT, sizeof *numbers, compare_ints) == &numbers[i];
    int missing = numbers[10] + 1 == numbers[11] ? 0 : numbers[10] + 1;
    printf("bsearch: %d hits, miss %s\n", hits,
           bsearch(&missing, numbers, COUNT, sizeof *numbers, compare_ints) ? "found" : "NULL");
    qsort(numbers, COUNT, sizeof *numbers, compare_ints_descending);
    printf("descending: first %d last %d\n", numbers[0], numbers[COUNT - 1]);

    const char *words[] = {"pear", "apple", "fig", "banana", "cherry", "kiwi", "date", "grape", "lemon", "mango",
                           "Apple", "Zebra", "apricot", "blueberry", ""};
    size_t word_count = sizeof words / sizeof *words;
    qsort(words, word_count, sizeof *words, compare_strings);
    for (size_t i = 0; i < word_count; i++)
        printf("%s%s", i ? " " : "", *words[i] ? words[i] : "<empty>");
    printf("\n");

    struct record records[] = {{"eve", 31}, {"bob", 25}, {"alice", 31}, {"dan", 19}, {"carol", 25}, {"zed", 50}};
    size_t record_count = sizeof records / sizeof *records;
    qsort(records, record_count, sizeof *records, compare_records);
    for (size_t i = 0; i < record_count; i++)
        printf("%s(%d)%s", records[i].name, records[i].age, i + 1 < record_count ? ", " : "\n");
    struct record key = {"carol", 25};
    struct record *found = bsearch(&key, records, record_count, sizeof *records, compare_records);
    printf("bsearch record: %s\n", found ? found->name : "NULL");

    qsort(NULL, 0, sizeof(int), compare_ints);
    int one = 7;
    qsort(&one, 1, sizeof one, compare_ints);
    printf("empty and single-element sorts fine: %d\n", one);
    return 0;
}
