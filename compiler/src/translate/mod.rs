//! Translation of wasm function bodies to Cranelift IR.
//!
//! One [`FuncTranslator`] lowers one body; its concerns live in separate files:
//! `function.rs` (the driver and the operator match), `control.rs` (operand and control stacks,
//! reachability), `memory.rs` (addressing, loads, stores, bulk memory),
//! `frame.rs` (shadow-stack frames promoted to SSA variables), `atomics.rs`, `simd.rs` (v128 and
//! relaxed SIMD), `calls.rs` (direct, indirect and import calls), `setjmp.rs` (the returns-twice
//! lowering of setjmp and the guarded calls around it), `tables.rs`, `globals.rs` and
//! `signals.rs` (where recorded signals are delivered).
//!
//! Translation runs on worker threads, so it never touches the `ObjectModule`. Every symbol a
//! function refers to is named with a `UserExternalName` in one of the namespaces below; the
//! emitter maps those names to object-file symbols when it defines the compiled bytes.

mod atomics;
mod calls;
mod control;
pub(crate) mod frame;
mod function;
mod globals;
mod memory;
pub mod runtime;
mod setjmp;
pub(crate) mod signals;
mod simd;
mod tables;

pub use function::{translate_function, TranslatedFunction};

use crate::module::{FuncIndex, FuncType, Module, ValType};
use cranelift_codegen::ir::{types, AbiParam, ArgumentPurpose, Signature, Type};
use cranelift_codegen::isa::CallConv;
use cranelift_entity::SecondaryMap;
use cranelift_module::{DataId, FuncId};

/// `UserExternalName` namespace of functions the emitter declared up front (by `FuncId`).
pub const NS_FUNC: u32 = 0;
/// Namespace of data objects (by `DataId`).
pub const NS_DATA: u32 = 1;
/// Namespace of guarded-call thunks (by [`ThunkKind::key`]); defined on demand by the emitter.
pub const NS_THUNK: u32 = 2;
/// Namespace of runtime functions (by [`runtime::RuntimeFn`] discriminant).
pub const NS_RUNTIME: u32 = 3;
/// Namespace of imported functions' native symbols (by wasm function index).
pub const NS_IMPORT: u32 = 4;
/// Namespace of the preserve-all signal-poll stub (index 0); defined on demand by the emitter.
pub const NS_POLL_STUB: u32 = 5;
/// Namespace of call-cast adapters (by the caller's [`crate::module::TypeId`]); defined on demand
/// by the emitter.
pub const NS_CAST_ADAPTER: u32 = 6;

/// The calling convention of runtime calls, imports and the generated entries the runtime calls
/// (array-call trampolines, generic entries, guarded-call thunks, `instantiate`).
pub const CALL_CONV: CallConv = CallConv::SystemV;
/// The calling convention of wasm functions (bodies, import adapters, call-cast adapters):
/// Cranelift's `tail`, the only one that supports `return_call` (docs/calls.md). Generated code
/// calls across the two conventions freely (Cranelift lowers each call for its callee's
/// convention). The runtime calls wasm code directly only through `walic_call_wasm`, and only
/// functions with at most three integer parameters and no results (signal handlers, thread
/// entries): for those, `tail` and SysV agree on x86-64 (same argument registers and callee-saved
/// registers, no stack arguments, and a callee that grows its argument area for a tail call pops
/// exactly what it pushed).
pub const WASM_CALL_CONV: CallConv = CallConv::Tail;
/// Number of value arguments of the uniform import signature.
pub const IMPORT_ARGS: usize = 6;

/// What the translator needs to know about the object being built.
pub struct ModuleEnv<'m, 'a> {
    /// The module.
    pub module: &'m Module<'a>,
    /// The code symbol of each function as seen from wasm code: the compiled body for defined
    /// functions, the adapter for imported functions that need one.
    pub func_ids: SecondaryMap<FuncIndex, Option<FuncId>>,
    /// The `FuncRef` records.
    pub funcrefs: Option<DataId>,
    /// Whether `call_indirect` with a type other than the callee's goes ahead as the native ABI
    /// would (through the callee's generic entry) instead of trapping; see `calls.rs`.
    pub adapt_indirect_calls: bool,
    /// Whether private shadow-stack slots are kept in SSA variables (`frame.rs`).
    pub promote_frames: bool,
}

/// The Cranelift type of a wasm value.
pub fn clif_type(t: ValType) -> Type {
    match t {
        ValType::I32 => types::I32,
        ValType::I64 | ValType::FuncRef | ValType::ExternRef => types::I64,
        ValType::F32 => types::F32,
        ValType::F64 => types::F64,
        ValType::V128 => types::I8X16,
    }
}

/// The byte offsets of values of types `tys` laid out one after another in a buffer of 8-byte
/// slots (a vector takes two), and the number of slots they take.
pub fn slot_layout(tys: impl IntoIterator<Item = Type>) -> (Vec<i32>, u32) {
    let mut offsets = Vec::new();
    let mut slots = 0u32;
    for ty in tys {
        offsets.push(8 * slots as i32);
        slots += ty.bytes().div_ceil(8).max(1);
    }
    (offsets, slots)
}

/// Flags of an access to a slot buffer: trusted, but a vector in 8-byte-aligned slots is not
/// naturally aligned (an `aligned` vector load could become an SSE memory operand, which faults
/// when unaligned).
pub fn slot_flags(ty: Type) -> cranelift_codegen::ir::MemFlagsData {
    use cranelift_codegen::ir::MemFlagsData;
    if ty.is_vector() {
        MemFlagsData::new().with_notrap()
    } else {
        MemFlagsData::trusted()
    }
}

/// The native signature of a wasm function type: the context pointer, then the wasm parameters.
pub fn wasm_signature(ty: &FuncType) -> Signature {
    let mut sig = Signature::new(WASM_CALL_CONV);
    sig.params
        .push(AbiParam::special(types::I64, ArgumentPurpose::VMContext));
    sig.params
        .extend(ty.params.iter().map(|t| AbiParam::new(clif_type(*t))));
    sig.returns
        .extend(ty.results.iter().map(|t| AbiParam::new(clif_type(*t))));
    sig
}

/// The uniform native signature of every import: `(vmctx, u64 × 6) -> i64`.
pub fn import_signature() -> Signature {
    let mut sig = Signature::new(CALL_CONV);
    sig.params.push(AbiParam::new(types::I64));
    sig.params
        .extend((0..IMPORT_ARGS).map(|_| AbiParam::new(types::I64)));
    sig.returns.push(AbiParam::new(types::I64));
    sig
}

/// The signature of the signal-poll stub that signal checks call: `(vmctx)`, preserving every
/// register, so the call in the check's cold block clobbers nothing and values live across the
/// check (float values above all: SysV has no callee-saved xmm registers) need not be spilled
/// around it.
pub fn poll_stub_signature() -> Signature {
    let mut sig = Signature::new(CallConv::PreserveAll);
    sig.params.push(AbiParam::new(types::I64));
    sig
}

/// The signature of a guarded-call thunk: `(vmctx, slots)`.
pub fn thunk_signature() -> Signature {
    let mut sig = Signature::new(CALL_CONV);
    sig.params.push(AbiParam::new(types::I64));
    sig.params.push(AbiParam::new(types::I64));
    sig
}

/// The bit that marks [`ThunkKind::CastAdapter`] keys (type ids stay far below it).
const CAST_ADAPTER_KEY: u32 = 1 << 31;

/// The signature of a numeric function type's generic entry (`FuncRef::generic`):
/// `(vmctx, slots, code)`, calling `code` with the parameters found in the slots.
pub fn generic_entry_signature() -> Signature {
    let mut sig = Signature::new(CALL_CONV);
    sig.params.extend((0..3).map(|_| AbiParam::new(types::I64)));
    sig
}

/// The signature of the call-cast adapter of caller type `ty`: `(vmctx, funcref, params...) ->
/// results`, the wasm signature with the callee's `FuncRef` record inserted.
pub fn cast_adapter_signature(ty: &FuncType) -> Signature {
    let mut sig = wasm_signature(ty);
    sig.params.insert(1, AbiParam::new(types::I64));
    sig
}

/// The callee shapes a guarded-call thunk can call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ThunkKind {
    /// A wasm function of this canonical type.
    Wasm(crate::module::TypeId),
    /// An import with the uniform signature.
    Import,
    /// `walic_rt_poll_signals(vmctx)`.
    Poll,
    /// The call-cast adapter of this caller type ([`cast_adapter_signature`]).
    CastAdapter(crate::module::TypeId),
}

impl ThunkKind {
    /// The key used in [`NS_THUNK`] names.
    pub fn key(self) -> u32 {
        match self {
            ThunkKind::Wasm(id) => id.as_u32(),
            ThunkKind::Import => u32::MAX,
            ThunkKind::Poll => u32::MAX - 1,
            ThunkKind::CastAdapter(id) => CAST_ADAPTER_KEY | id.as_u32(),
        }
    }

    /// The inverse of [`ThunkKind::key`].
    pub fn from_key(key: u32) -> Self {
        match key {
            u32::MAX => ThunkKind::Import,
            k if k == u32::MAX - 1 => ThunkKind::Poll,
            k if k & CAST_ADAPTER_KEY != 0 => {
                ThunkKind::CastAdapter(crate::module::TypeId::from_u32(k & !CAST_ADAPTER_KEY))
            }
            k => ThunkKind::Wasm(crate::module::TypeId::from_u32(k)),
        }
    }
}
