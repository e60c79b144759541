//! Clocks, sleeping and timers.
//!
//! `clock_gettime` and `gettimeofday` go through the vDSO as in a native program: `clock_gettime`
//! calls the vDSO's function directly ([`vdso`]), `gettimeofday` glibc's wrapper, whose `errno` is
//! turned back into `-errno`. The vDSO is user code: writing straight into an inaccessible guest
//! page it would fault where the raw syscall the program made returns `EFAULT`, so it writes
//! runtime-owned structures, which are then copied out fault-tolerantly (one 16-byte copy more
//! than natively). Everything else is a raw syscall. timespec, timeval, itimerval, itimerspec,
//! timezone and tms have the kernel layout.

use walic_loader::vmctx::VmContext;

use super::args::{addr, int, uint};
use super::blocking;
use super::kernel::errno_result;
use super::vdso;
use crate::guest;
use crate::guest::fault_tolerant;

/// Size of `struct timespec` and `struct timeval`.
const TIME_BYTES: u64 = 16;
/// Size of `struct timezone`.
const TIMEZONE_BYTES: u64 = 8;
/// Size of `struct itimerval` and `struct itimerspec`.
const INTERVAL_BYTES: u64 = 32;
/// Size of `struct tms` (four `clock_t`).
const TMS_BYTES: u64 = 32;

/// `clock_gettime(clockid, tp)`, through the vDSO.
#[no_mangle]
pub extern "C" fn walic_import_SYS_clock_gettime(
    _vmctx: *mut VmContext,
    clockid: u64,
    tp: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let tp = checked!(guest::translate(addr(tp), TIME_BYTES));
    if tp.is_null() {
        // The vDSO would store through NULL; the kernel answers EFAULT instead, as it does
        // natively for a raw syscall.
        // SAFETY: a NULL pointer, which the kernel rejects.
        return unsafe { syscall!(libc::SYS_clock_gettime, int(clockid), tp) };
    }
    let Some(vdso_clock_gettime) = vdso::clock_gettime() else {
        // SAFETY: `tp` is a checked 16-byte guest range.
        return unsafe { syscall!(libc::SYS_clock_gettime, int(clockid), tp) };
    };
    let mut time = [0i64; 2];
    // SAFETY: a runtime-owned timespec (two i64 on x86-64).
    let result =
        unsafe { vdso_clock_gettime(int(clockid) as libc::clockid_t, time.as_mut_ptr().cast()) };
    if result != 0 {
        return result.into();
    }
    // SAFETY: `tp` is a checked 16-byte guest range, `time` a local of 16 bytes.
    match unsafe { fault_tolerant::copy(tp, time.as_ptr().cast(), TIME_BYTES as usize) } {
        Ok(()) => 0,
        Err(_) => guest::EFAULT,
    }
}

/// `gettimeofday(tv, tz)`, through the vDSO.
#[no_mangle]
pub extern "C" fn walic_import_SYS_gettimeofday(
    _vmctx: *mut VmContext,
    tv: u64,
    tz: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let (tv, tz) = (addr(tv), addr(tz));
    checked!(guest::translate(tv, TIME_BYTES));
    checked!(guest::translate(tz, TIMEZONE_BYTES));
    let mut time = libc::timeval {
        tv_sec: 0,
        tv_usec: 0,
    };
    // `struct timezone`: tz_minuteswest, tz_dsttime.
    let mut zone = [0i32; 2];
    // SAFETY: runtime-owned timeval and timezone.
    if unsafe { libc::gettimeofday(&mut time, zone.as_mut_ptr().cast()) } != 0 {
        return errno_result();
    }
    // Only the structures the program asked for are written, in the kernel's order.
    if tv != 0 {
        checked!(guest::write(tv, [time.tv_sec, time.tv_usec]));
    }
    if tz != 0 {
        checked!(guest::write(tz, zone));
    }
    0
}

/// `clock_getres(clockid, res)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_clock_getres(
    _vmctx: *mut VmContext,
    clockid: u64,
    res: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let res = checked!(guest::translate(addr(res), TIME_BYTES));
    // SAFETY: a checked timespec.
    unsafe { syscall!(libc::SYS_clock_getres, int(clockid), res) }
}

/// `clock_settime(clockid, tp)` (beyond the spec; the kernel decides the privilege).
#[no_mangle]
pub extern "C" fn walic_import_SYS_clock_settime(
    _vmctx: *mut VmContext,
    clockid: u64,
    tp: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let tp = checked!(guest::translate(addr(tp), TIME_BYTES));
    // SAFETY: a checked timespec.
    unsafe { syscall!(libc::SYS_clock_settime, int(clockid), tp) }
}

/// `nanosleep(req, rem)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_nanosleep(
    vmctx: *mut VmContext,
    req: u64,
    rem: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let req = checked!(guest::translate(addr(req), TIME_BYTES));
    let rem = checked!(guest::translate(addr(rem), TIME_BYTES));
    // SAFETY: checked timespecs.
    blocking(vmctx, || unsafe { syscall!(libc::SYS_nanosleep, req, rem) })
}

/// `clock_nanosleep(clockid, flags, request, remain)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_clock_nanosleep(
    vmctx: *mut VmContext,
    clockid: u64,
    flags: u64,
    request: u64,
    remain: u64,
    _: u64,
    _: u64,
) -> i64 {
    let request = checked!(guest::translate(addr(request), TIME_BYTES));
    let remain = checked!(guest::translate(addr(remain), TIME_BYTES));
    // SAFETY: checked timespecs.
    blocking(vmctx, || unsafe {
        syscall!(
            libc::SYS_clock_nanosleep,
            int(clockid),
            int(flags),
            request,
            remain
        )
    })
}

/// `setitimer(which, new_value, old_value)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_setitimer(
    _vmctx: *mut VmContext,
    which: u64,
    new_value: u64,
    old_value: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let new_value = checked!(guest::translate(addr(new_value), INTERVAL_BYTES));
    let old_value = checked!(guest::translate(addr(old_value), INTERVAL_BYTES));
    // SAFETY: checked itimervals.
    unsafe { syscall!(libc::SYS_setitimer, int(which), new_value, old_value) }
}

/// `getitimer(which, curr_value)` (beyond the spec).
#[no_mangle]
pub extern "C" fn walic_import_SYS_getitimer(
    _vmctx: *mut VmContext,
    which: u64,
    curr_value: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let curr_value = checked!(guest::translate(addr(curr_value), INTERVAL_BYTES));
    // SAFETY: a checked itimerval.
    unsafe { syscall!(libc::SYS_getitimer, int(which), curr_value) }
}

/// `alarm(seconds)`: not in the spec, but the WALI libc's generic `syscall()` imports it.
#[no_mangle]
pub extern "C" fn walic_import_SYS_alarm(
    _vmctx: *mut VmContext,
    seconds: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    // SAFETY: scalar arguments only.
    unsafe { syscall!(libc::SYS_alarm, uint(seconds)) }
}

/// `times(buf)` (beyond the spec).
#[no_mangle]
pub extern "C" fn walic_import_SYS_times(
    _vmctx: *mut VmContext,
    buf: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let buf = checked!(guest::translate(addr(buf), TMS_BYTES));
    // SAFETY: a checked struct tms.
    unsafe { syscall!(libc::SYS_times, buf) }
}

/// `timerfd_create(clockid, flags)` (beyond the spec: real servers use timerfds).
#[no_mangle]
pub extern "C" fn walic_import_SYS_timerfd_create(
    _vmctx: *mut VmContext,
    clockid: u64,
    flags: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    // SAFETY: scalar arguments only.
    unsafe { syscall!(libc::SYS_timerfd_create, int(clockid), int(flags)) }
}

/// `timerfd_settime(fd, flags, new_value, old_value)` (beyond the spec).
#[no_mangle]
pub extern "C" fn walic_import_SYS_timerfd_settime(
    _vmctx: *mut VmContext,
    fd: u64,
    flags: u64,
    new_value: u64,
    old_value: u64,
    _: u64,
    _: u64,
) -> i64 {
    let new_value = checked!(guest::translate(addr(new_value), INTERVAL_BYTES));
    let old_value = checked!(guest::translate(addr(old_value), INTERVAL_BYTES));
    // SAFETY: checked itimerspecs.
    unsafe {
        syscall!(
            libc::SYS_timerfd_settime,
            int(fd),
            int(flags),
            new_value,
            old_value
        )
    }
}

/// `timerfd_gettime(fd, curr_value)` (beyond the spec).
#[no_mangle]
pub extern "C" fn walic_import_SYS_timerfd_gettime(
    _vmctx: *mut VmContext,
    fd: u64,
    curr_value: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let curr_value = checked!(guest::translate(addr(curr_value), INTERVAL_BYTES));
    // SAFETY: a checked itimerspec.
    unsafe { syscall!(libc::SYS_timerfd_gettime, int(fd), curr_value) }
}

registry![
    walic_import_SYS_clock_gettime,
    walic_import_SYS_gettimeofday,
    walic_import_SYS_clock_getres,
    walic_import_SYS_clock_settime,
    walic_import_SYS_nanosleep,
    walic_import_SYS_clock_nanosleep,
    walic_import_SYS_setitimer,
    walic_import_SYS_getitimer,
    walic_import_SYS_alarm,
    walic_import_SYS_times,
    walic_import_SYS_timerfd_create,
    walic_import_SYS_timerfd_settime,
    walic_import_SYS_timerfd_gettime,
];
