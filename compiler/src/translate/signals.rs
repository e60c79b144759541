//! Where generated code looks for signals recorded for its thread.
//!
//! Hot code never polls: the runtime's native signal handler runs a wasm handler at once when the
//! interrupted PC is in compiled code (see `walic_loader::symbols::POLL_SIGNALS`). A signal that
//! arrives while the thread is inside the runtime, or inside a function that calls setjmp, is
//! recorded in the thread's `vmctx.signal_pending` flag instead, and generated code delivers it by
//! testing that flag (one load and a never-taken branch to a cold call):
//! - right after every call into the runtime, since the runtime's own check before it returns can
//!   miss a signal that arrives just after it;
//! - at the loop headers of functions that call setjmp (their own code defers signals, so a loop
//!   that makes no call must still come across a check).
//!
//! Every loop header also gets a zero-cost compiler barrier (see [`FuncTranslator::at_loop_header`]).
//!
//! Functions that call setjmp are reached through a wrapper (see `emit::stubs::defer_wrapper`)
//! that checks once more when the body returns.

use super::function::{FuncTranslator, TResult};
use super::runtime::RuntimeFn;
use super::{poll_stub_signature, NS_POLL_STUB};
use cranelift_codegen::ir::{types, Block, FuncRef, InstBuilder, MemFlagsData, Value};
use cranelift_frontend::FunctionBuilder;
use walic_loader::vmctx::SIGNAL_PENDING;

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

    /// Delivers this thread's recorded signals if there are any: tests `vmctx.signal_pending` and
    /// calls the runtime from a cold block.
    pub(crate) fn check_signals(&mut self) -> TResult {
        let next = begin_signal_check(&mut self.b, self.vmctx);
        if self.setjmp.is_some() {
            // A signal handler may longjmp, so the poll is a guarded call like any other.
            self.call_runtime(RuntimeFn::PollSignals, &[])?;
        } else {
            // Through the preserve-all stub: a plain SysV call here would clobber every
            // caller-saved register, and the register allocator would then keep values that live
            // across the check (float values above all) in stack slots.
            let stub = self.poll_stub_ref();
            self.b.ins().call(stub, &[self.vmctx]);
        }
        end_signal_check(&mut self.b, next);
        Ok(())
    }

    /// The start of a loop header (the current block).
    ///
    /// Every header gets a `sequence_point`: it emits no code, but Cranelift's alias analysis
    /// treats it as a memory fence, so a load inside the loop is never replaced by a value loaded
    /// or stored before the loop or in an earlier iteration. Wasm has no `volatile`, yet memory
    /// does change under a running loop: a signal handler runs on the same thread in the middle of
    /// it (C's `volatile sig_atomic_t` flags compile to plain loads), and other threads write
    /// shared memory. The poll calls loop headers used to have fenced the same way.
    ///
    /// Functions that defer signals also check for them here.
    pub(crate) fn at_loop_header(&mut self) -> TResult {
        self.b.ins().sequence_point();
        if self.setjmp.is_some() {
            self.check_signals()?;
        }
        Ok(())
    }
}

/// Emits the test of `vmctx.signal_pending` and a branch to a new cold block, which becomes the
/// current block (the caller emits the delivery there); returns the block after the check, for
/// [`end_signal_check`].
pub(crate) fn begin_signal_check(b: &mut FunctionBuilder<'_>, vmctx: Value) -> Block {
    // A plain load without `readonly`/`can_move`: the flag changes asynchronously.
    let pending = b
        .ins()
        .load(types::I32, MemFlagsData::trusted(), vmctx, SIGNAL_PENDING);
    let deliver = b.create_block();
    let next = b.create_block();
    b.set_cold_block(deliver);
    b.ins().brif(pending, deliver, &[], next, &[]);
    b.seal_block(deliver);
    b.switch_to_block(deliver);
    next
}

/// Ends the delivery block of [`begin_signal_check`] and continues in `next`.
pub(crate) fn end_signal_check(b: &mut FunctionBuilder<'_>, next: Block) {
    b.ins().jump(next, &[]);
    b.seal_block(next);
    b.switch_to_block(next);
}
