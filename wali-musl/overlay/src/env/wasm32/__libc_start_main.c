/* Program start-up and normal termination for WALI (ABI.md 2, 2.1, 3.3).
 *
 * crt1.o's _start calls __wali_libc_start, then main (through __main_void),
 * then __wali_libc_finish with main's result. Unlike the reference port,
 * returning from main runs atexit handlers and flushes stdio exactly like
 * exit() before __deinit/__proc_exit, and static constructors run after the
 * libc (TLS, argv, environment) is ready. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <elf.h>
#include "syscall.h"
#include "atomic.h"
#include "libc.h"
#include "pthread_impl.h"

#define WALI_IMPORT(name) __attribute__((__import_module__("wali"), __import_name__(name)))

int __wali_init(void) WALI_IMPORT("__init");
int __wali_deinit(void) WALI_IMPORT("__deinit");
void __wali_proc_exit(int) WALI_IMPORT("__proc_exit");
unsigned __wali_cl_get_argc(void) WALI_IMPORT("__cl_get_argc");
unsigned __wali_cl_get_argv_len(unsigned) WALI_IMPORT("__cl_get_argv_len");
int __wali_cl_copy_argv(char *, unsigned) WALI_IMPORT("__cl_copy_argv");
int __wali_get_init_envfile(char *, unsigned) WALI_IMPORT("__get_init_envfile");

void __wasm_call_ctors(void);

/* Exit codes of the reference port for start-up failures (ABI.md 3.4). */
#define WALI_ENV_READ_FAIL 259
#define WALI_ENV_MALLOC_FAIL 261

static void dummy(void) {}
weak_alias(dummy, __funcs_on_exit);
weak_alias(dummy, __stdio_exit);
static void dummy1(void *p) {}
weak_alias(dummy1, __init_ssp);

hidden int __wali_argc;
hidden char **__wali_argv;

static _Noreturn void fail(int code)
{
	__wali_proc_exit(code);
	for (;;) __syscall(SYS_exit_group, code);
}

static void init_libc(void)
{
	/* There is no auxiliary vector; provide the one entry libc reads. */
	static size_t auxv[] = { AT_PAGESZ, PAGESIZE, AT_NULL, 0 };
	static char *no_environment[1];
	__environ = no_environment;
	libc.auxv = auxv;
	libc.page_size = PAGESIZE;
	__progname = __progname_full = "";
	__init_tls(auxv);
	__init_ssp(0);
}

static void init_args(void)
{
	unsigned argc = __wali_cl_get_argc();
	char **argv = malloc((argc + 1) * sizeof *argv);
	if (!argv) fail(WALI_ENV_MALLOC_FAIL);
	for (unsigned i = 0; i < argc; i++) {
		argv[i] = malloc(__wali_cl_get_argv_len(i) + 1);
		if (!argv[i]) fail(WALI_ENV_MALLOC_FAIL);
		__wali_cl_copy_argv(argv[i], i);
	}
	argv[argc] = 0;
	__wali_argc = argc;
	__wali_argv = argv;
	if (argc) {
		char *pn = argv[0];
		__progname = __progname_full = pn;
		for (size_t i = 0; pn[i]; i++) if (pn[i] == '/') __progname = pn + i + 1;
	}
}

/* The runtime names a file of NAME=value lines (ABI.md 2.1). Empty lines
 * are skipped rather than treated as errors. */
static void init_environment(void)
{
	static char path[PATH_MAX];
	if (!__wali_get_init_envfile(path, sizeof path) || !path[0]) return;
	int fd = __sys_open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) return;

	size_t cap = 4096, len = 0;
	char *text = malloc(cap);
	if (!text) fail(WALI_ENV_MALLOC_FAIL);
	for (;;) {
		if (len + 1 >= cap) {
			char *bigger = realloc(text, cap *= 2);
			if (!bigger) fail(WALI_ENV_MALLOC_FAIL);
			text = bigger;
		}
		long n = __syscall(SYS_read, fd, text + len, cap - len - 1);
		if (n == -EINTR) continue;
		if (n < 0) fail(WALI_ENV_READ_FAIL);
		if (n == 0) break;
		len += n;
	}
	__syscall(SYS_close, fd);
	text[len] = 0;

	size_t lines = 1;
	for (size_t i = 0; i < len; i++) if (text[i] == '\n') lines++;
	char **env = malloc((lines + 1) * sizeof *env);
	if (!env) fail(WALI_ENV_MALLOC_FAIL);
	size_t count = 0;
	for (char *line = text; line < text + len; ) {
		char *end = strchr(line, '\n');
		if (end) *end = 0;
		if (*line) env[count++] = line;
		line = end ? end + 1 : text + len;
	}
	env[count] = 0;
	__environ = env;
}

hidden void __wali_libc_start(void)
{
	static volatile int started;
	if (a_swap(&started, 1)) a_crash();
	int r = __wali_init();
	if (r) fail(r);
	init_libc();
	init_args();
	init_environment();
	/* C starts programs with errno 0; setting up argv and the environment
	 * may have set it (a missing environment file, the allocator probing
	 * the system on its first call). */
	errno = 0;
	__wasm_call_ctors();
}

hidden void __wali_libc_finish(int status)
{
	__funcs_on_exit();
	__stdio_exit();
	if (!status) status = __wali_deinit();
	__wali_proc_exit(status);
	/* __proc_exit returns only for a clean exit after __deinit. */
	if (status) for (;;) __syscall(SYS_exit_group, status);
}
