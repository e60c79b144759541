//! walic: an ahead-of-time compiler from WALI WebAssembly modules (Linux programs compiled to
//! `wasm32-linux-muslwali`) to standalone native x86-64 Linux executables.
//!
//! The pipeline, one module per step:
//! 1. [`module`]: parse and validate the binary into a plain description (types, functions,
//!    globals, tables, memory, segments, exports, names);
//! 2. [`translate`]: lower each function body to Cranelift IR (operators, control flow, memory,
//!    atomics, calls, setjmp, tables, signal checks);
//! 3. [`inline`]: decide which calls between wasm functions to inline (at `-O2`);
//! 4. [`emit`]: inline and compile all functions in parallel and write one relocatable object with the
//!    metadata records the runtime reads (`walic_loader::metadata`);
//! 5. [`link`]: link the object with the runtime library (`libwalic_runtime.a`, embedded in walic
//!    by [`runtime_archive`]) using the system C compiler.
//!
//! Everything generated code and the runtime must agree on lives in the `walic-loader` crate.
#![deny(missing_docs)]

pub mod emit;
pub mod error;
pub mod inline;
pub mod isa;
pub mod link;
pub mod module;
pub mod runtime_archive;
pub mod translate;
mod traps;

pub use emit::Stats;
pub use error::{Error, Result};
pub use isa::{OptLevel, TargetCpu};
pub use link::link;
pub use runtime_archive::RuntimeArchive;

use std::time::Instant;

/// How to compile a module.
#[derive(Clone, Debug, Default)]
pub struct CompileOptions {
    /// Optimization level.
    pub opt_level: OptLevel,
    /// CPU features generated code may use.
    pub target_cpu: TargetCpu,
    /// Prefix of the module descriptor's symbol (`<prefix>walic_module`), so several modules can
    /// be linked into one executable. Every other symbol walic defines is local.
    pub symbol_prefix: String,
    /// Spec-test mode: imports from module `spectest` are allowed (functions map to
    /// `walic_spectest_<name>`, globals, the table and the memory become defined ones with the
    /// spectest values).
    pub spectest: bool,
    /// Run the Cranelift IR verifier on every function (slower; for debugging walic).
    pub verify: bool,
    /// `call_indirect` traps whenever the caller's type differs from the callee's, as the
    /// WebAssembly specification says. By default a mismatch between numeric types is adapted
    /// as the native ABI would call it (what C programs casting function pointers rely on).
    pub strict_indirect_calls: bool,
    /// Keep every C local in linear memory: no shadow-stack promotion
    /// (`translate::frame`).
    pub no_frame_promotion: bool,
}

/// The result of [`compile_detailed`].
pub struct Compilation {
    /// The relocatable object.
    pub object: Vec<u8>,
    /// Annotated CLIF, when requested.
    pub clif: Option<String>,
    /// Timings and sizes.
    pub stats: Stats,
    /// Whether the module exports `_start` (`[] -> []`), the entry point of a program.
    pub has_entry: bool,
}

/// Compiles a wasm module into a relocatable object file.
pub fn compile(wasm: &[u8], options: &CompileOptions) -> Result<Vec<u8>> {
    Ok(compile_detailed(wasm, options, false)?.object)
}

/// Compiles a wasm module, optionally also returning the CLIF of every function, with timings.
pub fn compile_detailed(
    wasm: &[u8],
    options: &CompileOptions,
    want_clif: bool,
) -> Result<Compilation> {
    let start = Instant::now();
    let module = module::parse(wasm, options)?;
    let parse = start.elapsed();
    let isa = isa::build(options.opt_level, options.target_cpu, options.verify)?;
    let has_entry = module.entry().is_some();
    let emitted = emit::emit(&module, isa, options, want_clif)?;
    let mut stats = emitted.stats;
    stats.parse = parse;
    Ok(Compilation {
        object: emitted.object,
        clif: emitted.clif,
        stats,
        has_entry,
    })
}
