//! Process start-up: the C `main` of every compiled program.
//!
//! Order: check the module descriptor; record argv; reserve linear memory and make the initial
//! pages accessible; allocate the tables; install the fault handlers; create the main thread's
//! context; then switch to a dedicated stack for wasm code (see `crate::threads` for sizes), set the
//! stack limit and the fault handler's alternate stack, run `instantiate` (segments and the start
//! function) and the `_start` export. If `_start` returns, the process exits with status 0 (the
//! libc has already flushed what it flushes; `__proc_exit` normally ends the process before).

use core::ffi::{c_char, c_int, c_void};

use walic_loader::metadata::{ModuleDescriptor, MODULE_MAGIC};
use walic_loader::vmctx::VmContext;

use crate::{context, instance, memory, process, setjmp, tables, threads, traps};

extern "C" {
    /// The compiled module's descriptor, emitted by walic.
    static walic_module: ModuleDescriptor;
}

/// Exit status when the runtime cannot start the program.
const STARTUP_FAILURE_STATUS: i32 = 127;

fn fail(message: &str) -> ! {
    traps::print_error(message.as_bytes());
    traps::exit_process(STARTUP_FAILURE_STATUS)
}

/// The C entry point of a compiled program.
#[no_mangle]
pub extern "C" fn main(
    argc: c_int,
    argv: *const *const c_char,
    _envp: *const *const c_char,
) -> c_int {
    // SAFETY: the symbol is defined by the compiler's object file.
    let module: &'static ModuleDescriptor = unsafe { &*core::ptr::addr_of!(walic_module) };
    if module.magic != MODULE_MAGIC {
        fail("the program's module descriptor is invalid (runtime and compiler versions differ?)");
    }
    process::set_args(argc.max(0) as usize, argv);
    setjmp::init_key();
    let base = memory::reserve(module).unwrap_or_else(|e| fail(e));
    instance::set_module(module);
    let tables = tables::allocate(module).unwrap_or_else(|e| fail(e));
    instance::set_tables(tables);
    traps::install_fault_handlers();
    let vmctx = instance::new_thread_context(true);
    debug_assert_eq!(unsafe { (*vmctx).memory_base }, base as u64);

    let stack_bytes = threads::main_stack_bytes() + threads::STACK_HEADROOM;
    let guard = 64 * 1024;
    // SAFETY: a fresh private mapping for the main wasm stack, with a guard area at the bottom.
    let stack = unsafe {
        libc::mmap(
            core::ptr::null_mut(),
            stack_bytes + guard,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE | libc::MAP_STACK,
            -1,
            0,
        )
    };
    if stack == libc::MAP_FAILED {
        fail("cannot allocate the main stack");
    }
    // SAFETY: the guard lies inside the mapping just made.
    unsafe { libc::mprotect(stack, guard, libc::PROT_NONE) };
    let low = stack as usize + guard;
    let high = low + stack_bytes;
    // SAFETY: the new thread context belongs to this thread; [low, high) is its stack for wasm.
    unsafe {
        threads::enter_thread(vmctx, low, high);
        context::call_on_stack(vmctx as *mut c_void, ENTRY, high as *mut u8);
    }
    traps::exit_process(0)
}

/// What runs on the main wasm stack: the module, or the spec-test request loop.
#[cfg(not(feature = "spectest-driver"))]
const ENTRY: unsafe extern "C" fn(*mut c_void) = run_module;
#[cfg(feature = "spectest-driver")]
const ENTRY: unsafe extern "C" fn(*mut c_void) = crate::spectest_driver::run;

/// Runs instantiation and `_start` (on the main wasm stack).
#[cfg_attr(feature = "spectest-driver", allow(dead_code))]
unsafe extern "C" fn run_module(p: *mut c_void) {
    let vmctx = p as *mut VmContext;
    let module = instance::module();
    if !module.instantiate.is_null() {
        // SAFETY: the compiler emits `extern "C" fn(vmctx)` here.
        unsafe { crate::context::call_wasm(module.instantiate, vmctx, [0; 3]) };
    }
    if !module.entry.is_null() {
        // SAFETY: as above, for the `_start` export.
        unsafe { crate::context::call_wasm(module.entry, vmctx, [0; 3]) };
    }
}
