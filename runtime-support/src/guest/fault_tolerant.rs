//! Fault-tolerant copies to and from guest memory: the runtime's `copy_from_user`.
//!
//! A guest range inside `memory.size` may still be inaccessible: a page the program `munmap`ed
//! (turned back into `PROT_NONE` reservation), `mprotect`ed to `PROT_NONE`, or a shared file
//! mapping past the end of its file (SIGBUS). The kernel answers `EFAULT` when it meets such a
//! page in a buffer handed to it; the runtime must do the same when its own code reads or writes
//! guest memory (iovec arrays, `msghdr`, string scans, …) instead of dying in the fault.
//!
//! As in the Linux kernel, every such access goes through a few small assembly routines that
//! sit between two labels, [`walic_guest_access_start`, `walic_guest_access_end`). They are
//! leaf functions that never touch the stack, so when the fault handler (`crate::traps`) sees a
//! SIGSEGV or SIGBUS at a PC inside them, on a guest address, it only has to move the PC to
//! `walic_guest_access_fault`, which returns -1 (see [`resume_address`]). The routines report
//! the fault; the accessors in [`crate::guest`] turn it into `-EFAULT`.
//!
//! Bytes already copied when the fault happened stay copied (the kernel's `copy_to_user` leaves
//! a partial copy too); callers treat a failed copy as failed as a whole.
//!
//! The copies are ordinary loads and stores of unspecified width and order, so guest threads
//! writing the same bytes concurrently see the same (absence of) guarantees as with the kernel.

use core::arch::global_asm;

// walic_guest_copy(dst: rdi, src: rsi, len: rdx) -> rax: 0, or -1 if an access faulted.
//   Up to 32 bytes: two possibly overlapping loads and stores of the largest width that fits
//   (8-byte ones up to 16 bytes, so a 16-byte structure just written as two 8-byte fields is
//   read back through store forwarding); up to 256: 16-byte chunks and one final overlapping
//   chunk; beyond: `rep movsb`.
// walic_guest_string_length(start: rdi, limit: rsi) -> rax: the index of the first NUL among the
//   `limit` bytes at `start`, `limit` if there is none, or -1 if an access faulted. It compares
//   aligned 16-byte blocks with zero (SSE2, part of x86-64): an aligned block never crosses a
//   page boundary, so it touches only pages holding bytes the scan needs (bytes before `start`
//   or after the NUL or the limit in the same block share their page), and a fault always means
//   a byte before the NUL or the limit is inaccessible.
// walic_guest_access_fault: where the fault handler resumes a faulting routine.
global_asm!(
    ".text",
    ".p2align 4",
    ".globl walic_guest_access_start",
    ".hidden walic_guest_access_start",
    "walic_guest_access_start:",
    "",
    ".globl walic_guest_copy",
    ".hidden walic_guest_copy",
    ".type walic_guest_copy,@function",
    "walic_guest_copy:",
    "    cmp rdx, 32",
    "    ja .Lcopy_large",
    "    cmp rdx, 16",
    "    ja .Lcopy_17_to_32",
    "    cmp rdx, 8",
    "    jae .Lcopy_8_to_16",
    "    cmp rdx, 4",
    "    jae .Lcopy_4_to_7",
    "    test rdx, rdx",
    "    jz .Lcopy_done",
    // 1 to 3 bytes: the first, the last, and the middle one of 3.
    "    movzx eax, byte ptr [rsi]",
    "    movzx ecx, byte ptr [rsi + rdx - 1]",
    "    cmp rdx, 3",
    "    jb .Lcopy_ends",
    "    movzx r8d, byte ptr [rsi + 1]",
    "    mov byte ptr [rdi + 1], r8b",
    ".Lcopy_ends:",
    "    mov byte ptr [rdi], al",
    "    mov byte ptr [rdi + rdx - 1], cl",
    ".Lcopy_done:",
    "    xor eax, eax",
    "    ret",
    ".Lcopy_4_to_7:",
    "    mov eax, dword ptr [rsi]",
    "    mov ecx, dword ptr [rsi + rdx - 4]",
    "    mov dword ptr [rdi], eax",
    "    mov dword ptr [rdi + rdx - 4], ecx",
    "    xor eax, eax",
    "    ret",
    ".Lcopy_8_to_16:",
    "    mov rax, qword ptr [rsi]",
    "    mov rcx, qword ptr [rsi + rdx - 8]",
    "    mov qword ptr [rdi], rax",
    "    mov qword ptr [rdi + rdx - 8], rcx",
    "    xor eax, eax",
    "    ret",
    ".Lcopy_17_to_32:",
    "    movups xmm0, xmmword ptr [rsi]",
    "    movups xmm1, xmmword ptr [rsi + rdx - 16]",
    "    movups xmmword ptr [rdi], xmm0",
    "    movups xmmword ptr [rdi + rdx - 16], xmm1",
    "    xor eax, eax",
    "    ret",
    ".Lcopy_large:",
    "    cmp rdx, 256",
    "    ja .Lcopy_rep",
    // 33 to 256 bytes: 16-byte chunks, then the last 16 bytes (overlapping the last chunk).
    "    movups xmm1, xmmword ptr [rsi + rdx - 16]",
    "    lea r8, [rdi + rdx - 16]",
    ".Lcopy_chunk:",
    "    movups xmm0, xmmword ptr [rsi]",
    "    movups xmmword ptr [rdi], xmm0",
    "    add rsi, 16",
    "    add rdi, 16",
    "    sub rdx, 16",
    "    cmp rdx, 16",
    "    ja .Lcopy_chunk",
    "    movups xmmword ptr [r8], xmm1",
    "    xor eax, eax",
    "    ret",
    ".Lcopy_rep:",
    "    mov rcx, rdx",
    "    rep movsb",
    "    xor eax, eax",
    "    ret",
    ".size walic_guest_copy, .-walic_guest_copy",
    "",
    ".p2align 4",
    ".globl walic_guest_string_length",
    ".hidden walic_guest_string_length",
    ".type walic_guest_string_length,@function",
    "walic_guest_string_length:",
    "    xor eax, eax",
    "    test rsi, rsi",
    "    jz .Lstring_return",
    "    mov rdx, rdi",
    "    and rdx, -16",
    "    pxor xmm0, xmm0",
    // The first block, without the bytes before `start`.
    "    movdqa xmm1, xmmword ptr [rdx]",
    "    pcmpeqb xmm1, xmm0",
    "    pmovmskb r8d, xmm1",
    "    mov ecx, edi",
    "    and ecx, 15",
    "    shr r8d, cl",
    "    shl r8d, cl",
    "    test r8d, r8d",
    "    jnz .Lstring_nul",
    ".Lstring_block:",
    "    add rdx, 16",
    "    mov rax, rdx",
    "    sub rax, rdi",
    "    cmp rax, rsi",
    "    jae .Lstring_limit",
    "    movdqa xmm1, xmmword ptr [rdx]",
    "    pcmpeqb xmm1, xmm0",
    "    pmovmskb r8d, xmm1",
    "    test r8d, r8d",
    "    jz .Lstring_block",
    ".Lstring_nul:",
    "    bsf r8d, r8d",
    "    lea rax, [rdx + r8]",
    "    sub rax, rdi",
    "    cmp rax, rsi",
    "    cmova rax, rsi",
    ".Lstring_return:",
    "    ret",
    ".Lstring_limit:",
    "    mov rax, rsi",
    "    ret",
    ".size walic_guest_string_length, .-walic_guest_string_length",
    "",
    ".p2align 4",
    ".globl walic_guest_access_fault",
    ".hidden walic_guest_access_fault",
    "walic_guest_access_fault:",
    "    mov rax, -1",
    "    ret",
    "",
    ".globl walic_guest_access_end",
    ".hidden walic_guest_access_end",
    "walic_guest_access_end:",
);

extern "C" {
    fn walic_guest_access_start();
    fn walic_guest_access_end();
    fn walic_guest_access_fault();
    fn walic_guest_copy(dst: *mut u8, src: *const u8, len: usize) -> i64;
    fn walic_guest_string_length(start: *const u8, limit: usize) -> i64;
}

/// An access to guest memory hit an inaccessible page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fault;

/// Copies `len` bytes from `src` to `dst`, either of which may be inaccessible guest memory.
///
/// # Safety
/// Both ranges must be mapped or reserved memory that no Rust reference aliases: host buffers
/// the caller owns, or ranges inside the linear-memory reservation (checked against
/// `memory.size`). A fault outside the reservation is not recovered; it is a genuine crash.
#[inline]
pub unsafe fn copy(dst: *mut u8, src: *const u8, len: usize) -> Result<(), Fault> {
    // SAFETY: the routine accesses exactly the two ranges the caller vouches for, and returns
    // -1 instead of faulting on an inaccessible guest page.
    match unsafe { walic_guest_copy(dst, src, len) } {
        0 => Ok(()),
        _ => Err(Fault),
    }
}

/// The index of the first NUL among the `limit` bytes at `start` (`limit` if there is none),
/// reading only as far as needed; `Err` if a byte before that is inaccessible.
///
/// # Safety
/// `[start, start + limit)` must lie inside the linear-memory reservation and below
/// `memory.size` (so every aligned 16-byte block holding one of its bytes is guest memory too).
#[inline]
pub unsafe fn string_length(start: *const u8, limit: usize) -> Result<usize, Fault> {
    // SAFETY: as for `copy`; the routine reads aligned blocks holding bytes of the range only.
    match unsafe { walic_guest_string_length(start, limit) } {
        n if n >= 0 => Ok(n as usize),
        _ => Err(Fault),
    }
}

/// Where to resume after a SIGSEGV or SIGBUS at `pc`: the routines' failure exit when `pc` lies
/// inside one of them, `None` otherwise (a fault anywhere else is not an access of this module).
pub(crate) fn resume_address(pc: usize) -> Option<usize> {
    let start = walic_guest_access_start as *const () as usize;
    let end = walic_guest_access_end as *const () as usize;
    (start..end)
        .contains(&pc)
        .then_some(walic_guest_access_fault as *const () as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_every_length_exactly() {
        let source: Vec<u8> = (0..600u32).map(|i| (i * 7 + 3) as u8).collect();
        for len in (0..=300).chain([511, 600]) {
            for offset in [0usize, 1, 7] {
                let mut target = vec![0xEEu8; 620];
                // SAFETY: host buffers large enough for `offset + len` bytes.
                let r = unsafe {
                    copy(
                        target.as_mut_ptr().add(offset),
                        source.as_ptr().add(offset % 3),
                        len.min(600 - offset % 3),
                    )
                };
                assert_eq!(r, Ok(()));
                let n = len.min(600 - offset % 3);
                assert_eq!(
                    target[offset..offset + n],
                    source[offset % 3..offset % 3 + n]
                );
                assert!(target[..offset].iter().all(|&b| b == 0xEE));
                assert!(target[offset + n..].iter().all(|&b| b == 0xEE), "{len}");
            }
        }
    }

    #[test]
    fn string_lengths_at_every_alignment() {
        // Aligned, so the words the routine reads around the range are the buffer's own.
        #[repr(C, align(16))]
        struct Words([u8; 64]);
        let mut words = Words([b'x'; 64]);
        words.0[40] = 0;
        let bytes = &words.0;
        for start in 0..48 {
            for limit in [0usize, 1, 5, 8, 16, 39, 40, 41, 64] {
                let limit = limit.min(64 - start);
                // SAFETY: `[start, start + limit)` is inside the buffer, whose aligned 16-byte
                // blocks are all its own.
                let n = unsafe { string_length(bytes.as_ptr().add(start), limit) };
                let expected = if start <= 40 {
                    (40 - start).min(limit)
                } else {
                    limit
                };
                assert_eq!(n, Ok(expected), "start {start} limit {limit}");
            }
        }
    }

    #[test]
    fn pcs_inside_the_routines_resume_at_the_failure_exit() {
        let copy_entry = walic_guest_copy as *const () as usize;
        let fault = walic_guest_access_fault as *const () as usize;
        assert_eq!(resume_address(copy_entry + 4), Some(fault));
        assert_eq!(
            resume_address(walic_guest_string_length as *const () as usize),
            Some(fault)
        );
        assert_eq!(
            resume_address(walic_guest_access_end as *const () as usize),
            None
        );
        assert_eq!(resume_address(resume_address as *const () as usize), None);
    }
}
