/* POSIX timers need SYS_timer_create, which WALI does not provide (it is not
 * in imports.tsv), and SIGEV_THREAD delivery needs a siginfo_t that never
 * reaches wasm code (ABI.md 6.3). Report the facility as unavailable. */
#include <time.h>
#include <errno.h>

int timer_create(clockid_t clk, struct sigevent *restrict evp, timer_t *restrict res)
{
	errno = ENOSYS;
	return -1;
}
