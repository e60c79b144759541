//! Descriptor control: `fcntl` and `ioctl`, whose third argument is an integer or a pointer
//! depending on the command.
//!
//! `fcntl` translates the argument for the commands that take a `struct flock` (32 bytes),
//! `struct f_owner_ex` (8) or a u64 read/write hint, and passes every other command's integer
//! unchanged. `ioctl` translates the argument when the request encodes a direction
//! (`_IOC_DIR != _IOC_NONE`; the size is encoded too) or is one of the legacy terminal and socket
//! requests known to take a pointer, converts `struct ifconf` for `SIOCGIFCONF`, and passes
//! integers unchanged (the reference runtime translated every argument as a pointer).

use walic_loader::vmctx::VmContext;

use super::args::{addr, int, uint};
use super::blocking;
use super::layout::ifconf::HostIfconf;
use crate::guest;

/// `struct flock`.
const FLOCK_BYTES: u64 = 32;
/// `struct f_owner_ex`.
const F_OWNER_EX_BYTES: u64 = 8;
/// A read/write hint (u64).
const RW_HINT_BYTES: u64 = 8;

/// The bytes `fcntl` command `cmd` reads or writes through its argument, `None` for commands
/// taking an integer.
fn fcntl_pointer_bytes(cmd: i64) -> Option<u64> {
    match cmd {
        // F_GETLK, F_SETLK, F_SETLKW, F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW.
        5..=7 | 36..=38 => Some(FLOCK_BYTES),
        // F_SETOWN_EX, F_GETOWN_EX.
        15 | 16 => Some(F_OWNER_EX_BYTES),
        // F_GET_RW_HINT, F_SET_RW_HINT, F_GET_FILE_RW_HINT, F_SET_FILE_RW_HINT.
        1035..=1038 => Some(RW_HINT_BYTES),
        _ => None,
    }
}

/// `fcntl(fd, cmd, arg)`. The waiting lock commands run in `blocking`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_fcntl(
    vmctx: *mut VmContext,
    fd: u64,
    cmd: u64,
    arg: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let cmd = int(cmd);
    let arg = match fcntl_pointer_bytes(cmd) {
        Some(len) => checked!(guest::translate_long(arg, len)) as u64,
        None => arg,
    };
    // SAFETY: for pointer commands a checked buffer of the command's structure, else an integer.
    let call = || unsafe { syscall!(libc::SYS_fcntl, int(fd), cmd, arg) };
    if cmd == libc::F_SETLKW as i64 || cmd == libc::F_OFD_SETLKW as i64 {
        blocking(vmctx, call)
    } else {
        call()
    }
}

/// What an `ioctl` request does with its argument.
#[derive(Debug, PartialEq, Eq)]
enum IoctlArgument {
    /// An integer (or nothing): passed unchanged.
    Integer,
    /// A pointer to this many bytes.
    Pointer(u64),
    /// A `struct ifconf` (`SIOCGIFCONF`).
    Ifconf,
    /// A pointer to a structure holding pointers the runtime does not convert.
    Refused,
}

/// `struct termios` as the kernel reads and writes it (TCGETS/TCSETS*: no speed fields).
const KERNEL_TERMIOS_BYTES: u64 = 36;
/// `struct termio` (TCGETA/TCSETA*).
const TERMIO_BYTES: u64 = 18;
/// `struct winsize`.
const WINSIZE_BYTES: u64 = 8;
/// `struct ifreq`.
const IFREQ_BYTES: u64 = 40;
/// `struct arpreq`.
const ARPREQ_BYTES: u64 = 68;
/// `struct serial_icounter_struct`.
const ICOUNTER_BYTES: u64 = 80;
/// `struct serial_rs485`.
const RS485_BYTES: u64 = 32;
/// `struct termiox`.
const TERMIOX_BYTES: u64 = 16;

/// Classifies an ioctl request. Requests with a direction encode their size; the legacy
/// terminal (0x54xx) and socket (0x89xx) requests are listed from the kernel's headers.
fn ioctl_argument(request: u32) -> IoctlArgument {
    use IoctlArgument::*;
    let direction = request >> 30;
    if direction != 0 {
        return Pointer(((request >> 16) & 0x3fff) as u64);
    }
    match request {
        // TCGETS, TCSETS, TCSETSW, TCSETSF; TIOCGLCKTRMIOS, TIOCSLCKTRMIOS.
        0x5401..=0x5404 | 0x5456 | 0x5457 => Pointer(KERNEL_TERMIOS_BYTES),
        // TCGETA, TCSETA, TCSETAW, TCSETAF.
        0x5405..=0x5408 => Pointer(TERMIO_BYTES),
        // TCSBRK, TCXONC, TCFLSH, TIOCEXCL, TIOCNXCL, TIOCSCTTY: integers.
        0x5409..=0x540E => Integer,
        // TIOCGPGRP, TIOCSPGRP, TIOCOUTQ: int.
        0x540F..=0x5411 => Pointer(4),
        // TIOCSTI: one char.
        0x5412 => Pointer(1),
        // TIOCGWINSZ, TIOCSWINSZ.
        0x5413 | 0x5414 => Pointer(WINSIZE_BYTES),
        // TIOCMGET, TIOCMBIS, TIOCMBIC, TIOCMSET, TIOCGSOFTCAR, TIOCSSOFTCAR, FIONREAD: int.
        0x5415..=0x541B => Pointer(4),
        // TIOCLINUX: a subcode byte followed by subcode-specific data.
        0x541C => Pointer(1),
        // TIOCCONS: none.
        0x541D => Integer,
        // TIOCGSERIAL, TIOCSSERIAL: struct serial_struct holds a pointer.
        0x541E | 0x541F => Refused,
        // TIOCPKT, FIONBIO: int.
        0x5420 | 0x5421 => Pointer(4),
        // TIOCNOTTY: none.
        0x5422 => Integer,
        // TIOCSETD, TIOCGETD: int.
        0x5423 | 0x5424 => Pointer(4),
        // TCSBRKP: integer; TIOCSBRK, TIOCCBRK: none.
        0x5425 | 0x5427 | 0x5428 => Integer,
        // TIOCGSID: pid_t.
        0x5429 => Pointer(4),
        // TIOCGRS485, TIOCSRS485.
        0x542E | 0x542F => Pointer(RS485_BYTES),
        // TCGETX, TCSETX, TCSETXF, TCSETXW.
        0x5432..=0x5435 => Pointer(TERMIOX_BYTES),
        // TIOCSIG: integer; TIOCVHANGUP: none; TIOCGPTPEER: integer flags.
        0x5436 | 0x5437 | 0x5441 => Integer,
        // FIONCLEX, FIOCLEX: none.
        0x5450 | 0x5451 => Integer,
        // FIOASYNC: int.
        0x5452 => Pointer(4),
        // TIOCSERCONFIG: none.
        0x5453 => Integer,
        // TIOCSERGWILD, TIOCSERSWILD, TIOCSERGETLSR: int.
        0x5454 | 0x5455 | 0x5459 => Pointer(4),
        // TIOCMIWAIT: integer mask.
        0x545C => Integer,
        // TIOCGICOUNT.
        0x545D => Pointer(ICOUNTER_BYTES),
        // FIOQSIZE: loff_t.
        0x5460 => Pointer(8),
        // FIOSETOWN, SIOCSPGRP, FIOGETOWN, SIOCGPGRP, SIOCATMARK: int.
        0x8901..=0x8905 => Pointer(4),
        // SIOCGSTAMP, SIOCGSTAMPNS: timeval/timespec.
        0x8906 | 0x8907 => Pointer(16),
        // SIOCADDRT, SIOCDELRT: struct rtentry holds a pointer.
        0x890B | 0x890C => Refused,
        // SIOCGIFCONF.
        0x8912 => Ifconf,
        // SIOCDARP, SIOCGARP, SIOCSARP.
        0x8953..=0x8955 => Pointer(ARPREQ_BYTES),
        // SIOCDRARP, SIOCGRARP, SIOCSRARP.
        0x8960..=0x8962 => Pointer(ARPREQ_BYTES),
        // The other socket, interface, bridge, VLAN, bonding and device-private requests take a
        // struct ifreq (or a smaller structure); a pointer in its `ifr_data` union member stays
        // a wasm address (ABI.md §5.2).
        0x8910..=0x89FF => Pointer(IFREQ_BYTES),
        // Unknown legacy requests without a direction take integers.
        _ => Integer,
    }
}

/// `ioctl(fd, request, argp)`. May block (terminal drains, `TIOCMIWAIT`).
#[no_mangle]
pub extern "C" fn walic_import_SYS_ioctl(
    vmctx: *mut VmContext,
    fd: u64,
    request: u64,
    argp: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let request = uint(request);
    let argument = match ioctl_argument(request as u32) {
        IoctlArgument::Integer => argp,
        IoctlArgument::Pointer(len) => checked!(guest::translate(addr(argp), len)) as u64,
        IoctlArgument::Refused => return -(libc::EINVAL as i64),
        IoctlArgument::Ifconf => {
            let mut conf = checked!(HostIfconf::from_guest(addr(argp)));
            let host = conf.as_mut_ptr();
            // SAFETY: a runtime-owned ifconf naming a checked buffer of `ifc_len` bytes.
            let result = unsafe { syscall!(libc::SYS_ioctl, int(fd), request, host) };
            return match result {
                0.. => conf.write_back().map_or_else(|errno| errno, |()| result),
                _ => result,
            };
        }
    };
    // SAFETY: a checked buffer of the request's size, or an integer the kernel does not
    // dereference.
    blocking(vmctx, || unsafe {
        syscall!(libc::SYS_ioctl, int(fd), request, argument)
    })
}

registry![walic_import_SYS_fcntl, walic_import_SYS_ioctl];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fcntl_commands() {
        assert_eq!(fcntl_pointer_bytes(libc::F_SETLKW as i64), Some(32));
        assert_eq!(fcntl_pointer_bytes(libc::F_OFD_GETLK as i64), Some(32));
        assert_eq!(fcntl_pointer_bytes(16), Some(8));
        assert_eq!(fcntl_pointer_bytes(1036), Some(8));
        assert_eq!(fcntl_pointer_bytes(libc::F_SETFL as i64), None);
        assert_eq!(fcntl_pointer_bytes(libc::F_DUPFD_CLOEXEC as i64), None);
    }

    #[test]
    fn ioctl_requests() {
        use IoctlArgument::*;
        assert_eq!(ioctl_argument(libc::TCGETS as u32), Pointer(36));
        assert_eq!(ioctl_argument(libc::TIOCGWINSZ as u32), Pointer(8));
        assert_eq!(ioctl_argument(libc::FIONREAD as u32), Pointer(4));
        assert_eq!(ioctl_argument(libc::FIONBIO as u32), Pointer(4));
        assert_eq!(ioctl_argument(libc::TCFLSH as u32), Integer);
        assert_eq!(ioctl_argument(libc::TCXONC as u32), Integer);
        assert_eq!(ioctl_argument(libc::SIOCGIFFLAGS as u32), Pointer(40));
        assert_eq!(ioctl_argument(libc::SIOCGIFCONF as u32), Ifconf);
        // TIOCGPTN = _IOR('T', 0x30, unsigned int).
        assert_eq!(ioctl_argument(0x8004_5430), Pointer(4));
        // _IO('T', 0x31) style requests without a direction are integers.
        assert_eq!(ioctl_argument(0x0000_1234), Integer);
    }
}
