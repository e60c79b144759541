//! Fixed-width SIMD (`v128`) and relaxed SIMD.
//!
//! A v128 is an `I8X16` everywhere a value is stored or passed (operand stack, locals, block
//! parameters, globals, signatures); each operator bitcasts its operands to the lane shape it
//! works on (a register move at most, which the register allocator usually removes) and its
//! result back to `I8X16`.
//!
//! Most operators map to one Cranelift instruction with the wasm semantics (Cranelift's SIMD
//! instructions were designed for wasm: shift amounts are taken modulo the lane width, `swizzle`
//! gives 0 for out-of-range indices, `fmin`/`fmax` propagate NaN and order -0 below +0,
//! `fcvt_to_*_sat` saturate and map NaN to 0). Those are declared in the tables below; the rest
//! are composed by hand. Relaxed operators get one deterministic choice each, the same on every
//! CPU (docs/simd.md).
//!
//! Linear-memory accesses use the same addressing and trap policy as the scalar ones
//! (`memory.rs`): no explicit bounds check, the guard region faults.

use super::function::{FuncTranslator, TResult};
use cranelift_codegen::ir::{
    condcodes::FloatCC, condcodes::IntCC, types, types::*, ConstantData, Endianness, InstBuilder,
    MemFlagsData, Type, Value,
};
use cranelift_frontend::FunctionBuilder;
use wasmparser::{MemArg, Operator};

type Unary = fn(&mut FunctionBuilder<'_>, Value) -> Value;
type Binary = fn(&mut FunctionBuilder<'_>, Value, Value) -> Value;

/// Declares a table from operators to `(lane type, Cranelift instruction)`, for instructions
/// taking one (`unary`) or two (`binary`) operands.
macro_rules! lane_table {
    (unary $name:ident { $($op:ident => $ty:ident, $method:ident;)* }) => {
        fn $name(op: &Operator<'_>) -> Option<(Type, Unary)> {
            Some(match op {
                $(Operator::$op => ($ty, |b, x| b.ins().$method(x)),)*
                _ => return None,
            })
        }
    };
    (binary $name:ident { $($op:ident => $ty:ident, $method:ident;)* }) => {
        fn $name(op: &Operator<'_>) -> Option<(Type, Binary)> {
            Some(match op {
                $(Operator::$op => ($ty, |b, x, y| b.ins().$method(x, y)),)*
                _ => return None,
            })
        }
    };
}

lane_table!(unary lanewise_unary {
    V128Not => I8X16, bnot;
    I8x16Abs => I8X16, iabs; I16x8Abs => I16X8, iabs; I32x4Abs => I32X4, iabs;
    I64x2Abs => I64X2, iabs;
    I8x16Neg => I8X16, ineg; I16x8Neg => I16X8, ineg; I32x4Neg => I32X4, ineg;
    I64x2Neg => I64X2, ineg;
    I8x16Popcnt => I8X16, popcnt;
    F32x4Abs => F32X4, fabs; F64x2Abs => F64X2, fabs;
    F32x4Neg => F32X4, fneg; F64x2Neg => F64X2, fneg;
    F32x4Sqrt => F32X4, sqrt; F64x2Sqrt => F64X2, sqrt;
    F32x4Ceil => F32X4, ceil; F64x2Ceil => F64X2, ceil;
    F32x4Floor => F32X4, floor; F64x2Floor => F64X2, floor;
    F32x4Trunc => F32X4, trunc; F64x2Trunc => F64X2, trunc;
    F32x4Nearest => F32X4, nearest; F64x2Nearest => F64X2, nearest;
    F32x4DemoteF64x2Zero => F64X2, fvdemote;
    F64x2PromoteLowF32x4 => F32X4, fvpromote_low;
    I16x8ExtendLowI8x16S => I8X16, swiden_low; I16x8ExtendHighI8x16S => I8X16, swiden_high;
    I16x8ExtendLowI8x16U => I8X16, uwiden_low; I16x8ExtendHighI8x16U => I8X16, uwiden_high;
    I32x4ExtendLowI16x8S => I16X8, swiden_low; I32x4ExtendHighI16x8S => I16X8, swiden_high;
    I32x4ExtendLowI16x8U => I16X8, uwiden_low; I32x4ExtendHighI16x8U => I16X8, uwiden_high;
    I64x2ExtendLowI32x4S => I32X4, swiden_low; I64x2ExtendHighI32x4S => I32X4, swiden_high;
    I64x2ExtendLowI32x4U => I32X4, uwiden_low; I64x2ExtendHighI32x4U => I32X4, uwiden_high;
});

lane_table!(binary lanewise_binary {
    V128And => I8X16, band; V128AndNot => I8X16, band_not; V128Or => I8X16, bor;
    V128Xor => I8X16, bxor;
    I8x16Swizzle => I8X16, swizzle;
    // Deterministic choice: exactly i8x16.swizzle.
    I8x16RelaxedSwizzle => I8X16, swizzle;
    I8x16Add => I8X16, iadd; I16x8Add => I16X8, iadd; I32x4Add => I32X4, iadd;
    I64x2Add => I64X2, iadd;
    I8x16Sub => I8X16, isub; I16x8Sub => I16X8, isub; I32x4Sub => I32X4, isub;
    I64x2Sub => I64X2, isub;
    I16x8Mul => I16X8, imul; I32x4Mul => I32X4, imul; I64x2Mul => I64X2, imul;
    I8x16AddSatS => I8X16, sadd_sat; I8x16AddSatU => I8X16, uadd_sat;
    I16x8AddSatS => I16X8, sadd_sat; I16x8AddSatU => I16X8, uadd_sat;
    I8x16SubSatS => I8X16, ssub_sat; I8x16SubSatU => I8X16, usub_sat;
    I16x8SubSatS => I16X8, ssub_sat; I16x8SubSatU => I16X8, usub_sat;
    I8x16MinS => I8X16, smin; I8x16MinU => I8X16, umin; I8x16MaxS => I8X16, smax;
    I8x16MaxU => I8X16, umax;
    I16x8MinS => I16X8, smin; I16x8MinU => I16X8, umin; I16x8MaxS => I16X8, smax;
    I16x8MaxU => I16X8, umax;
    I32x4MinS => I32X4, smin; I32x4MinU => I32X4, umin; I32x4MaxS => I32X4, smax;
    I32x4MaxU => I32X4, umax;
    I8x16AvgrU => I8X16, avg_round; I16x8AvgrU => I16X8, avg_round;
    I16x8Q15MulrSatS => I16X8, sqmul_round_sat;
    // Deterministic choice: exactly i16x8.q15mulr_sat_s.
    I16x8RelaxedQ15mulrS => I16X8, sqmul_round_sat;
    I8x16NarrowI16x8S => I16X8, snarrow; I8x16NarrowI16x8U => I16X8, unarrow;
    I16x8NarrowI32x4S => I32X4, snarrow; I16x8NarrowI32x4U => I32X4, unarrow;
    F32x4Add => F32X4, fadd; F64x2Add => F64X2, fadd;
    F32x4Sub => F32X4, fsub; F64x2Sub => F64X2, fsub;
    F32x4Mul => F32X4, fmul; F64x2Mul => F64X2, fmul;
    F32x4Div => F32X4, fdiv; F64x2Div => F64X2, fdiv;
    F32x4Min => F32X4, fmin; F64x2Min => F64X2, fmin;
    F32x4Max => F32X4, fmax; F64x2Max => F64X2, fmax;
    // Deterministic choice: exactly the NaN-propagating f32x4.min/max.
    F32x4RelaxedMin => F32X4, fmin; F64x2RelaxedMin => F64X2, fmin;
    F32x4RelaxedMax => F32X4, fmax; F64x2RelaxedMax => F64X2, fmax;
});

// Shifts: the amount is an i32, taken modulo the lane width by Cranelift as wasm requires.
lane_table!(binary lanewise_shift {
    I8x16Shl => I8X16, ishl; I16x8Shl => I16X8, ishl; I32x4Shl => I32X4, ishl;
    I64x2Shl => I64X2, ishl;
    I8x16ShrS => I8X16, sshr; I16x8ShrS => I16X8, sshr; I32x4ShrS => I32X4, sshr;
    I64x2ShrS => I64X2, sshr;
    I8x16ShrU => I8X16, ushr; I16x8ShrU => I16X8, ushr; I32x4ShrU => I32X4, ushr;
    I64x2ShrU => I64X2, ushr;
});

/// Integer lane comparisons.
fn int_compare(op: &Operator<'_>) -> Option<(Type, IntCC)> {
    use IntCC::*;
    use Operator::*;
    Some(match op {
        I8x16Eq => (I8X16, Equal),
        I8x16Ne => (I8X16, NotEqual),
        I8x16LtS => (I8X16, SignedLessThan),
        I8x16LtU => (I8X16, UnsignedLessThan),
        I8x16GtS => (I8X16, SignedGreaterThan),
        I8x16GtU => (I8X16, UnsignedGreaterThan),
        I8x16LeS => (I8X16, SignedLessThanOrEqual),
        I8x16LeU => (I8X16, UnsignedLessThanOrEqual),
        I8x16GeS => (I8X16, SignedGreaterThanOrEqual),
        I8x16GeU => (I8X16, UnsignedGreaterThanOrEqual),
        I16x8Eq => (I16X8, Equal),
        I16x8Ne => (I16X8, NotEqual),
        I16x8LtS => (I16X8, SignedLessThan),
        I16x8LtU => (I16X8, UnsignedLessThan),
        I16x8GtS => (I16X8, SignedGreaterThan),
        I16x8GtU => (I16X8, UnsignedGreaterThan),
        I16x8LeS => (I16X8, SignedLessThanOrEqual),
        I16x8LeU => (I16X8, UnsignedLessThanOrEqual),
        I16x8GeS => (I16X8, SignedGreaterThanOrEqual),
        I16x8GeU => (I16X8, UnsignedGreaterThanOrEqual),
        I32x4Eq => (I32X4, Equal),
        I32x4Ne => (I32X4, NotEqual),
        I32x4LtS => (I32X4, SignedLessThan),
        I32x4LtU => (I32X4, UnsignedLessThan),
        I32x4GtS => (I32X4, SignedGreaterThan),
        I32x4GtU => (I32X4, UnsignedGreaterThan),
        I32x4LeS => (I32X4, SignedLessThanOrEqual),
        I32x4LeU => (I32X4, UnsignedLessThanOrEqual),
        I32x4GeS => (I32X4, SignedGreaterThanOrEqual),
        I32x4GeU => (I32X4, UnsignedGreaterThanOrEqual),
        I64x2Eq => (I64X2, Equal),
        I64x2Ne => (I64X2, NotEqual),
        I64x2LtS => (I64X2, SignedLessThan),
        I64x2GtS => (I64X2, SignedGreaterThan),
        I64x2LeS => (I64X2, SignedLessThanOrEqual),
        I64x2GeS => (I64X2, SignedGreaterThanOrEqual),
        _ => return None,
    })
}

/// Float lane comparisons (all false on NaN except `ne`, as wasm requires).
fn float_compare(op: &Operator<'_>) -> Option<(Type, FloatCC)> {
    use FloatCC::*;
    use Operator::*;
    Some(match op {
        F32x4Eq => (F32X4, Equal),
        F32x4Ne => (F32X4, NotEqual),
        F32x4Lt => (F32X4, LessThan),
        F32x4Gt => (F32X4, GreaterThan),
        F32x4Le => (F32X4, LessThanOrEqual),
        F32x4Ge => (F32X4, GreaterThanOrEqual),
        F64x2Eq => (F64X2, Equal),
        F64x2Ne => (F64X2, NotEqual),
        F64x2Lt => (F64X2, LessThan),
        F64x2Gt => (F64X2, GreaterThan),
        F64x2Le => (F64X2, LessThanOrEqual),
        F64x2Ge => (F64X2, GreaterThanOrEqual),
        _ => return None,
    })
}

/// The vector type whose lanes have scalar type `lane` (16 bytes in all).
fn vector_of(lane: Type) -> Type {
    lane.by(16 / lane.bytes()).expect("lane type of a v128")
}

/// The scalar a lane of `vector` holds as a wasm value (i8 and i16 lanes are i32 values).
fn wasm_scalar(lane: Type) -> Type {
    if lane.is_int() && lane.bits() < 32 {
        types::I32
    } else {
        lane
    }
}

/// Per-lane and splat operators, by the vector type they work on.
fn lane_access(op: &Operator<'_>) -> Option<(Type, LaneAccess)> {
    use LaneAccess::*;
    use Operator::*;
    Some(match *op {
        I8x16Splat => (I8X16, Splat),
        I16x8Splat => (I16X8, Splat),
        I32x4Splat => (I32X4, Splat),
        I64x2Splat => (I64X2, Splat),
        F32x4Splat => (F32X4, Splat),
        F64x2Splat => (F64X2, Splat),
        I8x16ExtractLaneS { lane } => (I8X16, ExtractSigned(lane)),
        I8x16ExtractLaneU { lane } => (I8X16, ExtractUnsigned(lane)),
        I16x8ExtractLaneS { lane } => (I16X8, ExtractSigned(lane)),
        I16x8ExtractLaneU { lane } => (I16X8, ExtractUnsigned(lane)),
        I32x4ExtractLane { lane } => (I32X4, ExtractUnsigned(lane)),
        I64x2ExtractLane { lane } => (I64X2, ExtractUnsigned(lane)),
        F32x4ExtractLane { lane } => (F32X4, ExtractUnsigned(lane)),
        F64x2ExtractLane { lane } => (F64X2, ExtractUnsigned(lane)),
        I8x16ReplaceLane { lane } => (I8X16, Replace(lane)),
        I16x8ReplaceLane { lane } => (I16X8, Replace(lane)),
        I32x4ReplaceLane { lane } => (I32X4, Replace(lane)),
        I64x2ReplaceLane { lane } => (I64X2, Replace(lane)),
        F32x4ReplaceLane { lane } => (F32X4, Replace(lane)),
        F64x2ReplaceLane { lane } => (F64X2, Replace(lane)),
        _ => return None,
    })
}

#[derive(Clone, Copy)]
enum LaneAccess {
    Splat,
    ExtractSigned(u8),
    ExtractUnsigned(u8),
    Replace(u8),
}

/// What a SIMD memory operator does with the bytes it accesses.
#[derive(Clone, Copy)]
enum MemoryShape {
    /// The whole 16 bytes.
    Full,
    /// Eight, four or two narrow lanes, each widened: the instruction and its result type.
    Widen(WidenLoad),
    /// One scalar of this type copied into every lane.
    Splat(Type),
    /// One scalar of this type into lane 0, the rest zero.
    Zero(Type),
    /// One scalar of this type into lane `n`, the other lanes kept.
    LoadLane(Type, u8),
    /// Lane `n` (of this lane type) stored.
    StoreLane(Type, u8),
}

#[derive(Clone, Copy)]
enum WidenLoad {
    S8x8,
    U8x8,
    S16x4,
    U16x4,
    S32x2,
    U32x2,
}

fn memory_shape(op: &Operator<'_>) -> Option<(MemArg, MemoryShape, bool)> {
    use MemoryShape::*;
    use Operator::*;
    use WidenLoad::*;
    // (memarg, shape, is a store)
    Some(match *op {
        V128Load { memarg } => (memarg, Full, false),
        V128Store { memarg } => (memarg, Full, true),
        V128Load8x8S { memarg } => (memarg, Widen(S8x8), false),
        V128Load8x8U { memarg } => (memarg, Widen(U8x8), false),
        V128Load16x4S { memarg } => (memarg, Widen(S16x4), false),
        V128Load16x4U { memarg } => (memarg, Widen(U16x4), false),
        V128Load32x2S { memarg } => (memarg, Widen(S32x2), false),
        V128Load32x2U { memarg } => (memarg, Widen(U32x2), false),
        V128Load8Splat { memarg } => (memarg, Splat(I8), false),
        V128Load16Splat { memarg } => (memarg, Splat(I16), false),
        V128Load32Splat { memarg } => (memarg, Splat(I32), false),
        V128Load64Splat { memarg } => (memarg, Splat(I64), false),
        V128Load32Zero { memarg } => (memarg, Zero(I32), false),
        V128Load64Zero { memarg } => (memarg, Zero(I64), false),
        V128Load8Lane { memarg, lane } => (memarg, LoadLane(I8, lane), false),
        V128Load16Lane { memarg, lane } => (memarg, LoadLane(I16, lane), false),
        V128Load32Lane { memarg, lane } => (memarg, LoadLane(I32, lane), false),
        V128Load64Lane { memarg, lane } => (memarg, LoadLane(I64, lane), false),
        V128Store8Lane { memarg, lane } => (memarg, StoreLane(I8, lane), true),
        V128Store16Lane { memarg, lane } => (memarg, StoreLane(I16, lane), true),
        V128Store32Lane { memarg, lane } => (memarg, StoreLane(I32, lane), true),
        V128Store64Lane { memarg, lane } => (memarg, StoreLane(I64, lane), true),
        _ => return None,
    })
}

impl FuncTranslator<'_, '_, '_> {
    /// Reinterprets vector `v` as `ty` (no code when it already is).
    fn as_lanes(&mut self, ty: Type, v: Value) -> Value {
        if self.b.func.dfg.value_type(v) == ty {
            v
        } else {
            // Vector bitcasts between lane shapes need an explicit byte order.
            let flags = MemFlagsData::new().with_endianness(Endianness::Little);
            self.b.ins().bitcast(ty, flags, v)
        }
    }

    /// Pops a v128 as lanes of type `ty`.
    fn pop_lanes(&mut self, ty: Type) -> Value {
        let v = self.pop();
        self.as_lanes(ty, v)
    }

    /// Pushes a vector as a v128 (`I8X16`).
    fn push_v128(&mut self, v: Value) {
        let v = self.as_lanes(I8X16, v);
        self.push(v);
    }

    fn v128_const(&mut self, bits: u128) -> Value {
        self.const_value(crate::module::ConstValue::V128(bits))
    }

    /// Lowers `op` if it is a SIMD operator; returns whether it was one.
    pub(crate) fn translate_simd(&mut self, op: &Operator<'_>) -> TResult<bool> {
        if let Some((ty, f)) = lanewise_unary(op) {
            let x = self.pop_lanes(ty);
            let v = f(&mut self.b, x);
            self.push_v128(v);
        } else if let Some((ty, f)) = lanewise_binary(op) {
            let y = self.pop_lanes(ty);
            let x = self.pop_lanes(ty);
            let v = f(&mut self.b, x, y);
            self.push_v128(v);
        } else if let Some((ty, f)) = lanewise_shift(op) {
            let amount = self.pop();
            let x = self.pop_lanes(ty);
            let v = f(&mut self.b, x, amount);
            self.push_v128(v);
        } else if let Some((ty, cc)) = int_compare(op) {
            let y = self.pop_lanes(ty);
            let x = self.pop_lanes(ty);
            let v = self.b.ins().icmp(cc, x, y);
            self.push_v128(v);
        } else if let Some((ty, cc)) = float_compare(op) {
            let y = self.pop_lanes(ty);
            let x = self.pop_lanes(ty);
            let v = self.b.ins().fcmp(cc, x, y);
            self.push_v128(v);
        } else if let Some((ty, access)) = lane_access(op) {
            self.translate_lane_access(ty, access);
        } else if let Some((memarg, shape, is_store)) = memory_shape(op) {
            self.translate_simd_memory(&memarg, shape, is_store);
        } else {
            return self.translate_simd_composite(op);
        }
        Ok(true)
    }

    fn translate_lane_access(&mut self, ty: Type, access: LaneAccess) {
        let lane_ty = ty.lane_type();
        match access {
            LaneAccess::Splat => {
                let mut x = self.pop();
                if wasm_scalar(lane_ty) != lane_ty {
                    x = self.b.ins().ireduce(lane_ty, x);
                }
                let v = self.b.ins().splat(ty, x);
                self.push_v128(v);
            }
            LaneAccess::ExtractSigned(lane) | LaneAccess::ExtractUnsigned(lane) => {
                let v = self.pop_lanes(ty);
                let mut x = self.b.ins().extractlane(v, lane);
                let wide = wasm_scalar(lane_ty);
                if wide != lane_ty {
                    x = match access {
                        LaneAccess::ExtractSigned(_) => self.b.ins().sextend(wide, x),
                        _ => self.b.ins().uextend(wide, x),
                    };
                }
                self.push(x);
            }
            LaneAccess::Replace(lane) => {
                let mut x = self.pop();
                let v = self.pop_lanes(ty);
                if wasm_scalar(lane_ty) != lane_ty {
                    x = self.b.ins().ireduce(lane_ty, x);
                }
                let v = self.b.ins().insertlane(v, x, lane);
                self.push_v128(v);
            }
        }
    }

    fn translate_simd_memory(&mut self, memarg: &MemArg, shape: MemoryShape, is_store: bool) {
        let value = (is_store || matches!(shape, MemoryShape::LoadLane(..))).then(|| self.pop());
        let addr = self.pop();
        let (p, off) = self.heap_address(addr, memarg.offset);
        let f = self.heap_flags();
        let v = match shape {
            MemoryShape::Full if is_store => {
                self.b.ins().store(f, value.expect("popped"), p, off);
                return;
            }
            MemoryShape::Full => self.b.ins().load(I8X16, f, p, off),
            MemoryShape::Widen(w) => {
                let ins = self.b.ins();
                match w {
                    WidenLoad::S8x8 => ins.sload8x8(f, p, off),
                    WidenLoad::U8x8 => ins.uload8x8(f, p, off),
                    WidenLoad::S16x4 => ins.sload16x4(f, p, off),
                    WidenLoad::U16x4 => ins.uload16x4(f, p, off),
                    WidenLoad::S32x2 => ins.sload32x2(f, p, off),
                    WidenLoad::U32x2 => ins.uload32x2(f, p, off),
                }
            }
            MemoryShape::Splat(lane) => {
                let x = self.b.ins().load(lane, f, p, off);
                self.b.ins().splat(vector_of(lane), x)
            }
            MemoryShape::Zero(lane) => {
                let x = self.b.ins().load(lane, f, p, off);
                self.b.ins().scalar_to_vector(vector_of(lane), x)
            }
            MemoryShape::LoadLane(lane, n) => {
                let x = self.b.ins().load(lane, f, p, off);
                let v = self.as_lanes(vector_of(lane), value.expect("popped"));
                self.b.ins().insertlane(v, x, n)
            }
            MemoryShape::StoreLane(lane, n) => {
                let v = self.as_lanes(vector_of(lane), value.expect("popped"));
                let x = self.b.ins().extractlane(v, n);
                self.b.ins().store(f, x, p, off);
                return;
            }
        };
        self.push_v128(v);
    }
}

impl FuncTranslator<'_, '_, '_> {
    /// The operators composed of several instructions; returns whether `op` was one.
    fn translate_simd_composite(&mut self, op: &Operator<'_>) -> TResult<bool> {
        use Operator::*;
        match *op {
            V128Const { value } => {
                let v = self.v128_const(value.i128() as u128);
                self.push(v);
            }
            I8x16Shuffle { lanes } => {
                let y = self.pop_lanes(I8X16);
                let x = self.pop_lanes(I8X16);
                let mask = self
                    .b
                    .func
                    .dfg
                    .immediates
                    .push(ConstantData::from(lanes.to_vec()));
                let v = self.b.ins().shuffle(x, y, mask);
                self.push(v);
            }
            // v128.bitselect(a, b, c) takes a's bits where c is 1; every relaxed laneselect is
            // this bitwise select (deterministic choice: exact for all-ones/all-zeros masks,
            // and the same bits on every CPU otherwise).
            V128Bitselect
            | I8x16RelaxedLaneselect
            | I16x8RelaxedLaneselect
            | I32x4RelaxedLaneselect
            | I64x2RelaxedLaneselect => {
                let c = self.pop_lanes(I8X16);
                let y = self.pop_lanes(I8X16);
                let x = self.pop_lanes(I8X16);
                let v = self.b.ins().bitselect(c, x, y);
                self.push(v);
            }
            V128AnyTrue => {
                let x = self.pop_lanes(I8X16);
                let c = self.b.ins().vany_true(x);
                self.push_bool(c);
            }
            I8x16AllTrue => self.all_true(I8X16),
            I16x8AllTrue => self.all_true(I16X8),
            I32x4AllTrue => self.all_true(I32X4),
            I64x2AllTrue => self.all_true(I64X2),
            I8x16Bitmask => self.bitmask(I8X16),
            I16x8Bitmask => self.bitmask(I16X8),
            I32x4Bitmask => self.bitmask(I32X4),
            I64x2Bitmask => self.bitmask(I64X2),
            // pmin(a, b) = b < a ? b : a, pmax(a, b) = a < b ? b : a: no NaN or zero-sign
            // handling, which is what makes them one minps/maxps.
            F32x4PMin => self.pseudo_min_max(F32X4, true),
            F64x2PMin => self.pseudo_min_max(F64X2, true),
            F32x4PMax => self.pseudo_min_max(F32X4, false),
            F64x2PMax => self.pseudo_min_max(F64X2, false),
            // Deterministic choice: relaxed truncations are the saturating ones.
            I32x4TruncSatF32x4S | I32x4RelaxedTruncF32x4S => {
                let x = self.pop_lanes(F32X4);
                let v = self.b.ins().fcvt_to_sint_sat(I32X4, x);
                self.push_v128(v);
            }
            I32x4TruncSatF32x4U | I32x4RelaxedTruncF32x4U => {
                let x = self.pop_lanes(F32X4);
                let v = self.b.ins().fcvt_to_uint_sat(I32X4, x);
                self.push_v128(v);
            }
            I32x4TruncSatF64x2SZero | I32x4RelaxedTruncF64x2SZero => {
                let x = self.pop_lanes(F64X2);
                let wide = self.b.ins().fcvt_to_sint_sat(I64X2, x);
                let zero = self.zero_lanes(I64X2);
                let v = self.b.ins().snarrow(wide, zero);
                self.push_v128(v);
            }
            I32x4TruncSatF64x2UZero | I32x4RelaxedTruncF64x2UZero => {
                let x = self.pop_lanes(F64X2);
                let wide = self.b.ins().fcvt_to_uint_sat(I64X2, x);
                let zero = self.zero_lanes(I64X2);
                let v = self.b.ins().uunarrow(wide, zero);
                self.push_v128(v);
            }
            F32x4ConvertI32x4S => {
                let x = self.pop_lanes(I32X4);
                let v = self.b.ins().fcvt_from_sint(F32X4, x);
                self.push_v128(v);
            }
            F32x4ConvertI32x4U => {
                let x = self.pop_lanes(I32X4);
                let v = self.b.ins().fcvt_from_uint(F32X4, x);
                self.push_v128(v);
            }
            F64x2ConvertLowI32x4S => {
                let x = self.pop_lanes(I32X4);
                let low = self.b.ins().swiden_low(x);
                let v = self.b.ins().fcvt_from_sint(F64X2, low);
                self.push_v128(v);
            }
            F64x2ConvertLowI32x4U => {
                let x = self.pop_lanes(I32X4);
                let low = self.b.ins().uwiden_low(x);
                let v = self.b.ins().fcvt_from_uint(F64X2, low);
                self.push_v128(v);
            }
            I16x8ExtMulLowI8x16S => self.extended_multiply(I8X16, true, Half::Low),
            I16x8ExtMulHighI8x16S => self.extended_multiply(I8X16, true, Half::High),
            I16x8ExtMulLowI8x16U => self.extended_multiply(I8X16, false, Half::Low),
            I16x8ExtMulHighI8x16U => self.extended_multiply(I8X16, false, Half::High),
            I32x4ExtMulLowI16x8S => self.extended_multiply(I16X8, true, Half::Low),
            I32x4ExtMulHighI16x8S => self.extended_multiply(I16X8, true, Half::High),
            I32x4ExtMulLowI16x8U => self.extended_multiply(I16X8, false, Half::Low),
            I32x4ExtMulHighI16x8U => self.extended_multiply(I16X8, false, Half::High),
            I64x2ExtMulLowI32x4S => self.extended_multiply(I32X4, true, Half::Low),
            I64x2ExtMulHighI32x4S => self.extended_multiply(I32X4, true, Half::High),
            I64x2ExtMulLowI32x4U => self.extended_multiply(I32X4, false, Half::Low),
            I64x2ExtMulHighI32x4U => self.extended_multiply(I32X4, false, Half::High),
            I16x8ExtAddPairwiseI8x16S => self.extended_add_pairwise(I8X16, true),
            I16x8ExtAddPairwiseI8x16U => self.extended_add_pairwise(I8X16, false),
            I32x4ExtAddPairwiseI16x8S => self.extended_add_pairwise(I16X8, true),
            I32x4ExtAddPairwiseI16x8U => self.extended_add_pairwise(I16X8, false),
            I32x4DotI16x8S => {
                let y = self.pop_lanes(I16X8);
                let x = self.pop_lanes(I16X8);
                let v = self.dot_pairs(x, y);
                self.push_v128(v);
            }
            // Deterministic choice: the second operand is read as signed (the spec allows
            // either reading of its top bit) and the i16 sums wrap (they may, or saturate).
            I16x8RelaxedDotI8x16I7x16S => {
                let y = self.pop_lanes(I8X16);
                let x = self.pop_lanes(I8X16);
                let v = self.dot_pairs(x, y);
                self.push_v128(v);
            }
            I32x4RelaxedDotI8x16I7x16AddS => {
                let acc = self.pop_lanes(I32X4);
                let y = self.pop_lanes(I8X16);
                let x = self.pop_lanes(I8X16);
                let pairs = self.dot_pairs(x, y);
                let low = self.b.ins().swiden_low(pairs);
                let high = self.b.ins().swiden_high(pairs);
                let quads = self.b.ins().iadd_pairwise(low, high);
                let v = self.b.ins().iadd(quads, acc);
                self.push_v128(v);
            }
            // Deterministic choice: an unfused multiply then add, the same result with or
            // without FMA hardware.
            F32x4RelaxedMadd => self.multiply_add(F32X4, false),
            F64x2RelaxedMadd => self.multiply_add(F64X2, false),
            F32x4RelaxedNmadd => self.multiply_add(F32X4, true),
            F64x2RelaxedNmadd => self.multiply_add(F64X2, true),
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// An all-zero vector of type `ty`, as a `vconst` of that type: the x64 lowerings of the
    /// `*_zero` truncations match exactly that shape.
    fn zero_lanes(&mut self, ty: Type) -> Value {
        let c = self.b.func.dfg.constants.insert(vec![0u8; 16].into());
        self.b.ins().vconst(ty, c)
    }

    fn all_true(&mut self, ty: Type) {
        let x = self.pop_lanes(ty);
        let c = self.b.ins().vall_true(x);
        self.push_bool(c);
    }

    fn bitmask(&mut self, ty: Type) {
        let x = self.pop_lanes(ty);
        let v = self.b.ins().vhigh_bits(types::I32, x);
        self.push(v);
    }

    fn pseudo_min_max(&mut self, ty: Type, min: bool) {
        let b = self.pop_lanes(ty);
        let a = self.pop_lanes(ty);
        let (lhs, rhs) = if min { (b, a) } else { (a, b) };
        let take_b = self.b.ins().fcmp(FloatCC::LessThan, lhs, rhs);
        let mask = self.as_lanes(ty, take_b);
        let v = self.b.ins().bitselect(mask, b, a);
        self.push_v128(v);
    }

    fn widen(&mut self, x: Value, signed: bool, half: Half) -> Value {
        let ins = self.b.ins();
        match (signed, half) {
            (true, Half::Low) => ins.swiden_low(x),
            (true, Half::High) => ins.swiden_high(x),
            (false, Half::Low) => ins.uwiden_low(x),
            (false, Half::High) => ins.uwiden_high(x),
        }
    }

    fn extended_multiply(&mut self, narrow: Type, signed: bool, half: Half) {
        let y = self.pop_lanes(narrow);
        let x = self.pop_lanes(narrow);
        let x = self.widen(x, signed, half);
        let y = self.widen(y, signed, half);
        let v = self.b.ins().imul(x, y);
        self.push_v128(v);
    }

    fn extended_add_pairwise(&mut self, narrow: Type, signed: bool) {
        let x = self.pop_lanes(narrow);
        let low = self.widen(x, signed, Half::Low);
        let high = self.widen(x, signed, Half::High);
        let v = self.b.ins().iadd_pairwise(low, high);
        self.push_v128(v);
    }

    /// Signed products of adjacent lane pairs, summed into lanes twice as wide (wrapping).
    fn dot_pairs(&mut self, x: Value, y: Value) -> Value {
        let x_low = self.b.ins().swiden_low(x);
        let y_low = self.b.ins().swiden_low(y);
        let x_high = self.b.ins().swiden_high(x);
        let y_high = self.b.ins().swiden_high(y);
        let low = self.b.ins().imul(x_low, y_low);
        let high = self.b.ins().imul(x_high, y_high);
        self.b.ins().iadd_pairwise(low, high)
    }

    fn multiply_add(&mut self, ty: Type, negate: bool) {
        let c = self.pop_lanes(ty);
        let b = self.pop_lanes(ty);
        let a = self.pop_lanes(ty);
        let mut product = self.b.ins().fmul(a, b);
        if negate {
            product = self.b.ins().fneg(product);
        }
        let v = self.b.ins().fadd(product, c);
        self.push_v128(v);
    }
}

#[derive(Clone, Copy)]
enum Half {
    Low,
    High,
}
