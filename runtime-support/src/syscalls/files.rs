//! Files and directories: open/close, metadata (stat family, statx, statfs), directories and the
//! working directory, links and renames, permissions and ownership, times, extended attributes,
//! inotify, memfd.
//!
//! All structures here (stat 144 bytes, statx 256, statfs 120, linux_dirent64 records,
//! timespec[2], timeval[2]) have the kernel layout; only their pointers are translated. Paths are
//! checked up to `PATH_MAX` bytes ([`guest::translate_path`]).

use walic_loader::vmctx::VmContext;

use super::args::{addr, int, int_len, uint};
use super::blocking;
use crate::guest;

/// Size of the kernel's `struct stat` on x86-64.
const STAT_BYTES: u64 = 144;
/// Size of `struct statx`.
const STATX_BYTES: u64 = 256;
/// Size of the kernel's `struct statfs` on x86-64.
const STATFS_BYTES: u64 = 120;
/// Size of `struct timespec[2]` (utimensat) and of `struct timeval[2]` (utimes, futimesat).
const TIME_PAIR_BYTES: u64 = 32;
/// The kernel reads at most this many bytes of an extended-attribute name (`XATTR_NAME_MAX + 1`).
const XATTR_NAME_BYTES: u64 = 256;
/// The kernel reads at most this many bytes of a memfd name (`MFD_NAME_MAX_LEN + 1`).
const MEMFD_NAME_BYTES: u64 = 250;

/// After a successful open of the path at wasm address `path`: the runtime hands the libc its
/// environment through a memory file, whose descriptor it closes once the libc has opened it.
fn opened(path: u32, result: i64) {
    if result >= 0 {
        crate::environment::release_if_env_file(path);
    }
}

/// `open(path, flags, mode)`. Can block (FIFOs, terminals, network filesystems).
#[no_mangle]
pub extern "C" fn walic_import_SYS_open(
    vmctx: *mut VmContext,
    path: u64,
    flags: u64,
    mode: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let guest_path = addr(path);
    let path = checked!(guest::translate_path(guest_path));
    // SAFETY: `path` is a checked guest string.
    let result = blocking(vmctx, || unsafe {
        syscall!(libc::SYS_open, path, int(flags), uint(mode))
    });
    opened(guest_path, result);
    result
}

/// `openat(dirfd, path, flags, mode)`. Unlike the reference runtime, `/proc/self/mem` is not
/// refused: it is the runtime's own memory exactly as for a native program.
#[no_mangle]
pub extern "C" fn walic_import_SYS_openat(
    vmctx: *mut VmContext,
    dirfd: u64,
    path: u64,
    flags: u64,
    mode: u64,
    _: u64,
    _: u64,
) -> i64 {
    let guest_path = addr(path);
    let path = checked!(guest::translate_path(guest_path));
    // SAFETY: `path` is a checked guest string.
    let result = blocking(vmctx, || unsafe {
        syscall!(libc::SYS_openat, int(dirfd), path, int(flags), uint(mode))
    });
    opened(guest_path, result);
    result
}

/// `close(fd)`. Can block (a socket lingering on close) and be interrupted.
#[no_mangle]
pub extern "C" fn walic_import_SYS_close(
    vmctx: *mut VmContext,
    fd: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    // SAFETY: scalar arguments only.
    blocking(vmctx, || unsafe { syscall!(libc::SYS_close, int(fd)) })
}

/// `stat` and `lstat`: `(path, statbuf)`; they differ only in whether the kernel follows a final
/// symbolic link.
fn stat_path(nr: i64, path: u64, statbuf: u64) -> i64 {
    let path = checked!(guest::translate_path(addr(path)));
    let statbuf = checked!(guest::translate(addr(statbuf), STAT_BYTES));
    // SAFETY: a checked guest string and a checked 144-byte buffer.
    unsafe { syscall!(nr, path, statbuf) }
}

/// `stat(path, statbuf)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_stat(
    _vmctx: *mut VmContext,
    path: u64,
    statbuf: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    stat_path(libc::SYS_stat, path, statbuf)
}

/// `lstat(path, statbuf)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_lstat(
    _vmctx: *mut VmContext,
    path: u64,
    statbuf: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    stat_path(libc::SYS_lstat, path, statbuf)
}

/// `fstat(fd, statbuf)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_fstat(
    _vmctx: *mut VmContext,
    fd: u64,
    statbuf: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let statbuf = checked!(guest::translate(addr(statbuf), STAT_BYTES));
    // SAFETY: a checked 144-byte buffer.
    unsafe { syscall!(libc::SYS_fstat, int(fd), statbuf) }
}

/// `newfstatat(dirfd, path, statbuf, flags)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_newfstatat(
    _vmctx: *mut VmContext,
    dirfd: u64,
    path: u64,
    statbuf: u64,
    flags: u64,
    _: u64,
    _: u64,
) -> i64 {
    let path = checked!(guest::translate_path(addr(path)));
    let statbuf = checked!(guest::translate(addr(statbuf), STAT_BYTES));
    // SAFETY: a checked guest string and a checked 144-byte buffer.
    unsafe { syscall!(libc::SYS_newfstatat, int(dirfd), path, statbuf, int(flags)) }
}

/// `statx(dirfd, path, flags, mask, statxbuf)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_statx(
    _vmctx: *mut VmContext,
    dirfd: u64,
    path: u64,
    flags: u64,
    mask: u64,
    statxbuf: u64,
    _: u64,
) -> i64 {
    let path = checked!(guest::translate_path(addr(path)));
    let statxbuf = checked!(guest::translate(addr(statxbuf), STATX_BYTES));
    // SAFETY: a checked guest string and a checked 256-byte buffer.
    unsafe {
        syscall!(
            libc::SYS_statx,
            int(dirfd),
            path,
            int(flags),
            uint(mask),
            statxbuf
        )
    }
}

/// `statfs(path, buf)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_statfs(
    _vmctx: *mut VmContext,
    path: u64,
    buf: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let path = checked!(guest::translate_path(addr(path)));
    let buf = checked!(guest::translate(addr(buf), STATFS_BYTES));
    // SAFETY: a checked guest string and a checked 120-byte buffer.
    unsafe { syscall!(libc::SYS_statfs, path, buf) }
}

/// `fstatfs(fd, buf)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_fstatfs(
    _vmctx: *mut VmContext,
    fd: u64,
    buf: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let buf = checked!(guest::translate(addr(buf), STATFS_BYTES));
    // SAFETY: a checked 120-byte buffer.
    unsafe { syscall!(libc::SYS_fstatfs, int(fd), buf) }
}

/// `access(path, mode)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_access(
    _vmctx: *mut VmContext,
    path: u64,
    mode: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let path = checked!(guest::translate_path(addr(path)));
    // SAFETY: a checked guest string.
    unsafe { syscall!(libc::SYS_access, path, int(mode)) }
}

/// `faccessat(dirfd, path, mode, flags)`: the kernel's faccessat has no flags argument and
/// ignores the fourth register, as it does natively.
#[no_mangle]
pub extern "C" fn walic_import_SYS_faccessat(
    _vmctx: *mut VmContext,
    dirfd: u64,
    path: u64,
    mode: u64,
    flags: u64,
    _: u64,
    _: u64,
) -> i64 {
    let path = checked!(guest::translate_path(addr(path)));
    // SAFETY: a checked guest string.
    unsafe { syscall!(libc::SYS_faccessat, int(dirfd), path, int(mode), int(flags)) }
}

/// `faccessat2(dirfd, path, mode, flags)` (syscall 439).
#[no_mangle]
pub extern "C" fn walic_import_SYS_faccessat2(
    _vmctx: *mut VmContext,
    dirfd: u64,
    path: u64,
    mode: u64,
    flags: u64,
    _: u64,
    _: u64,
) -> i64 {
    let path = checked!(guest::translate_path(addr(path)));
    // SAFETY: a checked guest string.
    unsafe {
        syscall!(
            libc::SYS_faccessat2,
            int(dirfd),
            path,
            int(mode),
            int(flags)
        )
    }
}

/// `getcwd(buf, size)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_getcwd(
    _vmctx: *mut VmContext,
    buf: u64,
    size: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let buf = checked!(guest::translate(addr(buf), uint(size)));
    // SAFETY: a checked buffer of `size` bytes.
    unsafe { syscall!(libc::SYS_getcwd, buf, uint(size)) }
}

/// `chdir(path)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_chdir(
    _vmctx: *mut VmContext,
    path: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let path = checked!(guest::translate_path(addr(path)));
    // SAFETY: a checked guest string.
    unsafe { syscall!(libc::SYS_chdir, path) }
}

/// `fchdir(fd)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_fchdir(
    _vmctx: *mut VmContext,
    fd: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    // SAFETY: scalar arguments only.
    unsafe { syscall!(libc::SYS_fchdir, int(fd)) }
}

/// `chroot(path)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_chroot(
    _vmctx: *mut VmContext,
    path: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let path = checked!(guest::translate_path(addr(path)));
    // SAFETY: a checked guest string.
    unsafe { syscall!(libc::SYS_chroot, path) }
}

/// `umask(mask)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_umask(
    _vmctx: *mut VmContext,
    mask: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    // SAFETY: scalar arguments only.
    unsafe { syscall!(libc::SYS_umask, uint(mask)) }
}

/// `getdents64(fd, dirp, count)`: linux_dirent64 records have the kernel layout.
#[no_mangle]
pub extern "C" fn walic_import_SYS_getdents64(
    _vmctx: *mut VmContext,
    fd: u64,
    dirp: u64,
    count: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let dirp = checked!(guest::translate(addr(dirp), uint(count)));
    // SAFETY: a checked buffer of `count` bytes.
    unsafe { syscall!(libc::SYS_getdents64, int(fd), dirp, uint(count)) }
}

/// `mkdir(path, mode)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_mkdir(
    _vmctx: *mut VmContext,
    path: u64,
    mode: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let path = checked!(guest::translate_path(addr(path)));
    // SAFETY: a checked guest string.
    unsafe { syscall!(libc::SYS_mkdir, path, uint(mode)) }
}

/// `mkdirat(dirfd, path, mode)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_mkdirat(
    _vmctx: *mut VmContext,
    dirfd: u64,
    path: u64,
    mode: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let path = checked!(guest::translate_path(addr(path)));
    // SAFETY: a checked guest string.
    unsafe { syscall!(libc::SYS_mkdirat, int(dirfd), path, uint(mode)) }
}

/// `mknod(path, mode, dev)` (beyond the spec: simple, and the kernel decides permissions).
#[no_mangle]
pub extern "C" fn walic_import_SYS_mknod(
    _vmctx: *mut VmContext,
    path: u64,
    mode: u64,
    dev: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let path = checked!(guest::translate_path(addr(path)));
    // SAFETY: a checked guest string.
    unsafe { syscall!(libc::SYS_mknod, path, uint(mode), dev) }
}

/// `mknodat(dirfd, path, mode, dev)` (beyond the spec).
#[no_mangle]
pub extern "C" fn walic_import_SYS_mknodat(
    _vmctx: *mut VmContext,
    dirfd: u64,
    path: u64,
    mode: u64,
    dev: u64,
    _: u64,
    _: u64,
) -> i64 {
    let path = checked!(guest::translate_path(addr(path)));
    // SAFETY: a checked guest string.
    unsafe { syscall!(libc::SYS_mknodat, int(dirfd), path, uint(mode), dev) }
}

/// `rmdir(path)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_rmdir(
    _vmctx: *mut VmContext,
    path: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let path = checked!(guest::translate_path(addr(path)));
    // SAFETY: a checked guest string.
    unsafe { syscall!(libc::SYS_rmdir, path) }
}

/// `unlink(path)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_unlink(
    _vmctx: *mut VmContext,
    path: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let path = checked!(guest::translate_path(addr(path)));
    // SAFETY: a checked guest string.
    unsafe { syscall!(libc::SYS_unlink, path) }
}

/// `unlinkat(dirfd, path, flags)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_unlinkat(
    _vmctx: *mut VmContext,
    dirfd: u64,
    path: u64,
    flags: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let path = checked!(guest::translate_path(addr(path)));
    // SAFETY: a checked guest string.
    unsafe { syscall!(libc::SYS_unlinkat, int(dirfd), path, int(flags)) }
}

/// `rename(oldpath, newpath)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_rename(
    _vmctx: *mut VmContext,
    oldpath: u64,
    newpath: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let oldpath = checked!(guest::translate_path(addr(oldpath)));
    let newpath = checked!(guest::translate_path(addr(newpath)));
    // SAFETY: checked guest strings.
    unsafe { syscall!(libc::SYS_rename, oldpath, newpath) }
}

/// `renameat(olddirfd, oldpath, newdirfd, newpath)` (beyond the spec).
#[no_mangle]
pub extern "C" fn walic_import_SYS_renameat(
    _vmctx: *mut VmContext,
    olddirfd: u64,
    oldpath: u64,
    newdirfd: u64,
    newpath: u64,
    _: u64,
    _: u64,
) -> i64 {
    let oldpath = checked!(guest::translate_path(addr(oldpath)));
    let newpath = checked!(guest::translate_path(addr(newpath)));
    // SAFETY: checked guest strings.
    unsafe {
        syscall!(
            libc::SYS_renameat,
            int(olddirfd),
            oldpath,
            int(newdirfd),
            newpath
        )
    }
}

/// `renameat2(olddirfd, oldpath, newdirfd, newpath, flags)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_renameat2(
    _vmctx: *mut VmContext,
    olddirfd: u64,
    oldpath: u64,
    newdirfd: u64,
    newpath: u64,
    flags: u64,
    _: u64,
) -> i64 {
    let oldpath = checked!(guest::translate_path(addr(oldpath)));
    let newpath = checked!(guest::translate_path(addr(newpath)));
    // SAFETY: checked guest strings.
    unsafe {
        syscall!(
            libc::SYS_renameat2,
            int(olddirfd),
            oldpath,
            int(newdirfd),
            newpath,
            uint(flags)
        )
    }
}

/// `link(oldpath, newpath)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_link(
    _vmctx: *mut VmContext,
    oldpath: u64,
    newpath: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let oldpath = checked!(guest::translate_path(addr(oldpath)));
    let newpath = checked!(guest::translate_path(addr(newpath)));
    // SAFETY: checked guest strings.
    unsafe { syscall!(libc::SYS_link, oldpath, newpath) }
}

/// `linkat(olddirfd, oldpath, newdirfd, newpath, flags)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_linkat(
    _vmctx: *mut VmContext,
    olddirfd: u64,
    oldpath: u64,
    newdirfd: u64,
    newpath: u64,
    flags: u64,
    _: u64,
) -> i64 {
    let oldpath = checked!(guest::translate_path(addr(oldpath)));
    let newpath = checked!(guest::translate_path(addr(newpath)));
    // SAFETY: checked guest strings.
    unsafe {
        syscall!(
            libc::SYS_linkat,
            int(olddirfd),
            oldpath,
            int(newdirfd),
            newpath,
            int(flags)
        )
    }
}

/// `symlink(target, linkpath)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_symlink(
    _vmctx: *mut VmContext,
    target: u64,
    linkpath: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let target = checked!(guest::translate_path(addr(target)));
    let linkpath = checked!(guest::translate_path(addr(linkpath)));
    // SAFETY: checked guest strings.
    unsafe { syscall!(libc::SYS_symlink, target, linkpath) }
}

/// `symlinkat(target, newdirfd, linkpath)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_symlinkat(
    _vmctx: *mut VmContext,
    target: u64,
    newdirfd: u64,
    linkpath: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let target = checked!(guest::translate_path(addr(target)));
    let linkpath = checked!(guest::translate_path(addr(linkpath)));
    // SAFETY: checked guest strings.
    unsafe { syscall!(libc::SYS_symlinkat, target, int(newdirfd), linkpath) }
}

/// `readlink(path, buf, bufsiz)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_readlink(
    _vmctx: *mut VmContext,
    path: u64,
    buf: u64,
    bufsiz: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let path = checked!(guest::translate_path(addr(path)));
    let buf = checked!(guest::translate(addr(buf), int_len(bufsiz)));
    // SAFETY: a checked guest string and a checked buffer of `bufsiz` bytes.
    unsafe { syscall!(libc::SYS_readlink, path, buf, int(bufsiz)) }
}

/// `readlinkat(dirfd, path, buf, bufsiz)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_readlinkat(
    _vmctx: *mut VmContext,
    dirfd: u64,
    path: u64,
    buf: u64,
    bufsiz: u64,
    _: u64,
    _: u64,
) -> i64 {
    let path = checked!(guest::translate_path(addr(path)));
    let buf = checked!(guest::translate(addr(buf), int_len(bufsiz)));
    // SAFETY: a checked guest string and a checked buffer of `bufsiz` bytes.
    unsafe { syscall!(libc::SYS_readlinkat, int(dirfd), path, buf, int(bufsiz)) }
}

/// `chmod(path, mode)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_chmod(
    _vmctx: *mut VmContext,
    path: u64,
    mode: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let path = checked!(guest::translate_path(addr(path)));
    // SAFETY: a checked guest string.
    unsafe { syscall!(libc::SYS_chmod, path, uint(mode)) }
}

/// `fchmod(fd, mode)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_fchmod(
    _vmctx: *mut VmContext,
    fd: u64,
    mode: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    // SAFETY: scalar arguments only.
    unsafe { syscall!(libc::SYS_fchmod, int(fd), uint(mode)) }
}

/// `fchmodat(dirfd, path, mode, flags)`: the kernel's fchmodat takes no flags and ignores the
/// fourth register (the libc emulates `AT_SYMLINK_NOFOLLOW` itself).
#[no_mangle]
pub extern "C" fn walic_import_SYS_fchmodat(
    _vmctx: *mut VmContext,
    dirfd: u64,
    path: u64,
    mode: u64,
    flags: u64,
    _: u64,
    _: u64,
) -> i64 {
    let path = checked!(guest::translate_path(addr(path)));
    // SAFETY: a checked guest string.
    unsafe { syscall!(libc::SYS_fchmodat, int(dirfd), path, uint(mode), int(flags)) }
}

/// `chown` and `lchown`: `(path, owner, group)`; they differ only in whether the kernel follows
/// a final symbolic link.
fn chown_path(nr: i64, path: u64, owner: u64, group: u64) -> i64 {
    let path = checked!(guest::translate_path(addr(path)));
    // SAFETY: a checked guest string.
    unsafe { syscall!(nr, path, int(owner), int(group)) }
}

/// `chown(path, owner, group)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_chown(
    _vmctx: *mut VmContext,
    path: u64,
    owner: u64,
    group: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    chown_path(libc::SYS_chown, path, owner, group)
}

/// `lchown(path, owner, group)` (beyond the spec).
#[no_mangle]
pub extern "C" fn walic_import_SYS_lchown(
    _vmctx: *mut VmContext,
    path: u64,
    owner: u64,
    group: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    chown_path(libc::SYS_lchown, path, owner, group)
}

/// `fchown(fd, owner, group)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_fchown(
    _vmctx: *mut VmContext,
    fd: u64,
    owner: u64,
    group: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    // SAFETY: scalar arguments only.
    unsafe { syscall!(libc::SYS_fchown, int(fd), int(owner), int(group)) }
}

/// `fchownat(dirfd, path, owner, group, flags)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_fchownat(
    _vmctx: *mut VmContext,
    dirfd: u64,
    path: u64,
    owner: u64,
    group: u64,
    flags: u64,
    _: u64,
) -> i64 {
    let path = checked!(guest::translate_path(addr(path)));
    // SAFETY: a checked guest string.
    unsafe {
        syscall!(
            libc::SYS_fchownat,
            int(dirfd),
            path,
            int(owner),
            int(group),
            int(flags)
        )
    }
}

/// `utimensat(dirfd, path, times, flags)`; a NULL path is `futimens`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_utimensat(
    _vmctx: *mut VmContext,
    dirfd: u64,
    path: u64,
    times: u64,
    flags: u64,
    _: u64,
    _: u64,
) -> i64 {
    let path = checked!(guest::translate_path(addr(path)));
    let times = checked!(guest::translate(addr(times), TIME_PAIR_BYTES));
    // SAFETY: a checked guest string and a checked timespec[2].
    unsafe { syscall!(libc::SYS_utimensat, int(dirfd), path, times, int(flags)) }
}

/// `utimes(path, times)` (beyond the spec: the libc's fallback when `utimensat` is missing).
#[no_mangle]
pub extern "C" fn walic_import_SYS_utimes(
    _vmctx: *mut VmContext,
    path: u64,
    times: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let path = checked!(guest::translate_path(addr(path)));
    let times = checked!(guest::translate(addr(times), TIME_PAIR_BYTES));
    // SAFETY: a checked guest string and a checked timeval[2].
    unsafe { syscall!(libc::SYS_utimes, path, times) }
}

/// `futimesat(dirfd, path, times)` (beyond the spec: another `utimensat` fallback).
#[no_mangle]
pub extern "C" fn walic_import_SYS_futimesat(
    _vmctx: *mut VmContext,
    dirfd: u64,
    path: u64,
    times: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let path = checked!(guest::translate_path(addr(path)));
    let times = checked!(guest::translate(addr(times), TIME_PAIR_BYTES));
    // SAFETY: a checked guest string and a checked timeval[2].
    unsafe { syscall!(libc::SYS_futimesat, int(dirfd), path, times) }
}

/// `truncate(path, length)` (beyond the spec: real programs call it).
#[no_mangle]
pub extern "C" fn walic_import_SYS_truncate(
    _vmctx: *mut VmContext,
    path: u64,
    length: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let path = checked!(guest::translate_path(addr(path)));
    // SAFETY: a checked guest string.
    unsafe { syscall!(libc::SYS_truncate, path, length) }
}

/// `ftruncate(fd, length)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_ftruncate(
    _vmctx: *mut VmContext,
    fd: u64,
    length: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    // SAFETY: scalar arguments only.
    unsafe { syscall!(libc::SYS_ftruncate, int(fd), length) }
}

/// `flock(fd, operation)`. Blocks unless `LOCK_NB`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_flock(
    vmctx: *mut VmContext,
    fd: u64,
    operation: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    // SAFETY: scalar arguments only.
    blocking(vmctx, || unsafe {
        syscall!(libc::SYS_flock, int(fd), int(operation))
    })
}

/// Translates an extended-attribute name.
fn xattr_name(name: u64) -> Result<*const libc::c_char, i64> {
    guest::translate_cstr_within(addr(name), XATTR_NAME_BYTES)
}

// The path-based extended-attribute calls and their `l` variants differ only in whether the
// kernel follows a final symbolic link, so each pair shares one function below.

/// `setxattr` and `lsetxattr`: `(path, name, value, size, flags)`.
fn set_path_xattr(nr: i64, path: u64, name: u64, value: u64, size: u64, flags: u64) -> i64 {
    let path = checked!(guest::translate_path(addr(path)));
    let name = checked!(xattr_name(name));
    let value = checked!(guest::translate(addr(value), uint(size)));
    // SAFETY: checked guest strings and a checked buffer of `size` bytes.
    unsafe { syscall!(nr, path, name, value, uint(size), int(flags)) }
}

/// `getxattr` and `lgetxattr`: `(path, name, value, size)`.
fn get_path_xattr(nr: i64, path: u64, name: u64, value: u64, size: u64) -> i64 {
    let path = checked!(guest::translate_path(addr(path)));
    let name = checked!(xattr_name(name));
    let value = checked!(guest::translate(addr(value), uint(size)));
    // SAFETY: checked guest strings and a checked buffer of `size` bytes.
    unsafe { syscall!(nr, path, name, value, uint(size)) }
}

/// `listxattr` and `llistxattr`: `(path, list, size)`.
fn list_path_xattr(nr: i64, path: u64, list: u64, size: u64) -> i64 {
    let path = checked!(guest::translate_path(addr(path)));
    let list = checked!(guest::translate(addr(list), uint(size)));
    // SAFETY: a checked guest string and a checked buffer of `size` bytes.
    unsafe { syscall!(nr, path, list, uint(size)) }
}

/// `removexattr` and `lremovexattr`: `(path, name)`.
fn remove_path_xattr(nr: i64, path: u64, name: u64) -> i64 {
    let path = checked!(guest::translate_path(addr(path)));
    let name = checked!(xattr_name(name));
    // SAFETY: checked guest strings.
    unsafe { syscall!(nr, path, name) }
}

/// `setxattr(path, name, value, size, flags)` (beyond the spec, as are the other xattr calls).
#[no_mangle]
pub extern "C" fn walic_import_SYS_setxattr(
    _vmctx: *mut VmContext,
    path: u64,
    name: u64,
    value: u64,
    size: u64,
    flags: u64,
    _: u64,
) -> i64 {
    set_path_xattr(libc::SYS_setxattr, path, name, value, size, flags)
}

/// `lsetxattr(path, name, value, size, flags)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_lsetxattr(
    _vmctx: *mut VmContext,
    path: u64,
    name: u64,
    value: u64,
    size: u64,
    flags: u64,
    _: u64,
) -> i64 {
    set_path_xattr(libc::SYS_lsetxattr, path, name, value, size, flags)
}

/// `fsetxattr(fd, name, value, size, flags)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_fsetxattr(
    _vmctx: *mut VmContext,
    fd: u64,
    name: u64,
    value: u64,
    size: u64,
    flags: u64,
    _: u64,
) -> i64 {
    let name = checked!(xattr_name(name));
    let value = checked!(guest::translate(addr(value), uint(size)));
    // SAFETY: a checked guest string and a checked buffer of `size` bytes.
    unsafe {
        syscall!(
            libc::SYS_fsetxattr,
            int(fd),
            name,
            value,
            uint(size),
            int(flags)
        )
    }
}

/// `getxattr(path, name, value, size)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_getxattr(
    _vmctx: *mut VmContext,
    path: u64,
    name: u64,
    value: u64,
    size: u64,
    _: u64,
    _: u64,
) -> i64 {
    get_path_xattr(libc::SYS_getxattr, path, name, value, size)
}

/// `lgetxattr(path, name, value, size)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_lgetxattr(
    _vmctx: *mut VmContext,
    path: u64,
    name: u64,
    value: u64,
    size: u64,
    _: u64,
    _: u64,
) -> i64 {
    get_path_xattr(libc::SYS_lgetxattr, path, name, value, size)
}

/// `fgetxattr(fd, name, value, size)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_fgetxattr(
    _vmctx: *mut VmContext,
    fd: u64,
    name: u64,
    value: u64,
    size: u64,
    _: u64,
    _: u64,
) -> i64 {
    let name = checked!(xattr_name(name));
    let value = checked!(guest::translate(addr(value), uint(size)));
    // SAFETY: a checked guest string and a checked buffer of `size` bytes.
    unsafe { syscall!(libc::SYS_fgetxattr, int(fd), name, value, uint(size)) }
}

/// `listxattr(path, list, size)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_listxattr(
    _vmctx: *mut VmContext,
    path: u64,
    list: u64,
    size: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    list_path_xattr(libc::SYS_listxattr, path, list, size)
}

/// `llistxattr(path, list, size)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_llistxattr(
    _vmctx: *mut VmContext,
    path: u64,
    list: u64,
    size: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    list_path_xattr(libc::SYS_llistxattr, path, list, size)
}

/// `flistxattr(fd, list, size)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_flistxattr(
    _vmctx: *mut VmContext,
    fd: u64,
    list: u64,
    size: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let list = checked!(guest::translate(addr(list), uint(size)));
    // SAFETY: a checked buffer of `size` bytes.
    unsafe { syscall!(libc::SYS_flistxattr, int(fd), list, uint(size)) }
}

/// `removexattr(path, name)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_removexattr(
    _vmctx: *mut VmContext,
    path: u64,
    name: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    remove_path_xattr(libc::SYS_removexattr, path, name)
}

/// `lremovexattr(path, name)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_lremovexattr(
    _vmctx: *mut VmContext,
    path: u64,
    name: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    remove_path_xattr(libc::SYS_lremovexattr, path, name)
}

/// `fremovexattr(fd, name)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_fremovexattr(
    _vmctx: *mut VmContext,
    fd: u64,
    name: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let name = checked!(xattr_name(name));
    // SAFETY: a checked guest string.
    unsafe { syscall!(libc::SYS_fremovexattr, int(fd), name) }
}

/// `inotify_init()` (beyond the spec; inotify events have the kernel layout).
#[no_mangle]
pub extern "C" fn walic_import_SYS_inotify_init(
    _vmctx: *mut VmContext,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    // SAFETY: no arguments.
    unsafe { syscall!(libc::SYS_inotify_init) }
}

/// `inotify_init1(flags)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_inotify_init1(
    _vmctx: *mut VmContext,
    flags: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    // SAFETY: scalar arguments only.
    unsafe { syscall!(libc::SYS_inotify_init1, int(flags)) }
}

/// `inotify_add_watch(fd, path, mask)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_inotify_add_watch(
    _vmctx: *mut VmContext,
    fd: u64,
    path: u64,
    mask: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let path = checked!(guest::translate_path(addr(path)));
    // SAFETY: a checked guest string.
    unsafe { syscall!(libc::SYS_inotify_add_watch, int(fd), path, uint(mask)) }
}

/// `inotify_rm_watch(fd, wd)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_inotify_rm_watch(
    _vmctx: *mut VmContext,
    fd: u64,
    wd: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    // SAFETY: scalar arguments only.
    unsafe { syscall!(libc::SYS_inotify_rm_watch, int(fd), int(wd)) }
}

/// `memfd_create(name, flags)` (beyond the spec).
#[no_mangle]
pub extern "C" fn walic_import_SYS_memfd_create(
    _vmctx: *mut VmContext,
    name: u64,
    flags: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let name = checked!(guest::translate_cstr_within(addr(name), MEMFD_NAME_BYTES));
    // SAFETY: a checked guest string.
    unsafe { syscall!(libc::SYS_memfd_create, name, uint(flags)) }
}

registry![
    walic_import_SYS_open,
    walic_import_SYS_openat,
    walic_import_SYS_close,
    walic_import_SYS_stat,
    walic_import_SYS_lstat,
    walic_import_SYS_fstat,
    walic_import_SYS_newfstatat,
    walic_import_SYS_statx,
    walic_import_SYS_statfs,
    walic_import_SYS_fstatfs,
    walic_import_SYS_access,
    walic_import_SYS_faccessat,
    walic_import_SYS_faccessat2,
    walic_import_SYS_getcwd,
    walic_import_SYS_chdir,
    walic_import_SYS_fchdir,
    walic_import_SYS_chroot,
    walic_import_SYS_umask,
    walic_import_SYS_getdents64,
    walic_import_SYS_mkdir,
    walic_import_SYS_mkdirat,
    walic_import_SYS_mknod,
    walic_import_SYS_mknodat,
    walic_import_SYS_rmdir,
    walic_import_SYS_unlink,
    walic_import_SYS_unlinkat,
    walic_import_SYS_rename,
    walic_import_SYS_renameat,
    walic_import_SYS_renameat2,
    walic_import_SYS_link,
    walic_import_SYS_linkat,
    walic_import_SYS_symlink,
    walic_import_SYS_symlinkat,
    walic_import_SYS_readlink,
    walic_import_SYS_readlinkat,
    walic_import_SYS_chmod,
    walic_import_SYS_fchmod,
    walic_import_SYS_fchmodat,
    walic_import_SYS_chown,
    walic_import_SYS_lchown,
    walic_import_SYS_fchown,
    walic_import_SYS_fchownat,
    walic_import_SYS_utimensat,
    walic_import_SYS_utimes,
    walic_import_SYS_futimesat,
    walic_import_SYS_truncate,
    walic_import_SYS_ftruncate,
    walic_import_SYS_flock,
    walic_import_SYS_setxattr,
    walic_import_SYS_lsetxattr,
    walic_import_SYS_fsetxattr,
    walic_import_SYS_getxattr,
    walic_import_SYS_lgetxattr,
    walic_import_SYS_fgetxattr,
    walic_import_SYS_listxattr,
    walic_import_SYS_llistxattr,
    walic_import_SYS_flistxattr,
    walic_import_SYS_removexattr,
    walic_import_SYS_lremovexattr,
    walic_import_SYS_fremovexattr,
    walic_import_SYS_inotify_init,
    walic_import_SYS_inotify_init1,
    walic_import_SYS_inotify_add_watch,
    walic_import_SYS_inotify_rm_watch,
    walic_import_SYS_memfd_create,
];
