//! Linear-memory geometry both sides rely on.
//!
//! The runtime reserves [`RESERVATION_BYTES`] of address space with no access for linear memory
//! and makes pages accessible as memory grows. A wasm address is a u32 and a static offset is at
//! most u32::MAX, so every access `base + addr + offset + size` lands inside the reservation:
//! generated code needs no bounds checks, and an access past the current size faults in a
//! no-access page, which the runtime's fault handler turns into
//! [`crate::trap::Trap::HeapOutOfBounds`].

/// Size of a wasm page.
pub const WASM_PAGE_SIZE: u64 = 65536;
/// Host page size assumed by WALI (ABI.md §4.6).
pub const HOST_PAGE_SIZE: u64 = 4096;
/// Largest number of wasm pages a 32-bit memory can have (4 GiB).
pub const MAX_WASM_PAGES: u64 = 65536;
/// Address space reserved for one linear memory: 4 GiB of addressable memory plus 4 GiB of guard
/// for the largest static offset, so no 32-bit address plus offset can leave the reservation.
pub const RESERVATION_BYTES: u64 = 8 << 30;
