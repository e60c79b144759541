//! Tables: allocation at start-up and the `table.*` / `elem.drop` runtime functions.
//!
//! Each table's entry storage is reserved up front for its maximum size (capped at
//! [`MAX_TABLE_ENTRIES`], which bounds `table.grow`), so `TableInstance::entries` never moves and
//! generated code reads entries without locks. Entries are written by `table.init/copy/fill/grow`
//! (one lock serializes growth) and read by `call_indirect`.

use core::sync::atomic::{AtomicU32, Ordering};

use walic_loader::metadata::{FuncRef, ModuleDescriptor, TableInstance};
use walic_loader::vmctx::VmContext;

use crate::sync::Lock;

/// Largest number of entries a table can have in walic (16 Mi entries = 128 MiB of address space).
pub(crate) const MAX_TABLE_ENTRIES: u32 = 1 << 24;

/// Serializes `table.grow`.
static GROW_LOCK: Lock<()> = Lock::new(());

/// Allocates the module's tables (all entries null) and returns the array.
pub(crate) fn allocate(module: &ModuleDescriptor) -> Result<*mut TableInstance, &'static str> {
    let mut tables = Vec::with_capacity(module.num_tables as usize);
    for i in 0..module.num_tables as usize {
        // SAFETY: the compiler emits num_tables descriptors.
        let desc = unsafe { &*module.tables.add(i) };
        let max = desc.max.min(MAX_TABLE_ENTRIES).max(desc.initial);
        if desc.initial > MAX_TABLE_ENTRIES {
            return Err("table too large");
        }
        let bytes = (max as usize).max(1) * core::mem::size_of::<*const FuncRef>();
        // SAFETY: a fresh zeroed (all-null) anonymous mapping.
        let entries = unsafe {
            libc::mmap(
                core::ptr::null_mut(),
                bytes,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if entries == libc::MAP_FAILED {
            return Err("cannot allocate a table");
        }
        tables.push(TableInstance {
            entries: entries as *mut *const FuncRef,
            len: AtomicU32::new(desc.initial),
            max,
        });
    }
    Ok(Box::leak(tables.into_boxed_slice()).as_mut_ptr())
}

fn table_of(vmctx: *mut VmContext, index: u32) -> Option<&'static TableInstance> {
    let _ = vmctx;
    crate::instance::table(index)
}

fn range_ok(start: u32, len: u32, size: u32) -> bool {
    start as u64 + len as u64 <= size as u64
}

/// `table.init`: 0, or 1 for out of bounds.
#[no_mangle]
pub extern "C" fn walic_rt_table_init(
    vmctx: *mut VmContext,
    table: u32,
    segment: u32,
    dst: u32,
    src: u32,
    len: u32,
) -> u32 {
    let Some(t) = table_of(vmctx, table) else {
        return 1;
    };
    let module = crate::instance::module();
    let (items, seg_len) = if crate::instance::elem_dropped(segment).load(Ordering::Acquire) {
        (core::ptr::null(), 0)
    } else {
        // SAFETY: segment < num_elem_segments (otherwise it counts as dropped).
        let seg = unsafe { &*module.elem_segments.add(segment as usize) };
        (seg.items, seg.len)
    };
    if !range_ok(src, len, seg_len) || !range_ok(dst, len, t.len.load(Ordering::Acquire)) {
        return 1;
    }
    if len > 0 {
        // SAFETY: both ranges were bounds-checked.
        unsafe {
            core::ptr::copy_nonoverlapping(
                items.add(src as usize),
                t.entries.add(dst as usize),
                len as usize,
            )
        };
    }
    0
}

/// `elem.drop`.
#[no_mangle]
pub extern "C" fn walic_rt_elem_drop(_vmctx: *mut VmContext, segment: u32) {
    crate::instance::elem_dropped(segment).store(true, Ordering::Release);
}

/// `table.copy`: 0, or 1 for out of bounds.
#[no_mangle]
pub extern "C" fn walic_rt_table_copy(
    vmctx: *mut VmContext,
    dst_table: u32,
    src_table: u32,
    dst: u32,
    src: u32,
    len: u32,
) -> u32 {
    let (Some(d), Some(s)) = (table_of(vmctx, dst_table), table_of(vmctx, src_table)) else {
        return 1;
    };
    if !range_ok(dst, len, d.len.load(Ordering::Acquire))
        || !range_ok(src, len, s.len.load(Ordering::Acquire))
    {
        return 1;
    }
    // SAFETY: both ranges were bounds-checked; `copy` handles overlap within one table.
    unsafe {
        core::ptr::copy(
            s.entries.add(src as usize),
            d.entries.add(dst as usize),
            len as usize,
        )
    };
    0
}

/// `table.grow`: the old size, or -1.
#[no_mangle]
pub extern "C" fn walic_rt_table_grow(
    vmctx: *mut VmContext,
    table: u32,
    init: u64,
    delta: u32,
) -> i32 {
    let Some(t) = table_of(vmctx, table) else {
        return -1;
    };
    let _guard = GROW_LOCK.lock();
    let old = t.len.load(Ordering::Acquire);
    let new = old as u64 + delta as u64;
    if new > t.max as u64 {
        return -1;
    }
    for i in old..new as u32 {
        // SAFETY: i < max, inside the reserved storage.
        unsafe { *t.entries.add(i as usize) = init as *const FuncRef };
    }
    t.len.store(new as u32, Ordering::Release);
    old as i32
}

/// `table.fill`: 0, or 1 for out of bounds.
#[no_mangle]
pub extern "C" fn walic_rt_table_fill(
    vmctx: *mut VmContext,
    table: u32,
    dst: u32,
    value: u64,
    len: u32,
) -> u32 {
    let Some(t) = table_of(vmctx, table) else {
        return 1;
    };
    if !range_ok(dst, len, t.len.load(Ordering::Acquire)) {
        return 1;
    }
    for i in dst..dst + len {
        // SAFETY: bounds-checked above.
        unsafe { *t.entries.add(i as usize) = value as *const FuncRef };
    }
    0
}

/// Takes the table lock for `fork`.
pub(crate) fn lock_for_fork() {
    GROW_LOCK.acquire_raw();
}

/// Releases the lock taken by [`lock_for_fork`].
pub(crate) fn unlock_after_fork() {
    // SAFETY: taken by lock_for_fork on this thread.
    unsafe { GROW_LOCK.release_raw() };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_checks_do_not_overflow() {
        assert!(range_ok(0, 0, 0));
        assert!(range_ok(5, 5, 10));
        assert!(!range_ok(5, 6, 10));
        assert!(!range_ok(u32::MAX, 2, u32::MAX));
    }
}
