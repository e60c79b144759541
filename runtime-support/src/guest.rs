//! Guest (linear) memory as the runtime sees it: where it is, how large it is now, and checked
//! translation of wasm addresses into host pointers.
//!
//! Every pointer argument an import receives is a u32 wasm address. Address 0 is NULL in both
//! directions (ABI.md §1.4). Any other address is valid only if the whole buffer it names lies
//! inside the memory's *current* size; otherwise the import fails with `EFAULT` before the kernel
//! sees anything, so no argument can make the runtime touch host memory outside linear memory.
//!
//! The runtime itself reads guest memory only through raw pointers (`read_unaligned`, `memchr`),
//! never through Rust references: other guest threads may write the same bytes concurrently, as
//! they may under a native kernel.
//!
//! Known limit: a range inside the current size that the program made inaccessible (a page it
//! `mprotect`ed to `PROT_NONE`, a thread stack's guard page) passes the check. The kernel still
//! answers `EFAULT` for the buffers it touches itself, exactly as natively, but the few structures
//! the runtime reads on the program's behalf (iovec arrays, `msghdr`, string scans) fault inside
//! the runtime instead, which ends the program.

use core::sync::atomic::{AtomicU64, Ordering};

/// Host address of wasm address 0 (set once at start-up; never moves).
static MEMORY_BASE: AtomicU64 = AtomicU64::new(0);
/// Current size of linear memory in bytes (only grows).
static MEMORY_SIZE: AtomicU64 = AtomicU64::new(0);

/// `EFAULT`, the error for any argument that names memory outside the guest.
pub const EFAULT: i64 = -(libc::EFAULT as i64);

/// The longest path the kernel reads from a path argument, terminating NUL included (`PATH_MAX`).
pub const PATH_MAX: u64 = 4096;

/// Records where linear memory lives; called once by start-up.
pub fn set_memory(base: *mut u8, size_bytes: u64) {
    MEMORY_BASE.store(base as u64, Ordering::Release);
    MEMORY_SIZE.store(size_bytes, Ordering::Release);
}

/// Records the memory's new size after it grew.
pub fn set_size(size_bytes: u64) {
    MEMORY_SIZE.fetch_max(size_bytes, Ordering::AcqRel);
}

/// Host address of wasm address 0.
pub fn base() -> *mut u8 {
    MEMORY_BASE.load(Ordering::Acquire) as *mut u8
}

/// Current size of linear memory in bytes.
pub fn size() -> u64 {
    MEMORY_SIZE.load(Ordering::Acquire)
}

/// Whether `[addr, addr + len)` lies inside the current memory.
pub fn in_bounds(addr: u32, len: u64) -> bool {
    (addr as u64)
        .checked_add(len)
        .is_some_and(|end| end <= size())
}

/// Translates the buffer `[addr, addr + len)` to a host pointer: `Ok(null)` for address 0,
/// `Err(EFAULT)` if any byte lies outside the current memory.
pub fn translate(addr: u32, len: u64) -> Result<*mut u8, i64> {
    if addr == 0 {
        return Ok(core::ptr::null_mut());
    }
    if !in_bounds(addr, len) {
        return Err(EFAULT);
    }
    // SAFETY: `addr + len` is inside the mapped linear memory checked above, so the resulting
    // pointer stays inside the reservation that starts at `base()`.
    Ok(unsafe { base().add(addr as usize) })
}

/// Like [`translate`], but address 0 is an error too (for buffers the kernel must not see as NULL).
pub fn translate_nonnull(addr: u32, len: u64) -> Result<*mut u8, i64> {
    match translate(addr, len)? {
        p if p.is_null() => Err(EFAULT),
        p => Ok(p),
    }
}

/// Translates an array of `count` elements of `element_size` bytes; a byte count that overflows
/// is `EFAULT` like any other range that does not fit.
pub fn translate_array(addr: u32, count: u64, element_size: u64) -> Result<*mut u8, i64> {
    let len = count.checked_mul(element_size).ok_or(EFAULT)?;
    translate(addr, len)
}

/// Translates a 64-bit argument that carries a wasm address (`fcntl`'s and `prctl`'s
/// `unsigned long` arguments): the value must fit in 32 bits.
pub fn translate_long(value: u64, len: u64) -> Result<*mut u8, i64> {
    let addr = u32::try_from(value).map_err(|_| EFAULT)?;
    translate(addr, len)
}

/// Whether a NUL occurs among the `limit` bytes at host pointer `start`.
///
/// # Safety
/// `[start, start + limit)` must be inside linear memory.
unsafe fn find_nul(start: *const u8, limit: u64) -> bool {
    // SAFETY: guaranteed by the caller; `memchr` reads through a raw pointer, so no Rust reference
    // to memory other threads may be writing is created.
    !unsafe { libc::memchr(start.cast(), 0, limit as usize) }.is_null()
}

/// Translates a NUL-terminated string: checks that a NUL occurs before the end of memory.
pub fn translate_cstr(addr: u32) -> Result<*const libc::c_char, i64> {
    translate_cstr_within(addr, u64::MAX)
}

/// Translates a path argument. The kernel reads at most [`PATH_MAX`] bytes of a path and answers
/// `ENAMETOOLONG` when it finds no NUL among them, so only those bytes must lie inside memory:
/// a path with a NUL in its first `PATH_MAX` bytes, or with `PATH_MAX` bytes inside memory, is
/// handed to the kernel; one that runs off the end of memory sooner is `EFAULT`.
pub fn translate_path(addr: u32) -> Result<*const libc::c_char, i64> {
    translate_cstr_within(addr, PATH_MAX)
}

/// Translates a string the kernel reads at most `limit` bytes of (the terminating NUL included).
pub fn translate_cstr_within(addr: u32, limit: u64) -> Result<*const libc::c_char, i64> {
    if addr == 0 {
        return Ok(core::ptr::null());
    }
    let available = size().saturating_sub(addr as u64);
    if available == 0 {
        return Err(EFAULT);
    }
    let start = translate(addr, 0)?;
    let scanned = available.min(limit);
    // SAFETY: `[start, start + scanned)` is inside the current linear memory.
    if unsafe { find_nul(start, scanned) } || scanned == limit {
        Ok(start as *const libc::c_char)
    } else {
        Err(EFAULT)
    }
}

/// Reads a `T` stored at wasm address `addr` (any alignment).
pub fn read<T: Copy>(addr: u32) -> Result<T, i64> {
    let p = translate_nonnull(addr, core::mem::size_of::<T>() as u64)?;
    // SAFETY: the whole `T` lies inside linear memory (checked above); the read is unaligned
    // because wasm imposes no alignment, and `T: Copy` is plain data for every caller.
    Ok(unsafe { p.cast::<T>().read_unaligned() })
}

/// Writes `value` at wasm address `addr` (any alignment).
pub fn write<T: Copy>(addr: u32, value: T) -> Result<(), i64> {
    let p = translate_nonnull(addr, core::mem::size_of::<T>() as u64)?;
    // SAFETY: the whole `T` lies inside linear memory (checked above).
    unsafe { p.cast::<T>().write_unaligned(value) };
    Ok(())
}

/// The wasm address of a host pointer inside linear memory (NULL becomes 0).
pub fn to_wasm(ptr: *const u8) -> u32 {
    if ptr.is_null() {
        0
    } else {
        (ptr as u64).wrapping_sub(base() as u64) as u32
    }
}

/// A fake linear memory for unit tests anywhere in the crate.
#[cfg(test)]
pub(crate) mod testing {
    use std::sync::{Mutex, MutexGuard};

    /// Serializes the tests that install a fake memory (the memory is a process-wide global).
    static MEMORY_LOCK: Mutex<()> = Mutex::new(());

    /// Bytes of writable canary right after the fake memory: a check that lets a buffer reach past
    /// the end would let the kernel write there, which the tests detect.
    pub(crate) const CANARY_BYTES: usize = 4096;
    const CANARY: u8 = 0xA5;

    /// A fake guest memory of `size` bytes followed by a writable canary page, installed with
    /// [`super::set_memory`] for as long as the value lives.
    pub(crate) struct FakeMemory {
        mapping: *mut u8,
        size: usize,
        _lock: MutexGuard<'static, ()>,
    }

    impl FakeMemory {
        /// Maps and installs a zeroed memory of `size` bytes (a multiple of 4096).
        pub(crate) fn new(size: usize) -> FakeMemory {
            let lock = MEMORY_LOCK.lock().unwrap_or_else(|e| e.into_inner());
            // SAFETY: a fresh anonymous mapping, owned by the returned value.
            let mapping = unsafe {
                libc::mmap(
                    core::ptr::null_mut(),
                    size + CANARY_BYTES,
                    libc::PROT_READ | libc::PROT_WRITE,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                    -1,
                    0,
                )
            };
            assert_ne!(mapping, libc::MAP_FAILED);
            let mapping = mapping.cast::<u8>();
            // SAFETY: the canary lies inside the mapping just created.
            unsafe { mapping.add(size).write_bytes(CANARY, CANARY_BYTES) };
            super::set_memory(mapping, size as u64);
            FakeMemory {
                mapping,
                size,
                _lock: lock,
            }
        }

        /// The guest bytes `[addr, addr + len)`.
        pub(crate) fn bytes(&self, addr: u32, len: usize) -> &[u8] {
            assert!(addr as usize + len <= self.size + CANARY_BYTES);
            // SAFETY: inside the mapping; tests are single-threaded users of it.
            unsafe { core::slice::from_raw_parts(self.mapping.add(addr as usize), len) }
        }

        /// Copies `data` into guest memory at `addr`.
        pub(crate) fn put(&self, addr: u32, data: &[u8]) {
            assert!(addr as usize + data.len() <= self.size + CANARY_BYTES);
            // SAFETY: inside the mapping (checked above).
            let target = unsafe { self.mapping.add(addr as usize) };
            // SAFETY: `data` is a separate host buffer; the target range is inside the mapping.
            unsafe { core::ptr::copy_nonoverlapping(data.as_ptr(), target, data.len()) };
        }

        /// Whether the canary after the memory is untouched.
        pub(crate) fn canary_intact(&self) -> bool {
            self.bytes(self.size as u32, CANARY_BYTES)
                .iter()
                .all(|&b| b == CANARY)
        }
    }

    impl Drop for FakeMemory {
        fn drop(&mut self) {
            assert!(
                self.canary_intact(),
                "the kernel wrote past the end of guest memory"
            );
            super::set_memory(core::ptr::null_mut(), 0);
            // SAFETY: unmaps the mapping created in `new`.
            unsafe { libc::munmap(self.mapping.cast(), self.size + CANARY_BYTES) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::FakeMemory;
    use super::*;

    #[test]
    fn bounds_are_checked_against_the_current_size() {
        let memory = FakeMemory::new(4096);
        memory.put(100, b"a");
        memory.put(4095, b"z");
        assert!(translate(0, 10).unwrap().is_null());
        assert!(translate(4000, 96).is_ok());
        assert_eq!(translate(4000, 97), Err(EFAULT));
        assert_eq!(translate(u32::MAX, 2), Err(EFAULT));
        assert_eq!(translate_nonnull(0, 1), Err(EFAULT));
        assert_eq!(translate_cstr(4095), Err(EFAULT));
        assert!(translate_cstr(100).is_ok());
        assert_eq!(translate_cstr(4096), Err(EFAULT));
        assert_eq!(to_wasm(translate(123, 1).unwrap()), 123);
    }

    #[test]
    fn arrays_and_long_addresses() {
        let _memory = FakeMemory::new(4096);
        assert!(translate_array(4000, 12, 8).is_ok());
        assert_eq!(translate_array(4000, 13, 8), Err(EFAULT));
        assert_eq!(translate_array(8, u64::MAX, 16), Err(EFAULT));
        assert!(translate_long(4000, 96).is_ok());
        assert_eq!(translate_long(1 << 32, 0), Err(EFAULT));
    }

    #[test]
    fn paths_are_scanned_only_as_far_as_the_kernel_reads() {
        let memory = FakeMemory::new(3 * 4096);
        memory.put(0, &[b'x'; 3 * 4096]);
        // PATH_MAX bytes without a NUL, all inside memory: the kernel decides (ENAMETOOLONG).
        assert!(translate_path(100).is_ok());
        // Fewer than PATH_MAX bytes left and no NUL: the string runs off the end.
        assert_eq!(translate_path(3 * 4096 - 100), Err(EFAULT));
        assert_eq!(translate_cstr(100), Err(EFAULT));
        memory.put(3 * 4096 - 1, b"\0");
        assert!(translate_path(3 * 4096 - 100).is_ok());
    }

    #[test]
    fn reads_and_writes_are_unaligned_and_checked() {
        let _memory = FakeMemory::new(4096);
        write::<u64>(4087, 0x1122_3344_5566_7788).unwrap();
        assert_eq!(read::<u64>(4087), Ok(0x1122_3344_5566_7788));
        assert_eq!(read::<u32>(4094), Err(EFAULT));
        assert_eq!(write::<u32>(0, 1), Err(EFAULT));
    }
}
