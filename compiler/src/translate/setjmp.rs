//! setjmp/longjmp (ABI.md §8), lowered per the contract in `walic_loader::symbols` (`SETJMP`,
//! `GUARDED_CALL`).
//!
//! In a function that calls `setjmp`, `_setjmp` or `sigsetjmp`:
//! - each setjmp call site `s` becomes `walic_rt_setjmp(vmctx, buf, mask, func, s, frame)`
//!   (`frame` = this activation's frame pointer), whose 0 result flows into a join block `J_s`;
//! - every other call goes through `walic_rt_guarded_call(vmctx, frame, thunk, slots)`: the callee's
//!   code pointer goes to `slots[0]` and its arguments to `slots[1..]`; a per-signature thunk
//!   performs the call and writes the results back to `slots[1..]`. When a `longjmp` unwinds to
//!   this activation, the trampoline returns `(site << 32) | value` instead of 0, and a shared
//!   dispatch block branches to `J_site` with `value`.
//!
//! Because the second return of setjmp is a real CFG edge (guarded call → dispatch → `J_s`),
//! Cranelift's SSA construction gives every wasm local and operand the value it had at the call
//! that longjmp'd; nothing is cached across the call that the optimiser could get wrong. At a
//! setjmp site the operand stack is moved into variables so `J_s` can be reached from the
//! dispatch edge.

use super::function::FuncTranslator;
use super::runtime::RuntimeFn;
use super::{thunk_signature, ThunkKind, NS_THUNK};
use cranelift_codegen::ir::{
    types, Block, BlockArg, FuncRef, InstBuilder, JumpTableData, MemFlagsData, StackSlot,
    StackSlotData, StackSlotKind, Type, Value,
};
use cranelift_frontend::FunctionBuilder;
use std::collections::HashMap;
use walic_loader::trap::Trap;

/// Per-function setjmp lowering state.
pub(crate) struct SetjmpState {
    /// This activation's frame pointer (identifies it to the runtime).
    frame: Value,
    /// The argument/result slots of guarded calls (sized at the end).
    slots: StackSlot,
    max_slots: u32,
    /// Shared target of every guarded call's second return; its parameter is the trampoline's
    /// result.
    dispatch: Block,
    dispatch_result: Value,
    /// The join block of each setjmp site.
    sites: Vec<Block>,
    thunks: HashMap<ThunkKind, FuncRef>,
}

impl SetjmpState {
    /// Sets up the state; must be called while the entry block is current.
    pub(crate) fn new(b: &mut FunctionBuilder<'_>) -> Self {
        let frame = b.ins().get_frame_pointer(types::I64);
        let slots =
            b.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 8, 3));
        let dispatch = b.create_block();
        let dispatch_result = b.append_block_param(dispatch, types::I64);
        b.set_cold_block(dispatch);
        SetjmpState {
            frame,
            slots,
            max_slots: 1,
            dispatch,
            dispatch_result,
            sites: Vec::new(),
            thunks: HashMap::new(),
        }
    }
}

impl FuncTranslator<'_, '_, '_> {
    fn thunk_ref(&mut self, kind: ThunkKind) -> FuncRef {
        if let Some(r) = self.setjmp.as_ref().and_then(|s| s.thunks.get(&kind)) {
            return *r;
        }
        let sig = self.b.import_signature(thunk_signature());
        let r = self.declare_ext_func(NS_THUNK, kind.key(), sig);
        self.setjmp
            .as_mut()
            .expect("setjmp mode")
            .thunks
            .insert(kind, r);
        r
    }

    /// Calls `code` through the guarded-call trampoline; returns the callee's results.
    pub(crate) fn guarded_call(
        &mut self,
        code: Value,
        kind: ThunkKind,
        args: &[Value],
        result_types: &[Type],
    ) -> Vec<Value> {
        let thunk = self.thunk_ref(kind);
        // Slot 0 holds the code pointer; arguments, then results, follow it.
        let arg_types: Vec<Type> = args
            .iter()
            .map(|a| self.b.func.dfg.value_type(*a))
            .collect();
        let (arg_offsets, arg_slots) = super::slot_layout(arg_types.iter().copied());
        let (result_offsets, result_slots) = super::slot_layout(result_types.iter().copied());
        let state = self.setjmp.as_mut().expect("setjmp mode");
        let needed = 1 + arg_slots.max(result_slots);
        state.max_slots = state.max_slots.max(needed);
        let (frame, slots_slot, dispatch) = (state.frame, state.slots, state.dispatch);

        let slots = self.b.ins().stack_addr(types::I64, slots_slot, 0);
        let flags = MemFlagsData::trusted();
        self.b.ins().store(flags, code, slots, 0);
        for ((a, t), at) in args.iter().zip(&arg_types).zip(&arg_offsets) {
            self.b.ins().store(super::slot_flags(*t), *a, slots, 8 + at);
        }
        let thunk_addr = self.b.ins().func_addr(types::I64, thunk);
        let guarded = self.runtime_ref(RuntimeFn::GuardedCall);
        let call = self
            .b
            .ins()
            .call(guarded, &[self.vmctx, frame, thunk_addr, slots]);
        let r = self.b.inst_results(call)[0];
        let cont = self.b.create_block();
        self.b
            .ins()
            .brif(r, dispatch, &[BlockArg::Value(r)], cont, &[]);
        self.b.seal_block(cont);
        self.b.switch_to_block(cont);
        result_types
            .iter()
            .zip(&result_offsets)
            .map(|(t, at)| self.b.ins().load(*t, super::slot_flags(*t), slots, 8 + at))
            .collect()
    }

    /// Lowers a call to a setjmp import (the arguments are on the operand stack).
    pub(crate) fn translate_setjmp_call(&mut self, has_mask_arg: bool) {
        let mask = if has_mask_arg {
            self.pop()
        } else {
            self.b.ins().iconst(types::I32, 0)
        };
        let buf = self.pop();
        // Everything still on the operand stack must survive into the join block along the
        // dispatch edge too: keep it in variables.
        let saved: Vec<_> = self
            .stack
            .iter()
            .map(|v| {
                let ty = self.b.func.dfg.value_type(*v);
                let var = self.b.declare_var(ty);
                self.b.def_var(var, *v);
                var
            })
            .collect();
        let state = self.setjmp.as_mut().expect("setjmp mode");
        let site = state.sites.len() as u32;
        let frame = state.frame;
        let join = self.b.create_block();
        let result = self.b.append_block_param(join, types::I32);
        state.sites.push(join);
        let func = self
            .b
            .ins()
            .iconst(types::I32, i64::from(self.func_index.as_u32()));
        let site_value = self.b.ins().iconst(types::I32, i64::from(site));
        let setjmp = self.runtime_ref(RuntimeFn::Setjmp);
        let call = self
            .b
            .ins()
            .call(setjmp, &[self.vmctx, buf, mask, func, site_value, frame]);
        let first = self.b.inst_results(call)[0];
        self.b.ins().jump(join, &[BlockArg::Value(first)]);
        self.b.switch_to_block(join);
        self.stack = saved.into_iter().map(|var| self.b.use_var(var)).collect();
        self.push(result);
    }

    /// Fills the dispatch block once every setjmp site is known, and sizes the slots.
    pub(crate) fn finish_setjmp(&mut self) {
        let state = self.setjmp.take().expect("setjmp mode");
        self.b.func.sized_stack_slots[state.slots].size = 8 * state.max_slots;
        self.b.switch_to_block(state.dispatch);
        let r = state.dispatch_result;
        let high = self.b.ins().ushr_imm_u(r, 32);
        let site = self.b.ins().ireduce(types::I32, high);
        let value = self.b.ins().ireduce(types::I32, r);
        let landing: Vec<Block> = state.sites.iter().map(|_| self.b.create_block()).collect();
        let invalid = self.b.create_block();
        let dfg = &mut self.b.func.dfg;
        let default = dfg.block_call(invalid, &[]);
        let calls: Vec<_> = landing.iter().map(|l| dfg.block_call(*l, &[])).collect();
        let jt = self
            .b
            .create_jump_table(JumpTableData::new(default, &calls));
        self.b.ins().br_table(site, jt);
        for (l, join) in landing.iter().zip(&state.sites) {
            self.b.switch_to_block(*l);
            self.b.ins().jump(*join, &[BlockArg::Value(value)]);
        }
        // The runtime only ever returns sites it was given; anything else is a runtime bug.
        self.b.switch_to_block(invalid);
        self.b.ins().trap(crate::traps::code(Trap::Unreachable));
    }
}
