//! Structures whose wasm layout differs from the x86-64 kernel's, and their conversions
//! (ABI.md §5.3). Everything else that crosses the interface (stat, statx, timespec, rlimit,
//! rusage, pollfd, fd_set, sigset, sockaddr, dirent64, the packed epoll_event, flock, termios, …)
//! has the kernel layout already and is passed by translating its pointer only (§5.2).
//!
//! A conversion reads the wasm structure with checked, unaligned reads, builds the host structure
//! in runtime-owned storage that lives until the syscall returns, and writes back the fields the
//! kernel updates.

pub(crate) mod ifconf;
pub(crate) mod iovec;
pub(crate) mod msghdr;
pub(crate) mod sigmask;
pub(crate) mod sock_fprog;
pub(crate) mod socklen;
pub(crate) mod strings;
