//! Waiting for descriptors: poll, ppoll, select, pselect6, the epoll family, and the descriptors
//! made to be waited on (eventfd, signalfd).
//!
//! pollfd (8 bytes), fd_set (bitmaps of 64-bit words), timespec/timeval and the packed 12-byte
//! epoll_event have the kernel layout; only `pselect6`'s mask-and-size pair is converted
//! ([`SigmaskPair`]). Every wait runs in [`blocking`] so signal handlers run while it waits.

use walic_loader::vmctx::VmContext;

use super::args::{addr, int, int_len, uint};
use super::blocking;
use super::layout::sigmask::{translate_sigset, SigmaskPair};
use crate::guest;

/// Size of `struct pollfd`.
const POLLFD_BYTES: u64 = 8;
/// Size of the packed `struct epoll_event`.
const EPOLL_EVENT_BYTES: u64 = 12;
/// Size of `struct timeval` and `struct timespec`.
const TIME_BYTES: u64 = 16;

/// Bytes of each fd_set the kernel reads and writes for `nfds` descriptors: whole 64-bit words
/// (a negative count is the kernel's `EINVAL`, checked as 0 bytes).
fn fd_set_bytes(nfds: u64) -> u64 {
    int_len(nfds).div_ceil(64) * 8
}

/// The read, write and exception fd_sets of `select` and `pselect6`, in that order, each checked
/// for the bytes the kernel reads and writes for `nfds` descriptors (NULL stays NULL).
fn fd_sets(nfds: u64, sets: [u64; 3]) -> Result<[*mut u8; 3], i64> {
    let set_bytes = fd_set_bytes(nfds);
    let [readfds, writefds, exceptfds] = sets;
    Ok([
        guest::translate(addr(readfds), set_bytes)?,
        guest::translate(addr(writefds), set_bytes)?,
        guest::translate(addr(exceptfds), set_bytes)?,
    ])
}

/// `poll(fds, nfds, timeout)`; `nfds` is an `unsigned long long`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_poll(
    vmctx: *mut VmContext,
    fds: u64,
    nfds: u64,
    timeout: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let fds = checked!(guest::translate_array(addr(fds), nfds, POLLFD_BYTES));
    // SAFETY: a checked array of `nfds` pollfds.
    blocking(vmctx, || unsafe {
        syscall!(libc::SYS_poll, fds, nfds, int(timeout))
    })
}

/// `ppoll(fds, nfds, tmo_p, sigmask, sigsetsize)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_ppoll(
    vmctx: *mut VmContext,
    fds: u64,
    nfds: u64,
    tmo_p: u64,
    sigmask: u64,
    sigsetsize: u64,
    _: u64,
) -> i64 {
    let fds = checked!(guest::translate_array(addr(fds), nfds, POLLFD_BYTES));
    let tmo_p = checked!(guest::translate(addr(tmo_p), TIME_BYTES));
    let sigmask = checked!(translate_sigset(addr(sigmask), uint(sigsetsize)));
    // SAFETY: checked pollfds, timespec and signal mask.
    blocking(vmctx, || unsafe {
        syscall!(libc::SYS_ppoll, fds, nfds, tmo_p, sigmask, uint(sigsetsize))
    })
}

/// `select(nfds, readfds, writefds, exceptfds, timeout)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_select(
    vmctx: *mut VmContext,
    nfds: u64,
    readfds: u64,
    writefds: u64,
    exceptfds: u64,
    timeout: u64,
    _: u64,
) -> i64 {
    let [readfds, writefds, exceptfds] = checked!(fd_sets(nfds, [readfds, writefds, exceptfds]));
    let timeout = checked!(guest::translate(addr(timeout), TIME_BYTES));
    // SAFETY: checked fd_sets of the size the kernel uses for `nfds`, and a checked timeval.
    blocking(vmctx, || unsafe {
        syscall!(
            libc::SYS_select,
            int(nfds),
            readfds,
            writefds,
            exceptfds,
            timeout
        )
    })
}

/// `pselect6(nfds, readfds, writefds, exceptfds, timeout, sigmask_pair)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_pselect6(
    vmctx: *mut VmContext,
    nfds: u64,
    readfds: u64,
    writefds: u64,
    exceptfds: u64,
    timeout: u64,
    sigmask: u64,
) -> i64 {
    let [readfds, writefds, exceptfds] = checked!(fd_sets(nfds, [readfds, writefds, exceptfds]));
    let timeout = checked!(guest::translate(addr(timeout), TIME_BYTES));
    let sigmask = checked!(SigmaskPair::from_guest(addr(sigmask)));
    let sigmask_ptr = SigmaskPair::as_ptr(&sigmask);
    // SAFETY: checked fd_sets and timespec; the pair is runtime-owned and names a checked mask.
    blocking(vmctx, || unsafe {
        syscall!(
            libc::SYS_pselect6,
            int(nfds),
            readfds,
            writefds,
            exceptfds,
            timeout,
            sigmask_ptr
        )
    })
}

/// `epoll_create(size)` (beyond the spec: the libc's fallback for `epoll_create1`).
#[no_mangle]
pub extern "C" fn walic_import_SYS_epoll_create(
    _vmctx: *mut VmContext,
    size: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    // SAFETY: scalar arguments only.
    unsafe { syscall!(libc::SYS_epoll_create, int(size)) }
}

/// `epoll_create1(flags)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_epoll_create1(
    _vmctx: *mut VmContext,
    flags: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    // SAFETY: scalar arguments only.
    unsafe { syscall!(libc::SYS_epoll_create1, int(flags)) }
}

/// `epoll_ctl(epfd, op, fd, event)`: the packed event has the kernel layout.
#[no_mangle]
pub extern "C" fn walic_import_SYS_epoll_ctl(
    _vmctx: *mut VmContext,
    epfd: u64,
    op: u64,
    fd: u64,
    event: u64,
    _: u64,
    _: u64,
) -> i64 {
    let event = checked!(guest::translate(addr(event), EPOLL_EVENT_BYTES));
    // SAFETY: a checked epoll_event.
    unsafe { syscall!(libc::SYS_epoll_ctl, int(epfd), int(op), int(fd), event) }
}

/// `epoll_wait(epfd, events, maxevents, timeout)` (beyond the spec: the libc's fallback).
#[no_mangle]
pub extern "C" fn walic_import_SYS_epoll_wait(
    vmctx: *mut VmContext,
    epfd: u64,
    events: u64,
    maxevents: u64,
    timeout: u64,
    _: u64,
    _: u64,
) -> i64 {
    let events = checked!(guest::translate_array(
        addr(events),
        int_len(maxevents),
        EPOLL_EVENT_BYTES
    ));
    // SAFETY: a checked array of `maxevents` events.
    blocking(vmctx, || unsafe {
        syscall!(
            libc::SYS_epoll_wait,
            int(epfd),
            events,
            int(maxevents),
            int(timeout)
        )
    })
}

/// `epoll_pwait(epfd, events, maxevents, timeout, sigmask, sigsetsize)`: all `maxevents` events
/// are returned (the reference runtime returns at most one).
#[no_mangle]
pub extern "C" fn walic_import_SYS_epoll_pwait(
    vmctx: *mut VmContext,
    epfd: u64,
    events: u64,
    maxevents: u64,
    timeout: u64,
    sigmask: u64,
    sigsetsize: u64,
) -> i64 {
    let events = checked!(guest::translate_array(
        addr(events),
        int_len(maxevents),
        EPOLL_EVENT_BYTES
    ));
    let sigmask = checked!(translate_sigset(addr(sigmask), uint(sigsetsize)));
    // SAFETY: a checked array of `maxevents` events and a checked signal mask.
    blocking(vmctx, || unsafe {
        syscall!(
            libc::SYS_epoll_pwait,
            int(epfd),
            events,
            int(maxevents),
            int(timeout),
            sigmask,
            uint(sigsetsize)
        )
    })
}

/// `eventfd(initval)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_eventfd(
    _vmctx: *mut VmContext,
    initval: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    // SAFETY: scalar arguments only.
    unsafe { syscall!(libc::SYS_eventfd, uint(initval)) }
}

/// `eventfd2(initval, flags)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_eventfd2(
    _vmctx: *mut VmContext,
    initval: u64,
    flags: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    // SAFETY: scalar arguments only.
    unsafe { syscall!(libc::SYS_eventfd2, uint(initval), int(flags)) }
}

/// `signalfd(fd, mask, sizemask)` (beyond the spec: real servers use it). The signalfd_siginfo
/// records read from it have fixed-width fields only.
#[no_mangle]
pub extern "C" fn walic_import_SYS_signalfd(
    _vmctx: *mut VmContext,
    fd: u64,
    mask: u64,
    sizemask: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let mask = checked!(translate_sigset(addr(mask), uint(sizemask)));
    // SAFETY: a checked signal mask.
    unsafe { syscall!(libc::SYS_signalfd, int(fd), mask, uint(sizemask)) }
}

/// `signalfd4(fd, mask, sizemask, flags)` (beyond the spec).
#[no_mangle]
pub extern "C" fn walic_import_SYS_signalfd4(
    _vmctx: *mut VmContext,
    fd: u64,
    mask: u64,
    sizemask: u64,
    flags: u64,
    _: u64,
    _: u64,
) -> i64 {
    let mask = checked!(translate_sigset(addr(mask), uint(sizemask)));
    // SAFETY: a checked signal mask.
    unsafe {
        syscall!(
            libc::SYS_signalfd4,
            int(fd),
            mask,
            uint(sizemask),
            int(flags)
        )
    }
}

registry![
    walic_import_SYS_poll,
    walic_import_SYS_ppoll,
    walic_import_SYS_select,
    walic_import_SYS_pselect6,
    walic_import_SYS_epoll_create,
    walic_import_SYS_epoll_create1,
    walic_import_SYS_epoll_ctl,
    walic_import_SYS_epoll_wait,
    walic_import_SYS_epoll_pwait,
    walic_import_SYS_eventfd,
    walic_import_SYS_eventfd2,
    walic_import_SYS_signalfd,
    walic_import_SYS_signalfd4,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fd_sets_cover_whole_words() {
        assert_eq!(fd_set_bytes(0), 0);
        assert_eq!(fd_set_bytes(1), 8);
        assert_eq!(fd_set_bytes(64), 8);
        assert_eq!(fd_set_bytes(65), 16);
        assert_eq!(fd_set_bytes(1024), 128);
        assert_eq!(fd_set_bytes(0xFFFF_FFFF), 0);
    }
}
