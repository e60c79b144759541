//! The object emitter: declares every symbol, compiles all functions in parallel on rayon
//! workers (first every body is translated, then the inlining plan is made from all of them, then
//! each function is inlined into and goes through `Context::compile`), defines the machine code on
//! the calling thread, then writes the metadata and returns the ELF relocatable object.

use super::metadata::{self, emit_error, MetadataInputs};
use super::stubs;
use crate::error::{Error, Result};
use crate::inline::{BodySummary, CallTargets, InlinePlan};
use crate::module::{DefinedFuncIndex, ExportItem, FuncIndex, Module, TypeId};
use crate::translate::runtime::RuntimeFn;
use crate::translate::{
    cast_adapter_signature, generic_entry_signature, import_signature, poll_stub_signature,
    thunk_signature, translate_function, wasm_signature, ModuleEnv, ThunkKind, NS_CAST_ADAPTER,
    NS_DATA, NS_FUNC, NS_IMPORT, NS_POLL_STUB, NS_RUNTIME, NS_THUNK,
};
use crate::CompileOptions;
use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::ir::{AbiParam, Function, Signature};
use cranelift_codegen::isa::OwnedTargetIsa;
use cranelift_codegen::Context;
use cranelift_entity::{EntityRef, PrimaryMap, SecondaryMap};
use cranelift_frontend::FunctionBuilderContext;
use cranelift_module::{FuncId, Linkage, Module as _, ModuleReloc, ModuleRelocTarget};
use cranelift_object::{ObjectBuilder, ObjectModule};
use rayon::prelude::*;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// A compiled function as recorded in the metadata.
pub struct FunctionRecord {
    /// Its symbol.
    pub id: FuncId,
    /// The wasm function index (`u32::MAX` for generated helpers).
    pub func_index: u32,
    /// Name for trap messages.
    pub name: String,
    /// Machine code length.
    pub code_len: u32,
    /// (offset, trap code) sorted by offset.
    pub traps: Vec<(u32, u8)>,
    /// [`walic_loader::metadata::function_flags`] bits.
    pub flags: u32,
}

/// Measurements of one compilation.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    /// Parsing and module validation.
    pub parse: Duration,
    /// Translation and code generation (parallel).
    pub compile: Duration,
    /// Defining code and metadata, writing the object.
    pub emit: Duration,
    /// Number of wasm functions compiled.
    pub functions: usize,
    /// Total machine code bytes.
    pub code_size: usize,
    /// Wasm code section bytes.
    pub wasm_code_size: usize,
    /// Sum of the per-function compile times (CPU time spent in the parallel phase).
    pub compile_cpu: Duration,
    /// The function that took longest to compile, and its time (it bounds the parallel speed-up).
    pub slowest: Option<(String, Duration)>,
    /// Calls replaced by the callee's body (see [`crate::inline`]).
    pub inlined_calls: usize,
}

/// One unit of work for the parallel compiler.
enum Job {
    Body(DefinedFuncIndex),
    Adapter(FuncIndex),
    ArrayCall(FuncIndex),
    GenericEntry(TypeId),
    Instantiate,
}

struct Compiled {
    time: Duration,
    bytes: Vec<u8>,
    alignment: u64,
    relocs: Vec<ModuleReloc>,
    traps: Vec<(u32, u8)>,
    clif: Option<String>,
    /// The body defers signals (it calls setjmp) and needs a [`stubs::defer_wrapper`].
    defers_signals: bool,
    /// Calls inlined into it.
    inlined_calls: u32,
}

/// Runs Cranelift on `func`.
/// Compiles a function walic generates itself (no wasm index), naming it in errors.
fn compile_helper(
    isa: &OwnedTargetIsa,
    func: Function,
    id: FuncId,
    want_clif: bool,
    name: &str,
) -> Result<Compiled> {
    compile_ir(isa, func, id, want_clif).map_err(|message| Error::Codegen {
        index: u32::MAX,
        name: name.to_string(),
        message,
    })
}

fn compile_ir(
    isa: &OwnedTargetIsa,
    func: Function,
    id: FuncId,
    want_clif: bool,
) -> std::result::Result<Compiled, String> {
    let clif = want_clif.then(|| func.display().to_string());
    let mut ctx = Context::for_function(func);
    ctx.compile(&**isa, &mut ControlPlane::default())
        .map_err(|e| format!("{:?}", e.inner))?;
    let code = ctx.compiled_code().expect("compiled");
    let mut traps: Vec<(u32, u8)> = code
        .buffer
        .traps()
        .iter()
        .map(|t| (t.offset, t.code.as_raw().get()))
        .collect();
    traps.sort_unstable();
    let relocs = code
        .buffer
        .relocs()
        .iter()
        .map(|r| ModuleReloc::from_mach_reloc(r, &ctx.func, id))
        .collect();
    Ok(Compiled {
        time: Duration::ZERO,
        bytes: code.buffer.data().to_vec(),
        alignment: u64::from(code.buffer.alignment),
        relocs,
        traps,
        clif,
        defers_signals: false,
        inlined_calls: 0,
    })
}

/// Declares a symbol of its own for the compiled body of wasm function `index`, declared as `id`,
/// and points the body's references to itself there.
fn move_to_own_symbol(
    obj: &mut ObjectModule,
    module: &Module<'_>,
    compiled: &mut Compiled,
    id: FuncId,
    index: u32,
) -> Result<FuncId> {
    let f = FuncIndex::from_u32(index);
    let body_id = obj
        .declare_function(
            &format!("{}.{}.body", module.functions[f].name, index),
            Linkage::Local,
            &wasm_signature(module.func_type(f)),
        )
        .map_err(emit_error)?;
    for r in &mut compiled.relocs {
        if let ModuleRelocTarget::FunctionOffset(target, offset) = r.name {
            if target == id {
                r.name = ModuleRelocTarget::FunctionOffset(body_id, offset);
            }
        }
    }
    Ok(body_id)
}

/// Symbols resolved on the main thread while defining code.
struct Resolver {
    runtime: HashMap<RuntimeFn, FuncId>,
    imports: HashMap<FuncIndex, FuncId>,
    thunks: HashMap<ThunkKind, FuncId>,
    pending_thunks: Vec<ThunkKind>,
    cast_adapters: HashMap<TypeId, FuncId>,
    pending_cast_adapters: Vec<TypeId>,
    /// The preserve-all signal-poll stub, once some function refers to it.
    poll_stub: Option<FuncId>,
}

impl Resolver {
    fn resolve(
        &mut self,
        obj: &mut ObjectModule,
        module: &Module<'_>,
        reloc: &ModuleReloc,
    ) -> Result<ModuleReloc> {
        let ModuleRelocTarget::User { namespace, index } = reloc.name else {
            return Ok(reloc.clone());
        };
        let id = match namespace {
            NS_FUNC | NS_DATA => return Ok(reloc.clone()),
            NS_THUNK => {
                let kind = ThunkKind::from_key(index);
                match self.thunks.get(&kind) {
                    Some(id) => *id,
                    None => {
                        let name = format!("walic_thunk.{index}");
                        let id = obj
                            .declare_function(&name, Linkage::Local, &thunk_signature())
                            .map_err(emit_error)?;
                        self.thunks.insert(kind, id);
                        self.pending_thunks.push(kind);
                        id
                    }
                }
            }
            NS_CAST_ADAPTER => {
                let type_id = TypeId::from_u32(index);
                match self.cast_adapters.get(&type_id) {
                    Some(id) => *id,
                    None => {
                        let name = format!("walic_cast_adapter.{index}");
                        let signature = cast_adapter_signature(&module.canonical_types[type_id]);
                        let id = obj
                            .declare_function(&name, Linkage::Local, &signature)
                            .map_err(emit_error)?;
                        self.cast_adapters.insert(type_id, id);
                        self.pending_cast_adapters.push(type_id);
                        id
                    }
                }
            }
            NS_POLL_STUB => match self.poll_stub {
                Some(id) => id,
                None => {
                    let id = obj
                        .declare_function("walic_poll_stub", Linkage::Local, &poll_stub_signature())
                        .map_err(emit_error)?;
                    self.poll_stub = Some(id);
                    id
                }
            },
            NS_RUNTIME => {
                let f = RuntimeFn::from_index(index).expect("runtime function index");
                match self.runtime.get(&f) {
                    Some(id) => *id,
                    None => {
                        let id = obj
                            .declare_function(f.symbol(), Linkage::Import, &f.signature())
                            .map_err(emit_error)?;
                        self.runtime.insert(f, id);
                        id
                    }
                }
            }
            NS_IMPORT => {
                let f = FuncIndex::from_u32(index);
                match self.imports.get(&f) {
                    Some(id) => *id,
                    None => {
                        let symbol = module.functions[f]
                            .import
                            .as_ref()
                            .and_then(|k| k.symbol())
                            .expect("import symbol");
                        let id = obj
                            .declare_function(&symbol, Linkage::Import, &import_signature())
                            .map_err(emit_error)?;
                        self.imports.insert(f, id);
                        id
                    }
                }
            }
            other => unreachable!("unknown namespace {other}"),
        };
        Ok(ModuleReloc {
            name: ModuleRelocTarget::user(0, id.as_u32()),
            ..reloc.clone()
        })
    }
}

/// What [`emit`] produces.
pub struct Emitted {
    /// The object file.
    pub object: Vec<u8>,
    /// Annotated CLIF of every function, when requested.
    pub clif: Option<String>,
    /// Measurements.
    pub stats: Stats,
}

/// Compiles `module` into an object file.
pub fn emit(
    module: &Module<'_>,
    isa: OwnedTargetIsa,
    options: &CompileOptions,
    want_clif: bool,
) -> Result<Emitted> {
    let mut stats = Stats {
        functions: module.bodies.len(),
        ..Stats::default()
    };
    stats.wasm_code_size = module
        .bodies
        .values()
        .map(|b| {
            let r = b.body.range();
            (r.end - r.start) as usize
        })
        .sum();
    let compile_start = Instant::now();
    let mut builder = ObjectBuilder::new(
        isa.clone(),
        "walic",
        cranelift_module::default_libcall_names(),
    )
    .map_err(emit_error)?;
    builder.per_function_section(false);
    let mut obj = ObjectModule::new(builder);

    // Declarations.
    let mut func_ids: SecondaryMap<FuncIndex, Option<FuncId>> = SecondaryMap::new();
    let mut jobs: Vec<(Job, FuncId, u32, String)> = Vec::new();
    for (def, body) in module.bodies.iter() {
        let f = body.func;
        let function = &module.functions[f];
        let sig = wasm_signature(module.func_type(f));
        let id = obj
            .declare_function(
                &format!("{}.{}", function.name, f.as_u32()),
                Linkage::Local,
                &sig,
            )
            .map_err(emit_error)?;
        func_ids[f] = Some(id);
        jobs.push((Job::Body(def), id, f.as_u32(), function.name.clone()));
    }
    let mut imported_needing_adapter: Vec<FuncIndex> = module
        .funcrefs
        .values()
        .copied()
        .filter(|f| module.is_imported(*f))
        .collect();
    imported_needing_adapter.sort();
    for f in imported_needing_adapter {
        let function = &module.functions[f];
        let sig = wasm_signature(module.func_type(f));
        let id = obj
            .declare_function(
                &format!("{}.adapter.{}", function.name, f.as_u32()),
                Linkage::Local,
                &sig,
            )
            .map_err(emit_error)?;
        func_ids[f] = Some(id);
        jobs.push((Job::Adapter(f), id, f.as_u32(), function.name.clone()));
    }
    let mut array_calls: HashMap<FuncIndex, FuncId> = HashMap::new();
    for e in &module.exports {
        let ExportItem::Func(f) = e.item else {
            continue;
        };
        if array_calls.contains_key(&f) {
            continue;
        }
        let id = obj
            .declare_function(
                &format!("walic_array_call.{}", f.as_u32()),
                Linkage::Local,
                &thunk_signature(),
            )
            .map_err(emit_error)?;
        array_calls.insert(f, id);
        jobs.push((
            Job::ArrayCall(f),
            id,
            f.as_u32(),
            format!("{} (array call)", module.functions[f].name),
        ));
    }
    // Generic entries: one for each numeric type of a function a pointer can reach, so calls
    // through pointers of another type can reach it (docs/calls.md).
    let adapt_indirect_calls = !options.strict_indirect_calls;
    let mut generic_types: Vec<TypeId> = if adapt_indirect_calls {
        module
            .funcrefs
            .values()
            .map(|f| module.func_type_id(*f))
            .filter(|id| module.canonical_types[*id].is_numeric())
            .collect()
    } else {
        Vec::new()
    };
    generic_types.sort();
    generic_types.dedup();
    let mut generic_entries: HashMap<TypeId, FuncId> = HashMap::new();
    for id in generic_types {
        let func_id = obj
            .declare_function(
                &format!("walic_generic_entry.{}", id.as_u32()),
                Linkage::Local,
                &generic_entry_signature(),
            )
            .map_err(emit_error)?;
        generic_entries.insert(id, func_id);
        jobs.push((
            Job::GenericEntry(id),
            func_id,
            u32::MAX,
            "generic entry".to_string(),
        ));
    }
    let mut instantiate_sig = Signature::new(crate::translate::CALL_CONV);
    instantiate_sig
        .params
        .push(AbiParam::new(cranelift_codegen::ir::types::I64));
    let instantiate = obj
        .declare_function("walic_instantiate", Linkage::Local, &instantiate_sig)
        .map_err(emit_error)?;
    jobs.push((
        Job::Instantiate,
        instantiate,
        u32::MAX,
        "instantiation".to_string(),
    ));
    let funcrefs = if module.funcrefs.is_empty() {
        None
    } else {
        Some(
            obj.declare_data("walic_funcrefs", Linkage::Local, false, false)
                .map_err(emit_error)?,
        )
    };
    let env = ModuleEnv {
        module,
        func_ids,
        funcrefs,
        adapt_indirect_calls,
        promote_frames: !options.no_frame_promotion && !options.spectest,
    };

    // Parallel translation of every body: inlining needs the callees' IR before any caller is
    // compiled.
    let defs: Vec<DefinedFuncIndex> = module.bodies.keys().collect();
    let translated: Vec<Result<(Function, bool, Duration)>> = defs
        .par_iter()
        .map_init(FunctionBuilderContext::new, |fbc, def| {
            let start = Instant::now();
            let t = translate_function(&env, *def, fbc)?;
            Ok((t.func, t.uses_setjmp, start.elapsed()))
        })
        .collect();
    let mut bodies: PrimaryMap<DefinedFuncIndex, Function> = PrimaryMap::new();
    let mut uses_setjmp: SecondaryMap<DefinedFuncIndex, bool> = SecondaryMap::new();
    let mut translate_time: SecondaryMap<DefinedFuncIndex, Duration> = SecondaryMap::new();
    for t in translated {
        let (func, setjmp, time) = t?;
        let def = bodies.push(func);
        uses_setjmp[def] = setjmp;
        translate_time[def] = time;
    }
    let plan = options.opt_level.inlines().then(|| {
        let targets = CallTargets::new(
            module
                .bodies
                .iter()
                .map(|(def, b)| (def, env.func_ids[b.func].expect("declared"))),
        );
        let summaries: Vec<BodySummary> = (0..bodies.len())
            .into_par_iter()
            .map(|i| {
                let def = DefinedFuncIndex::new(i);
                BodySummary::of(&bodies[def], uses_setjmp[def], &targets)
            })
            .collect();
        InlinePlan::new(&bodies, summaries.into_iter().collect(), targets)
    });

    // Parallel inlining and code generation.
    let results: Vec<Result<Compiled>> = jobs
        .par_iter()
        .map_init(
            FunctionBuilderContext::new,
            |fbc, (job, id, index, name)| {
                let start = Instant::now();
                let mut defers_signals = false;
                let mut inlined_calls = 0;
                let codegen_error = |message: String| Error::Codegen {
                    index: *index,
                    name: name.clone(),
                    message,
                };
                let func = match job {
                    Job::Body(def) => {
                        defers_signals = uses_setjmp[*def];
                        let mut ctx = Context::for_function(bodies[*def].clone());
                        if let Some(plan) = &plan {
                            inlined_calls = plan
                                .inline_into(*def, &mut ctx)
                                .map_err(|e| codegen_error(format!("inlining: {e:?}")))?
                                .inlined_calls;
                        }
                        ctx.func
                    }
                    Job::Adapter(f) => stubs::adapter(module, *f, fbc),
                    Job::ArrayCall(f) => stubs::array_call(&env, *f, fbc),
                    Job::GenericEntry(id) => stubs::generic_entry(module, *id, fbc),
                    Job::Instantiate => stubs::instantiate(&env, fbc),
                };
                let mut compiled = compile_ir(&isa, func, *id, want_clif).map_err(codegen_error)?;
                compiled.time = start.elapsed();
                if let Job::Body(def) = job {
                    compiled.time += translate_time[*def];
                }
                compiled.defers_signals = defers_signals;
                compiled.inlined_calls = inlined_calls;
                Ok(compiled)
            },
        )
        .collect();
    stats.compile = compile_start.elapsed();
    stats.compile_cpu = results
        .iter()
        .filter_map(|r| r.as_ref().ok().map(|c| c.time))
        .sum();
    stats.inlined_calls = results
        .iter()
        .filter_map(|r| r.as_ref().ok().map(|c| c.inlined_calls as usize))
        .sum();
    drop(plan);
    drop(bodies);
    stats.slowest = jobs
        .iter()
        .zip(&results)
        .filter_map(|((_, _, _, name), r)| r.as_ref().ok().map(|c| (name.clone(), c.time)))
        .max_by_key(|(_, time)| *time);

    // Definitions, in job order.
    let emit_start = Instant::now();
    let mut resolver = Resolver {
        runtime: HashMap::new(),
        imports: HashMap::new(),
        thunks: HashMap::new(),
        pending_thunks: Vec::new(),
        cast_adapters: HashMap::new(),
        pending_cast_adapters: Vec::new(),
        poll_stub: None,
    };
    let mut records = Vec::with_capacity(jobs.len());
    let mut clif = want_clif.then(String::new);
    let define = |obj: &mut ObjectModule,
                  resolver: &mut Resolver,
                  records: &mut Vec<FunctionRecord>,
                  clif: &mut Option<String>,
                  c: Compiled,
                  id: FuncId,
                  index: u32,
                  name: String|
     -> Result<()> {
        let relocs = c
            .relocs
            .iter()
            .map(|r| resolver.resolve(obj, module, r))
            .collect::<Result<Vec<_>>>()?;
        let flags = if c.defers_signals {
            walic_loader::metadata::function_flags::DEFERS_SIGNALS
        } else {
            0
        };
        obj.define_function_bytes(id, c.alignment, &c.bytes, &relocs)
            .map_err(emit_error)?;
        if let (Some(out), Some(text)) = (clif.as_mut(), c.clif) {
            out.push_str(&format!("; {name} (wasm function index {index})\n{text}\n"));
        }
        records.push(FunctionRecord {
            id,
            func_index: index,
            name,
            code_len: c.bytes.len() as u32,
            traps: c.traps,
            flags,
        });
        Ok(())
    };
    let mut fbc = FunctionBuilderContext::new();
    for ((_, id, index, name), result) in jobs.iter().zip(results) {
        let mut compiled = result?;
        let defers_signals = compiled.defers_signals;
        // A body that defers signals moves to a symbol of its own; `id`, which every caller,
        // table entry and export refers to, becomes its wrapper.
        let body_id = if defers_signals {
            move_to_own_symbol(&mut obj, module, &mut compiled, *id, *index)?
        } else {
            *id
        };
        define(
            &mut obj,
            &mut resolver,
            &mut records,
            &mut clif,
            compiled,
            body_id,
            *index,
            name.clone(),
        )?;
        if !defers_signals {
            continue;
        }
        let f = FuncIndex::from_u32(*index);
        let wrapper = stubs::defer_wrapper(module, f, body_id, &mut fbc);
        let c = compile_helper(&isa, wrapper, *id, want_clif, "signal-deferring wrapper")?;
        define(
            &mut obj,
            &mut resolver,
            &mut records,
            &mut clif,
            c,
            *id,
            *index,
            name.clone(),
        )?;
    }
    if let Some(id) = resolver.poll_stub {
        let name = "signal-poll stub";
        let c = compile_helper(&isa, stubs::poll_stub(&mut fbc), id, want_clif, name)?;
        let name = name.to_string();
        define(
            &mut obj,
            &mut resolver,
            &mut records,
            &mut clif,
            c,
            id,
            u32::MAX,
            name,
        )?;
    }
    while let Some(kind) = resolver.pending_thunks.pop() {
        let id = resolver.thunks[&kind];
        let name = "setjmp guarded-call thunk";
        let c = compile_helper(
            &isa,
            stubs::thunk(module, kind, &mut fbc),
            id,
            want_clif,
            name,
        )?;
        let name = name.to_string();
        define(
            &mut obj,
            &mut resolver,
            &mut records,
            &mut clif,
            c,
            id,
            u32::MAX,
            name,
        )?;
    }
    while let Some(type_id) = resolver.pending_cast_adapters.pop() {
        let id = resolver.cast_adapters[&type_id];
        let name = "call-cast adapter";
        let c = compile_helper(
            &isa,
            stubs::cast_adapter(module, type_id, &mut fbc),
            id,
            want_clif,
            name,
        )?;
        define(
            &mut obj,
            &mut resolver,
            &mut records,
            &mut clif,
            c,
            id,
            u32::MAX,
            name.to_string(),
        )?;
    }
    stats.code_size = records.iter().map(|r| r.code_len as usize).sum();

    metadata::write(
        &mut obj,
        module,
        &MetadataInputs {
            funcrefs,
            func_ids: &env.func_ids,
            array_calls: &array_calls,
            generic_entries: &generic_entries,
            instantiate,
            functions: &records,
            descriptor_symbol: format!(
                "{}{}",
                options.symbol_prefix,
                walic_loader::symbols::MODULE_DESCRIPTOR
            ),
        },
    )?;
    let object = obj.finish().emit().map_err(emit_error)?;
    stats.emit = emit_start.elapsed();
    Ok(Emitted {
        object,
        clif,
        stats,
    })
}

#[cfg(test)]
mod tests {
    use crate::CompileOptions;
    use object::{Object, ObjectSection, ObjectSymbol};
    use walic_loader::metadata::offsets as o;

    fn compile(text: &str) -> Vec<u8> {
        let wasm = wat::parse_str(text).expect("valid wat");
        crate::compile(
            &wasm,
            &CompileOptions {
                verify: true,
                ..CompileOptions::default()
            },
        )
        .expect("compiles")
    }

    /// The bytes of the module descriptor and the names of undefined symbols.
    fn inspect(obj: &[u8]) -> (Vec<u8>, Vec<String>) {
        let file = object::File::parse(obj).expect("ELF");
        let mut descriptor = Vec::new();
        let mut undefined = Vec::new();
        for sym in file.symbols() {
            let name = sym.name().unwrap_or("").to_string();
            if sym.is_undefined() && !name.is_empty() {
                undefined.push(name.clone());
            }
            if name == walic_loader::symbols::MODULE_DESCRIPTOR {
                assert!(sym.is_global(), "the descriptor must be exported");
                let section = file.section_by_index(sym.section_index().unwrap()).unwrap();
                let data = section.data().unwrap();
                let start = (sym.address() - section.address()) as usize;
                descriptor = data[start..start + o::MODULE_SIZE].to_vec();
            }
        }
        assert!(!descriptor.is_empty(), "walic_module missing");
        (descriptor, undefined)
    }

    fn u32_at(bytes: &[u8], at: usize) -> u32 {
        u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
    }

    #[test]
    fn descriptor_counts_and_runtime_symbols() {
        let obj = compile(
            r#"(module
                (import "wali" "SYS_write" (func $w (param i32 i32 i32) (result i64)))
                (memory (export "memory") 2 3 shared)
                (global $__stack_pointer (mut i32) (i32.const 65536))
                (global (mut i64) (i64.const 1))
                (table 4 4 funcref)
                (elem (i32.const 1) $f $w)
                (data "hi")
                (func $f (param i32) (result i32) (i32.div_u (local.get 0) (i32.const 3)))
                (func (export "_start") (loop (br_if 0 (i32.const 0)))
                  (drop (call $w (i32.const 1) (i32.const 0) (i32.const 2))) unreachable))"#,
        );
        let (d, undefined) = inspect(&obj);
        assert_eq!(
            u32_at(&d, o::MODULE_MAGIC_OFF),
            walic_loader::metadata::MODULE_MAGIC as u32
        );
        assert_eq!(u32_at(&d, o::MODULE_VMCTX_SIZE), 64 + 16);
        assert_eq!(u32_at(&d, o::MODULE_STACK_POINTER_OFFSET), 64);
        assert_eq!(u32_at(&d, o::MODULE_MEMORY_FLAGS), 3);
        assert_eq!(u32_at(&d, o::MODULE_MEMORY_INITIAL_PAGES), 2);
        assert_eq!(u32_at(&d, o::MODULE_MEMORY_MAX_PAGES), 3);
        assert_eq!(u32_at(&d, o::MODULE_NUM_TABLES), 1);
        assert_eq!(u32_at(&d, o::MODULE_NUM_DATA_SEGMENTS), 1);
        assert_eq!(u32_at(&d, o::MODULE_NUM_ELEM_SEGMENTS), 1);
        assert_eq!(u32_at(&d, o::MODULE_NUM_EXPORTS), 2);
        // Two bodies, one import adapter, one array-call trampoline, the generic entries of the
        // three types of functions with FuncRef records (the two in the table, the exported
        // `_start`), instantiate, and the signal-poll stub that the signal checks after the
        // import calls refer to.
        assert_eq!(u32_at(&d, o::MODULE_NUM_FUNCTIONS), 9);
        // SYS_write's three parameters are the most of any numeric type.
        assert_eq!(u32_at(&d, o::MODULE_GENERIC_SLOTS), 3);
        assert!(
            u32_at(&d, o::MODULE_NUM_TRAP_SITES) >= 3,
            "unreachable, stack checks, division"
        );
        assert_eq!(u32_at(&d, o::MODULE_TYPE_ID_SIGNAL_HANDLER), u32::MAX);
        for expected in [
            "walic_import_SYS_write",
            "walic_rt_poll_signals",
            "walic_rt_table_init",
        ] {
            assert!(
                undefined.iter().any(|u| u == expected),
                "{expected} not referenced: {undefined:?}"
            );
        }
    }

    #[test]
    fn setjmp_callers_use_the_guarded_call() {
        let obj = compile(
            r#"(module
                (import "wali" "setjmp" (func $setjmp (param i32) (result i32)))
                (import "wali" "longjmp" (func $longjmp (param i32 i32)))
                (memory 1)
                (func $g (param i32) (call $longjmp (local.get 0) (i32.const 1)))
                (func (export "f") (result i32) (local i32)
                  (i32.const 7)
                  (local.set 0 (call $setjmp (i32.const 16)))
                  (if (i32.eqz (local.get 0)) (then (call $g (i32.const 16))))
                  (i32.add (local.get 0))))"#,
        );
        let (_, undefined) = inspect(&obj);
        for expected in [
            "walic_rt_setjmp",
            "walic_rt_guarded_call",
            "walic_import_longjmp",
        ] {
            assert!(
                undefined.iter().any(|u| u == expected),
                "{expected} not referenced: {undefined:?}"
            );
        }
        assert!(!undefined.iter().any(|u| u == "walic_import_setjmp"));
        // The setjmp caller's body defers signals, so it moves to a symbol of its own and its
        // wrapper takes the function's place.
        let file = object::File::parse(&*obj).expect("valid object");
        let bodies: Vec<_> = file
            .symbols()
            .filter_map(|s| s.name().ok().map(str::to_string))
            .filter(|n| n.ends_with(".body"))
            .collect();
        assert_eq!(bodies.len(), 1, "{bodies:?}");
    }

    #[test]
    fn many_results_and_br_table_with_values_compile() {
        compile(
            r#"(module
                (func $m (result i32 i64 f32 f64 i32 i64 i32 i32 i32 i32)
                  i32.const 1 i64.const 2 f32.const 3 f64.const 4 i32.const 5 i64.const 6
                  i32.const 7 i32.const 8 i32.const 9 i32.const 10)
                (func (export "t") (param i32) (result i32)
                  (block (result i32) (block (result i32)
                    (i32.const 5) (local.get 0) (br_table 0 1 0)) (i32.const 1) (i32.add)))
                (func (export "u") (result i32) (call $m) (drop) (drop) (drop) (drop) (drop) (drop)
                  (drop) (drop) (drop)))"#,
        );
    }

    #[test]
    fn an_empty_module_compiles() {
        let (d, _) = inspect(&compile("(module)"));
        assert_eq!(u32_at(&d, o::MODULE_NUM_FUNCTIONS), 1, "only instantiate");
        assert_eq!(u32_at(&d, o::MODULE_MEMORY_FLAGS), 0);
    }
}
