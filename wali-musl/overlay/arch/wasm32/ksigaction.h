#include <features.h>

/* The kernel sigaction as WALI passes it to SYS_rt_sigaction: packed, so
 * it is 24 bytes with the same field offsets on every host (ABI.md 5.3).
 * handler and restorer are function-table indices. */
struct k_sigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	unsigned mask[2];
} __attribute__((__packed__));

hidden void __restore(), __restore_rt();
