//! Traps: turning hardware faults in compiled code into wasm traps, and reporting them.
//!
//! Generated code traps with `ud2` (SIGILL), faulting loads and stores (SIGSEGV, SIGBUS) and
//! `div`/`idiv` (SIGFPE). One handler, installed for those four signals with
//! `SA_SIGINFO | SA_ONSTACK | SA_NODEFER` and running on a per-thread alternate stack (so it works
//! after a native stack overflow too), decides what a fault is:
//!
//! - `si_code <= 0` means someone sent the signal (`kill`, `raise`): it is the program's signal and
//!   goes to the program's emulated disposition (`crate::signals`);
//! - a SIGSEGV/SIGBUS on a guest address at a PC inside the fault-tolerant guest-access routines
//!   (`crate::guest::fault_tolerant`) resumes at their failure exit, so the runtime's own access
//!   to an inaccessible guest page returns `EFAULT` like the kernel's `copy_from_user`;
//! - a fault at a PC inside compiled code is looked up in that function's trap sites; a
//!   SIGSEGV/SIGBUS there is an out-of-bounds heap access even without a site;
//! - a fault in other runtime code on an address inside the linear-memory reservation is a runtime
//!   access to an unmapped guest page that wasm semantics make a trap (`memory.copy`,
//!   `memory.fill`, `memory.init` over a hole below `memory.size`): reported as an out-of-bounds
//!   access of the innermost compiled function on the stack;
//! - a fault just below the thread's native stack is a stack overflow;
//! - anything else is a genuine crash: the default action is restored and the handler returns, so
//!   the fault repeats and the process dies exactly like a native program.
//!
//! A trap prints one line, `walic: wasm trap: <message> in function <name>`, and ends the whole
//! process with [`TRAP_EXIT_STATUS`].

use core::ffi::c_void;

use walic_loader::memory::RESERVATION_BYTES;
use walic_loader::trap::{Trap, TRAP_EXIT_STATUS};

use crate::instance::{self, current_thread};

/// Size of each thread's alternate stack for the fault handler.
pub(crate) const FAULT_STACK_BYTES: usize = 256 * 1024;

/// The signals generated code faults with.
pub(crate) const FAULT_SIGNALS: [i32; 4] =
    [libc::SIGSEGV, libc::SIGBUS, libc::SIGILL, libc::SIGFPE];

/// Whether `sig` is one of [`FAULT_SIGNALS`].
pub(crate) fn is_fault_signal(sig: i32) -> bool {
    FAULT_SIGNALS.contains(&sig)
}

/// Installs the fault handler for SIGSEGV, SIGBUS, SIGILL and SIGFPE (process-wide).
pub(crate) fn install_fault_handlers() {
    for sig in FAULT_SIGNALS {
        // SAFETY: a zeroed sigaction is valid; the handler has the SA_SIGINFO signature.
        unsafe {
            let mut action: libc::sigaction = core::mem::zeroed();
            action.sa_sigaction = on_fault as *const () as usize;
            // SA_RESTART: a kill()ed fault signal recorded for the program must not make an
            // unrelated system call fail with EINTR.
            action.sa_flags =
                libc::SA_SIGINFO | libc::SA_ONSTACK | libc::SA_NODEFER | libc::SA_RESTART;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(sig, &action, core::ptr::null_mut());
        }
    }
}

/// Maps and installs the calling thread's alternate signal stack; returns (base, len) of the
/// mapping for [`free_fault_stack`].
pub(crate) fn install_fault_stack() -> (usize, usize) {
    let guard = 4096;
    let len = FAULT_STACK_BYTES + guard;
    // SAFETY: a fresh anonymous mapping; the lowest page becomes a guard.
    unsafe {
        let base = libc::mmap(
            core::ptr::null_mut(),
            len,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
            -1,
            0,
        );
        if base == libc::MAP_FAILED {
            return (0, 0);
        }
        libc::mprotect(base, guard, libc::PROT_NONE);
        let stack = libc::stack_t {
            ss_sp: (base as *mut u8).add(guard) as *mut c_void,
            ss_flags: 0,
            ss_size: FAULT_STACK_BYTES,
        };
        libc::sigaltstack(&stack, core::ptr::null_mut());
        (base as usize, len)
    }
}

/// Disables and unmaps the calling thread's alternate signal stack.
pub(crate) fn free_fault_stack(stack: (usize, usize)) {
    if stack.0 == 0 {
        return;
    }
    // SAFETY: disabling first, so the kernel no longer uses the mapping we unmap.
    unsafe {
        let disable = libc::stack_t {
            ss_sp: core::ptr::null_mut(),
            ss_flags: libc::SS_DISABLE,
            ss_size: 0,
        };
        libc::sigaltstack(&disable, core::ptr::null_mut());
        libc::munmap(stack.0 as *mut c_void, stack.1);
    }
}

/// The trap recorded for a PC inside `f`, if any.
fn trap_site(f: &walic_loader::metadata::FunctionInfo, pc: usize) -> Option<Trap> {
    let m = instance::try_module()?;
    if m.trap_sites.is_null() {
        return None;
    }
    let offset = (pc - f.code as usize) as u32;
    let end = f.traps_start.checked_add(f.traps_len)?;
    if end > m.num_trap_sites {
        return None;
    }
    // SAFETY: the range was checked against the table's length.
    let sites = unsafe {
        core::slice::from_raw_parts(
            m.trap_sites.add(f.traps_start as usize),
            f.traps_len as usize,
        )
    };
    let i = sites.partition_point(|s| s.offset < offset);
    let site = sites.get(i).filter(|s| s.offset == offset)?;
    Trap::from_code(site.code as u8)
}

/// Whether `addr` lies in the linear-memory reservation.
fn in_reservation(addr: usize) -> bool {
    let base = crate::guest::base() as usize;
    base != 0 && addr >= base && addr - base < RESERVATION_BYTES as usize
}

/// The innermost compiled function with a return address on the stack between `sp` and the top
/// of the current thread's stack (best effort, for faults inside runtime code).
fn innermost_compiled_function(sp: usize) -> Option<&'static walic_loader::metadata::FunctionInfo> {
    let state = current_thread();
    if state.is_null() {
        return None;
    }
    // SAFETY: the state belongs to this thread.
    let high = unsafe { (*state).stack_high };
    let mut p = sp & !7;
    let limit = high.min(sp.saturating_add(1 << 20));
    while p + 8 <= limit {
        // SAFETY: [sp, stack_high) is this thread's mapped stack.
        let word = unsafe { *(p as *const usize) };
        if let Some(f) = instance::function_at(word) {
            return Some(f);
        }
        p += 8;
    }
    None
}

/// Whether `addr` is in the guard area just below the current thread's native stack.
fn is_stack_guard(addr: usize) -> bool {
    let state = current_thread();
    if state.is_null() {
        return false;
    }
    // SAFETY: the state belongs to this thread.
    let low = unsafe { (*state).stack_low };
    low != 0 && addr < low + 4096 && addr + (1 << 20) >= low
}

unsafe extern "C" fn on_fault(sig: i32, info: *mut libc::siginfo_t, context: *mut c_void) {
    // SAFETY: the kernel passes valid siginfo and ucontext pointers to SA_SIGINFO handlers.
    let (code, addr, pc, sp) = unsafe {
        let uc = &*(context as *const libc::ucontext_t);
        (
            (*info).si_code,
            (*info).si_addr() as usize,
            uc.uc_mcontext.gregs[libc::REG_RIP as usize] as usize,
            uc.uc_mcontext.gregs[libc::REG_RSP as usize] as usize,
        )
    };
    if code <= 0 {
        // Sent by kill/tkill/sigqueue: the program's signal, not a fault.
        // SAFETY: forwarded handler arguments.
        unsafe { crate::signals::program_fault_signal(sig, info, pc, sp) };
        return;
    }
    let memory_fault = sig == libc::SIGSEGV || sig == libc::SIGBUS;
    if memory_fault && in_reservation(addr) {
        if let Some(resume) = crate::guest::fault_tolerant::resume_address(pc) {
            // SAFETY: the kernel passed a valid ucontext, which it restores when the handler
            // returns; the routine faulted at a leaf point with nothing on its stack, so
            // continuing at its failure exit returns the error to its caller.
            unsafe {
                let uc = &mut *(context as *mut libc::ucontext_t);
                uc.uc_mcontext.gregs[libc::REG_RIP as usize] = resume as i64;
            }
            return;
        }
    }
    if let Some(f) = instance::function_at(pc) {
        let trap = match trap_site(f, pc) {
            Some(t) => Some(t),
            None if memory_fault && is_stack_guard(addr) => Some(Trap::StackOverflow),
            None if memory_fault => Some(Trap::HeapOutOfBounds),
            None => None,
        };
        if let Some(trap) = trap {
            report_trap(trap, instance::function_name(f));
        }
    } else if memory_fault && in_reservation(addr) {
        let name = innermost_compiled_function(sp).map_or(&b"?"[..], instance::function_name);
        report_trap(Trap::HeapOutOfBounds, name);
    } else if memory_fault && is_stack_guard(addr) {
        let name = innermost_compiled_function(sp).map_or(&b"?"[..], instance::function_name);
        report_trap(Trap::StackOverflow, name);
    }
    // A genuine crash: die of this signal like a native program.
    restore_default_action(sig);
}

/// Sets `sig` back to its default action.
pub(crate) fn restore_default_action(sig: i32) {
    // SAFETY: plain sigaction call with a zeroed (SIG_DFL) action.
    unsafe {
        let mut action: libc::sigaction = core::mem::zeroed();
        action.sa_sigaction = libc::SIG_DFL;
        libc::sigaction(sig, &action, core::ptr::null_mut());
    }
}

/// A fixed-capacity byte buffer for building messages without allocating (signal-safe).
pub(crate) struct MessageBuffer {
    bytes: [u8; 512],
    len: usize,
}

impl MessageBuffer {
    /// An empty buffer.
    pub(crate) const fn new() -> Self {
        MessageBuffer {
            bytes: [0; 512],
            len: 0,
        }
    }

    /// Appends bytes, truncating at capacity.
    pub(crate) fn push(&mut self, s: &[u8]) -> &mut Self {
        let n = s.len().min(self.bytes.len() - self.len);
        self.bytes[self.len..self.len + n].copy_from_slice(&s[..n]);
        self.len += n;
        self
    }

    /// Writes the contents to stderr.
    pub(crate) fn write_stderr(&self) {
        let mut done = 0;
        while done < self.len {
            // SAFETY: writing from our own buffer.
            let n = unsafe {
                libc::write(
                    2,
                    self.bytes[done..].as_ptr() as *const c_void,
                    self.len - done,
                )
            };
            if n <= 0 {
                break;
            }
            done += n as usize;
        }
    }
}

/// Prints `walic: <message>` and a newline on stderr (signal-safe).
pub(crate) fn print_error(message: &[u8]) {
    let mut m = MessageBuffer::new();
    m.push(b"walic: ").push(message).push(b"\n");
    m.write_stderr();
}

/// Reports a trap of the function named `function` and ends the process.
pub(crate) fn report_trap(trap: Trap, function: &[u8]) -> ! {
    #[cfg(feature = "spectest-driver")]
    crate::spectest_driver::recover_from_trap(trap);
    let mut m = MessageBuffer::new();
    m.push(b"walic: wasm trap: ")
        .push(trap.message().as_bytes())
        .push(b" in function ")
        .push(function)
        .push(b"\n");
    m.write_stderr();
    exit_process(TRAP_EXIT_STATUS)
}

/// Reports a trap raised by the runtime on behalf of wasm function `func_index`.
pub(crate) fn trap_in_function_index(trap: Trap, func_index: u32) -> ! {
    let name = instance::function_by_index(func_index).map_or(&b"?"[..], instance::function_name);
    report_trap(trap, name)
}

/// Ends the whole process (all threads) with `status & 0xff`, running nothing else.
pub(crate) fn exit_process(status: i32) -> ! {
    // SAFETY: exit_group never returns.
    unsafe {
        libc::syscall(libc::SYS_exit_group, status & 0xff);
        libc::_exit(status & 0xff)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_buffer_truncates() {
        let mut m = MessageBuffer::new();
        for _ in 0..100 {
            m.push(b"0123456789");
        }
        assert_eq!(m.len, 512);
    }

    #[test]
    fn fault_signal_set() {
        assert!(is_fault_signal(libc::SIGSEGV));
        assert!(!is_fault_signal(libc::SIGALRM));
    }
}
