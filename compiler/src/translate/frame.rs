//! Shadow-stack promotion: the C locals of a function whose frame never escapes live in SSA
//! variables instead of linear memory.
//!
//! clang keeps every C local of `-O0` code (and the address-taken locals of optimised code) in a
//! frame on the shadow stack in linear memory:
//!
//! ```text
//! global.get $__stack_pointer  i32.const N  i32.sub  local.set $fp   ;; or local.tee $fp
//! local.get $fp  global.set $__stack_pointer                         ;; absent in leaf functions
//! ...  local.get $fp  i32.load offset=K  ...  local.get $fp  (value)  i32.store offset=K  ...
//! local.get $fp  i32.const N  i32.add  global.set $__stack_pointer   ;; epilogue, if it was set
//! ```
//!
//! [`analyze`] decides, before a body is translated, which bytes `[fp + K, fp + K + size)` of
//! the frame are *private slots*; the translator then lowers every load and store of a slot to a
//! read or write of the slot's Cranelift variable, and emits no memory access for it.
//!
//! # Why a slot is private
//!
//! The frame `[fp, fp + N)` lies between the caller's stack pointer and the callee's. Callees
//! allocate their frames below `__stack_pointer` (which this function set to `fp`), the runtime
//! runs a signal handler's wasm frames below `__stack_pointer` minus the 128-byte red zone of
//! LLVM's leaf functions, and other threads have their own stacks. So nothing but this
//! activation reaches the frame unless the frame's address escapes, and in C a pointer to a
//! local that was never formed cannot be used (a dangling pointer into a dead frame is undefined
//! behaviour natively too). The analysis therefore requires, for the whole body:
//!
//! - **Prologue.** The body starts with `global.get SP; i32.const N; i32.sub; local.set/tee L`
//!   (`N > 0`), where SP is the stack-pointer global of a WALI module
//!   ([`crate::module::Module::stack_pointer`], only when the module imports from `wali`: a
//!   spec-test module's mutable global is no C stack). Either the prologue continues with
//!   `global.set SP` of `fp` (via `local.tee L` or `local.get L`), or the function is a leaf in
//!   the red zone: `N <= 128` and it contains no call at all.
//! - **No escape.** The abstract value `fp + c` (`local.get L`, then `i32.add` of constants) may
//!   only be: the address of a plain load or store (`i32.load`, `f64.store`, `i64.load8_s`, …;
//!   not atomics, not bulk memory); dropped; stored to `__stack_pointer` as exactly `fp`; or, as
//!   exactly `fp + N`, stored to `__stack_pointer` in the epilogue, after which only `local.get`
//!   of other locals and constants may come before `return` or the end of the body (so nothing
//!   reads the frame, and nothing is called, once it is released). Anything else consumes an
//!   `fp`-derived value and rejects the whole function: storing it (as the stored *value*),
//!   passing it to a call, `local.set`/`local.tee` into any local (copies are not followed),
//!   other arithmetic (`&a[i]`), comparisons, `select`, block results and branch operands.
//! - `L` is written only by the prologue, `global.get SP` appears nowhere else (its value is
//!   `fp` again, untracked), and `global.set SP` takes nothing but the two values above (no
//!   `alloca`).
//! - The function does not call setjmp (the translator never promotes in setjmp mode).
//!
//! # Which accesses become slots
//!
//! Every access `fp + c + offset` of `size` bytes is recorded. Accesses whose byte ranges
//! overlap form a group; a group is promoted only if all its accesses have the same start and
//! size and lie inside `[0, N)`. Groups that mix widths or start points (an `i64` store read
//! back as two `i32` halves, a struct copied field by field over a union) stay in memory, exactly
//! as before: they are byte-disjoint from every promoted slot, so the two never interact. Within
//! a slot, accesses of the same width but different types (`f32` stored, `i32` loaded) are
//! bitcasts, and `load8_s`/`load16_u`/`store32`… are extensions and truncations of a variable of
//! the access width.
//!
//! # Reads before writes, and traps
//!
//! Since nothing else writes the frame while the function runs and promoted stores are not
//! performed, every byte of a slot keeps, in memory, the value it had when the frame was set
//! up. So each slot's variable starts with a load of its bytes right after the prologue; a read
//! before any store then yields exactly what the memory read would have. These loads are
//! `notrap`, so Cranelift deletes those whose value no read needs. They are preceded by one
//! trapping one-byte probe of the frame: a frame is either wholly in bounds or, when the stack
//! pointer has wrapped below address 0, wholly out of bounds, and the probe then traps with the
//! same "out of bounds memory access" the first frame access would have raised. (The trap comes
//! at the end of the prologue rather than at that first access; at `-O0` the two coincide,
//! since a function's first act is to store its arguments into its frame.)
//!
//! # What the rules leave out
//!
//! setjmp (excluded, so C's rule that non-volatile locals changed after setjmp are
//! indeterminate never comes into play; volatile locals stay memory anyway); a longjmp *through*
//! a promoted function discards its activation, promoted or not. A signal handler runs in
//! another activation that cannot name the frame. A thread runs its own activation on its own
//! stack. Functions that take the address of any local (`&x` passed to a function) are not
//! promoted at all: without type information the compiler cannot tell which bytes the pointer's
//! object spans.

use super::function::FuncTranslator;
use crate::module::{DefinedFuncIndex, ImportKind, Module};
use cranelift_codegen::ir::{types, InstBuilder, MemFlagsData, Type, Value};
use cranelift_frontend::Variable;
use std::collections::HashMap;
use wasmparser::{
    FuncToValidate, FuncValidator, FuncValidatorAllocations, Operator, ValidatorResources,
};

/// Bytes below `__stack_pointer` a leaf function may use without moving it.
const RED_ZONE: u32 = 128;

/// The plan for one function: its frame and the accesses that become slot variables.
#[derive(Debug, Default)]
pub(crate) struct FramePlan {
    /// The wasm local holding the frame pointer.
    pub frame_local: u32,
    /// Code offset of the first operator after the prologue (where the slot variables are set
    /// up).
    pub body_start: u64,
    /// The promoted slots.
    pub slots: Vec<Slot>,
    /// Code offset of every promoted load or store → its slot index.
    pub accesses: HashMap<u64, usize>,
}

/// A promoted slot: `size` bytes at `fp + offset`, held in a variable of type `ty`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Slot {
    pub offset: u32,
    pub size: u32,
    pub ty: Type,
}

/// Why a function's frame is not promoted (for tests and `-v` diagnostics).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Reject {
    /// No recognised prologue (or no C stack pointer in this module).
    NoPrologue,
    /// The frame pointer (or `fp + c`) is used as something other than a load/store base.
    Escapes(u64),
    /// The frame-pointer local is written again.
    FrameLocalWritten(u64),
    /// `__stack_pointer` is read or written other than by prologue and epilogue.
    StackPointerUse(u64),
    /// A leaf-style frame (no `global.set`) that is too big or makes calls.
    UnprotectedFrame,
    /// The function calls setjmp.
    Setjmp,
    /// The body did not validate (translation will report it).
    Invalid,
    /// Nothing to promote.
    NoSlots,
}

/// The abstract value of an operand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Abs {
    Other,
    Const(i32),
    /// `fp + c`.
    Frame(u32),
}

/// One recorded access.
struct Access {
    at: u64,
    offset: u32,
    size: u32,
    ty: Type,
}

/// A control frame: the operand-stack height below its values. After an unconditional branch
/// the stack is polymorphic down to that height (popping below it yields unknown values).
struct Control {
    height: usize,
}

/// The width in bytes and natural variable type of a plain load or store, if `op` is one.
fn access_shape(op: &Operator<'_>) -> Option<(u32, Type, bool, u64)> {
    use Operator::*;
    // (size, type, is_store, memarg offset)
    let r = match op {
        I32Load { memarg } => (4, types::I32, false, memarg.offset),
        I64Load { memarg } => (8, types::I64, false, memarg.offset),
        F32Load { memarg } => (4, types::F32, false, memarg.offset),
        F64Load { memarg } => (8, types::F64, false, memarg.offset),
        I32Load8S { memarg }
        | I32Load8U { memarg }
        | I64Load8S { memarg }
        | I64Load8U { memarg } => (1, types::I8, false, memarg.offset),
        I32Load16S { memarg }
        | I32Load16U { memarg }
        | I64Load16S { memarg }
        | I64Load16U { memarg } => (2, types::I16, false, memarg.offset),
        I64Load32S { memarg } | I64Load32U { memarg } => (4, types::I32, false, memarg.offset),
        I32Store { memarg } => (4, types::I32, true, memarg.offset),
        I64Store { memarg } => (8, types::I64, true, memarg.offset),
        F32Store { memarg } => (4, types::F32, true, memarg.offset),
        F64Store { memarg } => (8, types::F64, true, memarg.offset),
        I32Store8 { memarg } | I64Store8 { memarg } => (1, types::I8, true, memarg.offset),
        I32Store16 { memarg } | I64Store16 { memarg } => (2, types::I16, true, memarg.offset),
        I64Store32 { memarg } => (4, types::I32, true, memarg.offset),
        _ => return None,
    };
    Some(r)
}

/// The integer type of `size` bytes.
fn int_type(size: u32) -> Type {
    match size {
        1 => types::I8,
        2 => types::I16,
        4 => types::I32,
        _ => types::I64,
    }
}

/// The stack-pointer global frames are allocated from, if `module` is a WALI program (whose C
/// code follows the stack discipline the analysis relies on).
fn c_stack_pointer(module: &Module<'_>) -> Option<u32> {
    let wali = module.functions.values().any(|f| {
        matches!(
            f.import,
            Some(ImportKind::Wali(_)) | Some(ImportKind::Setjmp { .. })
        )
    });
    if !wali {
        return None;
    }
    module.stack_pointer.map(|g| g.as_u32())
}

/// The promotion plan of defined function `def`, analysed with a validator of its own before
/// translation starts (an invalid body is reported by the translation, not here).
pub(crate) fn plan(module: &Module<'_>, def: DefinedFuncIndex) -> Result<FramePlan, Reject> {
    let body = &module.bodies[def];
    let pending = &body.validator;
    let mut validator = FuncToValidate {
        resources: pending.resources.clone(),
        index: pending.index,
        ty: pending.ty,
        features: pending.features,
    }
    .into_validator(FuncValidatorAllocations::default());
    analyze(module, &body.body, &mut validator)
}

/// Analyses one body; `validator` is a fresh validator for it (consumed by the analysis).
fn analyze(
    module: &Module<'_>,
    body: &wasmparser::FunctionBody<'_>,
    validator: &mut FuncValidator<ValidatorResources>,
) -> Result<FramePlan, Reject> {
    let sp = c_stack_pointer(module).ok_or(Reject::NoPrologue)?;
    let invalid = |_| Reject::Invalid;
    let mut locals = body.get_locals_reader().map_err(invalid)?;
    for _ in 0..locals.get_count() {
        let offset = locals.original_position();
        let (count, ty) = locals.read().map_err(invalid)?;
        validator
            .define_locals(offset, count, ty)
            .map_err(invalid)?;
    }
    let mut reader = body.get_operators_reader().map_err(invalid)?;
    let mut ops = Vec::new();
    while !reader.eof() {
        let at = reader.original_position();
        ops.push((at, reader.read().map_err(invalid)?));
    }

    // The prologue.
    let (size, frame_local, tee) = match ops.as_slice() {
        [(_, Operator::GlobalGet { global_index }), (_, Operator::I32Const { value }), (_, Operator::I32Sub), (_, set), ..]
            if *global_index == sp && *value > 0 =>
        {
            match set {
                Operator::LocalSet { local_index } => (*value as u32, *local_index, false),
                Operator::LocalTee { local_index } => (*value as u32, *local_index, true),
                _ => return Err(Reject::NoPrologue),
            }
        }
        _ => return Err(Reject::NoPrologue),
    };
    let sets_sp = if tee {
        matches!(ops.get(4), Some((_, Operator::GlobalSet { global_index })) if *global_index == sp)
    } else {
        matches!(
            (ops.get(4), ops.get(5)),
            (Some((_, Operator::LocalGet { local_index })), Some((_, Operator::GlobalSet { global_index })))
                if *local_index == frame_local && *global_index == sp
        )
    };
    let prologue_len = match (tee, sets_sp) {
        (true, true) => 5,
        (false, true) => 6,
        (false, false) => 4,
        // A tee whose value is not the global.set: analysed as ordinary code below.
        (true, false) => 4,
    };

    let mut stack: Vec<Abs> = Vec::new();
    let mut control: Vec<Control> = vec![Control { height: 0 }];
    let mut accesses: Vec<Access> = Vec::new();
    let mut makes_calls = false;
    // Set by the epilogue's release of the frame: only local.get/constants may follow until
    // `return` or the end of the body.
    let mut released = false;

    for (i, (at, op)) in ops.iter().enumerate() {
        let at = *at;
        let arity = op.operator_arity(&*validator);
        validator.op(at, op).map_err(invalid)?;
        if i < 4 {
            // global.get SP; i32.const N; i32.sub; local.set/tee L — the frame pointer.
            if i == 3 && tee {
                stack.push(Abs::Frame(0));
            }
            continue;
        }
        let (pops, pushes) = arity.ok_or(Reject::Invalid)?;
        if released {
            match op {
                Operator::LocalGet { local_index } if *local_index != frame_local => {}
                Operator::I32Const { .. }
                | Operator::I64Const { .. }
                | Operator::F32Const { .. }
                | Operator::F64Const { .. } => {}
                // A tail call's arguments come after the release too (clang frees the frame
                // before `return_call`).
                Operator::Return
                | Operator::ReturnCall { .. }
                | Operator::ReturnCallIndirect { .. } => released = false,
                Operator::End if control.len() == 1 => released = false,
                _ => return Err(Reject::StackPointerUse(at)),
            }
        }
        let height = control.last().map_or(0, |c| c.height);
        let pop = |stack: &mut Vec<Abs>| -> Abs {
            if stack.len() > height {
                stack.pop().expect("checked")
            } else {
                // Polymorphic stack of unreachable code (validated).
                Abs::Other
            }
        };
        match op {
            Operator::LocalGet { local_index } => stack.push(if *local_index == frame_local {
                Abs::Frame(0)
            } else {
                Abs::Other
            }),
            Operator::LocalSet { local_index } | Operator::LocalTee { local_index } => {
                let v = pop(&mut stack);
                if *local_index == frame_local {
                    return Err(Reject::FrameLocalWritten(at));
                }
                if matches!(v, Abs::Frame(_)) {
                    return Err(Reject::Escapes(at));
                }
                if matches!(op, Operator::LocalTee { .. }) {
                    stack.push(v);
                }
            }
            Operator::GlobalGet { global_index } if *global_index == sp => {
                return Err(Reject::StackPointerUse(at));
            }
            Operator::GlobalSet { global_index } if *global_index == sp => match pop(&mut stack) {
                Abs::Frame(0) => {}
                Abs::Frame(c) if c == size && sets_sp => released = true,
                _ => return Err(Reject::StackPointerUse(at)),
            },
            Operator::I32Const { value } => stack.push(Abs::Const(*value)),
            Operator::I32Add => {
                let (y, x) = (pop(&mut stack), pop(&mut stack));
                let v = match (x, y) {
                    (Abs::Frame(c), Abs::Const(k)) | (Abs::Const(k), Abs::Frame(c)) => {
                        match (k >= 0).then(|| c.checked_add(k as u32)).flatten() {
                            Some(sum) => Abs::Frame(sum),
                            None => return Err(Reject::Escapes(at)),
                        }
                    }
                    (Abs::Frame(_), _) | (_, Abs::Frame(_)) => return Err(Reject::Escapes(at)),
                    _ => Abs::Other,
                };
                stack.push(v);
            }
            Operator::Drop => {
                pop(&mut stack);
            }
            _ => {
                if let Some((bytes, ty, is_store, offset)) = access_shape(op) {
                    let value = if is_store {
                        Some(pop(&mut stack))
                    } else {
                        None
                    };
                    if matches!(value, Some(Abs::Frame(_))) {
                        return Err(Reject::Escapes(at));
                    }
                    let address = pop(&mut stack);
                    if let Abs::Frame(c) = address {
                        // Accesses in unreachable code are recorded too: whether or not the
                        // translator emits them, they are lowered consistently.
                        let start = u64::from(c) + offset;
                        let inside = start + u64::from(bytes) <= u64::from(size);
                        accesses.push(Access {
                            // Outside the frame (the caller's memory): never promoted.
                            at: if inside { at } else { u64::MAX },
                            offset: start.min(u64::from(u32::MAX)) as u32,
                            size: bytes,
                            ty,
                        });
                    }
                    if !is_store {
                        stack.push(Abs::Other);
                    }
                    continue;
                }
                match op {
                    Operator::Call { function_index } | Operator::ReturnCall { function_index } => {
                        makes_calls = true;
                        let f = crate::module::FuncIndex::from_u32(*function_index);
                        if matches!(
                            module.functions.get(f).and_then(|f| f.import.as_ref()),
                            Some(ImportKind::Setjmp { .. })
                        ) {
                            return Err(Reject::Setjmp);
                        }
                    }
                    Operator::CallIndirect { .. }
                    | Operator::ReturnCallIndirect { .. }
                    | Operator::CallRef { .. }
                    | Operator::ReturnCallRef { .. } => makes_calls = true,
                    _ => {}
                }
                for _ in 0..pops {
                    if matches!(pop(&mut stack), Abs::Frame(_)) {
                        return Err(Reject::Escapes(at));
                    }
                }
                match op {
                    Operator::Block { .. } | Operator::Loop { .. } | Operator::If { .. } => {
                        control.push(Control {
                            height: stack.len(),
                        });
                        stack.extend((0..pushes).map(|_| Abs::Other));
                    }
                    Operator::Else => {
                        let frame = control.last().expect("validated");
                        stack.truncate(frame.height);
                        stack.extend((0..pushes).map(|_| Abs::Other));
                    }
                    Operator::End => {
                        let frame = control.pop().expect("validated");
                        stack.truncate(frame.height);
                        stack.extend((0..pushes).map(|_| Abs::Other));
                    }
                    Operator::Unreachable
                    | Operator::Br { .. }
                    | Operator::BrTable { .. }
                    | Operator::Return
                    | Operator::ReturnCall { .. }
                    | Operator::ReturnCallIndirect { .. }
                    | Operator::ReturnCallRef { .. }
                    | Operator::Throw { .. }
                    | Operator::ThrowRef
                    | Operator::Rethrow { .. } => {
                        let frame = control.last().expect("validated");
                        stack.truncate(frame.height);
                    }
                    _ => stack.extend((0..pushes).map(|_| Abs::Other)),
                }
            }
        }
    }
    if !control.is_empty() || released {
        return Err(Reject::Invalid);
    }
    if !sets_sp && (size > RED_ZONE || makes_calls) {
        return Err(Reject::UnprotectedFrame);
    }
    let body_start = ops.get(prologue_len).map_or(u64::MAX, |(at, _)| *at);
    let (slots, slot_of) = assign_slots(&accesses);
    if slots.is_empty() {
        return Err(Reject::NoSlots);
    }
    let accesses = accesses
        .iter()
        .filter(|a| a.at != u64::MAX)
        .filter_map(|a| slot_of.get(&(a.offset, a.size)).map(|s| (a.at, *s)))
        .collect();
    Ok(FramePlan {
        frame_local,
        body_start,
        slots,
        accesses,
    })
}

/// Groups overlapping accesses; returns the promotable slots and, for each, its `(offset,
/// size)` key.
fn assign_slots(accesses: &[Access]) -> (Vec<Slot>, HashMap<(u32, u32), usize>) {
    let mut sorted: Vec<&Access> = accesses.iter().collect();
    sorted.sort_by_key(|a| (a.offset, a.size));
    let mut slots = Vec::new();
    let mut slot_of = HashMap::new();
    let mut i = 0;
    while i < sorted.len() {
        // A group: accesses whose ranges overlap transitively.
        let mut end = u64::from(sorted[i].offset) + u64::from(sorted[i].size);
        let mut j = i + 1;
        while j < sorted.len() && u64::from(sorted[j].offset) < end {
            end = end.max(u64::from(sorted[j].offset) + u64::from(sorted[j].size));
            j += 1;
        }
        let group = &sorted[i..j];
        let first = group[0];
        let uniform = group
            .iter()
            .all(|a| a.offset == first.offset && a.size == first.size && a.at != u64::MAX);
        if uniform {
            let ty = if group.iter().all(|a| a.ty == first.ty) {
                first.ty
            } else {
                int_type(first.size)
            };
            slot_of.insert((first.offset, first.size), slots.len());
            slots.push(Slot {
                offset: first.offset,
                size: first.size,
                ty,
            });
        }
        i = j;
    }
    (slots, slot_of)
}

/// The translator's state for a promoted frame.
pub(crate) struct FrameState {
    pub plan: FramePlan,
    /// The variable of each slot.
    vars: Vec<Variable>,
}

impl FrameState {
    pub(crate) fn new(plan: FramePlan) -> Self {
        FrameState {
            plan,
            vars: Vec::new(),
        }
    }
}

impl FuncTranslator<'_, '_, '_> {
    /// The slot accessed by the operator at code offset `at`, if it is a promoted access.
    pub(crate) fn promoted_slot(&self, at: u64) -> Option<usize> {
        let frame = self.frame.as_ref()?;
        frame.plan.accesses.get(&at).copied()
    }

    /// At the end of the prologue: probes the frame and gives every slot variable the value its
    /// bytes hold in memory (see the module docs).
    pub(crate) fn enter_frame(&mut self) {
        let Some(frame) = self.frame.as_ref() else {
            return;
        };
        let fp_local = self.locals[frame.plan.frame_local as usize];
        let slots = frame.plan.slots.clone();
        let fp = self.b.use_var(fp_local);
        let (host, _) = self.heap_address(fp, 0);
        let probe_at = slots.iter().map(|s| s.offset).min().unwrap_or(0);
        let trapping = self.heap_flags();
        self.b
            .ins()
            .uload8(types::I32, trapping, host, probe_at as i32);
        let quiet = self.heap_flags().with_notrap();
        let mut vars = Vec::with_capacity(slots.len());
        for slot in &slots {
            let var = self.b.declare_var(slot.ty);
            let initial = self.b.ins().load(slot.ty, quiet, host, slot.offset as i32);
            self.b.def_var(var, initial);
            vars.push(var);
        }
        self.frame.as_mut().expect("checked").vars = vars;
    }

    /// Lowers a load or store of promoted slot `slot`.
    pub(crate) fn translate_slot_access(&mut self, op: &Operator<'_>, slot: usize) {
        use Operator::*;
        let frame = self.frame.as_ref().expect("promoted access");
        let var = frame.vars[slot];
        let slot_ty = frame.plan.slots[slot].ty;
        match *op {
            I32Store { .. }
            | I64Store { .. }
            | F32Store { .. }
            | F64Store { .. }
            | I32Store8 { .. }
            | I64Store8 { .. }
            | I32Store16 { .. }
            | I64Store16 { .. }
            | I64Store32 { .. } => {
                let (_address, value) = self.pop2();
                let stored = self.value_for_slot(value, slot_ty);
                self.b.def_var(var, stored);
            }
            _ => {
                let _address = self.pop();
                let v = self.b.use_var(var);
                let (ty, signed) = match *op {
                    I32Load { .. } => (types::I32, false),
                    I64Load { .. } => (types::I64, false),
                    F32Load { .. } => (types::F32, false),
                    F64Load { .. } => (types::F64, false),
                    I32Load8S { .. } | I32Load16S { .. } => (types::I32, true),
                    I32Load8U { .. } | I32Load16U { .. } => (types::I32, false),
                    I64Load8S { .. } | I64Load16S { .. } | I64Load32S { .. } => (types::I64, true),
                    _ => (types::I64, false),
                };
                let loaded = self.value_from_slot(v, ty, signed);
                self.push(loaded);
            }
        }
    }

    /// `value` (the operand of a store as wide as the slot, or wider for truncating stores)
    /// as the slot's type.
    fn value_for_slot(&mut self, value: Value, slot_ty: Type) -> Value {
        let ty = self.b.func.dfg.value_type(value);
        if ty == slot_ty {
            return value;
        }
        if ty.bits() == slot_ty.bits() {
            return self.b.ins().bitcast(slot_ty, MemFlagsData::new(), value);
        }
        // A truncating store (store8/16/32) into an integer slot of its width.
        debug_assert!(ty.is_int() && slot_ty.is_int() && ty.bits() > slot_ty.bits());
        self.b.ins().ireduce(slot_ty, value)
    }

    /// Slot value `v` read as a `ty` (extending sub-width slots as the load's sign says).
    fn value_from_slot(&mut self, v: Value, ty: Type, signed: bool) -> Value {
        let slot_ty = self.b.func.dfg.value_type(v);
        if slot_ty == ty {
            return v;
        }
        if slot_ty.bits() == ty.bits() {
            return self.b.ins().bitcast(ty, MemFlagsData::new(), v);
        }
        debug_assert!(ty.is_int() && slot_ty.is_int() && ty.bits() > slot_ty.bits());
        if signed {
            self.b.ins().sextend(ty, v)
        } else {
            self.b.ins().uextend(ty, v)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CompileOptions;

    /// The plan of every defined function of a WALI-like module around `funcs` (which may call
    /// `$callee`, `$setjmp` and `$getpid`), in order.
    fn plans(funcs: &str) -> Vec<Result<FramePlan, Reject>> {
        let text = format!(
            r#"(module
                 (import "wali" "SYS_getpid" (func $getpid (result i64)))
                 (import "wali" "setjmp" (func $setjmp (param i32) (result i32)))
                 (memory 2)
                 (global $__stack_pointer (mut i32) (i32.const 65536))
                 (global $other (mut i32) (i32.const 0))
                 (func $callee (param i32) (result i32) (local.get 0))
                 {funcs})"#
        );
        let wasm = wat::parse_str(&text).unwrap();
        let module = crate::module::parse(&wasm, &CompileOptions::default()).unwrap();
        module
            .bodies
            .keys()
            .skip(1)
            .map(|def| plan(&module, def))
            .collect()
    }

    fn plan_of(func: &str) -> Result<FramePlan, Reject> {
        plans(func).pop().unwrap()
    }

    fn slots(p: &FramePlan) -> Vec<(u32, u32, Type)> {
        p.slots.iter().map(|s| (s.offset, s.size, s.ty)).collect()
    }

    /// An -O0 leaf: `int f(int n) { int s = 0; for (int i = 0; i < n; i++) s += i; return s; }`.
    const LEAF: &str = r#"(func $f (param i32) (result i32) (local i32)
        global.get $__stack_pointer  i32.const 16  i32.sub  local.set 1
        local.get 1  local.get 0  i32.store offset=12
        local.get 1  i32.const 0  i32.store offset=8
        local.get 1  i32.const 0  i32.store offset=4
        block loop
          local.get 1 i32.load offset=4  local.get 1 i32.load offset=12  i32.lt_s
          i32.eqz br_if 1
          local.get 1  local.get 1 i32.load offset=4  local.get 1 i32.load offset=8  i32.add
          i32.store offset=8
          local.get 1  local.get 1 i32.load offset=4  i32.const 1  i32.add  i32.store offset=4
          br 0
        end end
        local.get 1  i32.load offset=8)"#;

    #[test]
    fn leaf_frame_is_promoted() {
        let p = plan_of(LEAF).unwrap();
        assert_eq!(p.frame_local, 1);
        assert_eq!(
            slots(&p),
            vec![(4, 4, types::I32), (8, 4, types::I32), (12, 4, types::I32)]
        );
        // Three stores before the loop, two loads and two stores in it, one load after it, plus
        // the loop condition's two loads.
        assert_eq!(p.accesses.len(), 3 + 2 + 3 + 2 + 1);
    }

    /// A frame that moves the stack pointer and restores it in the epilogue.
    fn with_frame(body: &str) -> String {
        format!(
            r#"(func $g (param i32) (result i32) (local i32 i32)
                 global.get $__stack_pointer  i32.const 32  i32.sub  local.tee 1
                 global.set $__stack_pointer
                 {body}
                 local.get 1  i32.const 32  i32.add  global.set $__stack_pointer
                 local.get 2)"#
        )
    }

    #[test]
    fn frame_with_calls_and_epilogue_is_promoted() {
        let p = plan_of(&with_frame(
            "local.get 1  local.get 0  i32.store offset=28
             local.get 1  i32.load offset=28  call $callee  local.set 2",
        ))
        .unwrap();
        assert_eq!(slots(&p), vec![(28, 4, types::I32)]);
    }

    /// clang's `musttail` epilogue: the frame is released, then the arguments are read and
    /// `return_call` leaves.
    fn tail_calling(argument: &str) -> String {
        format!(
            r#"(func $g (param i32) (result i32) (local i32 i32)
                 global.get $__stack_pointer  i32.const 32  i32.sub  local.tee 1
                 global.set $__stack_pointer
                 local.get 1  local.get 0  i32.store offset=28
                 local.get 1  i32.load offset=28  local.set 2
                 local.get 1  i32.const 32  i32.add  global.set $__stack_pointer
                 {argument}  return_call $callee)"#
        )
    }

    #[test]
    fn tail_call_after_the_epilogue_is_promoted() {
        let p = plan_of(&tail_calling("local.get 2")).unwrap();
        assert_eq!(slots(&p), vec![(28, 4, types::I32)]);
        // The released frame's address may not be passed on.
        let r = plan_of(&tail_calling("local.get 1"));
        assert!(matches!(r, Err(Reject::StackPointerUse(_))), "{r:?}");
    }

    #[test]
    fn address_passed_to_a_call_escapes() {
        // callee(&local)
        let r = plan_of(&with_frame(
            "local.get 1  local.get 0  i32.store offset=28
             local.get 1  i32.const 28  i32.add  call $callee  local.set 2",
        ));
        assert!(matches!(r, Err(Reject::Escapes(_))), "{r:?}");
        // callee(fp) directly
        let r = plan_of(&with_frame("local.get 1  call $callee  local.set 2"));
        assert!(matches!(r, Err(Reject::Escapes(_))), "{r:?}");
    }

    #[test]
    fn address_stored_to_memory_escapes() {
        // p = &local, with p itself in the frame
        let r = plan_of(&with_frame(
            "local.get 1  local.get 1  i32.const 8  i32.add  i32.store offset=4",
        ));
        assert!(matches!(r, Err(Reject::Escapes(_))), "{r:?}");
        // into a global other than the stack pointer
        let r = plan_of(&with_frame("local.get 1  global.set $other"));
        assert!(matches!(r, Err(Reject::Escapes(_))), "{r:?}");
    }

    #[test]
    fn address_arithmetic_escapes() {
        // &a[i]: fp + variable
        let r = plan_of(&with_frame(
            "local.get 1  local.get 0  i32.add  i32.const 7  i32.store offset=0",
        ));
        assert!(matches!(r, Err(Reject::Escapes(_))), "{r:?}");
        // fp compared, selected, copied to another local
        for body in [
            "local.get 1  local.get 0  i32.eq  local.set 2",
            "local.get 1  local.get 0  local.get 0  select  local.set 2",
            "local.get 1  local.set 2",
            "local.get 1  i32.const 4  i32.sub  local.set 2",
        ] {
            let r = plan_of(&with_frame(body));
            assert!(matches!(r, Err(Reject::Escapes(_))), "{body}: {r:?}");
        }
    }

    #[test]
    fn constant_offsets_from_fp_are_bases() {
        // fp + 16 used as the base of a load and a store (the same bytes as offset=20 from fp).
        let p = plan_of(&with_frame(
            "local.get 1  i32.const 16  i32.add  local.get 0  i32.store offset=4
             local.get 1  i32.load offset=20  local.set 2",
        ))
        .unwrap();
        assert_eq!(slots(&p), vec![(20, 4, types::I32)]);
        assert_eq!(p.accesses.len(), 2);
    }

    #[test]
    fn partial_width_overlaps_stay_in_memory() {
        // An i64 stored at 8 and its low half read as an i32: that group stays in memory; the
        // disjoint slot at 24 is still promoted.
        let p = plan_of(&with_frame(
            "local.get 1  i64.const 0x100000002  i64.store offset=8
             local.get 1  i32.load offset=8  local.set 2
             local.get 1  local.get 0  i32.store offset=24
             local.get 1  i32.load offset=24  local.get 2  i32.add  local.set 2",
        ))
        .unwrap();
        assert_eq!(slots(&p), vec![(24, 4, types::I32)]);
        assert_eq!(p.accesses.len(), 2);
        // Overlapping at a different start (bytes 10..14 inside 8..16) also stays in memory.
        let r = plan_of(&with_frame(
            "local.get 1  i64.const 1  i64.store offset=8
             local.get 1  i32.load offset=10  local.set 2",
        ));
        assert_eq!(r.unwrap_err(), Reject::NoSlots);
    }

    #[test]
    fn same_width_type_puns_share_an_integer_slot() {
        // f32 stored, i32 read back (a union); i32 store8 and load8_s of one byte.
        let p = plan_of(&with_frame(
            "local.get 1  f32.const 1.5  f32.store offset=8
             local.get 1  i32.load offset=8  local.set 2
             local.get 1  i32.const 255  i32.store8 offset=3
             local.get 1  i32.load8_s offset=3  local.get 2  i32.add  local.set 2
             local.get 1  i64.const -1  i64.store32 offset=12
             local.get 1  i64.load32_u offset=12  i32.wrap_i64  local.get 2  i32.add  local.set 2",
        ))
        .unwrap();
        assert_eq!(
            slots(&p),
            vec![(3, 1, types::I8), (8, 4, types::I32), (12, 4, types::I32)]
        );
        // All accesses f64: the slot is an f64 variable.
        let p = plan_of(&with_frame(
            "local.get 1  f64.const 2.5  f64.store offset=16
             local.get 1  f64.load offset=16  i32.trunc_f64_s  local.set 2",
        ))
        .unwrap();
        assert_eq!(slots(&p), vec![(16, 8, types::F64)]);
    }

    #[test]
    fn accesses_beyond_the_frame_are_not_slots() {
        let r = plan_of(&with_frame(
            "local.get 1  i32.load offset=32  local.set 2
             local.get 1  i32.load offset=30  local.set 2",
        ));
        assert_eq!(r.unwrap_err(), Reject::NoSlots);
    }

    #[test]
    fn stack_pointer_uses_reject() {
        // alloca: the stack pointer moved by a variable amount
        let r = plan_of(&with_frame(
            "global.get $__stack_pointer  local.get 0  i32.sub  global.set $__stack_pointer",
        ));
        assert!(matches!(r, Err(Reject::StackPointerUse(_))), "{r:?}");
        // the frame read back through the stack pointer
        let r = plan_of(&with_frame(
            "global.get $__stack_pointer  i32.load offset=4  local.set 2",
        ));
        assert!(matches!(r, Err(Reject::StackPointerUse(_))), "{r:?}");
        // a frame access after the frame is released
        let r = plan_of(
            r#"(func $g (param i32) (result i32) (local i32)
                 global.get $__stack_pointer  i32.const 32  i32.sub  local.tee 1
                 global.set $__stack_pointer
                 local.get 1  local.get 0  i32.store offset=4
                 local.get 1  i32.const 32  i32.add  global.set $__stack_pointer
                 local.get 1  i32.load offset=4)"#,
        );
        assert!(matches!(r, Err(Reject::StackPointerUse(_))), "{r:?}");
    }

    #[test]
    fn frame_local_written_again_rejects() {
        let r = plan_of(&with_frame(
            "local.get 0  local.set 1  local.get 1  i32.load offset=4  local.set 2",
        ));
        assert!(matches!(r, Err(Reject::FrameLocalWritten(_))), "{r:?}");
    }

    #[test]
    fn red_zone_frames_must_be_small_leaves() {
        // No global.set: a call would reuse the frame's memory.
        let r = plan_of(
            r#"(func $h (param i32) (result i32) (local i32)
                 global.get $__stack_pointer  i32.const 16  i32.sub  local.set 1
                 local.get 1  local.get 0  i32.store offset=12
                 local.get 1  i32.load offset=12  call $callee)"#,
        );
        assert_eq!(r.unwrap_err(), Reject::UnprotectedFrame);
        // Bigger than the red zone.
        let r = plan_of(
            r#"(func $h (param i32) (result i32) (local i32)
                 global.get $__stack_pointer  i32.const 256  i32.sub  local.set 1
                 local.get 1  local.get 0  i32.store offset=12
                 local.get 1  i32.load offset=12)"#,
        );
        assert_eq!(r.unwrap_err(), Reject::UnprotectedFrame);
    }

    #[test]
    fn setjmp_callers_are_not_promoted() {
        let r = plan_of(&with_frame(
            "local.get 1  local.get 0  i32.store offset=4
             i32.const 1024  call $setjmp  local.set 2",
        ));
        assert_eq!(r.unwrap_err(), Reject::Setjmp);
    }

    #[test]
    fn frame_values_in_control_flow_escape() {
        // fp as a block result, as a branch operand.
        for body in [
            "block (result i32) local.get 1 end  i32.load offset=4  local.set 2",
            "block (result i32) local.get 1  local.get 0  br_if 0  drop  local.get 1 end  drop",
        ] {
            let r = plan_of(&with_frame(body));
            assert!(matches!(r, Err(Reject::Escapes(_))), "{body}: {r:?}");
        }
        // Accesses in unreachable code are analysed like any other.
        let p = plan_of(&with_frame(
            "block  local.get 1  local.get 0  i32.store offset=4  br 0
               local.get 1  i32.load offset=4  local.set 2 end
             local.get 1  i32.load offset=4  local.set 2",
        ))
        .unwrap();
        assert_eq!(slots(&p), vec![(4, 4, types::I32)]);
    }

    #[test]
    fn modules_without_a_c_stack_are_left_alone() {
        // No wali import: the mutable global is not a C stack pointer.
        let wasm = wat::parse_str(
            r#"(module (memory 1) (global $sp (mut i32) (i32.const 1024))
                 (func (result i32) (local i32)
                   global.get $sp  i32.const 16  i32.sub  local.set 0
                   local.get 0  i32.const 5  i32.store offset=4
                   local.get 0  i32.load offset=4))"#,
        )
        .unwrap();
        let module = crate::module::parse(&wasm, &CompileOptions::default()).unwrap();
        let def = module.bodies.keys().next().unwrap();
        assert_eq!(plan(&module, def).unwrap_err(), Reject::NoPrologue);
    }
}
