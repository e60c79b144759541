//! The signal poll at loop headers: one load of the context's pending flag and one branch that
//! is never taken in normal execution; the runtime call sits in a cold block.
//!
//! A signal handler (or another thread) sets the flag; the runtime delivers pending signals to
//! their wasm handlers when called here, which is where ABI.md §6.3's synchronous delivery
//! happens for code that makes no calls.

use super::function::{FuncTranslator, TResult};
use super::runtime::RuntimeFn;
use super::{poll_stub_signature, NS_POLL_STUB};
use cranelift_codegen::ir::{types, FuncRef, InstBuilder, MemFlagsData};

impl FuncTranslator<'_, '_, '_> {
    /// The reference to the preserve-all poll stub (declared once per function).
    fn poll_stub_ref(&mut self) -> FuncRef {
        if let Some(r) = self.poll_stub {
            return r;
        }
        let sig = self.b.import_signature(poll_stub_signature());
        let r = self.declare_ext_func(NS_POLL_STUB, 0, sig);
        self.poll_stub = Some(r);
        r
    }

    /// Emits the poll at the start of a loop header (the current block).
    pub(crate) fn poll_signals_at_loop_header(&mut self) -> TResult {
        // An atomic load: the flag is set asynchronously (signal handlers, other threads), so
        // the optimiser must never reuse an earlier load of it. On x86-64 it is a plain `mov`.
        let flag = self
            .b
            .ins()
            .iadd_imm_u(self.vmctx, i64::from(walic_loader::vmctx::SIGNAL_PENDING));
        let pending = self
            .b
            .ins()
            .atomic_load(types::I32, MemFlagsData::trusted(), flag);
        let deliver = self.b.create_block();
        let body = self.b.create_block();
        self.b.set_cold_block(deliver);
        self.b.ins().brif(pending, deliver, &[], body, &[]);
        self.b.seal_block(deliver);
        self.b.switch_to_block(deliver);
        if self.setjmp.is_some() {
            // A signal handler may longjmp, so the poll is a guarded call like any other.
            self.call_runtime(RuntimeFn::PollSignals, &[])?;
        } else {
            // Through the preserve-all stub: a plain SysV call here clobbers every caller-saved
            // register, which made the register allocator keep loop-carried values (the
            // context pointer, float accumulators) in stack slots for the whole loop.
            let stub = self.poll_stub_ref();
            self.b.ins().call(stub, &[self.vmctx]);
        }
        self.b.ins().jump(body, &[]);
        self.b.seal_block(body);
        self.b.switch_to_block(body);
        Ok(())
    }
}
