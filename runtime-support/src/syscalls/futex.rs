//! `futex`, on host addresses inside the shared linear memory (so futex waits and wakes made by
//! wasm code through this import and through `memory.atomic.wait/notify` meet on the same keys).
//!
//! The fourth argument is a `struct timespec *` only for the waiting operations; for the
//! requeue and wake-op operations it is the integer `val2` and passes unchanged (the reference
//! runtime translates it as a pointer, breaking the libc's condition variables). `uaddr2` is
//! translated only for the operations that use it.

use walic_loader::vmctx::VmContext;

use super::args::{addr, int, uint};
use super::blocking;
use crate::guest;

/// The operation bits of the `op` argument (`FUTEX_CMD_MASK`: without `FUTEX_PRIVATE_FLAG` and
/// `FUTEX_CLOCK_REALTIME`).
const FUTEX_CMD_MASK: i32 = !(libc::FUTEX_PRIVATE_FLAG | libc::FUTEX_CLOCK_REALTIME);

/// Size of a futex word.
const WORD_BYTES: u64 = 4;
/// Size of `struct timespec`.
const TIMESPEC_BYTES: u64 = 16;

/// How an operation uses its arguments.
#[derive(Debug, PartialEq, Eq)]
struct Operation {
    /// Argument 4 is a timeout pointer (else an integer).
    timeout: bool,
    /// `uaddr2` is used.
    second_word: bool,
    /// The operation can sleep.
    waits: bool,
}

/// Classifies a futex operation (`op & FUTEX_CMD_MASK`).
fn operation(op: i32) -> Operation {
    let (timeout, second_word, waits) = match op & FUTEX_CMD_MASK {
        libc::FUTEX_WAIT | libc::FUTEX_WAIT_BITSET => (true, false, true),
        libc::FUTEX_LOCK_PI | libc::FUTEX_LOCK_PI2 => (true, false, true),
        libc::FUTEX_WAIT_REQUEUE_PI => (true, true, true),
        libc::FUTEX_REQUEUE | libc::FUTEX_CMP_REQUEUE | libc::FUTEX_WAKE_OP => (false, true, false),
        libc::FUTEX_CMP_REQUEUE_PI => (false, true, false),
        // WAKE, FD, UNLOCK_PI, TRYLOCK_PI, WAKE_BITSET, and unknown operations (the kernel
        // answers ENOSYS for those without looking at the pointers).
        _ => (false, false, false),
    };
    Operation {
        timeout,
        second_word,
        waits,
    }
}

/// `futex(uaddr, op, val, timeout_or_val2, uaddr2, val3)`.
#[no_mangle]
pub extern "C" fn walic_import_SYS_futex(
    vmctx: *mut VmContext,
    uaddr: u64,
    op: u64,
    val: u64,
    timeout_or_val2: u64,
    uaddr2: u64,
    val3: u64,
) -> i64 {
    let op = int(op);
    let kind = operation(op as i32);
    let uaddr = checked!(guest::translate(addr(uaddr), WORD_BYTES));
    let argument4 = if kind.timeout {
        checked!(guest::translate(addr(timeout_or_val2), TIMESPEC_BYTES)) as u64
    } else {
        uint(timeout_or_val2)
    };
    let uaddr2 = if kind.second_word {
        checked!(guest::translate(addr(uaddr2), WORD_BYTES)) as u64
    } else {
        uint(uaddr2)
    };
    // SAFETY: `uaddr`, and the timeout and `uaddr2` whenever the operation uses them as
    // pointers, are checked guest ranges; otherwise the kernel ignores those registers or reads
    // them as integers.
    let call = || unsafe {
        syscall!(
            libc::SYS_futex,
            uaddr,
            op,
            uint(val),
            argument4,
            uaddr2,
            uint(val3)
        )
    };
    if kind.waits {
        blocking(vmctx, call)
    } else {
        call()
    }
}

registry![walic_import_SYS_futex];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_are_decoded_without_flags() {
        let wait = operation(libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG);
        assert!(wait.timeout && wait.waits && !wait.second_word);
        let requeue = operation(libc::FUTEX_REQUEUE | libc::FUTEX_PRIVATE_FLAG);
        assert!(!requeue.timeout && requeue.second_word && !requeue.waits);
        let bitset = operation(libc::FUTEX_WAIT_BITSET | libc::FUTEX_CLOCK_REALTIME);
        assert!(bitset.timeout);
        let wake = operation(libc::FUTEX_WAKE);
        assert!(!wake.timeout && !wake.second_word && !wake.waits);
    }
}
