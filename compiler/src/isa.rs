//! The Cranelift target: x86-64 Linux, with the settings walic's contract needs (no PIC, inline
//! stack probes, frame pointers for setjmp and backtraces, implicit struct return for many
//! results, the linear-memory base pinned in r15) and the CPU features chosen by `--target-cpu`.

use crate::error::{Error, Result};
use cranelift_codegen::isa::{self, OwnedTargetIsa};
use cranelift_codegen::settings::{self, Configurable};

/// Which CPU features generated code may use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TargetCpu {
    /// x86-64-v2 (SSE3, SSSE3, SSE4.1, SSE4.2, POPCNT, CMPXCHG16B): runs on any machine of the
    /// last fifteen years.
    #[default]
    X86_64V2,
    /// Everything the build machine has (the binary may not run elsewhere).
    Native,
}

/// Optimization level.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OptLevel {
    /// `-O0`: no optimization (fastest compile).
    None,
    /// `-O1`: Cranelift's optimizations, each function on its own.
    Local,
    /// `-O2`: also inlines calls between wasm functions (see `crate::inline`).
    #[default]
    Speed,
}

impl OptLevel {
    /// Whether calls between wasm functions are inlined.
    pub fn inlines(self) -> bool {
        self == OptLevel::Speed
    }
}

fn setting_error(e: impl std::fmt::Display) -> Error {
    Error::Emit(format!("configuring Cranelift: {e}"))
}

/// Builds the target ISA.
pub fn build(opt: OptLevel, cpu: TargetCpu, verifier: bool) -> Result<OwnedTargetIsa> {
    let mut flags = settings::builder();
    // -O0 is for compile speed: no optimization and the single-pass register allocator.
    let (opt_level, regalloc) = match opt {
        OptLevel::None => ("none", "single_pass"),
        OptLevel::Local | OptLevel::Speed => ("speed", "backtracking"),
    };
    for (name, value) in [
        ("opt_level", opt_level),
        ("regalloc_algorithm", regalloc),
        ("is_pic", "false"),
        ("enable_probestack", "true"),
        ("probestack_strategy", "inline"),
        ("preserve_frame_pointers", "true"),
        ("unwind_info", "false"),
        ("enable_multi_ret_implicit_sret", "true"),
        // r15 holds the linear-memory base in all generated code (see `walic_loader::vmctx`).
        ("enable_pinned_reg", "true"),
        ("enable_verifier", if verifier { "true" } else { "false" }),
    ] {
        flags.set(name, value).map_err(setting_error)?;
    }
    let mut builder = isa::lookup_by_name("x86_64-unknown-linux-gnu").map_err(setting_error)?;
    for feature in [
        "has_sse3",
        "has_ssse3",
        "has_cmpxchg16b",
        "has_sse41",
        "has_sse42",
        "has_popcnt",
    ] {
        builder.enable(feature).map_err(setting_error)?;
    }
    if cpu == TargetCpu::Native {
        enable_native(&mut builder)?;
    }
    builder
        .finish(settings::Flags::new(flags))
        .map_err(setting_error)
}

/// Enables the build machine's optional features.
fn enable_native(builder: &mut dyn Configurable) -> Result<()> {
    #[cfg(target_arch = "x86_64")]
    {
        let detected = [
            ("has_avx", std::is_x86_feature_detected!("avx")),
            ("has_avx2", std::is_x86_feature_detected!("avx2")),
            ("has_fma", std::is_x86_feature_detected!("fma")),
            ("has_bmi1", std::is_x86_feature_detected!("bmi1")),
            ("has_bmi2", std::is_x86_feature_detected!("bmi2")),
            ("has_lzcnt", std::is_x86_feature_detected!("lzcnt")),
            ("has_avx512f", std::is_x86_feature_detected!("avx512f")),
            ("has_avx512vl", std::is_x86_feature_detected!("avx512vl")),
            ("has_avx512dq", std::is_x86_feature_detected!("avx512dq")),
            (
                "has_avx512bitalg",
                std::is_x86_feature_detected!("avx512bitalg"),
            ),
            (
                "has_avx512vbmi",
                std::is_x86_feature_detected!("avx512vbmi"),
            ),
        ];
        for (name, present) in detected {
            if present {
                builder.enable(name).map_err(setting_error)?;
            }
        }
    }
    let _ = builder;
    Ok(())
}
