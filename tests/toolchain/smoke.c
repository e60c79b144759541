/* A program touching every part of the WALI libc the toolchain check cares
 * about: stdio, malloc, strings, long double formatting and parsing,
 * pthreads, setjmp/longjmp, sockets and process spawning. The check only
 * compiles, links and inspects it; running it needs the walic runtime. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static jmp_buf recover;

static void *worker(void *arg)
{
	for (int i = 0; i < 1000; i++) {
		pthread_mutex_lock(&lock);
		counter += (long)(size_t)arg;
		pthread_mutex_unlock(&lock);
	}
	return arg;
}

static void fail_deep(int depth)
{
	if (depth == 0) longjmp(recover, 42);
	fail_deep(depth - 1);
}

static int check_sockets(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) return -1;
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(0) };
	inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
	int ok = bind(fd, (struct sockaddr *)&addr, sizeof addr) == 0 && listen(fd, 1) == 0;
	socklen_t len = sizeof addr;
	ok = ok && getsockname(fd, (struct sockaddr *)&addr, &len) == 0;
	printf("listening on port %u\n", ntohs(addr.sin_port));
	close(fd);
	return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	char *text = malloc(64);
	snprintf(text, 64, "%s has %d argument(s)", argv[0], argc - 1);
	printf("%s, length %zu\n", text, strlen(text));
	free(text);

	long double third = 1.0L / 3.0L;
	printf("1/3 = %.30Lf\n", third);
	long double parsed = strtold("2.718281828459045235360287471352662497757", 0);
	printf("e = %.33Lg (LDBL_MANT_DIG %d)\n", parsed, __LDBL_MANT_DIG__);

	pthread_t threads[4];
	for (size_t i = 0; i < 4; i++)
		pthread_create(&threads[i], 0, worker, (void *)(i + 1));
	for (int i = 0; i < 4; i++)
		pthread_join(threads[i], 0);
	printf("counter = %ld (expect 10000)\n", counter);

	int value = setjmp(recover);
	if (value == 0) fail_deep(10);
	printf("longjmp returned %d\n", value);

	sigjmp_buf sigrecover;
	if (!sigsetjmp(sigrecover, 1)) siglongjmp(sigrecover, 1);

	if (check_sockets()) perror("sockets");

	pid_t child;
	char *child_argv[] = { "/bin/true", 0 };
	if (posix_spawn(&child, child_argv[0], 0, 0, child_argv, environ) == 0)
		waitpid(child, 0, 0);
	FILE *p = popen("echo popen works", "r");
	if (p) {
		char line[64];
		if (fgets(line, sizeof line, p)) fputs(line, stdout);
		pclose(p);
	}
	return system("exit 0");
}
