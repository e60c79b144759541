/* Thread-local storage and the main thread for WALI.
 *
 * wasm TLS is laid out by the linker: __builtin_wasm_tls_size/align give the
 * block, __tls_base points at the current thread's copy, and the linker's
 * __wasm_init_memory already set up the main thread's copy. struct pthread is
 * kept outside the wasm block; __wali_thread_pointer (a TLS variable, see
 * arch/wasm32/pthread_arch.h) points at it.
 *
 * A new thread's area, of libc.tls_size bytes, holds its struct pthread
 * followed by the wasm TLS block, which the thread initialises itself on
 * start-up (src/thread/wasm32/__wasm_thread_start_libc.s). */
#include <string.h>
#include <stddef.h>
#include "pthread_impl.h"
#include "libc.h"
#include "atomic.h"
#include "syscall.h"

volatile int __thread_list_lock;

/* WALI has no CLONE_CHILD_CLEARTID: an exiting thread releases the list
 * lock itself just before SYS_exit, as the kernel would have after it. */
void __wali_release_thread_list(void)
{
	a_store(&__thread_list_lock, 0);
	__wake(&__thread_list_lock, 1, 0);
}

int __init_tp(void *p)
{
	pthread_t td = p;
	td->self = td;
	int r = __set_thread_area(TP_ADJ(p));
	if (r < 0) return -1;
	if (!r) libc.can_do_threads = 1;
	td->detach_state = DT_JOINABLE;
	td->tid = __syscall(SYS_set_tid_address, &__thread_list_lock);
	td->locale = &libc.global_locale;
	td->robust_list.head = &td->robust_list.head;
	td->sysinfo = __sysinfo;
	td->next = td->prev = td;
	return 0;
}

static struct pthread main_thread;
static uintptr_t no_dtv[1];

#define ALIGN_UP(x, a) (((uintptr_t)(x) + (a) - 1) & -(uintptr_t)(a))

static size_t wasm_tls_align(void)
{
	size_t a = __builtin_wasm_tls_align();
	return a < 16 ? 16 : a;
}

hidden void *__wali_tls_block(struct pthread *td)
{
	return (void *)ALIGN_UP((char *)td + sizeof *td, wasm_tls_align());
}

void *__copy_tls(unsigned char *mem)
{
	pthread_t td = (void *)ALIGN_UP(mem, 16);
	td->dtv = no_dtv;
	return td;
}

static void static_init_tls(size_t *aux)
{
	libc.tls_align = wasm_tls_align();
	libc.tls_size = 2 * 16 + sizeof(struct pthread)
		+ ALIGN_UP(__builtin_wasm_tls_size(), 16) + libc.tls_align;
	main_thread.dtv = no_dtv;
	if (__init_tp(&main_thread) < 0)
		a_crash();
}

weak_alias(static_init_tls, __init_tls);
