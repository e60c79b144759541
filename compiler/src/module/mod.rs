//! The plain-data description of a parsed and validated wasm module.
//!
//! [`parse::parse`] reads the binary once, validates the module-level sections with wasmparser
//! and produces a [`Module`]; function bodies are kept as unparsed byte ranges together with their
//! pending validators, so the translator (which validates each body while lowering it) can work
//! on them in parallel. Nothing after this module re-reads module-level sections.
//!
//! Invariants: every index stored here is in range (the validator checked it); every constant
//! expression has been evaluated ([`ConstValue`]), because walic only supports constant
//! expressions whose value is known at compile time (`global.get` can only name imported globals,
//! which are either refused or, in spec-test mode, constants).

pub mod const_expr;
pub mod parse;

use cranelift_entity::{entity_impl, PrimaryMap};
use std::collections::HashMap;

pub use parse::parse;

/// Index into the module's type section.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeIndex(u32);
entity_impl!(TypeIndex);

/// Canonical function type id: structurally equal types share one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(u32);
entity_impl!(TypeId);

/// Index into the function index space (imports first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FuncIndex(u32);
entity_impl!(FuncIndex);

/// Index into the global index space.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GlobalIndex(u32);
entity_impl!(GlobalIndex);

/// Index into the table index space.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TableIndex(u32);
entity_impl!(TableIndex);

/// Index of a data segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DataIndex(u32);
entity_impl!(DataIndex);

/// Index of an element segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ElemIndex(u32);
entity_impl!(ElemIndex);

/// Index of a function that has a body in this module (0 = first defined function).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DefinedFuncIndex(u32);
entity_impl!(DefinedFuncIndex);

/// Index of a `FuncRef` record (one per function that can become a funcref).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FuncRefIndex(u32);
entity_impl!(FuncRefIndex);

/// A wasm value type walic supports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValType {
    /// i32
    I32,
    /// i64
    I64,
    /// f32
    F32,
    /// f64
    F64,
    /// funcref: a pointer to a `FuncRef` record, or 0 for null.
    FuncRef,
    /// externref: an opaque 64-bit host value, 0 for null.
    ExternRef,
    /// v128 (fixed-width SIMD).
    V128,
}

impl ValType {
    /// The type code used in the metadata (`walic_loader::metadata::valtype`).
    pub fn code(self) -> u8 {
        use walic_loader::metadata::valtype;
        match self {
            ValType::I32 => valtype::I32,
            ValType::I64 => valtype::I64,
            ValType::F32 => valtype::F32,
            ValType::F64 => valtype::F64,
            ValType::FuncRef => valtype::FUNCREF,
            ValType::ExternRef => valtype::EXTERNREF,
            ValType::V128 => valtype::V128,
        }
    }

    /// The number of 8-byte slots a value takes in slot buffers and the context's global area.
    pub fn slots(self) -> u32 {
        match self {
            ValType::V128 => 2,
            _ => 1,
        }
    }

    /// Whether this is a reference type.
    pub fn is_ref(self) -> bool {
        matches!(self, ValType::FuncRef | ValType::ExternRef)
    }
}

/// A function type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FuncType {
    /// Parameters.
    pub params: Vec<ValType>,
    /// Results.
    pub results: Vec<ValType>,
}

impl FuncType {
    /// Whether every parameter and result is a number: a call through a function pointer of
    /// another numeric type can then be adapted as the native ABI would (docs/calls.md).
    pub fn is_numeric(&self) -> bool {
        !self
            .params
            .iter()
            .chain(&self.results)
            .any(|t| t.is_ref() || *t == ValType::V128)
    }
}

/// A value known at compile time (an evaluated constant expression).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ConstValue {
    /// i32
    I32(i32),
    /// i64
    I64(i64),
    /// f32 bits
    F32(u32),
    /// f64 bits
    F64(u64),
    /// A null reference.
    Null,
    /// A reference to a function (its `FuncRef` record).
    FuncRef(FuncIndex),
    /// v128 bits, lane 0 in the low bits.
    V128(u128),
}

impl ConstValue {
    /// The value as an i64, for constants used as addresses or counts.
    pub fn as_u32(self) -> Option<u32> {
        match self {
            ConstValue::I32(v) => Some(v as u32),
            _ => None,
        }
    }
}

/// How an imported function is provided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportKind {
    /// `wali.<name>`: the runtime symbol `walic_import_<name>`, uniform native signature.
    Wali(String),
    /// `wali.setjmp`, `wali._setjmp` (`has_mask_arg` false) or `wali.sigsetjmp` (true): lowered in
    /// the caller's frame (see `translate::setjmp`).
    Setjmp {
        /// The import name.
        name: String,
        /// Whether the second wasm argument is the save-mask flag.
        has_mask_arg: bool,
    },
    /// `spectest.<name>` in spec-test mode: the runtime symbol `walic_spectest_<name>`, uniform
    /// native signature.
    Spectest(String),
}

impl ImportKind {
    /// The native symbol implementing the import (none for setjmp, which is lowered inline).
    pub fn symbol(&self) -> Option<String> {
        match self {
            ImportKind::Wali(name) => Some(walic_loader::symbols::import_symbol(name)),
            ImportKind::Spectest(name) => Some(format!("walic_spectest_{name}")),
            ImportKind::Setjmp { .. } => None,
        }
    }
}

/// A function of the index space.
#[derive(Clone, Debug)]
pub struct Function {
    /// Its type.
    pub ty: TypeIndex,
    /// Imported (with how) or defined.
    pub import: Option<ImportKind>,
    /// Name from the name section or `wasm-function[N]`.
    pub name: String,
}

/// A global.
#[derive(Clone, Debug)]
pub struct Global {
    /// Value type.
    pub ty: ValType,
    /// Whether it is mutable; mutable globals live in per-thread context slots.
    pub mutable: bool,
    /// Initial value (for immutable globals: the value itself).
    pub init: ConstValue,
    /// The context slot of a mutable global.
    pub slot: Option<u32>,
}

/// A table.
#[derive(Clone, Debug)]
pub struct Table {
    /// Element type.
    pub elem: ValType,
    /// Initial size.
    pub initial: u32,
    /// Maximum size.
    pub max: Option<u32>,
}

impl Table {
    /// Whether the table's size can never change (so `call_indirect` bounds are constants).
    pub fn is_fixed_size(&self) -> bool {
        self.max == Some(self.initial)
    }
}

/// The linear memory.
#[derive(Clone, Copy, Debug)]
pub struct Memory {
    /// Initial size in pages.
    pub initial: u32,
    /// Maximum size in pages.
    pub max: u32,
    /// Shared (threads).
    pub shared: bool,
}

/// A data segment.
#[derive(Clone, Debug)]
pub struct DataSegment<'a> {
    /// Bytes.
    pub bytes: &'a [u8],
    /// For an active segment: the memory offset it is written to at instantiation.
    pub active_offset: Option<u32>,
}

/// What happens to an element segment at instantiation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ElemMode {
    /// Kept for `table.init`.
    Passive,
    /// Written into a table, then dropped.
    Active {
        /// Target table.
        table: TableIndex,
        /// Start index in the table.
        offset: u32,
    },
    /// Only declares functions for `ref.func`; dropped at instantiation.
    Declared,
}

/// An element segment.
#[derive(Clone, Debug)]
pub struct ElemSegment {
    /// Items: function references or nulls.
    pub items: Vec<ConstValue>,
    /// Mode.
    pub mode: ElemMode,
}

/// What an export names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportItem {
    /// A function.
    Func(FuncIndex),
    /// A table.
    Table(TableIndex),
    /// The memory.
    Memory(u32),
    /// A global.
    Global(GlobalIndex),
}

/// An export.
#[derive(Clone, Debug)]
pub struct Export {
    /// Export name.
    pub name: String,
    /// What it exports.
    pub item: ExportItem,
}

/// A defined function's body, not yet validated.
pub struct FunctionBody<'a> {
    /// The function index.
    pub func: FuncIndex,
    /// The body bytes (locals and operators).
    pub body: wasmparser::FunctionBody<'a>,
    /// The validator for this body, to be run while translating.
    pub validator: wasmparser::FuncToValidate<wasmparser::ValidatorResources>,
}

/// A parsed and validated module.
pub struct Module<'a> {
    /// Types of the type section.
    pub types: PrimaryMap<TypeIndex, FuncType>,
    /// Canonical id of each type.
    pub type_ids: PrimaryMap<TypeIndex, TypeId>,
    /// The distinct types by canonical id.
    pub canonical_types: PrimaryMap<TypeId, FuncType>,
    /// The function index space.
    pub functions: PrimaryMap<FuncIndex, Function>,
    /// Number of imported functions (they come first).
    pub num_imported_funcs: u32,
    /// Bodies of the defined functions, in order.
    pub bodies: PrimaryMap<DefinedFuncIndex, FunctionBody<'a>>,
    /// Globals.
    pub globals: PrimaryMap<GlobalIndex, Global>,
    /// Number of mutable-global context slots.
    pub num_global_slots: u32,
    /// Tables.
    pub tables: PrimaryMap<TableIndex, Table>,
    /// The memory, if any.
    pub memory: Option<Memory>,
    /// Data segments.
    pub data: PrimaryMap<DataIndex, DataSegment<'a>>,
    /// Element segments.
    pub elems: PrimaryMap<ElemIndex, ElemSegment>,
    /// Exports.
    pub exports: Vec<Export>,
    /// Start function.
    pub start: Option<FuncIndex>,
    /// The global holding the C stack pointer (`__stack_pointer`, or the first mutable i32).
    pub stack_pointer: Option<GlobalIndex>,
    /// Functions that can become funcrefs, each with its `FuncRef` record.
    pub funcrefs: PrimaryMap<FuncRefIndex, FuncIndex>,
    /// Reverse map of [`Module::funcrefs`].
    pub funcref_of: HashMap<FuncIndex, FuncRefIndex>,
}

impl<'a> Module<'a> {
    /// The program's entry point: the exported `_start` function of type `[] -> []`, if any.
    pub fn entry(&self) -> Option<FuncIndex> {
        self.exports.iter().find_map(|e| match e.item {
            ExportItem::Func(f) if e.name == "_start" => {
                let ty = self.func_type(f);
                (ty.params.is_empty() && ty.results.is_empty()).then_some(f)
            }
            _ => None,
        })
    }

    /// The type of function `f`.
    pub fn func_type(&self, f: FuncIndex) -> &FuncType {
        &self.types[self.functions[f].ty]
    }

    /// The canonical type id of function `f`.
    pub fn func_type_id(&self, f: FuncIndex) -> TypeId {
        self.type_ids[self.functions[f].ty]
    }

    /// Whether `f` is imported.
    pub fn is_imported(&self, f: FuncIndex) -> bool {
        f.as_u32() < self.num_imported_funcs
    }

    /// The function index of defined function `d`.
    pub fn func_of_defined(&self, d: DefinedFuncIndex) -> FuncIndex {
        FuncIndex::from_u32(d.as_u32() + self.num_imported_funcs)
    }

    /// The largest result count of any numeric function type: generic entries zero the result
    /// slots up to it, so a caller expecting more results than its callee produces reads 0.
    pub fn max_numeric_results(&self) -> usize {
        self.numeric_types()
            .map(|t| t.results.len())
            .max()
            .unwrap_or(0)
    }

    /// The number of 8-byte slots the buffer of an adapted indirect call needs: the most
    /// parameters or results of any numeric function type, so every callee finds all the
    /// parameters it declares and every caller all the results it expects.
    pub fn cast_call_slots(&self) -> usize {
        self.numeric_types()
            .map(|t| t.params.len().max(t.results.len()))
            .max()
            .unwrap_or(0)
    }

    fn numeric_types(&self) -> impl Iterator<Item = &FuncType> {
        self.canonical_types.values().filter(|t| t.is_numeric())
    }

    /// musl's `__stdio_exit` as the name section names it, a defined function of type
    /// `() -> ()`, in a module whose libc does not flush before `__deinit` itself: the runtime
    /// runs it at `__deinit` for binaries of the reference libc. Our libc's start-up flushes in
    /// `__wali_libc_finish`, and musl's `__stdio_exit` must not run twice (it takes the open-file
    /// lock for good, so a second run deadlocks once threads exist).
    pub fn stdio_exit(&self) -> Option<FuncIndex> {
        if self
            .functions
            .values()
            .any(|function| function.name == "__wali_libc_finish")
        {
            return None;
        }
        self.functions.iter().find_map(|(f, function)| {
            let ty = self.func_type(f);
            (function.import.is_none()
                && function.name == "__stdio_exit"
                && ty.params.is_empty()
                && ty.results.is_empty())
            .then_some(f)
        })
    }

    /// The canonical id of the type with these params and results, if the module has it.
    pub fn find_type_id(&self, params: &[ValType], results: &[ValType]) -> Option<TypeId> {
        self.canonical_types
            .iter()
            .find(|(_, t)| t.params == params && t.results == results)
            .map(|(id, _)| id)
    }
}
