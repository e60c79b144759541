//! Symbol names shared by the compiler's object file and the runtime library.
//!
//! All runtime functions are `extern "C"` (System V) and take the calling thread's
//! [`crate::vmctx::VmContext`] pointer first. Wasm addresses are passed as u32 (zero-extended),
//! wasm i32 values as u32 bit patterns, i64 as u64.
//!
//! Functions that can fail in exactly one way return a `u32` that is 0 on success; generated code
//! turns a non-zero result into the listed trap with a `trapnz`, so every trap is raised by
//! generated code at a known PC and reported the same way.

/// Data symbol: the [`crate::metadata::ModuleDescriptor`] of the compiled module.
pub const MODULE_DESCRIPTOR: &str = "walic_module";

/// Prefix of the symbol implementing an import: `walic_import_<name>` for `wali.<name>`.
///
/// Every import, syscall or auxiliary, has the same native signature:
/// `extern "C" fn(vmctx, a0: u64, a1: u64, a2: u64, a3: u64, a4: u64, a5: u64) -> i64`.
/// Generated code zero-extends i32 arguments (the runtime narrows and sign-converts each argument
/// according to the C parameter type it knows), pads missing arguments with 0, drops extra ones
/// beyond six, and narrows the i64 result to the import's declared result (`i32`: low half;
/// no result: dropped). So every signature variant a module declares links (ABI.md §1.4, §1.6).
pub const IMPORT_PREFIX: &str = "walic_import_";

/// The symbol implementing import `wali.<name>`.
pub fn import_symbol(name: &str) -> String {
    format!("{IMPORT_PREFIX}{name}")
}

/// `(vmctx)`: deliver this thread's pending signals to their wasm handlers, if its
/// [`crate::vmctx::SIGNAL_PENDING`] flag is set (otherwise it returns at once).
///
/// Signals reach wasm handlers without polling in hot code: the runtime's native handler runs the
/// wasm handler at once when the interrupted PC is in compiled code that allows it (every function
/// except those flagged [`crate::metadata::function_flags::DEFERS_SIGNALS`]) or the thread is in a
/// blocking system call. A signal arriving anywhere else is recorded and the flag set; generated
/// code then tests the flag (one load and one never-taken branch) and calls this function
/// - right after every call into the runtime (imports and `walic_rt_*` helpers), because the
///   runtime's own check before returning can race with a signal arriving just after it;
/// - at loop headers of functions that defer signals, and in the wrapper that every such function
///   is called through, right after the deferring body returns.
pub const POLL_SIGNALS: &str = "walic_rt_poll_signals";
/// `(vmctx, delta_pages: u32) -> i32`: `memory.grow`; returns the old size in pages or -1.
pub const MEMORY_GROW: &str = "walic_rt_memory_grow";
/// `(vmctx) -> u32`: `memory.size` in pages.
pub const MEMORY_SIZE: &str = "walic_rt_memory_size";
/// `(vmctx, segment: u32, dst: u32, src: u32, len: u32) -> u32`: `memory.init`; non-zero means
/// out of bounds ([`crate::trap::Trap::HeapOutOfBounds`]).
pub const MEMORY_INIT: &str = "walic_rt_memory_init";
/// `(vmctx, segment: u32)`: `data.drop`.
pub const DATA_DROP: &str = "walic_rt_data_drop";
/// `(vmctx, dst: u32, src: u32, len: u32) -> u32`: `memory.copy`; non-zero means out of bounds.
pub const MEMORY_COPY: &str = "walic_rt_memory_copy";
/// `(vmctx, dst: u32, value: u32, len: u32) -> u32`: `memory.fill`; non-zero means out of bounds.
pub const MEMORY_FILL: &str = "walic_rt_memory_fill";
/// `(vmctx, table: u32, segment: u32, dst: u32, src: u32, len: u32) -> u32`: `table.init`;
/// non-zero means [`crate::trap::Trap::TableOutOfBounds`].
pub const TABLE_INIT: &str = "walic_rt_table_init";
/// `(vmctx, segment: u32)`: `elem.drop`.
pub const ELEM_DROP: &str = "walic_rt_elem_drop";
/// `(vmctx, dst_table: u32, src_table: u32, dst: u32, src: u32, len: u32) -> u32`: `table.copy`;
/// non-zero means out of bounds.
pub const TABLE_COPY: &str = "walic_rt_table_copy";
/// `(vmctx, table: u32, init: u64 funcref, delta: u32) -> i32`: `table.grow`; old size or -1.
pub const TABLE_GROW: &str = "walic_rt_table_grow";
/// `(vmctx, table: u32, dst: u32, value: u64 funcref, len: u32) -> u32`: `table.fill`;
/// non-zero means out of bounds.
pub const TABLE_FILL: &str = "walic_rt_table_fill";
/// `(vmctx, address: u32 effective wasm address, expected: u32, timeout_ns: i64) -> u32`:
/// `memory.atomic.wait32`; returns 0 "ok", 1 "not-equal", 2 "timed-out", or 3 meaning
/// [`crate::trap::Trap::WaitOnUnsharedMemory`]. Alignment and bounds are checked by generated code.
pub const ATOMIC_WAIT32: &str = "walic_rt_atomic_wait32";
/// `(vmctx, address: u32, expected: u64, timeout_ns: i64) -> u32`: `memory.atomic.wait64`, as
/// [`ATOMIC_WAIT32`].
pub const ATOMIC_WAIT64: &str = "walic_rt_atomic_wait64";
/// `(vmctx, address: u32, count: u32) -> u32`: `memory.atomic.notify`; number of woken waiters.
pub const ATOMIC_NOTIFY: &str = "walic_rt_atomic_notify";

/// `(vmctx, jmp_buf: u32, save_mask: u32, func_index: u32, site: u32, frame: u64) -> i32`:
/// the first return of `setjmp`/`sigsetjmp`/`_setjmp` at call site `site` of wasm function
/// `func_index`, whose activation is identified by `frame` (its native frame pointer). Writes a
/// validated token into the guest `jmp_buf` and returns 0.
pub const SETJMP: &str = "walic_rt_setjmp";
/// `(vmctx, frame: u64, thunk: extern "C" fn(vmctx, slots: *mut u64), slots: *mut u64) -> u64`:
/// every call made by a function that calls setjmp goes through this trampoline. It records the
/// native context, calls `thunk(vmctx, slots)` and returns 0. When a `longjmp` targets a setjmp of
/// the activation `frame`, it returns a second time with `(site << 32) | value` (value is never 0),
/// and the generated code branches to the continuation of setjmp call site `site` with `value`.
/// It also delivers signals recorded for the thread before it calls the thunk (a handler's
/// `longjmp` to this activation is possible only while the trampoline is active), so generated
/// code needs no signal check after a guarded call.
pub const GUARDED_CALL: &str = "walic_rt_guarded_call";
