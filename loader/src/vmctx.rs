//! The per-thread context (`vmctx`) that generated code receives as its first argument.
//!
//! Every wasm function is compiled with the System V calling convention and takes the context's
//! address as a hidden first parameter (Cranelift's `ArgumentPurpose::VMContext`), followed by its
//! wasm parameters; it returns its wasm results (more than two through Cranelift's implicit
//! struct-return). The runtime can therefore call a compiled function directly through a plain
//! `extern "C" fn(*mut VmContext, ...)` pointer.
//!
//! Each thread has its own context. The header below is followed by the module's mutable globals,
//! one 8-byte slot per global in global-index order (immutable globals are folded into constants by
//! the compiler and get no slot, see [`crate::metadata::ModuleDescriptor::globals_template`]).
//! Linear memory and tables are shared by all threads; only the globals (`__stack_pointer`,
//! `__tls_base`, ...) are per thread, as ABI.md §7 requires.

use core::mem::offset_of;
use core::sync::atomic::{AtomicU32, AtomicU64};

use crate::metadata::{ModuleDescriptor, TableInstance};

/// The fixed part of a thread's context. Field offsets are the constants below; generated code
/// uses only the constants, the runtime uses the struct.
#[repr(C)]
pub struct VmContext {
    /// Host address of linear memory byte 0. Never changes once the program runs (the whole
    /// address range is reserved up front). Generated code does not load it: it expects it in r15,
    /// Cranelift's pinned register, which it never writes. The runtime enters compiled code only
    /// through its `walic_call_wasm` shim, which sets r15 from this field; runtime functions
    /// called from compiled code preserve r15 (callee-saved in System V), and so do the kernel's
    /// signal frames.
    pub memory_base: u64,
    /// Lowest native stack address generated code may use; every function prologue compares its
    /// new stack pointer against this value and traps with [`crate::trap::Trap::StackOverflow`].
    pub stack_limit: u64,
    /// Non-zero when a signal for this thread waits for its wasm handler: generated code tests it
    /// after runtime calls and at its deferred poll points ([`crate::symbols::POLL_SIGNALS`]).
    pub signal_pending: AtomicU32,
    /// Padding; keeps the following pointers 8-byte aligned.
    pub reserved0: u32,
    /// The module's tables (shared by all threads), indexed by table index.
    pub tables: *const TableInstance,
    /// The module descriptor the compiler emitted.
    pub module: *const ModuleDescriptor,
    /// Runtime-private per-thread state; generated code never touches it.
    pub runtime_thread: *mut core::ffi::c_void,
    /// Innermost active setjmp guard record of this thread (runtime-private, see
    /// [`crate::symbols::GUARDED_CALL`]).
    pub guard_chain: AtomicU64,
    /// Reserved for future use; keeps the globals area at a round offset.
    pub reserved1: u64,
}

/// Offset of [`VmContext::memory_base`].
pub const MEMORY_BASE: i32 = offset_of!(VmContext, memory_base) as i32;
/// Offset of [`VmContext::stack_limit`].
pub const STACK_LIMIT: i32 = offset_of!(VmContext, stack_limit) as i32;
/// Offset of [`VmContext::signal_pending`] (a 32-bit word).
pub const SIGNAL_PENDING: i32 = offset_of!(VmContext, signal_pending) as i32;
/// Offset of [`VmContext::tables`].
pub const TABLES: i32 = offset_of!(VmContext, tables) as i32;
/// Offset of [`VmContext::module`].
pub const MODULE: i32 = offset_of!(VmContext, module) as i32;
/// Offset of [`VmContext::guard_chain`].
pub const GUARD_CHAIN: i32 = offset_of!(VmContext, guard_chain) as i32;
/// Offset of the first global slot.
pub const GLOBALS: i32 = core::mem::size_of::<VmContext>() as i32;
/// Size of one global slot: i32, i64, f32, f64 and funcref values all fit in 8 bytes.
pub const GLOBAL_SLOT_SIZE: i32 = 8;

/// The context offset of mutable global slot `slot` (slots count mutable globals only).
pub const fn global_offset(slot: u32) -> i32 {
    GLOBALS + GLOBAL_SLOT_SIZE * slot as i32
}

const _: () = {
    assert!(MEMORY_BASE == 0);
    assert!(STACK_LIMIT == 8);
    assert!(SIGNAL_PENDING == 16);
    assert!(GLOBALS == 64);
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_slots_follow_the_header() {
        assert_eq!(global_offset(0), 64);
        assert_eq!(global_offset(3), 88);
    }
}
