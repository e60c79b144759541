#include "pthread_impl.h"

/* The thread pointer is an ordinary TLS variable (arch/wasm32/pthread_arch.h). */
_Thread_local uintptr_t __wali_thread_pointer;

int __set_thread_area(void *p)
{
	__wali_thread_pointer = (uintptr_t)p;
	return 0;
}
