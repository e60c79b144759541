/* Cancellation points call their imports directly (src/internal/syscall.h);
 * there is no run-time-number cancellable syscall entry on WALI. */
