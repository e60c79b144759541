/* wasm has no thread pointer register. Each thread keeps a pointer to its
 * struct pthread in an ordinary TLS variable; the wasm TLS block itself is
 * addressed through the linker's __tls_base global. */
extern hidden _Thread_local uintptr_t __wali_thread_pointer;

static inline uintptr_t __get_tp()
{
	return __wali_thread_pointer;
}

/* No signal handler ever receives a machine context on wasm. */
#define MC_PC __space[0]
