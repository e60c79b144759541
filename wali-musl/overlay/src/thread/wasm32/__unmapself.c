#include "pthread_impl.h"

/* A detached thread's last act: give back the mapping holding its stack,
 * TLS and struct pthread, then exit. This function must not touch the
 * linear-memory stack, which is inside the mapping: it keeps no locals in
 * memory and calls only imports, so the compiled wasm never moves
 * __stack_pointer. The thread list lock is released first because WALI has
 * no CLONE_CHILD_CLEARTID to do it after the exit. */
void __unmapself(void *base, size_t size)
{
	__wali_release_thread_list();
	__syscall(SYS_munmap, base, size);
	for (;;) __syscall(SYS_exit, 0);
}
