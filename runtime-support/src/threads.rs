//! Threads (ABI.md §7): `__wasm_thread_spawn`, `SYS_exit`, `SYS_exit_group`, and the native stacks
//! wasm code runs on.
//!
//! A wasm thread is a detached pthread with an explicit stack size ([`thread_stack_bytes`]) and its
//! own context: a fresh copy of the module's globals (so `__stack_pointer` and `__tls_base` start
//! from their initial values; musl's start trampoline sets them), the shared memory and tables, a
//! stack limit, and an alternate signal stack for the fault handler. The child calls the table-0
//! function `(tid, arg)` and the parent returns the child's kernel TID.
//!
//! A thread ends when its function returns or when it calls `SYS_exit`: the runtime then jumps
//! back to the thread's entry (never unwinding through compiled frames) and the pthread returns
//! normally. musl itself clears the TID word and wakes joiners (ABI.md §7.3). `SYS_exit` ends the
//! whole process until the first thread is ever spawned, as in the reference runtime; on the main
//! thread after that it ends only the main thread (the process lives until its last thread ends,
//! as on Linux).
//!
//! Stacks: generated code compares its stack pointer with `vmctx.stack_limit` in every prologue,
//! and the limit leaves [`STACK_HEADROOM`] bytes for runtime calls and signal delivery. The main
//! thread's wasm code runs on a dedicated mapping of [`main_stack_bytes`] (at least 64 MiB) with a
//! guard page, set up by start-up; spawned threads get [`thread_stack_bytes`] (at least 8 MiB).

use core::ffi::c_void;
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;

use walic_loader::metadata::FuncRef;
use walic_loader::vmctx::VmContext;

use crate::instance::{self, thread_of, ThreadState};
use crate::traps;

/// Native stack kept below `vmctx.stack_limit` for runtime calls and signal delivery.
pub(crate) const STACK_HEADROOM: usize = 256 * 1024;

/// Whether `__wasm_thread_spawn` ever succeeded (changes the meaning of `SYS_exit`).
static EVER_SPAWNED: AtomicBool = AtomicBool::new(false);

/// The soft RLIMIT_STACK, if finite.
fn rlimit_stack() -> Option<usize> {
    let mut r = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: valid out pointer.
    let ok = unsafe { libc::getrlimit(libc::RLIMIT_STACK, &mut r) } == 0;
    (ok && r.rlim_cur != libc::RLIM_INFINITY).then_some(r.rlim_cur as usize)
}

/// Native stack of the main thread's wasm code: RLIMIT_STACK, at least 64 MiB, at most 1 GiB
/// (wasm frames are larger than native ones, and the mapping costs only address space).
pub(crate) fn main_stack_bytes() -> usize {
    rlimit_stack().unwrap_or(0).clamp(64 << 20, 1 << 30)
}

/// Native stack of a spawned thread: RLIMIT_STACK (glibc's default thread stack), at least 8 MiB,
/// at most 256 MiB, plus the headroom.
pub(crate) fn thread_stack_bytes() -> usize {
    rlimit_stack().unwrap_or(0).clamp(8 << 20, 256 << 20) + STACK_HEADROOM
}

/// Whether a thread was ever spawned.
pub(crate) fn ever_spawned() -> bool {
    EVER_SPAWNED.load(Ordering::Acquire)
}

/// Fills in the stack bounds and limit of the calling thread's context, installs the fault
/// handler's alternate stack and makes the state current.
///
/// # Safety
/// `vmctx` must be a fresh context of the calling thread; `[low, high)` its native stack.
pub(crate) unsafe fn enter_thread(vmctx: *mut VmContext, low: usize, high: usize) {
    // SAFETY: contract.
    let state = unsafe { &mut *thread_of(vmctx) };
    state.stack_low = low;
    state.stack_high = high;
    state.fault_stack.set(traps::install_fault_stack());
    // SAFETY: contract.
    unsafe { (*vmctx).stack_limit = (low + STACK_HEADROOM) as u64 };
    instance::set_current_thread(state);
}

/// What the parent hands to a new thread.
struct StartArgs {
    func: &'static FuncRef,
    arg: u32,
    /// The child's TID once known (the parent sleeps on it).
    tid: Arc<AtomicU32>,
    /// The parent's signal mask, which the child takes once its context is current.
    mask: u64,
}

/// `__wasm_thread_spawn(start, arg)`: the new thread's TID, or -1.
#[no_mangle]
pub extern "C" fn walic_import___wasm_thread_spawn(
    vmctx: *mut VmContext,
    a0: u64,
    a1: u64,
    _a2: u64,
    _a3: u64,
    _a4: u64,
    _a5: u64,
) -> i64 {
    let Ok(func) = instance::table0_entry(a0 as u32) else {
        return -1;
    };
    if func.type_id != instance::module().type_id_thread_start {
        return -1;
    }
    EVER_SPAWNED.store(true, Ordering::Release);
    let tid = Arc::new(AtomicU32::new(0));
    // The child inherits a fully blocked mask, so no signal reaches it before its context is
    // current (the kernel picks another thread for process-directed ones meanwhile).
    let mask = crate::signals::block_all();
    let args = Box::into_raw(Box::new(StartArgs {
        func,
        arg: a1 as u32,
        tid: tid.clone(),
        mask,
    }));
    // SAFETY: standard pthread creation with an initialized attribute object.
    let created = unsafe {
        let mut attr: libc::pthread_attr_t = core::mem::zeroed();
        libc::pthread_attr_init(&mut attr);
        libc::pthread_attr_setstacksize(&mut attr, thread_stack_bytes());
        libc::pthread_attr_setdetachstate(&mut attr, libc::PTHREAD_CREATE_DETACHED);
        let mut thread: libc::pthread_t = 0;
        let r = libc::pthread_create(&mut thread, &attr, thread_main, args as *mut c_void);
        libc::pthread_attr_destroy(&mut attr);
        r == 0
    };
    crate::signals::restore_mask(mask);
    if !created {
        // SAFETY: the thread was not created, so we still own the arguments.
        drop(unsafe { Box::from_raw(args) });
        return -1;
    }
    let t = loop {
        let t = tid.load(Ordering::Acquire);
        if t != 0 {
            break t;
        }
        crate::sync::futex_wait(&tid, 0);
    };
    crate::signals::after_syscall(vmctx);
    t as i64
}

/// Arguments of [`run_thread`], on the thread's own stack.
struct RunArgs {
    vmctx: *mut VmContext,
    func: &'static FuncRef,
    tid: u32,
    arg: u32,
}

unsafe extern "C" fn run_thread(p: *mut c_void) {
    // SAFETY: p points at the RunArgs of thread_main.
    let run = unsafe { &*(p as *const RunArgs) };
    // SAFETY: the type id was checked against the (i32, i32) -> () thread-start type.
    unsafe {
        crate::context::call_wasm(
            run.func.code,
            run.vmctx,
            [u64::from(run.tid), u64::from(run.arg), 0],
        )
    };
}

extern "C" fn thread_main(p: *mut c_void) -> *mut c_void {
    // SAFETY: p is the StartArgs box handed over by the parent.
    let start = unsafe { Box::from_raw(p as *mut StartArgs) };
    let vmctx = instance::new_thread_context(false);
    let (low, high) = current_stack_bounds();
    // SAFETY: fresh context of this thread and its stack.
    unsafe { enter_thread(vmctx, low, high) };
    // SAFETY: plain syscall.
    let tid = unsafe { libc::gettid() } as u32;
    start.tid.store(tid, Ordering::Release);
    crate::sync::futex_wake(&start.tid, 1);
    let mut run = RunArgs {
        vmctx,
        func: start.func,
        tid,
        arg: start.arg,
    };
    let mask = start.mask;
    drop(start);
    crate::signals::restore_mask(mask);
    // SAFETY: the state is this thread's; exit_context lives until the thread ends.
    unsafe {
        let state = &*thread_of(vmctx);
        crate::context::context_call(
            state.exit_context.get(),
            run_thread,
            &mut run as *mut RunArgs as *mut c_void,
        );
    }
    leave_thread(vmctx);
    core::ptr::null_mut()
}

/// Tears down the calling thread's context after its wasm code finished.
fn leave_thread(vmctx: *mut VmContext) {
    // From here on the thread has no wasm context: let other threads take its signals.
    crate::signals::block_all();
    // SAFETY: the context belongs to this thread and is no longer used by wasm code.
    unsafe {
        let state = &*thread_of(vmctx);
        let fault_stack = state.fault_stack.get();
        instance::set_current_thread(core::ptr::null_mut());
        crate::signals::hand_over_pending(state);
        traps::free_fault_stack(fault_stack);
        instance::free_thread_context(vmctx);
    }
}

/// The calling pthread's usable stack `[low, high)`.
fn current_stack_bounds() -> (usize, usize) {
    // SAFETY: pthread_getattr_np on the calling thread with an attribute object it initializes.
    unsafe {
        let mut attr: libc::pthread_attr_t = core::mem::zeroed();
        if libc::pthread_getattr_np(libc::pthread_self(), &mut attr) != 0 {
            return (0, usize::MAX);
        }
        let mut addr: *mut c_void = core::ptr::null_mut();
        let mut size: usize = 0;
        libc::pthread_attr_getstack(&attr, &mut addr, &mut size);
        libc::pthread_attr_destroy(&mut attr);
        (addr as usize, addr as usize + size)
    }
}

/// `exit(status)`: process exit before any thread was spawned, thread exit afterwards.
#[no_mangle]
pub extern "C" fn walic_import_SYS_exit(
    vmctx: *mut VmContext,
    a0: u64,
    _a1: u64,
    _a2: u64,
    _a3: u64,
    _a4: u64,
    _a5: u64,
) -> i64 {
    let status = a0 as i32;
    if !ever_spawned() {
        traps::exit_process(status);
    }
    // SAFETY: imports receive the calling thread's context.
    let state = unsafe { thread_of(vmctx) };
    if state.is_null() || vmctx == instance::main_vmctx() {
        // End only the calling (main) thread; its stack is never reused.
        // SAFETY: the thread ends here.
        unsafe { libc::syscall(libc::SYS_exit, status) };
        unreachable!("SYS_exit returned");
    }
    // SAFETY: the state belongs to this thread, whose entry is below us on the stack.
    unsafe {
        let state: &ThreadState = &*state;
        state.exit_status.set(status);
        crate::context::context_resume(state.exit_context.get(), 1)
    }
}

/// `exit_group(status)`: ends the process with `status & 0xff`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_exit_group(
    _vmctx: *mut VmContext,
    a0: u64,
    _a1: u64,
    _a2: u64,
    _a3: u64,
    _a4: u64,
    _a5: u64,
) -> i64 {
    traps::exit_process(a0 as i32)
}
