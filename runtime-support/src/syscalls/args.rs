//! Narrowing of import arguments by their C parameter types (ABI.md §1.4).
//!
//! Generated code zero-extends every wasm `i32` argument into its u64 register. A C `int`
//! (file descriptors, `AT_FDCWD` = -100, flags, ids where -1 means "unchanged") is sign-extended
//! for the kernel; sizes, counts, `socklen_t`, `mode_t` and other unsigned values are
//! zero-extended; pointers are the low 32 bits, translated by [`crate::guest`]. `i64` arguments
//! (`off_t`, `long`, `unsigned long`) are passed as they are.

/// A C `int` argument, sign-extended from its low 32 bits.
#[inline(always)]
pub(crate) fn int(value: u64) -> i64 {
    value as u32 as i32 as i64
}

/// A C unsigned 32-bit argument (`unsigned int`, wasm `size_t`, `socklen_t`, `mode_t`, `uid_t`
/// as a value), zero-extended from its low 32 bits.
#[inline(always)]
pub(crate) fn uint(value: u64) -> u64 {
    value as u32 as u64
}

/// A wasm address argument.
#[inline(always)]
pub(crate) fn addr(value: u64) -> u32 {
    value as u32
}

/// The number of bytes the kernel may touch for an `int` length it rejects with `EINVAL` when
/// negative: a negative length is checked as 0, so the kernel, not the range check, answers.
#[inline(always)]
pub(crate) fn int_len(value: u64) -> u64 {
    int(value).max(0) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrowing_follows_the_c_type() {
        assert_eq!(int(0xFFFF_FF9C), -100);
        assert_eq!(int(0x1_0000_0005), 5);
        assert_eq!(uint(0xFFFF_FFFF), 0xFFFF_FFFF);
        assert_eq!(uint(0xAB_0000_0001), 1);
        assert_eq!(addr(0x1_0000_0010), 0x10);
        assert_eq!(int_len(0xFFFF_FFFF), 0);
        assert_eq!(int_len(12), 12);
    }
}
