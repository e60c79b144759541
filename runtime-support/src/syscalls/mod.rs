//! The ordinary syscall imports: every `wali.SYS_*` name of the import table except the memory,
//! signal, exit and fork syscalls the core runtime implements (listed in [`CORE_OWNED`]).
//!
//! Every import has the one native signature of [`walic_loader::symbols::IMPORT_PREFIX`]:
//! `walic_import_SYS_<name>(vmctx, a0..a5: u64) -> i64`. Each is a short function that
//! 1. narrows its arguments by their C types ([`args`]): `int`s are sign-extended, sizes and
//!    unsigned values zero-extended, pointers translated and range-checked by [`crate::guest`]
//!    (0 stays NULL; any byte outside the current memory is `EFAULT` before the kernel runs);
//! 2. converts the few structures whose wasm layout differs from x86-64 ([`layout`]);
//! 3. makes the raw `syscall` itself ([`kernel`]), so flags, sizes and errors reach the kernel
//!    unchanged and the kernel decides everything exactly as for a native program;
//! 4. returns the raw kernel result (`-errno` on failure), copying converted results back.
//!
//! Syscalls that can block run inside [`blocking`], so a signal that arrives meanwhile runs its
//! wasm handler before the syscall returns `EINTR` or restarts.
//!
//! The families, one file each: [`files`] (paths, metadata, directories, links, permissions),
//! [`io`] (reading and writing, descriptors, pipes), [`poll`] (poll, select, epoll, event and
//! signal descriptors), [`sockets`], [`time`] (clocks, sleeping, timers), [`process`] (ids,
//! execve, wait, limits, scheduling, prctl), [`futex`], [`control`] (ioctl, fcntl), and
//! [`unimplemented`] (every remaining name of the table, returning `-ENOSYS`).

use walic_loader::vmctx::VmContext;

/// Performs a raw syscall: `syscall!(libc::SYS_read, fd, buf, count)`. Each argument is cast to
/// a u64 register value with `as` (so an `i64` from [`args::int`] keeps its sign extension and a
/// pointer becomes its address). Expands to a call of the unsafe [`kernel::syscall6`], so every
/// use sits in an `unsafe` block stating why the kernel may access each pointer argument.
macro_rules! syscall {
    ($nr:expr $(, $arg:expr)* $(,)?) => {
        $crate::syscalls::kernel::syscall6(
            $nr as i64,
            $crate::syscalls::kernel::pad([$(($arg) as u64),*]),
        )
    };
}

/// Unwraps a `Result<T, i64>` whose error is a negative errno, returning the errno from the
/// enclosing import on failure.
macro_rules! checked {
    ($result:expr) => {
        match $result {
            Ok(value) => value,
            Err(errno) => return errno,
        }
    };
}

/// Declares the imports a family module defines, as `IMPLEMENTED`: (symbol, function) pairs.
/// Taking each function as an identifier makes the compiler check that it exists and has the
/// exact import signature; its name is the symbol because every import is `#[no_mangle]`.
macro_rules! registry {
    ($($import:ident),* $(,)?) => {
        /// Every import this module defines: its symbol and its function.
        #[allow(dead_code)] // Read by the coverage test of `syscalls`.
        pub(crate) const IMPLEMENTED: &[(&str, $crate::syscalls::ImportFn)] =
            &[$((stringify!($import), $import as $crate::syscalls::ImportFn)),*];
    };
}

pub(crate) mod args;
pub mod control;
pub mod files;
pub mod futex;
pub mod io;
pub(crate) mod kernel;
pub(crate) mod layout;
pub mod poll;
pub mod process;
pub mod sockets;
pub mod time;
pub mod unimplemented;
pub(crate) mod vdso;

/// The native type of every import (see [`walic_loader::symbols::IMPORT_PREFIX`]).
pub type ImportFn = extern "C" fn(*mut VmContext, u64, u64, u64, u64, u64, u64) -> i64;

/// Syscall imports the core runtime implements (memory, exit, fork, signals); every other
/// `SYS_*` name of the import table is defined in this module.
pub const CORE_OWNED: &[&str] = &[
    "SYS_mmap",
    "SYS_munmap",
    "SYS_mremap",
    "SYS_mprotect",
    "SYS_madvise",
    "SYS_msync",
    "SYS_mincore",
    "SYS_brk",
    "SYS_exit",
    "SYS_exit_group",
    "SYS_fork",
    "SYS_rt_sigaction",
    "SYS_rt_sigprocmask",
    "SYS_rt_sigpending",
    "SYS_rt_sigsuspend",
    "SYS_sigaltstack",
];

/// Runs a syscall that can block (or be interrupted by a signal) so that a signal arriving while
/// it waits runs its wasm handler before the syscall fails with `EINTR` or restarts, and any
/// signal left pending when it returns is delivered before the import returns to wasm.
#[inline]
pub(crate) fn blocking(vmctx: *mut VmContext, call: impl FnOnce() -> i64) -> i64 {
    let result = crate::signals::blocking(vmctx, call);
    crate::signals::after_syscall(vmctx);
    result
}

/// Delivers signals the syscall just made pending for the calling thread (`kill` or `tkill` of
/// itself, `SIGPIPE` from a write), so their handlers run before the import returns, as they do
/// natively before the syscall instruction returns.
#[inline]
pub(crate) fn deliver_signals(vmctx: *mut VmContext) {
    crate::signals::after_syscall(vmctx);
}

#[cfg(test)]
mod hostile_tests;
#[cfg(test)]
mod overhead_bench;

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use walic_loader::imports::{self, Status};

    use super::*;

    /// Every import symbol the runtime defines for a syscall, with the family defining it.
    fn registered() -> Vec<(String, &'static str)> {
        let families: [(&str, &[(&str, ImportFn)]); 9] = [
            ("control", control::IMPLEMENTED),
            ("files", files::IMPLEMENTED),
            ("futex", futex::IMPLEMENTED),
            ("io", io::IMPLEMENTED),
            ("poll", poll::IMPLEMENTED),
            ("process", process::IMPLEMENTED),
            ("sockets", sockets::IMPLEMENTED),
            ("time", time::IMPLEMENTED),
            ("unimplemented", unimplemented::IMPLEMENTED),
        ];
        let mut symbols: Vec<(String, &str)> = families
            .iter()
            .flat_map(|(family, list)| list.iter().map(|(symbol, _)| (symbol.to_string(), *family)))
            .collect();
        symbols.extend(
            CORE_OWNED
                .iter()
                .map(|name| (walic_loader::symbols::import_symbol(name), "core")),
        );
        symbols
    }

    #[test]
    fn every_syscall_import_has_exactly_one_symbol() {
        let mut count: HashMap<String, Vec<&str>> = HashMap::new();
        for (symbol, family) in registered() {
            count.entry(symbol).or_default().push(family);
        }
        let mut problems = Vec::new();
        for import in imports::all() {
            if import.status == Status::Auxiliary {
                continue;
            }
            let symbol = walic_loader::symbols::import_symbol(&import.name);
            match count.remove(&symbol).as_deref() {
                Some([_]) => {}
                None => problems.push(format!("{} has no symbol", import.name)),
                Some(families) => {
                    problems.push(format!("{} is defined by {families:?}", import.name))
                }
            }
        }
        for symbol in count.keys() {
            problems.push(format!("{symbol} is not a syscall of the import table"));
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn every_spec_implemented_syscall_is_implemented() {
        let enosys: Vec<&str> = unimplemented::IMPLEMENTED.iter().map(|(s, _)| *s).collect();
        for import in imports::all() {
            if import.status == Status::Implemented {
                let symbol = walic_loader::symbols::import_symbol(&import.name);
                assert!(
                    !enosys.contains(&symbol.as_str()),
                    "{} returns ENOSYS",
                    import.name
                );
            }
        }
    }
}
