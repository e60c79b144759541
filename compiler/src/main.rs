//! The `walic` command line: compile a WALI wasm module into a native executable, or run one
//! (`walic run`, binfmt_misc).

mod cli;

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;
use walic::{CompileOptions, OptLevel, TargetCpu};

/// What to write to the output file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Emit {
    /// A linked native executable (needs `cc` and the runtime library).
    Exe,
    /// The relocatable object file, not linked.
    Obj,
    /// Cranelift IR of every function, annotated with wasm function names (for debugging).
    Clif,
}

/// CPU features the generated code may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Cpu {
    /// x86-64-v2 (SSE4.2, POPCNT): runs on practically any x86-64 machine.
    #[value(name = "x86-64-v2")]
    X86_64V2,
    /// Every feature of this machine (AVX2, BMI, LZCNT, ...): may not run elsewhere.
    Native,
}

/// Compile a WALI WebAssembly module (a Linux program built with clang's
/// `wasm32-linux-muslwali` target) into a standalone native x86-64 Linux executable, or run one.
///
/// The executable needs no WebAssembly engine: it links walic's runtime library, embedded in
/// walic (or the archive named by $WALIC_RUNTIME), which implements the WALI system-call
/// imports on the real Linux kernel.
///
/// Examples:
///   walic hello.wasm -o hello && ./hello
///   walic -v lua.wasm -o lua
///   walic --emit clif prog.wasm -o prog.clif
///   walic run lua.wasm -e 'print(1)'     (compiles once into ~/.cache/walic, then runs)
///   walic binfmt install                 (as root: ./prog.wasm runs through walic run)
#[derive(Parser, Debug)]
#[command(
    name = "walic",
    version,
    verbatim_doc_comment,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    /// The wasm module to compile (a module named like a subcommand: `./run`).
    #[arg(required = true)]
    input: Option<PathBuf>,

    /// Output file (default: the input's name without `.wasm`, plus `.o` / `.clif` for the
    /// other --emit kinds).
    #[arg(short, long)]
    output: Option<PathBuf>,

    /// What to produce.
    #[arg(long, value_enum, default_value = "exe")]
    emit: Emit,

    #[command(flatten)]
    codegen: CodegenArgs,

    /// Print timings (parse, compile, emit, link), the number of functions and the code size.
    #[arg(short, long)]
    verbose: bool,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run a module, compiled once into a cache
    ///
    /// Compiles the module into the cache ($XDG_CACHE_HOME/walic, else ~/.cache/walic) unless it
    /// is there, then executes the compiled program in walic's place with the arguments,
    /// environment and standard streams given: its exit status and signals are its own. Its
    /// argv[0] is PROG.wasm as typed. Deleting the cache directory is always safe.
    Run {
        #[command(flatten)]
        codegen: CodegenArgs,

        /// The wasm module to run.
        module: PathBuf,

        /// Arguments for the program (everything after the module, options included).
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<OsString>,
    },
    /// Make the kernel run wasm modules (`./prog.wasm`) through `walic run` (binfmt_misc)
    Binfmt {
        #[command(subcommand)]
        action: BinfmtAction,
    },
}

#[derive(Subcommand, Debug)]
enum BinfmtAction {
    /// Register this walic as the handler of wasm modules (needs root).
    Install,
    /// Remove the handler (needs root).
    Uninstall,
    /// Say whether, and by which walic, wasm modules are handled.
    Status,
}

/// How to generate code (shared by compiling and `walic run`).
#[derive(Args, Debug)]
struct CodegenArgs {
    /// Optimization level: -O0 compiles fastest, -O1 optimizes each function on its own, -O2
    /// (default) also inlines small and single-use functions into their callers.
    #[arg(short = 'O', value_name = "LEVEL", default_value = "2", value_parser = ["0", "1", "2"])]
    opt_level: String,

    /// CPU features generated code may use.
    #[arg(long, value_enum, default_value = "x86-64-v2")]
    target_cpu: Cpu,

    /// Run Cranelift's IR verifier on every function (slow; for debugging walic itself).
    #[arg(long)]
    verify: bool,

    /// Trap on every call_indirect whose type differs from the callee's, as the WebAssembly
    /// specification says. By default a call through a C function pointer of another numeric
    /// type goes ahead as the native ABI would make it (docs/calls.md).
    #[arg(long)]
    strict_indirect_calls: bool,

    /// Keep every C local of the shadow stack in linear memory (do not promote private frame
    /// slots to registers).
    #[arg(long)]
    no_frame_promotion: bool,
}

impl CodegenArgs {
    fn options(&self) -> CompileOptions {
        CompileOptions {
            opt_level: match self.opt_level.as_str() {
                "0" => OptLevel::None,
                "1" => OptLevel::Local,
                _ => OptLevel::Speed,
            },
            target_cpu: match self.target_cpu {
                Cpu::X86_64V2 => TargetCpu::X86_64V2,
                Cpu::Native => TargetCpu::Native,
            },
            verify: self.verify || self.opt_level == "0" && cfg!(debug_assertions),
            strict_indirect_calls: self.strict_indirect_calls,
            no_frame_promotion: self.no_frame_promotion,
            ..CompileOptions::default()
        }
    }
}

fn compile(cli: Cli) -> anyhow::Result<()> {
    let input = cli.input.context("no input module")?;
    let wasm = std::fs::read(&input).with_context(|| format!("reading {}", input.display()))?;
    let options = cli.codegen.options();
    let output = cli.output.clone().unwrap_or_else(|| {
        let stem = input.with_extension("");
        match cli.emit {
            Emit::Exe => stem,
            Emit::Obj => stem.with_extension("o"),
            Emit::Clif => stem.with_extension("clif"),
        }
    });
    // Fail before compiling, and in one line, when the output cannot be created there.
    let directory = match output.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => std::path::Path::new("."),
    };
    if !directory.is_dir() {
        anyhow::bail!(
            "cannot write {}: directory {} does not exist",
            output.display(),
            directory.display()
        );
    }
    let compiled = walic::compile_detailed(&wasm, &options, cli.emit == Emit::Clif)
        .with_context(|| format!("{}", input.display()))?;
    let stats = &compiled.stats;
    let mut link_time = None;
    match cli.emit {
        Emit::Clif => std::fs::write(&output, compiled.clif.unwrap_or_default())
            .with_context(|| format!("writing {}", output.display()))?,
        Emit::Obj => std::fs::write(&output, &compiled.object)
            .with_context(|| format!("writing {}", output.display()))?,
        Emit::Exe => {
            if !compiled.has_entry {
                anyhow::bail!(
                    "{}: the module exports no `_start` function ([] -> []), so it is not a \
                     program walic can run (WALI programs built with wali-cc export one)",
                    input.display()
                );
            }
            let start = std::time::Instant::now();
            let runtime = walic::RuntimeArchive::locate()?;
            walic::link(&[&compiled.object], runtime.path(), &output)?;
            link_time = Some(start.elapsed());
        }
    }
    if cli.verbose {
        let compile_secs = stats.compile.as_secs_f64();
        eprintln!("walic: parse    {:8.1} ms", stats.parse.as_secs_f64() * 1e3);
        eprintln!(
            "walic: compile  {:8.1} ms  ({} functions on {} threads, {:.1} MB wasm code/s)",
            compile_secs * 1e3,
            stats.functions,
            rayon::current_num_threads(),
            stats.wasm_code_size as f64 / 1e6 / compile_secs.max(1e-9)
        );
        eprintln!(
            "walic:          {:.1} ms of per-function work in parallel",
            stats.compile_cpu.as_secs_f64() * 1e3
        );
        if stats.inlined_calls > 0 {
            eprintln!("walic:          {} calls inlined", stats.inlined_calls);
        }
        if let Some((name, time)) = &stats.slowest {
            eprintln!(
                "walic:          slowest function: {name} ({:.1} ms)",
                time.as_secs_f64() * 1e3
            );
        }
        eprintln!("walic: emit     {:8.1} ms", stats.emit.as_secs_f64() * 1e3);
        if let Some(t) = link_time {
            eprintln!("walic: link     {:8.1} ms", t.as_secs_f64() * 1e3);
        }
        eprintln!(
            "walic: {} bytes of wasm code -> {} bytes of machine code, object {} bytes",
            stats.wasm_code_size,
            stats.code_size,
            compiled.object.len()
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    // The kernel's binfmt_misc start of `./prog.wasm` (cli/binfmt.rs) is `walic run` by default.
    if let Some((module, argv0, args)) = cli::binfmt::invocation() {
        let request = cli::run::RunRequest {
            module,
            argv0,
            args,
            options: CompileOptions::default(),
        };
        return fail(cli::run::run(request));
    }
    let parsed = Cli::parse();
    let result = match parsed.command {
        None => compile(parsed),
        Some(Command::Run {
            codegen,
            module,
            args,
        }) => {
            let request = cli::run::RunRequest {
                argv0: module.clone().into_os_string(),
                module,
                args,
                options: codegen.options(),
            };
            Err(cli::run::run(request))
        }
        Some(Command::Binfmt { action }) => match action {
            BinfmtAction::Install => cli::binfmt::install(),
            BinfmtAction::Uninstall => cli::binfmt::uninstall(),
            BinfmtAction::Status => cli::binfmt::status(),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

/// Reports `e` in one line and fails.
fn fail(e: anyhow::Error) -> ExitCode {
    // One line: the context chain joined, e.g. "prog.wasm: at byte offset 0x2a: ...".
    let chain: Vec<String> = e.chain().map(|c| c.to_string()).collect();
    eprintln!("walic: error: {}", chain.join(": "));
    ExitCode::FAILURE
}
