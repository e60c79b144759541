#include <stddef.h>

size_t count_words(const char *text);
double average_word_length(const char *text);
