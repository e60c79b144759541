//! Signals (ABI.md §6): `SYS_rt_sigaction`, `SYS_rt_sigprocmask`, `SYS_rt_sigpending`,
//! `SYS_rt_sigsuspend`, `SYS_sigaltstack`, and delivery to wasm handlers.
//!
//! **Dispositions.** A wasm handler is a table-0 index (`SIG_DFL` 0, `SIG_IGN` 0xFFFFFFFE,
//! `SIG_ERR` 0xFFFFFFFF). For a wasm handler the kernel gets the runtime's native handler with the
//! program's flags and mask, plus `SA_SIGINFO | SA_RESTORER` (and the runtime's restorer) and minus
//! `SA_ONSTACK` (the native handler must run on the thread's own stack, see below); `SIG_DFL` and
//! `SIG_IGN` go to the kernel as they are. The program's own view (handler index, flags, restorer,
//! mask) is kept in [`ACTIONS`] and returned as `oldact`. `sigsetsize` is forwarded verbatim, so the
//! kernel judges it exactly as natively. SIGSEGV, SIGBUS, SIGILL and SIGFPE keep the runtime's fault
//! handler in the kernel; the program's disposition for them is emulated and applies to instances
//! sent with `kill`/`raise` (`si_code <= 0`); a real fault in wasm code is a trap.
//!
//! **The mask** is the kernel's: `rt_sigprocmask`, `rt_sigpending` and `rt_sigsuspend` pass through
//! (after delivering signals the runtime already holds, which arrived before the call).
//!
//! **Delivery.** The native handler (async-signal-safe: atomics and thread-local state only) runs
//! the wasm handler at once, inside the native handler, on the thread's own stack, when the thread
//! - is executing compiled code whose signals are not deferred (every function except the bodies
//!   of setjmp callers, see `walic_loader::metadata::function_flags::DEFERS_SIGNALS`), or
//!   `walic_rt_guarded_call` with its record linked: the interrupted code holds no runtime locks,
//!   exactly like native code interrupted by a native handler; or
//! - is inside a [`blocking`] system call (which holds no runtime locks either). When the wasm
//!   handler returns, the kernel restarts the call (`SA_RESTART`) or makes it fail with `EINTR`,
//!   exactly as natively.
//!
//! In both cases the kernel has already applied `sa_mask`, `SA_NODEFER` and `SA_RESETHAND`, and a
//! handler's `longjmp` abandons the kernel's signal frame as a native one does. So hot code has no
//! polls at all.
//!
//! Anywhere else (runtime code, a setjmp caller's own code) the signal and its siginfo are recorded
//! in the thread's pending set and `vmctx.signal_pending` is set. Imports deliver before returning
//! ([`after_syscall`]) and generated code tests the flag right after every runtime call, at the
//! loop headers of setjmp callers and after they return, calling [`walic_rt_poll_signals`]
//! (see `walic_loader::symbols::POLL_SIGNALS`). Delivery then emulates the kernel: the mask
//! becomes `old | sa_mask | sig` (without `sig` for `SA_NODEFER`) while the handler runs and is
//! restored afterwards. Several instances of one signal recorded before a poll coalesce.
//!
//! A handler of type `(i32) -> ()` gets the signal number; one of type `(i32, i32, i32) -> ()` also
//! gets a wasm-layout `siginfo_t` (written on the wasm stack below `__stack_pointer`, which is moved
//! down while the handler runs) and a null `ucontext`. The 128 bytes below the interrupted
//! `__stack_pointer` are skipped first: LLVM's wasm leaf functions keep frames of up to 128 bytes
//! there without moving the stack pointer (the wasm red zone). Any other type traps ("indirect
//! call type mismatch"). The wasm-visible alternate stack (`sigaltstack`) is emulated per thread:
//! an `SA_ONSTACK` handler runs with `__stack_pointer` at the top of that stack (the wasm C stack is
//! what the program means by "stack"); the kernel never sees the guest's stack.
//!
//! A spawned thread runs its runtime-only start-up and exit with every signal blocked (see
//! `threads.rs`), so the kernel gives process-directed signals to other threads meanwhile. A signal
//! that still arrives on a thread without a wasm context is recorded process-wide and delivered by
//! the main thread at its next check.

use core::sync::atomic::{compiler_fence, AtomicU32, AtomicU64, Ordering};

use walic_loader::trap::Trap;
use walic_loader::vmctx::VmContext;

use crate::guest;
use crate::instance::{self, current_thread, thread_of, SignalSlot, ThreadState, NSIG};
use crate::sync::Lock;
use crate::traps::{self, is_fault_signal};

const SA_SIGINFO: u64 = 0x4;
const SA_ONSTACK: u64 = 0x0800_0000;
const SA_RESTORER: u64 = 0x0400_0000;
const SA_NODEFER: u64 = 0x4000_0000;
const SA_RESETHAND: u64 = 0x8000_0000;
/// Slots of the buffer a handler of another type is called with through its generic entry; a
/// module needing more (a function type with over 16 parameters) gets the trap instead.
const HANDLER_SLOTS: usize = 16;

/// Wasm `SIG_DFL`.
pub(crate) const WASM_SIG_DFL: u32 = 0;
/// Wasm `SIG_IGN`.
pub(crate) const WASM_SIG_IGN: u32 = 0xFFFF_FFFE;
/// Wasm `SIG_ERR`.
pub(crate) const WASM_SIG_ERR: u32 = 0xFFFF_FFFF;

/// Whether a wasm handler value names a function (not DFL/IGN/ERR).
fn is_function(handler: u32) -> bool {
    !matches!(handler, WASM_SIG_DFL | WASM_SIG_IGN | WASM_SIG_ERR)
}

/// musl's packed `struct k_sigaction` as the wasm side passes it (24 bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) struct WasmSigaction {
    pub handler: u32,
    pub flags: u64,
    pub restorer: u32,
    pub mask: u64,
}

/// Size of the wasm `k_sigaction`.
const WASM_SIGACTION_SIZE: usize = 24;

impl WasmSigaction {
    fn from_bytes(b: &[u8; WASM_SIGACTION_SIZE]) -> Self {
        WasmSigaction {
            handler: u32::from_le_bytes(b[0..4].try_into().unwrap()),
            flags: u64::from_le_bytes(b[4..12].try_into().unwrap()),
            restorer: u32::from_le_bytes(b[12..16].try_into().unwrap()),
            mask: u64::from_le_bytes(b[16..24].try_into().unwrap()),
        }
    }

    fn to_bytes(self) -> [u8; WASM_SIGACTION_SIZE] {
        let mut b = [0u8; WASM_SIGACTION_SIZE];
        b[0..4].copy_from_slice(&self.handler.to_le_bytes());
        b[4..12].copy_from_slice(&self.flags.to_le_bytes());
        b[12..16].copy_from_slice(&self.restorer.to_le_bytes());
        b[16..24].copy_from_slice(&self.mask.to_le_bytes());
        b
    }

    /// The kernel action implementing this wasm action.
    fn to_kernel(self) -> KernelSigaction {
        let (handler, flags) = match self.handler {
            WASM_SIG_DFL => (libc::SIG_DFL, self.flags | SA_RESTORER),
            WASM_SIG_IGN => (libc::SIG_IGN, self.flags | SA_RESTORER),
            WASM_SIG_ERR => (libc::SIG_ERR, self.flags | SA_RESTORER),
            _ => (
                on_signal as *const () as usize,
                (self.flags | SA_SIGINFO | SA_RESTORER) & !SA_ONSTACK,
            ),
        };
        KernelSigaction {
            handler,
            flags,
            restorer: crate::context::signal_restorer(),
            mask: self.mask,
        }
    }

    /// The wasm view of a kernel action that is not the runtime's handler.
    fn from_kernel(k: &KernelSigaction) -> Self {
        let handler = match k.handler {
            libc::SIG_DFL => WASM_SIG_DFL,
            libc::SIG_IGN => WASM_SIG_IGN,
            libc::SIG_ERR => WASM_SIG_ERR,
            _ => WASM_SIG_DFL,
        };
        WasmSigaction {
            handler,
            flags: k.flags,
            restorer: 0,
            mask: k.mask,
        }
    }
}

/// The x86-64 kernel's `struct sigaction` for `rt_sigaction` (32 bytes).
#[repr(C)]
#[derive(Default)]
struct KernelSigaction {
    handler: usize,
    flags: u64,
    restorer: usize,
    mask: u64,
}

/// The program's view of one signal's disposition (atomics: read by the native handler).
struct Action {
    handler: AtomicU32,
    flags: AtomicU64,
    restorer: AtomicU32,
    mask: AtomicU64,
}

impl Action {
    const fn new() -> Self {
        Action {
            handler: AtomicU32::new(WASM_SIG_DFL),
            flags: AtomicU64::new(0),
            restorer: AtomicU32::new(0),
            mask: AtomicU64::new(0),
        }
    }

    fn load(&self) -> WasmSigaction {
        WasmSigaction {
            handler: self.handler.load(Ordering::Acquire),
            flags: self.flags.load(Ordering::Acquire),
            restorer: self.restorer.load(Ordering::Acquire),
            mask: self.mask.load(Ordering::Acquire),
        }
    }

    fn store(&self, a: WasmSigaction) {
        self.flags.store(a.flags, Ordering::Release);
        self.restorer.store(a.restorer, Ordering::Release);
        self.mask.store(a.mask, Ordering::Release);
        self.handler.store(a.handler, Ordering::Release);
    }
}

/// Every signal's wasm disposition, indexed by signal number.
static ACTIONS: [Action; NSIG] = [const { Action::new() }; NSIG];
/// Serializes `rt_sigaction` (read-modify-write of kernel and [`ACTIONS`]).
static ACTION_LOCK: Lock<()> = Lock::new(());
/// Signals that arrived on a thread without a wasm context (bit `sig - 1`).
static PROCESS_PENDING: AtomicU64 = AtomicU64::new(0);

/// Adds `bits` to pending set `set` (async-signal-safe).
fn mark(set: &AtomicU64, bits: u64) {
    set.fetch_or(bits, Ordering::AcqRel);
}

/// Removes `bits` from pending set `set`; returns the set's old value.
fn unmark(set: &AtomicU64, bits: u64) -> u64 {
    set.fetch_and(!bits, Ordering::AcqRel)
}

/// Empties pending set `set`; returns its old value.
fn take_all(set: &AtomicU64) -> u64 {
    set.swap(0, Ordering::AcqRel)
}

fn err(e: i32) -> i64 {
    -(e as i64)
}

fn bit(sig: i32) -> u64 {
    1u64 << (sig - 1)
}

/// The raw `syscall` instruction (as the syscall imports use it), returning `-errno` on failure.
///
/// # Safety
/// As for [`crate::syscalls::kernel::syscall6`]: every address argument is null or valid.
unsafe fn raw_syscall<const N: usize>(nr: i64, args: [u64; N]) -> i64 {
    use crate::syscalls::kernel::{pad, syscall6};
    // SAFETY: forwarded contract.
    unsafe { syscall6(nr, pad(args)) }
}

/// Raw `rt_sigaction`.
fn kernel_sigaction(
    sig: i32,
    act: Option<&KernelSigaction>,
    old: &mut KernelSigaction,
    setsize: u64,
) -> i64 {
    // SAFETY: pointers to valid kernel-layout structs (or null); the kernel validates the rest.
    unsafe {
        raw_syscall(
            libc::SYS_rt_sigaction,
            [
                sig as u64,
                act.map_or(core::ptr::null(), |a| a as *const KernelSigaction) as u64,
                old as *mut KernelSigaction as u64,
                setsize,
            ],
        )
    }
}

/// Raw `rt_sigprocmask` on 8-byte sets; returns the old mask.
fn set_mask(how: i32, set: Option<u64>) -> u64 {
    let mut old = 0u64;
    // SAFETY: valid 8-byte sets.
    unsafe {
        libc::syscall(
            libc::SYS_rt_sigprocmask,
            how,
            set.as_ref().map_or(core::ptr::null(), |s| s as *const u64),
            &mut old as *mut u64,
            8,
        );
    }
    old
}

/// The current thread's blocked-signal mask.
pub(crate) fn current_mask() -> u64 {
    set_mask(libc::SIG_BLOCK, None)
}

/// Blocks every signal on the current thread; returns the old mask.
pub(crate) fn block_all() -> u64 {
    set_mask(libc::SIG_SETMASK, Some(!0))
}

/// Replaces the current thread's blocked-signal mask.
pub(crate) fn restore_mask(mask: u64) {
    set_mask(libc::SIG_SETMASK, Some(mask));
}

/// `rt_sigaction(sig, act, oldact, sigsetsize)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_rt_sigaction(
    _vmctx: *mut VmContext,
    a0: u64,
    a1: u64,
    a2: u64,
    a3: u64,
    _a4: u64,
    _a5: u64,
) -> i64 {
    let (sig, act, oldact, setsize) = (a0 as i32, a1 as u32, a2 as u32, a3 as u32 as u64);
    let new = if act != 0 {
        // Fault-tolerant: an inaccessible page is EFAULT, as the kernel's copy_from_user.
        match guest::read::<[u8; WASM_SIGACTION_SIZE]>(act) {
            Ok(bytes) => Some(WasmSigaction::from_bytes(&bytes)),
            Err(e) => return e,
        }
    } else {
        None
    };
    if oldact != 0 && !guest::in_bounds(oldact, WASM_SIGACTION_SIZE as u64) {
        return err(libc::EFAULT);
    }
    let valid = (1..NSIG as i32).contains(&sig);
    let guard = ACTION_LOCK.lock();
    let mut kernel_old = KernelSigaction::default();
    let old = if valid && is_fault_signal(sig) {
        // The kernel keeps the fault handler; it still judges sigsetsize.
        let r = kernel_sigaction(sig, None, &mut kernel_old, setsize);
        if r < 0 {
            return r;
        }
        let old = ACTIONS[sig as usize].load();
        if let Some(n) = new {
            ACTIONS[sig as usize].store(n);
        }
        old
    } else {
        let previous = valid.then(|| ACTIONS[sig as usize].load());
        // Publish a new wasm handler before the kernel can deliver to it.
        if let (Some(n), true) = (new, valid) {
            if is_function(n.handler) {
                ACTIONS[sig as usize].store(n);
            }
        }
        let kernel_new = new.map(WasmSigaction::to_kernel);
        let r = kernel_sigaction(sig, kernel_new.as_ref(), &mut kernel_old, setsize);
        if r < 0 {
            if let Some(p) = previous {
                ACTIONS[sig as usize].store(p);
            }
            return r;
        }
        let old = match previous {
            Some(p) if kernel_old.handler == on_signal as *const () as usize => p,
            _ => WasmSigaction::from_kernel(&kernel_old),
        };
        if let (Some(n), true) = (new, valid) {
            ACTIONS[sig as usize].store(n);
        }
        old
    };
    drop(guard);
    if oldact != 0 {
        // Checked above, so only an inaccessible page fails: EFAULT after the action changed,
        // as the kernel's copy_to_user of oldact reports it.
        if let Err(e) = guest::write(oldact, old.to_bytes()) {
            return e;
        }
    }
    0
}

/// Translates an optional sigset argument (the kernel reads `min(sigsetsize, 8)` bytes; larger
/// sizes are rejected by the kernel itself).
fn sigset_arg(addr: u32, setsize: u64) -> Result<*mut u8, i64> {
    guest::translate(addr, setsize.min(8))
}

/// `rt_sigprocmask(how, set, oldset, sigsetsize)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_rt_sigprocmask(
    vmctx: *mut VmContext,
    a0: u64,
    a1: u64,
    a2: u64,
    a3: u64,
    _a4: u64,
    _a5: u64,
) -> i64 {
    let setsize = a3 as u32 as u64;
    let (set, old) = match (
        sigset_arg(a1 as u32, setsize),
        sigset_arg(a2 as u32, setsize),
    ) {
        (Ok(s), Ok(o)) => (s, o),
        (Err(e), _) | (_, Err(e)) => return e,
    };
    // Signals the runtime holds arrived before this call: deliver them first.
    after_syscall(vmctx);
    // SAFETY: both pointers are null or inside linear memory.
    let r = unsafe {
        raw_syscall(
            libc::SYS_rt_sigprocmask,
            [a0 as i32 as u64, set as u64, old as u64, setsize],
        )
    };
    // Unblocked signals: the kernel delivered them as the call returned, or the runtime held them.
    deliver_recorded(vmctx);
    r
}

/// `rt_sigpending(set, sigsetsize)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_rt_sigpending(
    vmctx: *mut VmContext,
    a0: u64,
    a1: u64,
    _a2: u64,
    _a3: u64,
    _a4: u64,
    _a5: u64,
) -> i64 {
    let setsize = a1 as u32 as u64;
    let set = match sigset_arg(a0 as u32, setsize) {
        Ok(s) => s,
        Err(e) => return e,
    };
    after_syscall(vmctx);
    // SAFETY: null or inside linear memory.
    unsafe { raw_syscall(libc::SYS_rt_sigpending, [set as u64, setsize]) }
}

/// `rt_sigsuspend(mask, sigsetsize)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_rt_sigsuspend(
    vmctx: *mut VmContext,
    a0: u64,
    a1: u64,
    _a2: u64,
    _a3: u64,
    _a4: u64,
    _a5: u64,
) -> i64 {
    let setsize = a1 as u32 as u64;
    let set = match sigset_arg(a0 as u32, setsize) {
        Ok(s) => s,
        Err(e) => return e,
    };
    // SAFETY: null or inside linear memory.
    let r = blocking(vmctx, || unsafe {
        raw_syscall(libc::SYS_rt_sigsuspend, [set as u64, setsize])
    });
    deliver_recorded(vmctx);
    r
}

const MINSIGSTKSZ: u32 = 2048;
const SS_ONSTACK: i32 = 1;
const SS_DISABLE: i32 = 2;
const SS_AUTODISARM: i32 = 1 << 31;

/// Whether wasm address `sp` lies on the thread's emulated alternate stack.
fn on_wasm_altstack(state: &ThreadState, sp: u32) -> bool {
    let (base, flags, size) = state.wasm_altstack.get();
    flags & SS_DISABLE == 0 && sp > base && (sp as u64) <= base as u64 + size as u64
}

/// The current `__stack_pointer` of `vmctx`, if the module has one.
fn wasm_stack_pointer(vmctx: *mut VmContext) -> Option<u32> {
    // SAFETY: vmctx is the live context of this thread.
    unsafe { instance::stack_pointer_slot(vmctx).map(|p| *p) }
}

/// `sigaltstack(ss, old_ss)`: emulated per thread (12-byte wasm `stack_t`).
#[no_mangle]
pub extern "C" fn walic_import_SYS_sigaltstack(
    vmctx: *mut VmContext,
    a0: u64,
    a1: u64,
    _a2: u64,
    _a3: u64,
    _a4: u64,
    _a5: u64,
) -> i64 {
    // SAFETY: imports receive the calling thread's context.
    let state = unsafe { thread_of(vmctx) };
    if state.is_null() {
        return err(libc::ENOSYS);
    }
    // SAFETY: the state belongs to the calling thread.
    let state = unsafe { &*state };
    let (ss, old_ss) = (a0 as u32, a1 as u32);
    let new = if ss != 0 {
        // Fault-tolerant: an inaccessible page is EFAULT, as the kernel's copy_from_user.
        match guest::read::<[u32; 3]>(ss) {
            Ok(stack) => Some(stack),
            Err(e) => return e,
        }
    } else {
        None
    };
    let old_ptr = match guest::translate(old_ss, 12) {
        Ok(p) => p,
        Err(e) => return e,
    };
    let on_stack = wasm_stack_pointer(vmctx).is_some_and(|sp| on_wasm_altstack(state, sp));
    let (base, flags, size) = state.wasm_altstack.get();
    if let Some([sp, flags_new, size_new]) = new {
        let flags_new = flags_new as i32;
        if on_stack {
            return err(libc::EPERM);
        }
        let mode = flags_new & !SS_AUTODISARM;
        if mode != 0 && mode != SS_DISABLE && mode != SS_ONSTACK {
            return err(libc::EINVAL);
        }
        if mode == SS_DISABLE {
            state.wasm_altstack.set((0, SS_DISABLE, 0));
        } else {
            if size_new < MINSIGSTKSZ {
                return err(libc::ENOMEM);
            }
            state
                .wasm_altstack
                .set((sp, flags_new & SS_AUTODISARM, size_new));
        }
    }
    if !old_ptr.is_null() {
        let old_flags = if on_stack { SS_ONSTACK } else { flags };
        // Checked above, so only an inaccessible page fails: EFAULT, as the kernel's copy_to_user.
        if let Err(e) = guest::write(old_ss, [base, old_flags as u32, size]) {
            return e;
        }
    }
    0
}

/// Runs `f` (one blocking system call, holding no runtime locks) so that signals arriving meanwhile
/// run their wasm handlers at once, inside the native handler: the handler runs before the call
/// returns `EINTR` or is restarted, as natively. Signals the runtime already holds are delivered
/// first.
pub(crate) fn blocking<T>(vmctx: *mut VmContext, f: impl FnOnce() -> T) -> T {
    // SAFETY: imports receive the calling thread's context (or null).
    let state = unsafe { thread_of(vmctx) };
    if state.is_null() {
        return f();
    }
    // SAFETY: as above.
    if unsafe { (*vmctx).signal_pending.load(Ordering::Relaxed) } != 0 {
        deliver_pending(vmctx);
    }
    // SAFETY: the state belongs to this thread; the native handler reads it on this thread only.
    let state = unsafe { &*state };
    let previous = state.blocking.swap(1, Ordering::Relaxed);
    compiler_fence(Ordering::SeqCst);
    let result = f();
    compiler_fence(Ordering::SeqCst);
    state.blocking.store(previous, Ordering::Relaxed);
    result
}

/// Delivers the calling thread's pending signals (imports call it before returning to wasm).
#[inline]
pub(crate) fn after_syscall(vmctx: *mut VmContext) {
    // SAFETY: imports receive the calling thread's context (or null).
    if !vmctx.is_null() && unsafe { (*vmctx).signal_pending.load(Ordering::Relaxed) } != 0 {
        deliver_pending(vmctx);
    }
}

/// Generated code's delivery point (`walic_loader::symbols::POLL_SIGNALS`), called when the
/// thread's `vmctx.signal_pending` flag is set.
#[no_mangle]
pub extern "C" fn walic_rt_poll_signals(vmctx: *mut VmContext) {
    after_syscall(vmctx);
}

/// Clears the calling thread's `blocking` mark (after a `longjmp` out of a handler that ran inside
/// a blocking call, or in a fork child).
pub(crate) fn leave_blocking(state: &ThreadState) {
    state.blocking.store(0, Ordering::Relaxed);
}

/// Hands the signals a finishing thread recorded but never delivered to the process (the main
/// thread delivers them), as the kernel would have delivered a process-directed signal elsewhere.
pub(crate) fn hand_over_pending(state: &ThreadState) {
    // The thread is no longer current, so nothing adds to its set now.
    let bits = take_all(&state.pending);
    if bits != 0 {
        mark(&PROCESS_PENDING, bits);
        let main = instance::main_vmctx();
        if !main.is_null() {
            // SAFETY: the main context lives for the whole process.
            unsafe { (*main).signal_pending.store(1, Ordering::Release) };
        }
    }
}

/// Forgets the calling thread's recorded signals (a fork child starts with none pending). Signals
/// are blocked meanwhile, so one arriving now is recorded after the reset, not lost in it.
pub(crate) fn clear_pending(state: &ThreadState) {
    let old = block_all();
    state.pending.store(0, Ordering::Relaxed);
    PROCESS_PENDING.store(0, Ordering::Relaxed);
    // SAFETY: the state's context is live.
    unsafe { (*state.vmctx).signal_pending.store(0, Ordering::Relaxed) };
    restore_mask(old);
}

#[cold]
fn deliver_pending(vmctx: *mut VmContext) {
    // SAFETY: called with the calling thread's context.
    let state = unsafe { thread_of(vmctx) };
    if state.is_null() {
        return;
    }
    // SAFETY: as above.
    let state = unsafe { &*state };
    let is_main = vmctx == instance::main_vmctx();
    // SAFETY: as above.
    unsafe { (*vmctx).signal_pending.store(0, Ordering::SeqCst) };
    loop {
        if state.pending.load(Ordering::Acquire) == 0
            && !(is_main && PROCESS_PENDING.load(Ordering::Acquire) != 0)
        {
            return;
        }
        // Take one signal with every signal blocked, so the native handler cannot rewrite its slot
        // while we copy it. Only signals the current mask allows are taken: a poll inside a handler
        // must not run a recorded signal that the handler's mask blocks (it runs once the mask
        // allows it again: when the outer delivery restores the mask, or at the next mask change).
        let old = set_mask(libc::SIG_SETMASK, Some(!0));
        let bits = state.pending.load(Ordering::Acquire) & !old;
        let process_bits = if is_main {
            PROCESS_PENDING.load(Ordering::Acquire) & !old
        } else {
            0
        };
        let (sig, slot) = if bits != 0 {
            let sig = bits.trailing_zeros() as i32 + 1;
            unmark(&state.pending, bit(sig));
            // SAFETY: signals are blocked, so nothing writes the slots now.
            (sig, unsafe { (*state.slots.get())[sig as usize] })
        } else if process_bits != 0 {
            let sig = process_bits.trailing_zeros() as i32 + 1;
            unmark(&PROCESS_PENDING, bit(sig));
            let a = ACTIONS[sig as usize].load();
            let mut info = [0u64; 16];
            info[0] = sig as u64;
            (
                sig,
                SignalSlot {
                    info,
                    handler: a.handler,
                    flags: a.flags,
                    mask: a.mask,
                },
            )
        } else {
            restore_mask(old);
            return;
        };
        if !is_function(slot.handler) {
            restore_mask(old);
            continue;
        }
        let mut mask = old | slot.mask;
        if slot.flags & SA_NODEFER == 0 {
            mask |= bit(sig);
        }
        restore_mask(mask);
        call_handler(state, sig, &slot);
        restore_mask(old);
    }
}

/// Delivers recorded signals if there are any the mask now allows (after a mask change).
fn deliver_recorded(vmctx: *mut VmContext) {
    // SAFETY: imports receive the calling thread's context (or null).
    let state = unsafe { thread_of(vmctx) };
    if state.is_null() {
        return;
    }
    // SAFETY: as above.
    let recorded = unsafe { (*state).pending.load(Ordering::Acquire) };
    let process = vmctx == instance::main_vmctx() && PROCESS_PENDING.load(Ordering::Acquire) != 0;
    // SAFETY: as above.
    if recorded != 0 || process || unsafe { (*vmctx).signal_pending.load(Ordering::Relaxed) } != 0 {
        deliver_pending(vmctx);
    }
}

/// Size of the wasm `siginfo_t`.
const SIGINFO_SIZE: u32 = 128;
/// Bytes below `__stack_pointer` that a wasm leaf function may use without moving it (LLVM's
/// WebAssembly frame lowering), skipped before a handler's frames.
const WASM_RED_ZONE: u32 = 128;

/// Converts the kernel's siginfo into the wasm layout (identical except `si_addr`, a 4-byte wasm
/// address followed by `si_addr_lsb`, for fault signals).
fn wasm_siginfo(sig: i32, kernel: &[u64; 16]) -> [u8; 128] {
    let mut out = [0u8; 128];
    for (i, w) in kernel.iter().enumerate() {
        out[i * 8..i * 8 + 8].copy_from_slice(&w.to_le_bytes());
    }
    let code = (kernel[1] & 0xffff_ffff) as i32;
    let fault = matches!(
        sig,
        libc::SIGSEGV | libc::SIGBUS | libc::SIGILL | libc::SIGFPE | libc::SIGTRAP
    );
    if fault && code > 0 {
        let addr = kernel[2] as usize;
        let base = guest::base() as usize;
        let wasm = if addr >= base && ((addr - base) as u64) < guest::size() {
            (addr - base) as u32
        } else {
            0
        };
        let lsb = (kernel[3] & 0xffff) as u16;
        out[16..32].fill(0);
        out[16..20].copy_from_slice(&wasm.to_le_bytes());
        out[20..22].copy_from_slice(&lsb.to_le_bytes());
    }
    out
}

/// Calls the wasm handler of `slot` for `sig` on the current thread.
fn call_handler(state: &ThreadState, sig: i32, slot: &SignalSlot) {
    let vmctx = state.vmctx;
    let module = instance::module();
    let func = match instance::table0_entry(slot.handler) {
        Ok(f) => f,
        Err(trap) => traps::report_trap(trap, b"<signal delivery>"),
    };
    let sp_slot = {
        // SAFETY: the context is live.
        unsafe { instance::stack_pointer_slot(vmctx) }
    };
    let saved_sp = sp_slot.map(|p| {
        // SAFETY: the slot lies inside the context.
        unsafe { *p }
    });
    // The handler's wasm stack: the emulated alternate stack for SA_ONSTACK handlers, otherwise
    // below the interrupted code's red zone.
    let mut sp = saved_sp.map_or(0, |sp| sp.saturating_sub(WASM_RED_ZONE) & !15);
    if slot.flags & SA_ONSTACK != 0 {
        let (base, flags, size) = state.wasm_altstack.get();
        if flags & SS_DISABLE == 0 && !on_wasm_altstack(state, saved_sp.unwrap_or(0)) {
            sp = (base as u64 + size as u64).min(u32::MAX as u64) as u32 & !15;
        }
    }
    let run = |info: u32, sp_value: Option<u32>| {
        if let (Some(p), Some(v)) = (sp_slot, sp_value) {
            // SAFETY: the slot lies inside the context.
            unsafe { *p = v };
        }
        let args = [sig as u64, u64::from(info), 0];
        if func.type_id == module.type_id_siginfo_handler
            || func.type_id == module.type_id_signal_handler
        {
            // SAFETY: the type id proves the (i32, i32, i32) -> () or (i32) -> () wasm signature.
            unsafe { crate::context::call_wasm(func.code, vmctx, args) };
        } else if !func.generic.is_null() && module.generic_slots as usize <= HANDLER_SLOTS {
            // A handler of another numeric type, installed through a cast function pointer: it
            // is called as natively, with the handler arguments it declares (docs/calls.md).
            let mut slots = [0u64; HANDLER_SLOTS];
            slots[..args.len()].copy_from_slice(&args);
            let code = func.code as u64;
            // SAFETY: a generic entry takes (vmctx, slots, code) and touches only the module's
            // `generic_slots` slots, which the buffer has.
            unsafe {
                crate::context::call_wasm(func.generic, vmctx, [slots.as_mut_ptr() as u64, code, 0])
            };
        } else {
            traps::trap_in_function_index(Trap::BadSignature, func.func_index);
        }
        if let (Some(p), Some(v)) = (sp_slot, saved_sp) {
            // SAFETY: as above.
            unsafe { *p = v };
        }
    };
    let info_addr = sp.checked_sub(SIGINFO_SIZE).map(|a| a & !15);
    match info_addr {
        Some(addr)
            if saved_sp.is_some() && addr >= 16 && guest::in_bounds(addr, SIGINFO_SIZE as u64) =>
        {
            let info = wasm_siginfo(sig, &slot.info);
            // SAFETY: 128 bytes inside linear memory, below the wasm stack pointer (free stack).
            unsafe {
                core::ptr::copy_nonoverlapping(info.as_ptr(), guest::base().add(addr as usize), 128)
            };
            run(addr, Some(addr));
        }
        _ => run(0, (sp != saved_sp.unwrap_or(0)).then_some(sp)),
    }
}

/// Whether a wasm handler may run at once on a thread interrupted at `pc`: in compiled code that
/// does not defer signals, or in the guarded-call trampoline while its record is linked.
fn handlers_may_run_at(pc: usize) -> bool {
    use walic_loader::metadata::function_flags::DEFERS_SIGNALS;
    match instance::function_at(pc) {
        Some(f) => f.flags & DEFERS_SIGNALS == 0,
        None => crate::setjmp::in_linked_window(pc),
    }
}

/// Where the native handler was invoked from.
#[derive(Clone, Copy)]
enum Origin {
    /// The native handler of the program's signals, on the interrupted thread's stack; `pc` is the
    /// interrupted instruction.
    Handler { pc: usize },
    /// The fault handler, on its alternate stack (a SIGSEGV/SIGBUS/SIGILL/SIGFPE sent by `kill`);
    /// wasm code must not run there, but may on the interrupted stack below `sp`.
    FaultHandler { pc: usize, sp: usize },
}

/// Runs `sig`'s handler now if the thread may run it at once (see the module documentation), or
/// records it for delivery at the thread's next check.
///
/// # Safety
/// Signal-handler context; `info` is the kernel's siginfo.
unsafe fn take_signal(sig: i32, info: *const libc::siginfo_t, origin: Origin) {
    if !(1..NSIG as i32).contains(&sig) {
        return;
    }
    let action = &ACTIONS[sig as usize];
    let handler = action.handler.load(Ordering::Acquire);
    let flags = action.flags.load(Ordering::Acquire);
    let mask = action.mask.load(Ordering::Acquire);
    if !is_function(handler) {
        // The disposition changed after the kernel chose our handler (or an emulated fault-signal
        // disposition): apply it.
        if handler == WASM_SIG_DFL {
            traps::restore_default_action(sig);
            // SAFETY: re-sends the signal to this thread; delivered once we return.
            unsafe { libc::syscall(libc::SYS_tgkill, libc::getpid(), libc::gettid(), sig) };
        }
        return;
    }
    if flags & SA_RESETHAND != 0 {
        // The kernel reset its disposition at delivery; keep the program's view in step.
        action.store(WasmSigaction::default());
    }
    let mut slot = SignalSlot {
        info: [0; 16],
        handler,
        flags,
        mask,
    };
    if !info.is_null() {
        // SAFETY: the kernel's siginfo is 128 bytes.
        slot.info = unsafe { *(info as *const [u64; 16]) };
    }
    let state = current_thread();
    if state.is_null() {
        mark(&PROCESS_PENDING, bit(sig));
        let main = instance::main_vmctx();
        if !main.is_null() {
            // SAFETY: the main context lives for the whole process.
            unsafe { (*main).signal_pending.store(1, Ordering::Release) };
        }
        return;
    }
    // SAFETY: the state belongs to this thread.
    let state = unsafe { &*state };
    let on_own_stack = |addr: usize| addr >= state.stack_low && addr < state.stack_high;
    match origin {
        Origin::Handler { pc } => {
            if on_own_stack(&slot as *const SignalSlot as usize) {
                if state.blocking.load(Ordering::Relaxed) != 0 {
                    state.blocking.store(0, Ordering::Relaxed);
                    call_handler(state, sig, &slot);
                    state.blocking.store(1, Ordering::Relaxed);
                    return;
                }
                if handlers_may_run_at(pc) {
                    call_handler(state, sig, &slot);
                    return;
                }
            }
        }
        Origin::FaultHandler { .. } => {}
    }
    // SAFETY: only this thread's handlers write the slots; delivery reads them with signals blocked.
    unsafe { (*state.slots.get())[sig as usize] = slot };
    mark(&state.pending, bit(sig));
    // SAFETY: the context is live while the state is current.
    unsafe { (*state.vmctx).signal_pending.store(1, Ordering::Release) };
    if let Origin::FaultHandler { pc, sp } = origin {
        if on_own_stack(sp)
            && handlers_may_run_at(pc)
            && state.blocking.load(Ordering::Relaxed) == 0
        {
            // Deliver on the interrupted stack, below its red zone, as the kernel would have.
            let top = (sp - NATIVE_RED_ZONE) & !15;
            // SAFETY: `top` lies on this thread's stack below everything the interrupted code
            // uses; the delivery runs on it and returns.
            unsafe {
                crate::context::call_on_stack(
                    state.vmctx as *mut core::ffi::c_void,
                    deliver_on_stack,
                    top as *mut u8,
                )
            };
        }
    }
}

/// The x86-64 System V red zone below a native stack pointer.
const NATIVE_RED_ZONE: usize = 128;

/// [`deliver_pending`] for [`crate::context::call_on_stack`].
unsafe extern "C" fn deliver_on_stack(vmctx: *mut core::ffi::c_void) {
    deliver_pending(vmctx as *mut VmContext);
}

/// The native handler installed for every signal with a wasm handler.
unsafe extern "C" fn on_signal(sig: i32, info: *mut libc::siginfo_t, context: *mut libc::c_void) {
    // SAFETY: errno is thread-local; the interrupted code must find it unchanged.
    let saved_errno = unsafe { *libc::__errno_location() };
    // SAFETY: the kernel passes a valid ucontext to SA_SIGINFO handlers.
    let pc = unsafe {
        (*(context as *const libc::ucontext_t)).uc_mcontext.gregs[libc::REG_RIP as usize] as usize
    };
    // SAFETY: kernel-provided arguments.
    unsafe { take_signal(sig, info, Origin::Handler { pc }) };
    // SAFETY: as above.
    unsafe { *libc::__errno_location() = saved_errno };
}

/// A SIGSEGV/SIGBUS/SIGILL/SIGFPE sent by `kill`/`raise` (called by the fault handler, which
/// interrupted the thread at `pc` with stack pointer `sp`): the program's emulated disposition
/// applies.
///
/// # Safety
/// Signal-handler context; kernel-provided arguments.
pub(crate) unsafe fn program_fault_signal(
    sig: i32,
    info: *const libc::siginfo_t,
    pc: usize,
    sp: usize,
) {
    let handler = ACTIONS[sig as usize].handler.load(Ordering::Acquire);
    if handler == WASM_SIG_IGN {
        return;
    }
    // SAFETY: errno as in on_signal.
    let saved_errno = unsafe { *libc::__errno_location() };
    // SAFETY: forwarded.
    unsafe { take_signal(sig, info, Origin::FaultHandler { pc, sp }) };
    // SAFETY: as above.
    unsafe { *libc::__errno_location() = saved_errno };
}

/// Takes the signal-action lock for `fork`.
pub(crate) fn lock_for_fork() {
    ACTION_LOCK.acquire_raw();
}

/// Releases the lock taken by [`lock_for_fork`].
pub(crate) fn unlock_after_fork() {
    // SAFETY: taken by lock_for_fork on this thread.
    unsafe { ACTION_LOCK.release_raw() };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn k_sigaction_round_trips() {
        let a = WasmSigaction {
            handler: 17,
            flags: 0x0400_0004,
            restorer: 5,
            mask: 0x8000_0000_0000_0001,
        };
        let bytes = a.to_bytes();
        assert_eq!(bytes.len(), 24);
        assert_eq!(&bytes[0..4], &17u32.to_le_bytes());
        assert_eq!(&bytes[4..12], &0x0400_0004u64.to_le_bytes());
        assert_eq!(&bytes[12..16], &5u32.to_le_bytes());
        assert_eq!(WasmSigaction::from_bytes(&bytes), a);
    }

    #[test]
    fn wasm_handlers_become_the_native_handler() {
        let a = WasmSigaction {
            handler: 3,
            flags: SA_ONSTACK | SA_RESETHAND,
            restorer: 9,
            mask: 0b110,
        };
        let k = a.to_kernel();
        assert_eq!(k.handler, on_signal as *const () as usize);
        assert_eq!(k.flags, SA_RESETHAND | SA_SIGINFO | SA_RESTORER);
        assert_eq!(k.mask, 0b110);
        assert_eq!(k.restorer, crate::context::signal_restorer());
    }

    #[test]
    fn special_handlers_map_both_ways() {
        for (wasm, native) in [
            (WASM_SIG_DFL, libc::SIG_DFL),
            (WASM_SIG_IGN, libc::SIG_IGN),
            (WASM_SIG_ERR, libc::SIG_ERR),
        ] {
            let a = WasmSigaction {
                handler: wasm,
                flags: 0,
                restorer: 0,
                mask: 0,
            };
            let k = a.to_kernel();
            assert_eq!(k.handler, native);
            assert_eq!(k.flags, SA_RESTORER);
            assert_eq!(WasmSigaction::from_kernel(&k).handler, wasm);
        }
    }

    #[test]
    fn siginfo_keeps_integer_fields() {
        let mut k = [0u64; 16];
        k[0] = libc::SIGUSR1 as u64; // si_signo, si_errno
        k[1] = (-6i32) as u32 as u64; // si_code = SI_TKILL
        k[2] = 1234 | (1000 << 32); // si_pid, si_uid
        let w = wasm_siginfo(libc::SIGUSR1, &k);
        assert_eq!(
            i32::from_le_bytes(w[0..4].try_into().unwrap()),
            libc::SIGUSR1
        );
        assert_eq!(i32::from_le_bytes(w[8..12].try_into().unwrap()), -6);
        assert_eq!(u32::from_le_bytes(w[16..20].try_into().unwrap()), 1234);
        assert_eq!(u32::from_le_bytes(w[20..24].try_into().unwrap()), 1000);
    }
}
