//! `struct msghdr` (sendmsg, recvmsg) and the control buffer it points to.
//!
//! | field          | wasm off/size               | x86-64 off/size    |
//! |----------------|-----------------------------|--------------------|
//! | msg_name       | 0 / 4 (u32 ptr)             | 0 / 8              |
//! | msg_namelen    | 4 / 4                       | 8 / 4 (+4 pad)     |
//! | msg_iov        | 8 / 4 (u32 ptr to iovec[])  | 16 / 8             |
//! | msg_iovlen     | 12 / 4 (int) + pad 16 / 4   | 24 / 8 (size_t)    |
//! | msg_control    | 20 / 4 (u32 ptr)            | 32 / 8             |
//! | msg_controllen | 24 / 4 (socklen_t) + pad 4  | 40 / 8 (size_t)    |
//! | msg_flags      | 32 / 4                      | 48 / 4 (+4 pad)    |
//!
//! The control buffer holds `cmsghdr` records whose layout is the kernel's, except that wasm
//! `cmsg_len` is a 4-byte `socklen_t` followed by 4 bytes of padding where the kernel reads one
//! 8-byte length (ABI.md §5.2). Received headers are right as the kernel writes all 8 bytes; on
//! send, a header whose padding is not zero is sent from a copy with the padding cleared.

use super::iovec::IovecArray;
use super::socklen::SOCKADDR_MAX;
use crate::guest;

/// One wasm `struct msghdr` (36 bytes, 4-byte aligned).
#[repr(C)]
#[derive(Clone, Copy)]
struct WasmMsghdr {
    name: u32,
    namelen: u32,
    iov: u32,
    iovlen: u32,
    pad1: u32,
    control: u32,
    controllen: u32,
    pad2: u32,
    flags: i32,
}

const _: () = assert!(core::mem::size_of::<WasmMsghdr>() == 36);

// SAFETY: nine 4-byte integers, no padding.
unsafe impl guest::Plain for WasmMsghdr {}

/// Offsets of the fields the kernel updates on receive.
const NAMELEN_OFFSET: u32 = 4;
const CONTROLLEN_OFFSET: u32 = 24;
const FLAGS_OFFSET: u32 = 32;

/// Size of a `cmsghdr` and the alignment of the records in a control buffer.
const CMSG_HEADER: usize = 16;
const CMSG_ALIGN: usize = 8;

/// A host `msghdr` converted from a wasm one, with the storage it points to. Like
/// [`IovecArray`], which it contains, it is converted in place ([`HostMsghdr::new`], then
/// [`HostMsghdr::convert_for_send`] or [`HostMsghdr::convert_for_receive`]).
pub(crate) struct HostMsghdr {
    header: libc::msghdr,
    /// Keeps the converted iovec array alive while `header` points to it.
    iovecs: IovecArray,
    /// A sanitized copy of the control buffer, when one was needed.
    control: Vec<u8>,
    /// Where the wasm header lives, for the copy-back after receive.
    guest_addr: u32,
}

impl HostMsghdr {
    /// An empty header, to be converted in place.
    #[inline]
    pub(crate) fn new() -> HostMsghdr {
        HostMsghdr {
            // SAFETY: an all-zero msghdr is valid (null pointers, zero lengths).
            header: unsafe { core::mem::zeroed() },
            iovecs: IovecArray::new(),
            control: Vec::new(),
            guest_addr: 0,
        }
    }

    /// Converts the wasm `msghdr` at `addr` for `sendmsg`.
    pub(crate) fn convert_for_send(&mut self, addr: u32) -> Result<(), i64> {
        self.convert(addr)?;
        let control = guest::to_wasm(self.header.msg_control.cast());
        let len = self.header.msg_controllen;
        if let Some(copy) = sanitized_control(control, len)? {
            self.control = copy;
            self.header.msg_control = self.control.as_mut_ptr().cast();
        }
        Ok(())
    }

    /// Converts the wasm `msghdr` at `addr` for `recvmsg`.
    pub(crate) fn convert_for_receive(&mut self, addr: u32) -> Result<(), i64> {
        self.convert(addr)
    }

    fn convert(&mut self, addr: u32) -> Result<(), i64> {
        let wasm: WasmMsghdr = guest::read(addr)?;
        // The kernel reads or writes at most a sockaddr_storage of the name, and rejects a
        // negative length (as an int) without touching it.
        let name_bytes = (wasm.namelen as i32).clamp(0, SOCKADDR_MAX as i32) as u64;
        let name = guest::translate(wasm.name, name_bytes)?;
        self.iovecs.convert(wasm.iov, wasm.iovlen as u64)?;
        let control = guest::translate(wasm.control, wasm.controllen as u64)?;
        let header = &mut self.header;
        header.msg_name = name.cast();
        header.msg_namelen = wasm.namelen;
        // `msg_iov` is set by `as_mut_ptr`: the converted array may live inline in `iovecs`,
        // which moves with `self`.
        header.msg_iovlen = self.iovecs.count() as usize;
        header.msg_control = control.cast();
        header.msg_controllen = wasm.controllen as usize;
        header.msg_flags = wasm.flags;
        self.guest_addr = addr;
        Ok(())
    }

    /// The host header for the kernel, valid while `self` neither moves nor drops.
    pub(crate) fn as_mut_ptr(&mut self) -> *mut libc::msghdr {
        self.header.msg_iov = self.iovecs.as_ptr().cast_mut();
        &mut self.header
    }

    /// Copies the fields the kernel updated on receive (`msg_namelen`, `msg_controllen`,
    /// `msg_flags`) back into the wasm header. The header was readable when it was converted; it
    /// can only have become inaccessible if another thread unmapped it during the call, which
    /// gives `EFAULT` as the kernel's own copy-back does natively.
    pub(crate) fn write_back(&self) -> Result<(), i64> {
        let h = &self.header;
        guest::write(self.guest_addr + NAMELEN_OFFSET, h.msg_namelen)?;
        guest::write(self.guest_addr + CONTROLLEN_OFFSET, h.msg_controllen as u32)?;
        guest::write(self.guest_addr + FLAGS_OFFSET, h.msg_flags)
    }
}

/// If any `cmsghdr` in the wasm control buffer `[control, control + len)` (inside memory) has
/// non-zero padding after its 4-byte wasm `cmsg_len`, returns a copy with that padding cleared;
/// the walk follows the records exactly as the kernel's `CMSG_NXTHDR` will once the padding is
/// zero. A record header on an inaccessible page is `EFAULT`, as the kernel's copy would be.
fn sanitized_control(control: u32, len: usize) -> Result<Option<Vec<u8>>, i64> {
    if control == 0 {
        return Ok(None);
    }
    let mut dirty = Vec::new();
    let mut offset = 0usize;
    while offset + CMSG_HEADER <= len {
        // Inside the buffer, which is inside memory: no overflow.
        let [cmsg_len, padding]: [u32; 2] = guest::read(control + offset as u32)?;
        if padding != 0 {
            dirty.push(offset + 4);
        }
        if (cmsg_len as usize) < CMSG_HEADER {
            break; // The kernel rejects this record; nothing after it is read.
        }
        offset += (cmsg_len as usize + CMSG_ALIGN - 1) & !(CMSG_ALIGN - 1);
    }
    if dirty.is_empty() {
        return Ok(None);
    }
    let mut copy = vec![0u8; len];
    guest::read_bytes(control, &mut copy)?;
    for pad in dirty {
        copy[pad..pad + 4].fill(0);
    }
    Ok(Some(copy))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guest::testing::FakeMemory;

    fn put_u32(memory: &FakeMemory, at: u32, value: u32) {
        memory.put(at, &value.to_le_bytes());
    }

    fn for_send(addr: u32) -> Result<HostMsghdr, i64> {
        let mut message = HostMsghdr::new();
        message.convert_for_send(addr).map(|()| message)
    }

    fn for_receive(addr: u32) -> Result<HostMsghdr, i64> {
        let mut message = HostMsghdr::new();
        message.convert_for_receive(addr).map(|()| message)
    }

    fn put_msghdr(memory: &FakeMemory, at: u32, fields: [u32; 9]) {
        for (i, value) in fields.iter().enumerate() {
            put_u32(memory, at + 4 * i as u32, *value);
        }
    }

    #[test]
    fn converts_every_field() {
        let memory = FakeMemory::new(4096);
        // Moving the converted header (as returning it does) must not leave msg_iov dangling.
        put_u32(&memory, 200, 1000);
        put_u32(&memory, 204, 5);
        put_msghdr(&memory, 100, [300, 16, 200, 1, 0, 400, 32, 0, 7]);
        let moved = Box::new(for_receive(100).unwrap());
        let mut m = *moved;
        // SAFETY: reads the header just built.
        let h = unsafe { &*m.as_mut_ptr() };
        assert_eq!(h.msg_iov as *const libc::iovec, m.iovecs.as_ptr());
        let base = guest::base() as usize;
        assert_eq!(h.msg_name as usize - base, 300);
        assert_eq!(h.msg_namelen, 16);
        assert_eq!(h.msg_iovlen, 1);
        // SAFETY: one converted iovec.
        let iov = unsafe { &*h.msg_iov };
        assert_eq!(iov.iov_base as usize - base, 1000);
        assert_eq!(iov.iov_len, 5);
        assert_eq!(h.msg_control as usize - base, 400);
        assert_eq!(h.msg_controllen, 32);
        assert_eq!(h.msg_flags, 7);
    }

    #[test]
    fn receive_copies_lengths_and_flags_back() {
        let memory = FakeMemory::new(4096);
        put_msghdr(&memory, 100, [300, 128, 0, 0, 0xAAAA, 400, 64, 0xBBBB, 0]);
        let mut m = for_receive(100).unwrap();
        m.header.msg_namelen = 16;
        m.header.msg_controllen = 24;
        m.header.msg_flags = libc::MSG_CTRUNC;
        m.write_back().unwrap();
        assert_eq!(memory.bytes(104, 4), 16u32.to_le_bytes());
        assert_eq!(memory.bytes(124, 4), 24u32.to_le_bytes());
        assert_eq!(memory.bytes(132, 4), libc::MSG_CTRUNC.to_le_bytes());
        // The padding words are the program's and stay untouched.
        assert_eq!(memory.bytes(116, 4), 0xAAAAu32.to_le_bytes());
        assert_eq!(memory.bytes(128, 4), 0xBBBBu32.to_le_bytes());
    }

    #[test]
    fn rejects_pieces_outside_memory() {
        let memory = FakeMemory::new(4096);
        // msg_iov outside memory.
        put_msghdr(&memory, 100, [0, 0, 4092, 1, 0, 0, 0, 0, 0]);
        assert_eq!(for_receive(100).err(), Some(guest::EFAULT));
        // A buffer named by an iovec outside memory.
        put_u32(&memory, 200, 0xFFFF_FFF0);
        put_u32(&memory, 204, 0x20);
        put_msghdr(&memory, 100, [0, 0, 200, 1, 0, 0, 0, 0, 0]);
        assert_eq!(for_receive(100).err(), Some(guest::EFAULT));
        // A control buffer running off the end.
        put_msghdr(&memory, 100, [0, 0, 0, 0, 0, 4000, 200, 0, 0]);
        assert_eq!(for_send(100).err(), Some(guest::EFAULT));
        // The header itself running off the end.
        assert_eq!(for_send(4070).err(), Some(guest::EFAULT));
    }

    #[test]
    fn send_clears_cmsg_len_padding_in_a_copy() {
        let memory = FakeMemory::new(4096);
        // Two records: 20 bytes (aligned to 24) with garbage padding, then 16 bytes clean.
        put_u32(&memory, 400, 20);
        put_u32(&memory, 404, 0xDEAD_BEEF);
        put_u32(&memory, 424, 16);
        put_msghdr(&memory, 100, [0, 0, 0, 0, 0, 400, 40, 0, 0]);
        let mut m = for_send(100).unwrap();
        // SAFETY: reads the header just built.
        let h = unsafe { &*m.as_mut_ptr() };
        assert_ne!(h.msg_control as usize, guest::base() as usize + 400);
        // SAFETY: the copy holds `msg_controllen` bytes.
        let copy = unsafe { core::slice::from_raw_parts(h.msg_control as *const u8, 40) };
        assert_eq!(&copy[0..8], &20u64.to_le_bytes());
        assert_eq!(&copy[24..32], &16u64.to_le_bytes());
        // The program's buffer is not modified.
        assert_eq!(memory.bytes(404, 4), 0xDEAD_BEEFu32.to_le_bytes());

        // A clean buffer is passed in place.
        put_u32(&memory, 404, 0);
        let mut m = for_send(100).unwrap();
        // SAFETY: reads the header just built.
        let h = unsafe { &*m.as_mut_ptr() };
        assert_eq!(h.msg_control as usize, guest::base() as usize + 400);
    }
}
