//! Processes: ids and credentials, execve, waiting, kill/tkill, resource usage and limits,
//! uname/sysinfo, scheduling, memory locking, prctl, and waiting for signals (pause,
//! rt_sigtimedwait).
//!
//! PIDs and TIDs are the real host ones. rusage (the kernel writes 144 bytes), sysinfo (112),
//! utsname (390), rlimit, sched_param, cpu masks and siginfo have the kernel layout; only
//! execve's `argv`/`envp` arrays are converted ([`StringArray`]). `prctl` translates the options
//! it knows to take pointers and refuses unknown ones.

use walic_loader::vmctx::VmContext;

use super::args::{addr, int, int_len, uint};
use super::layout::sigmask::translate_sigset;
use super::layout::sock_fprog::HostSockFprog;
use super::layout::strings::StringArray;
use super::{blocking, deliver_signals};
use crate::guest;

/// Size of the `struct rusage` the kernel writes.
const RUSAGE_BYTES: u64 = 144;
/// Size of the `struct sysinfo` the kernel writes.
const SYSINFO_BYTES: u64 = 112;
/// Size of `struct utsname`.
const UTSNAME_BYTES: u64 = 390;
/// Size of `struct rlimit`.
const RLIMIT_BYTES: u64 = 16;
/// Size of `siginfo_t`.
const SIGINFO_BYTES: u64 = 128;
/// Size of `struct timespec`.
const TIMESPEC_BYTES: u64 = 16;
/// Size of the kernel's `struct sched_param` (one int; the libc's is longer, the kernel reads
/// and writes only the priority).
const SCHED_PARAM_BYTES: u64 = 4;
/// The kernel's limit on supplementary groups (`NGROUPS_MAX`).
const NGROUPS_MAX: i64 = 65536;

/// A syscall without arguments that returns an id or a status and cannot fail in a way that
/// involves memory.
fn no_arguments(nr: i64) -> i64 {
    // SAFETY: no arguments.
    unsafe { syscall!(nr) }
}

/// `getpid()`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_getpid(
    _vmctx: *mut VmContext,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    no_arguments(libc::SYS_getpid)
}

/// `getppid()`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_getppid(
    _vmctx: *mut VmContext,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    no_arguments(libc::SYS_getppid)
}

/// `gettid()`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_gettid(
    _vmctx: *mut VmContext,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    no_arguments(libc::SYS_gettid)
}

/// `getuid()`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_getuid(
    _vmctx: *mut VmContext,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    no_arguments(libc::SYS_getuid)
}

/// `geteuid()`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_geteuid(
    _vmctx: *mut VmContext,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    no_arguments(libc::SYS_geteuid)
}

/// `getgid()`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_getgid(
    _vmctx: *mut VmContext,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    no_arguments(libc::SYS_getgid)
}

/// `getegid()`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_getegid(
    _vmctx: *mut VmContext,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    no_arguments(libc::SYS_getegid)
}

/// `setsid()`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_setsid(
    _vmctx: *mut VmContext,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    no_arguments(libc::SYS_setsid)
}

/// `sched_yield()`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_sched_yield(
    _vmctx: *mut VmContext,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    no_arguments(libc::SYS_sched_yield)
}

/// `munlockall()` (beyond the spec).
#[no_mangle]
pub extern "C" fn walic_import_SYS_munlockall(
    _vmctx: *mut VmContext,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    no_arguments(libc::SYS_munlockall)
}

/// `pause()` (beyond the spec: the libc's `pause()` calls it; it returns `EINTR` once a handler
/// ran).
#[no_mangle]
pub extern "C" fn walic_import_SYS_pause(
    vmctx: *mut VmContext,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    blocking(vmctx, || no_arguments(libc::SYS_pause))
}

/// A syscall whose arguments are all C `int`s.
fn int_arguments<const N: usize>(nr: i64, arguments: [u64; N]) -> i64 {
    let mut registers = [0u64; 6];
    for (register, value) in registers.iter_mut().zip(arguments) {
        *register = int(value) as u64;
    }
    // SAFETY: integer arguments only.
    unsafe { super::kernel::syscall6(nr, registers) }
}

/// Defines imports whose arguments are all C `int`s (ids, where -1 means "unchanged"; flags;
/// policies). All three argument registers are passed sign-extended; the kernel ignores the ones
/// a syscall does not take, and generated code pads missing arguments with 0.
macro_rules! int_imports {
    ($($(#[$doc:meta])* $import:ident => $nr:expr;)*) => {$(
        $(#[$doc])*
        #[no_mangle]
        pub extern "C" fn $import(
            _vmctx: *mut VmContext,
            a0: u64,
            a1: u64,
            a2: u64,
            _: u64,
            _: u64,
            _: u64,
        ) -> i64 {
            int_arguments($nr, [a0, a1, a2])
        }
    )*};
}

int_imports! {
    /// `setuid(uid)`.
    walic_import_SYS_setuid => libc::SYS_setuid;
    /// `setgid(gid)`.
    walic_import_SYS_setgid => libc::SYS_setgid;
    /// `setreuid(ruid, euid)`.
    walic_import_SYS_setreuid => libc::SYS_setreuid;
    /// `setregid(rgid, egid)`.
    walic_import_SYS_setregid => libc::SYS_setregid;
    /// `setresuid(ruid, euid, suid)`.
    walic_import_SYS_setresuid => libc::SYS_setresuid;
    /// `setresgid(rgid, egid, sgid)`.
    walic_import_SYS_setresgid => libc::SYS_setresgid;
    /// `setfsuid(fsuid)` (beyond the spec).
    walic_import_SYS_setfsuid => libc::SYS_setfsuid;
    /// `setfsgid(fsgid)` (beyond the spec).
    walic_import_SYS_setfsgid => libc::SYS_setfsgid;
    /// `setpgid(pid, pgid)`.
    walic_import_SYS_setpgid => libc::SYS_setpgid;
    /// `getpgid(pid)`.
    walic_import_SYS_getpgid => libc::SYS_getpgid;
    /// `getsid(pid)`.
    walic_import_SYS_getsid => libc::SYS_getsid;
    /// `getpriority(which, who)` (beyond the spec).
    walic_import_SYS_getpriority => libc::SYS_getpriority;
    /// `setpriority(which, who, prio)` (beyond the spec).
    walic_import_SYS_setpriority => libc::SYS_setpriority;
    /// `sched_getscheduler(pid)` (beyond the spec).
    walic_import_SYS_sched_getscheduler => libc::SYS_sched_getscheduler;
    /// `sched_get_priority_max(policy)` (beyond the spec).
    walic_import_SYS_sched_get_priority_max => libc::SYS_sched_get_priority_max;
    /// `sched_get_priority_min(policy)` (beyond the spec).
    walic_import_SYS_sched_get_priority_min => libc::SYS_sched_get_priority_min;
    /// `mlockall(flags)` (beyond the spec: real servers call it).
    walic_import_SYS_mlockall => libc::SYS_mlockall;
    /// `membarrier(cmd, flags)` (beyond the spec).
    walic_import_SYS_membarrier => libc::SYS_membarrier;
}

/// `getresuid(ruid, euid, suid)` and `getresgid`: three `u32 *` results.
fn get_three_ids(nr: i64, first: u64, second: u64, third: u64) -> i64 {
    let first = checked!(guest::translate(addr(first), 4));
    let second = checked!(guest::translate(addr(second), 4));
    let third = checked!(guest::translate(addr(third), 4));
    // SAFETY: three checked 4-byte results.
    unsafe { syscall!(nr, first, second, third) }
}

/// `getresuid(ruid, euid, suid)` (beyond the spec).
#[no_mangle]
pub extern "C" fn walic_import_SYS_getresuid(
    _vmctx: *mut VmContext,
    ruid: u64,
    euid: u64,
    suid: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    get_three_ids(libc::SYS_getresuid, ruid, euid, suid)
}

/// `getresgid(rgid, egid, sgid)` (beyond the spec).
#[no_mangle]
pub extern "C" fn walic_import_SYS_getresgid(
    _vmctx: *mut VmContext,
    rgid: u64,
    egid: u64,
    sgid: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    get_three_ids(libc::SYS_getresgid, rgid, egid, sgid)
}

/// `getgroups(size, list)`: the kernel writes `size` gids when `size > 0`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_getgroups(
    _vmctx: *mut VmContext,
    size: u64,
    list: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let list = checked!(guest::translate_array(addr(list), int_len(size), 4));
    // SAFETY: a checked array of `size` gids.
    unsafe { syscall!(libc::SYS_getgroups, int(size), list) }
}

/// `setgroups(size, list)`: the kernel reads `size` gids when `0 <= size <= NGROUPS_MAX`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_setgroups(
    _vmctx: *mut VmContext,
    size: u64,
    list: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let read = if int(size) <= NGROUPS_MAX {
        int_len(size)
    } else {
        0
    };
    let list = checked!(guest::translate_array(addr(list), read, 4));
    // SAFETY: a checked array of the gids the kernel reads.
    unsafe { syscall!(libc::SYS_setgroups, int(size), list) }
}

/// `execve(path, argv, envp)`: `argv` and `envp` are converted to host arrays; the strings are
/// used in place. The new program (native, or another walic program) gets exactly `envp` as its
/// environment. Returns only on failure.
#[no_mangle]
pub extern "C" fn walic_import_SYS_execve(
    _vmctx: *mut VmContext,
    path: u64,
    argv: u64,
    envp: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let path = checked!(guest::translate_path(addr(path)));
    let argv = checked!(StringArray::from_guest(addr(argv)));
    let envp = checked!(StringArray::from_guest(addr(envp)));
    // SAFETY: a checked path, and runtime-owned NULL-terminated arrays of checked strings.
    unsafe {
        syscall!(
            libc::SYS_execve,
            path,
            StringArray::as_ptr(&argv),
            StringArray::as_ptr(&envp)
        )
    }
}

/// `wait4(pid, wstatus, options, rusage)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_wait4(
    vmctx: *mut VmContext,
    pid: u64,
    wstatus: u64,
    options: u64,
    rusage: u64,
    _: u64,
    _: u64,
) -> i64 {
    let wstatus = checked!(guest::translate(addr(wstatus), 4));
    let rusage = checked!(guest::translate(addr(rusage), RUSAGE_BYTES));
    // SAFETY: a checked int and a checked rusage.
    blocking(vmctx, || unsafe {
        syscall!(libc::SYS_wait4, int(pid), wstatus, int(options), rusage)
    })
}

/// `waitid(idtype, id, infop, options, rusage)` (beyond the spec; the siginfo fields waitid
/// fills, pid, uid, status and code, are at the same offsets in wasm).
#[no_mangle]
pub extern "C" fn walic_import_SYS_waitid(
    vmctx: *mut VmContext,
    idtype: u64,
    id: u64,
    infop: u64,
    options: u64,
    rusage: u64,
    _: u64,
) -> i64 {
    let infop = checked!(guest::translate(addr(infop), SIGINFO_BYTES));
    let rusage = checked!(guest::translate(addr(rusage), RUSAGE_BYTES));
    // SAFETY: a checked siginfo_t and a checked rusage.
    blocking(vmctx, || unsafe {
        syscall!(
            libc::SYS_waitid,
            int(idtype),
            int(id),
            infop,
            int(options),
            rusage
        )
    })
}

/// `kill` and `tkill`: `(id, sig)`. A signal sent to the calling process or thread is delivered
/// before the import returns.
fn send_signal(vmctx: *mut VmContext, nr: i64, id: u64, sig: u64) -> i64 {
    let result = int_arguments(nr, [id, sig]);
    deliver_signals(vmctx);
    result
}

/// `kill(pid, sig)`: a signal sent to the calling process is delivered before the import returns.
#[no_mangle]
pub extern "C" fn walic_import_SYS_kill(
    vmctx: *mut VmContext,
    pid: u64,
    sig: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    send_signal(vmctx, libc::SYS_kill, pid, sig)
}

/// `tkill(tid, sig)`: a signal sent to the calling thread (`raise`) is delivered before the
/// import returns.
#[no_mangle]
pub extern "C" fn walic_import_SYS_tkill(
    vmctx: *mut VmContext,
    tid: u64,
    sig: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    send_signal(vmctx, libc::SYS_tkill, tid, sig)
}

/// `rt_sigtimedwait(set, info, timeout, sigsetsize)` (beyond the spec: `sigwait`,
/// `sigtimedwait`). Accepted signals are consumed from the kernel's queue, never reaching a
/// handler, as natively.
#[no_mangle]
pub extern "C" fn walic_import_SYS_rt_sigtimedwait(
    vmctx: *mut VmContext,
    set: u64,
    info: u64,
    timeout: u64,
    sigsetsize: u64,
    _: u64,
    _: u64,
) -> i64 {
    let set = checked!(translate_sigset(addr(set), uint(sigsetsize)));
    let info = checked!(guest::translate(addr(info), SIGINFO_BYTES));
    let timeout = checked!(guest::translate(addr(timeout), TIMESPEC_BYTES));
    // SAFETY: a checked signal mask, siginfo_t and timespec.
    blocking(vmctx, || unsafe {
        syscall!(
            libc::SYS_rt_sigtimedwait,
            set,
            info,
            timeout,
            uint(sigsetsize)
        )
    })
}

/// `rt_sigreturn()`: never valid from wasm. Wasm handlers are ordinary function calls that
/// simply return; the runtime's native handlers return through its own restorer. Returns
/// `-ENOSYS` (the reference runtime returns -1).
#[no_mangle]
pub extern "C" fn walic_import_SYS_rt_sigreturn(
    _vmctx: *mut VmContext,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    -(libc::ENOSYS as i64)
}

/// `uname(buf)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_uname(
    _vmctx: *mut VmContext,
    buf: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let buf = checked!(guest::translate(addr(buf), UTSNAME_BYTES));
    // SAFETY: a checked utsname.
    unsafe { syscall!(libc::SYS_uname, buf) }
}

/// `sysinfo(info)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_sysinfo(
    _vmctx: *mut VmContext,
    info: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let info = checked!(guest::translate(addr(info), SYSINFO_BYTES));
    // SAFETY: a checked sysinfo.
    unsafe { syscall!(libc::SYS_sysinfo, info) }
}

/// `getrusage(who, usage)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_getrusage(
    _vmctx: *mut VmContext,
    who: u64,
    usage: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let usage = checked!(guest::translate(addr(usage), RUSAGE_BYTES));
    // SAFETY: a checked rusage.
    unsafe { syscall!(libc::SYS_getrusage, int(who), usage) }
}

/// `getrlimit` and `setrlimit`: `(resource, rlim)`; the kernel writes or reads one rlimit.
fn resource_limit(nr: i64, resource: u64, rlim: u64) -> i64 {
    let rlim = checked!(guest::translate(addr(rlim), RLIMIT_BYTES));
    // SAFETY: a checked rlimit.
    unsafe { syscall!(nr, int(resource), rlim) }
}

/// `getrlimit(resource, rlim)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_getrlimit(
    _vmctx: *mut VmContext,
    resource: u64,
    rlim: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    resource_limit(libc::SYS_getrlimit, resource, rlim)
}

/// `setrlimit(resource, rlim)`. Limits apply to the whole runtime process, as natively (e.g.
/// `RLIMIT_AS` also bounds the linear-memory reservation the runtime made at start-up).
#[no_mangle]
pub extern "C" fn walic_import_SYS_setrlimit(
    _vmctx: *mut VmContext,
    resource: u64,
    rlim: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    resource_limit(libc::SYS_setrlimit, resource, rlim)
}

/// `prlimit64(pid, resource, new_limit, old_limit)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_prlimit64(
    _vmctx: *mut VmContext,
    pid: u64,
    resource: u64,
    new_limit: u64,
    old_limit: u64,
    _: u64,
    _: u64,
) -> i64 {
    let new_limit = checked!(guest::translate(addr(new_limit), RLIMIT_BYTES));
    let old_limit = checked!(guest::translate(addr(old_limit), RLIMIT_BYTES));
    // SAFETY: checked rlimits.
    unsafe {
        syscall!(
            libc::SYS_prlimit64,
            int(pid),
            int(resource),
            new_limit,
            old_limit
        )
    }
}

/// `sched_getaffinity` and `sched_setaffinity`: `(pid, len, mask)`; the mask is `len` bytes.
fn affinity(nr: i64, pid: u64, len: u64, mask: u64) -> i64 {
    let mask = checked!(guest::translate(addr(mask), uint(len)));
    // SAFETY: a checked mask of `len` bytes.
    unsafe { syscall!(nr, int(pid), uint(len), mask) }
}

/// `sched_getaffinity(pid, len, mask)`: the mask is `len` bytes.
#[no_mangle]
pub extern "C" fn walic_import_SYS_sched_getaffinity(
    _vmctx: *mut VmContext,
    pid: u64,
    len: u64,
    mask: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    affinity(libc::SYS_sched_getaffinity, pid, len, mask)
}

/// `sched_setaffinity(pid, len, mask)` (beyond the spec).
#[no_mangle]
pub extern "C" fn walic_import_SYS_sched_setaffinity(
    _vmctx: *mut VmContext,
    pid: u64,
    len: u64,
    mask: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    affinity(libc::SYS_sched_setaffinity, pid, len, mask)
}

/// `sched_setscheduler(pid, policy, param)` (beyond the spec: the libc's `pthread_create` calls
/// it for explicit scheduling attributes).
#[no_mangle]
pub extern "C" fn walic_import_SYS_sched_setscheduler(
    _vmctx: *mut VmContext,
    pid: u64,
    policy: u64,
    param: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let param = checked!(guest::translate(addr(param), SCHED_PARAM_BYTES));
    // SAFETY: a checked sched_param.
    unsafe { syscall!(libc::SYS_sched_setscheduler, int(pid), int(policy), param) }
}

/// `sched_setparam` and `sched_getparam`: `(pid, param)`; the kernel reads or writes one
/// sched_param.
fn scheduling_parameter(nr: i64, pid: u64, param: u64) -> i64 {
    let param = checked!(guest::translate(addr(param), SCHED_PARAM_BYTES));
    // SAFETY: a checked sched_param.
    unsafe { syscall!(nr, int(pid), param) }
}

/// `sched_setparam(pid, param)` (beyond the spec).
#[no_mangle]
pub extern "C" fn walic_import_SYS_sched_setparam(
    _vmctx: *mut VmContext,
    pid: u64,
    param: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    scheduling_parameter(libc::SYS_sched_setparam, pid, param)
}

/// `sched_getparam(pid, param)` (beyond the spec).
#[no_mangle]
pub extern "C" fn walic_import_SYS_sched_getparam(
    _vmctx: *mut VmContext,
    pid: u64,
    param: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    scheduling_parameter(libc::SYS_sched_getparam, pid, param)
}

/// `sched_rr_get_interval(pid, tp)` (beyond the spec).
#[no_mangle]
pub extern "C" fn walic_import_SYS_sched_rr_get_interval(
    _vmctx: *mut VmContext,
    pid: u64,
    tp: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let tp = checked!(guest::translate(addr(tp), TIMESPEC_BYTES));
    // SAFETY: a checked timespec.
    unsafe { syscall!(libc::SYS_sched_rr_get_interval, int(pid), tp) }
}

/// `getcpu(cpu, node, tcache)` (beyond the spec; the kernel ignores `tcache`).
#[no_mangle]
pub extern "C" fn walic_import_SYS_getcpu(
    _vmctx: *mut VmContext,
    cpu: u64,
    node: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let cpu = checked!(guest::translate(addr(cpu), 4));
    let node = checked!(guest::translate(addr(node), 4));
    // SAFETY: checked 4-byte results.
    unsafe { syscall!(libc::SYS_getcpu, cpu, node, 0u64) }
}

/// `set_tid_address(tidptr)`: the kernel keeps the host address of the guest word, clears it and
/// wakes its futex when the thread exits, as natively.
#[no_mangle]
pub extern "C" fn walic_import_SYS_set_tid_address(
    _vmctx: *mut VmContext,
    tidptr: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    let tidptr = checked!(guest::translate(addr(tidptr), 4));
    // SAFETY: a checked int the kernel writes when the thread exits; linear memory stays mapped
    // for the life of the process.
    unsafe { syscall!(libc::SYS_set_tid_address, tidptr) }
}

/// `mlock` and `munlock`: `(addr, len)`, a range of linear memory.
fn memory_lock(nr: i64, address: u64, len: u64) -> i64 {
    let address = checked!(guest::translate(addr(address), uint(len)));
    // SAFETY: a checked range; locking and unlocking do not change its contents.
    unsafe { syscall!(nr, address, uint(len)) }
}

/// `mlock(addr, len)` (beyond the spec).
#[no_mangle]
pub extern "C" fn walic_import_SYS_mlock(
    _vmctx: *mut VmContext,
    address: u64,
    len: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    memory_lock(libc::SYS_mlock, address, len)
}

/// `munlock(addr, len)` (beyond the spec).
#[no_mangle]
pub extern "C" fn walic_import_SYS_munlock(
    _vmctx: *mut VmContext,
    address: u64,
    len: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> i64 {
    memory_lock(libc::SYS_munlock, address, len)
}

/// What `prctl` does with an option's arguments.
enum PrctlArguments {
    /// Integers only: passed through.
    Integers,
    /// `arg2` points to a buffer of this many bytes.
    Arg2Buffer(u64),
    /// `PR_SET_SECCOMP`: `arg3` is a `struct sock_fprog` in filter mode.
    Seccomp,
    /// `PR_SCHED_CORE`: `arg5` points to a u64 cookie for `PR_SCHED_CORE_GET`.
    SchedCore,
    /// Takes pointers the runtime does not translate, or unknown: refused with `EINVAL`.
    Refused,
}

/// Classifies a `prctl` option (numbers from `<linux/prctl.h>`).
fn prctl_arguments(option: i64) -> PrctlArguments {
    use PrctlArguments::*;
    match option {
        // PR_SET_NAME, PR_GET_NAME: a 16-byte thread name.
        15 | 16 => Arg2Buffer(16),
        // PR_GET_PDEATHSIG, PR_GET_UNALIGN, PR_GET_FPEMU, PR_GET_FPEXC, PR_GET_ENDIAN,
        // PR_GET_TSC, PR_GET_CHILD_SUBREAPER: an int result.
        2 | 5 | 9 | 11 | 19 | 25 | 37 => Arg2Buffer(4),
        22 => Seccomp,
        62 => SchedCore,
        // PR_SET_PDEATHSIG, PR_{GET,SET}_DUMPABLE, PR_SET_UNALIGN, PR_{GET,SET}_KEEPCAPS,
        // PR_SET_FPEMU, PR_SET_FPEXC, PR_{GET,SET}_TIMING, PR_SET_ENDIAN, PR_GET_SECCOMP,
        // PR_CAPBSET_{READ,DROP}, PR_SET_TSC, PR_{GET,SET}_SECUREBITS, PR_{SET,GET}_TIMERSLACK,
        // PR_TASK_PERF_EVENTS_{DISABLE,ENABLE}, PR_MCE_KILL, PR_MCE_KILL_GET,
        // PR_SET_CHILD_SUBREAPER, PR_{SET,GET}_NO_NEW_PRIVS, PR_{SET,GET}_THP_DISABLE,
        // PR_MPX_*, PR_{SET,GET}_FP_MODE, PR_CAP_AMBIENT, PR_SVE_*, PR_{GET,SET}_SPECULATION_CTRL,
        // PR_PAC_RESET_KEYS, PR_{SET,GET}_TAGGED_ADDR_CTRL, PR_{SET,GET}_IO_FLUSHER,
        // PR_PAC_{SET,GET}_ENABLED_KEYS, PR_SME_*, PR_{SET,GET}_MDWE,
        // PR_{SET,GET}_MEMORY_MERGE, PR_SET_PTRACER.
        1
        | 3
        | 4
        | 6
        | 7
        | 8
        | 10
        | 12
        | 13
        | 14
        | 20
        | 21
        | 23
        | 24
        | 26..=34
        | 36
        | 38
        | 39
        | 41..=47
        | 50..=58
        | 60
        | 61
        | 63..=68
        | 0x5961_6d61 => Integers,
        // PR_SET_MM, PR_GET_TID_ADDRESS, PR_SET_SYSCALL_USER_DISPATCH, PR_SET_VMA, PR_GET_AUXV
        // and anything unknown: host addresses or untranslated pointers.
        _ => Refused,
    }
}

/// `prctl(option, arg2, arg3, arg4, arg5)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_prctl(
    _vmctx: *mut VmContext,
    option: u64,
    arg2: u64,
    arg3: u64,
    arg4: u64,
    arg5: u64,
    _: u64,
) -> i64 {
    let option = int(option);
    match prctl_arguments(option) {
        PrctlArguments::Integers => {
            // SAFETY: this option takes integers only.
            unsafe { syscall!(libc::SYS_prctl, option, arg2, arg3, arg4, arg5) }
        }
        PrctlArguments::Arg2Buffer(len) => {
            let buffer = checked!(guest::translate_long(arg2, len));
            // SAFETY: a checked buffer of the size this option reads or writes.
            unsafe { syscall!(libc::SYS_prctl, option, buffer, arg3, arg4, arg5) }
        }
        PrctlArguments::Seccomp if arg2 == libc::SECCOMP_MODE_FILTER as u64 => {
            let program = checked!(u32::try_from(arg3).map_err(|_| guest::EFAULT));
            let program = checked!(HostSockFprog::from_guest(program));
            let (program, _) = program.as_option();
            // SAFETY: a runtime-owned program naming a checked instruction array.
            unsafe { syscall!(libc::SYS_prctl, option, arg2, program, arg4, arg5) }
        }
        PrctlArguments::Seccomp => {
            // SAFETY: strict mode and the other modes take integers only.
            unsafe { syscall!(libc::SYS_prctl, option, arg2, arg3, arg4, arg5) }
        }
        PrctlArguments::SchedCore => {
            const PR_SCHED_CORE_GET: u64 = 0;
            let cookie_len = if arg2 == PR_SCHED_CORE_GET { 8 } else { 0 };
            let cookie = checked!(guest::translate_long(arg5, cookie_len));
            let cookie = if cookie_len == 0 { arg5 } else { cookie as u64 };
            // SAFETY: for PR_SCHED_CORE_GET a checked u64; integers otherwise.
            unsafe { syscall!(libc::SYS_prctl, option, arg2, arg3, arg4, cookie) }
        }
        PrctlArguments::Refused => -(libc::EINVAL as i64),
    }
}

registry![
    walic_import_SYS_getpid,
    walic_import_SYS_getppid,
    walic_import_SYS_gettid,
    walic_import_SYS_getuid,
    walic_import_SYS_geteuid,
    walic_import_SYS_getgid,
    walic_import_SYS_getegid,
    walic_import_SYS_setsid,
    walic_import_SYS_sched_yield,
    walic_import_SYS_munlockall,
    walic_import_SYS_pause,
    walic_import_SYS_setuid,
    walic_import_SYS_setgid,
    walic_import_SYS_setreuid,
    walic_import_SYS_setregid,
    walic_import_SYS_setresuid,
    walic_import_SYS_setresgid,
    walic_import_SYS_setfsuid,
    walic_import_SYS_setfsgid,
    walic_import_SYS_setpgid,
    walic_import_SYS_getpgid,
    walic_import_SYS_getsid,
    walic_import_SYS_getpriority,
    walic_import_SYS_setpriority,
    walic_import_SYS_sched_getscheduler,
    walic_import_SYS_sched_get_priority_max,
    walic_import_SYS_sched_get_priority_min,
    walic_import_SYS_mlockall,
    walic_import_SYS_membarrier,
    walic_import_SYS_getresuid,
    walic_import_SYS_getresgid,
    walic_import_SYS_getgroups,
    walic_import_SYS_setgroups,
    walic_import_SYS_execve,
    walic_import_SYS_wait4,
    walic_import_SYS_waitid,
    walic_import_SYS_kill,
    walic_import_SYS_tkill,
    walic_import_SYS_rt_sigtimedwait,
    walic_import_SYS_rt_sigreturn,
    walic_import_SYS_uname,
    walic_import_SYS_sysinfo,
    walic_import_SYS_getrusage,
    walic_import_SYS_getrlimit,
    walic_import_SYS_setrlimit,
    walic_import_SYS_prlimit64,
    walic_import_SYS_sched_getaffinity,
    walic_import_SYS_sched_setaffinity,
    walic_import_SYS_sched_setscheduler,
    walic_import_SYS_sched_setparam,
    walic_import_SYS_sched_getparam,
    walic_import_SYS_sched_rr_get_interval,
    walic_import_SYS_getcpu,
    walic_import_SYS_set_tid_address,
    walic_import_SYS_mlock,
    walic_import_SYS_munlock,
    walic_import_SYS_prctl,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prctl_options_are_classified() {
        assert!(matches!(
            prctl_arguments(15),
            PrctlArguments::Arg2Buffer(16)
        ));
        assert!(matches!(prctl_arguments(2), PrctlArguments::Arg2Buffer(4)));
        assert!(matches!(prctl_arguments(4), PrctlArguments::Integers));
        // PR_SET_MM, PR_GET_TID_ADDRESS, PR_SET_VMA, unknown.
        for refused in [35, 40, 59, 0x5356_4d41, 1000] {
            assert!(matches!(prctl_arguments(refused), PrctlArguments::Refused));
        }
    }
}
