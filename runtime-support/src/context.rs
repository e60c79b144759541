//! Small native-context primitives in assembly: run a function on another stack, and a
//! setjmp-like "call with an escape hatch" used to end a thread from deep inside wasm code.
//!
//! Wasm code is compiled without unwind tables the runtime could use, so nothing may unwind
//! through compiled frames (no `pthread_exit`, no Rust panics). Instead, a thread's entry records
//! its callee-saved registers and stack pointer in a [`JumpContext`] and calls into wasm; `SYS_exit`
//! later resumes that context, which simply abandons every frame above it. Compiled frames own no
//! resources, and the runtime frames that are abandoned hold no locks or heap allocations.

use core::arch::global_asm;
use core::ffi::c_void;

/// Callee-saved registers, stack pointer and resume address of a [`context_call`].
#[repr(C)]
#[derive(Default)]
pub(crate) struct JumpContext {
    registers: [u64; 8],
}

// walic_context_call(ctx, f, arg) -> u64: saves rbx, rbp, r12-r15, rsp and a resume address into
// `ctx`, calls f(arg) and returns 0; walic_context_resume(ctx, value) makes it return `value`.
// walic_call_on_stack(arg, f, stack_top): calls f(arg) with rsp = stack_top (16-byte aligned),
// keeping a frame-pointer link to the old stack, and returns on the old stack.
// walic_signal_restorer: the sa_restorer of every signal action the runtime installs.
// walic_call_wasm(vmctx, a1, a2, a3, code) -> u64: calls compiled code(vmctx, a1, a2, a3) with
// r15 = vmctx.memory_base (generated code's pinned heap-base register, see
// walic_loader::vmctx::MEMORY_BASE) and restores the caller's r15.
global_asm!(
    ".text",
    ".p2align 4",
    ".globl walic_call_wasm",
    ".hidden walic_call_wasm",
    ".type walic_call_wasm,@function",
    "walic_call_wasm:",
    "    push r15",
    "    mov r15, [rdi + {memory_base}]",
    "    call r8",
    "    pop r15",
    "    ret",
    ".size walic_call_wasm, .-walic_call_wasm",
    memory_base = const walic_loader::vmctx::MEMORY_BASE,
);

global_asm!(
    ".text",
    ".p2align 4",
    ".globl walic_context_call",
    ".hidden walic_context_call",
    ".type walic_context_call,@function",
    "walic_context_call:",
    "    push rbp",
    "    mov rbp, rsp",
    "    mov [rdi], rbx",
    "    mov [rdi + 8], rbp",
    "    mov [rdi + 16], r12",
    "    mov [rdi + 24], r13",
    "    mov [rdi + 32], r14",
    "    mov [rdi + 40], r15",
    "    mov [rdi + 48], rsp",
    "    lea rax, [rip + 2f]",
    "    mov [rdi + 56], rax",
    "    mov rax, rsi",
    "    mov rdi, rdx",
    "    call rax",
    "    xor eax, eax",
    "2:",
    "    pop rbp",
    "    ret",
    ".size walic_context_call, .-walic_context_call",
    "",
    ".p2align 4",
    ".globl walic_context_resume",
    ".hidden walic_context_resume",
    ".type walic_context_resume,@function",
    "walic_context_resume:",
    "    mov rax, rsi",
    "    mov rbx, [rdi]",
    "    mov rbp, [rdi + 8]",
    "    mov r12, [rdi + 16]",
    "    mov r13, [rdi + 24]",
    "    mov r14, [rdi + 32]",
    "    mov r15, [rdi + 40]",
    "    mov rsp, [rdi + 48]",
    "    jmp qword ptr [rdi + 56]",
    ".size walic_context_resume, .-walic_context_resume",
    "",
    ".p2align 4",
    ".globl walic_call_on_stack",
    ".hidden walic_call_on_stack",
    ".type walic_call_on_stack,@function",
    "walic_call_on_stack:",
    "    push rbp",
    "    mov rbp, rsp",
    "    mov rsp, rdx",
    "    call rsi",
    "    mov rsp, rbp",
    "    pop rbp",
    "    ret",
    ".size walic_call_on_stack, .-walic_call_on_stack",
    "",
    ".p2align 4",
    ".globl walic_signal_restorer",
    ".hidden walic_signal_restorer",
    ".type walic_signal_restorer,@function",
    "walic_signal_restorer:",
    "    mov eax, 15",
    "    syscall",
    "    ud2",
    ".size walic_signal_restorer, .-walic_signal_restorer",
);

extern "C" {
    fn walic_context_call(
        ctx: *mut JumpContext,
        f: unsafe extern "C" fn(*mut c_void),
        arg: *mut c_void,
    ) -> u64;
    fn walic_context_resume(ctx: *const JumpContext, value: u64) -> !;
    fn walic_call_on_stack(arg: *mut c_void, f: unsafe extern "C" fn(*mut c_void), top: *mut u8);
    fn walic_signal_restorer();
    fn walic_call_wasm(
        vmctx: *mut walic_loader::vmctx::VmContext,
        a1: u64,
        a2: u64,
        a3: u64,
        code: *const u8,
    ) -> u64;
}

/// Calls compiled code `code` as `extern "C" fn(vmctx, a1, a2, a3)` (extra arguments are ignored
/// by callees that take fewer), the only way runtime code enters wasm code: generated code
/// expects the linear-memory base in its pinned register.
///
/// Wasm functions use Cranelift's `tail` convention (for `return_call`); a SysV call of one whose
/// parameters are at most three integers and which has no results is the same call on x86-64
/// (see `walic::translate::WASM_CALL_CONV`). Results are read only from SysV entries.
///
/// # Safety
/// `code` must be compiled code whose parameters after the context are at most three integers
/// (and, for a wasm function, which has no results), and `vmctx` the calling thread's live
/// context.
pub(crate) unsafe fn call_wasm(
    code: *const u8,
    vmctx: *mut walic_loader::vmctx::VmContext,
    args: [u64; 3],
) -> u64 {
    // SAFETY: forwarded contract.
    unsafe { walic_call_wasm(vmctx, args[0], args[1], args[2], code) }
}

/// Calls `f(arg)` after recording the current context in `ctx`; returns 0 when `f` returns, or the
/// value passed to a later [`context_resume`] of `ctx`.
///
/// # Safety
/// `ctx` must stay valid while `f` runs; `f` must be safe to call with `arg`.
pub(crate) unsafe fn context_call(
    ctx: *mut JumpContext,
    f: unsafe extern "C" fn(*mut c_void),
    arg: *mut c_void,
) -> u64 {
    // SAFETY: forwarded contract.
    unsafe { walic_context_call(ctx, f, arg) }
}

/// Makes the [`context_call`] that filled `ctx` return `value` (non-zero), abandoning every frame
/// above it.
///
/// # Safety
/// The `context_call` must still be active on the current thread's stack, and the abandoned frames
/// must own nothing that needs releasing.
pub(crate) unsafe fn context_resume(ctx: *const JumpContext, value: u64) -> ! {
    // SAFETY: forwarded contract.
    unsafe { walic_context_resume(ctx, value) }
}

/// Calls `f(arg)` running on the stack whose (16-byte aligned) top is `top`.
///
/// # Safety
/// `[.., top)` must be a mapped, writable stack large enough for `f`.
pub(crate) unsafe fn call_on_stack(
    arg: *mut c_void,
    f: unsafe extern "C" fn(*mut c_void),
    top: *mut u8,
) {
    debug_assert!((top as usize).is_multiple_of(16));
    // SAFETY: forwarded contract.
    unsafe { walic_call_on_stack(arg, f, top) }
}

/// Address of the runtime's `rt_sigreturn` trampoline (for `sa_restorer`).
pub(crate) fn signal_restorer() -> usize {
    walic_signal_restorer as *const () as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    unsafe extern "C" fn escape(arg: *mut c_void) {
        let ctx = arg as *const JumpContext;
        // SAFETY: the context_call below is active.
        unsafe { context_resume(ctx, 42) }
    }

    unsafe extern "C" fn normal(arg: *mut c_void) {
        // SAFETY: arg points at a u32 in the caller's frame.
        unsafe { *(arg as *mut u32) = 7 };
    }

    #[test]
    fn context_call_returns_twice() {
        let mut ctx = JumpContext::default();
        let p = &mut ctx as *mut JumpContext;
        // SAFETY: ctx lives across the call.
        assert_eq!(unsafe { context_call(p, escape, p as *mut c_void) }, 42);
        let mut x = 0u32;
        // SAFETY: as above.
        let r = unsafe { context_call(p, normal, &mut x as *mut u32 as *mut c_void) };
        assert_eq!((r, x), (0, 7));
    }

    #[test]
    fn runs_on_another_stack() {
        let mut stack = vec![0u128; 64 * 1024];
        let top = stack.as_mut_ptr_range().end as *mut u8;
        let mut x = 0u32;
        // SAFETY: the stack is 1 MiB of writable memory.
        unsafe { call_on_stack(&mut x as *mut u32 as *mut c_void, normal, top) };
        assert_eq!(x, 7);
    }
}
