//! The spec-test driver (cargo feature `spectest-driver`): instead of running `_start`, a program
//! linked with this build of the runtime instantiates its module and then answers requests on
//! stdin, one per line, so the WebAssembly spec suite can check a module's exports natively.
//!
//! Protocol (the harness side is `tests/src/spec`): the program prints `ready`, or `trap <message>`
//! if instantiation trapped. Then for each request `invoke x<name-hex> <type:bits>*` or
//! `get x<name-hex>` it prints `ok <type:bits>*`, `trap <message>` or `error <reason>`. A trap does
//! not end the program: the runtime's trap reporter resumes the request loop instead (see
//! [`recover_from_trap`]), and the instance stays usable, as the spec requires.

use core::ffi::c_void;
use core::sync::atomic::{AtomicPtr, Ordering};
use std::io::{BufRead, Write};

use walic_loader::metadata::{export_kind, valtype, Export, FuncType, ModuleDescriptor};
use walic_loader::trap::Trap;
use walic_loader::vmctx::VmContext;

use crate::context::{context_call, context_resume, JumpContext};
use crate::instance;

/// The context a trap resumes while a request runs (main thread only; null otherwise).
static RECOVERY: AtomicPtr<JumpContext> = AtomicPtr::new(core::ptr::null_mut());

/// Called by the trap reporter: if a request is running, abandon it and report `trap` to the
/// request loop. Returns only when no request is running.
pub(crate) fn recover_from_trap(trap: Trap) {
    let ctx = RECOVERY.load(Ordering::Acquire);
    if !ctx.is_null() {
        // SAFETY: the context belongs to the request loop's active `context_call` on this thread;
        // the abandoned frames are compiled code and runtime frames holding no locks.
        unsafe { context_resume(ctx, trap.code() as u64) }
    }
}

/// What one guarded call runs.
struct Call {
    code: *const u8,
    vmctx: *mut VmContext,
    slots: *mut u64,
}

unsafe extern "C" fn run_call(arg: *mut c_void) {
    // SAFETY: `arg` is the `Call` built by `guarded`.
    let call = unsafe { &*(arg as *const Call) };
    // SAFETY: instantiation is `extern "C" fn(vmctx)`, array-call trampolines are
    // `extern "C" fn(vmctx, slots)`.
    unsafe { crate::context::call_wasm(call.code, call.vmctx, [call.slots as u64, 0, 0]) };
}

/// Runs a compiled entry with trap recovery; `Err` carries the trap.
fn guarded(vmctx: *mut VmContext, code: *const u8, slots: *mut u64) -> Result<(), Trap> {
    let mut ctx = JumpContext::default();
    let mut call = Call { code, vmctx, slots };
    RECOVERY.store(&mut ctx, Ordering::Release);
    // SAFETY: `ctx` and `call` outlive the call; `run_call` matches its argument.
    let result = unsafe { context_call(&mut ctx, run_call, &mut call as *mut Call as *mut c_void) };
    RECOVERY.store(core::ptr::null_mut(), Ordering::Release);
    // A trap may have abandoned setjmp guard records; none can be live between requests.
    // SAFETY: the context belongs to this thread.
    unsafe { (*vmctx).guard_chain.store(0, Ordering::Release) };
    match result {
        0 => Ok(()),
        code => Err(Trap::from_code(code as u8).unwrap_or(Trap::Unreachable)),
    }
}

/// The request loop; runs on the main wasm stack in place of `_start`.
pub(crate) unsafe extern "C" fn run(p: *mut c_void) {
    let vmctx = p as *mut VmContext;
    let module = instance::module();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if !module.instantiate.is_null() {
        if let Err(trap) = guarded(vmctx, module.instantiate, core::ptr::null_mut()) {
            let _ = writeln!(out, "trap {}", trap.message());
            let _ = out.flush();
            return;
        }
    }
    let _ = writeln!(out, "ready");
    let _ = out.flush();
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let answer = answer(module, vmctx, &line);
        let _ = writeln!(out, "{answer}");
        let _ = out.flush();
    }
}

fn answer(module: &ModuleDescriptor, vmctx: *mut VmContext, line: &str) -> String {
    let mut words = line.split_whitespace();
    let (Some(verb), Some(name)) = (words.next(), words.next()) else {
        return format!("error malformed request: {line}");
    };
    let Some(name) = decode_hex(name) else {
        return format!("error malformed name: {name}");
    };
    let Some(export) = find_export(module, &name) else {
        return "error no such export".to_string();
    };
    match verb {
        "invoke" => invoke(module, vmctx, export, words.collect()),
        "get" => get(vmctx, export),
        _ => format!("error unknown request {verb}"),
    }
}

fn invoke(
    module: &ModuleDescriptor,
    vmctx: *mut VmContext,
    export: &Export,
    args: Vec<&str>,
) -> String {
    if export.kind != export_kind::FUNC || export.func.is_null() || export.array_call.is_null() {
        return "error not a function".to_string();
    }
    // SAFETY: compiler-emitted records; type ids index the types array.
    let ty: &FuncType = unsafe {
        let id = (*export.func).type_id;
        if id >= module.num_types {
            return "error bad type id".to_string();
        }
        &*module.types.add(id as usize)
    };
    // SAFETY: the type's lists have the stated lengths.
    let (params, results) = unsafe {
        (
            core::slice::from_raw_parts(ty.params, ty.num_params as usize),
            core::slice::from_raw_parts(ty.results, ty.num_results as usize),
        )
    };
    if args.len() != params.len() {
        return format!("error expected {} arguments", params.len());
    }
    // A v128 takes two slots, low half first; every other value one.
    let width = |ty: &u8| if *ty == valtype::V128 { 2 } else { 1 };
    let param_slots: usize = params.iter().map(width).sum();
    let result_slots: usize = results.iter().map(width).sum();
    let mut slots = vec![0u64; param_slots.max(result_slots).max(1)];
    let mut at = 0;
    for (ty, arg) in params.iter().zip(&args) {
        let Some(bits) = decode_value(arg) else {
            return format!("error bad argument {arg}");
        };
        slots[at] = bits as u64;
        if width(ty) == 2 {
            slots[at + 1] = (bits >> 64) as u64;
        }
        at += width(ty);
    }
    match guarded(vmctx, export.array_call, slots.as_mut_ptr()) {
        Ok(()) => {
            let mut at = 0;
            let values: Vec<String> = results
                .iter()
                .map(|ty| {
                    let mut bits = u128::from(slots[at]);
                    if width(ty) == 2 {
                        bits |= u128::from(slots[at + 1]) << 64;
                    }
                    at += width(ty);
                    encode_value(*ty, bits)
                })
                .collect();
            if values.is_empty() {
                "ok".to_string()
            } else {
                format!("ok {}", values.join(" "))
            }
        }
        Err(trap) => format!("trap {}", trap.message()),
    }
}

fn get(vmctx: *mut VmContext, export: &Export) -> String {
    if export.kind != export_kind::GLOBAL {
        return "error not a global".to_string();
    }
    let bits = if export.global_vmctx_offset >= 0 {
        // SAFETY: the offset names the global's slots inside this thread's context: one 8-byte
        // slot, two for a v128.
        unsafe {
            let at = (vmctx as *const u8).add(export.global_vmctx_offset as usize) as *const u64;
            let high = if export.global_type as u8 == valtype::V128 {
                at.add(1).read_unaligned()
            } else {
                0
            };
            u128::from(at.read_unaligned()) | u128::from(high) << 64
        }
    } else {
        u128::from(export.global_value) | u128::from(export.global_value_high) << 64
    };
    format!("ok {}", encode_value(export.global_type as u8, bits))
}

fn find_export<'m>(module: &'m ModuleDescriptor, name: &[u8]) -> Option<&'m Export> {
    if module.exports.is_null() {
        return None;
    }
    // SAFETY: the compiler emits `num_exports` records.
    let exports =
        unsafe { core::slice::from_raw_parts(module.exports, module.num_exports as usize) };
    // SAFETY: names index the descriptor's blob.
    exports
        .iter()
        .find(|e| unsafe { module.name(e.name_offset, e.name_len) } == name)
}

fn encode_value(ty: u8, wide: u128) -> String {
    let bits = wide as u64;
    match ty {
        valtype::V128 => format!("v128:{wide:x}"),
        valtype::I32 => format!("i32:{:x}", bits as u32),
        valtype::I64 => format!("i64:{bits:x}"),
        valtype::F32 => format!("f32:{:x}", bits as u32),
        valtype::F64 => format!("f64:{bits:x}"),
        _ => format!("ref:{bits:x}"),
    }
}

fn decode_value(text: &str) -> Option<u128> {
    let (_, bits) = text.split_once(':')?;
    u128::from_str_radix(bits, 16).ok()
}

/// Decodes a name written as `x` followed by hex bytes.
fn decode_hex(text: &str) -> Option<Vec<u8>> {
    let text = text.strip_prefix('x')?;
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The `spectest` host module's print functions (uniform import ABI): they print to stderr, since
/// stdout carries the protocol.
macro_rules! spectest_print {
    ($($name:ident),*) => {
        $(
            #[no_mangle]
            pub extern "C" fn $name(
                _vmctx: *mut VmContext, a0: u64, a1: u64, _a2: u64, _a3: u64, _a4: u64, _a5: u64,
            ) -> i64 {
                eprintln!("{}: {a0:#x} {a1:#x}", stringify!($name));
                0
            }
        )*
    };
}

spectest_print!(
    walic_spectest_print,
    walic_spectest_print_i32,
    walic_spectest_print_i64,
    walic_spectest_print_f32,
    walic_spectest_print_f64,
    walic_spectest_print_i32_f32,
    walic_spectest_print_f64_f64
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_values() {
        assert_eq!(decode_hex("x6631"), Some(b"f1".to_vec()));
        assert_eq!(decode_hex("x"), Some(Vec::new()));
        assert_eq!(decode_hex("x6"), None);
        assert_eq!(decode_value("i32:ff"), Some(255));
        assert_eq!(
            encode_value(valtype::I32, u128::from(u64::MAX)),
            "i32:ffffffff"
        );
        assert_eq!(
            encode_value(valtype::V128, 1 << 64),
            "v128:10000000000000000"
        );
        assert_eq!(decode_value("v128:10000000000000000"), Some(1 << 64));
        assert_eq!(encode_value(valtype::FUNCREF, 0), "ref:0");
    }
}
