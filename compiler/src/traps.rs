//! The mapping from walic's trap reasons (`walic_loader::trap::Trap`) to Cranelift trap codes.

use cranelift_codegen::ir::TrapCode;
use walic_loader::trap::Trap;

/// The Cranelift trap code recorded for `trap`.
pub fn code(trap: Trap) -> TrapCode {
    match trap {
        Trap::StackOverflow => TrapCode::STACK_OVERFLOW,
        Trap::IntegerOverflow => TrapCode::INTEGER_OVERFLOW,
        Trap::HeapOutOfBounds => TrapCode::HEAP_OUT_OF_BOUNDS,
        Trap::IntegerDivisionByZero => TrapCode::INTEGER_DIVISION_BY_ZERO,
        Trap::BadConversionToInteger => TrapCode::BAD_CONVERSION_TO_INTEGER,
        other => TrapCode::unwrap_user(other.code()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_the_contract() {
        for trap in Trap::ALL {
            assert_eq!(code(trap).as_raw().get(), trap.code(), "{trap:?}");
        }
    }
}
