//! Trap codes: what generated code records for each trapping instruction, and how the runtime
//! reports it.
//!
//! The numeric values are Cranelift `TrapCode` bytes: codes 251..=255 are Cranelift's own reserved
//! codes (it emits them for stack checks and arithmetic by itself), 1..=250 are ours
//! (`TrapCode::user(n)`). Messages use the WebAssembly specification's wording so spec-test
//! expectations can be compared directly.
//!
//! A trap ends the program: the runtime prints one line on stderr,
//! `walic: wasm trap: <message> in function <name>`, and exits with [`TRAP_EXIT_STATUS`].

/// Exit status of a program that ended with a trap (the same status wasmtime uses: 128 + SIGABRT).
pub const TRAP_EXIT_STATUS: i32 = 134;

/// Every reason a wasm program can trap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Trap {
    /// `unreachable` was executed.
    Unreachable = 1,
    /// A table access (`table.get/set/init/copy/fill`, an element segment) was out of bounds.
    TableOutOfBounds = 2,
    /// `call_indirect` with an index past the end of the table.
    IndirectCallOutOfBounds = 3,
    /// `call_indirect` reached a null table entry.
    IndirectCallToNull = 4,
    /// `call_indirect` reached a function of a different type.
    BadSignature = 5,
    /// An atomic access whose address is not a multiple of its size.
    UnalignedAtomic = 6,
    /// `memory.atomic.wait` on a memory that is not shared.
    WaitOnUnsharedMemory = 7,
    /// The native stack is exhausted (deep or infinite recursion).
    StackOverflow = 251,
    /// Signed division overflow (`INT_MIN / -1`) or an out-of-range float-to-int conversion.
    IntegerOverflow = 252,
    /// A memory access outside linear memory.
    HeapOutOfBounds = 253,
    /// Integer division or remainder by zero.
    IntegerDivisionByZero = 254,
    /// A float-to-int conversion of NaN.
    BadConversionToInteger = 255,
}

impl Trap {
    /// Every trap, for tables and tests.
    pub const ALL: [Trap; 12] = [
        Trap::Unreachable,
        Trap::TableOutOfBounds,
        Trap::IndirectCallOutOfBounds,
        Trap::IndirectCallToNull,
        Trap::BadSignature,
        Trap::UnalignedAtomic,
        Trap::WaitOnUnsharedMemory,
        Trap::StackOverflow,
        Trap::IntegerOverflow,
        Trap::HeapOutOfBounds,
        Trap::IntegerDivisionByZero,
        Trap::BadConversionToInteger,
    ];

    /// The trap with this code byte, if any.
    pub fn from_code(code: u8) -> Option<Trap> {
        Self::ALL.into_iter().find(|t| *t as u8 == code)
    }

    /// The code byte generated code records (`TrapCode::user` for codes below 251).
    pub const fn code(self) -> u8 {
        self as u8
    }

    /// The specification's wording for this trap.
    pub const fn message(self) -> &'static str {
        match self {
            Trap::Unreachable => "unreachable",
            Trap::TableOutOfBounds => "out of bounds table access",
            Trap::IndirectCallOutOfBounds => "undefined element",
            Trap::IndirectCallToNull => "uninitialized element",
            Trap::BadSignature => "indirect call type mismatch",
            Trap::UnalignedAtomic => "unaligned atomic",
            Trap::WaitOnUnsharedMemory => "expected shared memory",
            Trap::StackOverflow => "call stack exhausted",
            Trap::IntegerOverflow => "integer overflow",
            Trap::HeapOutOfBounds => "out of bounds memory access",
            Trap::IntegerDivisionByZero => "integer divide by zero",
            Trap::BadConversionToInteger => "invalid conversion to integer",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for t in Trap::ALL {
            assert_eq!(Trap::from_code(t.code()), Some(t));
        }
        assert_eq!(Trap::from_code(0), None);
        assert_eq!(Trap::from_code(100), None);
    }
}
