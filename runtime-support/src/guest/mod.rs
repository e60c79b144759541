//! Guest (linear) memory as the runtime sees it: where it is, how large it is now, checked
//! translation of wasm addresses into host pointers, and fault-tolerant reads and writes.
//!
//! Every pointer argument an import receives is a u32 wasm address. Address 0 is NULL in both
//! directions (ABI.md §1.4). Any other address is valid only if the whole buffer it names lies
//! inside the memory's *current* size; otherwise the import fails with `EFAULT` before the kernel
//! sees anything, so no argument can make the runtime touch host memory outside linear memory.
//!
//! A range inside the current size can still be inaccessible: a page the program unmapped
//! (`munmap` turns it back into `PROT_NONE` reservation), made `PROT_NONE`, or a shared file
//! mapping past the end of its file. Two kinds of access follow from that:
//!
//! - a translated pointer handed to the kernel ([`translate`] and friends): the kernel itself
//!   answers `EFAULT` for an inaccessible page, exactly as natively;
//! - bytes the runtime's own code reads or writes (structure conversions, string scans, results
//!   copied back): always through the accessors here ([`read`], [`write`], [`read_bytes`],
//!   [`write_bytes`], [`read_array`], and the string scans of [`translate_cstr_within`]), built
//!   on the fault-tolerant routines of [`fault_tolerant`]. An inaccessible page makes them return
//!   `EFAULT`, as `copy_from_user` does in the kernel, instead of ending the program.
//!
//! Syscall code never dereferences a translated pointer itself. (Still to convert: the signal
//! code reads `sigaction` and `stack_t` and writes the handlers' `siginfo` directly, and setjmp
//! reads its `jmp_buf`; `memory.copy`/`fill`/`init` trap over inaccessible pages by design.)
//! No runtime code creates Rust references to guest memory: other guest threads may write the
//! same bytes concurrently, as they may under a native kernel.

pub mod fault_tolerant;

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
/// Like the kernel's `strncpy_from_user`, the scan fails with `EFAULT` when it reaches the end of
/// memory or an inaccessible page before a NUL or the limit.
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
    // SAFETY: `[start, start + scanned)` is inside the current linear memory, whose size is a
    // multiple of the page size, so every aligned block the scan reads is guest memory too.
    let length =
        unsafe { fault_tolerant::string_length(start, scanned as usize) }.map_err(|_| EFAULT)?;
    if (length as u64) < scanned || scanned == limit {
        Ok(start as *const libc::c_char)
    } else {
        Err(EFAULT)
    }
}

/// Plain data that can be copied to and from guest memory: every bit pattern is a valid value,
/// there are no padding bytes (which would copy uninitialized host bytes to the guest), and no
/// pointers or references (the wasm layouts of structures, integers, arrays of them).
///
/// # Safety
/// Implementors must be inhabited by every bit pattern of their size and have no padding.
pub unsafe trait Plain: Copy {}

// SAFETY: integers and arrays of plain data accept every bit pattern.
unsafe impl Plain for u8 {}
// SAFETY: as above.
unsafe impl Plain for u16 {}
// SAFETY: as above.
unsafe impl Plain for u32 {}
// SAFETY: as above.
unsafe impl Plain for u64 {}
// SAFETY: as above.
unsafe impl Plain for i32 {}
// SAFETY: as above.
unsafe impl Plain for i64 {}
// SAFETY: as above.
unsafe impl<T: Plain, const N: usize> Plain for [T; N] {}

/// Copies the guest bytes at `addr` into `out` (`copy_from_user`): `EFAULT` for address 0, a
/// range outside memory, or an inaccessible page (`out` then holds unspecified bytes).
pub fn read_bytes(addr: u32, out: &mut [u8]) -> Result<(), i64> {
    let source = translate_nonnull(addr, out.len() as u64)?;
    // SAFETY: the source range is inside linear memory (checked above); `out` is a host buffer
    // of the same length that the routine alone writes while it runs.
    unsafe { fault_tolerant::copy(out.as_mut_ptr(), source, out.len()) }.map_err(|_| EFAULT)
}

/// Copies `data` to the guest bytes at `addr` (`copy_to_user`): `EFAULT` for address 0, a
/// range outside memory, or an inaccessible page (a prefix may have been written then).
pub fn write_bytes(addr: u32, data: &[u8]) -> Result<(), i64> {
    let target = translate_nonnull(addr, data.len() as u64)?;
    // SAFETY: the target range is inside linear memory (checked above); `data` is a host buffer.
    unsafe { fault_tolerant::copy(target, data.as_ptr(), data.len()) }.map_err(|_| EFAULT)
}

/// Copies `out.len()` consecutive `T`s stored at `addr` (any alignment) into `out`.
pub fn read_array<T: Plain>(addr: u32, out: &mut [T]) -> Result<(), i64> {
    // SAFETY: a `T: Plain` slice may be viewed as its bytes and receive any bytes.
    let bytes = unsafe {
        core::slice::from_raw_parts_mut(out.as_mut_ptr().cast::<u8>(), core::mem::size_of_val(out))
    };
    read_bytes(addr, bytes)
}

/// Reads a `T` stored at wasm address `addr` (any alignment).
#[inline]
pub fn read<T: Plain>(addr: u32) -> Result<T, i64> {
    let source = translate_nonnull(addr, core::mem::size_of::<T>() as u64)?;
    let mut value = core::mem::MaybeUninit::<T>::uninit();
    // SAFETY: the source is inside linear memory (checked above), the target a local of the
    // same size.
    unsafe { fault_tolerant::copy(value.as_mut_ptr().cast(), source, core::mem::size_of::<T>()) }
        .map_err(|_| EFAULT)?;
    // SAFETY: every byte was written, and any bytes are a valid `T: Plain`.
    Ok(unsafe { value.assume_init() })
}

/// Writes `value` at wasm address `addr` (any alignment).
#[inline]
pub fn write<T: Plain>(addr: u32, value: T) -> Result<(), i64> {
    let target = translate_nonnull(addr, core::mem::size_of::<T>() as u64)?;
    // SAFETY: the target is inside linear memory (checked above); the source is a local.
    unsafe {
        fault_tolerant::copy(
            target,
            (&value as *const T).cast(),
            core::mem::size_of::<T>(),
        )
    }
    .map_err(|_| EFAULT)
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

        /// Makes the guest pages `[addr, addr + len)` inaccessible, as a `munmap` of part of a
        /// mapping does (`addr` and `len` multiples of 4096), and installs the runtime's fault
        /// handler, which turns the runtime's faulting accesses there into `EFAULT`.
        pub(crate) fn make_inaccessible(&self, addr: u32, len: usize) {
            assert!(
                addr as usize + len <= self.size
                    && addr.is_multiple_of(4096)
                    && len.is_multiple_of(4096)
            );
            static HANDLERS: std::sync::Once = std::sync::Once::new();
            HANDLERS.call_once(crate::traps::install_fault_handlers);
            // SAFETY: a page-aligned range inside the mapping; only guest accessors touch it.
            let r = unsafe {
                libc::mprotect(self.mapping.add(addr as usize).cast(), len, libc::PROT_NONE)
            };
            assert_eq!(r, 0);
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

    #[test]
    fn inaccessible_pages_inside_memory_are_efault() {
        let memory = FakeMemory::new(4 * 4096);
        memory.put(4096 - 4, b"ab\0\0");
        memory.put(3 * 4096, b"/tmp\0");
        memory.make_inaccessible(4096, 2 * 4096);
        // Reads and writes touching the hole, at its start, end and straddling it.
        assert_eq!(read::<u32>(4096), Err(EFAULT));
        assert_eq!(read::<u64>(4096 - 4), Err(EFAULT));
        assert_eq!(read::<u64>(3 * 4096 - 4), Err(EFAULT));
        assert_eq!(read::<u32>(4096 - 4), Ok(u32::from_le_bytes(*b"ab\0\0")));
        assert_eq!(write::<u32>(2 * 4096, 7), Err(EFAULT));
        let mut big = [0u8; 600];
        assert_eq!(read_bytes(4096 - 300, &mut big), Err(EFAULT));
        assert_eq!(read_bytes(3 * 4096, &mut big), Ok(()));
        assert_eq!(write_bytes(3 * 4096 - 1, &[1, 2]), Err(EFAULT));
        assert_eq!(write_bytes(3 * 4096, &[1, 2]), Ok(()));
        let mut words = [0u32; 5];
        assert_eq!(read_array(4096 - 8, &mut words), Err(EFAULT));
        // Strings: ending before the hole, starting in it, running into it.
        assert!(translate_cstr(4096 - 4).is_ok());
        assert_eq!(translate_cstr(4096 + 10), Err(EFAULT));
        assert_eq!(translate_path(2 * 4096), Err(EFAULT));
        memory.put(4096 - 4, b"abcd");
        assert_eq!(translate_path(4096 - 4), Err(EFAULT));
        assert_eq!(
            translate_cstr_within(4096 - 4, 4),
            Ok(translate(4096 - 4, 0).unwrap().cast_const().cast())
        );
        // Memory after the hole is untouched by all this and still usable.
        assert_eq!(memory.bytes(3 * 4096, 5), [1, 2, b'm', b'p', 0]);
        assert!(translate_path(3 * 4096 + 2).is_ok());
    }
}
