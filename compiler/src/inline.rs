//! Inlining policy: which direct calls between wasm functions are replaced by the callee's body.
//!
//! Cranelift supplies the mechanics (`cranelift_codegen::inline`, driven by `Context::inline`
//! with an [`Inline`] implementation); walic supplies the policy, here. The emitter translates
//! every body first, builds an [`InlinePlan`] from all of them, then inlines into each caller and
//! compiles it, both in parallel. Callees are the *translated* (not yet inlined or optimised)
//! bodies; the callee's own calls are visited again, so small helpers inline transitively, within
//! the caller's budget.
//!
//! # Which calls are inlined (`-O2`, the default; `-O1` and `-O0` inline nothing)
//!
//! Only direct `call`s of a defined wasm function (not imports, adapters, runtime functions or
//! `call_indirect`), when the callee is
//! - small: at most [`SMALL_CALLEE`] CLIF instructions, wherever it is called from; or
//! - a leaf (it makes no call at all) of at most [`LEAF_CALLEE`] instructions; or
//! - called from exactly one place in the module and at most [`SINGLE_SITE_CALLEE`] instructions
//!   (its out-of-line copy stays: it may still be exported or in a table);
//!
//! and it does not call itself (its recursive call, inlined again and again, would unroll the
//! recursion) and makes no tail call (inlined, a `return_call` becomes an ordinary call, and a
//! cycle of tail calls would unroll into a chain of calls as deep as the budget), and the caller's budget allows it: a caller grows by at most its own size or
//! [`MIN_BUDGET`] instructions, whichever is larger, and never beyond [`MAX_CALLER`]
//! instructions, so that a few large functions (interpreter loops) do not dominate compile time
//! and register pressure. A call back to the caller itself is never inlined, so mutual recursion
//! is inlined one level into each function of the cycle (and elsewhere until the budget ends).
//!
//! # What must stay true, and why it does
//!
//! - **setjmp and deferred signals.** A function that calls setjmp has its other calls guarded,
//!   its body defers signals (`DEFERS_SIGNALS`, `translate::setjmp`, `translate::signals`) and is
//!   reached through a wrapper. Such a function is never inlined (its code inside a caller would
//!   run handlers at once and its setjmp would record the caller's frame) and is never a caller
//!   (its calls are guarded calls, not `call`s, and a callee's code inside it would defer signals
//!   with no loop-header checks).
//! - **Traps.** An inlined callee's trapping instructions keep their trap codes; they become trap
//!   sites of the caller, so a trap is reported with the right message, naming the caller.
//! - **Stack exhaustion.** The callee's own prologue check disappears with its frame; the caller's
//!   check covers the larger frame, and every cycle of recursive calls keeps a real call.
//! - **Signals.** Every loop header's `sequence_point` and every check after a runtime call come
//!   along with the callee's body; the pinned memory base (r15) is the same in every function.
//! - **Alias regions.** Cranelift merges the callee's alias regions into the caller's by
//!   `user_id`, so a region id must mean the same memory in every function of the module. A callee
//!   whose region shares an id with a differently described caller region is not inlined.

use crate::module::DefinedFuncIndex;
use crate::translate::NS_FUNC;
use cranelift_codegen::inline::{Inline, InlineCommand};
use cranelift_codegen::ir::{
    ExternalName, FuncRef, Function, Inst, InstructionData, Opcode, Value,
};
use cranelift_codegen::Context;
use cranelift_entity::{PrimaryMap, SecondaryMap};
use cranelift_module::FuncId;
use std::borrow::Cow;
use std::collections::HashMap;

/// Callees of at most this many CLIF instructions are inlined wherever they are called.
pub const SMALL_CALLEE: u32 = 30;
/// Leaf callees (no calls) of at most this many instructions are inlined.
pub const LEAF_CALLEE: u32 = 80;
/// Callees with a single call site in the module of at most this many instructions are inlined.
pub const SINGLE_SITE_CALLEE: u32 = 400;
/// Every caller may grow by at least this many instructions.
pub const MIN_BUDGET: u32 = 200;
/// No caller grows beyond this many instructions by inlining.
pub const MAX_CALLER: u32 = 6000;

/// What the policy needs to know about one translated body.
#[derive(Clone, Debug, Default)]
pub struct BodySummary {
    /// CLIF instructions in the layout.
    pub size: u32,
    /// It makes no call of any kind.
    pub leaf: bool,
    /// It calls setjmp (its calls are guarded, its body defers signals).
    pub uses_setjmp: bool,
    /// The defined functions it calls directly (one entry per call site).
    pub direct_callees: Vec<DefinedFuncIndex>,
    /// It makes a tail call (`return_call`, `return_call_indirect`).
    pub tail_calls: bool,
}

impl BodySummary {
    /// Measures `func`; `targets` maps its `FuncRef`s to the defined functions they name.
    pub fn of(func: &Function, uses_setjmp: bool, targets: &CallTargets) -> Self {
        let mut summary = BodySummary {
            leaf: true,
            uses_setjmp,
            ..BodySummary::default()
        };
        for block in func.layout.blocks() {
            for inst in func.layout.block_insts(block) {
                summary.size += 1;
                let opcode = func.dfg.insts[inst].opcode();
                if !opcode.is_call() {
                    continue;
                }
                summary.leaf = false;
                if matches!(opcode, Opcode::ReturnCall | Opcode::ReturnCallIndirect) {
                    summary.tail_calls = true;
                }
                if let InstructionData::Call {
                    opcode: Opcode::Call,
                    func_ref,
                    ..
                } = func.dfg.insts[inst]
                {
                    if let Some(callee) = targets.defined(func, func_ref) {
                        summary.direct_callees.push(callee);
                    }
                }
            }
        }
        summary
    }
}

/// Maps the symbols wasm calls name (`NS_FUNC` + `FuncId`) back to defined functions.
#[derive(Default)]
pub struct CallTargets {
    by_id: HashMap<u32, DefinedFuncIndex>,
}

impl CallTargets {
    /// From the symbol of each defined function.
    pub fn new(bodies: impl IntoIterator<Item = (DefinedFuncIndex, FuncId)>) -> Self {
        CallTargets {
            by_id: bodies.into_iter().map(|(d, id)| (id.as_u32(), d)).collect(),
        }
    }

    /// The defined function `r` (a `FuncRef` of `func`) names, if any.
    pub fn defined(&self, func: &Function, r: FuncRef) -> Option<DefinedFuncIndex> {
        let ExternalName::User(name) = func.dfg.ext_funcs[r].name else {
            return None;
        };
        let name = &func.params.user_named_funcs()[name];
        if name.namespace != NS_FUNC {
            return None;
        }
        self.by_id.get(&name.index).copied()
    }
}

/// Which functions may be inlined, decided once for the whole module.
pub struct InlinePlan<'f> {
    bodies: &'f PrimaryMap<DefinedFuncIndex, Function>,
    summaries: PrimaryMap<DefinedFuncIndex, BodySummary>,
    /// Whether each function may be inlined (before any caller's budget is considered).
    candidate: SecondaryMap<DefinedFuncIndex, bool>,
    targets: CallTargets,
}

/// What inlining did to one caller.
#[derive(Debug, Default, Clone, Copy)]
pub struct InlineOutcome {
    /// Calls replaced by a body.
    pub inlined_calls: u32,
    /// Instructions added (callee sizes before optimisation).
    pub added_instructions: u32,
}

impl<'f> InlinePlan<'f> {
    /// Plans inlining over the translated `bodies`, summarised as `summaries` (same indices).
    pub fn new(
        bodies: &'f PrimaryMap<DefinedFuncIndex, Function>,
        summaries: PrimaryMap<DefinedFuncIndex, BodySummary>,
        targets: CallTargets,
    ) -> Self {
        let mut call_sites = SecondaryMap::with_default(0);
        for (caller, s) in summaries.iter() {
            if s.uses_setjmp {
                continue;
            }
            for callee in &s.direct_callees {
                if *callee != caller {
                    call_sites[*callee] += 1;
                }
            }
        }
        let mut candidate = SecondaryMap::with_default(false);
        for (def, s) in summaries.iter() {
            candidate[def] = !s.uses_setjmp
                && !s.tail_calls
                && !s.direct_callees.contains(&def)
                && (s.size <= SMALL_CALLEE
                    || (s.leaf && s.size <= LEAF_CALLEE)
                    || (call_sites[def] == 1 && s.size <= SINGLE_SITE_CALLEE));
        }
        InlinePlan {
            bodies,
            summaries,
            candidate,
            targets,
        }
    }

    /// Whether `callee` may be inlined at all (before the caller's budget is considered).
    pub fn is_candidate(&self, callee: DefinedFuncIndex) -> bool {
        self.candidate[callee]
    }

    /// Whether inlining could change `caller` at all.
    pub fn may_inline_into(&self, caller: DefinedFuncIndex) -> bool {
        let s = &self.summaries[caller];
        !s.uses_setjmp
            && s.size < MAX_CALLER
            && s.direct_callees
                .iter()
                .any(|c| *c != caller && self.is_candidate(*c))
    }

    /// Inlines into `ctx.func`, the translated body of `caller`; returns what it did.
    pub fn inline_into(
        &self,
        caller: DefinedFuncIndex,
        ctx: &mut Context,
    ) -> cranelift_codegen::CodegenResult<InlineOutcome> {
        if !self.may_inline_into(caller) {
            return Ok(InlineOutcome::default());
        }
        let size = self.summaries[caller].size;
        let mut inliner = Inliner {
            plan: self,
            caller,
            budget: size.max(MIN_BUDGET).min(MAX_CALLER - size),
            outcome: InlineOutcome::default(),
        };
        ctx.inline(&mut inliner)?;
        Ok(inliner.outcome)
    }
}

/// The [`Inline`] implementation for one caller.
struct Inliner<'p, 'f> {
    plan: &'p InlinePlan<'f>,
    caller: DefinedFuncIndex,
    /// Instructions the caller may still grow by.
    budget: u32,
    outcome: InlineOutcome,
}

impl Inline for Inliner<'_, '_> {
    fn inline(
        &mut self,
        caller: &Function,
        _call: Inst,
        opcode: Opcode,
        callee: FuncRef,
        _args: &[Value],
    ) -> InlineCommand<'_> {
        if opcode != Opcode::Call {
            return InlineCommand::KeepCall;
        }
        let Some(def) = self.plan.targets.defined(caller, callee) else {
            return InlineCommand::KeepCall;
        };
        if def == self.caller || !self.plan.is_candidate(def) {
            return InlineCommand::KeepCall;
        }
        let size = self.plan.summaries[def].size;
        if size > self.budget {
            return InlineCommand::KeepCall;
        }
        let body = &self.plan.bodies[def];
        let sig = caller.dfg.ext_funcs[callee].signature;
        if caller.dfg.signatures[sig] != body.signature || !regions_agree(caller, body) {
            return InlineCommand::KeepCall;
        }
        self.budget -= size;
        self.outcome.inlined_calls += 1;
        self.outcome.added_instructions += size;
        InlineCommand::Inline {
            callee: Cow::Borrowed(body),
            visit_callee: true,
        }
    }
}

/// Whether every alias region of `callee` that shares a `user_id` with one of `caller` describes
/// the same memory (Cranelift merges regions by id when inlining).
fn regions_agree(caller: &Function, callee: &Function) -> bool {
    callee.dfg.alias_regions.iter().all(|(_, r)| {
        caller
            .dfg
            .alias_regions
            .iter()
            .all(|(_, c)| c.user_id != r.user_id || c.description == r.description)
    })
}

#[cfg(test)]
mod tests {
    use crate::{CompileOptions, OptLevel};

    /// Compiles `text` and returns (calls inlined, CLIF of every function).
    fn inline(text: &str, opt_level: OptLevel) -> (usize, String) {
        let wasm = wat::parse_str(text).expect("valid wat");
        let options = CompileOptions {
            opt_level,
            verify: true,
            ..CompileOptions::default()
        };
        let c = crate::compile_detailed(&wasm, &options, true).expect("compiles");
        (c.stats.inlined_calls, c.clif.unwrap_or_default())
    }

    /// The CLIF of the function named `name` in `clif`.
    fn function<'c>(clif: &'c str, name: &str) -> &'c str {
        let start = clif
            .find(&format!("; {name} (wasm function index"))
            .unwrap_or_else(|| panic!("{name} not in {clif}"));
        let rest = &clif[start + 1..];
        &rest[..rest.find("\n; ").unwrap_or(rest.len())]
    }

    const SMALL: &str = r#"(module
        (memory 1)
        (func $small (param i32) (result i32) (i32.add (i32.load (local.get 0)) (i32.const 1)))
        (func $f (export "f") (param i32) (result i32)
          (i32.mul (call $small (local.get 0)) (call $small (i32.const 8)))))"#;

    #[test]
    fn small_callees_are_inlined_at_every_site() {
        let (n, clif) = inline(SMALL, OptLevel::Speed);
        assert_eq!(n, 2);
        let f = function(&clif, "f");
        assert!(!f.contains(" call "), "calls left in f:\n{f}");
        // The callee's loads keep their trap code (heap_oob, the default: no `notrap`), so a
        // fault is still an out-of-bounds access.
        assert_eq!(f.matches("load.i32 little region0").count(), 2, "{f}");
    }

    #[test]
    fn tail_calling_callees_are_not_inlined() {
        // $even and $odd tail-call each other; $f calls $even and tail-calls $odd. Were $even
        // inlined, its tail call of $odd would become a call, and so on around the cycle.
        let (n, clif) = inline(
            r#"(module
                (func $even (param i32) (result i32)
                  (if (result i32) (i32.eqz (local.get 0))
                    (then (i32.const 1))
                    (else (return_call $odd (i32.sub (local.get 0) (i32.const 1))))))
                (func $odd (param i32) (result i32)
                  (if (result i32) (i32.eqz (local.get 0))
                    (then (i32.const 0))
                    (else (return_call $even (i32.sub (local.get 0) (i32.const 1))))))
                (func $f (export "f") (param i32) (result i32)
                  (drop (call $even (local.get 0)))
                  (return_call $odd (local.get 0))))"#,
            OptLevel::Speed,
        );
        assert_eq!(n, 0);
        let f = function(&clif, "f");
        assert_eq!(f.matches(" call fn").count(), 1, "{f}");
        assert_eq!(f.matches("return_call fn").count(), 1, "{f}");
    }

    #[test]
    fn o1_inlines_nothing() {
        let (n, clif) = inline(SMALL, OptLevel::Local);
        assert_eq!(n, 0);
        assert_eq!(function(&clif, "f").matches(" call ").count(), 2);
    }

    #[test]
    fn recursion_keeps_a_real_call() {
        let (n, clif) = inline(
            r#"(module
                (func $r (export "r") (param i32) (result i32)
                  (if (result i32) (local.get 0)
                    (then (call $r (i32.sub (local.get 0) (i32.const 1)))) (else (i32.const 0)))))"#,
            OptLevel::Speed,
        );
        assert_eq!(n, 0);
        assert!(function(&clif, "r").contains(" call "));
    }

    #[test]
    fn mutual_recursion_ends_with_the_budget() {
        let (n, clif) = inline(
            r#"(module
                (func $a (export "a") (param i32) (result i32)
                  (if (result i32) (local.get 0)
                    (then (call $b (i32.sub (local.get 0) (i32.const 1)))) (else (i32.const 0))))
                (func $b (param i32) (result i32)
                  (if (result i32) (local.get 0)
                    (then (call $a (i32.sub (local.get 0) (i32.const 1)))) (else (i32.const 1)))))"#,
            OptLevel::Speed,
        );
        // Each is inlined into the other once; the inlined body's call back to the caller stays.
        assert_eq!(n, 2);
        assert!(function(&clif, "a").contains(" call "));
    }

    /// A 60-instruction body with a call in it (so neither small nor a leaf).
    const MEDIUM_BODY: &str = "(local.get 0)
        (i32.add (i32.const 1)) (i32.mul (i32.const 3)) (i32.xor (i32.const 5))
        (i32.add (i32.const 1)) (i32.mul (i32.const 3)) (i32.xor (i32.const 5))
        (i32.add (i32.const 1)) (i32.mul (i32.const 3)) (i32.xor (i32.const 5))
        (i32.add (i32.const 1)) (i32.mul (i32.const 3)) (i32.xor (i32.const 5))
        (i32.add (i32.const 1)) (i32.mul (i32.const 3)) (i32.xor (i32.const 5))
        (i32.add (i32.const 1)) (i32.mul (i32.const 3)) (i32.xor (i32.const 5))
        (i32.add (i32.const 1)) (i32.mul (i32.const 3)) (i32.xor (i32.const 5))
        (i32.add (i32.const 1)) (i32.mul (i32.const 3)) (i32.xor (i32.const 5))
        (call $leaf)";

    #[test]
    fn medium_callees_are_inlined_only_at_their_single_call_site() {
        let module = |calls: &str| {
            format!(
                r#"(module
                    (func $leaf (param i32) (result i32) (local.get 0))
                    (func $medium (param i32) (result i32) {MEDIUM_BODY})
                    (func $f (export "f") (param i32) (result i32) {calls}))"#
            )
        };
        // One site: $medium is inlined, and $leaf into it, both inside f and in the out-of-line
        // copy of $medium.
        let (n, clif) = inline(&module("(call $medium (local.get 0))"), OptLevel::Speed);
        assert_eq!(n, 3);
        assert!(!function(&clif, "f").contains(" call "));
        // Two sites: only $leaf, inside the out-of-line $medium.
        let (n, clif) = inline(
            &module("(i32.add (call $medium (local.get 0)) (call $medium (i32.const 1)))"),
            OptLevel::Speed,
        );
        assert_eq!(n, 1);
        assert_eq!(function(&clif, "f").matches(" call ").count(), 2);
    }

    #[test]
    fn setjmp_callers_are_neither_inlined_nor_inlined_into() {
        let (n, clif) = inline(
            r#"(module
                (import "wali" "setjmp" (func $setjmp (param i32) (result i32)))
                (memory 1)
                (func $tiny (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
                (func $jumper (param i32) (result i32)
                  (i32.add (call $setjmp (i32.const 16)) (call $tiny (local.get 0))))
                (func $f (export "f") (param i32) (result i32) (call $jumper (local.get 0))))"#,
            OptLevel::Speed,
        );
        assert_eq!(n, 0);
        assert!(function(&clif, "f").contains(" call "));
    }
}
