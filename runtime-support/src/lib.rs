//! walic's runtime: the static library linked into every compiled program. It implements every
//! WALI import on the real Linux kernel (see `syscalls/`), the services generated code calls
//! (memory and table operations, signal polling, setjmp guards), trap reporting, and the process
//! start-up that instantiates the module and runs its `_start`.

pub mod guest;
