//! The raw `syscall` instruction, so every import reaches the kernel exactly as a native
//! program's syscall would: no libc wrapper adjusts arguments, retries, or turns the result into
//! `errno` (a raw result like `fcntl(F_GETOWN)`'s negative process group stays what it is).

use core::arch::asm;

/// Performs syscall `nr` with six argument registers and returns the kernel's raw result
/// (`-errno` on failure).
///
/// # Safety
/// Every argument the kernel interprets as an address for this syscall must be NULL or name
/// memory the kernel may read or write for the call: a range checked by [`crate::guest`], or a
/// buffer the runtime owns for the duration of the call.
#[inline(always)]
pub(crate) unsafe fn syscall6(nr: i64, args: [u64; 6]) -> i64 {
    let result: i64;
    // SAFETY: the caller vouches for the pointer arguments; the instruction clobbers rcx and r11
    // only, and may read or write memory (no `nomem`/`readonly` option).
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") nr => result,
            in("rdi") args[0],
            in("rsi") args[1],
            in("rdx") args[2],
            in("r10") args[3],
            in("r8") args[4],
            in("r9") args[5],
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack, preserves_flags),
        );
    }
    result
}

/// Pads an argument list with zero registers (what the kernel sees for unused arguments).
#[inline(always)]
pub(crate) const fn pad<const N: usize>(args: [u64; N]) -> [u64; 6] {
    let mut all = [0u64; 6];
    let mut i = 0;
    while i < N {
        all[i] = args[i];
        i += 1;
    }
    all
}

/// The calling thread's `errno` as a raw kernel result (`-errno`), for the few imports that go
/// through libc on purpose (the vDSO clocks).
#[inline]
pub(crate) fn errno_result() -> i64 {
    // SAFETY: `__errno_location` returns the calling thread's errno slot.
    -(unsafe { *libc::__errno_location() } as i64)
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_are_raw() {
        // SAFETY: scalar arguments only.
        let pid = unsafe { syscall!(libc::SYS_getpid) };
        assert_eq!(pid, std::process::id() as i64);
        // SAFETY: scalar arguments only.
        let bad = unsafe { syscall!(libc::SYS_close, -1i64) };
        assert_eq!(bad, -(libc::EBADF as i64));
    }
}
