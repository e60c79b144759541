#include <stdio.h>
#include "words.h"

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		printf("%s: %zu words, %.2f letters each\n", argv[i],
		       count_words(argv[i]), average_word_length(argv[i]));
	return 0;
}
