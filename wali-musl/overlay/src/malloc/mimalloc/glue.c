/* musl's allocator interface on top of mimalloc (MALLOC_DIR = mimalloc in
 * config.mak replaces mallocng with this directory).
 *
 * musl's generic src/malloc/ files stay: malloc (lite_malloc.c) calls
 * __libc_malloc_impl, free and realloc call __libc_free and __libc_realloc,
 * memalign and posix_memalign call aligned_alloc. This file defines those
 * plus malloc_usable_size; calloc is replaced in src/malloc/wasm32/ so that
 * mimalloc can skip clearing memory it knows is fresh.
 *
 * mimalloc is thread-aware without locks on the fast path: each thread
 * allocates from its own heap (found through a wasm TLS variable) and frees
 * of another thread's blocks go onto that page's atomic list. A thread's
 * heap is handed back through a pthread key destructor when it exits.
 * mimalloc reports failures by returning NULL without touching errno, so
 * errno is set here as musl's allocator does.
 *
 * Blocks must be aligned for any type (max_align_t: 16 bytes on wasm32, as
 * the malloc of glibc and mallocng give). mimalloc's size classes are
 * multiples of 16 bytes from 9 bytes up, but requests of up to 8 bytes get
 * 4- or 8-byte blocks on a 32-bit target, so those are rounded up to 16
 * (MIN_BLOCK). */
#include <stdlib.h>
#include <errno.h>
#include <stdint.h>
#include "mimalloc.h"
#include "glue.h"

void *__libc_malloc_impl(size_t n)
{
	void *p = mi_malloc(min_block(n));
	if (!p) errno = ENOMEM;
	return p;
}

void *__libc_realloc(void *p, size_t n)
{
	void *q = mi_realloc(p, min_block(n));
	if (!q) errno = ENOMEM;
	return q;
}

void __libc_free(void *p)
{
	mi_free(p);
}

void *aligned_alloc(size_t align, size_t len)
{
	if ((align & -align) != align) {
		errno = EINVAL;
		return 0;
	}
	if (len > SIZE_MAX - align) {
		errno = ENOMEM;
		return 0;
	}
	void *p = mi_malloc_aligned(min_block(len), align ? align : 1);
	if (!p) errno = ENOMEM;
	return p;
}

size_t malloc_usable_size(void *p)
{
	return p ? mi_usable_size(p) : 0;
}

/* fork (src/process/fork.c) calls this around the syscall to keep the
 * allocator consistent in the child. mimalloc takes no locks that a fork in
 * another thread could leave held: its shared structures are updated with
 * atomic operations, everything else belongs to one thread. */
void __malloc_atfork(int who)
{
	(void)who;
}
