//! Guest (linear) memory as the runtime sees it: where it is, how large it is now, and checked
//! translation of wasm addresses into host pointers.
//!
//! Every pointer argument an import receives is a u32 wasm address. Address 0 is NULL in both
//! directions (ABI.md §1.4). Any other address is valid only if the whole buffer it names lies
//! inside the memory's *current* size; otherwise the import fails with `EFAULT` before the kernel
//! sees anything, so no argument can make the runtime touch host memory outside linear memory.

use core::sync::atomic::{AtomicU64, Ordering};

/// Host address of wasm address 0 (set once at start-up; never moves).
static MEMORY_BASE: AtomicU64 = AtomicU64::new(0);
/// Current size of linear memory in bytes (only grows).
static MEMORY_SIZE: AtomicU64 = AtomicU64::new(0);

/// `EFAULT`, the error for any argument that names memory outside the guest.
pub const EFAULT: i64 = -(libc::EFAULT as i64);

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
    (addr as u64).checked_add(len).is_some_and(|end| end <= size())
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

/// Translates a NUL-terminated string: checks that a NUL occurs before the end of memory.
pub fn translate_cstr(addr: u32) -> Result<*const libc::c_char, i64> {
    if addr == 0 {
        return Ok(core::ptr::null());
    }
    let size = size();
    if addr as u64 >= size {
        return Err(EFAULT);
    }
    let start = translate(addr, 0)?;
    let available = (size - addr as u64) as usize;
    // SAFETY: `[start, start + available)` is inside the current linear memory.
    let bytes = unsafe { core::slice::from_raw_parts(start, available) };
    if bytes.contains(&0) {
        Ok(start as *const libc::c_char)
    } else {
        Err(EFAULT)
    }
}

/// The wasm address of a host pointer inside linear memory (NULL becomes 0).
pub fn to_wasm(ptr: *const u8) -> u32 {
    if ptr.is_null() {
        0
    } else {
        (ptr as u64).wrapping_sub(base() as u64) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_checked_against_the_current_size() {
        let mut memory = vec![0u8; 4096];
        memory[100] = b'a';
        memory[4095] = b'z';
        set_memory(memory.as_mut_ptr(), 4096);
        assert!(translate(0, 10).unwrap().is_null());
        assert!(translate(4000, 96).is_ok());
        assert_eq!(translate(4000, 97), Err(EFAULT));
        assert_eq!(translate(u32::MAX, 2), Err(EFAULT));
        assert_eq!(translate_nonnull(0, 1), Err(EFAULT));
        assert_eq!(translate_cstr(4095), Err(EFAULT));
        assert!(translate_cstr(100).is_ok());
        assert_eq!(to_wasm(translate(123, 1).unwrap()), 123);
    }
}
