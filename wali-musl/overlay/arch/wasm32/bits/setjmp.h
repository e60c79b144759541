/* 26 words: room for any host's native context; the runtime owns the
 * contents (ABI.md 8). With __fl and __ss the jmp_buf is 344 bytes. */
typedef unsigned long __jmp_buf[26];
