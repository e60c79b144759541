/* String-heavy work: generates text from a syllable table, counts word frequencies in a chained
 * hash table (strcmp, strlen, memcpy), sorts the distinct words with qsort/strcmp, formats report
 * lines with snprintf, and searches the text with strstr and strchr. Size: number of words. */
#include <string.h>
#include "common.h"

static const char *const syllables[] = {
    "ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "an", "el", "or", "ish",
    "ven", "tor", "qua", "zen", "dra", "mon", "lux", "ber", "xi", "ou", "ra", "st",
};
#define SYLLABLES (sizeof syllables / sizeof syllables[0])

typedef struct entry {
    struct entry *next;
    char *word;
    uint32_t count;
} entry;

#define BUCKETS 65536

static uint32_t hash_word(const char *s)
{
    uint32_t h = 2166136261u;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    long words = bench_size(argc, argv, 2500000);
    size_t capacity = (size_t)words * 16 + 1;
    char *text = malloc(capacity);
    if (!text)
        return 1;
    bench_rng rng = { 99 };
    size_t length = 0;
    for (long w = 0; w < words; w++) {
        /* Zipf-like: low syllable counts and early syllables are more common. */
        uint64_t r = bench_next(&rng);
        int parts = 1 + (int)(r % 3) + (int)((r >> 8) % 2);
        for (int p = 0; p < parts; p++) {
            uint64_t pick = (bench_next(&rng) >> 40) % (SYLLABLES * SYLLABLES);
            size_t first = (size_t)(pick / SYLLABLES), second = (size_t)(pick % SYLLABLES);
            const char *syl = syllables[first < second ? first : second];
            size_t n = strlen(syl);
            memcpy(text + length, syl, n);
            length += n;
        }
        text[length++] = (w % 17 == 16) ? '\n' : ' ';
    }
    text[length] = 0;

    static entry *table[BUCKETS];
    long distinct = 0;
    char word[64];
    for (const char *p = text; *p;) {
        const char *end = p;
        while (*end && *end != ' ' && *end != '\n')
            end++;
        size_t n = (size_t)(end - p);
        if (n > 0 && n < sizeof word) {
            memcpy(word, p, n);
            word[n] = 0;
            uint32_t bucket = hash_word(word) % BUCKETS;
            entry *e = table[bucket];
            while (e && strcmp(e->word, word) != 0)
                e = e->next;
            if (!e) {
                e = malloc(sizeof *e);
                e->word = malloc(n + 1);
                memcpy(e->word, word, n + 1);
                e->count = 0;
                e->next = table[bucket];
                table[bucket] = e;
                distinct++;
            }
            e->count++;
        }
        p = *end ? end + 1 : end;
    }

    char **sorted = malloc(sizeof(char *) * (size_t)distinct);
    long k = 0;
    for (int b = 0; b < BUCKETS; b++)
        for (entry *e = table[b]; e; e = e->next)
            sorted[k++] = e->word;
    qsort(sorted, (size_t)distinct, sizeof(char *), compare_strings);

    uint64_t hash = BENCH_FNV_INIT;
    char line[128];
    for (long i = 0; i < distinct; i++) {
        entry *e = table[hash_word(sorted[i]) % BUCKETS];
        while (strcmp(e->word, sorted[i]) != 0)
            e = e->next;
        int n = snprintf(line, sizeof line, "%-20s %8u %5.1f%%", e->word, e->count,
                         100.0 * e->count / (double)words);
        hash = bench_fnv(hash, line, (size_t)n);
    }

    long lines = 0, hits = 0;
    for (const char *p = text; (p = strchr(p, '\n')); p++)
        lines++;
    const char *needles[] = { "kalomi", "quazen", "luxber ", "ishven", "ouraxi" };
    for (int i = 0; i < 5; i++)
        for (const char *p = text; (p = strstr(p, needles[i])); p++)
            hits++;

    printf("strings words=%ld bytes=%lu distinct=%ld lines=%ld hits=%ld first=%s last=%s "
           "hash=%016llx\n",
           words, (unsigned long)length, distinct, lines, hits, sorted[0], sorted[distinct - 1],
           (unsigned long long)hash);
    for (int b = 0; b < BUCKETS; b++) {
        for (entry *e = table[b]; e;) {
            entry *next = e->next;
            free(e->word);
            free(e);
            e = next;
        }
    }
    free(sorted);
    free(text);
    return bench_finish();
}
