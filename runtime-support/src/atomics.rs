//! `memory.atomic.wait32/wait64` and `memory.atomic.notify` on host futexes.
//!
//! They use private futexes on the very addresses of linear memory, so they interoperate with the
//! libc's `SYS_futex` calls (musl uses `FUTEX_PRIVATE` operations). `wait64` sleeps on the low
//! 32-bit half of its 8-byte word (the address `notify` wakes) and re-checks the whole value after
//! every wake-up: a change of only the high half is seen at the next wake-up or timeout, exactly the
//! guarantee a futex on the low half can give. A wait is a blocking call: signals that arrive while
//! waiting run their handlers (`crate::signals::blocking`) and the wait continues with the remaining
//! time.

use core::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use walic_loader::vmctx::VmContext;

use crate::guest;

const OK: u32 = 0;
const NOT_EQUAL: u32 = 1;
const TIMED_OUT: u32 = 2;
const UNSHARED: u32 = 3;

fn now_ns() -> i128 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: valid out pointer.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as i128 * 1_000_000_000 + ts.tv_nsec as i128
}

/// Sleeps on `word` while it holds `expected`, until woken or `deadline` (monotonic ns, None for
/// no timeout). Returns false on timeout.
fn futex_wait_until(
    vmctx: *mut VmContext,
    word: &AtomicU32,
    expected: u32,
    deadline: Option<i128>,
) -> WaitResult {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    let timeout = match deadline {
        Some(d) => {
            let left = d - now_ns();
            if left <= 0 {
                return WaitResult::TimedOut;
            }
            ts.tv_sec = (left / 1_000_000_000) as libc::time_t;
            ts.tv_nsec = (left % 1_000_000_000) as libc::c_long;
            &ts as *const libc::timespec
        }
        None => core::ptr::null(),
    };
    let r = crate::signals::blocking(vmctx, || {
        // SAFETY: `word` is inside linear memory; FUTEX_WAIT only reads it.
        unsafe {
            libc::syscall(
                libc::SYS_futex,
                word.as_ptr(),
                libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG,
                expected,
                timeout,
            )
        }
    });
    if r == 0 {
        return WaitResult::Woken;
    }
    match std::io::Error::last_os_error().raw_os_error() {
        Some(libc::ETIMEDOUT) => WaitResult::TimedOut,
        Some(libc::EAGAIN) => WaitResult::Changed,
        _ => WaitResult::Interrupted,
    }
}

enum WaitResult {
    Woken,
    TimedOut,
    Changed,
    Interrupted,
}

fn deadline(timeout_ns: i64) -> Option<i128> {
    (timeout_ns >= 0).then(|| now_ns() + timeout_ns as i128)
}

/// `memory.atomic.wait32`: 0 ok, 1 not-equal, 2 timed-out, 3 unshared memory.
#[no_mangle]
pub extern "C" fn walic_rt_atomic_wait32(
    vmctx: *mut VmContext,
    address: u32,
    expected: u32,
    timeout_ns: i64,
) -> u32 {
    if !crate::memory::is_shared() {
        return UNSHARED;
    }
    // Alignment and bounds were checked by generated code.
    // SAFETY: a 4-byte aligned word inside linear memory.
    let word = unsafe { &*(guest::base().add(address as usize) as *const AtomicU32) };
    let deadline = deadline(timeout_ns);
    loop {
        if word.load(Ordering::SeqCst) != expected {
            return NOT_EQUAL;
        }
        let r = futex_wait_until(vmctx, word, expected, deadline);
        crate::signals::after_syscall(vmctx);
        match r {
            WaitResult::Woken => return OK,
            WaitResult::TimedOut => return TIMED_OUT,
            WaitResult::Changed | WaitResult::Interrupted => continue,
        }
    }
}

/// `memory.atomic.wait64`: as [`walic_rt_atomic_wait32`].
#[no_mangle]
pub extern "C" fn walic_rt_atomic_wait64(
    vmctx: *mut VmContext,
    address: u32,
    expected: u64,
    timeout_ns: i64,
) -> u32 {
    if !crate::memory::is_shared() {
        return UNSHARED;
    }
    // SAFETY: an 8-byte aligned word inside linear memory; its low half is the first 4 bytes
    // (little endian).
    let (word, low) = unsafe {
        let p = guest::base().add(address as usize);
        (&*(p as *const AtomicU64), &*(p as *const AtomicU32))
    };
    let deadline = deadline(timeout_ns);
    loop {
        let current = word.load(Ordering::SeqCst);
        if current != expected {
            return NOT_EQUAL;
        }
        let r = futex_wait_until(vmctx, low, current as u32, deadline);
        crate::signals::after_syscall(vmctx);
        match r {
            WaitResult::Woken => return OK,
            WaitResult::TimedOut => return TIMED_OUT,
            WaitResult::Changed | WaitResult::Interrupted => continue,
        }
    }
}

/// `memory.atomic.notify`: the number of waiters woken.
#[no_mangle]
pub extern "C" fn walic_rt_atomic_notify(_vmctx: *mut VmContext, address: u32, count: u32) -> u32 {
    if count == 0 || !crate::memory::is_shared() {
        return 0;
    }
    // SAFETY: FUTEX_WAKE uses the address only as a key; it lies inside linear memory.
    let r = unsafe {
        libc::syscall(
            libc::SYS_futex,
            guest::base().add(address as usize),
            libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG,
            count.min(i32::MAX as u32) as i32,
        )
    };
    r.max(0) as u32
}
