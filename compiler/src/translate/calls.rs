//! Calls: direct calls, `call_indirect` (bounds, null and signature checks), calls to imports
//! through the uniform native import ABI, and calls into the runtime.
//!
//! Every call a function makes goes through [`FuncTranslator::emit_call`], which in a function
//! that calls setjmp routes it through the runtime's guarded-call trampoline (see `setjmp.rs`).

use super::function::{FuncTranslator, Stop, TResult};
use super::runtime::RuntimeFn;
use super::{
    cast_adapter_signature, clif_type, import_signature, wasm_signature, ThunkKind, IMPORT_ARGS,
    NS_CAST_ADAPTER, NS_DATA, NS_FUNC, NS_IMPORT, NS_RUNTIME,
};
use crate::module::{FuncIndex, ImportKind, TableIndex, TypeIndex, ValType};
use cranelift_codegen::ir::{
    condcodes::IntCC, types, Block, BlockArg, ExtFuncData, ExternalName, FuncRef, GlobalValueData,
    InstBuilder, MemFlagsData, SigRef, Type, UserExternalName, Value,
};
use walic_loader::metadata::{offsets, FUNCREF_CODE, FUNCREF_GENERIC, FUNCREF_TYPE_ID};
use walic_loader::trap::Trap;

/// Loads from `FuncRef` records: they are immutable.
const FUNCREF_RECORD: MemFlagsData = MemFlagsData::trusted().with_readonly();

/// What a call targets.
pub(crate) enum Callee {
    /// A symbol, called with `call rel32`.
    Direct(FuncRef),
    /// A code pointer with this signature.
    Indirect(SigRef, Value),
}

impl FuncTranslator<'_, '_, '_> {
    /// Declares an external function named `namespace:index`, colocated (the whole program is
    /// one statically linked executable, so every call is a direct `call rel32`).
    pub(crate) fn declare_ext_func(&mut self, namespace: u32, index: u32, sig: SigRef) -> FuncRef {
        let name = self
            .b
            .func
            .declare_imported_user_function(UserExternalName { namespace, index });
        self.b.import_function(ExtFuncData {
            name: ExternalName::user(name),
            signature: sig,
            colocated: true,
            patchable: false,
        })
    }

    /// The signature reference for wasm type `ty`.
    pub(crate) fn wasm_sig_ref(&mut self, ty: TypeIndex) -> SigRef {
        let id = self.env.module.type_ids[ty];
        if let Some(s) = self.sig_refs.get(&id) {
            return *s;
        }
        let sig = self
            .b
            .import_signature(wasm_signature(&self.env.module.canonical_types[id]));
        self.sig_refs.insert(id, sig);
        sig
    }

    /// The reference to runtime function `f` (declared once per function).
    pub(crate) fn runtime_ref(&mut self, f: RuntimeFn) -> FuncRef {
        if let Some(r) = self.runtime_refs.get(&f) {
            return *r;
        }
        let sig = self.b.import_signature(f.signature());
        let r = self.declare_ext_func(NS_RUNTIME, f as u32, sig);
        self.runtime_refs.insert(f, r);
        r
    }

    /// Calls a runtime function with the context and `args`; returns its result, if any.
    pub(crate) fn call_runtime(&mut self, f: RuntimeFn, args: &[Value]) -> TResult<Option<Value>> {
        let r = self.runtime_ref(f);
        if f == RuntimeFn::PollSignals && self.setjmp.is_some() {
            // A signal handler may longjmp, so the poll is guarded like any other call.
            self.emit_call(Callee::Direct(r), ThunkKind::Poll, args, &[])?;
            return Ok(None);
        }
        let mut all = Vec::with_capacity(args.len() + 1);
        all.push(self.vmctx);
        all.extend_from_slice(args);
        let call = self.b.ins().call(r, &all);
        let result = self.b.inst_results(call).first().copied();
        if f != RuntimeFn::PollSignals {
            self.check_signals()?;
        }
        Ok(result)
    }

    /// Emits a call whose arguments (without the context) are `args` and whose results have
    /// `result_types`.
    pub(crate) fn emit_call(
        &mut self,
        callee: Callee,
        thunk: ThunkKind,
        args: &[Value],
        result_types: &[Type],
    ) -> TResult<Vec<Value>> {
        if self.setjmp.is_some() {
            let code = match callee {
                Callee::Direct(f) => self.b.ins().func_addr(types::I64, f),
                Callee::Indirect(_, code) => code,
            };
            return Ok(self.guarded_call(code, thunk, args, result_types));
        }
        let mut all = Vec::with_capacity(args.len() + 1);
        all.push(self.vmctx);
        all.extend_from_slice(args);
        let call = match callee {
            Callee::Direct(f) => self.b.ins().call(f, &all),
            Callee::Indirect(sig, code) => self.b.ins().call_indirect(sig, code, &all),
        };
        Ok(self.b.inst_results(call).to_vec())
    }

    fn result_types(&self, ty: TypeIndex) -> Vec<Type> {
        self.env.module.types[ty]
            .results
            .iter()
            .map(|t| clif_type(*t))
            .collect()
    }

    pub(crate) fn translate_call(&mut self, f: FuncIndex) -> TResult {
        let module = self.env.module;
        let function = &module.functions[f];
        match &function.import {
            Some(ImportKind::Setjmp { has_mask_arg, .. }) => {
                if self.setjmp.is_none() {
                    return Err(Stop::NeedsSetjmp);
                }
                let has_mask_arg = *has_mask_arg;
                self.translate_setjmp_call(has_mask_arg);
                Ok(())
            }
            Some(_) => self.call_import(f),
            None => {
                let fref = self.defined_func_ref(f);
                let n = module.types[function.ty].params.len();
                let args = self.pop_n(n);
                let result_types = self.result_types(function.ty);
                let id = module.type_ids[function.ty];
                let results = self.emit_call(
                    Callee::Direct(fref),
                    ThunkKind::Wasm(id),
                    &args,
                    &result_types,
                )?;
                self.stack.extend(results);
                Ok(())
            }
        }
    }

    /// The reference to defined function `f` (declared once per function).
    fn defined_func_ref(&mut self, f: FuncIndex) -> FuncRef {
        if let Some(r) = self.func_refs.get(&f) {
            return *r;
        }
        let sig = self.wasm_sig_ref(self.env.module.functions[f].ty);
        let id = self.env.func_ids[f].expect("every defined function is declared");
        let r = self.declare_ext_func(NS_FUNC, id.as_u32(), sig);
        self.func_refs.insert(f, r);
        r
    }

    /// Whether a tail call from this function can be a real one. In a function that calls setjmp
    /// every call is a guarded call through the runtime (`setjmp.rs`), which returns to its
    /// caller; there a tail call is a call followed by `return` (docs/calls.md).
    fn can_tail_call(&self) -> bool {
        self.setjmp.is_none()
    }

    /// `return_call`: the callee replaces this function's frame (`return_call` of the `tail`
    /// convention, so a chain of tail calls runs in constant stack). Imports, which use the
    /// uniform import ABI, are called and returned from.
    pub(crate) fn translate_return_call(&mut self, f: FuncIndex) -> TResult {
        let function = &self.env.module.functions[f];
        if function.import.is_some() || !self.can_tail_call() {
            self.translate_call(f)?;
            self.translate_return();
            return Ok(());
        }
        let n = self.env.module.types[function.ty].params.len();
        let fref = self.defined_func_ref(f);
        let args = self.pop_n(n);
        let all = self.with_vmctx(&args);
        self.b.ins().return_call(fref, &all);
        self.reachable = false;
        Ok(())
    }

    fn with_vmctx(&self, args: &[Value]) -> Vec<Value> {
        let mut all = Vec::with_capacity(args.len() + 1);
        all.push(self.vmctx);
        all.extend_from_slice(args);
        all
    }

    /// Calls imported function `f` through the uniform import ABI: i32 arguments zero-extended,
    /// missing ones padded with 0, extra ones dropped; the i64 result narrowed to the declared
    /// result.
    fn call_import(&mut self, f: FuncIndex) -> TResult {
        let module = self.env.module;
        let ty = &module.types[module.functions[f].ty];
        let args = self.pop_n(ty.params.len());
        let mut wide = Vec::with_capacity(IMPORT_ARGS);
        for (value, t) in args.iter().zip(&ty.params).take(IMPORT_ARGS) {
            wide.push(self.widen_to_u64(*value, *t));
        }
        while wide.len() < IMPORT_ARGS {
            wide.push(self.b.ins().iconst(types::I64, 0));
        }
        let fref = match self.import_refs.get(&f) {
            Some(r) => *r,
            None => {
                let sig = self.import_sig_ref();
                let r = self.declare_ext_func(NS_IMPORT, f.as_u32(), sig);
                self.import_refs.insert(f, r);
                r
            }
        };
        let results = self.emit_call(
            Callee::Direct(fref),
            ThunkKind::Import,
            &wide,
            &[types::I64],
        )?;
        if self.setjmp.is_none() {
            // (A guarded call delivers recorded signals itself.)
            self.check_signals()?;
        }
        if let Some(t) = ty.results.first() {
            let v = self.narrow_from_u64(results[0], *t);
            self.push(v);
        }
        Ok(())
    }

    pub(crate) fn import_sig_ref(&mut self) -> SigRef {
        match self.import_sig {
            Some(s) => s,
            None => {
                let s = self.b.import_signature(import_signature());
                self.import_sig = Some(s);
                s
            }
        }
    }

    fn widen_to_u64(&mut self, v: Value, t: ValType) -> Value {
        match t {
            ValType::I32 => self.b.ins().uextend(types::I64, v),
            ValType::F32 => {
                let bits = self.b.ins().bitcast(types::I32, MemFlagsData::new(), v);
                self.b.ins().uextend(types::I64, bits)
            }
            ValType::F64 => self.b.ins().bitcast(types::I64, MemFlagsData::new(), v),
            ValType::I64 | ValType::FuncRef | ValType::ExternRef => v,
            ValType::V128 => unreachable!("imports with v128 are refused when parsing"),
        }
    }

    fn narrow_from_u64(&mut self, v: Value, t: ValType) -> Value {
        match t {
            ValType::I32 => self.b.ins().ireduce(types::I32, v),
            ValType::F32 => {
                let bits = self.b.ins().ireduce(types::I32, v);
                self.b.ins().bitcast(types::F32, MemFlagsData::new(), bits)
            }
            ValType::F64 => self.b.ins().bitcast(types::F64, MemFlagsData::new(), v),
            ValType::I64 | ValType::FuncRef | ValType::ExternRef => v,
            ValType::V128 => unreachable!("imports with v128 are refused when parsing"),
        }
    }

    /// `call_indirect`: bounds and null checks, then the signature check. When the types differ
    /// and both are numeric (and indirect calls are not strict), the call goes ahead as the
    /// native ABI would make it, through the callee's generic entry (see [`Self::adapted_call`]);
    /// otherwise a mismatch traps.
    pub(crate) fn translate_call_indirect(&mut self, type_index: u32, table_index: u32) -> TResult {
        let ty = TypeIndex::from_u32(type_index);
        let (funcref, args, adapted) = self.indirect_callee(ty, TableIndex::from_u32(table_index));
        let result_types = self.result_types(ty);
        let join = match adapted {
            Some(adapted) => {
                let join = self.b.create_block();
                for t in &result_types {
                    self.b.append_block_param(join, *t);
                }
                let matched = self.b.current_block().expect("in a block");
                self.b.switch_to_block(adapted);
                let results = self.adapted_call(funcref, &args, ty)?;
                let results: Vec<BlockArg> = results.into_iter().map(BlockArg::Value).collect();
                self.b.ins().jump(join, &results);
                self.b.switch_to_block(matched);
                Some(join)
            }
            None => None,
        };
        let code = self.load_code(funcref);
        let sig = self.wasm_sig_ref(ty);
        let id = self.env.module.type_ids[ty];
        let results = self.emit_call(
            Callee::Indirect(sig, code),
            ThunkKind::Wasm(id),
            &args,
            &result_types,
        )?;
        match join {
            Some(join) => {
                let results: Vec<BlockArg> = results.into_iter().map(BlockArg::Value).collect();
                self.b.ins().jump(join, &results);
                self.b.seal_block(join);
                self.b.switch_to_block(join);
                let params = self.b.block_params(join).to_vec();
                self.stack.extend(params);
            }
            None => self.stack.extend(results),
        }
        Ok(())
    }

    /// `return_call_indirect`: the checks of `call_indirect`, then a tail call of the callee.
    /// A callee of another numeric type is reached by a tail call of the call-cast adapter, which
    /// calls it (so each such hop keeps two frames: docs/calls.md).
    pub(crate) fn translate_return_call_indirect(
        &mut self,
        type_index: u32,
        table_index: u32,
    ) -> TResult {
        if !self.can_tail_call() {
            self.translate_call_indirect(type_index, table_index)?;
            self.translate_return();
            return Ok(());
        }
        let ty = TypeIndex::from_u32(type_index);
        let (funcref, args, adapted) = self.indirect_callee(ty, TableIndex::from_u32(table_index));
        if let Some(adapted) = adapted {
            let matched = self.b.current_block().expect("in a block");
            self.b.switch_to_block(adapted);
            let adapter = self.adapter_for_mismatch(funcref, ty);
            let mut all = vec![self.vmctx, funcref];
            all.extend_from_slice(&args);
            self.b.ins().return_call(adapter, &all);
            self.b.switch_to_block(matched);
        }
        let code = self.load_code(funcref);
        let sig = self.wasm_sig_ref(ty);
        let all = self.with_vmctx(&args);
        self.b.ins().return_call_indirect(sig, code, &all);
        self.reachable = false;
        Ok(())
    }

    /// The common part of `call_indirect` and `return_call_indirect`: pops the table index and
    /// the arguments, checks the index and the entry, and compares the callee's type with `ty`.
    /// Returns the callee's `FuncRef` record, the arguments, and, when a mismatch of numeric
    /// types is adapted, the (cold, empty) block the mismatch branches to. The current block is
    /// then the matching path; a mismatch that is not adapted has trapped.
    fn indirect_callee(
        &mut self,
        ty: TypeIndex,
        table: TableIndex,
    ) -> (Value, Vec<Value>, Option<Block>) {
        let module = self.env.module;
        let index = self.pop();
        let args = self.pop_n(module.types[ty].params.len());

        let out_of_bounds = self.table_index_out_of_bounds(table, index);
        self.trap_if_nonzero(out_of_bounds, Trap::IndirectCallOutOfBounds);
        let entry = self.table_entry_address(table, index);
        let funcref = self
            .b
            .ins()
            .load(types::I64, MemFlagsData::trusted(), entry, 0);
        self.b
            .ins()
            .trapz(funcref, crate::traps::code(Trap::IndirectCallToNull));
        let type_id = self
            .b
            .ins()
            .load(types::I32, FUNCREF_RECORD, funcref, FUNCREF_TYPE_ID);
        let expected = module.type_ids[ty].as_u32();
        let mismatch = self
            .b
            .ins()
            .icmp_imm_u(IntCC::NotEqual, type_id, i64::from(expected));
        if !(self.env.adapt_indirect_calls && module.types[ty].is_numeric()) {
            self.trap_if_nonzero(mismatch, Trap::BadSignature);
            return (funcref, args, None);
        }
        // The mismatch path is a cold block of its own; the matching call stays on the
        // fall-through path, costing what the trapping check did.
        let matched = self.b.create_block();
        let adapted = self.b.create_block();
        self.b.ins().brif(mismatch, adapted, &[], matched, &[]);
        self.b.seal_block(matched);
        self.b.seal_block(adapted);
        self.b.set_cold_block(adapted);
        self.b.switch_to_block(matched);
        (funcref, args, Some(adapted))
    }

    fn load_code(&mut self, funcref: Value) -> Value {
        self.b
            .ins()
            .load(types::I64, FUNCREF_RECORD, funcref, FUNCREF_CODE)
    }

    /// Calls the function of `funcref`, whose type differs from the caller's numeric type `ty`,
    /// as an x86-64 call through a cast C function pointer behaves (docs/calls.md), through the
    /// call-cast adapter of `ty`, which passes the arguments to the callee's generic entry in
    /// slots. A callee without a generic entry (a reference-typed signature) traps here, so the
    /// trap names this function.
    fn adapted_call(
        &mut self,
        funcref: Value,
        args: &[Value],
        ty: TypeIndex,
    ) -> TResult<Vec<Value>> {
        let adapter = self.adapter_for_mismatch(funcref, ty);
        let id = self.env.module.type_ids[ty];
        let mut all = Vec::with_capacity(args.len() + 1);
        all.push(funcref);
        all.extend_from_slice(args);
        let result_types = self.result_types(ty);
        self.emit_call(
            Callee::Direct(adapter),
            ThunkKind::CastAdapter(id),
            &all,
            &result_types,
        )
    }

    /// Checks that the callee of `funcref` has a generic entry (trapping here otherwise, so the
    /// trap names this function) and returns the call-cast adapter of caller type `ty`.
    fn adapter_for_mismatch(&mut self, funcref: Value, ty: TypeIndex) -> FuncRef {
        let generic = self
            .b
            .ins()
            .load(types::I64, FUNCREF_RECORD, funcref, FUNCREF_GENERIC);
        self.b
            .ins()
            .trapz(generic, crate::traps::code(Trap::BadSignature));
        let id = self.env.module.type_ids[ty];
        if let Some(r) = self.cast_adapter_refs.get(&id) {
            return *r;
        }
        let signature = cast_adapter_signature(&self.env.module.canonical_types[id]);
        let sig = self.b.import_signature(signature);
        let r = self.declare_ext_func(NS_CAST_ADAPTER, id.as_u32(), sig);
        self.cast_adapter_refs.insert(id, r);
        r
    }

    /// The address of function `f`'s `FuncRef` record.
    pub(crate) fn funcref_address(&mut self, f: FuncIndex) -> Value {
        let data = self
            .env
            .funcrefs
            .expect("validated: ref.func names a declared function");
        let record = self.env.module.funcref_of[&f];
        let gv = match self.funcrefs_gv {
            Some(gv) => gv,
            None => {
                let name = self
                    .b
                    .func
                    .declare_imported_user_function(UserExternalName {
                        namespace: NS_DATA,
                        index: data.as_u32(),
                    });
                let gv = self.b.create_global_value(GlobalValueData::Symbol {
                    name: ExternalName::user(name),
                    offset: 0.into(),
                    colocated: true,
                    tls: false,
                });
                self.funcrefs_gv = Some(gv);
                gv
            }
        };
        let base = self.b.ins().symbol_value(types::I64, gv);
        let offset = (record.as_u32() as usize * offsets::FUNCREF_SIZE) as i64;
        if offset == 0 {
            base
        } else {
            self.b.ins().iadd_imm_u(base, offset)
        }
    }

    pub(crate) fn translate_ref_func(&mut self, f: FuncIndex) {
        let v = self.funcref_address(f);
        self.push(v);
    }
}
