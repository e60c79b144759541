/* __clone for WALI.
 *
 * Threads (CLONE_THREAD) are created with the __wasm_thread_spawn import
 * (ABI.md 7.1-7.2). The runtime calls the trampoline
 * __wasm_thread_start_libc(tid, args) in a new thread with fresh globals; the
 * trampoline (__wasm_thread_start_libc.s) sets __stack_pointer from args+0,
 * initialises the thread's wasm TLS block at args+4 with the linker's
 * __wasm_init_tls (which also sets __tls_base), and calls
 * __wali_thread_entry below.
 *
 * Everything else (posix_spawn, popen, system, faccessat's AT_EACCESS
 * checker and the public clone()) asks for a child process that runs
 * func(arg) and exits. Those callers talk to the child only through pipes
 * and waitpid, so a fork()ed child is equivalent to CLONE_VM|CLONE_VFORK. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <sched.h>
#include "pthread_impl.h"

struct wali_thread_args {
	void *stack;              /* +0: initial __stack_pointer (ABI contract) */
	void *tls_block;          /* +4: wasm TLS block (ABI contract) */
	int (*func)(void *);
	void *arg;
	struct pthread *self;
};

int __wasm_thread_spawn(void (*)(int, void *), void *)
	__attribute__((__import_module__("wali"), __import_name__("__wasm_thread_spawn")));
hidden void __wasm_thread_start_libc(int, void *);
hidden void *__wali_tls_block(struct pthread *);

hidden void __wali_thread_entry(int tid, struct wali_thread_args *args)
{
	struct pthread *self = args->self;
	__set_thread_area(self);
	a_store(&self->tid, tid);
	args->func(args->arg);
	for (;;) __syscall(SYS_exit, 0);
}

static int spawn_thread(int (*func)(void *), void *stack, void *arg,
                        int *ptid, struct pthread *self)
{
	uintptr_t sp = (uintptr_t)stack - sizeof(struct wali_thread_args);
	sp &= -(uintptr_t)16;
	struct wali_thread_args *args = (void *)sp;
	args->stack = (void *)sp;
	args->tls_block = __wali_tls_block(self);
	args->func = func;
	args->arg = arg;
	args->self = self;
	int tid = __wasm_thread_spawn(__wasm_thread_start_libc, args);
	if (tid <= 0) return -EAGAIN;
	if (ptid) a_store(ptid, tid);
	return tid;
}

int __clone(int (*func)(void *), void *stack, int flags, void *arg, ...)
{
	if (flags & CLONE_THREAD) {
		va_list ap;
		va_start(ap, arg);
		int *ptid = va_arg(ap, int *);
		void *tls = va_arg(ap, void *);
		va_end(ap);
		if (!(flags & CLONE_SETTLS)) return -EINVAL;
		return spawn_thread(func, stack, arg,
			(flags & CLONE_PARENT_SETTID) ? ptid : 0, tls);
	}
	/* Only "run func in a child process" can be emulated. */
	if (flags & ~(CLONE_VM | CLONE_VFORK | 0xff)) return -EINVAL;
	if ((flags & 0xff) && (flags & 0xff) != SIGCHLD) return -EINVAL;
	long pid = __syscall(SYS_fork);
	if (pid) return pid;
	int status = func(arg);
	for (;;) __syscall(SYS_exit_group, status);
}
