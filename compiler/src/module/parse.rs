//! Parsing and module-level validation: wasm bytes → [`Module`].
//!
//! The wasmparser validator runs with exactly the features walic supports, so a module using
//! anything else (exception-handling instructions, memory64, GC, function references, ...) is refused
//! with wasmparser's message, which names the feature. The `target_features` custom section is
//! ignored: WALI binaries declare exception-handling there without using it.

use super::const_expr::evaluate;
use super::*;
use crate::error::{Error, Result};
use crate::CompileOptions;
use wasmparser::{
    CompositeInnerType, ElementItems, ElementKind, ExternalKind, KnownCustom, Name, Parser,
    Payload, TypeRef, ValidPayload, Validator, WasmFeatures,
};

/// The wasm features walic compiles.
pub fn supported_features() -> WasmFeatures {
    WasmFeatures::MUTABLE_GLOBAL
        | WasmFeatures::SATURATING_FLOAT_TO_INT
        | WasmFeatures::SIGN_EXTENSION
        | WasmFeatures::MULTI_VALUE
        | WasmFeatures::BULK_MEMORY
        | WasmFeatures::THREADS
        | WasmFeatures::REFERENCE_TYPES
        | WasmFeatures::EXTENDED_CONST
        | WasmFeatures::FLOATS
        | WasmFeatures::GC_TYPES
        | WasmFeatures::TAIL_CALL
        | WasmFeatures::SIMD
        | WasmFeatures::RELAXED_SIMD
}

/// Converts a wasmparser value type, refusing the ones walic does not support.
pub fn val_type_at(offset: u64, t: wasmparser::ValType) -> Result<ValType> {
    Ok(match t {
        wasmparser::ValType::I32 => ValType::I32,
        wasmparser::ValType::I64 => ValType::I64,
        wasmparser::ValType::F32 => ValType::F32,
        wasmparser::ValType::F64 => ValType::F64,
        wasmparser::ValType::V128 => ValType::V128,
        wasmparser::ValType::Ref(r) if r.is_func_ref() => ValType::FuncRef,
        wasmparser::ValType::Ref(r) if r.is_extern_ref() => ValType::ExternRef,
        other => {
            return Err(Error::Invalid {
                offset,
                message: format!("unsupported value type {other}"),
            })
        }
    })
}

/// The spectest host module's globals: type and value (spec-test mode).
fn spectest_global(name: &str) -> Option<(ValType, ConstValue)> {
    Some(match name {
        "global_i32" => (ValType::I32, ConstValue::I32(666)),
        "global_i64" => (ValType::I64, ConstValue::I64(666)),
        "global_f32" => (ValType::F32, ConstValue::F32(666.6f32.to_bits())),
        "global_f64" => (ValType::F64, ConstValue::F64(666.6f64.to_bits())),
        _ => return None,
    })
}

/// The spectest host module's functions and their types (spec-test mode).
fn spectest_function(name: &str) -> Option<&'static FuncType> {
    use std::sync::OnceLock;
    static TYPES: OnceLock<Vec<(&'static str, FuncType)>> = OnceLock::new();
    let types = TYPES.get_or_init(|| {
        use ValType::*;
        let f = |params: &[ValType]| FuncType {
            params: params.to_vec(),
            results: vec![],
        };
        vec![
            ("print", f(&[])),
            ("print_i32", f(&[I32])),
            ("print_i64", f(&[I64])),
            ("print_f32", f(&[F32])),
            ("print_f64", f(&[F64])),
            ("print_i32_f32", f(&[I32, F32])),
            ("print_f64_f64", f(&[F64, F64])),
        ]
    });
    types.iter().find(|(n, _)| *n == name).map(|(_, t)| t)
}

/// Whether an import declaring limits `min..max` accepts a definition with limits
/// `actual_min..actual_max` (the specification's import matching).
fn limits_match(min: u64, max: Option<u64>, actual_min: u64, actual_max: u64) -> bool {
    actual_min >= min && max.is_none_or(|max| actual_max <= max)
}

/// A 32-bit memory's limits are u32 LEB128 numbers of at most five bytes; wasmparser reads them
/// as u64 (for memory64), which would accept a six-byte encoding the core specification rejects.
fn check_memory_limit_encoding(wasm: &[u8], offset: usize) -> Result<()> {
    let Some(&flags) = wasm.get(offset) else {
        return Ok(());
    };
    const MEMORY64: u8 = 0x04;
    const HAS_MAX: u8 = 0x01;
    if flags & MEMORY64 != 0 {
        return Ok(());
    }
    let mut position = offset + 1;
    let limits = if flags & HAS_MAX != 0 { 2 } else { 1 };
    for _ in 0..limits {
        let start = position;
        while wasm.get(position).is_some_and(|b| b & 0x80 != 0) {
            position += 1;
        }
        position += 1;
        if position - start > 5 {
            return Err(Error::Invalid {
                offset: start as u64,
                message: "integer representation too long".into(),
            });
        }
    }
    Ok(())
}

/// Parses and validates `wasm` (function bodies are validated later, during translation).
pub fn parse<'a>(wasm: &'a [u8], options: &CompileOptions) -> Result<Module<'a>> {
    let mut validator = Validator::new_with_features(supported_features());
    let mut m = Module {
        types: PrimaryMap::new(),
        type_ids: PrimaryMap::new(),
        canonical_types: PrimaryMap::new(),
        functions: PrimaryMap::new(),
        num_imported_funcs: 0,
        bodies: PrimaryMap::new(),
        globals: PrimaryMap::new(),
        num_global_slots: 0,
        tables: PrimaryMap::new(),
        memory: None,
        data: PrimaryMap::new(),
        elems: PrimaryMap::new(),
        exports: Vec::new(),
        start: None,
        stack_pointer: None,
        funcrefs: PrimaryMap::new(),
        funcref_of: HashMap::new(),
    };
    let mut canonical: HashMap<FuncType, TypeId> = HashMap::new();
    let mut bad_imports: Vec<String> = Vec::new();
    let mut func_names: HashMap<u32, String> = HashMap::new();
    let mut global_names: HashMap<u32, String> = HashMap::new();

    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload?;
        let valid = validator.payload(&payload)?;
        match payload {
            Payload::TypeSection(reader) => {
                for group in reader.into_iter_with_offsets() {
                    let (offset, group) = group?;
                    for sub in group.into_types() {
                        let CompositeInnerType::Func(f) = &sub.composite_type.inner else {
                            return Err(Error::Invalid {
                                offset,
                                message: "only function types are supported".into(),
                            });
                        };
                        let ty = FuncType {
                            params: f
                                .params()
                                .iter()
                                .map(|t| val_type_at(offset, *t))
                                .collect::<Result<_>>()?,
                            results: f
                                .results()
                                .iter()
                                .map(|t| val_type_at(offset, *t))
                                .collect::<Result<_>>()?,
                        };
                        let id = *canonical
                            .entry(ty.clone())
                            .or_insert_with(|| m.canonical_types.push(ty.clone()));
                        m.types.push(ty);
                        m.type_ids.push(id);
                    }
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader.into_imports_with_offsets() {
                    let (offset, import) = import?;
                    let spectest = options.spectest && import.module == "spectest";
                    let qualified = format!("{}.{}", import.module, import.name);
                    match import.ty {
                        TypeRef::Func(ty) | TypeRef::FuncExact(ty) => {
                            let ty = TypeIndex::from_u32(ty);
                            let kind = if spectest {
                                if spectest_function(import.name) != Some(&m.types[ty]) {
                                    bad_imports.push(format!(
                                        "{qualified} (incompatible import type or unknown import)"
                                    ));
                                }
                                ImportKind::Spectest(import.name.to_string())
                            } else if import.module == "wali" {
                                classify_wali_import(import.name, &m.types[ty], offset)?
                                    .unwrap_or_else(|| {
                                        bad_imports
                                            .push(format!("{qualified} (unknown WALI name)"));
                                        ImportKind::Wali(import.name.to_string())
                                    })
                            } else {
                                bad_imports.push(qualified.clone());
                                ImportKind::Wali(import.name.to_string())
                            };
                            let sig = &m.types[ty];
                            if sig.results.len() > 1 {
                                bad_imports.push(format!("{qualified} (more than one result)"));
                            }
                            // The uniform import ABI passes 64-bit values only.
                            if sig
                                .params
                                .iter()
                                .chain(&sig.results)
                                .any(|t| *t == ValType::V128)
                            {
                                bad_imports.push(format!("{qualified} (v128 in the signature)"));
                            }
                            m.functions.push(Function {
                                ty,
                                import: Some(kind),
                                name: qualified,
                            });
                            m.num_imported_funcs += 1;
                        }
                        TypeRef::Global(g) => {
                            // A refused import keeps a placeholder so later indices stay right
                            // and the error lists every refused import.
                            let ty = val_type_at(offset, g.content_type)?;
                            let known = spectest_global(import.name)
                                .filter(|(t, _)| spectest && *t == ty && !g.mutable);
                            let init = known.map(|(_, v)| v).unwrap_or_else(|| {
                                bad_imports.push(qualified);
                                ConstValue::I32(0)
                            });
                            m.globals.push(Global {
                                ty,
                                mutable: false,
                                init,
                                slot: None,
                            });
                        }
                        TypeRef::Table(t)
                            if spectest
                                && import.name == "table"
                                && t.element_type.is_func_ref()
                                && limits_match(t.initial, t.maximum, 10, 20) =>
                        {
                            let elem =
                                val_type_at(offset, wasmparser::ValType::Ref(t.element_type))?;
                            m.tables.push(Table {
                                elem,
                                initial: 10,
                                max: Some(20),
                            });
                        }
                        TypeRef::Memory(t)
                            if spectest
                                && import.name == "memory"
                                && !t.shared
                                && !t.memory64
                                && limits_match(t.initial, t.maximum, 1, 2) =>
                        {
                            m.memory = Some(Memory {
                                initial: 1,
                                max: 2,
                                shared: false,
                            });
                        }
                        _ => bad_imports.push(qualified),
                    }
                }
            }
            Payload::FunctionSection(reader) => {
                for ty in reader {
                    let index = m.functions.len();
                    m.functions.push(Function {
                        ty: TypeIndex::from_u32(ty?),
                        import: None,
                        name: format!("wasm-function[{index}]"),
                    });
                }
            }
            Payload::TableSection(reader) => {
                for table in reader.into_iter_with_offsets() {
                    let (offset, table) = table?;
                    let ty = table.ty;
                    let elem = val_type_at(offset, wasmparser::ValType::Ref(ty.element_type))?;
                    if !matches!(table.init, wasmparser::TableInit::RefNull) {
                        return Err(Error::Invalid {
                            offset,
                            message: "table initializer expressions are not supported".into(),
                        });
                    }
                    m.tables.push(Table {
                        elem,
                        initial: ty.initial as u32,
                        max: ty.maximum.map(|x| x as u32),
                    });
                }
            }
            Payload::MemorySection(reader) => {
                for memory in reader.into_iter_with_offsets() {
                    let (offset, memory) = memory?;
                    check_memory_limit_encoding(wasm, offset as usize)?;
                    m.memory = Some(Memory {
                        initial: memory.initial as u32,
                        max: memory
                            .maximum
                            .unwrap_or(walic_loader::memory::MAX_WASM_PAGES)
                            .min(walic_loader::memory::MAX_WASM_PAGES)
                            as u32,
                        shared: memory.shared,
                    });
                }
            }
            Payload::GlobalSection(reader) => {
                for global in reader.into_iter_with_offsets() {
                    let (offset, global) = global?;
                    let ty = val_type_at(offset, global.ty.content_type)?;
                    let init = evaluate(&global.init_expr, &m.globals)?;
                    let slot = global.ty.mutable.then(|| {
                        m.num_global_slots += ty.slots();
                        m.num_global_slots - ty.slots()
                    });
                    m.globals.push(Global {
                        ty,
                        mutable: global.ty.mutable,
                        init,
                        slot,
                    });
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export?;
                    let item = match export.kind {
                        ExternalKind::Func | ExternalKind::FuncExact => {
                            ExportItem::Func(FuncIndex::from_u32(export.index))
                        }
                        ExternalKind::Table => {
                            ExportItem::Table(TableIndex::from_u32(export.index))
                        }
                        ExternalKind::Memory => ExportItem::Memory(export.index),
                        ExternalKind::Global => {
                            ExportItem::Global(GlobalIndex::from_u32(export.index))
                        }
                        ExternalKind::Tag => continue,
                    };
                    m.exports.push(Export {
                        name: export.name.to_string(),
                        item,
                    });
                }
            }
            Payload::StartSection { func, .. } => m.start = Some(FuncIndex::from_u32(func)),
            Payload::ElementSection(reader) => {
                for element in reader.into_iter_with_offsets() {
                    let (offset, element) = element?;
                    let mode = match element.kind {
                        ElementKind::Passive => ElemMode::Passive,
                        ElementKind::Declared => ElemMode::Declared,
                        ElementKind::Active {
                            table_index,
                            offset_expr,
                        } => ElemMode::Active {
                            table: TableIndex::from_u32(table_index.unwrap_or(0)),
                            offset: evaluate(&offset_expr, &m.globals)?.as_u32().ok_or_else(
                                || Error::Invalid {
                                    offset,
                                    message: "element offset is not an i32".into(),
                                },
                            )?,
                        },
                    };
                    let items = match element.items {
                        ElementItems::Functions(funcs) => funcs
                            .into_iter()
                            .map(|f| Ok(ConstValue::FuncRef(FuncIndex::from_u32(f?))))
                            .collect::<Result<Vec<_>>>()?,
                        ElementItems::Expressions(_, exprs) => exprs
                            .into_iter()
                            .map(|e| evaluate(&e?, &m.globals))
                            .collect::<Result<Vec<_>>>()?,
                    };
                    m.elems.push(ElemSegment { items, mode });
                }
            }
            Payload::DataSection(reader) => {
                for data in reader.into_iter_with_offsets() {
                    let (offset, data) = data?;
                    let active_offset = match data.kind {
                        wasmparser::DataKind::Passive => None,
                        wasmparser::DataKind::Active { offset_expr, .. } => Some(
                            evaluate(&offset_expr, &m.globals)?
                                .as_u32()
                                .ok_or_else(|| Error::Invalid {
                                    offset,
                                    message: "data offset is not an i32".into(),
                                })?,
                        ),
                    };
                    m.data.push(DataSegment {
                        bytes: data.data,
                        active_offset,
                    });
                }
            }
            Payload::CodeSectionEntry(_) => {
                let ValidPayload::Func(validator, body) = valid else {
                    unreachable!("the validator returns a function validator for every body")
                };
                let func = FuncIndex::from_u32(validator.index);
                m.bodies.push(FunctionBody {
                    func,
                    body,
                    validator,
                });
            }
            Payload::CustomSection(reader) => {
                if let KnownCustom::Name(names) = reader.as_known() {
                    // A malformed name section is ignored, as the specification allows.
                    for subsection in names.into_iter().flatten() {
                        match subsection {
                            Name::Function(map) => {
                                for naming in map.into_iter().flatten() {
                                    func_names.insert(naming.index, naming.name.to_string());
                                }
                            }
                            Name::Global(map) => {
                                for naming in map.into_iter().flatten() {
                                    global_names.insert(naming.index, naming.name.to_string());
                                }
                            }
                            _ => {}
                        }
                    }
                }
            }
            _ => {}
        }
    }

    if !bad_imports.is_empty() {
        return Err(Error::Imports(bad_imports));
    }
    for (index, name) in func_names {
        if let Some(f) = m.functions.get_mut(FuncIndex::from_u32(index)) {
            // Names become symbol names and trap messages: no NULs or line breaks.
            f.name = name.replace(['\0', '\n', '\r'], "?");
        }
    }
    m.stack_pointer = global_names
        .iter()
        .find(|(index, name)| {
            name.as_str() == "__stack_pointer"
                && m.globals
                    .get(GlobalIndex::from_u32(**index))
                    .is_some_and(|g| g.mutable)
        })
        .map(|(index, _)| GlobalIndex::from_u32(*index))
        .or_else(|| {
            m.globals
                .iter()
                .find(|(_, g)| g.mutable && g.ty == ValType::I32)
                .map(|(i, _)| i)
        });
    collect_funcrefs(&mut m);
    Ok(m)
}

/// Classifies an import from module `wali`; `None` if walic does not know the name.
fn classify_wali_import(name: &str, ty: &FuncType, offset: u64) -> Result<Option<ImportKind>> {
    if walic_loader::imports::SETJMP_IMPORTS.contains(&name) {
        let has_mask_arg = name == "sigsetjmp";
        let expected = if has_mask_arg { 2 } else { 1 };
        if ty.params.len() != expected
            || ty.params.iter().any(|t| *t != ValType::I32)
            || ty.results != [ValType::I32]
        {
            return Err(Error::Invalid {
                offset,
                message: format!("import wali.{name} has an unsupported signature"),
            });
        }
        return Ok(Some(ImportKind::Setjmp {
            name: name.to_string(),
            has_mask_arg,
        }));
    }
    if ty
        .params
        .iter()
        .chain(&ty.results)
        .any(|t| !matches!(t, ValType::I32 | ValType::I64))
    {
        return Err(Error::Invalid {
            offset,
            message: format!("import wali.{name} has a non-integer parameter or result"),
        });
    }
    Ok(walic_loader::imports::lookup(name).map(|_| ImportKind::Wali(name.to_string())))
}

/// Finds every function that can become a funcref (element segments, `ref.func` in constant
/// expressions, exports) and numbers its `FuncRef` record. The validator guarantees that every
/// `ref.func` in code names one of these.
fn collect_funcrefs(m: &mut Module<'_>) {
    let add = |m: &mut Module<'_>, f: FuncIndex| {
        if !m.funcref_of.contains_key(&f) {
            let r = m.funcrefs.push(f);
            m.funcref_of.insert(f, r);
        }
    };
    let mut candidates: Vec<FuncIndex> = Vec::new();
    for seg in m.elems.values() {
        for item in &seg.items {
            if let ConstValue::FuncRef(f) = item {
                candidates.push(*f);
            }
        }
    }
    for g in m.globals.values() {
        if let ConstValue::FuncRef(f) = g.init {
            candidates.push(f);
        }
    }
    for e in &m.exports {
        if let ExportItem::Func(f) = e.item {
            candidates.push(f);
        }
    }
    for f in candidates {
        add(m, f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_wat(text: &str) -> Result<usize> {
        let wasm = wat::parse_str(text).expect("valid wat");
        let options = CompileOptions::default();
        parse(&wasm, &options).map(|m| m.functions.len())
    }

    #[test]
    fn unknown_imports_are_all_listed() {
        let err = parse_wat(
            r#"(module
                (import "env" "foo" (func))
                (import "wali" "SYS_nope" (func))
                (import "wali" "SYS_write" (func (param i32 i32 i32) (result i64))))"#,
        )
        .expect_err("refused");
        let text = err.to_string();
        assert!(text.contains("env.foo"), "{text}");
        assert!(text.contains("wali.SYS_nope"), "{text}");
        assert!(!text.contains("SYS_write"), "{text}");
    }

    #[test]
    fn any_signature_of_a_known_import_links() {
        // SYS_exit appears both as (i32) -> i64 and (i32) -> nil; odd variants still link.
        assert!(parse_wat(r#"(module (import "wali" "SYS_exit" (func (param i32))))"#).is_ok());
        assert!(parse_wat(
            r#"(module (import "wali" "SYS_exit" (func (param i64 i64) (result i32))))"#
        )
        .is_ok());
    }

    #[test]
    fn v128_globals_take_two_slots() {
        let wasm = wat::parse_str(
            r#"(module
                (global (mut v128) (v128.const i64x2 1 2))
                (global (mut i32) (i32.const 3))
                (func (result v128) (i8x16.relaxed_swizzle (global.get 0) (global.get 0))))"#,
        )
        .expect("valid wat");
        let m = parse(&wasm, &CompileOptions::default()).expect("SIMD and relaxed SIMD parse");
        assert_eq!(m.globals[GlobalIndex::from_u32(0)].slot, Some(0));
        assert_eq!(m.globals[GlobalIndex::from_u32(1)].slot, Some(2));
        assert_eq!(m.num_global_slots, 3);
        assert_eq!(
            m.globals[GlobalIndex::from_u32(0)].init,
            ConstValue::V128(2 << 64 | 1)
        );
    }

    #[test]
    fn imports_with_v128_are_refused() {
        let err =
            parse_wat(r#"(module (import "env" "f" (func (param v128))))"#).expect_err("refused");
        assert!(err.to_string().contains("v128"), "{err}");
    }

    #[test]
    fn exception_instructions_are_refused() {
        let wasm = wat::parse_str(r#"(module (tag $e) (func (throw $e)))"#).unwrap();
        let err = parse(&wasm, &CompileOptions::default())
            .err()
            .expect("refused");
        assert!(err.to_string().contains("exception"), "{err}");
    }

    #[test]
    fn malformed_input_reports_an_offset() {
        let err = parse(b"\0asm\x01\0\0\0\x01\xff", &CompileOptions::default())
            .err()
            .expect("refused");
        assert!(
            matches!(err, Error::Invalid { offset, .. } if offset > 0),
            "{err}"
        );
    }

    #[test]
    fn stack_pointer_is_found_by_name_or_as_first_mutable_i32() {
        let wasm = wat::parse_str(
            r#"(module (global $a (mut i64) (i64.const 0)) (global $__stack_pointer (mut i32) (i32.const 9))
                       (global $b (mut i32) (i32.const 1)))"#,
        )
        .unwrap();
        let m = parse(&wasm, &CompileOptions::default()).unwrap();
        assert_eq!(m.stack_pointer, Some(GlobalIndex::from_u32(1)));
        let wasm = wat::parse_str(
            r#"(module (global (mut i64) (i64.const 0)) (global (mut i32) (i32.const 9)))"#,
        )
        .unwrap();
        let m = parse(&wasm, &CompileOptions::default()).unwrap();
        assert_eq!(m.stack_pointer, Some(GlobalIndex::from_u32(1)));
        assert_eq!(m.globals[GlobalIndex::from_u32(1)].slot, Some(1));
    }

    #[test]
    fn structurally_equal_types_share_an_id() {
        let wasm = wat::parse_str(
            r#"(module (type (func (param i32))) (type (func)) (type (func (param i32))))"#,
        )
        .unwrap();
        let m = parse(&wasm, &CompileOptions::default()).unwrap();
        assert_eq!(m.canonical_types.len(), 2);
        assert_eq!(
            m.type_ids[TypeIndex::from_u32(0)],
            m.type_ids[TypeIndex::from_u32(2)]
        );
    }

    #[test]
    fn spectest_imports_become_definitions() {
        let wasm = wat::parse_str(
            r#"(module (import "spectest" "print_i32" (func (param i32)))
                       (import "spectest" "global_i32" (global i32))
                       (import "spectest" "table" (table 10 funcref))
                       (import "spectest" "memory" (memory 1)))"#,
        )
        .unwrap();
        assert!(parse(&wasm, &CompileOptions::default()).is_err());
        let options = CompileOptions {
            spectest: true,
            ..CompileOptions::default()
        };
        let m = parse(&wasm, &options).unwrap();
        assert_eq!(
            m.globals[GlobalIndex::from_u32(0)].init,
            ConstValue::I32(666)
        );
        assert_eq!(m.tables[TableIndex::from_u32(0)].max, Some(20));
        assert_eq!(m.memory.map(|m| m.max), Some(2));
        assert_eq!(
            m.functions[FuncIndex::from_u32(0)]
                .import
                .as_ref()
                .and_then(|k| k.symbol())
                .as_deref(),
            Some("walic_spectest_print_i32")
        );
    }
}
