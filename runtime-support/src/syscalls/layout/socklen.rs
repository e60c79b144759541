//! `socklen_t *` in/out lengths (accept, accept4, getsockname, getpeername, recvfrom,
//! getsockopt).
//!
//! The kernel reads the length, writes at most that many bytes of the result, and stores the
//! full length back. The runtime reads the guest's length once into a [`LengthCell`], checks the
//! result buffer against that value, hands the kernel the cell (so another guest thread changing
//! the length meanwhile cannot widen what the kernel writes), and copies the cell back when the
//! call succeeded or the kernel changed it anyway (recent kernels store the length even when
//! copying the address out fails with `EFAULT`).

use crate::guest;

/// The largest address the kernel ever writes (`sizeof(struct sockaddr_storage)`).
pub(crate) const SOCKADDR_MAX: u32 = 128;

/// A guest `socklen_t` copied into runtime memory for the duration of a call.
pub(crate) struct LengthCell {
    guest_addr: u32,
    value: u32,
    /// The guest's value, to tell whether the kernel stored a length.
    original: u32,
}

impl LengthCell {
    /// Reads the length at `addr`; `None` when `addr` is 0 (the kernel then sees NULL).
    pub(crate) fn read(addr: u32) -> Result<Option<LengthCell>, i64> {
        if addr == 0 {
            return Ok(None);
        }
        let value = guest::read(addr)?;
        Ok(Some(LengthCell {
            guest_addr: addr,
            value,
            original: value,
        }))
    }

    /// Writes the kernel's updated length back to the guest. It was readable when it was read;
    /// it can only have become inaccessible if another thread unmapped it during the call, which
    /// gives `EFAULT` as the kernel's own `put_user` does natively.
    pub(crate) fn write_back(&self) -> Result<(), i64> {
        guest::write(self.guest_addr, self.value)
    }
}

/// The cell's host pointer for the kernel (NULL for no length).
pub(crate) fn host_ptr(cell: &mut Option<LengthCell>) -> *mut u32 {
    match cell {
        Some(cell) => &mut cell.value,
        None => core::ptr::null_mut(),
    }
}

/// After the call: writes the cell back when the call succeeded, or when it failed after the
/// kernel stored a length (as it would have into the guest's own variable natively); returns the
/// call's result, or `EFAULT` if a successful call's length could not be written.
pub(crate) fn write_back_after_call(cell: &Option<LengthCell>, result: i64) -> i64 {
    match cell {
        Some(cell) if result >= 0 => cell.write_back().map_or_else(|errno| errno, |()| result),
        Some(cell) if cell.value != cell.original => {
            // The call fails with its own error whatever happens to this write.
            let _ = cell.write_back();
            result
        }
        _ => result,
    }
}

/// Translates a buffer the kernel fills with at most `length` bytes, and at most `max` bytes
/// whatever the length. A length that is negative as an `int` is rejected by the kernel before
/// it writes anything, so it is checked as 0.
pub(crate) fn output_buffer(
    addr: u32,
    length: &Option<LengthCell>,
    max: u32,
) -> Result<*mut u8, i64> {
    let len = length
        .as_ref()
        .map_or(0, |cell| (cell.value as i32).clamp(0, max as i32) as u64);
    guest::translate(addr, len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guest::testing::FakeMemory;

    #[test]
    fn lengths_bound_the_checked_buffer() {
        let memory = FakeMemory::new(4096);
        memory.put(100, &16u32.to_le_bytes());
        let mut cell = LengthCell::read(100).unwrap();
        assert!(output_buffer(4080, &cell, SOCKADDR_MAX).is_ok());
        assert_eq!(
            output_buffer(4081, &cell, SOCKADDR_MAX).err(),
            Some(guest::EFAULT)
        );
        assert_eq!(write_back_after_call(&cell, -1), -1);
        assert_eq!(memory.bytes(100, 4), 16u32.to_le_bytes());
        // SAFETY: the cell is live.
        unsafe { *host_ptr(&mut cell) = 28 };
        assert_eq!(write_back_after_call(&cell, 0), 0);
        assert_eq!(memory.bytes(100, 4), 28u32.to_le_bytes());
        // A failed call whose length the kernel stored anyway (newer kernels on EFAULT).
        memory.put(100, &16u32.to_le_bytes());
        let mut cell = LengthCell::read(100).unwrap();
        // SAFETY: the cell is live.
        unsafe { *host_ptr(&mut cell) = 2 };
        assert_eq!(write_back_after_call(&cell, guest::EFAULT), guest::EFAULT);
        assert_eq!(memory.bytes(100, 4), 2u32.to_le_bytes());
    }

    #[test]
    fn huge_and_negative_lengths() {
        let memory = FakeMemory::new(4096);
        memory.put(100, &100_000u32.to_le_bytes());
        let cell = LengthCell::read(100).unwrap();
        // Addresses are clamped to sockaddr_storage, option values are not.
        assert!(output_buffer(3968, &cell, SOCKADDR_MAX).is_ok());
        assert_eq!(
            output_buffer(3968, &cell, u32::MAX >> 1).err(),
            Some(guest::EFAULT)
        );
        memory.put(100, &(-1i32).to_le_bytes());
        let cell = LengthCell::read(100).unwrap();
        assert!(output_buffer(4095, &cell, u32::MAX >> 1).is_ok());
        assert_eq!(LengthCell::read(4094).err(), Some(guest::EFAULT));
        assert!(LengthCell::read(0).unwrap().is_none());
    }
}
