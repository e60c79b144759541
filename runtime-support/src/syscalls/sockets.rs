//! Sockets.
//!
//! sockaddr structures and socket option values have the kernel layout; `msghdr` and its iovecs
//! are converted ([`HostMsghdr`]), in/out `socklen_t` lengths are copied through a runtime-owned
//! [`LengthCell`] so the kernel never writes more than was checked, and the one option holding a
//! pointer (`struct sock_fprog`) is converted ([`HostSockFprog`]).

use walic_loader::vmctx::VmContext;

use super::args::{addr, int, int_len, uint};
use super::blocking;
use super::layout::msghdr::HostMsghdr;
use super::layout::sock_fprog::{self, HostSockFprog};
use super::layout::socklen::{self, LengthCell, SOCKADDR_MAX};
use crate::guest;

/// `SO_ATTACH_REUSEPORT_CBPF`, which takes a `struct sock_fprog` like `SO_ATTACH_FILTER`.
const SO_ATTACH_REUSEPORT_CBPF: i64 = 51;
/// Socket option values can be as long as an `int` length allows.
const OPTION_MAX: u32 = i32::MAX as u32;

/// `socket(domain, type, protocol)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_socket(
    _vmctx: *mut VmContext,
    domain: u64,
    kind: u64,
    protocol: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    // SAFETY: scalar arguments only.
    unsafe { syscall!(libc::SYS_socket, int(domain), int(kind), int(protocol)) }
}

/// `socketpair(domain, type, protocol, sv)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_socketpair(
    _vmctx: *mut VmContext,
    domain: u64,
    kind: u64,
    protocol: u64,
    sv: u64,
    _: u64,
    _: u64,
) -> i64 {
    let sv = checked!(guest::translate(addr(sv), 8));
    // SAFETY: a checked int[2].
    unsafe {
        syscall!(
            libc::SYS_socketpair,
            int(domain),
            int(kind),
            int(protocol),
            sv
        )
    }
}

/// `bind(fd, addr, addrlen)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_bind(
    _vmctx: *mut VmContext,
    fd: u64,
    address: u64,
    addrlen: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let address = checked!(guest::translate(addr(address), int_len(addrlen)));
    // SAFETY: a checked address of `addrlen` bytes.
    unsafe { syscall!(libc::SYS_bind, int(fd), address, uint(addrlen)) }
}

/// `connect(fd, addr, addrlen)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_connect(
    vmctx: *mut VmContext,
    fd: u64,
    address: u64,
    addrlen: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let address = checked!(guest::translate(addr(address), int_len(addrlen)));
    // SAFETY: a checked address of `addrlen` bytes.
    blocking(vmctx, || unsafe {
        syscall!(libc::SYS_connect, int(fd), address, uint(addrlen))
    })
}

/// `listen(fd, backlog)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_listen(
    _vmctx: *mut VmContext,
    fd: u64,
    backlog: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    // SAFETY: scalar arguments only.
    unsafe { syscall!(libc::SYS_listen, int(fd), int(backlog)) }
}

/// `accept4(fd, addr, addrlen, flags)`, shared by `accept`.
fn accept4(vmctx: *mut VmContext, fd: u64, address: u64, addrlen: u64, flags: i64) -> i64 {
    let mut length = checked!(LengthCell::read(addr(addrlen)));
    let address = checked!(socklen::output_buffer(addr(address), &length, SOCKADDR_MAX));
    let length_ptr = socklen::host_ptr(&mut length);
    // SAFETY: a checked address buffer as long as the length cell says, and the runtime-owned cell.
    let result = blocking(vmctx, || unsafe {
        syscall!(libc::SYS_accept4, int(fd), address, length_ptr, flags)
    });
    let reported = socklen::write_back_after_call(&length, result);
    if result >= 0 && reported < 0 {
        // The length became inaccessible during the call: like the kernel, which installs the
        // new descriptor only after copying the address out, report EFAULT without it.
        // SAFETY: the descriptor the kernel just created for this call.
        unsafe { syscall!(libc::SYS_close, result) };
    }
    reported
}

/// `accept(fd, addr, addrlen)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_accept(
    vmctx: *mut VmContext,
    fd: u64,
    address: u64,
    addrlen: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    accept4(vmctx, fd, address, addrlen, 0)
}

/// `accept4(fd, addr, addrlen, flags)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_accept4(
    vmctx: *mut VmContext,
    fd: u64,
    address: u64,
    addrlen: u64,
    flags: u64,
    _: u64,
    _: u64,
) -> i64 {
    accept4(vmctx, fd, address, addrlen, int(flags))
}

/// `getsockname` and `getpeername`: `(fd, addr, addrlen)` with an in/out length.
fn socket_address(nr: i64, fd: u64, address: u64, addrlen: u64) -> i64 {
    let mut length = checked!(LengthCell::read(addr(addrlen)));
    let address = checked!(socklen::output_buffer(addr(address), &length, SOCKADDR_MAX));
    let length_ptr = socklen::host_ptr(&mut length);
    // SAFETY: a checked address buffer as long as the length cell says, and the runtime-owned cell.
    let result = unsafe { syscall!(nr, int(fd), address, length_ptr) };
    socklen::write_back_after_call(&length, result)
}

/// `getsockname(fd, addr, addrlen)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_getsockname(
    _vmctx: *mut VmContext,
    fd: u64,
    address: u64,
    addrlen: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    socket_address(libc::SYS_getsockname, fd, address, addrlen)
}

/// `getpeername(fd, addr, addrlen)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_getpeername(
    _vmctx: *mut VmContext,
    fd: u64,
    address: u64,
    addrlen: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    socket_address(libc::SYS_getpeername, fd, address, addrlen)
}

/// `sendto(fd, buf, len, flags, dest_addr, addrlen)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_sendto(
    vmctx: *mut VmContext,
    fd: u64,
    buf: u64,
    len: u64,
    flags: u64,
    dest_addr: u64,
    addrlen: u64,
) -> i64 {
    let buf = checked!(guest::translate(addr(buf), uint(len)));
    let dest_addr = checked!(guest::translate(addr(dest_addr), int_len(addrlen)));
    // SAFETY: a checked buffer of `len` bytes and a checked address of `addrlen` bytes.
    blocking(vmctx, || unsafe {
        syscall!(
            libc::SYS_sendto,
            int(fd),
            buf,
            uint(len),
            int(flags),
            dest_addr,
            uint(addrlen)
        )
    })
}

/// `recvfrom(fd, buf, len, flags, src_addr, addrlen)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_recvfrom(
    vmctx: *mut VmContext,
    fd: u64,
    buf: u64,
    len: u64,
    flags: u64,
    src_addr: u64,
    addrlen: u64,
) -> i64 {
    let buf = checked!(guest::translate(addr(buf), uint(len)));
    let mut length = checked!(LengthCell::read(addr(addrlen)));
    let src_addr = checked!(socklen::output_buffer(
        addr(src_addr),
        &length,
        SOCKADDR_MAX
    ));
    let length_ptr = socklen::host_ptr(&mut length);
    // SAFETY: a checked buffer of `len` bytes, a checked address buffer as long as the length
    // cell says, and the runtime-owned cell.
    let result = blocking(vmctx, || unsafe {
        syscall!(
            libc::SYS_recvfrom,
            int(fd),
            buf,
            uint(len),
            int(flags),
            src_addr,
            length_ptr
        )
    });
    socklen::write_back_after_call(&length, result)
}

/// `sendmsg(fd, msg, flags)`: the msghdr and its iovecs are converted, and control-message
/// lengths are sent with their high half zeroed.
#[no_mangle]
pub extern "C" fn walic_import_SYS_sendmsg(
    vmctx: *mut VmContext,
    fd: u64,
    msg: u64,
    flags: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let mut message = HostMsghdr::new();
    checked!(message.convert_for_send(addr(msg)));
    let header = message.as_mut_ptr();
    // SAFETY: the runtime-owned header names checked guest buffers or runtime-owned copies.
    blocking(vmctx, || unsafe {
        syscall!(libc::SYS_sendmsg, int(fd), header, int(flags))
    })
}

/// `recvmsg(fd, msg, flags)`: the msghdr and its iovecs are converted, and the lengths and flags
/// the kernel updates are copied back.
#[no_mangle]
pub extern "C" fn walic_import_SYS_recvmsg(
    vmctx: *mut VmContext,
    fd: u64,
    msg: u64,
    flags: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let mut message = HostMsghdr::new();
    checked!(message.convert_for_receive(addr(msg)));
    let header = message.as_mut_ptr();
    // SAFETY: the runtime-owned header names checked guest buffers only.
    let result = blocking(vmctx, || unsafe {
        syscall!(libc::SYS_recvmsg, int(fd), header, int(flags))
    });
    match result {
        0.. => message.write_back().map_or_else(|errno| errno, |()| result),
        _ => result,
    }
}

/// `shutdown(fd, how)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_shutdown(
    _vmctx: *mut VmContext,
    fd: u64,
    how: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    // SAFETY: scalar arguments only.
    unsafe { syscall!(libc::SYS_shutdown, int(fd), int(how)) }
}

/// `setsockopt(fd, level, optname, optval, optlen)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_setsockopt(
    _vmctx: *mut VmContext,
    fd: u64,
    level: u64,
    optname: u64,
    optval: u64,
    optlen: u64,
    _: u64,
) -> i64 {
    let takes_program = int(level) == libc::SOL_SOCKET as i64
        && (int(optname) == libc::SO_ATTACH_FILTER as i64
            || int(optname) == SO_ATTACH_REUSEPORT_CBPF);
    if takes_program && uint(optlen) == sock_fprog::WASM_BYTES as u64 {
        let program = checked!(HostSockFprog::from_guest(addr(optval)));
        let (value, len) = program.as_option();
        // SAFETY: the runtime-owned program names a checked instruction array.
        return unsafe {
            syscall!(
                libc::SYS_setsockopt,
                int(fd),
                int(level),
                int(optname),
                value,
                len
            )
        };
    }
    let value = checked!(guest::translate(addr(optval), int_len(optlen)));
    // SAFETY: a checked value of `optlen` bytes.
    unsafe {
        syscall!(
            libc::SYS_setsockopt,
            int(fd),
            int(level),
            int(optname),
            value,
            uint(optlen)
        )
    }
}

/// `getsockopt(fd, level, optname, optval, optlen)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_getsockopt(
    _vmctx: *mut VmContext,
    fd: u64,
    level: u64,
    optname: u64,
    optval: u64,
    optlen: u64,
    _: u64,
) -> i64 {
    let mut length = checked!(LengthCell::read(addr(optlen)));
    let value = checked!(socklen::output_buffer(addr(optval), &length, OPTION_MAX));
    let length_ptr = socklen::host_ptr(&mut length);
    // SAFETY: a checked value buffer as long as the length cell says, and the runtime-owned cell.
    let result = unsafe {
        syscall!(
            libc::SYS_getsockopt,
            int(fd),
            int(level),
            int(optname),
            value,
            length_ptr
        )
    };
    socklen::write_back_after_call(&length, result)
}

registry![
    walic_import_SYS_socket,
    walic_import_SYS_socketpair,
    walic_import_SYS_bind,
    walic_import_SYS_connect,
    walic_import_SYS_listen,
    walic_import_SYS_accept,
    walic_import_SYS_accept4,
    walic_import_SYS_getsockname,
    walic_import_SYS_getpeername,
    walic_import_SYS_sendto,
    walic_import_SYS_recvfrom,
    walic_import_SYS_sendmsg,
    walic_import_SYS_recvmsg,
    walic_import_SYS_shutdown,
    walic_import_SYS_setsockopt,
    walic_import_SYS_getsockopt,
];
