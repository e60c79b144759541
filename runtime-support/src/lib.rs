//! walic's runtime: the static library linked into every compiled program. It implements every
//! WALI import on the real Linux kernel (see `syscalls/`), the services generated code calls
//! (memory and table operations, signal polling, setjmp guards), trap reporting, and the process
//! start-up that instantiates the module and runs its `_start`.
//!
//! Map of the crate:
//! - `startup`: the C `main` (memory, tables, main thread, `instantiate`, `_start`);
//! - `instance`: the module descriptor, tables, segments, per-thread contexts;
//! - `memory`: linear memory, `memory.*` runtime functions, and the mmap family with its allocator;
//! - `tables`: `table.*` runtime functions; `atomics`: `memory.atomic.wait/notify`;
//! - `traps`: the fault handler and trap reports; `signals`: signal actions, masks and delivery;
//! - `threads`: `__wasm_thread_spawn`, `SYS_exit`, `SYS_exit_group`, stacks;
//! - `setjmp`: setjmp/longjmp with the compiler's guard protocol;
//! - `process`: `__init`/`__deinit`/`__proc_exit`, arguments, `SYS_fork`;
//! - `environment`: `__get_init_envfile`; `guest`: checked guest-pointer translation and
//!   fault-tolerant reads and writes of guest memory;
//! - `context`, `sync`: assembly context switches and the runtime's lock;
//! - `spectest_driver` (feature `spectest-driver`): answers spec-test requests instead of `_start`.

// Unit tests build without `startup`, which is what calls most set-up code.
#![cfg_attr(test, allow(dead_code))]

pub mod guest;

mod atomics;
mod context;
pub(crate) mod environment;
mod instance;
mod memory;
mod process;
mod setjmp;
pub(crate) mod signals;
#[cfg(feature = "spectest-driver")]
mod spectest_driver;
#[cfg(not(test))]
mod startup;
mod sync;
pub mod syscalls;
mod tables;
mod threads;
mod traps;
