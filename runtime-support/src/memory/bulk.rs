//! The bulk-memory operations: `memory.copy`, `memory.fill`, `memory.init` and `data.drop`.
//!
//! The compiled code calls one of these for each such instruction and traps when the first three
//! return non-zero: every range must lie wholly inside the current memory, and that is checked
//! before anything is written (the specification allows no partial copy or fill).

use core::sync::atomic::Ordering;

use walic_loader::vmctx::VmContext;

use crate::guest;

/// Whether `[addr, addr + len)` lies inside the current memory.
fn in_bounds(addr: u32, len: u32) -> bool {
    addr as u64 + len as u64 <= guest::size()
}

/// `memory.copy`: 0, or 1 for out of bounds.
#[no_mangle]
pub extern "C" fn walic_rt_memory_copy(
    _vmctx: *mut VmContext,
    dst: u32,
    src: u32,
    len: u32,
) -> u32 {
    // One read of the size serves both checks: memory only grows, so a racing `memory.grow` can
    // only make a range that failed the check valid, never the other way round.
    let size = guest::size();
    let fits = |addr: u32| addr as u64 + len as u64 <= size;
    if !fits(dst) || !fits(src) {
        return 1;
    }
    let base = guest::base();
    // SAFETY: both ranges are inside linear memory (checked above); both paths handle overlap.
    unsafe {
        let (from, to) = (base.add(src as usize), base.add(dst as usize));
        if len <= INLINE_BYTES {
            copy_short(from, to, len as usize);
        } else {
            core::ptr::copy(from, to, len as usize);
        }
    }
    0
}

/// `memory.fill`: 0, or 1 for out of bounds.
#[no_mangle]
pub extern "C" fn walic_rt_memory_fill(
    _vmctx: *mut VmContext,
    dst: u32,
    value: u32,
    len: u32,
) -> u32 {
    if !in_bounds(dst, len) {
        return 1;
    }
    // SAFETY: the range is inside linear memory (checked above).
    unsafe {
        let to = guest::base().add(dst as usize);
        if len <= INLINE_BYTES {
            fill_short(to, value as u8, len as usize);
        } else {
            core::ptr::write_bytes(to, value as u8, len as usize);
        }
    }
    0
}

/// Copies and fills of at most this many bytes are done here rather than by the host's
/// `memmove`/`memset`. Compiled code reaches this runtime for every `memory.copy` whose length is
/// not a small constant, so short ones are frequent (a program's `memcpy(dst, src, n)` of a short
/// string); the extra call through the C library's entry point cost about 1 ns of the 4.5 ns such
/// a copy took (measured; see wali-musl/README.md).
const INLINE_BYTES: u32 = 32;

/// Copies `len <= INLINE_BYTES` bytes as two to four possibly overlapping unaligned words (or
/// single bytes below 4). Every load happens before the first store, so overlapping ranges get
/// `memmove`'s result.
///
/// # Safety
/// `[from, from + len)` and `[to, to + len)` must be inside linear memory.
#[inline(always)]
unsafe fn copy_short(from: *const u8, to: *mut u8, len: usize) {
    use core::ptr::{read_unaligned as load, write_unaligned as store};
    debug_assert!(len <= INLINE_BYTES as usize);
    // SAFETY: every access is inside the two ranges, which the caller guarantees are in memory.
    // Raw-pointer accesses, as everywhere the runtime touches guest memory that other threads may
    // be writing.
    unsafe {
        if len > 16 {
            let head = load(from as *const u128);
            let tail = load(from.add(len - 16) as *const u128);
            store(to as *mut u128, head);
            store(to.add(len - 16) as *mut u128, tail);
        } else if len >= 8 {
            let head = load(from as *const u64);
            let tail = load(from.add(len - 8) as *const u64);
            store(to as *mut u64, head);
            store(to.add(len - 8) as *mut u64, tail);
        } else if len >= 4 {
            let head = load(from as *const u32);
            let tail = load(from.add(len - 4) as *const u32);
            store(to as *mut u32, head);
            store(to.add(len - 4) as *mut u32, tail);
        } else if len > 0 {
            let (first, middle, last) = (*from, *from.add(len / 2), *from.add(len - 1));
            *to = first;
            *to.add(len / 2) = middle;
            *to.add(len - 1) = last;
        }
    }
}

/// Fills `len <= INLINE_BYTES` bytes with `value`, as [`copy_short`] copies them.
///
/// # Safety
/// `[to, to + len)` must be inside linear memory.
#[inline(always)]
unsafe fn fill_short(to: *mut u8, value: u8, len: usize) {
    use core::ptr::write_unaligned as store;
    debug_assert!(len <= INLINE_BYTES as usize);
    let word = u128::from(value) * 0x0101_0101_0101_0101_0101_0101_0101_0101;
    // SAFETY: every store is inside the range, which the caller guarantees is in memory.
    unsafe {
        if len > 16 {
            store(to as *mut u128, word);
            store(to.add(len - 16) as *mut u128, word);
        } else if len >= 8 {
            store(to as *mut u64, word as u64);
            store(to.add(len - 8) as *mut u64, word as u64);
        } else if len >= 4 {
            store(to as *mut u32, word as u32);
            store(to.add(len - 4) as *mut u32, word as u32);
        } else if len > 0 {
            *to = value;
            *to.add(len / 2) = value;
            *to.add(len - 1) = value;
        }
    }
}

/// `memory.init`: 0, or 1 for out of bounds (a dropped segment has length 0).
#[no_mangle]
pub extern "C" fn walic_rt_memory_init(
    _vmctx: *mut VmContext,
    segment: u32,
    dst: u32,
    src: u32,
    len: u32,
) -> u32 {
    let module = crate::instance::module();
    let (bytes, seg_len) = if crate::instance::data_dropped(segment).load(Ordering::Acquire) {
        (core::ptr::null(), 0u32)
    } else {
        // SAFETY: segment < num_data_segments (otherwise data_dropped reports dropped).
        let seg = unsafe { &*module.data_segments.add(segment as usize) };
        (seg.bytes, seg.len)
    };
    if src as u64 + len as u64 > seg_len as u64 || !in_bounds(dst, len) {
        return 1;
    }
    if len > 0 {
        // SAFETY: the source range is inside the segment, the destination inside memory.
        unsafe {
            core::ptr::copy_nonoverlapping(
                bytes.add(src as usize),
                guest::base().add(dst as usize),
                len as usize,
            )
        };
    }
    0
}

/// `data.drop`.
#[no_mangle]
pub extern "C" fn walic_rt_data_drop(_vmctx: *mut VmContext, segment: u32) {
    crate::instance::data_dropped(segment).store(true, Ordering::Release);
}

#[cfg(test)]
mod tests {
    use super::*;

    const AREA: usize = 96;

    fn pattern() -> [u8; AREA] {
        core::array::from_fn(|i| (i * 7 + 3) as u8)
    }

    /// Every short length, from every offset to every offset of one buffer (apart and overlapping
    /// both ways), gives what `core::ptr::copy` (memmove) gives.
    #[test]
    fn short_copies_match_memmove() {
        for len in 0..=INLINE_BYTES as usize {
            for from in 0..AREA - len {
                for to in 0..AREA - len {
                    let mut expected = pattern();
                    let mut actual = pattern();
                    // SAFETY: both ranges lie inside the local buffers.
                    unsafe {
                        core::ptr::copy(
                            expected.as_ptr().add(from),
                            expected.as_mut_ptr().add(to),
                            len,
                        );
                        let base = actual.as_mut_ptr();
                        copy_short(base.add(from), base.add(to), len);
                    }
                    assert_eq!(actual, expected, "len {len} from {from} to {to}");
                }
            }
        }
    }

    #[test]
    fn short_fills_match_memset() {
        for len in 0..=INLINE_BYTES as usize {
            for to in 0..AREA - len {
                let mut expected = pattern();
                let mut actual = pattern();
                expected[to..to + len].fill(0xa5);
                // SAFETY: the range lies inside the local buffer.
                unsafe { fill_short(actual.as_mut_ptr().add(to), 0xa5, len) };
                assert_eq!(actual, expected, "len {len} to {to}");
            }
        }
    }
}
