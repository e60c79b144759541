//! `struct ifconf` (`ioctl(SIOCGIFCONF)`): wasm `{ int ifc_len; u32 ifc_buf }` (8 bytes), host
//! `{ int ifc_len; pad; char *ifc_buf }` (16 bytes). The `struct ifreq` records in the buffer
//! have the kernel layout (40 bytes).

use crate::guest;

/// One wasm `struct ifconf`.
#[repr(C)]
#[derive(Clone, Copy)]
struct WasmIfconf {
    len: i32,
    buf: u32,
}

// SAFETY: two 4-byte integers, no padding.
unsafe impl guest::Plain for WasmIfconf {}

/// A host `struct ifconf` converted from a wasm one.
#[repr(C)]
pub(crate) struct HostIfconf {
    len: i32,
    buf: *mut u8,
    guest_addr: u32,
}

impl HostIfconf {
    /// Converts the wasm `ifconf` at `addr`; its buffer must hold `ifc_len` bytes (a NULL buffer
    /// asks the kernel for the needed length).
    pub(crate) fn from_guest(addr: u32) -> Result<HostIfconf, i64> {
        let wasm: WasmIfconf = guest::read(addr)?;
        let buf = guest::translate(wasm.buf, wasm.len.max(0) as u64)?;
        Ok(HostIfconf {
            len: wasm.len,
            buf,
            guest_addr: addr,
        })
    }

    /// The host structure for the kernel (its first two fields have the kernel layout).
    pub(crate) fn as_mut_ptr(&mut self) -> *mut u8 {
        (self as *mut HostIfconf).cast()
    }

    /// Copies the length the kernel stored back to the guest (`EFAULT` if another thread made
    /// it inaccessible during the call, as the kernel's own copy-back would report).
    pub(crate) fn write_back(&self) -> Result<(), i64> {
        guest::write(self.guest_addr, self.len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guest::testing::FakeMemory;

    #[test]
    fn converts_and_writes_the_length_back() {
        let memory = FakeMemory::new(4096);
        memory.put(100, &80i32.to_le_bytes());
        memory.put(104, &1000u32.to_le_bytes());
        let mut conf = HostIfconf::from_guest(100).unwrap();
        assert_eq!(conf.buf as usize - guest::base() as usize, 1000);
        // SAFETY: `len` is the first field.
        unsafe { *conf.as_mut_ptr().cast::<i32>() = 40 };
        conf.write_back().unwrap();
        assert_eq!(memory.bytes(100, 4), 40i32.to_le_bytes());
        memory.put(104, &4080u32.to_le_bytes());
        assert_eq!(HostIfconf::from_guest(100).err(), Some(guest::EFAULT));
    }
}
