//! The runtime functions generated code calls, with their native signatures as documented in
//! `walic_loader::symbols` (all take the context pointer first).

use super::CALL_CONV;
use cranelift_codegen::ir::{types, AbiParam, Signature, Type};
use walic_loader::symbols;

/// A runtime function.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum RuntimeFn {
    /// Deliver pending signals.
    PollSignals,
    /// `memory.grow`.
    MemoryGrow,
    /// `memory.size`.
    MemorySize,
    /// `memory.init`.
    MemoryInit,
    /// `data.drop`.
    DataDrop,
    /// `memory.copy`.
    MemoryCopy,
    /// `memory.fill`.
    MemoryFill,
    /// `table.init`.
    TableInit,
    /// `elem.drop`.
    ElemDrop,
    /// `table.copy`.
    TableCopy,
    /// `table.grow`.
    TableGrow,
    /// `table.fill`.
    TableFill,
    /// `memory.atomic.wait32`.
    AtomicWait32,
    /// `memory.atomic.wait64`.
    AtomicWait64,
    /// `memory.atomic.notify`.
    AtomicNotify,
    /// First return of setjmp.
    Setjmp,
    /// The guarded-call trampoline.
    GuardedCall,
}

impl RuntimeFn {
    /// Every runtime function, by discriminant.
    pub const ALL: [RuntimeFn; 17] = [
        RuntimeFn::PollSignals,
        RuntimeFn::MemoryGrow,
        RuntimeFn::MemorySize,
        RuntimeFn::MemoryInit,
        RuntimeFn::DataDrop,
        RuntimeFn::MemoryCopy,
        RuntimeFn::MemoryFill,
        RuntimeFn::TableInit,
        RuntimeFn::ElemDrop,
        RuntimeFn::TableCopy,
        RuntimeFn::TableGrow,
        RuntimeFn::TableFill,
        RuntimeFn::AtomicWait32,
        RuntimeFn::AtomicWait64,
        RuntimeFn::AtomicNotify,
        RuntimeFn::Setjmp,
        RuntimeFn::GuardedCall,
    ];

    /// The runtime function with this discriminant.
    pub fn from_index(i: u32) -> Option<RuntimeFn> {
        Self::ALL.get(i as usize).copied()
    }

    /// The symbol name.
    pub fn symbol(self) -> &'static str {
        match self {
            RuntimeFn::PollSignals => symbols::POLL_SIGNALS,
            RuntimeFn::MemoryGrow => symbols::MEMORY_GROW,
            RuntimeFn::MemorySize => symbols::MEMORY_SIZE,
            RuntimeFn::MemoryInit => symbols::MEMORY_INIT,
            RuntimeFn::DataDrop => symbols::DATA_DROP,
            RuntimeFn::MemoryCopy => symbols::MEMORY_COPY,
            RuntimeFn::MemoryFill => symbols::MEMORY_FILL,
            RuntimeFn::TableInit => symbols::TABLE_INIT,
            RuntimeFn::ElemDrop => symbols::ELEM_DROP,
            RuntimeFn::TableCopy => symbols::TABLE_COPY,
            RuntimeFn::TableGrow => symbols::TABLE_GROW,
            RuntimeFn::TableFill => symbols::TABLE_FILL,
            RuntimeFn::AtomicWait32 => symbols::ATOMIC_WAIT32,
            RuntimeFn::AtomicWait64 => symbols::ATOMIC_WAIT64,
            RuntimeFn::AtomicNotify => symbols::ATOMIC_NOTIFY,
            RuntimeFn::Setjmp => symbols::SETJMP,
            RuntimeFn::GuardedCall => symbols::GUARDED_CALL,
        }
    }

    /// Parameter types after the context pointer, and the result type.
    fn shape(self) -> (&'static [Type], Option<Type>) {
        use types::{I32, I64};
        match self {
            RuntimeFn::PollSignals => (&[], None),
            RuntimeFn::MemoryGrow => (&[I32], Some(I32)),
            RuntimeFn::MemorySize => (&[], Some(I32)),
            RuntimeFn::MemoryInit => (&[I32, I32, I32, I32], Some(I32)),
            RuntimeFn::DataDrop => (&[I32], None),
            RuntimeFn::MemoryCopy => (&[I32, I32, I32], Some(I32)),
            RuntimeFn::MemoryFill => (&[I32, I32, I32], Some(I32)),
            RuntimeFn::TableInit => (&[I32, I32, I32, I32, I32], Some(I32)),
            RuntimeFn::ElemDrop => (&[I32], None),
            RuntimeFn::TableCopy => (&[I32, I32, I32, I32, I32], Some(I32)),
            RuntimeFn::TableGrow => (&[I32, I64, I32], Some(I32)),
            RuntimeFn::TableFill => (&[I32, I32, I64, I32], Some(I32)),
            RuntimeFn::AtomicWait32 => (&[I32, I32, I64], Some(I32)),
            RuntimeFn::AtomicWait64 => (&[I32, I64, I64], Some(I32)),
            RuntimeFn::AtomicNotify => (&[I32, I32], Some(I32)),
            RuntimeFn::Setjmp => (&[I32, I32, I32, I32, I64], Some(I32)),
            RuntimeFn::GuardedCall => (&[I64, I64, I64], Some(I64)),
        }
    }

    /// The native signature.
    pub fn signature(self) -> Signature {
        let (params, result) = self.shape();
        let mut sig = Signature::new(CALL_CONV);
        sig.params.push(AbiParam::new(types::I64));
        sig.params.extend(params.iter().map(|t| AbiParam::new(*t)));
        sig.returns.extend(result.map(AbiParam::new));
        sig
    }
}
