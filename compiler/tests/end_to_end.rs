//! End-to-end tests: wasm programs compiled with walic, linked with the runtime library, run as
//! native executables, exactly as a user runs them.
//!
//! They link with the runtime archive embedded in walic (or `$WALIC_RUNTIME`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The runtime archive: the one embedded in walic, or `$WALIC_RUNTIME`. Always available, so
/// these tests never skip.
fn runtime() -> Option<walic::RuntimeArchive> {
    Some(walic::RuntimeArchive::locate().expect("the runtime archive"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("walic-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Compiles and links `wasm` into an executable; None when the runtime is not built.
fn build(name: &str, wasm: &[u8]) -> Option<PathBuf> {
    build_with(name, wasm, walic::CompileOptions::default())
}

/// [`build`] with `options` (verified).
fn build_with(name: &str, wasm: &[u8], options: walic::CompileOptions) -> Option<PathBuf> {
    let runtime = runtime()?;
    let options = walic::CompileOptions {
        verify: true,
        ..options
    };
    let object = walic::compile(wasm, &options).expect("compiles");
    let exe = scratch(name);
    walic::link(&[&object], runtime.path(), &exe).expect("links");
    Some(exe)
}

/// Like [`build`] at `opt_level`; also returns the number of calls inlined.
fn build_at(name: &str, wasm: &[u8], opt_level: walic::OptLevel) -> Option<(PathBuf, usize)> {
    let runtime = runtime()?;
    let options = walic::CompileOptions {
        opt_level,
        verify: true,
        ..Default::default()
    };
    let compiled = walic::compile_detailed(wasm, &options, false).expect("compiles");
    let exe = scratch(name);
    walic::link(&[&compiled.object], runtime.path(), &exe).expect("links");
    Some((exe, compiled.stats.inlined_calls))
}

fn program(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/programs")
        .join(format!("{name}.wat"));
    wat::parse_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn run(exe: &Path) -> Output {
    Command::new(exe).output().expect("runs")
}

#[test]
fn hello_writes_and_exits() {
    let Some(exe) = build("hello", &program("hello")) else {
        return;
    };
    let out = run(&exe);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Hello, walic!\n".repeat(3)
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn features_behave_as_specified() {
    let Some(exe) = build("features", &program("features")) else {
        return;
    };
    let out = run(&exe);
    // A failing check exits with its number.
    assert_eq!(
        out.status.code(),
        Some(0),
        "check {:?} failed",
        out.status.code()
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "AAA");
}

#[test]
fn setjmp_and_longjmp_cross_frames() {
    let Some(exe) = build("setjmp", &program("setjmp")) else {
        return;
    };
    let out = run(&exe);
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn inlined_calls_behave_as_calls() {
    for (level, inlines) in [
        (walic::OptLevel::Speed, true),
        (walic::OptLevel::Local, false),
    ] {
        let Some((exe, inlined)) =
            build_at(&format!("inline-{level:?}"), &program("inline"), level)
        else {
            return;
        };
        assert_eq!(inlined > 10, inlines, "{level:?}: {inlined} calls inlined");
        let out = run(&exe);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{level:?}: check {:?} failed",
            out.status.code()
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout), "ok\n");
    }
}

#[test]
fn traps_in_inlined_callees_keep_their_message() {
    // (callee body, arguments of the first call, message)
    let cases = [
        (
            "(i32.div_u (local.get 0) (local.get 1))",
            "1 0",
            "integer divide by zero",
        ),
        (
            "(i32.div_s (local.get 0) (local.get 1))",
            "0x80000000 -1",
            "integer overflow",
        ),
        (
            "(i32.load (i32.add (local.get 0) (local.get 1)))",
            "0x7fff0000 0x10000",
            "out of bounds memory access",
        ),
        (
            "(call_indirect (type 0) (local.get 1))",
            "0 0",
            "uninitialized element",
        ),
        ("unreachable", "0 0", "unreachable"),
    ];
    for (i, (body, args, message)) in cases.iter().enumerate() {
        let args: Vec<String> = args
            .split(' ')
            .map(|a| format!("(i32.const {a})"))
            .collect();
        let args = args.join(" ");
        let text = format!(
            r#"(module (type (func (result i32))) (table 4 4 funcref)
                 (memory 1 1)
                 (func $callee (param i32 i32) (result i32) {body})
                 (func (export "_start")
                   (drop (call $callee {args}))
                   (drop (call $callee (i32.const 8) (i32.const 2)))
                   (drop (call $callee (i32.const 8) (i32.const 2)))))"#
        );
        let wasm = wat::parse_str(&text).unwrap();
        let Some((exe, inlined)) = build_at(&format!("inline-trap{i}"), &wasm, Default::default())
        else {
            return;
        };
        assert_eq!(inlined, 3, "{body}");
        let out = run(&exe);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(walic_loader::trap::TRAP_EXIT_STATUS),
            "{body}: {stderr}"
        );
        let expected = format!("walic: wasm trap: {message} in function ");
        assert!(stderr.starts_with(&expected), "{body}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{body}: {stderr}");
    }
}

#[test]
fn traps_print_one_line_naming_the_trap_and_function() {
    let cases = [
        ("unreachable", "unreachable"),
        (
            "(drop (i32.div_u (i32.const 1) (i32.const 0)))",
            "integer divide by zero",
        ),
        (
            "(drop (i32.div_s (i32.const 0x80000000) (i32.const -1)))",
            "integer overflow",
        ),
        (
            "(drop (i32.load (i32.const 0x7fff0000)))",
            "out of bounds memory access",
        ),
        (
            "(call_indirect (type 0) (i32.const 0))",
            "uninitialized element",
        ),
        (
            "(call_indirect (type 0) (i32.const 9))",
            "undefined element",
        ),
        // Type mismatches involving reference types trap even without strict indirect calls:
        // a caller passing a reference, and a callee taking one.
        (
            "(call_indirect (type 2) (ref.null extern) (i32.const 1))",
            "indirect call type mismatch",
        ),
        (
            "(call_indirect (type 1) (i32.const 7) (i32.const 2))",
            "indirect call type mismatch",
        ),
        ("(call $recurse)", "call stack exhausted"),
        (
            "(drop (i32.trunc_f32_s (f32.const nan)))",
            "invalid conversion to integer",
        ),
        ("(drop (i32.atomic.load (i32.const 2)))", "unaligned atomic"),
    ];
    for (i, (body, message)) in cases.iter().enumerate() {
        let text = format!(
            r#"(module (type (func)) (type (func (param i32))) (type (func (param externref)))
                 (memory 1 1 shared) (table 4 4 funcref) (elem (i32.const 1) $f $takes_ref)
                 (func $f) (func $takes_ref (param externref)) (func $recurse (call $recurse))
                 (func $trapping_start (export "_start") {body}))"#
        );
        let wasm = wat::parse_str(&text).unwrap();
        let Some(exe) = build(&format!("trap{i}"), &wasm) else {
            return;
        };
        let out = run(&exe);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(walic_loader::trap::TRAP_EXIT_STATUS),
            "{body}: {stderr}"
        );
        assert!(stderr.contains(message), "{body}: {stderr}");
        let function = if body.contains("recurse") {
            "recurse"
        } else {
            "trapping_start"
        };
        assert!(stderr.contains(function), "{body}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{body}: {stderr}");
    }
}

#[test]
fn indirect_calls_across_types_behave_as_native() {
    let wasm = program("casts");
    let Some(exe) = build("casts", &wasm) else {
        return;
    };
    let out = run(&exe);
    assert_eq!(
        out.status.code(),
        Some(0),
        "check {:?} failed: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    // With strict indirect calls the first mismatch traps, as the specification says.
    let strict = walic::CompileOptions {
        strict_indirect_calls: true,
        ..Default::default()
    };
    let Some(exe) = build_with("casts-strict", &wasm, strict) else {
        return;
    };
    let out = run(&exe);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(walic_loader::trap::TRAP_EXIT_STATUS),
        "{stderr}"
    );
    assert!(stderr.contains("indirect call type mismatch"), "{stderr}");
}

#[test]
fn invalid_input_is_one_line_with_an_offset() {
    let input = scratch("bad.wasm");
    std::fs::write(&input, b"\0asm\x01\0\0\0\x01\x05\x01\x60\x01\x7b").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_walic"))
        .arg(&input)
        .args(["--emit", "obj", "-o"])
        .arg(scratch("bad.o"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("offset"), "{stderr}");
}

#[test]
fn missing_output_directory_is_one_line() {
    let input = scratch("ok.wasm");
    std::fs::write(&input, program("hello")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_walic"))
        .arg(&input)
        .args(["-o", "/nonexistent-walic-dir/prog"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("does not exist"), "{stderr}");
}

#[test]
fn a_module_without_start_is_not_a_program() {
    let input = scratch("library.wasm");
    std::fs::write(
        &input,
        wat::parse_str(r#"(module (func (export "f")))"#).unwrap(),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_walic"))
        .arg(&input)
        .arg("-o")
        .arg(scratch("library"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("_start"), "{stderr}");
}

#[test]
fn c_programs_run_when_the_toolchain_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let wali_cc = root.join("scripts/wali-cc");
    if !wali_cc.is_file() {
        eprintln!("note: scripts/wali-cc not present; skipping the C program test");
        return;
    }
    let source = scratch("prog.c");
    std::fs::write(
        &source,
        r#"#include <stdio.h>
#include <setjmp.h>
#include <stdlib.h>
static jmp_buf env;
static int (*ops[2])(int, int);
static int add(int a, int b) { return a + b; }
static int sub(int a, int b) { return a - b; }
static void fail(int n) { if (n == 0) longjmp(env, 42); fail(n - 1); }
int main(void) {
    ops[0] = add; ops[1] = sub;
    long long acc = 0;
    for (int i = 0; i < 100000; i++) acc += ops[i & 1](i, 1);
    int r = setjmp(env);
    if (r == 0) fail(10);
    char *p = malloc(100000);
    printf("acc=%lld r=%d p=%d %.2f\n", acc, r, p != 0, 2.5);
    return 7;
}
"#,
    )
    .unwrap();
    let wasm_path = scratch("prog.wasm");
    let status = Command::new(&wali_cc)
        .arg("-O2")
        .arg(&source)
        .arg("-o")
        .arg(&wasm_path)
        .status()
        .unwrap();
    assert!(status.success(), "wali-cc failed");
    let Some(exe) = build("prog", &std::fs::read(&wasm_path).unwrap()) else {
        return;
    };
    let out = run(&exe);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "acc=4999950000 r=42 p=1 2.50\n"
    );
    assert_eq!(out.status.code(), Some(7));
}

#[test]
fn promoted_frames_behave_like_memory() {
    // Promoted (the default) and with every local in memory: the same behaviour.
    for promote in [true, false] {
        let runtime = match runtime() {
            Some(r) => r,
            None => return,
        };
        let options = walic::CompileOptions {
            verify: true,
            no_frame_promotion: !promote,
            ..Default::default()
        };
        let object = walic::compile(&program("frames"), &options).expect("compiles");
        let exe = scratch(&format!("frames-{promote}"));
        walic::link(&[&object], runtime.path(), &exe).expect("links");
        let out = run(&exe);
        assert_eq!(
            out.status.code(),
            Some(0),
            "promote {promote}: check {:?} failed; stderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn promoted_frame_below_address_zero_traps() {
    let Some(exe) = build("frames_trap", &program("frames_trap")) else {
        return;
    };
    let out = run(&exe);
    assert_eq!(out.status.code(), Some(134));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("walic: wasm trap: out of bounds memory access"),
        "{stderr}"
    );
}
