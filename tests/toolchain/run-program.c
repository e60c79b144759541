/* The program check-run.sh runs through `walic run`; argv[1] picks what it shows. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "args";
	if (!strcmp(mode, "args")) {
		for (int i = 0; i < argc; i++)
			printf("[%s]\n", argv[i]);
	} else if (!strcmp(mode, "env")) {
		const char *value = getenv("WALIC_RUN_TEST");
		printf("%s\n", value ? value : "(unset)");
	} else if (!strcmp(mode, "stdin")) {
		int c;
		while ((c = getchar()) != EOF)
			putchar(c == 'a' ? 'b' : c);
	} else if (!strcmp(mode, "exit")) {
		return atoi(argv[2]);
	} else if (!strcmp(mode, "signal")) {
		fflush(stdout);
		raise(atoi(argv[2]));
	} else if (!strcmp(mode, "pid")) {
		printf("%ld\n", (long)getpid());
	} else if (!strcmp(mode, "pipe")) {
		for (;;) {
			if (write(1, "y\n", 2) < 0) {
				fprintf(stderr, "write: %s\n", errno == EPIPE ? "EPIPE" : "other error");
				return 3;
			}
		}
	}
	return 0;
}
