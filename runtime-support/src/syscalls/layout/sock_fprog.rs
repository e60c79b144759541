//! `struct sock_fprog` (setsockopt `SO_ATTACH_FILTER`, `SO_ATTACH_REUSEPORT_CBPF`): wasm
//! `{ u16 len; pad; u32 filter }` (8 bytes), host `{ u16 len; pad; struct sock_filter *filter }`
//! (16 bytes). The 8-byte `sock_filter` instructions have the same layout on both sides.

use crate::guest;

/// Size of the wasm structure (what the program passes as `optlen`).
pub(crate) const WASM_BYTES: u32 = 8;
/// Size of one classic BPF instruction.
const FILTER_INSTRUCTION_BYTES: u64 = 8;

/// A host `struct sock_fprog` converted from a wasm one.
#[repr(C)]
pub(crate) struct HostSockFprog {
    len: u16,
    filter: *const u8,
}

impl HostSockFprog {
    /// Converts the wasm program at `addr`; its instruction array must lie inside memory.
    pub(crate) fn from_guest(addr: u32) -> Result<HostSockFprog, i64> {
        let len: u16 = guest::read(addr)?;
        let filter: u32 = guest::read(addr.checked_add(4).ok_or(guest::EFAULT)?)?;
        let filter = guest::translate_array(filter, len as u64, FILTER_INSTRUCTION_BYTES)?;
        Ok(HostSockFprog { len, filter })
    }

    /// The host structure and its size, for the kernel.
    pub(crate) fn as_option(&self) -> (*const u8, u64) {
        (
            (self as *const HostSockFprog).cast(),
            core::mem::size_of::<HostSockFprog>() as u64,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guest::testing::FakeMemory;

    #[test]
    fn converts_the_program() {
        let memory = FakeMemory::new(4096);
        memory.put(100, &4u16.to_le_bytes());
        memory.put(104, &1000u32.to_le_bytes());
        let program = HostSockFprog::from_guest(100).unwrap();
        assert_eq!(program.len, 4);
        assert_eq!(program.filter as usize - guest::base() as usize, 1000);
        assert_eq!(program.as_option().1, 16);
        memory.put(104, &4080u32.to_le_bytes());
        assert_eq!(HostSockFprog::from_guest(100).err(), Some(guest::EFAULT));
    }
}
