//! `SYS_mmap`, `SYS_munmap`, `SYS_mremap`, `SYS_mprotect`, `SYS_madvise`, `SYS_msync`,
//! `SYS_mincore`, `SYS_brk`.
//!
//! Mappings live inside linear memory, in the mmap area above the module's initial memory
//! (`super` explains the layout). The allocator is page granular and first fit, so holes left by
//! `munmap` are reused and memory stays compact. Every host mapping is made with `MAP_FIXED` into
//! the reservation; unmapping re-creates `PROT_NONE` reservation (never a real hole another host
//! `mmap` could land in). Results are wasm addresses; failures are `-errno` as Linux reports them
//! (the reference runtime returns -1; kernel errnos are what the libc expects natively).
//!
//! Deviations from Linux, each because the guest may not touch the module's own memory layout:
//! - `MAP_FIXED`/`MAP_FIXED_NOREPLACE` below the mmap area (the module's static data and stack)
//!   fail with `EPERM` (as Linux does below `mmap_min_addr`); past the maximum memory with `ENOMEM`;
//! - `munmap` of a range starting below the mmap area fails with `EINVAL`;
//! - `mremap` does not support `MREMAP_DONTUNMAP` or `old_size == 0` (`EINVAL`); without
//!   `MREMAP_MAYMOVE` only anonymous private mappings grow in place;
//! - `madvise`/`msync` on pages inside `memory.size` that are not mapped succeed (they are
//!   reservation to the kernel);
//! - the first page of linear memory is where C's NULL points: as natively, where nothing is ever
//!   mapped at address 0, `mprotect`, `madvise`, `msync` and `mincore` of a range that starts
//!   there fail with `ENOMEM`, although the module's data may begin inside that page;
//! - `brk` always returns 0 ("no break"), as in the reference runtime, so musl's allocators use
//!   `mmap`.

use walic_loader::memory::HOST_PAGE_SIZE;
use walic_loader::vmctx::VmContext;

use super::{cover_host_pages, reserve_pages, STATE};
use crate::guest;

const PAGE: u64 = HOST_PAGE_SIZE;

fn err(e: i32) -> i64 {
    -(e as i64)
}

fn last_errno() -> i64 {
    err(std::io::Error::last_os_error()
        .raw_os_error()
        .unwrap_or(libc::ENOMEM))
}

/// Host address of host page `page` of linear memory.
fn host_page(page: u32) -> *mut libc::c_void {
    // SAFETY: page-map pages lie inside the reservation.
    unsafe { guest::base().add(page as usize * PAGE as usize) as *mut libc::c_void }
}

/// Whether wasm address `addr` is page aligned.
fn aligned(addr: u32) -> bool {
    (addr as u64).is_multiple_of(PAGE)
}

/// Whether the non-empty range at page-aligned `addr` covers the NULL page (see the module docs).
fn covers_null_page(addr: u32, len: u64) -> bool {
    len > 0 && u64::from(addr) < PAGE
}

/// Number of host pages covering `len` bytes (u64 so a 4 GiB request does not wrap).
fn pages_for(len: u64) -> u64 {
    len.div_ceil(PAGE)
}

/// `mmap(addr, length, prot, flags, fd, offset)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_mmap(
    _vmctx: *mut VmContext,
    a0: u64,
    a1: u64,
    a2: u64,
    a3: u64,
    a4: u64,
    a5: u64,
) -> i64 {
    let (addr, len, prot, flags, fd, offset) = (
        a0 as u32,
        a1 as u32 as u64,
        a2 as i32,
        a3 as i32,
        a4 as i32,
        a5 as i64,
    );
    if len == 0 || offset & (PAGE as i64 - 1) != 0 {
        return err(libc::EINVAL);
    }
    match flags & 0x0f {
        libc::MAP_SHARED | libc::MAP_PRIVATE | libc::MAP_SHARED_VALIDATE => {}
        _ => return err(libc::EINVAL),
    }
    let count = pages_for(len);
    let anon_private = flags & libc::MAP_ANONYMOUS != 0 && flags & 0x0f == libc::MAP_PRIVATE;
    let fixed = flags & libc::MAP_FIXED != 0;
    let noreplace = flags & libc::MAP_FIXED_NOREPLACE != 0;

    let mut guard = STATE.lock();
    let Some(state) = guard.as_mut() else {
        return err(libc::ENOMEM);
    };
    let map = &mut state.map;
    if count > (map.hi() - map.lo()) as u64 {
        return err(libc::ENOMEM);
    }
    let count = count as u32;
    let start = if fixed || noreplace {
        if !aligned(addr) {
            return err(libc::EINVAL);
        }
        let start = (addr as u64 / PAGE) as u32;
        if start < map.lo() {
            return err(libc::EPERM);
        }
        if !map.contains(start, count) {
            return err(libc::ENOMEM);
        }
        if !fixed && !map.is_free(start, count) {
            return err(libc::EEXIST);
        }
        start
    } else {
        let hint = (addr as u64 / PAGE) as u32;
        if addr != 0 && aligned(addr) && map.is_free(hint, count) {
            hint
        } else {
            match map.find_free(count) {
                Some(start) => start,
                None => return err(libc::ENOMEM),
            }
        }
    };
    let host_flags = (flags & !libc::MAP_FIXED_NOREPLACE) | libc::MAP_FIXED;
    // SAFETY: the target range lies inside the mmap area of the reservation (checked above);
    // MAP_FIXED replaces only runtime-owned reservation or the guest's own mappings there.
    let r = unsafe {
        libc::mmap(
            host_page(start),
            count as usize * PAGE as usize,
            prot,
            host_flags,
            fd,
            offset,
        )
    };
    if r == libc::MAP_FAILED {
        let e = last_errno();
        // A failed MAP_FIXED may already have removed what was there: keep the reservation
        // intact and the books in step with it.
        reserve_pages(start, count);
        map.release(start, count);
        return e;
    }
    map.release(start, count);
    map.take(start, count, prot, anon_private);
    cover_host_pages(start + count);
    start as i64 * PAGE as i64
}

/// `munmap(addr, length)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_munmap(
    _vmctx: *mut VmContext,
    a0: u64,
    a1: u64,
    _a2: u64,
    _a3: u64,
    _a4: u64,
    _a5: u64,
) -> i64 {
    let (addr, len) = (a0 as u32, a1 as u32 as u64);
    if len == 0 || !aligned(addr) {
        return err(libc::EINVAL);
    }
    let start = (addr as u64 / PAGE) as u32;
    let mut guard = STATE.lock();
    let Some(state) = guard.as_mut() else {
        return err(libc::EINVAL);
    };
    let map = &mut state.map;
    if start < map.lo() {
        return err(libc::EINVAL);
    }
    if start >= map.hi() {
        return 0;
    }
    let count = pages_for(len).min((map.hi() - start) as u64) as u32;
    if !reserve_pages(start, count) {
        return last_errno();
    }
    map.release(start, count);
    0
}

/// `mprotect(addr, len, prot)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_mprotect(
    _vmctx: *mut VmContext,
    a0: u64,
    a1: u64,
    a2: u64,
    _a3: u64,
    _a4: u64,
    _a5: u64,
) -> i64 {
    let (addr, len, prot) = (a0 as u32, a1 as u32 as u64, a2 as i32);
    if !aligned(addr) {
        return err(libc::EINVAL);
    }
    if len == 0 {
        return 0;
    }
    if covers_null_page(addr, len) {
        return err(libc::ENOMEM);
    }
    let start = addr as u64 / PAGE;
    let end = start + pages_for(len);
    let mut guard = STATE.lock();
    let Some(state) = guard.as_mut() else {
        return err(libc::ENOMEM);
    };
    let map = &mut state.map;
    // The module's initial memory is always mapped; the mmap area only where the map says so.
    if end > map.hi() as u64 {
        return err(libc::ENOMEM);
    }
    let area_start = (start as u32).max(map.lo());
    let end = end as u32;
    if area_start < end && !map.is_used(area_start, end - area_start) {
        return err(libc::ENOMEM);
    }
    // SAFETY: the range is inside linear memory and mapped (checked above).
    let r = unsafe {
        libc::mprotect(
            host_page(start as u32),
            (end - start as u32) as usize * PAGE as usize,
            prot,
        )
    };
    if r != 0 {
        return last_errno();
    }
    if area_start < end {
        map.set_prot(area_start, end - area_start, prot);
    }
    0
}

/// Shared checks of madvise/msync: the range must be page aligned and inside `memory.size`.
fn advice_range(addr: u32, len: u64) -> Result<(*mut libc::c_void, usize), i64> {
    if !aligned(addr) {
        return Err(err(libc::EINVAL));
    }
    if covers_null_page(addr, len) {
        return Err(err(libc::ENOMEM));
    }
    let bytes = pages_for(len) * PAGE;
    if addr as u64 + bytes > guest::size() {
        return Err(err(libc::ENOMEM));
    }
    // SAFETY: inside linear memory.
    Ok((
        unsafe { guest::base().add(addr as usize) } as *mut libc::c_void,
        bytes as usize,
    ))
}

/// `madvise(addr, len, advice)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_madvise(
    _vmctx: *mut VmContext,
    a0: u64,
    a1: u64,
    a2: u64,
    _a3: u64,
    _a4: u64,
    _a5: u64,
) -> i64 {
    match advice_range(a0 as u32, a1 as u32 as u64) {
        // SAFETY: the range is inside linear memory; advice is checked by the kernel.
        Ok((p, n)) => match unsafe { libc::madvise(p, n, a2 as i32) } {
            0 => 0,
            _ => last_errno(),
        },
        Err(e) => e,
    }
}

/// `msync(addr, len, flags)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_msync(
    vmctx: *mut VmContext,
    a0: u64,
    a1: u64,
    a2: u64,
    _a3: u64,
    _a4: u64,
    _a5: u64,
) -> i64 {
    match advice_range(a0 as u32, a1 as u32 as u64) {
        Ok((p, n)) => {
            // msync(MS_SYNC) waits for I/O: a blocking call.
            // SAFETY: the range is inside linear memory.
            let r = crate::signals::blocking(vmctx, || unsafe { libc::msync(p, n, a2 as i32) });
            let r = if r == 0 { 0 } else { last_errno() };
            crate::signals::after_syscall(vmctx);
            r
        }
        Err(e) => e,
    }
}

/// `mincore(addr, len, vec)`: one byte per page of the range, bit 0 set where the page is
/// resident. Pages outside linear memory, in the NULL page or in the mmap area's holes are not
/// mapped and fail the call with `ENOMEM`, as natively.
#[no_mangle]
pub extern "C" fn walic_import_SYS_mincore(
    _vmctx: *mut VmContext,
    a0: u64,
    a1: u64,
    a2: u64,
    _a3: u64,
    _a4: u64,
    _a5: u64,
) -> i64 {
    let (addr, len, vec) = (a0 as u32, a1 as u32 as u64, a2 as u32);
    if !aligned(addr) {
        return err(libc::EINVAL);
    }
    if len == 0 {
        return 0;
    }
    if covers_null_page(addr, len) || u64::from(addr) + len > guest::size() {
        return err(libc::ENOMEM);
    }
    let start = addr / PAGE as u32;
    let count = pages_for(len) as u32;
    {
        let guard = STATE.lock();
        let Some(state) = guard.as_ref() else {
            return err(libc::ENOMEM);
        };
        let map = &state.map;
        let area_start = start.max(map.lo());
        let end = start + count;
        if area_start < end && !map.is_used(area_start, end - area_start) {
            return err(libc::ENOMEM);
        }
    }
    let mut residency = vec![0u8; count as usize];
    // SAFETY: the range is inside linear memory (checked above); the kernel writes `count` bytes
    // into the buffer, which has them.
    let r = unsafe {
        libc::mincore(
            host_page(start),
            count as usize * PAGE as usize,
            residency.as_mut_ptr(),
        )
    };
    if r != 0 {
        return last_errno();
    }
    match guest::write_bytes(vec, &residency) {
        Ok(()) => 0,
        Err(e) => e,
    }
}

/// `brk(addr)`: always 0, "no program break" (see the module docs).
#[no_mangle]
pub extern "C" fn walic_import_SYS_brk(
    _vmctx: *mut VmContext,
    _a0: u64,
    _a1: u64,
    _a2: u64,
    _a3: u64,
    _a4: u64,
    _a5: u64,
) -> i64 {
    0
}

const MREMAP_MAYMOVE: i32 = 1;
const MREMAP_FIXED: i32 = 2;

/// `mremap(old_address, old_size, new_size, flags, new_address)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_mremap(
    _vmctx: *mut VmContext,
    a0: u64,
    a1: u64,
    a2: u64,
    a3: u64,
    a4: u64,
    _a5: u64,
) -> i64 {
    let (old, old_size, new_size, flags, new_addr) = (
        a0 as u32,
        a1 as u32 as u64,
        a2 as u32 as u64,
        a3 as i32,
        a4 as u32,
    );
    if !aligned(old)
        || flags & !(MREMAP_MAYMOVE | MREMAP_FIXED) != 0
        || (flags & MREMAP_FIXED != 0 && flags & MREMAP_MAYMOVE == 0)
        || new_size == 0
        || old_size == 0
    {
        return err(libc::EINVAL);
    }
    let start = (old as u64 / PAGE) as u32;
    let old_count = pages_for(old_size);
    let new_count = pages_for(new_size);
    let mut guard = STATE.lock();
    let Some(state) = guard.as_mut() else {
        return err(libc::EFAULT);
    };
    let map = &mut state.map;
    if old_count > (map.hi() - map.lo()) as u64 || !map.is_used(start, old_count as u32) {
        return err(libc::EFAULT);
    }
    if new_count > (map.hi() - map.lo()) as u64 {
        return err(libc::ENOMEM);
    }
    let (old_count, new_count) = (old_count as u32, new_count as u32);
    let (_, last) = map
        .region_at(start + old_count - 1)
        .expect("range checked used");

    let target = if flags & MREMAP_FIXED != 0 {
        if !aligned(new_addr) {
            return err(libc::EINVAL);
        }
        let target = (new_addr as u64 / PAGE) as u32;
        if target < map.lo() || !map.contains(target, new_count) {
            return err(libc::EINVAL);
        }
        if target < start + old_count && start < target + new_count {
            return err(libc::EINVAL);
        }
        target
    } else if new_count <= old_count {
        // Shrink in place: turn the tail back into reservation.
        if !reserve_pages(start + new_count, old_count - new_count) {
            return last_errno();
        }
        map.release(start + new_count, old_count - new_count);
        return old as i64;
    } else {
        let extra = new_count - old_count;
        let tail = start + old_count;
        if last.anon_private && map.contains(tail, extra) && map.is_free(tail, extra) {
            // Grow in place: map more anonymous pages right after the old ones.
            // SAFETY: the tail is free reservation inside the mmap area.
            let r = unsafe {
                libc::mmap(
                    host_page(tail),
                    extra as usize * PAGE as usize,
                    last.prot,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
                    -1,
                    0,
                )
            };
            if r == libc::MAP_FAILED {
                let e = last_errno();
                reserve_pages(tail, extra);
                return e;
            }
            map.take(tail, extra, last.prot, true);
            cover_host_pages(tail + extra);
            return old as i64;
        }
        if flags & MREMAP_MAYMOVE == 0 {
            return err(libc::ENOMEM);
        }
        match map.find_free(new_count) {
            Some(t) => t,
            None => return err(libc::ENOMEM),
        }
    };

    // Move (MREMAP_FIXED, or growth that does not fit in place).
    // SAFETY: source and target are disjoint ranges inside the mmap area.
    let r = unsafe {
        libc::mremap(
            host_page(start),
            old_count as usize * PAGE as usize,
            new_count as usize * PAGE as usize,
            libc::MREMAP_MAYMOVE | libc::MREMAP_FIXED,
            host_page(target),
        )
    };
    if r == libc::MAP_FAILED {
        let e = last_errno();
        // The kernel may have unmapped the target already: restore the reservation there.
        reserve_pages(target, new_count);
        map.release(target, new_count);
        if e == err(libc::EFAULT) && last.anon_private {
            // The old range spans several kernel mappings; move anonymous memory by copying.
            return copy_move(map, start, old_count, target, new_count, last.prot);
        }
        return e;
    }
    // The old range is now a real hole: make it reservation again.
    reserve_pages(start, old_count);
    map.release(start, old_count);
    map.release(target, new_count);
    map.take(target, new_count, last.prot, last.anon_private);
    cover_host_pages(target + new_count);
    target as i64 * PAGE as i64
}

/// Moves anonymous memory by mapping fresh pages at `target` and copying the old contents. The
/// copy is fault-tolerant: a source page that cannot be read (a shared file mapping past the end
/// of its file) leaves everything as it was and gives `EFAULT`, as Linux's `mremap` of a range
/// spanning several mappings does.
fn copy_move(
    map: &mut super::pagemap::PageMap,
    start: u32,
    old_count: u32,
    target: u32,
    new_count: u32,
    prot: i32,
) -> i64 {
    let rw = libc::PROT_READ | libc::PROT_WRITE;
    // SAFETY: the target is free reservation inside the mmap area; the source is mapped guest
    // memory of old_count pages (made readable for the copy).
    unsafe {
        let r = libc::mmap(
            host_page(target),
            new_count as usize * PAGE as usize,
            rw,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
            -1,
            0,
        );
        if r == libc::MAP_FAILED {
            let e = last_errno();
            reserve_pages(target, new_count);
            return e;
        }
        libc::mprotect(
            host_page(start),
            old_count as usize * PAGE as usize,
            libc::PROT_READ,
        );
        let copied = guest::fault_tolerant::copy(
            host_page(target) as *mut u8,
            host_page(start) as *const u8,
            old_count.min(new_count) as usize * PAGE as usize,
        );
        if copied.is_err() {
            reserve_pages(target, new_count);
            restore_protection(map, start, old_count);
            return err(libc::EFAULT);
        }
        if prot != rw {
            libc::mprotect(host_page(target), new_count as usize * PAGE as usize, prot);
        }
    }
    reserve_pages(start, old_count);
    map.release(start, old_count);
    map.take(target, new_count, prot, true);
    cover_host_pages(target + new_count);
    target as i64 * PAGE as i64
}

/// Gives the pages `[start, start + count)` back the protection the page map records for them.
fn restore_protection(map: &super::pagemap::PageMap, start: u32, count: u32) {
    let end = start + count;
    let mut page = start;
    while page < end {
        let Some((region_start, region)) = map.region_at(page) else {
            break;
        };
        let region_end = (region_start + region.pages).min(end);
        // SAFETY: used pages of the mmap area, inside the reservation.
        unsafe {
            libc::mprotect(
                host_page(page),
                (region_end - page) as usize * PAGE as usize,
                region.prot,
            )
        };
        page = region_end;
    }
}
