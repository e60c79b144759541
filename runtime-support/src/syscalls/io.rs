//! Reading and writing: plain, positional and vectored I/O, the in-kernel copies (sendfile,
//! copy_file_range, splice, tee), seeking, syncing and space hints, and descriptor plumbing
//! (dup family, pipes), and `getrandom`.
//!
//! Only iovec arrays need conversion ([`IovecArray`]); every other buffer is translated and its
//! whole length checked. Reads and writes may block on pipes, sockets and terminals, so they run
//! in [`blocking`]; that also delivers a `SIGPIPE` a write raised before the import returns.

use walic_loader::vmctx::VmContext;

use super::args::{addr, int, uint};
use super::blocking;
use super::layout::iovec::IovecArray;
use crate::guest;

/// Size of `loff_t`/`off_t`, the in/out offsets of sendfile, copy_file_range and splice.
const OFFSET_BYTES: u64 = 8;

// Each reading call and its writing counterpart below differ only in the direction the kernel
// moves the bytes; the checks are the same, so each pair shares one function.

/// `read` and `write`: `(fd, buf, count)`.
fn transfer(vmctx: *mut VmContext, nr: i64, fd: u64, buf: u64, count: u64) -> i64 {
    let buf = checked!(guest::translate(addr(buf), uint(count)));
    // SAFETY: a checked buffer of `count` bytes.
    blocking(vmctx, || unsafe { syscall!(nr, int(fd), buf, uint(count)) })
}

/// `pread64` and `pwrite64`: `(fd, buf, count, offset)`.
fn positional_transfer(
    vmctx: *mut VmContext,
    nr: i64,
    fd: u64,
    buf: u64,
    count: u64,
    offset: u64,
) -> i64 {
    let buf = checked!(guest::translate(addr(buf), uint(count)));
    // SAFETY: a checked buffer of `count` bytes.
    blocking(vmctx, || unsafe {
        syscall!(nr, int(fd), buf, uint(count), offset)
    })
}

/// `readv` and `writev`: `(fd, iov, iovcnt)`; the wasm iovec array is converted.
fn vectored_transfer(vmctx: *mut VmContext, nr: i64, fd: u64, iov: u64, iovcnt: u64) -> i64 {
    let mut iovecs = IovecArray::new();
    checked!(iovecs.convert(addr(iov), int(iovcnt) as u64));
    // SAFETY: the converted array names checked guest buffers only.
    blocking(vmctx, || unsafe {
        syscall!(nr, int(fd), iovecs.as_ptr(), iovecs.count())
    })
}

/// `preadv` and `pwritev`: `(fd, iov, iovcnt, pos_l, pos_h)`; the wasm iovec array is converted.
fn positional_vectored_transfer(
    vmctx: *mut VmContext,
    nr: i64,
    fd: u64,
    iov: u64,
    iovcnt: u64,
    pos_l: u64,
    pos_h: u64,
) -> i64 {
    let mut iovecs = IovecArray::new();
    checked!(iovecs.convert(addr(iov), int(iovcnt) as u64));
    // SAFETY: the converted array names checked guest buffers only.
    blocking(vmctx, || unsafe {
        syscall!(nr, int(fd), iovecs.as_ptr(), iovecs.count(), pos_l, pos_h)
    })
}

/// `read(fd, buf, count)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_read(
    vmctx: *mut VmContext,
    fd: u64,
    buf: u64,
    count: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    transfer(vmctx, libc::SYS_read, fd, buf, count)
}

/// `write(fd, buf, count)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_write(
    vmctx: *mut VmContext,
    fd: u64,
    buf: u64,
    count: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    transfer(vmctx, libc::SYS_write, fd, buf, count)
}

/// `pread64(fd, buf, count, offset)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_pread64(
    vmctx: *mut VmContext,
    fd: u64,
    buf: u64,
    count: u64,
    offset: u64,
    _: u64,
    _: u64,
) -> i64 {
    positional_transfer(vmctx, libc::SYS_pread64, fd, buf, count, offset)
}

/// `pwrite64(fd, buf, count, offset)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_pwrite64(
    vmctx: *mut VmContext,
    fd: u64,
    buf: u64,
    count: u64,
    offset: u64,
    _: u64,
    _: u64,
) -> i64 {
    positional_transfer(vmctx, libc::SYS_pwrite64, fd, buf, count, offset)
}

/// `readv(fd, iov, iovcnt)`: the wasm iovec array is converted.
#[no_mangle]
pub extern "C" fn walic_import_SYS_readv(
    vmctx: *mut VmContext,
    fd: u64,
    iov: u64,
    iovcnt: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    vectored_transfer(vmctx, libc::SYS_readv, fd, iov, iovcnt)
}

/// `writev(fd, iov, iovcnt)`: the wasm iovec array is converted.
#[no_mangle]
pub extern "C" fn walic_import_SYS_writev(
    vmctx: *mut VmContext,
    fd: u64,
    iov: u64,
    iovcnt: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    vectored_transfer(vmctx, libc::SYS_writev, fd, iov, iovcnt)
}

/// `preadv(fd, iov, iovcnt, pos_l, pos_h)` (beyond the spec: real programs call it). On x86-64
/// `pos_l` is the whole offset and the kernel ignores `pos_h`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_preadv(
    vmctx: *mut VmContext,
    fd: u64,
    iov: u64,
    iovcnt: u64,
    pos_l: u64,
    pos_h: u64,
    _: u64,
) -> i64 {
    positional_vectored_transfer(vmctx, libc::SYS_preadv, fd, iov, iovcnt, pos_l, pos_h)
}

/// `pwritev(fd, iov, iovcnt, pos_l, pos_h)` (beyond the spec).
#[no_mangle]
pub extern "C" fn walic_import_SYS_pwritev(
    vmctx: *mut VmContext,
    fd: u64,
    iov: u64,
    iovcnt: u64,
    pos_l: u64,
    pos_h: u64,
    _: u64,
) -> i64 {
    positional_vectored_transfer(vmctx, libc::SYS_pwritev, fd, iov, iovcnt, pos_l, pos_h)
}

/// `lseek(fd, offset, whence)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_lseek(
    _vmctx: *mut VmContext,
    fd: u64,
    offset: u64,
    whence: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    // SAFETY: scalar arguments only.
    unsafe { syscall!(libc::SYS_lseek, int(fd), offset, int(whence)) }
}

/// `sendfile(out_fd, in_fd, offset, count)` (beyond the spec).
#[no_mangle]
pub extern "C" fn walic_import_SYS_sendfile(
    vmctx: *mut VmContext,
    out_fd: u64,
    in_fd: u64,
    offset: u64,
    count: u64,
    _: u64,
    _: u64,
) -> i64 {
    let offset = checked!(guest::translate(addr(offset), OFFSET_BYTES));
    // SAFETY: a checked 8-byte offset.
    blocking(vmctx, || unsafe {
        syscall!(
            libc::SYS_sendfile,
            int(out_fd),
            int(in_fd),
            offset,
            uint(count)
        )
    })
}

/// `copy_file_range` and `splice`: `(fd_in, off_in, fd_out, off_out, len, flags)`, an in-kernel
/// copy between two descriptors, each with an optional in/out offset (taken here as one pair per
/// side); the two differ only in which descriptors the kernel accepts.
fn offset_pair_copy(
    vmctx: *mut VmContext,
    nr: i64,
    (fd_in, off_in): (u64, u64),
    (fd_out, off_out): (u64, u64),
    len: u64,
    flags: u64,
) -> i64 {
    let off_in = checked!(guest::translate(addr(off_in), OFFSET_BYTES));
    let off_out = checked!(guest::translate(addr(off_out), OFFSET_BYTES));
    // SAFETY: checked 8-byte offsets.
    blocking(vmctx, || unsafe {
        syscall!(
            nr,
            int(fd_in),
            off_in,
            int(fd_out),
            off_out,
            uint(len),
            uint(flags)
        )
    })
}

/// `copy_file_range(fd_in, off_in, fd_out, off_out, len, flags)` (beyond the spec).
#[no_mangle]
pub extern "C" fn walic_import_SYS_copy_file_range(
    vmctx: *mut VmContext,
    fd_in: u64,
    off_in: u64,
    fd_out: u64,
    off_out: u64,
    len: u64,
    flags: u64,
) -> i64 {
    offset_pair_copy(
        vmctx,
        libc::SYS_copy_file_range,
        (fd_in, off_in),
        (fd_out, off_out),
        len,
        flags,
    )
}

/// `splice(fd_in, off_in, fd_out, off_out, len, flags)` (beyond the spec).
#[no_mangle]
pub extern "C" fn walic_import_SYS_splice(
    vmctx: *mut VmContext,
    fd_in: u64,
    off_in: u64,
    fd_out: u64,
    off_out: u64,
    len: u64,
    flags: u64,
) -> i64 {
    offset_pair_copy(
        vmctx,
        libc::SYS_splice,
        (fd_in, off_in),
        (fd_out, off_out),
        len,
        flags,
    )
}

/// `tee(fd_in, fd_out, len, flags)` (beyond the spec).
#[no_mangle]
pub extern "C" fn walic_import_SYS_tee(
    vmctx: *mut VmContext,
    fd_in: u64,
    fd_out: u64,
    len: u64,
    flags: u64,
    _: u64,
    _: u64,
) -> i64 {
    // SAFETY: scalar arguments only.
    blocking(vmctx, || unsafe {
        syscall!(
            libc::SYS_tee,
            int(fd_in),
            int(fd_out),
            uint(len),
            uint(flags)
        )
    })
}

/// `fsync(fd)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_fsync(
    _vmctx: *mut VmContext,
    fd: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    // SAFETY: scalar arguments only.
    unsafe { syscall!(libc::SYS_fsync, int(fd)) }
}

/// `fdatasync(fd)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_fdatasync(
    _vmctx: *mut VmContext,
    fd: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    // SAFETY: scalar arguments only.
    unsafe { syscall!(libc::SYS_fdatasync, int(fd)) }
}

/// `sync()` (beyond the spec).
#[no_mangle]
pub extern "C" fn walic_import_SYS_sync(
    _vmctx: *mut VmContext,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    // SAFETY: no arguments.
    unsafe { syscall!(libc::SYS_sync) }
}

/// `syncfs(fd)` (beyond the spec).
#[no_mangle]
pub extern "C" fn walic_import_SYS_syncfs(
    _vmctx: *mut VmContext,
    fd: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    // SAFETY: scalar arguments only.
    unsafe { syscall!(libc::SYS_syncfs, int(fd)) }
}

/// `sync_file_range(fd, offset, nbytes, flags)` (beyond the spec).
#[no_mangle]
pub extern "C" fn walic_import_SYS_sync_file_range(
    _vmctx: *mut VmContext,
    fd: u64,
    offset: u64,
    nbytes: u64,
    flags: u64,
    _: u64,
    _: u64,
) -> i64 {
    // SAFETY: scalar arguments only.
    unsafe {
        syscall!(
            libc::SYS_sync_file_range,
            int(fd),
            offset,
            nbytes,
            uint(flags)
        )
    }
}

/// `fadvise(fd, offset, len, advice)`: the kernel's `fadvise64` (221).
#[no_mangle]
pub extern "C" fn walic_import_SYS_fadvise(
    _vmctx: *mut VmContext,
    fd: u64,
    offset: u64,
    len: u64,
    advice: u64,
    _: u64,
    _: u64,
) -> i64 {
    // SAFETY: scalar arguments only.
    unsafe { syscall!(libc::SYS_fadvise64, int(fd), offset, len, int(advice)) }
}

/// `readahead(fd, offset, count)` (beyond the spec).
#[no_mangle]
pub extern "C" fn walic_import_SYS_readahead(
    _vmctx: *mut VmContext,
    fd: u64,
    offset: u64,
    count: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    // SAFETY: scalar arguments only.
    unsafe { syscall!(libc::SYS_readahead, int(fd), offset, uint(count)) }
}

/// `fallocate(fd, mode, offset, len)` (beyond the spec: `posix_fallocate` uses it).
#[no_mangle]
pub extern "C" fn walic_import_SYS_fallocate(
    _vmctx: *mut VmContext,
    fd: u64,
    mode: u64,
    offset: u64,
    len: u64,
    _: u64,
    _: u64,
) -> i64 {
    // SAFETY: scalar arguments only.
    unsafe { syscall!(libc::SYS_fallocate, int(fd), int(mode), offset, len) }
}

/// `dup(oldfd)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_dup(
    _vmctx: *mut VmContext,
    oldfd: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    // SAFETY: scalar arguments only.
    unsafe { syscall!(libc::SYS_dup, int(oldfd)) }
}

/// `dup2(oldfd, newfd)`. Closing the previous `newfd` can block like `close`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_dup2(
    vmctx: *mut VmContext,
    oldfd: u64,
    newfd: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    // SAFETY: scalar arguments only.
    blocking(vmctx, || unsafe {
        syscall!(libc::SYS_dup2, int(oldfd), int(newfd))
    })
}

/// `dup3(oldfd, newfd, flags)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_dup3(
    vmctx: *mut VmContext,
    oldfd: u64,
    newfd: u64,
    flags: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    // SAFETY: scalar arguments only.
    blocking(vmctx, || unsafe {
        syscall!(libc::SYS_dup3, int(oldfd), int(newfd), int(flags))
    })
}

/// `pipe(pipefd)`: two ints.
#[no_mangle]
pub extern "C" fn walic_import_SYS_pipe(
    _vmctx: *mut VmContext,
    pipefd: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let pipefd = checked!(guest::translate(addr(pipefd), 8));
    // SAFETY: a checked int[2].
    unsafe { syscall!(libc::SYS_pipe, pipefd) }
}

/// `pipe2(pipefd, flags)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_pipe2(
    _vmctx: *mut VmContext,
    pipefd: u64,
    flags: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let pipefd = checked!(guest::translate(addr(pipefd), 8));
    // SAFETY: a checked int[2].
    unsafe { syscall!(libc::SYS_pipe2, pipefd, int(flags)) }
}

/// `getrandom(buf, buflen, flags)`. May block until the entropy pool is ready.
#[no_mangle]
pub extern "C" fn walic_import_SYS_getrandom(
    vmctx: *mut VmContext,
    buf: u64,
    buflen: u64,
    flags: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let buf = checked!(guest::translate(addr(buf), uint(buflen)));
    // SAFETY: a checked buffer of `buflen` bytes.
    blocking(vmctx, || unsafe {
        syscall!(libc::SYS_getrandom, buf, uint(buflen), uint(flags))
    })
}

registry![
    walic_import_SYS_getrandom,
    walic_import_SYS_read,
    walic_import_SYS_write,
    walic_import_SYS_pread64,
    walic_import_SYS_pwrite64,
    walic_import_SYS_readv,
    walic_import_SYS_writev,
    walic_import_SYS_preadv,
    walic_import_SYS_pwritev,
    walic_import_SYS_lseek,
    walic_import_SYS_sendfile,
    walic_import_SYS_copy_file_range,
    walic_import_SYS_splice,
    walic_import_SYS_tee,
    walic_import_SYS_fsync,
    walic_import_SYS_fdatasync,
    walic_import_SYS_sync,
    walic_import_SYS_syncfs,
    walic_import_SYS_sync_file_range,
    walic_import_SYS_fadvise,
    walic_import_SYS_readahead,
    walic_import_SYS_fallocate,
    walic_import_SYS_dup,
    walic_import_SYS_dup2,
    walic_import_SYS_dup3,
    walic_import_SYS_pipe,
    walic_import_SYS_pipe2,
];
