//! setjmp / sigsetjmp / longjmp (ABI.md §8) with the compiler's guard protocol
//! (`walic_loader::symbols::{SETJMP, GUARDED_CALL}`).
//!
//! A wasm function that calls setjmp makes every call through [`walic_rt_guarded_call`] (assembly
//! below): it saves the callee-saved registers and its own stack pointer in a record on its frame,
//! links the record into `vmctx.guard_chain` with the caller's `frame`, calls the thunk and unlinks.
//! `setjmp` itself ([`walic_rt_setjmp`]) writes a token into the guest `jmp_buf`; `longjmp` validates
//! the token, finds the live record with the token's frame in this thread's chain, restores
//! `__stack_pointer` (and the signal mask for `sigsetjmp(env, 1)`), and resumes the record, so the
//! guarded call returns `(site << 32) | value` and generated code continues after setjmp call site
//! `site`.
//!
//! The token lives in `__jb` (first 48 bytes of the 344-byte wasm `jmp_buf`): magic, thread serial,
//! frame, function index and site, saved `__stack_pointer`, and a keyed checksum over all of it and
//! over `__fl`/`__ss` (the saved-mask flag at 208 and the mask at 216). The key is random per
//! process (inherited by fork children, so a child may longjmp to a setjmp made before the fork, as
//! bash does). No host address from guest memory is ever used: the frame value is only compared
//! with live records. A bad token prints `walic: longjmp with a corrupt jmp_buf`; no live record
//! prints `walic: longjmp to a function that has already returned`; both exit with status 134.
//!
//! Longjmp out of a signal handler works wherever the handler ran: at a poll point the runtime
//! frames between the poll and the handler are abandoned; inside the native handler (interrupted
//! compiled code or a blocking call) the kernel's signal frame is abandoned as well, as a native
//! longjmp out of a handler does. The mask is then whatever the handler ran with, unless the
//! jmp_buf saved one (siglongjmp semantics). A function that calls setjmp defers signals while its
//! own code runs (`walic_loader::metadata::function_flags::DEFERS_SIGNALS`): its handlers run only
//! inside its guarded calls (this trampoline delivers recorded signals once the record is linked)
//! or after it returns, so a handler's longjmp into it always finds its record.

use core::arch::global_asm;
use core::sync::atomic::{AtomicU64, Ordering};

use walic_loader::trap::Trap;
use walic_loader::vmctx::{VmContext, GUARD_CHAIN, SIGNAL_PENDING};

use crate::guest;
use crate::instance::{self, thread_of};
use crate::traps;

/// Size of the wasm `jmp_buf`.
const JMP_BUF_SIZE: u64 = 344;
/// Offset of `__fl` (saved-mask flag).
const FLAG_OFFSET: usize = 208;
/// Offset of `__ss` (saved mask, first 8 bytes).
const MASK_OFFSET: usize = 216;
/// First word of a token.
const TOKEN_MAGIC: u64 = u64::from_le_bytes(*b"WALICJB1");
/// Exit status after a failed longjmp (as a trap).
const LONGJMP_FAILURE_STATUS: i32 = 134;

/// Per-process key of the token checksum.
static KEY: AtomicU64 = AtomicU64::new(0x5eed_0f7a_1c00_u64);

/// Draws the checksum key (start-up).
pub(crate) fn init_key() {
    let mut key = 0u64;
    // SAFETY: getrandom into a local u64.
    let r = unsafe { libc::getrandom(&mut key as *mut u64 as *mut libc::c_void, 8, 0) };
    if r == 8 {
        KEY.store(key, Ordering::Relaxed);
    } else {
        // No entropy source: fall back to something process-specific.
        // SAFETY: plain syscalls.
        let mix =
            unsafe { libc::getpid() as u64 } ^ (&KEY as *const AtomicU64 as u64).rotate_left(29);
        KEY.store(mix, Ordering::Relaxed);
    }
}

/// Keyed checksum of a token's words.
fn checksum(key: u64, words: &[u64]) -> u64 {
    let mut h = key ^ 0x243f_6a88_85a3_08d3;
    for &w in words {
        h ^= w;
        h = h.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        h ^= h >> 31;
        h = h.rotate_left(27).wrapping_mul(0xff51_afd7_ed55_8ccd);
    }
    h ^ (h >> 33)
}

/// The decoded contents of a valid token.
#[derive(Debug, PartialEq, Eq)]
struct Token {
    serial: u64,
    frame: u64,
    func_index: u32,
    site: u32,
    stack_pointer: u32,
    saved_mask: Option<u64>,
}

fn encode(key: u64, t: &Token, buf: &mut [u8]) {
    let fl = t.saved_mask.is_some() as u64;
    let mask = t.saved_mask.unwrap_or(0);
    let words = [
        TOKEN_MAGIC,
        t.serial,
        t.frame,
        t.func_index as u64 | (t.site as u64) << 32,
        t.stack_pointer as u64,
    ];
    let sum = checksum(
        key,
        &[words[0], words[1], words[2], words[3], words[4], fl, mask],
    );
    for (i, w) in words.iter().chain(core::iter::once(&sum)).enumerate() {
        buf[i * 8..i * 8 + 8].copy_from_slice(&w.to_le_bytes());
    }
    buf[FLAG_OFFSET..FLAG_OFFSET + 8].copy_from_slice(&fl.to_le_bytes());
    buf[MASK_OFFSET..MASK_OFFSET + 8].copy_from_slice(&mask.to_le_bytes());
}

fn decode(key: u64, buf: &[u8]) -> Option<Token> {
    let word = |off: usize| u64::from_le_bytes(buf[off..off + 8].try_into().unwrap());
    let words = [word(0), word(8), word(16), word(24), word(32)];
    let sum = word(40);
    let fl = word(FLAG_OFFSET);
    let mask = word(MASK_OFFSET);
    if words[0] != TOKEN_MAGIC || fl > 1 {
        return None;
    }
    if checksum(
        key,
        &[words[0], words[1], words[2], words[3], words[4], fl, mask],
    ) != sum
    {
        return None;
    }
    Some(Token {
        serial: words[1],
        frame: words[2],
        func_index: words[3] as u32,
        site: (words[3] >> 32) as u32,
        stack_pointer: words[4] as u32,
        saved_mask: (fl == 1).then_some(mask),
    })
}

/// The first return of setjmp/sigsetjmp/_setjmp: writes the token, returns 0.
#[no_mangle]
pub extern "C" fn walic_rt_setjmp(
    vmctx: *mut VmContext,
    jmp_buf: u32,
    save_mask: u32,
    func_index: u32,
    site: u32,
    frame: u64,
) -> i32 {
    let Ok(p) = guest::translate_nonnull(jmp_buf, JMP_BUF_SIZE) else {
        traps::trap_in_function_index(Trap::HeapOutOfBounds, func_index);
    };
    // SAFETY: imports receive the calling thread's context.
    let state = unsafe { thread_of(vmctx) };
    // SAFETY: as above.
    let serial = if state.is_null() {
        0
    } else {
        unsafe { (*state).serial }
    };
    // SAFETY: the context is live.
    let stack_pointer = unsafe { instance::stack_pointer_slot(vmctx) }.map_or(0, |p| {
        // SAFETY: the slot is inside the context.
        unsafe { *p }
    });
    let token = Token {
        serial,
        frame,
        func_index,
        site,
        stack_pointer,
        saved_mask: (save_mask != 0).then(crate::signals::current_mask),
    };
    // SAFETY: 344 bytes inside linear memory.
    let buf = unsafe { core::slice::from_raw_parts_mut(p, JMP_BUF_SIZE as usize) };
    encode(KEY.load(Ordering::Relaxed), &token, buf);
    0
}

/// The record `walic_rt_guarded_call` keeps on its frame (layout used by the assembly).
#[repr(C)]
struct GuardRecord {
    prev: u64,
    frame: u64,
    vmctx: u64,
    registers: [u64; 6],
}

// walic_rt_guarded_call(vmctx, frame, thunk, slots) -> u64 (see walic_loader::symbols).
// Record at [rsp]: 0 prev, 8 frame, 16 vmctx, 24 rbx, 32 rbp, 40 r12, 48 r13, 56 r14, 64 r15;
// thunk and slots are kept at 72 and 80 across the signal delivery below.
// Between walic_guard_linked and walic_guard_unlinked the record is in the chain, so a handler's
// longjmp can reach the caller: the native signal handler may run wasm handlers there at once
// (`in_linked_window`). Signals recorded before the record was linked are delivered right after
// linking, before the thunk runs.
// walic_guard_resume(record, value) -> !: restores the record's registers and stack and makes its
// guarded call return `value`.
global_asm!(
    ".text",
    ".p2align 4",
    ".globl walic_rt_guarded_call",
    ".type walic_rt_guarded_call,@function",
    "walic_rt_guarded_call:",
    "    push rbp",
    "    mov rbp, rsp",
    "    sub rsp, 96",
    "    mov [rsp + 24], rbx",
    "    mov [rsp + 32], rbp",
    "    mov [rsp + 40], r12",
    "    mov [rsp + 48], r13",
    "    mov [rsp + 56], r14",
    "    mov [rsp + 64], r15",
    "    mov [rsp + 16], rdi",
    "    mov [rsp + 8], rsi",
    "    mov rax, [rdi + {chain}]",
    "    mov [rsp], rax",
    "    mov [rdi + {chain}], rsp",
    ".globl walic_guard_linked",
    ".hidden walic_guard_linked",
    "walic_guard_linked:",
    "    cmp dword ptr [rdi + {pending}], 0",
    "    je 2f",
    "    mov [rsp + 72], rdx",
    "    mov [rsp + 80], rcx",
    "    call {poll}",
    "    mov rdi, [rsp + 16]",
    "    mov rdx, [rsp + 72]",
    "    mov rcx, [rsp + 80]",
    "2:",
    "    mov rax, rdx",
    "    mov rsi, rcx",
    "    call rax",
    "    mov rdi, [rsp + 16]",
    "    mov rcx, [rsp]",
    "    mov [rdi + {chain}], rcx",
    ".globl walic_guard_unlinked",
    ".hidden walic_guard_unlinked",
    "walic_guard_unlinked:",
    "    xor eax, eax",
    "    leave",
    "    ret",
    ".size walic_rt_guarded_call, .-walic_rt_guarded_call",
    "",
    ".p2align 4",
    ".globl walic_guard_resume",
    ".hidden walic_guard_resume",
    ".type walic_guard_resume,@function",
    "walic_guard_resume:",
    "    mov rsp, rdi",
    "    mov rax, rsi",
    "    mov rbx, [rsp + 24]",
    "    mov rbp, [rsp + 32]",
    "    mov r12, [rsp + 40]",
    "    mov r13, [rsp + 48]",
    "    mov r14, [rsp + 56]",
    "    mov r15, [rsp + 64]",
    "    mov rdi, [rsp + 16]",
    "    mov rcx, [rsp]",
    "    mov [rdi + {chain}], rcx",
    "    leave",
    "    ret",
    ".size walic_guard_resume, .-walic_guard_resume",
    chain = const GUARD_CHAIN,
    pending = const SIGNAL_PENDING,
    poll = sym crate::signals::walic_rt_poll_signals,
);

extern "C" {
    fn walic_guard_resume(record: *const GuardRecord, value: u64) -> !;
    static walic_guard_linked: u8;
    static walic_guard_unlinked: u8;
}

/// Whether `pc` is where [`walic_rt_guarded_call`] has its record linked: a wasm signal handler
/// may run there at once, as in compiled code.
pub(crate) fn in_linked_window(pc: usize) -> bool {
    // Only the labels' addresses are taken.
    let (start, end) = (
        core::ptr::addr_of!(walic_guard_linked) as usize,
        core::ptr::addr_of!(walic_guard_unlinked) as usize,
    );
    (start..end).contains(&pc)
}

fn longjmp_failure(message: &[u8]) -> ! {
    traps::print_error(message);
    traps::exit_process(LONGJMP_FAILURE_STATUS)
}

/// `longjmp(env, val)` / `_longjmp` / `siglongjmp`.
fn longjmp(vmctx: *mut VmContext, jmp_buf: u32, value: u32) -> ! {
    let Ok(p) = guest::translate_nonnull(jmp_buf, JMP_BUF_SIZE) else {
        longjmp_failure(b"longjmp with a corrupt jmp_buf");
    };
    // SAFETY: 344 bytes inside linear memory.
    let buf = unsafe { core::slice::from_raw_parts(p, JMP_BUF_SIZE as usize) };
    let Some(token) = decode(KEY.load(Ordering::Relaxed), buf) else {
        longjmp_failure(b"longjmp with a corrupt jmp_buf");
    };
    // SAFETY: imports receive the calling thread's context.
    let state = unsafe { thread_of(vmctx) };
    // SAFETY: as above.
    if state.is_null() || unsafe { (*state).serial } != token.serial {
        longjmp_failure(b"longjmp to a function that has already returned");
    }
    // Find the live guard record of the setjmp's activation.
    // SAFETY: the chain links records on this thread's stack, all live.
    let record = unsafe {
        let mut r = (*vmctx).guard_chain.load(Ordering::Relaxed) as *const GuardRecord;
        while !r.is_null() && (*r).frame != token.frame {
            r = (*r).prev as *const GuardRecord;
        }
        r
    };
    if record.is_null() {
        longjmp_failure(b"longjmp to a function that has already returned");
    }
    // SAFETY: the context is live.
    if let Some(sp) = unsafe { instance::stack_pointer_slot(vmctx) } {
        // SAFETY: the slot is inside the context.
        unsafe { *sp = token.stack_pointer };
    }
    if let Some(mask) = token.saved_mask {
        crate::signals::restore_mask(mask);
    }
    // SAFETY: state checked non-null above.
    crate::signals::leave_blocking(unsafe { &*state });
    let value = if value == 0 { 1 } else { value };
    // SAFETY: the record is live on this thread's stack; the frames above it are compiled wasm
    // frames and runtime frames that own nothing.
    unsafe { walic_guard_resume(record, (token.site as u64) << 32 | value as u64) }
}

/// Import `longjmp(env, val)`.
#[no_mangle]
pub extern "C" fn walic_import_longjmp(
    vmctx: *mut VmContext,
    a0: u64,
    a1: u64,
    _a2: u64,
    _a3: u64,
    _a4: u64,
    _a5: u64,
) -> i64 {
    longjmp(vmctx, a0 as u32, a1 as u32)
}

/// Import `_longjmp(env, val)`.
#[no_mangle]
pub extern "C" fn walic_import__longjmp(
    vmctx: *mut VmContext,
    a0: u64,
    a1: u64,
    _a2: u64,
    _a3: u64,
    _a4: u64,
    _a5: u64,
) -> i64 {
    longjmp(vmctx, a0 as u32, a1 as u32)
}

/// Import `setjmp` reached as a plain call (e.g. through the table), which cannot return twice:
/// returns 0 and saves nothing, as the reference runtime does; a later longjmp reports a corrupt
/// jmp_buf.
#[no_mangle]
pub extern "C" fn walic_import_setjmp(
    _vmctx: *mut VmContext,
    _a0: u64,
    _a1: u64,
    _a2: u64,
    _a3: u64,
    _a4: u64,
    _a5: u64,
) -> i64 {
    0
}

/// Import `_setjmp` as a plain call (see [`walic_import_setjmp`]).
#[no_mangle]
pub extern "C" fn walic_import__setjmp(
    _vmctx: *mut VmContext,
    _a0: u64,
    _a1: u64,
    _a2: u64,
    _a3: u64,
    _a4: u64,
    _a5: u64,
) -> i64 {
    0
}

/// Import `sigsetjmp` as a plain call (see [`walic_import_setjmp`]).
#[no_mangle]
pub extern "C" fn walic_import_sigsetjmp(
    _vmctx: *mut VmContext,
    _a0: u64,
    _a1: u64,
    _a2: u64,
    _a3: u64,
    _a4: u64,
    _a5: u64,
) -> i64 {
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Token {
        Token {
            serial: 3,
            frame: 0x7fff_1234_5670,
            func_index: 42,
            site: 7,
            stack_pointer: 65_000,
            saved_mask: Some(0x4002),
        }
    }

    #[test]
    fn tokens_round_trip() {
        let mut buf = [0u8; 344];
        encode(99, &sample(), &mut buf);
        assert_eq!(decode(99, &buf), Some(sample()));
        let plain = Token {
            saved_mask: None,
            ..sample()
        };
        encode(99, &plain, &mut buf);
        assert_eq!(decode(99, &buf), Some(plain));
    }

    #[test]
    fn forged_or_corrupted_tokens_are_rejected() {
        let mut buf = [0u8; 344];
        encode(99, &sample(), &mut buf);
        // Another key (another process) does not validate.
        assert_eq!(decode(100, &buf), None);
        // Any changed byte of the token, the flag or the mask is detected.
        for off in (0..48).chain(208..224) {
            let mut bad = buf;
            bad[off] ^= 0x10;
            assert_eq!(decode(99, &bad), None, "byte {off}");
        }
        // The rest of the buffer is free for the program.
        let mut other = buf;
        other[100] = 1;
        other[300] = 1;
        assert!(decode(99, &other).is_some());
        assert_eq!(decode(99, &[0u8; 344]), None);
    }

    #[test]
    fn guard_record_layout_matches_the_assembly() {
        assert_eq!(core::mem::size_of::<GuardRecord>(), 72);
        assert_eq!(core::mem::offset_of!(GuardRecord, registers), 24);
    }
}
