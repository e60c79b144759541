/* WALI pthread cancellation.
 *
 * musl cancels a blocked thread by sending it SIGCANCEL and rewriting the
 * program counter in the signal context; a wasm program has neither an
 * SA_SIGINFO context nor a program counter to rewrite (ABI.md 6.3). Here a
 * cancellation request only sets the target's flag. A deferred cancellation
 * is acted on at pthread_testcancel() and when the target next enters a
 * cancellation point (src/internal/syscall.h calls __wali_testcancel before
 * every cancellable syscall); a thread blocked inside a syscall is not woken. */
#include "pthread_impl.h"

long __cancel()
{
	pthread_t self = __pthread_self();
	if (self->canceldisable == PTHREAD_CANCEL_ENABLE || self->cancelasync)
		pthread_exit(PTHREAD_CANCELED);
	self->canceldisable = PTHREAD_CANCEL_DISABLE;
	return -ECANCELED;
}

void __testcancel()
{
	pthread_t self = __pthread_self();
	if (self->cancel && !self->canceldisable)
		__cancel();
}

/* Strong definition of the weak hook tested at every cancellation point;
 * it exists only in programs that can cancel threads. */
void __wali_testcancel(void)
{
	__testcancel();
}

int pthread_cancel(pthread_t t)
{
	a_store(&t->cancel, 1);
	if (t == __pthread_self() && t->cancelasync)
		__testcancel();
	return 0;
}
