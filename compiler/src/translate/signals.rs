//! The signal poll at loop headers: one load of the runtime's process-wide signal word
//! ([`walic_loader::symbols::SIGNALS_PENDING`]) and one branch that is never taken in normal
//! execution; the runtime call sits in a cold block. The hot path does not use the context
//! pointer (tight loops used to reload it from the stack on every iteration just for the poll);
//! only the cold path needs `vmctx`.
//!
//! Cranelift 0.135's x86-64 backend has no RIP-relative addressing mode for a symbol, so the
//! check is not the ideal `cmpl $0, walic_signals_pending(%rip)`: the address is a
//! `symbol_value` (`lea walic_signals_pending(%rip)`), which the mid-end hoists into the
//! preheader of the header's loop, and the header does `mov (%reg),%r; test %r,%r; jne cold`.
//! Under high register pressure the allocator may still spill that address, and the header then
//! reloads it from the stack first.
//!
//! The runtime's native signal handler makes the word non-zero when it records a signal for some
//! thread; the runtime then delivers the calling thread's pending signals to their wasm handlers
//! (or returns at once if it has none), which is where ABI.md §6.3's synchronous delivery happens
//! for code that makes no calls.

use super::function::{FuncTranslator, TResult};
use super::runtime::RuntimeFn;
use super::NS_DATA;
use super::{poll_stub_signature, NS_POLL_STUB};
use cranelift_codegen::ir::{
    types, ExternalName, FuncRef, GlobalValue, GlobalValueData, InstBuilder, MemFlagsData,
    UserExternalName,
};

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

    /// A new global value for the runtime's signal word, colocated: the program is one statically
    /// linked `-no-pie` executable, so the address is a RIP-relative `lea` without a GOT entry.
    ///
    /// Each loop header gets its own global value. The mid-end merges identical `symbol_value`s
    /// and hoists an argument-less one out of one loop level, so a shared one would be computed
    /// once before the outermost loop and kept live across the whole nest (and across calls),
    /// where the register allocator tends to spill it and reload it in the inner loops (measured:
    /// fannkuch's inner loop reloaded it twice per iteration). A distinct one per header is
    /// computed in the preheader of that header's loop only.
    fn signals_pending_gv(&mut self) -> GlobalValue {
        let data = match self.signals_pending_gv {
            Some(gv) => self.b.func.global_values[gv].clone(),
            None => {
                let name = self
                    .b
                    .func
                    .declare_imported_user_function(UserExternalName {
                        namespace: NS_DATA,
                        index: self.env.signals_pending.as_u32(),
                    });
                GlobalValueData::Symbol {
                    name: ExternalName::user(name),
                    offset: 0.into(),
                    colocated: true,
                    tls: false,
                }
            }
        };
        let gv = self.b.create_global_value(data);
        self.signals_pending_gv.get_or_insert(gv);
        gv
    }

    /// Emits the poll at the start of a loop header (the current block).
    pub(crate) fn poll_signals_at_loop_header(&mut self) -> TResult {
        // A plain load (x86-64 loads are atomic) without `readonly`/`can_move`: the word changes
        // asynchronously, and every load here has a call (the cold poll) or the loop's back edge
        // between it and the next, so no load is merged with another. (`brif` on the loaded
        // value lowers to `mov` + `test`; the load is not folded into a compare.)
        let gv = self.signals_pending_gv();
        let addr = self.b.ins().symbol_value(types::I64, gv);
        let pending = self
            .b
            .ins()
            .load(types::I32, MemFlagsData::trusted(), addr, 0);
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
