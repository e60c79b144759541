//! The per-function driver: sets up the Cranelift function (signature, stack limit, locals),
//! validates and lowers each operator, and dispatches operators to the concern that lowers them.

use super::control::ControlFrame;
use super::runtime::RuntimeFn;
use super::setjmp::SetjmpState;
use super::{clif_type, wasm_signature, ModuleEnv};
use crate::error::Error;
use crate::module::{DefinedFuncIndex, FuncIndex, TypeId, ValType};
use cranelift_codegen::ir::{
    self, condcodes::FloatCC, condcodes::IntCC, types, AliasRegion, AliasRegionData, FuncRef,
    Function, GlobalValue, GlobalValueData, InstBuilder, MemFlagsData, SigRef, UserFuncName, Value,
};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Variable};
use std::collections::HashMap;
use wasmparser::{
    FuncToValidate, FuncValidator, FuncValidatorAllocations, Operator, ValidatorResources,
};

/// Why translating a body stopped.
pub(crate) enum Stop {
    /// The body is invalid or unsupported.
    Error(Error),
    /// The body calls setjmp; translate it again with guarded calls.
    NeedsSetjmp,
}

impl From<Error> for Stop {
    fn from(e: Error) -> Self {
        Stop::Error(e)
    }
}

impl From<wasmparser::BinaryReaderError> for Stop {
    fn from(e: wasmparser::BinaryReaderError) -> Self {
        Stop::Error(e.into())
    }
}

pub(crate) type TResult<T = ()> = Result<T, Stop>;

/// A translated function, ready for `Context::compile`.
pub struct TranslatedFunction {
    /// The IR.
    pub func: Function,
    /// Whether its calls go through the setjmp guard.
    pub uses_setjmp: bool,
}

/// The state of one function's translation.
pub(crate) struct FuncTranslator<'f, 'm, 'a> {
    pub env: &'m ModuleEnv<'m, 'a>,
    pub b: FunctionBuilder<'f>,
    pub func_index: FuncIndex,
    /// The wasm operand stack.
    pub stack: Vec<Value>,
    /// The wasm control stack.
    pub control: Vec<ControlFrame>,
    /// Whether the current position is reachable.
    pub reachable: bool,
    /// Nesting depth of blocks opened inside unreachable code.
    pub unreachable_depth: u32,
    /// The wasm locals.
    pub locals: Vec<Variable>,
    /// The context pointer.
    pub vmctx: Value,
    /// The linear-memory base read from the pinned register in this block, if any.
    pub heap_base: Option<(ir::Block, Value)>,
    /// The tables array (loaded once in the entry block).
    pub tables_base: Option<Value>,
    pub sig_refs: HashMap<TypeId, SigRef>,
    pub func_refs: HashMap<FuncIndex, FuncRef>,
    pub import_refs: HashMap<FuncIndex, FuncRef>,
    pub runtime_refs: HashMap<RuntimeFn, FuncRef>,
    /// The preserve-all signal-poll stub, once declared.
    pub poll_stub: Option<FuncRef>,
    pub import_sig: Option<SigRef>,
    pub funcrefs_gv: Option<GlobalValue>,
    /// The call-cast adapters this function calls, by caller type.
    pub cast_adapter_refs: HashMap<TypeId, FuncRef>,
    /// Present when the function calls setjmp.
    pub setjmp: Option<SetjmpState>,
    /// Alias region of linear-memory accesses.
    pub heap_region: AliasRegion,
    /// Alias region of the context's global slots.
    pub globals_region: AliasRegion,
    /// The promoted shadow-stack frame, if any (see `frame.rs`).
    pub frame: Option<super::frame::FrameState>,
}

/// Translates defined function `def`, validating its body on the way.
pub fn translate_function(
    env: &ModuleEnv<'_, '_>,
    def: DefinedFuncIndex,
    fbc: &mut FunctionBuilderContext,
) -> Result<TranslatedFunction, Error> {
    let body = &env.module.bodies[def];
    let pending = &body.validator;
    let to_validate = FuncToValidate {
        resources: pending.resources.clone(),
        index: pending.index,
        ty: pending.ty,
        features: pending.features,
    };
    let mut validator = to_validate.into_validator(FuncValidatorAllocations::default());
    let first = translate_body(env, def, fbc, Some(&mut validator), false);
    if first.is_err() {
        // An abandoned FunctionBuilder leaves its context half-used.
        *fbc = FunctionBuilderContext::new();
    }
    match first {
        Ok(func) => Ok(TranslatedFunction {
            func,
            uses_setjmp: false,
        }),
        Err(Stop::Error(e)) => Err(e),
        Err(Stop::NeedsSetjmp) => {
            // The body was validated up to the setjmp call; translate again with guarded calls,
            // validating fully this time.
            let to_validate = FuncToValidate {
                resources: pending.resources.clone(),
                index: pending.index,
                ty: pending.ty,
                features: pending.features,
            };
            let mut validator = to_validate.into_validator(FuncValidatorAllocations::default());
            match translate_body(env, def, fbc, Some(&mut validator), true) {
                Ok(func) => Ok(TranslatedFunction {
                    func,
                    uses_setjmp: true,
                }),
                Err(Stop::Error(e)) => {
                    *fbc = FunctionBuilderContext::new();
                    Err(e)
                }
                Err(Stop::NeedsSetjmp) => unreachable!("setjmp mode never restarts"),
            }
        }
    }
}

/// Without multi-memory, the memory index of `memory.size`/`memory.grow` is a reserved byte that
/// must be exactly 0x00; wasmparser reads it as a LEB128 index and so accepts `0x80 0x00`.
fn check_reserved_memory_byte(op: &Operator<'_>, start: u64, end: u64) -> TResult {
    if matches!(
        op,
        Operator::MemorySize { .. } | Operator::MemoryGrow { .. }
    ) && end - start != 2
    {
        return Err(Stop::Error(Error::Invalid {
            offset: start + 1,
            message: "zero byte expected".into(),
        }));
    }
    Ok(())
}

fn translate_body(
    env: &ModuleEnv<'_, '_>,
    def: DefinedFuncIndex,
    fbc: &mut FunctionBuilderContext,
    mut validator: Option<&mut FuncValidator<ValidatorResources>>,
    with_setjmp: bool,
) -> TResult<Function> {
    let module = env.module;
    let func_index = module.func_of_defined(def);
    let ty = module.func_type(func_index).clone();
    let mut func = Function::with_name_signature(
        UserFuncName::user(0, func_index.as_u32()),
        wasm_signature(&ty),
    );
    // Deterministic stack exhaustion: every prologue compares the new stack pointer with the
    // limit in the context.
    let vmctx_gv = func.create_global_value(GlobalValueData::VMContext);
    let ro = func
        .dfg
        .mem_flags
        .insert_unchecked(MemFlagsData::trusted().with_readonly());
    let limit = func.create_global_value(GlobalValueData::Load {
        base: vmctx_gv,
        offset: walic_loader::vmctx::STACK_LIMIT.into(),
        global_type: types::I64,
        flags: ro,
    });
    func.stack_limit = Some(limit);

    let heap_region = func.dfg.alias_regions.insert(AliasRegionData {
        user_id: 0,
        description: "heap".into(),
    });
    let globals_region = func.dfg.alias_regions.insert(AliasRegionData {
        user_id: 1,
        description: "globals".into(),
    });
    let body = &module.bodies[def].body;
    let mut b = FunctionBuilder::new(&mut func, fbc);
    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    b.seal_block(entry);
    let vmctx = b.block_params(entry)[0];
    let params: Vec<Value> = b.block_params(entry)[1..].to_vec();

    let mut t = FuncTranslator {
        env,
        b,
        func_index,
        stack: Vec::new(),
        control: Vec::new(),
        reachable: true,
        unreachable_depth: 0,
        locals: Vec::new(),
        vmctx,
        heap_base: None,
        tables_base: None,
        sig_refs: HashMap::new(),
        func_refs: HashMap::new(),
        import_refs: HashMap::new(),
        runtime_refs: HashMap::new(),
        poll_stub: None,
        import_sig: None,
        funcrefs_gv: None,
        cast_adapter_refs: HashMap::new(),
        setjmp: None,
        heap_region,
        globals_region,
        frame: None,
    };
    if env.promote_frames && !with_setjmp {
        t.frame = super::frame::plan(env.module, def)
            .ok()
            .map(super::frame::FrameState::new);
    }
    // Values loaded once in the entry block dominate the whole body.
    let readonly = MemFlagsData::trusted().with_readonly().with_can_move();
    if !module.tables.is_empty() {
        let tables =
            t.b.ins()
                .load(types::I64, readonly, vmctx, walic_loader::vmctx::TABLES);
        t.tables_base = Some(tables);
    }
    if with_setjmp {
        t.setjmp = Some(SetjmpState::new(&mut t.b));
    }

    for (param, value) in ty.params.iter().zip(params) {
        let var = t.b.declare_var(clif_type(*param));
        t.b.def_var(var, value);
        t.locals.push(var);
    }
    let mut locals_reader = body.get_locals_reader()?;
    for _ in 0..locals_reader.get_count() {
        let offset = locals_reader.original_position();
        let (count, wasm_ty) = locals_reader.read()?;
        if let Some(v) = validator.as_deref_mut() {
            v.define_locals(offset, count, wasm_ty)?;
        }
        let ty = crate::module::parse::val_type_at(offset, wasm_ty)?;
        let clif = clif_type(ty);
        let zero = t.zero(ty);
        for _ in 0..count {
            let var = t.b.declare_var(clif);
            t.b.def_var(var, zero);
            t.locals.push(var);
        }
    }

    let ret = t.b.create_block();
    for r in &ty.results {
        t.b.append_block_param(ret, clif_type(*r));
    }
    t.control
        .push(ControlFrame::function(ret, ty.results.len()));

    let mut ops = body.get_operators_reader()?;
    while !ops.eof() {
        let offset = ops.original_position();
        let op = ops.read()?;
        if let Some(v) = validator.as_deref_mut() {
            v.op(offset, &op)?;
            check_reserved_memory_byte(&op, offset, ops.original_position())?;
        }
        if t.frame
            .as_ref()
            .is_some_and(|f| f.plan.body_start == offset)
        {
            t.enter_frame();
        }
        t.translate_operator(&op, offset)?;
    }
    ops.finish()?;
    if t.setjmp.is_some() {
        t.finish_setjmp();
    }
    t.b.seal_all_blocks();
    t.b.finalize(cranelift_codegen::isa::TargetFrontendConfig {
        default_call_conv: super::CALL_CONV,
        pointer_width: target_lexicon::PointerWidth::U64,
        page_size_align_log2: 12,
    });
    Ok(func)
}

impl FuncTranslator<'_, '_, '_> {
    /// The zero value of a wasm type.
    pub fn zero(&mut self, ty: ValType) -> Value {
        match ty {
            ValType::I32 => self.b.ins().iconst(types::I32, 0),
            ValType::I64 | ValType::FuncRef | ValType::ExternRef => {
                self.b.ins().iconst(types::I64, 0)
            }
            ValType::F32 => self.b.ins().f32const(0.0),
            ValType::F64 => self.b.ins().f64const(0.0),
            ValType::V128 => self.const_value(crate::module::ConstValue::V128(0)),
        }
    }

    pub fn pop(&mut self) -> Value {
        self.stack.pop().expect("validated operand stack")
    }

    pub fn pop2(&mut self) -> (Value, Value) {
        let b = self.pop();
        let a = self.pop();
        (a, b)
    }

    pub fn pop3(&mut self) -> (Value, Value, Value) {
        let c = self.pop();
        let (a, b) = self.pop2();
        (a, b, c)
    }

    pub fn push(&mut self, v: Value) {
        self.stack.push(v);
    }

    /// Pops `n` values, in stack order.
    pub fn pop_n(&mut self, n: usize) -> Vec<Value> {
        let at = self.stack.len() - n;
        self.stack.split_off(at)
    }

    /// Pushes an i8 boolean as an i32 0/1.
    pub fn push_bool(&mut self, flag: Value) {
        let v = self.b.ins().uextend(types::I32, flag);
        self.push(v);
    }

    fn binary(&mut self, f: impl FnOnce(&mut FunctionBuilder<'_>, Value, Value) -> Value) {
        let (x, y) = self.pop2();
        let v = f(&mut self.b, x, y);
        self.push(v);
    }

    fn unary(&mut self, f: impl FnOnce(&mut FunctionBuilder<'_>, Value) -> Value) {
        let x = self.pop();
        let v = f(&mut self.b, x);
        self.push(v);
    }

    fn icmp(&mut self, cc: IntCC) {
        let (x, y) = self.pop2();
        let c = self.b.ins().icmp(cc, x, y);
        self.push_bool(c);
    }

    fn fcmp(&mut self, cc: FloatCC) {
        let (x, y) = self.pop2();
        let c = self.b.ins().fcmp(cc, x, y);
        self.push_bool(c);
    }

    /// Lowers one operator.
    fn translate_operator(&mut self, op: &Operator<'_>, offset: u64) -> TResult {
        if !self.reachable {
            return self.skip_unreachable(op);
        }
        if let Some(slot) = self.promoted_slot(offset) {
            self.translate_slot_access(op, slot);
            return Ok(());
        }
        use Operator::*;
        match *op {
            // Control.
            Unreachable => {
                self.b
                    .ins()
                    .trap(crate::traps::code(walic_loader::trap::Trap::Unreachable));
                self.reachable = false;
            }
            Nop => {}
            Block { blockty } => self.translate_block(blockty),
            Loop { blockty } => self.translate_loop(blockty)?,
            If { blockty } => self.translate_if(blockty),
            Else => self.translate_else(),
            End => self.translate_end(),
            Br { relative_depth } => self.translate_br(relative_depth),
            BrIf { relative_depth } => self.translate_br_if(relative_depth),
            BrTable { ref targets } => self.translate_br_table(targets)?,
            Return => self.translate_return(),
            Call { function_index } => self.translate_call(FuncIndex::from_u32(function_index))?,
            CallIndirect {
                type_index,
                table_index,
            } => self.translate_call_indirect(type_index, table_index)?,
            ReturnCall { function_index } => {
                self.translate_return_call(FuncIndex::from_u32(function_index))?
            }
            ReturnCallIndirect {
                type_index,
                table_index,
            } => self.translate_return_call_indirect(type_index, table_index)?,
            Drop => {
                self.pop();
            }
            Select | TypedSelect { .. } => {
                let (x, y, c) = self.pop3();
                let v = self.b.ins().select(c, x, y);
                self.push(v);
            }
            LocalGet { local_index } => {
                let v = self.b.use_var(self.locals[local_index as usize]);
                self.push(v);
            }
            LocalSet { local_index } => {
                let v = self.pop();
                self.b.def_var(self.locals[local_index as usize], v);
            }
            LocalTee { local_index } => {
                let v = *self.stack.last().expect("validated");
                self.b.def_var(self.locals[local_index as usize], v);
            }
            GlobalGet { global_index } => self.translate_global_get(global_index),
            GlobalSet { global_index } => self.translate_global_set(global_index),

            // Memory.
            I32Load { memarg } => self.load(types::I32, LoadKind::Plain, &memarg),
            I64Load { memarg } => self.load(types::I64, LoadKind::Plain, &memarg),
            F32Load { memarg } => self.load(types::F32, LoadKind::Plain, &memarg),
            F64Load { memarg } => self.load(types::F64, LoadKind::Plain, &memarg),
            I32Load8S { memarg } => self.load(types::I32, LoadKind::S8, &memarg),
            I32Load8U { memarg } => self.load(types::I32, LoadKind::U8, &memarg),
            I32Load16S { memarg } => self.load(types::I32, LoadKind::S16, &memarg),
            I32Load16U { memarg } => self.load(types::I32, LoadKind::U16, &memarg),
            I64Load8S { memarg } => self.load(types::I64, LoadKind::S8, &memarg),
            I64Load8U { memarg } => self.load(types::I64, LoadKind::U8, &memarg),
            I64Load16S { memarg } => self.load(types::I64, LoadKind::S16, &memarg),
            I64Load16U { memarg } => self.load(types::I64, LoadKind::U16, &memarg),
            I64Load32S { memarg } => self.load(types::I64, LoadKind::S32, &memarg),
            I64Load32U { memarg } => self.load(types::I64, LoadKind::U32, &memarg),
            I32Store { memarg }
            | I64Store { memarg }
            | F32Store { memarg }
            | F64Store { memarg } => self.store(StoreKind::Full, &memarg),
            I32Store8 { memarg } | I64Store8 { memarg } => self.store(StoreKind::B8, &memarg),
            I32Store16 { memarg } | I64Store16 { memarg } => self.store(StoreKind::B16, &memarg),
            I64Store32 { memarg } => self.store(StoreKind::B32, &memarg),
            MemorySize { .. } => self.translate_memory_size()?,
            MemoryGrow { .. } => self.translate_memory_grow()?,
            MemoryInit { data_index, .. } => self.translate_memory_init(data_index)?,
            DataDrop { data_index } => self.translate_data_drop(data_index)?,
            MemoryCopy { .. } => self.translate_memory_copy()?,
            MemoryFill { .. } => self.translate_memory_fill()?,

            // Constants.
            I32Const { value } => {
                let v = self.b.ins().iconst(types::I32, i64::from(value));
                self.push(v);
            }
            I64Const { value } => {
                let v = self.b.ins().iconst(types::I64, value);
                self.push(v);
            }
            F32Const { value } => {
                let v = self
                    .b
                    .ins()
                    .f32const(ir::immediates::Ieee32::with_bits(value.bits()));
                self.push(v);
            }
            F64Const { value } => {
                let v = self
                    .b
                    .ins()
                    .f64const(ir::immediates::Ieee64::with_bits(value.bits()));
                self.push(v);
            }

            // Comparisons.
            I32Eqz | I64Eqz => {
                let x = self.pop();
                let c = self.b.ins().icmp_imm_u(IntCC::Equal, x, 0);
                self.push_bool(c);
            }
            I32Eq | I64Eq => self.icmp(IntCC::Equal),
            I32Ne | I64Ne => self.icmp(IntCC::NotEqual),
            I32LtS | I64LtS => self.icmp(IntCC::SignedLessThan),
            I32LtU | I64LtU => self.icmp(IntCC::UnsignedLessThan),
            I32GtS | I64GtS => self.icmp(IntCC::SignedGreaterThan),
            I32GtU | I64GtU => self.icmp(IntCC::UnsignedGreaterThan),
            I32LeS | I64LeS => self.icmp(IntCC::SignedLessThanOrEqual),
            I32LeU | I64LeU => self.icmp(IntCC::UnsignedLessThanOrEqual),
            I32GeS | I64GeS => self.icmp(IntCC::SignedGreaterThanOrEqual),
            I32GeU | I64GeU => self.icmp(IntCC::UnsignedGreaterThanOrEqual),
            F32Eq | F64Eq => self.fcmp(FloatCC::Equal),
            F32Ne | F64Ne => self.fcmp(FloatCC::NotEqual),
            F32Lt | F64Lt => self.fcmp(FloatCC::LessThan),
            F32Gt | F64Gt => self.fcmp(FloatCC::GreaterThan),
            F32Le | F64Le => self.fcmp(FloatCC::LessThanOrEqual),
            F32Ge | F64Ge => self.fcmp(FloatCC::GreaterThanOrEqual),

            // Integer arithmetic.
            I32Clz | I64Clz => self.unary(|b, x| b.ins().clz(x)),
            I32Ctz | I64Ctz => self.unary(|b, x| b.ins().ctz(x)),
            I32Popcnt | I64Popcnt => self.unary(|b, x| b.ins().popcnt(x)),
            I32Add | I64Add => self.binary(|b, x, y| b.ins().iadd(x, y)),
            I32Sub | I64Sub => self.binary(|b, x, y| b.ins().isub(x, y)),
            I32Mul | I64Mul => self.binary(|b, x, y| b.ins().imul(x, y)),
            I32DivS | I64DivS => self.binary(|b, x, y| b.ins().sdiv(x, y)),
            I32DivU | I64DivU => self.binary(|b, x, y| b.ins().udiv(x, y)),
            I32RemS | I64RemS => self.binary(|b, x, y| b.ins().srem(x, y)),
            I32RemU | I64RemU => self.binary(|b, x, y| b.ins().urem(x, y)),
            I32And | I64And => self.binary(|b, x, y| b.ins().band(x, y)),
            I32Or | I64Or => self.binary(|b, x, y| b.ins().bor(x, y)),
            I32Xor | I64Xor => self.binary(|b, x, y| b.ins().bxor(x, y)),
            I32Shl | I64Shl => self.binary(|b, x, y| b.ins().ishl(x, y)),
            I32ShrS | I64ShrS => self.binary(|b, x, y| b.ins().sshr(x, y)),
            I32ShrU | I64ShrU => self.binary(|b, x, y| b.ins().ushr(x, y)),
            I32Rotl | I64Rotl => self.binary(|b, x, y| b.ins().rotl(x, y)),
            I32Rotr | I64Rotr => self.binary(|b, x, y| b.ins().rotr(x, y)),

            // Float arithmetic.
            F32Abs | F64Abs => self.unary(|b, x| b.ins().fabs(x)),
            F32Neg | F64Neg => self.unary(|b, x| b.ins().fneg(x)),
            F32Ceil | F64Ceil => self.unary(|b, x| b.ins().ceil(x)),
            F32Floor | F64Floor => self.unary(|b, x| b.ins().floor(x)),
            F32Trunc | F64Trunc => self.unary(|b, x| b.ins().trunc(x)),
            F32Nearest | F64Nearest => self.unary(|b, x| b.ins().nearest(x)),
            F32Sqrt | F64Sqrt => self.unary(|b, x| b.ins().sqrt(x)),
            F32Add | F64Add => self.binary(|b, x, y| b.ins().fadd(x, y)),
            F32Sub | F64Sub => self.binary(|b, x, y| b.ins().fsub(x, y)),
            F32Mul | F64Mul => self.binary(|b, x, y| b.ins().fmul(x, y)),
            F32Div | F64Div => self.binary(|b, x, y| b.ins().fdiv(x, y)),
            F32Min | F64Min => self.binary(|b, x, y| b.ins().fmin(x, y)),
            F32Max | F64Max => self.binary(|b, x, y| b.ins().fmax(x, y)),
            F32Copysign | F64Copysign => self.binary(|b, x, y| b.ins().fcopysign(x, y)),

            // Conversions.
            I32WrapI64 => self.unary(|b, x| b.ins().ireduce(types::I32, x)),
            I64ExtendI32S => self.unary(|b, x| b.ins().sextend(types::I64, x)),
            I64ExtendI32U => self.unary(|b, x| b.ins().uextend(types::I64, x)),
            I32TruncF32S | I32TruncF64S => self.unary(|b, x| b.ins().fcvt_to_sint(types::I32, x)),
            I32TruncF32U | I32TruncF64U => self.unary(|b, x| b.ins().fcvt_to_uint(types::I32, x)),
            I64TruncF32S | I64TruncF64S => self.unary(|b, x| b.ins().fcvt_to_sint(types::I64, x)),
            I64TruncF32U | I64TruncF64U => self.unary(|b, x| b.ins().fcvt_to_uint(types::I64, x)),
            I32TruncSatF32S | I32TruncSatF64S => {
                self.unary(|b, x| b.ins().fcvt_to_sint_sat(types::I32, x))
            }
            I32TruncSatF32U | I32TruncSatF64U => {
                self.unary(|b, x| b.ins().fcvt_to_uint_sat(types::I32, x))
            }
            I64TruncSatF32S | I64TruncSatF64S => {
                self.unary(|b, x| b.ins().fcvt_to_sint_sat(types::I64, x))
            }
            I64TruncSatF32U | I64TruncSatF64U => {
                self.unary(|b, x| b.ins().fcvt_to_uint_sat(types::I64, x))
            }
            F32ConvertI32S | F32ConvertI64S => {
                self.unary(|b, x| b.ins().fcvt_from_sint(types::F32, x))
            }
            F32ConvertI32U | F32ConvertI64U => {
                self.unary(|b, x| b.ins().fcvt_from_uint(types::F32, x))
            }
            F64ConvertI32S | F64ConvertI64S => {
                self.unary(|b, x| b.ins().fcvt_from_sint(types::F64, x))
            }
            F64ConvertI32U | F64ConvertI64U => {
                self.unary(|b, x| b.ins().fcvt_from_uint(types::F64, x))
            }
            F32DemoteF64 => self.unary(|b, x| b.ins().fdemote(types::F32, x)),
            F64PromoteF32 => self.unary(|b, x| b.ins().fpromote(types::F64, x)),
            I32ReinterpretF32 => {
                self.unary(|b, x| b.ins().bitcast(types::I32, MemFlagsData::new(), x))
            }
            I64ReinterpretF64 => {
                self.unary(|b, x| b.ins().bitcast(types::I64, MemFlagsData::new(), x))
            }
            F32ReinterpretI32 => {
                self.unary(|b, x| b.ins().bitcast(types::F32, MemFlagsData::new(), x))
            }
            F64ReinterpretI64 => {
                self.unary(|b, x| b.ins().bitcast(types::F64, MemFlagsData::new(), x))
            }
            I32Extend8S => self.sign_extend_in_place(types::I32, types::I8),
            I32Extend16S => self.sign_extend_in_place(types::I32, types::I16),
            I64Extend8S => self.sign_extend_in_place(types::I64, types::I8),
            I64Extend16S => self.sign_extend_in_place(types::I64, types::I16),
            I64Extend32S => self.sign_extend_in_place(types::I64, types::I32),

            // Reference types and tables.
            RefNull { .. } => {
                let v = self.b.ins().iconst(types::I64, 0);
                self.push(v);
            }
            RefIsNull => {
                let x = self.pop();
                let c = self.b.ins().icmp_imm_u(IntCC::Equal, x, 0);
                self.push_bool(c);
            }
            RefFunc { function_index } => {
                self.translate_ref_func(FuncIndex::from_u32(function_index))
            }
            TableGet { table } => self.translate_table_get(table),
            TableSet { table } => self.translate_table_set(table),
            TableSize { table } => self.translate_table_size(table),
            TableGrow { table } => self.translate_table_grow(table)?,
            TableFill { table } => self.translate_table_fill(table)?,
            TableInit { elem_index, table } => self.translate_table_init(elem_index, table)?,
            TableCopy {
                dst_table,
                src_table,
            } => self.translate_table_copy(dst_table, src_table)?,
            ElemDrop { elem_index } => self.translate_elem_drop(elem_index)?,

            // Threads.
            MemoryAtomicNotify { memarg } => self.translate_atomic_notify(&memarg)?,
            MemoryAtomicWait32 { memarg } => self.translate_atomic_wait(&memarg, types::I32)?,
            MemoryAtomicWait64 { memarg } => self.translate_atomic_wait(&memarg, types::I64)?,
            AtomicFence { .. } => {
                self.b.ins().fence();
            }
            I32AtomicLoad { memarg } => self.atomic_load(types::I32, types::I32, &memarg),
            I64AtomicLoad { memarg } => self.atomic_load(types::I64, types::I64, &memarg),
            I32AtomicLoad8U { memarg } => self.atomic_load(types::I32, types::I8, &memarg),
            I32AtomicLoad16U { memarg } => self.atomic_load(types::I32, types::I16, &memarg),
            I64AtomicLoad8U { memarg } => self.atomic_load(types::I64, types::I8, &memarg),
            I64AtomicLoad16U { memarg } => self.atomic_load(types::I64, types::I16, &memarg),
            I64AtomicLoad32U { memarg } => self.atomic_load(types::I64, types::I32, &memarg),
            I32AtomicStore { memarg } => self.atomic_store(types::I32, &memarg),
            I64AtomicStore { memarg } => self.atomic_store(types::I64, &memarg),
            I32AtomicStore8 { memarg } | I64AtomicStore8 { memarg } => {
                self.atomic_store(types::I8, &memarg)
            }
            I32AtomicStore16 { memarg } | I64AtomicStore16 { memarg } => {
                self.atomic_store(types::I16, &memarg)
            }
            I64AtomicStore32 { memarg } => self.atomic_store(types::I32, &memarg),
            _ => {
                if let Some((ty, access, rmw)) = super::atomics::rmw_shape(op) {
                    self.atomic_rmw(ty, access, rmw, op);
                } else if !self.translate_simd(op)? {
                    return Err(Stop::Error(Error::Invalid {
                        offset,
                        message: format!("unsupported operator {op:?}"),
                    }));
                }
            }
        }
        Ok(())
    }

    fn sign_extend_in_place(&mut self, ty: ir::Type, narrow: ir::Type) {
        let x = self.pop();
        let n = self.b.ins().ireduce(narrow, x);
        let v = self.b.ins().sextend(ty, n);
        self.push(v);
    }
}

/// How a load extends its value.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum LoadKind {
    Plain,
    S8,
    U8,
    S16,
    U16,
    S32,
    U32,
}

/// How many bytes a store writes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum StoreKind {
    Full,
    B8,
    B16,
    B32,
}
