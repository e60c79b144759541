//! Signal masks passed with a size (ppoll, epoll_pwait, signalfd, rt_sigtimedwait) and the
//! `pselect6` argument pair.
//!
//! `sigset_t` itself has the kernel layout; the kernel reads exactly `sigsetsize` bytes and only
//! when that size is its own (8), answering `EINVAL` otherwise, so at most 8 bytes are checked.
//!
//! `pselect6`'s sixth argument points to `{ u64 mask address; u64 mask size }` (musl passes
//! `syscall_arg_t data[2] = { (uintptr_t)mask, _NSIG/8 }`); for the kernel it is
//! `{ const sigset_t *ss; size_t ss_len }`, so word 0 is translated and word 1 copied.

use crate::guest;

/// The kernel's `sizeof(sigset_t)` on x86-64.
pub(crate) const KERNEL_SIGSET_BYTES: u64 = 8;

/// Translates a signal mask of `sigsetsize` bytes (only the bytes the kernel reads are checked).
pub(crate) fn translate_sigset(addr: u32, sigsetsize: u64) -> Result<*mut u8, i64> {
    guest::translate(addr, sigsetsize.min(KERNEL_SIGSET_BYTES))
}

/// The host form of `pselect6`'s mask-and-size pair.
#[repr(C)]
pub(crate) struct SigmaskPair {
    mask: *const u8,
    size: u64,
}

impl SigmaskPair {
    /// Converts the pair at `addr` (0: no pair, NULL for the kernel).
    pub(crate) fn from_guest(addr: u32) -> Result<Option<SigmaskPair>, i64> {
        if addr == 0 {
            return Ok(None);
        }
        let [mask, size]: [u64; 2] = guest::read(addr)?;
        let mask = guest::translate_long(mask, size.min(KERNEL_SIGSET_BYTES))?;
        Ok(Some(SigmaskPair { mask, size }))
    }

    /// The host pair of an optional conversion (NULL for none).
    pub(crate) fn as_ptr(pair: &Option<SigmaskPair>) -> *const SigmaskPair {
        pair.as_ref().map_or(core::ptr::null(), |p| p as *const _)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guest::testing::FakeMemory;

    #[test]
    fn pair_is_translated() {
        let memory = FakeMemory::new(4096);
        memory.put(100, &200u64.to_le_bytes());
        memory.put(108, &8u64.to_le_bytes());
        let pair = SigmaskPair::from_guest(100).unwrap();
        let p = pair.as_ref().unwrap();
        assert_eq!(p.mask as usize - guest::base() as usize, 200);
        assert_eq!(p.size, 8);
        // A mask address beyond 32 bits or running off the end.
        memory.put(100, &(1u64 << 32).to_le_bytes());
        assert_eq!(SigmaskPair::from_guest(100).err(), Some(guest::EFAULT));
        memory.put(100, &4092u64.to_le_bytes());
        assert_eq!(SigmaskPair::from_guest(100).err(), Some(guest::EFAULT));
        // A NULL mask inside a pair stays NULL.
        memory.put(100, &0u64.to_le_bytes());
        assert!(SigmaskPair::from_guest(100)
            .unwrap()
            .unwrap()
            .mask
            .is_null());
        assert!(SigmaskPair::as_ptr(&SigmaskPair::from_guest(0).unwrap()).is_null());
    }

    #[test]
    fn sigsets_check_only_what_the_kernel_reads() {
        let _memory = FakeMemory::new(4096);
        assert!(translate_sigset(4088, 128).is_ok());
        assert_eq!(translate_sigset(4089, 8).err(), Some(guest::EFAULT));
    }
}
