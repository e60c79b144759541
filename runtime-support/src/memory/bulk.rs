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
    if !in_bounds(dst, len) || !in_bounds(src, len) {
        return 1;
    }
    // SAFETY: both ranges are inside linear memory (checked above); `copy` handles overlap.
    unsafe {
        let base = guest::base();
        core::ptr::copy(base.add(src as usize), base.add(dst as usize), len as usize);
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
    // SAFETY: the range is inside linear memory.
    unsafe { core::ptr::write_bytes(guest::base().add(dst as usize), value as u8, len as usize) };
    0
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
