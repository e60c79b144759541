//! Linear memory: addressing, loads, stores and the bulk-memory operators.
//!
//! The runtime reserves 8 GiB of address space for linear memory, so `base + zext(addr) +
//! offset` with a u32 address and a u32 offset always lands in the reservation: no bounds checks
//! are emitted. `base` lives in the pinned register r15 for the whole program
//! (`walic_loader::vmctx::VmContext::memory_base`). Each access carries the `heap_oob` trap code (Cranelift's default for loads and
//! stores), so a fault in an inaccessible page is reported as an out-of-bounds access.

use super::function::{FuncTranslator, LoadKind, StoreKind, TResult};
use super::runtime::RuntimeFn;
use crate::traps;
use cranelift_codegen::ir::{types, InstBuilder, MemFlagsData, Type, Value};
use walic_loader::trap::Trap;
use wasmparser::MemArg;

impl FuncTranslator<'_, '_, '_> {
    /// Flags of a linear-memory access: may trap (as `heap_oob`), little-endian, in the heap
    /// alias region (so heap stores do not invalidate loads of globals or table metadata).
    pub(crate) fn heap_flags(&self) -> MemFlagsData {
        MemFlagsData::new()
            .with_endianness(cranelift_codegen::ir::Endianness::Little)
            .with_alias_region(Some(self.heap_region))
    }

    /// The host address for wasm address `addr` and the immediate offset to use with it.
    pub(crate) fn heap_address(&mut self, addr: Value, offset: u64) -> (Value, i32) {
        debug_assert!(
            self.env.module.memory.is_some(),
            "validated: the module has a memory"
        );
        // Read once per block: a single read in the entry block would be one more long-lived
        // value, which big functions kept in a stack slot and reloaded before every access; a read
        // per access is a register move per access (Cranelift never merges two reads).
        let block = self.b.current_block().expect("inside a block");
        let base = match self.heap_base {
            Some((b, v)) if b == block => v,
            _ => {
                let v = self.b.ins().get_pinned_reg(types::I64);
                self.heap_base = Some((block, v));
                v
            }
        };
        let wide = self.b.ins().uextend(types::I64, addr);
        let host = self.b.ins().iadd(base, wide);
        if offset <= i32::MAX as u64 {
            (host, offset as i32)
        } else {
            (self.b.ins().iadd_imm_u(host, offset as i64), 0)
        }
    }

    /// The host address `base + addr + offset` as one value.
    pub(crate) fn heap_address_full(&mut self, addr: Value, offset: u64) -> Value {
        let (host, imm) = self.heap_address(addr, offset);
        if imm == 0 {
            host
        } else {
            self.b.ins().iadd_imm_u(host, i64::from(imm))
        }
    }

    pub(crate) fn load(&mut self, ty: Type, kind: LoadKind, memarg: &MemArg) {
        let addr = self.pop();
        let (p, off) = self.heap_address(addr, memarg.offset);
        let f = self.heap_flags();
        let ins = self.b.ins();
        let v = match kind {
            LoadKind::Plain => ins.load(ty, f, p, off),
            LoadKind::S8 => ins.sload8(ty, f, p, off),
            LoadKind::U8 => ins.uload8(ty, f, p, off),
            LoadKind::S16 => ins.sload16(ty, f, p, off),
            LoadKind::U16 => ins.uload16(ty, f, p, off),
            LoadKind::S32 => ins.sload32(f, p, off),
            LoadKind::U32 => ins.uload32(f, p, off),
        };
        self.push(v);
    }

    pub(crate) fn store(&mut self, kind: StoreKind, memarg: &MemArg) {
        let (addr, value) = self.pop2();
        let (p, off) = self.heap_address(addr, memarg.offset);
        let f = self.heap_flags();
        let ins = self.b.ins();
        match kind {
            StoreKind::Full => ins.store(f, value, p, off),
            StoreKind::B8 => ins.istore8(f, value, p, off),
            StoreKind::B16 => ins.istore16(f, value, p, off),
            StoreKind::B32 => ins.istore32(f, value, p, off),
        };
    }

    /// Traps with `trap` when `status` (an i32 returned by the runtime) is non-zero.
    pub(crate) fn trap_if_nonzero(&mut self, status: Value, trap: Trap) {
        self.b.ins().trapnz(status, traps::code(trap));
    }

    pub(crate) fn translate_memory_size(&mut self) -> TResult {
        let v = self
            .call_runtime(RuntimeFn::MemorySize, &[])?
            .expect("result");
        self.push(v);
        Ok(())
    }

    pub(crate) fn translate_memory_grow(&mut self) -> TResult {
        let delta = self.pop();
        let v = self
            .call_runtime(RuntimeFn::MemoryGrow, &[delta])?
            .expect("result");
        self.push(v);
        Ok(())
    }

    pub(crate) fn translate_memory_init(&mut self, segment: u32) -> TResult {
        let (dst, src, len) = self.pop3();
        let seg = self.b.ins().iconst(types::I32, i64::from(segment));
        let status = self
            .call_runtime(RuntimeFn::MemoryInit, &[seg, dst, src, len])?
            .expect("result");
        self.trap_if_nonzero(status, Trap::HeapOutOfBounds);
        Ok(())
    }

    pub(crate) fn translate_data_drop(&mut self, segment: u32) -> TResult {
        let seg = self.b.ins().iconst(types::I32, i64::from(segment));
        self.call_runtime(RuntimeFn::DataDrop, &[seg])?;
        Ok(())
    }

    pub(crate) fn translate_memory_copy(&mut self) -> TResult {
        let (dst, src, len) = self.pop3();
        let status = self
            .call_runtime(RuntimeFn::MemoryCopy, &[dst, src, len])?
            .expect("result");
        self.trap_if_nonzero(status, Trap::HeapOutOfBounds);
        Ok(())
    }

    pub(crate) fn translate_memory_fill(&mut self) -> TResult {
        let (dst, value, len) = self.pop3();
        let status = self
            .call_runtime(RuntimeFn::MemoryFill, &[dst, value, len])?
            .expect("result");
        self.trap_if_nonzero(status, Trap::HeapOutOfBounds);
        Ok(())
    }
}
