//! Generated helper functions that are not wasm function bodies:
//! - adapters: an imported function with its wasm signature, for tables, `ref.func` and exports;
//! - array-call trampolines: `extern "C" fn(vmctx, slots)` entries of exported functions;
//! - guarded-call thunks: `thunk(vmctx, slots)` for the setjmp lowering (see `translate::setjmp`);
//! - generic entries (one per numeric function type) and call-cast adapters (one per caller type)
//!   for calls through function pointers of another type (docs/calls.md);
//! - defer wrappers: the entry of a function that calls setjmp, checking for recorded signals
//!   after its body (which defers them) returns;
//! - `instantiate(vmctx)`: active segments, then the start function.

use crate::module::{ElemMode, FuncIndex, ImportKind, Module, TypeId, ValType};
use crate::translate::runtime::RuntimeFn;
use crate::translate::signals::{begin_signal_check, end_signal_check};
use crate::translate::{
    cast_adapter_signature, clif_type, generic_entry_signature, import_signature,
    poll_stub_signature, slot_flags, slot_layout, thunk_signature, wasm_signature, ModuleEnv,
    ThunkKind, IMPORT_ARGS, NS_FUNC, NS_IMPORT, NS_POLL_STUB, NS_RUNTIME,
};
use cranelift_codegen::ir::{
    types, AbiParam, ExtFuncData, ExternalName, FuncRef, Function, InstBuilder, MemFlagsData,
    Signature, StackSlotData, StackSlotKind, UserExternalName, UserFuncName, Value,
};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use walic_loader::metadata::{FUNCREF_CODE, FUNCREF_GENERIC};
use walic_loader::trap::Trap;

fn ext_func(b: &mut FunctionBuilder<'_>, namespace: u32, index: u32, sig: Signature) -> FuncRef {
    let sig = b.import_signature(sig);
    let name = b
        .func
        .declare_imported_user_function(UserExternalName { namespace, index });
    b.import_function(ExtFuncData {
        name: ExternalName::user(name),
        signature: sig,
        colocated: true,
        patchable: false,
    })
}

fn finish(b: FunctionBuilder<'_>) {
    b.finalize(cranelift_codegen::isa::TargetFrontendConfig {
        default_call_conv: crate::translate::CALL_CONV,
        pointer_width: target_lexicon::PointerWidth::U64,
        page_size_align_log2: 12,
    });
}

/// Starts a function with signature `sig`; returns the builder and the entry block's params.
fn start<'f>(
    func: &'f mut Function,
    fbc: &'f mut FunctionBuilderContext,
) -> (FunctionBuilder<'f>, Vec<Value>) {
    let mut b = FunctionBuilder::new(func, fbc);
    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    b.seal_block(entry);
    let params = b.block_params(entry).to_vec();
    (b, params)
}

/// Calls imported function `f` through the uniform import ABI with wasm-typed `args`; returns
/// its wasm-typed result.
fn call_import(
    b: &mut FunctionBuilder<'_>,
    module: &Module<'_>,
    f: FuncIndex,
    vmctx: Value,
    args: &[Value],
) -> Option<Value> {
    let ty = module.func_type(f);
    let mut wide = vec![vmctx];
    for (v, t) in args.iter().zip(&ty.params).take(IMPORT_ARGS) {
        wide.push(match t {
            ValType::I32 => b.ins().uextend(types::I64, *v),
            ValType::F32 => {
                let bits = b.ins().bitcast(types::I32, MemFlagsData::new(), *v);
                b.ins().uextend(types::I64, bits)
            }
            ValType::F64 => b.ins().bitcast(types::I64, MemFlagsData::new(), *v),
            _ => *v,
        });
    }
    while wide.len() < IMPORT_ARGS + 1 {
        wide.push(b.ins().iconst(types::I64, 0));
    }
    let callee = ext_func(b, NS_IMPORT, f.as_u32(), import_signature());
    let call = b.ins().call(callee, &wide);
    let r = b.inst_results(call)[0];
    check_signals(b, vmctx);
    ty.results.first().map(|t| match t {
        ValType::I32 => b.ins().ireduce(types::I32, r),
        ValType::F32 => {
            let bits = b.ins().ireduce(types::I32, r);
            b.ins().bitcast(types::F32, MemFlagsData::new(), bits)
        }
        ValType::F64 => b.ins().bitcast(types::F64, MemFlagsData::new(), r),
        _ => r,
    })
}

/// Delivers the thread's recorded signals, if any (as `translate::signals` does after runtime
/// calls): a test of `vmctx.signal_pending` and a call of the poll stub from a cold block.
fn check_signals(b: &mut FunctionBuilder<'_>, vmctx: Value) {
    let next = begin_signal_check(b, vmctx);
    let stub = ext_func(b, NS_POLL_STUB, 0, poll_stub_signature());
    b.ins().call(stub, &[vmctx]);
    end_signal_check(b, next);
}

/// The entry of defined function `f`, whose compiled body `body` defers signals (it calls
/// setjmp): calls the body, then delivers what it deferred. The body's own checks (loop headers,
/// guarded calls) leave a gap between its last check and its return; this check, in code where
/// handlers may run at once, closes it.
pub fn defer_wrapper(
    module: &Module<'_>,
    f: FuncIndex,
    body: cranelift_module::FuncId,
    fbc: &mut FunctionBuilderContext,
) -> Function {
    let sig = wasm_signature(module.func_type(f));
    let mut func = Function::with_name_signature(UserFuncName::user(6, f.as_u32()), sig.clone());
    let (mut b, params) = start(&mut func, fbc);
    let callee = ext_func(&mut b, NS_FUNC, body.as_u32(), sig);
    let call = b.ins().call(callee, &params);
    let results = b.inst_results(call).to_vec();
    check_signals(&mut b, params[0]);
    b.ins().return_(&results);
    finish(b);
    func
}

/// The adapter of imported function `f`: its wasm signature, calling the import.
pub fn adapter(module: &Module<'_>, f: FuncIndex, fbc: &mut FunctionBuilderContext) -> Function {
    let ty = module.func_type(f);
    let mut func =
        Function::with_name_signature(UserFuncName::user(1, f.as_u32()), wasm_signature(ty));
    let (mut b, params) = start(&mut func, fbc);
    let vmctx = params[0];
    let results: Vec<Value> = match &module.functions[f].import {
        // A setjmp reached through a function pointer cannot capture its caller's frame; it
        // behaves like the reference runtime's (returns 0, saves nothing).
        Some(ImportKind::Setjmp { .. }) => vec![b.ins().iconst(types::I32, 0)],
        _ => call_import(&mut b, module, f, vmctx, &params[1..])
            .into_iter()
            .collect(),
    };
    b.ins().return_(&results);
    finish(b);
    func
}

/// A reference to the code of function `f` as wasm code sees it (body or adapter).
fn wasm_callee(b: &mut FunctionBuilder<'_>, env: &ModuleEnv<'_, '_>, f: FuncIndex) -> FuncRef {
    let id = env.func_ids[f].expect("callee declared");
    ext_func(
        b,
        NS_FUNC,
        id.as_u32(),
        wasm_signature(env.module.func_type(f)),
    )
}

fn store_slot(b: &mut FunctionBuilder<'_>, v: Value, t: ValType, slots: Value, offset: i32) {
    let flags = slot_flags(clif_type(t));
    let v = match t {
        ValType::I32 => b.ins().uextend(types::I64, v),
        ValType::F32 => {
            let bits = b.ins().bitcast(types::I32, MemFlagsData::new(), v);
            b.ins().uextend(types::I64, bits)
        }
        _ => v,
    };
    b.ins().store(flags, v, slots, offset);
}

/// The array-call trampoline of function `f`: `(vmctx, slots)`, arguments read from
/// `slots[0..params]`, results written to `slots[0..results]` (a v128 in two slots).
pub fn array_call(
    env: &ModuleEnv<'_, '_>,
    f: FuncIndex,
    fbc: &mut FunctionBuilderContext,
) -> Function {
    let ty = env.module.func_type(f).clone();
    let mut func =
        Function::with_name_signature(UserFuncName::user(2, f.as_u32()), thunk_signature());
    let (mut b, params) = start(&mut func, fbc);
    let (vmctx, slots) = (params[0], params[1]);
    let (param_offsets, _) = slot_layout(ty.params.iter().map(|t| clif_type(*t)));
    let (result_offsets, _) = slot_layout(ty.results.iter().map(|t| clif_type(*t)));
    let mut args = vec![vmctx];
    for (t, at) in ty.params.iter().zip(&param_offsets) {
        let t = clif_type(*t);
        args.push(b.ins().load(t, slot_flags(t), slots, *at));
    }
    let callee = wasm_callee(&mut b, env, f);
    let call = b.ins().call(callee, &args);
    let results = b.inst_results(call).to_vec();
    for ((v, t), at) in results.iter().zip(&ty.results).zip(&result_offsets) {
        store_slot(&mut b, *v, *t, slots, *at);
    }
    b.ins().return_(&[]);
    finish(b);
    func
}

/// The generic entry of numeric function type `id` (`FuncRef::generic` of every function of that
/// type): `(vmctx, slots, code)`, calling `code` with the parameters read from
/// `slots[0..params]`, writing the results to `slots[0..results]` and zeroing the slots after
/// them up to the module's largest result count, so a caller of another type that expects more
/// results reads 0 (docs/calls.md).
pub fn generic_entry(
    module: &Module<'_>,
    id: TypeId,
    fbc: &mut FunctionBuilderContext,
) -> Function {
    let ty = &module.canonical_types[id];
    let mut func = Function::with_name_signature(
        UserFuncName::user(7, id.as_u32()),
        generic_entry_signature(),
    );
    let (mut b, params) = start(&mut func, fbc);
    let (vmctx, slots, code) = (params[0], params[1], params[2]);
    let flags = MemFlagsData::trusted();
    let mut args = vec![vmctx];
    for (i, t) in ty.params.iter().enumerate() {
        args.push(b.ins().load(clif_type(*t), flags, slots, 8 * i as i32));
    }
    let sig = b.import_signature(wasm_signature(ty));
    let call = b.ins().call_indirect(sig, code, &args);
    let results = b.inst_results(call).to_vec();
    for (i, (v, t)) in results.iter().zip(&ty.results).enumerate() {
        store_slot(&mut b, *v, *t, slots, 8 * i as i32);
    }
    let zero = b.ins().iconst(types::I64, 0);
    for i in ty.results.len()..module.max_numeric_results() {
        b.ins().store(flags, zero, slots, 8 * i as i32);
    }
    b.ins().return_(&[]);
    finish(b);
    func
}

/// The call-cast adapter of caller type `id` ([`cast_adapter_signature`]): calls the function of
/// the `FuncRef` record it is given, whose type differs, through its generic entry. Each argument
/// goes in one 8-byte slot of a buffer (i32 and f32 zero-extended), the rest of the buffer is 0,
/// and the results the caller expects are read back from the first slots.
pub fn cast_adapter(module: &Module<'_>, id: TypeId, fbc: &mut FunctionBuilderContext) -> Function {
    let ty = &module.canonical_types[id];
    let mut func = Function::with_name_signature(
        UserFuncName::user(8, id.as_u32()),
        cast_adapter_signature(ty),
    );
    let (mut b, params) = start(&mut func, fbc);
    let (vmctx, funcref) = (params[0], params[1]);
    let slot_count = module.cast_call_slots();
    let buffer = b.create_sized_stack_slot(StackSlotData::new(
        StackSlotKind::ExplicitSlot,
        8 * slot_count.max(1) as u32,
        3,
    ));
    let slots = b.ins().stack_addr(types::I64, buffer, 0);
    for (i, (v, t)) in params[2..].iter().zip(&ty.params).enumerate() {
        store_slot(&mut b, *v, *t, slots, 8 * i as i32);
    }
    let flags = MemFlagsData::trusted();
    let zero = b.ins().iconst(types::I64, 0);
    for i in ty.params.len()..slot_count {
        b.ins().store(flags, zero, slots, 8 * i as i32);
    }
    // FuncRef records are immutable.
    let record = flags.with_readonly();
    let generic = b.ins().load(types::I64, record, funcref, FUNCREF_GENERIC);
    let code = b.ins().load(types::I64, record, funcref, FUNCREF_CODE);
    let sig = b.import_signature(generic_entry_signature());
    b.ins().call_indirect(sig, generic, &[vmctx, slots, code]);
    let results: Vec<Value> = ty
        .results
        .iter()
        .enumerate()
        .map(|(i, t)| b.ins().load(clif_type(*t), flags, slots, 8 * i as i32))
        .collect();
    b.ins().return_(&results);
    finish(b);
    func
}

/// The guarded-call thunk for callees of shape `kind`.
pub fn thunk(module: &Module<'_>, kind: ThunkKind, fbc: &mut FunctionBuilderContext) -> Function {
    let mut func =
        Function::with_name_signature(UserFuncName::user(3, kind.key()), thunk_signature());
    let (mut b, params) = start(&mut func, fbc);
    let (vmctx, slots) = (params[0], params[1]);
    let flags = MemFlagsData::trusted();
    let code = b.ins().load(types::I64, flags, slots, 0);
    let (sig, param_types, result_types): (Signature, Vec<_>, Vec<_>) = match kind {
        ThunkKind::Wasm(id) => {
            let ty = &module.canonical_types[id];
            (
                wasm_signature(ty),
                ty.params.iter().map(|t| clif_type(*t)).collect(),
                ty.results.iter().map(|t| clif_type(*t)).collect(),
            )
        }
        ThunkKind::Import => (
            import_signature(),
            vec![types::I64; IMPORT_ARGS],
            vec![types::I64],
        ),
        ThunkKind::Poll => (RuntimeFn::PollSignals.signature(), vec![], vec![]),
        ThunkKind::CastAdapter(id) => {
            let ty = &module.canonical_types[id];
            (
                cast_adapter_signature(ty),
                std::iter::once(types::I64)
                    .chain(ty.params.iter().map(|t| clif_type(*t)))
                    .collect(),
                ty.results.iter().map(|t| clif_type(*t)).collect(),
            )
        }
    };
    // Slot 0 holds the code pointer (`translate::setjmp`); arguments, then results, follow it.
    let (param_offsets, _) = slot_layout(param_types.iter().copied());
    let (result_offsets, _) = slot_layout(result_types.iter().copied());
    let mut args = vec![vmctx];
    for (t, at) in param_types.iter().zip(&param_offsets) {
        args.push(b.ins().load(*t, slot_flags(*t), slots, 8 + at));
    }
    let sig = b.import_signature(sig);
    let call = b.ins().call_indirect(sig, code, &args);
    let results = b.inst_results(call).to_vec();
    for ((v, t), at) in results.iter().zip(&result_types).zip(&result_offsets) {
        b.ins().store(slot_flags(*t), *v, slots, 8 + at);
    }
    debug_assert_eq!(results.len(), result_types.len());
    b.ins().return_(&[]);
    finish(b);
    func
}

/// The signal-poll stub: `poll_stub_signature()` (preserve-all), calling the runtime's SysV
/// poll function. Cranelift saves every register the body clobbers, including all the call's
/// SysV clobbers, so signal checks can call it without spilling anything.
pub fn poll_stub(fbc: &mut FunctionBuilderContext) -> Function {
    let mut func = Function::with_name_signature(UserFuncName::user(5, 0), poll_stub_signature());
    let (mut b, params) = start(&mut func, fbc);
    let poll = ext_func(
        &mut b,
        NS_RUNTIME,
        RuntimeFn::PollSignals as u32,
        RuntimeFn::PollSignals.signature(),
    );
    b.ins().call(poll, &[params[0]]);
    b.ins().return_(&[]);
    finish(b);
    func
}

/// `instantiate(vmctx)`: writes the active element and data segments (trapping when one is out of
/// bounds, as the specification requires), drops them and the declared element segments, then
/// calls the start function.
pub fn instantiate(env: &ModuleEnv<'_, '_>, fbc: &mut FunctionBuilderContext) -> Function {
    let module = env.module;
    let mut sig = Signature::new(crate::translate::CALL_CONV);
    sig.params.push(AbiParam::new(types::I64));
    let mut func = Function::with_name_signature(UserFuncName::user(4, 0), sig);
    let (mut b, params) = start(&mut func, fbc);
    let vmctx = params[0];
    let runtime = |b: &mut FunctionBuilder<'_>, f: RuntimeFn| {
        ext_func(b, NS_RUNTIME, f as u32, f.signature())
    };
    let i32c =
        |b: &mut FunctionBuilder<'_>, v: u32| b.ins().iconst(types::I32, i64::from(v as i32));

    let table_init = runtime(&mut b, RuntimeFn::TableInit);
    let elem_drop = runtime(&mut b, RuntimeFn::ElemDrop);
    for (index, seg) in module.elems.iter() {
        let s = i32c(&mut b, index.as_u32());
        match seg.mode {
            ElemMode::Active { table, offset } => {
                let t = i32c(&mut b, table.as_u32());
                let dst = i32c(&mut b, offset);
                let src = i32c(&mut b, 0);
                let len = i32c(&mut b, seg.items.len() as u32);
                let call = b.ins().call(table_init, &[vmctx, t, s, dst, src, len]);
                let status = b.inst_results(call)[0];
                b.ins()
                    .trapnz(status, crate::traps::code(Trap::TableOutOfBounds));
                b.ins().call(elem_drop, &[vmctx, s]);
            }
            ElemMode::Declared => {
                b.ins().call(elem_drop, &[vmctx, s]);
            }
            ElemMode::Passive => {}
        }
    }
    let memory_init = runtime(&mut b, RuntimeFn::MemoryInit);
    let data_drop = runtime(&mut b, RuntimeFn::DataDrop);
    for (index, seg) in module.data.iter() {
        if let Some(offset) = seg.active_offset {
            let s = i32c(&mut b, index.as_u32());
            let dst = i32c(&mut b, offset);
            let src = i32c(&mut b, 0);
            let len = i32c(&mut b, seg.bytes.len() as u32);
            let call = b.ins().call(memory_init, &[vmctx, s, dst, src, len]);
            let status = b.inst_results(call)[0];
            b.ins()
                .trapnz(status, crate::traps::code(Trap::HeapOutOfBounds));
            b.ins().call(data_drop, &[vmctx, s]);
        }
    }
    if let Some(start) = module.start {
        if module.is_imported(start) && env.func_ids[start].is_none() {
            call_import(&mut b, module, start, vmctx, &[]);
        } else {
            let callee = wasm_callee(&mut b, env, start);
            b.ins().call(callee, &[vmctx]);
        }
    }
    b.ins().return_(&[]);
    finish(b);
    func
}
