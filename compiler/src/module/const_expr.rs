//! Evaluation of constant expressions (global initializers, segment offsets, element items).
//!
//! walic evaluates every constant expression at compile time: the only globals a constant
//! expression may read are imported ones (refused outside spec-test mode, constants inside it) or,
//! with extended-const, immutable ones whose value is already known.

use super::{ConstValue, FuncIndex, Global, GlobalIndex};
use crate::error::{Error, Result};
use cranelift_entity::{EntityRef, PrimaryMap};
use wasmparser::{ConstExpr, Operator};

/// Evaluates `expr` given the globals defined before it.
pub fn evaluate(
    expr: &ConstExpr<'_>,
    globals: &PrimaryMap<GlobalIndex, Global>,
) -> Result<ConstValue> {
    let mut reader = expr.get_operators_reader();
    let mut stack: Vec<ConstValue> = Vec::new();
    loop {
        let offset = reader.original_position();
        let op = reader.read().map_err(Error::from)?;
        let bad = |what: &str| Error::Invalid {
            offset,
            message: format!("unsupported constant expression: {what}"),
        };
        let value = match op {
            Operator::End => break,
            Operator::I32Const { value } => ConstValue::I32(value),
            Operator::I64Const { value } => ConstValue::I64(value),
            Operator::F32Const { value } => ConstValue::F32(value.bits()),
            Operator::F64Const { value } => ConstValue::F64(value.bits()),
            Operator::V128Const { value } => ConstValue::V128(value.i128() as u128),
            Operator::RefNull { .. } => ConstValue::Null,
            Operator::RefFunc { function_index } => {
                ConstValue::FuncRef(FuncIndex::from_u32(function_index))
            }
            Operator::GlobalGet { global_index } => {
                let g = globals
                    .get(GlobalIndex::new(global_index as usize))
                    .ok_or_else(|| bad("global.get of an unknown global"))?;
                if g.mutable {
                    return Err(bad("global.get of a mutable global"));
                }
                g.init
            }
            Operator::I32Add | Operator::I32Sub | Operator::I32Mul => {
                let (b, a) = (stack.pop(), stack.pop());
                match (a, b) {
                    (Some(ConstValue::I32(a)), Some(ConstValue::I32(b))) => {
                        ConstValue::I32(match op {
                            Operator::I32Add => a.wrapping_add(b),
                            Operator::I32Sub => a.wrapping_sub(b),
                            _ => a.wrapping_mul(b),
                        })
                    }
                    _ => return Err(bad("ill-typed i32 arithmetic")),
                }
            }
            Operator::I64Add | Operator::I64Sub | Operator::I64Mul => {
                let (b, a) = (stack.pop(), stack.pop());
                match (a, b) {
                    (Some(ConstValue::I64(a)), Some(ConstValue::I64(b))) => {
                        ConstValue::I64(match op {
                            Operator::I64Add => a.wrapping_add(b),
                            Operator::I64Sub => a.wrapping_sub(b),
                            _ => a.wrapping_mul(b),
                        })
                    }
                    _ => return Err(bad("ill-typed i64 arithmetic")),
                }
            }
            other => return Err(bad(&format!("{other:?}"))),
        };
        stack.push(value);
    }
    match (stack.pop(), stack.is_empty()) {
        (Some(v), true) => Ok(v),
        _ => Err(Error::Invalid {
            offset: reader.original_position(),
            message: "constant expression must produce exactly one value".into(),
        }),
    }
}
