#include <ctype.h>
#include <math.h>
#include <string.h>
#include "words.h"

size_t count_words(const char *text)
{
	size_t n = 0;
	for (int in_word = 0; *text; text++) {
		if (isspace((unsigned char)*text)) in_word = 0;
		else if (!in_word) in_word = 1, n++;
	}
	return n;
}

double average_word_length(const char *text)
{
	size_t words = count_words(text), letters = 0;
	for (; *text; text++) letters += !isspace((unsigned char)*text);
	return words ? round(100.0 * letters / words) / 100.0 : 0;
}
