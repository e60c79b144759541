//! The one module instance of a process: the compiled module's descriptor, the shared tables and
//! segment state, and the per-thread contexts (`vmctx` plus the runtime's [`ThreadState`]).
//!
//! Everything here is set up once by start-up before any wasm code runs and then only read, except
//! the per-thread state, which belongs to its thread (and to that thread's signal handlers).

use core::cell::{Cell, UnsafeCell};
use core::ptr::null_mut;
use core::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, AtomicU64, Ordering};

use walic_loader::metadata::{FuncRef, FunctionInfo, ModuleDescriptor, TableInstance};
use walic_loader::vmctx::{VmContext, GLOBALS};

use crate::context::JumpContext;

/// The module descriptor (set once by start-up).
static MODULE: AtomicPtr<ModuleDescriptor> = AtomicPtr::new(null_mut());
/// The tables (`num_tables` entries).
static TABLES: AtomicPtr<TableInstance> = AtomicPtr::new(null_mut());
/// Per data segment: dropped.
static DATA_DROPPED: AtomicPtr<AtomicBool> = AtomicPtr::new(null_mut());
/// Per element segment: dropped.
static ELEM_DROPPED: AtomicPtr<AtomicBool> = AtomicPtr::new(null_mut());
/// The main thread's context (receives signals that arrive on threads without one).
static MAIN_VMCTX: AtomicPtr<VmContext> = AtomicPtr::new(null_mut());
/// Source of [`ThreadState::serial`].
static NEXT_SERIAL: AtomicU64 = AtomicU64::new(1);

/// Records the module and allocates its segment state; called once by start-up.
pub(crate) fn set_module(module: &'static ModuleDescriptor) {
    let flags = |n: u32| {
        let v: Vec<AtomicBool> = (0..n).map(|_| AtomicBool::new(false)).collect();
        Box::leak(v.into_boxed_slice()).as_mut_ptr()
    };
    DATA_DROPPED.store(flags(module.num_data_segments), Ordering::Release);
    ELEM_DROPPED.store(flags(module.num_elem_segments), Ordering::Release);
    MODULE.store(module as *const _ as *mut _, Ordering::Release);
}

/// The module descriptor. Panics (aborts) if start-up has not run.
pub(crate) fn module() -> &'static ModuleDescriptor {
    let m = MODULE.load(Ordering::Acquire);
    assert!(!m.is_null(), "walic: module not initialised");
    // SAFETY: set once from a &'static reference.
    unsafe { &*m }
}

/// The module descriptor if start-up has run (for signal handlers).
pub(crate) fn try_module() -> Option<&'static ModuleDescriptor> {
    let m = MODULE.load(Ordering::Acquire);
    // SAFETY: set once from a &'static reference.
    (!m.is_null()).then(|| unsafe { &*m })
}

/// Records the tables array; called once by start-up.
pub(crate) fn set_tables(tables: *mut TableInstance) {
    TABLES.store(tables, Ordering::Release);
}

/// Table `index`, if it exists.
pub(crate) fn table(index: u32) -> Option<&'static TableInstance> {
    let m = try_module()?;
    if index >= m.num_tables {
        return None;
    }
    let t = TABLES.load(Ordering::Acquire);
    // SAFETY: `t` has num_tables entries that live forever.
    (!t.is_null()).then(|| unsafe { &*t.add(index as usize) })
}

/// Whether data segment `index` was dropped (out-of-range indices count as dropped).
pub(crate) fn data_dropped(index: u32) -> &'static AtomicBool {
    segment_flag(&DATA_DROPPED, index, module().num_data_segments)
}

/// Whether element segment `index` was dropped.
pub(crate) fn elem_dropped(index: u32) -> &'static AtomicBool {
    segment_flag(&ELEM_DROPPED, index, module().num_elem_segments)
}

fn segment_flag(flags: &AtomicPtr<AtomicBool>, index: u32, count: u32) -> &'static AtomicBool {
    static ALWAYS_DROPPED: AtomicBool = AtomicBool::new(true);
    if index >= count {
        return &ALWAYS_DROPPED;
    }
    // SAFETY: the array has `count` entries and lives forever.
    unsafe { &*flags.load(Ordering::Acquire).add(index as usize) }
}

/// The compiled function whose code contains `pc`.
pub(crate) fn function_at(pc: usize) -> Option<&'static FunctionInfo> {
    let m = try_module()?;
    if m.functions.is_null() || m.num_functions == 0 {
        return None;
    }
    // SAFETY: the compiler emits `num_functions` records in code order.
    let functions = unsafe { core::slice::from_raw_parts(m.functions, m.num_functions as usize) };
    let i = functions.partition_point(|f| f.code as usize <= pc);
    let f = functions.get(i.checked_sub(1)?)?;
    (pc < f.code as usize + f.code_len as usize).then_some(f)
}

/// The compiled function with wasm index `func_index`.
pub(crate) fn function_by_index(func_index: u32) -> Option<&'static FunctionInfo> {
    let m = try_module()?;
    if m.functions.is_null() {
        return None;
    }
    // SAFETY: as in function_at.
    let functions = unsafe { core::slice::from_raw_parts(m.functions, m.num_functions as usize) };
    functions.iter().find(|f| f.func_index == func_index)
}

/// A function's name from the names blob.
pub(crate) fn function_name(f: &FunctionInfo) -> &'static [u8] {
    match try_module() {
        // SAFETY: the descriptor comes from the compiler.
        Some(m) => unsafe { m.name(f.name_offset, f.name_len) },
        None => b"?",
    }
}

/// The function a table-0 entry refers to: `Err(trap)` for an index past the end or a null entry.
pub(crate) fn table0_entry(index: u32) -> Result<&'static FuncRef, walic_loader::trap::Trap> {
    use walic_loader::trap::Trap;
    let table = table(0).ok_or(Trap::IndirectCallOutOfBounds)?;
    if index >= table.len.load(Ordering::Acquire) {
        return Err(Trap::IndirectCallOutOfBounds);
    }
    // SAFETY: index < len <= reserved entries.
    let entry = unsafe { *table.entries.add(index as usize) };
    if entry.is_null() {
        return Err(Trap::IndirectCallToNull);
    }
    // SAFETY: non-null entries point at compiler-emitted FuncRef records.
    Ok(unsafe { &*entry })
}

/// One pending-signal slot: what the native handler saw when it recorded a signal.
#[derive(Clone, Copy)]
pub(crate) struct SignalSlot {
    /// The kernel's siginfo (x86-64 layout).
    pub info: [u64; 16],
    /// The wasm handler (table index) at delivery time.
    pub handler: u32,
    /// The program's sa_flags at delivery time.
    pub flags: u64,
    /// The program's sa_mask at delivery time.
    pub mask: u64,
}

impl SignalSlot {
    const EMPTY: SignalSlot = SignalSlot {
        info: [0; 16],
        handler: 0,
        flags: 0,
        mask: 0,
    };
}

/// Number of signal numbers (1..=64), plus 0.
pub(crate) const NSIG: usize = 65;

/// The runtime's private per-thread state (`VmContext::runtime_thread`).
pub(crate) struct ThreadState {
    /// Process-unique thread number (survives fork, unlike the kernel TID).
    pub serial: u64,
    /// The thread's context.
    pub vmctx: *mut VmContext,
    /// Lowest usable address of the thread's native stack.
    pub stack_low: usize,
    /// One past the highest address of the native stack.
    pub stack_high: usize,
    /// Signals recorded by the native handler and not yet delivered (bit `sig - 1`).
    pub pending: AtomicU64,
    /// Non-zero while the thread is inside [`crate::signals::blocking`].
    pub blocking: AtomicU32,
    /// What the native handler recorded, per signal. Written by the handler, read by delivery with
    /// all signals blocked.
    pub slots: UnsafeCell<[SignalSlot; NSIG]>,
    /// The wasm-visible alternate signal stack: (ss_sp, ss_flags, ss_size).
    pub wasm_altstack: Cell<(u32, i32, u32)>,
    /// Where `SYS_exit` jumps to end this thread.
    pub exit_context: UnsafeCell<JumpContext>,
    /// The status given to `SYS_exit`.
    pub exit_status: Cell<i32>,
    /// The runtime's own alternate signal stack (for the fault handler): (base, len).
    pub fault_stack: Cell<(usize, usize)>,
}

thread_local! {
    /// The current thread's state (null outside wasm threads). Const-initialized, no destructor,
    /// so reading it is a plain TLS load and safe in signal handlers.
    static CURRENT: Cell<*mut ThreadState> = const { Cell::new(null_mut()) };
}

/// The current thread's state, or null.
pub(crate) fn current_thread() -> *mut ThreadState {
    CURRENT.with(|c| c.get())
}

/// Makes `state` the current thread's state.
pub(crate) fn set_current_thread(state: *mut ThreadState) {
    CURRENT.with(|c| c.set(state));
}

/// The state of the thread owning `vmctx` (null if none).
///
/// # Safety
/// `vmctx` must be null or a context created by [`new_thread_context`].
pub(crate) unsafe fn thread_of(vmctx: *mut VmContext) -> *mut ThreadState {
    if vmctx.is_null() {
        return null_mut();
    }
    // SAFETY: contract.
    unsafe { (*vmctx).runtime_thread as *mut ThreadState }
}

/// Makes `vmctx` the process's main context (start-up; a fork child's only thread).
pub(crate) fn set_main_vmctx(vmctx: *mut VmContext) {
    MAIN_VMCTX.store(vmctx, Ordering::Release);
}

/// The main thread's context, if created.
pub(crate) fn main_vmctx() -> *mut VmContext {
    MAIN_VMCTX.load(Ordering::Acquire)
}

/// Allocates a thread's context (header plus a fresh copy of the globals template) and its
/// runtime state. `stack_limit` is filled in later by the thread itself.
pub(crate) fn new_thread_context(main: bool) -> *mut VmContext {
    let m = module();
    let size = (m.vmctx_size as usize).max(GLOBALS as usize);
    let layout = std::alloc::Layout::from_size_align(size, 64).expect("vmctx layout");
    // SAFETY: non-zero size.
    let vmctx = unsafe { std::alloc::alloc_zeroed(layout) } as *mut VmContext;
    assert!(
        !vmctx.is_null(),
        "walic: out of memory for a thread context"
    );
    let state = Box::into_raw(Box::new(ThreadState {
        serial: NEXT_SERIAL.fetch_add(1, Ordering::Relaxed),
        vmctx,
        stack_low: 0,
        stack_high: 0,
        pending: AtomicU64::new(0),
        blocking: AtomicU32::new(0),
        slots: UnsafeCell::new([SignalSlot::EMPTY; NSIG]),
        wasm_altstack: Cell::new((0, libc::SS_DISABLE, 0)),
        exit_context: UnsafeCell::new(JumpContext::default()),
        exit_status: Cell::new(0),
        fault_stack: Cell::new((0, 0)),
    }));
    // SAFETY: vmctx is a fresh zeroed allocation of `size` bytes; the template has
    // `size - GLOBALS` bytes (ModuleDescriptor::globals_template).
    unsafe {
        (*vmctx).memory_base = crate::guest::base() as u64;
        (*vmctx).tables = TABLES.load(Ordering::Acquire);
        (*vmctx).module = m;
        (*vmctx).runtime_thread = state as *mut core::ffi::c_void;
        let globals = size - GLOBALS as usize;
        if globals > 0 && !m.globals_template.is_null() {
            core::ptr::copy_nonoverlapping(
                m.globals_template,
                (vmctx as *mut u8).add(GLOBALS as usize),
                globals,
            );
        }
    }
    if main {
        MAIN_VMCTX.store(vmctx, Ordering::Release);
    }
    vmctx
}

/// Frees a context made by [`new_thread_context`] (the thread must have stopped using it).
///
/// # Safety
/// No one may use `vmctx` or its state afterwards.
pub(crate) unsafe fn free_thread_context(vmctx: *mut VmContext) {
    let size = (module().vmctx_size as usize).max(GLOBALS as usize);
    let layout = std::alloc::Layout::from_size_align(size, 64).expect("vmctx layout");
    // SAFETY: both were allocated by new_thread_context.
    unsafe {
        drop(Box::from_raw(thread_of(vmctx)));
        std::alloc::dealloc(vmctx as *mut u8, layout);
    }
}

/// Host address of the `__stack_pointer` global's slot in `vmctx`, if the module has one.
///
/// # Safety
/// `vmctx` must be a live context.
pub(crate) unsafe fn stack_pointer_slot(vmctx: *mut VmContext) -> Option<*mut u32> {
    let offset = module().stack_pointer_offset;
    // SAFETY: the compiler placed the slot inside the context.
    (offset >= 0).then(|| unsafe { (vmctx as *mut u8).add(offset as usize) as *mut u32 })
}
