//! Process-level auxiliary imports (ABI.md §2): `__init`, `__deinit`, `__proc_exit`, the `__cl_*`
//! argument imports, and `SYS_fork`.
//!
//! Exit statuses: `__proc_exit(s)` and `SYS_exit_group(s)` end the whole process at once with
//! `s & 0xff` (no runtime clean-up is needed and the libc has flushed what it flushes);
//! `_start` returning ends the process with status 0; a trap exits with 134; death by signal is the
//! kernel's default action, so it looks exactly native.

use core::sync::atomic::{AtomicPtr, AtomicU32, AtomicUsize, Ordering};

use walic_loader::vmctx::VmContext;

use crate::guest;
use crate::instance::{current_thread, thread_of};
use crate::traps;

/// argc as `main` received it.
static ARGC: AtomicUsize = AtomicUsize::new(0);
/// argv as `main` received it.
static ARGV: AtomicPtr<*const libc::c_char> = AtomicPtr::new(core::ptr::null_mut());
/// Calls of `__init` so far.
static INIT_CALLS: AtomicU32 = AtomicU32::new(0);
/// Calls of `__deinit` so far.
static DEINIT_CALLS: AtomicU32 = AtomicU32::new(0);

/// Records the native program's arguments (start-up).
pub(crate) fn set_args(argc: usize, argv: *const *const libc::c_char) {
    ARGC.store(argc, Ordering::Release);
    ARGV.store(argv as *mut _, Ordering::Release);
}

/// argv[index] as a C string, if in range.
fn arg(index: u32) -> Option<&'static core::ffi::CStr> {
    let argc = ARGC.load(Ordering::Acquire);
    let argv = ARGV.load(Ordering::Acquire);
    if argv.is_null() || index as usize >= argc {
        return None;
    }
    // SAFETY: argv has argc valid C strings for the life of the process.
    unsafe {
        let p = *argv.add(index as usize);
        (!p.is_null()).then(|| core::ffi::CStr::from_ptr(p))
    }
}

/// `__init()`: 0 on the first call, 1 afterwards.
#[no_mangle]
pub extern "C" fn walic_import___init(
    _vmctx: *mut VmContext,
    _a0: u64,
    _a1: u64,
    _a2: u64,
    _a3: u64,
    _a4: u64,
    _a5: u64,
) -> i64 {
    (INIT_CALLS.fetch_add(1, Ordering::AcqRel) != 0) as i64
}

/// `__deinit()`: 0 on the first call, 1 afterwards; closes the environment file if still open.
///
/// The first call also flushes stdio when the module has musl's `__stdio_exit`: the reference
/// libc's `_start` returns from `main` through `__deinit` and `__proc_exit` without flushing
/// (ABI.md §3.3), so a native build's buffered output would otherwise be lost. (The compiler
/// leaves `stdio_exit` null for modules of our libc, which flush before `__deinit`.)
#[no_mangle]
pub extern "C" fn walic_import___deinit(
    vmctx: *mut VmContext,
    _a0: u64,
    _a1: u64,
    _a2: u64,
    _a3: u64,
    _a4: u64,
    _a5: u64,
) -> i64 {
    let first = DEINIT_CALLS.fetch_add(1, Ordering::AcqRel) == 0;
    if first {
        let stdio_exit = crate::instance::module().stdio_exit;
        if !stdio_exit.is_null() {
            // SAFETY: the compiler set `stdio_exit` to a compiled `() -> ()` function; `vmctx`
            // is the calling thread's live context.
            unsafe { crate::context::call_wasm(stdio_exit, vmctx, [0; 3]) };
        }
    }
    crate::environment::release();
    (!first) as i64
}

/// `__proc_exit(status)`: ends the process with `status & 0xff`.
#[no_mangle]
pub extern "C" fn walic_import___proc_exit(
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

/// `__cl_get_argc()`: number of arguments including argv[0].
#[no_mangle]
pub extern "C" fn walic_import___cl_get_argc(
    _vmctx: *mut VmContext,
    _a0: u64,
    _a1: u64,
    _a2: u64,
    _a3: u64,
    _a4: u64,
    _a5: u64,
) -> i64 {
    ARGC.load(Ordering::Acquire) as i64
}

/// `__cl_get_argv_len(i)`: `strlen(argv[i])`, 0 for an index out of range.
#[no_mangle]
pub extern "C" fn walic_import___cl_get_argv_len(
    _vmctx: *mut VmContext,
    a0: u64,
    _a1: u64,
    _a2: u64,
    _a3: u64,
    _a4: u64,
    _a5: u64,
) -> i64 {
    arg(a0 as u32).map_or(0, |s| s.to_bytes().len() as i64)
}

/// `__cl_copy_argv(buf, i)`: copies argv[i] with its NUL; 0, or -EINVAL for an index out of range,
/// -EFAULT for a buffer outside memory or on an inaccessible page.
#[no_mangle]
pub extern "C" fn walic_import___cl_copy_argv(
    _vmctx: *mut VmContext,
    a0: u64,
    a1: u64,
    _a2: u64,
    _a3: u64,
    _a4: u64,
    _a5: u64,
) -> i64 {
    let Some(s) = arg(a1 as u32) else {
        return -(libc::EINVAL as i64);
    };
    match guest::write_bytes(a0 as u32, s.to_bytes_with_nul()) {
        Ok(()) => 0,
        Err(e) => e,
    }
}

/// `fork()`: the raw fork of the whole process. The runtime's locks are taken before forking and
/// released in both processes, so the child's bookkeeping is consistent; the child has only the
/// calling thread, with no signals recorded as pending.
#[no_mangle]
pub extern "C" fn walic_import_SYS_fork(
    vmctx: *mut VmContext,
    _a0: u64,
    _a1: u64,
    _a2: u64,
    _a3: u64,
    _a4: u64,
    _a5: u64,
) -> i64 {
    crate::signals::lock_for_fork();
    crate::memory::lock_for_fork();
    crate::tables::lock_for_fork();
    // SAFETY: glibc's fork also resets its own locks (malloc) in the child.
    let pid = unsafe { libc::fork() };
    let result = if pid < 0 {
        -(std::io::Error::last_os_error()
            .raw_os_error()
            .unwrap_or(libc::EAGAIN) as i64)
    } else {
        pid as i64
    };
    crate::tables::unlock_after_fork();
    crate::memory::unlock_after_fork();
    crate::signals::unlock_after_fork();
    if pid == 0 {
        // SAFETY: imports receive the calling thread's context.
        let state = unsafe { thread_of(vmctx) };
        let state = if state.is_null() {
            current_thread()
        } else {
            state
        };
        if !state.is_null() {
            // SAFETY: the state belongs to the (only) thread of the child.
            let state = unsafe { &*state };
            crate::signals::clear_pending(state);
            crate::signals::leave_blocking(state);
            // The only thread of the child receives what arrives on threads without a context.
            crate::instance::set_main_vmctx(state.vmctx);
        }
    } else {
        crate::signals::after_syscall(vmctx);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_bounds_checked() {
        let a = std::ffi::CString::new("prog").unwrap();
        let b = std::ffi::CString::new("second arg").unwrap();
        let argv = [a.as_ptr(), b.as_ptr(), core::ptr::null()];
        set_args(2, argv.as_ptr());
        let null = core::ptr::null_mut();
        assert_eq!(walic_import___cl_get_argc(null, 0, 0, 0, 0, 0, 0), 2);
        assert_eq!(walic_import___cl_get_argv_len(null, 1, 0, 0, 0, 0, 0), 10);
        assert_eq!(walic_import___cl_get_argv_len(null, 2, 0, 0, 0, 0, 0), 0);
        assert_eq!(
            walic_import___cl_get_argv_len(null, u32::MAX as u64, 0, 0, 0, 0, 0),
            0
        );
        // Bad indices and buffers fail cleanly.
        assert_eq!(
            walic_import___cl_copy_argv(null, 0, 0, 0, 0, 0, 0),
            guest::EFAULT
        );
        assert_eq!(
            walic_import___cl_copy_argv(null, 16, 5, 0, 0, 0, 0),
            -(libc::EINVAL as i64)
        );
    }
}
