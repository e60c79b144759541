//! `struct iovec` arrays (readv, writev, preadv, pwritev, and inside `msghdr`).
//!
//! | field    | wasm off/size    | x86-64 off/size |
//! |----------|------------------|-----------------|
//! | iov_base | 0 / 4 (u32 ptr)  | 0 / 8           |
//! | iov_len  | 4 / 4 (u32)      | 8 / 8           |

use core::mem::MaybeUninit;

use crate::guest;

/// The kernel's limit on the number of iovecs in one call (`UIO_MAXIOV`).
pub(crate) const UIO_MAXIOV: u64 = 1024;

/// Arrays up to this length are converted on the stack; longer ones on the heap.
const INLINE: usize = 16;

/// One wasm `struct iovec`.
#[repr(C)]
#[derive(Clone, Copy)]
struct WasmIovec {
    base: u32,
    len: u32,
}

const _: () = assert!(core::mem::size_of::<WasmIovec>() == 8);

// SAFETY: two 4-byte integers, no padding.
unsafe impl guest::Plain for WasmIovec {}

/// A host iovec array converted from a wasm one; every buffer it names is inside linear memory.
///
/// It is a few hundred bytes, so it is converted in place ([`IovecArray::new`], then
/// [`IovecArray::convert`]): returning a converted array by value would copy it (twice, through
/// the `Result`) on the hot `writev` path.
pub(crate) struct IovecArray {
    /// The converted entries of a short array (the first `count`, once converted).
    inline: [MaybeUninit<libc::iovec>; INLINE],
    /// The converted entries of a long array.
    heap: Vec<libc::iovec>,
    /// The count to give the kernel.
    count: u64,
    /// Whether the array was converted (false: NULL for the kernel).
    converted: bool,
}

impl IovecArray {
    /// An empty array (NULL, count 0), to be converted in place.
    #[inline]
    pub(crate) const fn new() -> IovecArray {
        IovecArray {
            inline: [const { MaybeUninit::uninit() }; INLINE],
            heap: Vec::new(),
            count: 0,
            converted: false,
        }
    }

    /// Converts the `count` wasm iovecs at `addr` into `self` (a fresh [`IovecArray::new`]). A
    /// count the kernel rejects without reading the array (more than [`UIO_MAXIOV`], or negative
    /// for an `int`) is kept unconverted, with a NULL array, so the kernel reports its own error;
    /// 0 iovecs also give a NULL array. An array or buffer outside memory, or an array on an
    /// inaccessible page, is `EFAULT`.
    pub(crate) fn convert(&mut self, addr: u32, count: u64) -> Result<(), i64> {
        self.count = count;
        if count == 0 || count > UIO_MAXIOV {
            return Ok(());
        }
        // The whole array must lie inside memory before any of it is read.
        if guest::translate_array(addr, count, 8)?.is_null() {
            return Err(guest::EFAULT);
        }
        let count = count as usize;
        let slots = if count <= INLINE {
            &mut self.inline[..count]
        } else {
            self.heap.reserve_exact(count);
            &mut self.heap.spare_capacity_mut()[..count]
        };
        // Copied into runtime memory INLINE entries at a time (an inaccessible page is EFAULT).
        let mut wasm = [WasmIovec { base: 0, len: 0 }; INLINE];
        let mut entry_addr = addr;
        for chunk in slots.chunks_mut(INLINE) {
            let entries = &mut wasm[..chunk.len()];
            guest::read_array(entry_addr, entries)?;
            for (slot, entry) in chunk.iter_mut().zip(entries.iter()) {
                slot.write(libc::iovec {
                    iov_base: guest::translate(entry.base, entry.len as u64)?.cast(),
                    iov_len: entry.len as usize,
                });
            }
            // Inside memory (checked above), so no overflow.
            entry_addr = entry_addr.wrapping_add((INLINE * 8) as u32);
        }
        if count > INLINE {
            // SAFETY: the loop initialized the first `count` entries of the spare capacity.
            unsafe { self.heap.set_len(count) };
        }
        self.converted = true;
        Ok(())
    }

    /// The host array for the kernel (NULL when not converted).
    pub(crate) fn as_ptr(&self) -> *const libc::iovec {
        match (self.converted, self.heap.is_empty()) {
            (false, _) => core::ptr::null(),
            (true, true) => self.inline.as_ptr().cast(),
            (true, false) => self.heap.as_ptr(),
        }
    }

    /// The count for the kernel.
    pub(crate) fn count(&self) -> u64 {
        self.count
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guest::testing::FakeMemory;

    fn converted(addr: u32, count: u64) -> Result<IovecArray, i64> {
        let mut array = IovecArray::new();
        array.convert(addr, count).map(|()| array)
    }

    fn put_iovec(memory: &FakeMemory, at: u32, base: u32, len: u32) {
        memory.put(at, &base.to_le_bytes());
        memory.put(at + 4, &len.to_le_bytes());
    }

    #[test]
    fn converts_each_entry() {
        let memory = FakeMemory::new(4096);
        put_iovec(&memory, 64, 1000, 10);
        put_iovec(&memory, 72, 0, 0);
        put_iovec(&memory, 80, 2000, 2096);
        let array = converted(64, 3).unwrap();
        assert_eq!(array.count(), 3);
        // SAFETY: the array has 3 converted entries.
        let host = unsafe { core::slice::from_raw_parts(array.as_ptr(), 3) };
        assert_eq!(host[0].iov_base as usize - guest::base() as usize, 1000);
        assert_eq!(host[0].iov_len, 10);
        assert!(host[1].iov_base.is_null());
        assert_eq!(host[2].iov_len, 2096);
    }

    #[test]
    fn rejects_buffers_and_arrays_outside_memory() {
        let memory = FakeMemory::new(4096);
        put_iovec(&memory, 64, 4000, 97);
        assert_eq!(converted(64, 1).err(), Some(guest::EFAULT));
        assert_eq!(converted(4092, 1).err(), Some(guest::EFAULT));
        assert_eq!(converted(0, 1).err(), Some(guest::EFAULT));
        put_iovec(&memory, 64, 0xFFFF_FFF0, 0x20);
        assert_eq!(converted(64, 1).err(), Some(guest::EFAULT));
    }

    #[test]
    fn long_arrays_use_the_heap_and_bad_counts_reach_the_kernel() {
        let _memory = FakeMemory::new(4096);
        let long = converted(64, 100).unwrap();
        assert!(!long.as_ptr().is_null());
        let too_many = converted(64, 1025).unwrap();
        assert!(too_many.as_ptr().is_null());
        assert_eq!(too_many.count(), 1025);
    }
}
