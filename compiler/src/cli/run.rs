//! `walic run PROG.wasm [ARGS...]`: compile the module into the cache (`cache.rs`) unless it is
//! there already, then become the compiled program (`exec.rs`).
//!
//! The program's `argv[0]` is the module path as the user typed it (for binfmt_misc, the
//! `argv[0]` the program was started with), so usage messages name what the user ran;
//! `/proc/self/exe` is the cache entry.

use super::{build_id, cache, exec};
use anyhow::Context as _;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use walic::{CompileOptions, RuntimeArchive, TargetCpu};

/// One `walic run`.
pub struct RunRequest {
    /// The wasm module.
    pub module: PathBuf,
    /// The program's `argv[0]`.
    pub argv0: OsString,
    /// The program's further arguments.
    pub args: Vec<OsString>,
    /// How to compile it on a cache miss.
    pub options: CompileOptions,
}

/// Runs the request; returns only on failure.
pub fn run(request: RunRequest) -> anyhow::Error {
    let program = match cached_program(&request.module, &request.options) {
        Ok(program) => program,
        Err(e) => return e,
    };
    let error = exec::exec(&program, &request.argv0, &request.args);
    anyhow::Error::new(error).context(format!("executing {}", program.display()))
}

/// The cache entry of `module` compiled with `options`, compiled now if missing.
fn cached_program(module: &Path, options: &CompileOptions) -> anyhow::Result<PathBuf> {
    let wasm = std::fs::read(module).with_context(|| format!("reading {}", module.display()))?;
    let runtime_override = match std::env::var_os(walic::runtime_archive::RUNTIME_ENV) {
        Some(path) => Some(std::fs::read(&path).with_context(|| {
            format!(
                "reading {}={}",
                walic::runtime_archive::RUNTIME_ENV,
                Path::new(&path).display()
            )
        })?),
        None => None,
    };
    let key = cache::KeyInputs {
        module: &wasm,
        build_id: &build_id::current()?,
        options: &options_text(options)?,
        runtime_override: runtime_override.as_deref(),
    }
    .key();
    let cache = cache::Cache::locate()?;
    let entry = cache.entry(&key);
    if entry.is_file() {
        return Ok(entry);
    }
    cache.insert(&key, |output| {
        compile_and_link(&wasm, options, output).with_context(|| module.display().to_string())
    })
}

/// The options as the cache key sees them; `--target-cpu native` adds this machine's features,
/// since the same cache directory may be shared by machines with different CPUs.
fn options_text(options: &CompileOptions) -> anyhow::Result<String> {
    let mut text = format!("{options:?}");
    if options.target_cpu == TargetCpu::Native {
        let isa = walic::isa::build(options.opt_level, options.target_cpu, false)?;
        for flag in isa.isa_flags() {
            text.push_str(&format!(" {flag}"));
        }
    }
    Ok(text)
}

fn compile_and_link(wasm: &[u8], options: &CompileOptions, output: &Path) -> anyhow::Result<()> {
    let compiled = walic::compile_detailed(wasm, options, false)?;
    if !compiled.has_entry {
        anyhow::bail!(
            "the module exports no `_start` function ([] -> []), so it is not a program walic \
             can run (WALI programs built with wali-cc export one)"
        );
    }
    let runtime = RuntimeArchive::locate()?;
    walic::link(&[&compiled.object], runtime.path(), output)?;
    Ok(())
}
