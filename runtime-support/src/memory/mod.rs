//! Linear memory: the reservation, `memory.grow`/`memory.size`, (in [`bulk`]) the bulk-memory
//! operations, and (in [`mapping`]) the memory-management syscalls with an allocator over the
//! memory's mmap area.
//!
//! Layout of the 8 GiB reservation (`RESERVATION_BYTES`, all `PROT_NONE` until used):
//!
//! ```text
//! 0 ........ initial ................................ max (2 GiB for WALI) ..... 8 GiB
//! | module's |  mmap area: mmap/mremap/memory.grow     |  never accessible
//! | memory   |  (page map: free ranges + regions)      |  (guard for addr + offset)
//! ```
//!
//! `memory.size` (in 64 KiB pages) only grows: to cover `memory.grow`, and to cover the highest
//! mapping whenever one is placed above it (as in the reference runtime). Pages below
//! `memory.size` that are not mapped (holes left by `munmap`, or the tail of the last 64 KiB page
//! above a mapping) stay `PROT_NONE`, so accesses to them trap. `memory.grow` takes pages at the
//! top end; every used page is always below `memory.size`, so the grown pages are untouched
//! reservation (zero). One lock serializes every change of the map and of the size.

pub(crate) mod bulk;
pub(crate) mod mapping;
pub(crate) mod pagemap;

use core::ptr::null_mut;
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use walic_loader::memory::{HOST_PAGE_SIZE, MAX_WASM_PAGES, RESERVATION_BYTES, WASM_PAGE_SIZE};
use walic_loader::metadata::{memory_flags, ModuleDescriptor};
use walic_loader::vmctx::VmContext;

use crate::guest;
use crate::sync::Lock;
use pagemap::PageMap;

/// Host pages per wasm page.
const HOST_PAGES_PER_WASM_PAGE: u32 = (WASM_PAGE_SIZE / HOST_PAGE_SIZE) as u32;

/// Current size in wasm pages (read lock-free by `memory.size`).
static PAGES: AtomicU32 = AtomicU32::new(0);
/// Whether the memory is shared (atomic waits allowed).
static SHARED: AtomicBool = AtomicBool::new(false);

/// What the lock protects: the page map of the mmap area and the maximum size.
pub(crate) struct MemoryState {
    /// Free ranges and regions of `[initial, max)`, in host pages.
    pub map: PageMap,
    /// Maximum size in wasm pages.
    pub max_pages: u32,
}

/// The memory's mutable state (None if the module has no memory).
pub(crate) static STATE: Lock<Option<MemoryState>> = Lock::new(None);

/// Whether the memory is shared.
pub(crate) fn is_shared() -> bool {
    SHARED.load(Ordering::Relaxed)
}

/// Reserves the address space, makes the initial pages accessible and publishes the memory to
/// [`guest`]. Returns the base address (null if the module has no memory). Called once.
pub(crate) fn reserve(module: &ModuleDescriptor) -> Result<*mut u8, &'static str> {
    if module.memory_flags & memory_flags::PRESENT == 0 {
        return Ok(null_mut());
    }
    let max_pages = module.memory_max_pages.min(MAX_WASM_PAGES as u32);
    let initial = module.memory_initial_pages;
    if initial > max_pages {
        return Err("initial memory size exceeds the maximum");
    }
    // SAFETY: a fresh PROT_NONE reservation; nothing else uses it.
    let base = unsafe {
        libc::mmap(
            null_mut(),
            RESERVATION_BYTES as usize,
            libc::PROT_NONE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
            -1,
            0,
        )
    };
    if base == libc::MAP_FAILED {
        return Err("cannot reserve address space for linear memory");
    }
    let initial_bytes = initial as u64 * WASM_PAGE_SIZE;
    if initial_bytes > 0 {
        // SAFETY: the range lies inside the reservation made above.
        let r = unsafe {
            libc::mprotect(
                base,
                initial_bytes as usize,
                libc::PROT_READ | libc::PROT_WRITE,
            )
        };
        if r != 0 {
            return Err("cannot make the initial linear memory accessible");
        }
    }
    *STATE.lock() = Some(MemoryState {
        map: PageMap::new(
            initial * HOST_PAGES_PER_WASM_PAGE,
            max_pages * HOST_PAGES_PER_WASM_PAGE,
        ),
        max_pages,
    });
    SHARED.store(
        module.memory_flags & memory_flags::SHARED != 0,
        Ordering::Relaxed,
    );
    PAGES.store(initial, Ordering::Release);
    guest::set_memory(base as *mut u8, initial_bytes);
    Ok(base as *mut u8)
}

/// Records a new size in wasm pages (never shrinks).
fn publish_pages(pages: u32) {
    PAGES.fetch_max(pages, Ordering::AcqRel);
    guest::set_size(pages as u64 * WASM_PAGE_SIZE);
}

/// Grows `memory.size` so that host page `end_page` (exclusive) is covered.
pub(crate) fn cover_host_pages(end_page: u32) {
    let pages = end_page.div_ceil(HOST_PAGES_PER_WASM_PAGE);
    if pages > PAGES.load(Ordering::Acquire) {
        publish_pages(pages);
    }
}

/// Current size in wasm pages.
pub(crate) fn pages() -> u32 {
    PAGES.load(Ordering::Acquire)
}

/// Remaps `[page, page + count)` (host pages) as fresh inaccessible reservation.
pub(crate) fn reserve_pages(page: u32, count: u32) -> bool {
    if count == 0 {
        return true;
    }
    // SAFETY: the range lies inside the linear-memory reservation (callers only pass page-map
    // ranges), which the runtime owns.
    let r = unsafe {
        libc::mmap(
            guest::base().add(page as usize * HOST_PAGE_SIZE as usize) as *mut libc::c_void,
            count as usize * HOST_PAGE_SIZE as usize,
            libc::PROT_NONE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE | libc::MAP_FIXED,
            -1,
            0,
        )
    };
    r != libc::MAP_FAILED
}

/// `memory.grow`: the old size in pages, or -1.
#[no_mangle]
pub extern "C" fn walic_rt_memory_grow(_vmctx: *mut VmContext, delta: u32) -> i32 {
    let mut guard = STATE.lock();
    let Some(state) = guard.as_mut() else {
        return -1;
    };
    let old = pages();
    if delta == 0 {
        return old as i32;
    }
    let new = old as u64 + delta as u64;
    if new > state.max_pages as u64 {
        return -1;
    }
    let start = old * HOST_PAGES_PER_WASM_PAGE;
    let count = delta * HOST_PAGES_PER_WASM_PAGE;
    let rw = libc::PROT_READ | libc::PROT_WRITE;
    if !state.map.take(start, count, rw, true) {
        return -1;
    }
    // SAFETY: the grown range lies inside the reservation and was unused (every used page lies
    // below memory.size).
    let r = unsafe {
        libc::mprotect(
            guest::base().add(old as usize * WASM_PAGE_SIZE as usize) as *mut libc::c_void,
            delta as usize * WASM_PAGE_SIZE as usize,
            rw,
        )
    };
    if r != 0 {
        state.map.release(start, count);
        return -1;
    }
    publish_pages(new as u32);
    old as i32
}

/// `memory.size` in pages.
#[no_mangle]
pub extern "C" fn walic_rt_memory_size(_vmctx: *mut VmContext) -> u32 {
    pages()
}

/// Takes the memory lock for `fork` (released by [`unlock_after_fork`] in both processes).
pub(crate) fn lock_for_fork() {
    STATE.acquire_raw();
}

/// Releases the lock taken by [`lock_for_fork`].
pub(crate) fn unlock_after_fork() {
    // SAFETY: taken by lock_for_fork on this thread.
    unsafe { STATE.release_raw() };
}
