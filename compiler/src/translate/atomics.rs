//! The threads proposal: atomic loads, stores, read-modify-write and compare-exchange, wait and
//! notify. Every atomic access first checks its alignment (wasm requires misaligned atomics to
//! trap; x86 would silently perform them), then accesses memory like a plain access.

use super::function::{FuncTranslator, TResult};
use super::runtime::RuntimeFn;
use cranelift_codegen::ir::{condcodes::IntCC, types, AtomicRmwOp, InstBuilder, Type, Value};
use walic_loader::trap::Trap;
use wasmparser::{MemArg, Operator};

/// A read-modify-write operator.
#[derive(Clone, Copy)]
pub(crate) enum Rmw {
    Op(AtomicRmwOp),
    Cmpxchg,
}

/// For an atomic RMW or cmpxchg operator: (wasm result type, memory access type, operation).
pub(crate) fn rmw_shape(op: &Operator<'_>) -> Option<(Type, Type, Rmw)> {
    use types::{I16, I32, I64, I8};
    use AtomicRmwOp::*;
    use Operator::*;
    let r = |t, a, o| Some((t, a, Rmw::Op(o)));
    match op {
        I32AtomicRmwAdd { .. } => r(I32, I32, Add),
        I64AtomicRmwAdd { .. } => r(I64, I64, Add),
        I32AtomicRmw8AddU { .. } => r(I32, I8, Add),
        I32AtomicRmw16AddU { .. } => r(I32, I16, Add),
        I64AtomicRmw8AddU { .. } => r(I64, I8, Add),
        I64AtomicRmw16AddU { .. } => r(I64, I16, Add),
        I64AtomicRmw32AddU { .. } => r(I64, I32, Add),
        I32AtomicRmwSub { .. } => r(I32, I32, Sub),
        I64AtomicRmwSub { .. } => r(I64, I64, Sub),
        I32AtomicRmw8SubU { .. } => r(I32, I8, Sub),
        I32AtomicRmw16SubU { .. } => r(I32, I16, Sub),
        I64AtomicRmw8SubU { .. } => r(I64, I8, Sub),
        I64AtomicRmw16SubU { .. } => r(I64, I16, Sub),
        I64AtomicRmw32SubU { .. } => r(I64, I32, Sub),
        I32AtomicRmwAnd { .. } => r(I32, I32, And),
        I64AtomicRmwAnd { .. } => r(I64, I64, And),
        I32AtomicRmw8AndU { .. } => r(I32, I8, And),
        I32AtomicRmw16AndU { .. } => r(I32, I16, And),
        I64AtomicRmw8AndU { .. } => r(I64, I8, And),
        I64AtomicRmw16AndU { .. } => r(I64, I16, And),
        I64AtomicRmw32AndU { .. } => r(I64, I32, And),
        I32AtomicRmwOr { .. } => r(I32, I32, Or),
        I64AtomicRmwOr { .. } => r(I64, I64, Or),
        I32AtomicRmw8OrU { .. } => r(I32, I8, Or),
        I32AtomicRmw16OrU { .. } => r(I32, I16, Or),
        I64AtomicRmw8OrU { .. } => r(I64, I8, Or),
        I64AtomicRmw16OrU { .. } => r(I64, I16, Or),
        I64AtomicRmw32OrU { .. } => r(I64, I32, Or),
        I32AtomicRmwXor { .. } => r(I32, I32, Xor),
        I64AtomicRmwXor { .. } => r(I64, I64, Xor),
        I32AtomicRmw8XorU { .. } => r(I32, I8, Xor),
        I32AtomicRmw16XorU { .. } => r(I32, I16, Xor),
        I64AtomicRmw8XorU { .. } => r(I64, I8, Xor),
        I64AtomicRmw16XorU { .. } => r(I64, I16, Xor),
        I64AtomicRmw32XorU { .. } => r(I64, I32, Xor),
        I32AtomicRmwXchg { .. } => r(I32, I32, Xchg),
        I64AtomicRmwXchg { .. } => r(I64, I64, Xchg),
        I32AtomicRmw8XchgU { .. } => r(I32, I8, Xchg),
        I32AtomicRmw16XchgU { .. } => r(I32, I16, Xchg),
        I64AtomicRmw8XchgU { .. } => r(I64, I8, Xchg),
        I64AtomicRmw16XchgU { .. } => r(I64, I16, Xchg),
        I64AtomicRmw32XchgU { .. } => r(I64, I32, Xchg),
        I32AtomicRmwCmpxchg { .. } => Some((I32, I32, Rmw::Cmpxchg)),
        I64AtomicRmwCmpxchg { .. } => Some((I64, I64, Rmw::Cmpxchg)),
        I32AtomicRmw8CmpxchgU { .. } => Some((I32, I8, Rmw::Cmpxchg)),
        I32AtomicRmw16CmpxchgU { .. } => Some((I32, I16, Rmw::Cmpxchg)),
        I64AtomicRmw8CmpxchgU { .. } => Some((I64, I8, Rmw::Cmpxchg)),
        I64AtomicRmw16CmpxchgU { .. } => Some((I64, I16, Rmw::Cmpxchg)),
        I64AtomicRmw32CmpxchgU { .. } => Some((I64, I32, Rmw::Cmpxchg)),
        _ => None,
    }
}

fn memarg_of(op: &Operator<'_>) -> MemArg {
    use Operator::*;
    match *op {
        I32AtomicRmwAdd { memarg }
        | I64AtomicRmwAdd { memarg }
        | I32AtomicRmw8AddU { memarg }
        | I32AtomicRmw16AddU { memarg }
        | I64AtomicRmw8AddU { memarg }
        | I64AtomicRmw16AddU { memarg }
        | I64AtomicRmw32AddU { memarg }
        | I32AtomicRmwSub { memarg }
        | I64AtomicRmwSub { memarg }
        | I32AtomicRmw8SubU { memarg }
        | I32AtomicRmw16SubU { memarg }
        | I64AtomicRmw8SubU { memarg }
        | I64AtomicRmw16SubU { memarg }
        | I64AtomicRmw32SubU { memarg }
        | I32AtomicRmwAnd { memarg }
        | I64AtomicRmwAnd { memarg }
        | I32AtomicRmw8AndU { memarg }
        | I32AtomicRmw16AndU { memarg }
        | I64AtomicRmw8AndU { memarg }
        | I64AtomicRmw16AndU { memarg }
        | I64AtomicRmw32AndU { memarg }
        | I32AtomicRmwOr { memarg }
        | I64AtomicRmwOr { memarg }
        | I32AtomicRmw8OrU { memarg }
        | I32AtomicRmw16OrU { memarg }
        | I64AtomicRmw8OrU { memarg }
        | I64AtomicRmw16OrU { memarg }
        | I64AtomicRmw32OrU { memarg }
        | I32AtomicRmwXor { memarg }
        | I64AtomicRmwXor { memarg }
        | I32AtomicRmw8XorU { memarg }
        | I32AtomicRmw16XorU { memarg }
        | I64AtomicRmw8XorU { memarg }
        | I64AtomicRmw16XorU { memarg }
        | I64AtomicRmw32XorU { memarg }
        | I32AtomicRmwXchg { memarg }
        | I64AtomicRmwXchg { memarg }
        | I32AtomicRmw8XchgU { memarg }
        | I32AtomicRmw16XchgU { memarg }
        | I64AtomicRmw8XchgU { memarg }
        | I64AtomicRmw16XchgU { memarg }
        | I64AtomicRmw32XchgU { memarg }
        | I32AtomicRmwCmpxchg { memarg }
        | I64AtomicRmwCmpxchg { memarg }
        | I32AtomicRmw8CmpxchgU { memarg }
        | I32AtomicRmw16CmpxchgU { memarg }
        | I64AtomicRmw8CmpxchgU { memarg }
        | I64AtomicRmw16CmpxchgU { memarg }
        | I64AtomicRmw32CmpxchgU { memarg } => memarg,
        _ => unreachable!("rmw_shape accepted the operator"),
    }
}

impl FuncTranslator<'_, '_, '_> {
    /// The host address of an atomic access of `size` bytes, after the alignment check.
    /// Linear memory's base is page-aligned, so host and wasm alignment agree.
    fn atomic_address(&mut self, addr: Value, memarg: &MemArg, size: u32) -> Value {
        let p = self.heap_address_full(addr, memarg.offset);
        if size > 1 {
            let misaligned = self.b.ins().band_imm_u(p, i64::from(size - 1));
            self.trap_if_nonzero(misaligned, Trap::UnalignedAtomic);
        }
        p
    }

    pub(crate) fn atomic_load(&mut self, ty: Type, access: Type, memarg: &MemArg) {
        let addr = self.pop();
        let p = self.atomic_address(addr, memarg, access.bytes());
        let heap = self.heap_flags();
        let v = self.b.ins().atomic_load(access, heap, p);
        let v = if access == ty {
            v
        } else {
            self.b.ins().uextend(ty, v)
        };
        self.push(v);
    }

    pub(crate) fn atomic_store(&mut self, access: Type, memarg: &MemArg) {
        let (addr, value) = self.pop2();
        let p = self.atomic_address(addr, memarg, access.bytes());
        let value = if self.b.func.dfg.value_type(value) == access {
            value
        } else {
            self.b.ins().ireduce(access, value)
        };
        let heap = self.heap_flags();
        self.b.ins().atomic_store(heap, value, p);
    }

    pub(crate) fn atomic_rmw(&mut self, ty: Type, access: Type, rmw: Rmw, op: &Operator<'_>) {
        let memarg = memarg_of(op);
        let narrow = |t: &mut Self, v: Value| {
            if access == ty {
                v
            } else {
                t.b.ins().ireduce(access, v)
            }
        };
        let result = match rmw {
            Rmw::Op(o) => {
                let (addr, x) = self.pop2();
                let p = self.atomic_address(addr, &memarg, access.bytes());
                let x = narrow(self, x);
                let heap = self.heap_flags();
                self.b.ins().atomic_rmw(access, heap, o, p, x)
            }
            Rmw::Cmpxchg => {
                let (addr, expected, replacement) = self.pop3();
                let p = self.atomic_address(addr, &memarg, access.bytes());
                let expected = narrow(self, expected);
                let replacement = narrow(self, replacement);
                let heap = self.heap_flags();
                self.b.ins().atomic_cas(heap, p, expected, replacement)
            }
        };
        let v = if access == ty {
            result
        } else {
            self.b.ins().uextend(ty, result)
        };
        self.push(v);
    }

    /// The effective wasm address (u32) of a wait/notify, after checking alignment and touching
    /// the word so an out-of-bounds address faults here (reported as out of bounds).
    fn checked_wait_address(&mut self, addr: Value, memarg: &MemArg, size: u32) -> Value {
        let p = self.atomic_address(addr, memarg, size);
        let access = if size == 8 { types::I64 } else { types::I32 };
        let heap = self.heap_flags();
        self.b.ins().load(access, heap, p, 0);
        if memarg.offset == 0 {
            addr
        } else {
            self.b.ins().iadd_imm_u(addr, memarg.offset as i64)
        }
    }

    pub(crate) fn translate_atomic_wait(&mut self, memarg: &MemArg, ty: Type) -> TResult {
        let (addr, expected, timeout) = self.pop3();
        let size = ty.bytes();
        let effective = self.checked_wait_address(addr, memarg, size);
        let (f, expected) = if ty == types::I32 {
            (RuntimeFn::AtomicWait32, expected)
        } else {
            (RuntimeFn::AtomicWait64, expected)
        };
        let result = self
            .call_runtime(f, &[effective, expected, timeout])?
            .expect("result");
        let unshared = self.b.ins().icmp_imm_u(IntCC::Equal, result, 3);
        self.trap_if_nonzero(unshared, Trap::WaitOnUnsharedMemory);
        self.push(result);
        Ok(())
    }

    pub(crate) fn translate_atomic_notify(&mut self, memarg: &MemArg) -> TResult {
        let (addr, count) = self.pop2();
        let effective = self.checked_wait_address(addr, memarg, 4);
        let woken = self
            .call_runtime(RuntimeFn::AtomicNotify, &[effective, count])?
            .expect("result");
        self.push(woken);
        Ok(())
    }
}
