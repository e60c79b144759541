//! Globals: mutable globals live in per-thread context slots (ABI.md §7: `__stack_pointer` and
//! `__tls_base` are per thread); immutable globals are folded to constants.

use super::clif_type;
use super::function::FuncTranslator;
use crate::module::{ConstValue, GlobalIndex, ValType};
use cranelift_codegen::ir::{immediates, types, InstBuilder, MemFlagsData, Value};
use walic_loader::vmctx::global_offset;

impl FuncTranslator<'_, '_, '_> {
    /// The IR value of a compile-time constant.
    pub(crate) fn const_value(&mut self, value: ConstValue) -> Value {
        match value {
            ConstValue::I32(v) => self.b.ins().iconst(types::I32, i64::from(v)),
            ConstValue::I64(v) => self.b.ins().iconst(types::I64, v),
            ConstValue::F32(bits) => self.b.ins().f32const(immediates::Ieee32::with_bits(bits)),
            ConstValue::F64(bits) => self.b.ins().f64const(immediates::Ieee64::with_bits(bits)),
            ConstValue::V128(bits) => {
                let c = self
                    .b
                    .func
                    .dfg
                    .constants
                    .insert(bits.to_le_bytes().to_vec().into());
                self.b.ins().vconst(types::I8X16, c)
            }
            ConstValue::Null => self.b.ins().iconst(types::I64, 0),
            ConstValue::FuncRef(f) => self.funcref_address(f),
        }
    }

    pub(crate) fn translate_global_get(&mut self, index: u32) {
        let g = &self.env.module.globals[GlobalIndex::from_u32(index)];
        let v = match g.slot {
            Some(slot) => {
                let ty = clif_type(g.ty);
                let flags = global_flags(g.ty).with_alias_region(Some(self.globals_region));
                self.b
                    .ins()
                    .load(ty, flags, self.vmctx, global_offset(slot))
            }
            None => self.const_value(g.init),
        };
        self.push(v);
    }

    pub(crate) fn translate_global_set(&mut self, index: u32) {
        let g = &self.env.module.globals[GlobalIndex::from_u32(index)];
        let slot = g
            .slot
            .expect("validated: global.set targets a mutable global");
        let v = self.pop();
        let flags = global_flags(g.ty).with_alias_region(Some(self.globals_region));
        self.b
            .ins()
            .store(flags, v, self.vmctx, global_offset(slot));
    }
}

/// Flags of a global slot access: slots are 8-byte aligned, so a v128 is not naturally aligned
/// (an `aligned` vector load could be folded into an SSE operand that faults when unaligned).
fn global_flags(ty: ValType) -> MemFlagsData {
    match ty {
        ValType::V128 => MemFlagsData::new().with_notrap(),
        _ => MemFlagsData::trusted(),
    }
}
