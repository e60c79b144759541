//! Hostile pointer and length arguments reach no host memory: each call below names memory
//! partly or wholly outside a fake guest memory that is followed by a writable canary page. A
//! range check that let a buffer through would let the kernel write into the canary (or read
//! it); every call must fail with `EFAULT` and [`FakeMemory`] checks the canary when dropped.
//! The same calls with in-bounds arguments succeed, so the failures come from the checks.

use super::*;
use crate::guest::testing::FakeMemory;
use crate::guest::EFAULT;

const SIZE: u32 = 16 * 4096;
const NULL_CONTEXT: *mut VmContext = core::ptr::null_mut();

/// A pipe holding `data`; returns (read end, write end).
fn pipe_with(data: &[u8]) -> (i32, i32) {
    let mut fds = [0i32; 2];
    // SAFETY: a local int[2].
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    // SAFETY: a local buffer.
    let written = unsafe { libc::write(fds[1], data.as_ptr().cast(), data.len()) };
    assert_eq!(written, data.len() as isize);
    (fds[0], fds[1])
}

fn close(fds: &[i32]) {
    for &fd in fds {
        // SAFETY: descriptors this test opened.
        unsafe { libc::close(fd) };
    }
}

fn put_u32s(memory: &FakeMemory, at: u32, values: &[u32]) {
    for (i, value) in values.iter().enumerate() {
        memory.put(at + 4 * i as u32, &value.to_le_bytes());
    }
}

fn read(fd: i32, buf: u32, count: u32) -> i64 {
    io::walic_import_SYS_read(NULL_CONTEXT, fd as u64, buf as u64, count as u64, 0, 0, 0)
}

#[test]
fn read_straddling_the_end_of_memory() {
    let memory = FakeMemory::new(SIZE as usize);
    let (r, w) = pipe_with(&[0x42; 64]);
    assert_eq!(read(r, SIZE - 10, 20), EFAULT);
    assert_eq!(read(r, 0xFFFF_FFF0, 0x20), EFAULT);
    assert_eq!(read(r, SIZE, 1), EFAULT);
    // The kernel never ran: all 64 bytes are still in the pipe, and a valid read gets them.
    assert_eq!(read(r, SIZE - 64, 64), 64);
    assert_eq!(memory.bytes(SIZE - 64, 64), [0x42; 64]);
    close(&[r, w]);
}

#[test]
fn writev_with_an_iovec_outside_memory() {
    let memory = FakeMemory::new(SIZE as usize);
    let (r, w) = pipe_with(b"");
    memory.put(100, b"hello");
    // { base 100, len 5 }, { base SIZE - 2, len 4 }
    put_u32s(&memory, 200, &[100, 5, SIZE - 2, 4]);
    let writev = |iov: u32, count: u32| {
        io::walic_import_SYS_writev(NULL_CONTEXT, w as u64, iov as u64, count as u64, 0, 0, 0)
    };
    assert_eq!(writev(200, 2), EFAULT);
    // The array itself running off the end.
    assert_eq!(writev(SIZE - 8, 2), EFAULT);
    assert_eq!(writev(200, 1), 5);
    // A negative count reaches the kernel, which rejects it.
    assert_eq!(writev(200, u32::MAX), -(libc::EINVAL as i64));
    close(&[r, w]);
}

#[test]
fn path_running_off_the_end_of_memory() {
    let memory = FakeMemory::new(SIZE as usize);
    memory.put(SIZE - 8, b"/tmp/abc");
    let open = |path: u32| {
        files::walic_import_SYS_open(NULL_CONTEXT, path as u64, libc::O_RDONLY as u64, 0, 0, 0, 0)
    };
    assert_eq!(open(SIZE - 8), EFAULT);
    assert_eq!(open(SIZE), EFAULT);
    assert_eq!(open(0xFFFF_FFF0), EFAULT);
    // A NULL path is the kernel's EFAULT, as natively.
    assert_eq!(open(0), EFAULT);
    memory.put(1000, b"/\0");
    let fd = open(1000);
    assert!(fd >= 0);
    close(&[fd as i32]);
}

#[test]
fn recvmsg_with_iovecs_outside_memory() {
    let memory = FakeMemory::new(SIZE as usize);
    let mut sv = [0i32; 2];
    // SAFETY: a local int[2].
    let made = unsafe { libc::socketpair(libc::AF_UNIX, libc::SOCK_DGRAM, 0, sv.as_mut_ptr()) };
    assert_eq!(made, 0);
    // SAFETY: a local buffer.
    assert_eq!(
        unsafe { libc::send(sv[1], b"datagram".as_ptr().cast(), 8, 0) },
        8
    );
    let recvmsg = |msg: u32| {
        sockets::walic_import_SYS_recvmsg(NULL_CONTEXT, sv[0] as u64, msg as u64, 0, 0, 0, 0)
    };
    // msg_iov points past the end.
    put_u32s(&memory, 100, &[0, 0, SIZE - 4, 1, 0, 0, 0, 0, 0]);
    assert_eq!(recvmsg(100), EFAULT);
    // The iovec names a buffer straddling the end.
    put_u32s(&memory, 200, &[SIZE - 4, 16]);
    put_u32s(&memory, 100, &[0, 0, 200, 1, 0, 0, 0, 0, 0]);
    assert_eq!(recvmsg(100), EFAULT);
    // The header itself straddling the end.
    assert_eq!(recvmsg(SIZE - 20), EFAULT);
    // A valid message receives the datagram and copies back msg_flags.
    put_u32s(&memory, 200, &[1000, 16]);
    put_u32s(&memory, 100, &[0, 0, 200, 1, 0, 0, 0, 0, 0xFFFF]);
    assert_eq!(recvmsg(100), 8);
    assert_eq!(memory.bytes(1000, 8), b"datagram");
    assert_eq!(memory.bytes(132, 4), [0; 4]);
    close(&sv);
}

#[test]
fn output_buffers_of_other_families() {
    let _memory = FakeMemory::new(SIZE as usize);
    let getcwd = |buf: u32, size: u32| {
        files::walic_import_SYS_getcwd(NULL_CONTEXT, buf as u64, size as u64, 0, 0, 0, 0)
    };
    assert_eq!(getcwd(SIZE - 10, 4096), EFAULT);
    assert!(getcwd(SIZE - 4096, 4096) > 0);
    let fstat = |buf: u32| files::walic_import_SYS_fstat(NULL_CONTEXT, 0, buf as u64, 0, 0, 0, 0);
    assert_eq!(fstat(SIZE - 100), EFAULT);
    let clock =
        |buf: u32| time::walic_import_SYS_clock_gettime(NULL_CONTEXT, 1, buf as u64, 0, 0, 0, 0);
    assert_eq!(clock(SIZE - 8), EFAULT);
    assert_eq!(clock(0), EFAULT);
    assert_eq!(clock(SIZE - 16), 0);
    let poll = |fds: u32, nfds: u64| {
        poll::walic_import_SYS_poll(NULL_CONTEXT, fds as u64, nfds, 0, 0, 0, 0)
    };
    assert_eq!(poll(SIZE - 8, 2), EFAULT);
    assert_eq!(poll(8, u64::MAX / 4), EFAULT);
    let getrandom = |buf: u32, len: u32| {
        io::walic_import_SYS_getrandom(NULL_CONTEXT, buf as u64, len as u64, 0, 0, 0, 0)
    };
    assert_eq!(getrandom(0xFFFF_FFF0, 0x20), EFAULT);
    assert_eq!(getrandom(SIZE - 32, 32), 32);
}

#[test]
fn socket_lengths_bound_what_the_kernel_writes() {
    let memory = FakeMemory::new(SIZE as usize);
    // SAFETY: plain socket creation.
    let fd = unsafe { libc::socket(libc::AF_INET, libc::SOCK_DGRAM, 0) };
    assert!(fd >= 0);
    let getsockname = |address: u32, length: u32| {
        sockets::walic_import_SYS_getsockname(
            NULL_CONTEXT,
            fd as u64,
            address as u64,
            length as u64,
            0,
            0,
            0,
        )
    };
    put_u32s(&memory, 100, &[16]);
    // The address buffer straddles the end, the length pointer is outside.
    assert_eq!(getsockname(SIZE - 8, 100), EFAULT);
    assert_eq!(getsockname(1000, SIZE - 2), EFAULT);
    assert_eq!(getsockname(SIZE - 16, 100), 0);
    assert_eq!(
        memory.bytes(SIZE - 16, 2),
        (libc::AF_INET as u16).to_le_bytes()
    );
    close(&[fd]);
}

#[test]
fn execve_arrays_running_off_the_end() {
    let memory = FakeMemory::new(SIZE as usize);
    memory.put(1000, b"/bin/true\0");
    // argv = { 1000, <no terminator before the end> }
    put_u32s(&memory, SIZE - 4, &[1000]);
    let execve = |path: u32, argv: u32| {
        process::walic_import_SYS_execve(NULL_CONTEXT, path as u64, argv as u64, 0, 0, 0, 0)
    };
    assert_eq!(execve(1000, SIZE - 4), EFAULT);
    // An argument string running off the end.
    memory.put(SIZE - 3, b"abc");
    put_u32s(&memory, 2000, &[1000, SIZE - 3, 0]);
    assert_eq!(execve(1000, 2000), EFAULT);
    // A missing file is the kernel's answer once everything is inside memory.
    memory.put(3000, b"/nonexistent/x\0");
    put_u32s(&memory, 2000, &[3000, 0]);
    assert_eq!(execve(3000, 2000), -(libc::ENOENT as i64));
}

#[test]
fn fcntl_and_ioctl_pointers() {
    let memory = FakeMemory::new(SIZE as usize);
    let (r, w) = pipe_with(b"12345");
    let ioctl = |request: u64, arg: u32| {
        control::walic_import_SYS_ioctl(NULL_CONTEXT, r as u64, request, arg as u64, 0, 0, 0)
    };
    assert_eq!(ioctl(libc::FIONREAD, SIZE - 2), EFAULT);
    assert_eq!(ioctl(libc::FIONREAD, 100), 0);
    assert_eq!(memory.bytes(100, 4), 5i32.to_le_bytes());
    let fcntl = |cmd: i32, arg: u64| {
        control::walic_import_SYS_fcntl(NULL_CONTEXT, r as u64, cmd as u64, arg, 0, 0, 0)
    };
    assert_eq!(fcntl(libc::F_GETLK, (SIZE - 16) as u64), EFAULT);
    assert_eq!(fcntl(libc::F_GETLK, 1 << 32), EFAULT);
    // An integer command passes its argument unchanged.
    assert_eq!(fcntl(libc::F_SETFD, libc::FD_CLOEXEC as u64), 0);
    assert_eq!(fcntl(libc::F_GETFD, 0), libc::FD_CLOEXEC as i64);
    close(&[r, w]);
}

// Pages inside memory that the program made inaccessible (a munmapped part of a mapping): the
// structures the runtime reads or writes itself there are EFAULT, as the kernel's
// copy_from_user makes them natively, and the program goes on.

/// The first of the two inaccessible pages of [`memory_with_hole`].
const HOLE: u32 = 8 * 4096;

/// A fake memory whose pages `[HOLE, HOLE + 8192)` are inaccessible.
fn memory_with_hole() -> FakeMemory {
    let memory = FakeMemory::new(SIZE as usize);
    memory.make_inaccessible(HOLE, 2 * 4096);
    memory
}

#[test]
fn iovec_arrays_on_inaccessible_pages() {
    let memory = memory_with_hole();
    let (r, w) = pipe_with(b"0123456789");
    memory.put(100, b"hello");
    let vectored = |nr: i64, fd: i32, iov: u32, count: u32| match nr {
        libc::SYS_writev => io::walic_import_SYS_writev,
        _ => io::walic_import_SYS_readv,
    }(NULL_CONTEXT, fd as u64, iov as u64, count as u64, 0, 0, 0);
    // The array in the hole, starting before it, and a long (heap-converted) one ending in it.
    assert_eq!(vectored(libc::SYS_writev, w, HOLE, 1), EFAULT);
    put_u32s(&memory, HOLE - 8, &[100, 5]);
    assert_eq!(vectored(libc::SYS_writev, w, HOLE - 8, 2), EFAULT);
    assert_eq!(vectored(libc::SYS_writev, w, HOLE - 8 * 20, 40), EFAULT);
    assert_eq!(vectored(libc::SYS_readv, r, HOLE + 100, 1), EFAULT);
    // A buffer in the hole named by a readable iovec: the kernel's own EFAULT.
    put_u32s(&memory, 200, &[HOLE + 4096, 4]);
    assert_eq!(vectored(libc::SYS_readv, r, 200, 1), EFAULT);
    // Nothing was written or consumed; the array before the hole works.
    assert_eq!(vectored(libc::SYS_writev, w, HOLE - 8, 1), 5);
    put_u32s(&memory, 200, &[1000, 32]);
    assert_eq!(vectored(libc::SYS_readv, r, 200, 1), 15);
    assert_eq!(memory.bytes(1000, 15), b"0123456789hello");
    close(&[r, w]);
}

#[test]
fn msghdrs_on_inaccessible_pages() {
    let memory = memory_with_hole();
    let mut sv = [0i32; 2];
    // SAFETY: a local int[2].
    let made = unsafe { libc::socketpair(libc::AF_UNIX, libc::SOCK_DGRAM, 0, sv.as_mut_ptr()) };
    assert_eq!(made, 0);
    let call = |send: bool, msg: u32| {
        let import = if send {
            sockets::walic_import_SYS_sendmsg
        } else {
            sockets::walic_import_SYS_recvmsg
        };
        import(
            NULL_CONTEXT,
            sv[usize::from(!send)] as u64,
            msg as u64,
            libc::MSG_DONTWAIT as u64,
            0,
            0,
            0,
        )
    };
    memory.put(1000, b"datagram");
    put_u32s(&memory, 200, &[1000, 8]);
    // The header in the hole, straddling into it, and a msg_iov array in it.
    assert_eq!(call(true, HOLE + 64), EFAULT);
    assert_eq!(call(false, HOLE - 20), EFAULT);
    put_u32s(&memory, 100, &[0, 0, HOLE, 1, 0, 0, 0, 0, 0]);
    assert_eq!(call(true, 100), EFAULT);
    // A control buffer in the hole (sendmsg walks its headers).
    put_u32s(&memory, 100, &[0, 0, 200, 1, 0, HOLE + 16, 32, 0, 0]);
    assert_eq!(call(true, 100), EFAULT);
    // A control buffer running into the hole after a header with dirty padding (copied whole).
    put_u32s(&memory, HOLE - 24, &[20, 0xDEAD, 1, 1, 0, 0]);
    put_u32s(&memory, 100, &[0, 0, 200, 1, 0, HOLE - 24, 48, 0, 0]);
    assert_eq!(call(true, 100), EFAULT);
    // Nothing was sent: the receive side has nothing yet.
    put_u32s(&memory, 300, &[2000, 16]);
    put_u32s(&memory, 100, &[0, 0, 300, 1, 0, 0, 0, 0, 0]);
    assert_eq!(call(false, 100), -(libc::EAGAIN as i64));
    put_u32s(&memory, 100, &[0, 0, 200, 1, 0, 0, 0, 0, 0]);
    assert_eq!(call(true, 100), 8);
    put_u32s(&memory, 100, &[0, 0, 300, 1, 0, 0, 0, 0, 0]);
    assert_eq!(call(false, 100), 8);
    assert_eq!(memory.bytes(2000, 8), b"datagram");
    close(&sv);
}

#[test]
fn strings_and_string_arrays_on_inaccessible_pages() {
    let memory = memory_with_hole();
    let open = |path: u32| {
        files::walic_import_SYS_open(NULL_CONTEXT, path as u64, libc::O_RDONLY as u64, 0, 0, 0, 0)
    };
    let execve = |path: u32, argv: u32, envp: u32| {
        process::walic_import_SYS_execve(
            NULL_CONTEXT,
            path as u64,
            argv as u64,
            envp as u64,
            0,
            0,
            0,
        )
    };
    // A path in the hole, and one running into it.
    assert_eq!(open(HOLE + 10), EFAULT);
    memory.put(HOLE - 4, b"/tmp");
    assert_eq!(open(HOLE - 4), EFAULT);
    assert_eq!(execve(HOLE - 4, 0, 0), EFAULT);
    // argv in the hole, running into it, naming a string in it; envp in the hole.
    memory.put(1000, b"/nonexistent/x\0");
    assert_eq!(execve(1000, HOLE + 4, 0), EFAULT);
    put_u32s(&memory, HOLE - 8, &[1000, 1000]);
    assert_eq!(execve(1000, HOLE - 8, 0), EFAULT);
    put_u32s(&memory, 2000, &[1000, HOLE + 100, 0]);
    assert_eq!(execve(1000, 2000, 0), EFAULT);
    put_u32s(&memory, 2000, &[1000, 0]);
    assert_eq!(execve(1000, 2000, HOLE), EFAULT);
    // With everything readable, the kernel answers.
    assert_eq!(execve(1000, 2000, 0), -(libc::ENOENT as i64));
}

#[test]
fn small_structures_on_inaccessible_pages() {
    let memory = memory_with_hole();
    // pselect6's mask-and-size pair.
    let pselect = |timeout: u32, pair: u32| {
        poll::walic_import_SYS_pselect6(NULL_CONTEXT, 0, 0, 0, 0, timeout as u64, pair as u64)
    };
    put_u32s(&memory, 100, &[0, 0]);
    assert_eq!(pselect(100, HOLE), EFAULT);
    assert_eq!(pselect(100, HOLE - 8), EFAULT);
    assert_eq!(pselect(100, 0), 0);
    // Results the runtime copies out itself: the clocks (the vDSO writes a runtime copy).
    let clock =
        |tp: u32| time::walic_import_SYS_clock_gettime(NULL_CONTEXT, 1, tp as u64, 0, 0, 0, 0);
    assert_eq!(clock(HOLE), EFAULT);
    assert_eq!(clock(HOLE - 8), EFAULT);
    assert_eq!(clock(HOLE - 16), 0);
    let gettimeofday = |tv: u32, tz: u32| {
        time::walic_import_SYS_gettimeofday(NULL_CONTEXT, tv as u64, tz as u64, 0, 0, 0, 0)
    };
    assert_eq!(gettimeofday(HOLE + 8, 0), EFAULT);
    assert_eq!(gettimeofday(100, HOLE), EFAULT);
    assert_eq!(gettimeofday(100, 0), 0);
    // In/out socket lengths, the socket filter program, ifconf.
    // SAFETY: plain socket creation.
    let fd = unsafe { libc::socket(libc::AF_INET, libc::SOCK_DGRAM, 0) };
    assert!(fd >= 0);
    let getsockname = |length: u32| {
        sockets::walic_import_SYS_getsockname(NULL_CONTEXT, fd as u64, 1000, length as u64, 0, 0, 0)
    };
    assert_eq!(getsockname(HOLE + 4), EFAULT);
    let setsockopt = |program: u32| {
        sockets::walic_import_SYS_setsockopt(
            NULL_CONTEXT,
            fd as u64,
            libc::SOL_SOCKET as u64,
            libc::SO_ATTACH_FILTER as u64,
            program as u64,
            8,
            0,
        )
    };
    assert_eq!(setsockopt(HOLE), EFAULT);
    let ifconf = |conf: u32| {
        control::walic_import_SYS_ioctl(NULL_CONTEXT, fd as u64, 0x8912, conf as u64, 0, 0, 0)
    };
    assert_eq!(ifconf(HOLE + 4096), EFAULT);
    close(&[fd]);
    // The environment file's path.
    let envfile = |buf: u32| {
        crate::environment::walic_import___get_init_envfile(
            NULL_CONTEXT,
            buf as u64,
            64,
            0,
            0,
            0,
            0,
        )
    };
    if std::env::var_os("WALI_ENV_FILE").is_none() {
        assert_eq!(envfile(HOLE - 4), EFAULT);
    }
}
