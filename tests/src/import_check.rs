//! The import check: every import of a WALI module must be a function from module `wali` whose
//! name is in walic's import table ([`walic_loader::imports`]) with one of the signatures listed
//! there. A module that passes links against walic's runtime; one that fails shows a toolchain
//! (musl port, `wali-cc`) or contract bug before any code runs.

use std::path::Path;

use walic_loader::imports::{self, Signature, ValType};
use wasmparser::{
    CompositeInnerType, FuncType, Parser, Payload, TypeRef, ValType as WasmValType, Validator,
    WasmFeatures,
};

/// Checks the module in `bytes`; returns one line per problem (empty: the module passes).
pub fn check_module(bytes: &[u8]) -> Vec<String> {
    let mut problems = Vec::new();
    if let Err(error) = Validator::new_with_features(WasmFeatures::all()).validate_all(bytes) {
        problems.push(format!(
            "the module does not validate: {}",
            one_line(&error.to_string())
        ));
        return problems;
    }
    let table = imports::all();
    let mut types: Vec<Option<FuncType>> = Vec::new();
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = match payload {
            Ok(payload) => payload,
            Err(error) => {
                problems.push(format!("cannot parse the module: {error}"));
                break;
            }
        };
        match payload {
            Payload::TypeSection(reader) => {
                for group in reader {
                    match group {
                        Ok(group) => {
                            types.extend(group.into_types().map(|t| match t.composite_type.inner {
                                CompositeInnerType::Func(func_type) => Some(func_type),
                                _ => None,
                            }))
                        }
                        Err(error) => {
                            problems.push(format!("cannot read the type section: {error}"))
                        }
                    }
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = match import {
                        Ok(import) => import,
                        Err(error) => {
                            problems.push(format!("cannot read the import section: {error}"));
                            break;
                        }
                    };
                    let what = format!("{}.{}", import.module, import.name);
                    let type_index = match import.ty {
                        TypeRef::Func(index) | TypeRef::FuncExact(index) => index,
                        other => {
                            problems.push(format!(
                                "{what}: imports a {}, not a function",
                                kind_name(&other)
                            ));
                            continue;
                        }
                    };
                    if import.module != "wali" {
                        problems.push(format!(
                            "{what}: imported from module `{}`, not `wali`",
                            import.module
                        ));
                        continue;
                    }
                    let Some(info) = table.iter().find(|i| i.name == import.name) else {
                        problems.push(format!("{what}: not in walic's import table"));
                        continue;
                    };
                    let Some(Some(func_type)) = types.get(type_index as usize) else {
                        problems.push(format!("{what}: type {type_index} is not a function type"));
                        continue;
                    };
                    match signature_of(func_type) {
                        Some(signature) if info.signatures.contains(&signature) => {}
                        _ => problems.push(format!(
                            "{what}: signature {} is not one of {}",
                            show_func_type(func_type),
                            info.signatures
                                .iter()
                                .map(show_signature)
                                .collect::<Vec<_>>()
                                .join(" | ")
                        )),
                    }
                }
            }
            _ => {}
        }
    }
    problems
}

/// Checks the module in the file at `path`.
pub fn check_file(path: &Path) -> Vec<String> {
    match std::fs::read(path) {
        Ok(bytes) => check_module(&bytes),
        Err(error) => vec![format!("cannot read {}: {error}", path.display())],
    }
}

/// `text` with every run of whitespace (newlines included) made one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn kind_name(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::Func(_) | TypeRef::FuncExact(_) => "function",
        TypeRef::Table(_) => "table",
        TypeRef::Memory(_) => "memory",
        TypeRef::Global(_) => "global",
        TypeRef::Tag(_) => "tag",
    }
}

/// The import-table form of a wasm function type, if it uses only i32 and i64.
fn signature_of(func_type: &FuncType) -> Option<Signature> {
    let convert = |types: &[WasmValType]| {
        types
            .iter()
            .map(|t| match t {
                WasmValType::I32 => Some(ValType::I32),
                WasmValType::I64 => Some(ValType::I64),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()
    };
    Some(Signature {
        params: convert(func_type.params())?,
        results: convert(func_type.results())?,
    })
}

fn show_types(types: impl Iterator<Item = String>) -> String {
    types.collect::<Vec<_>>().join(", ")
}

fn show_func_type(func_type: &FuncType) -> String {
    let results = match func_type.results() {
        [] => "nil".to_string(),
        results => show_types(results.iter().map(|t| t.to_string())),
    };
    format!(
        "({}) -> {results}",
        show_types(func_type.params().iter().map(|t| t.to_string()))
    )
}

fn show_val_type(t: &ValType) -> String {
    match t {
        ValType::I32 => "i32".into(),
        ValType::I64 => "i64".into(),
    }
}

fn show_signature(signature: &Signature) -> String {
    let results = match signature.results.as_slice() {
        [] => "nil".to_string(),
        results => show_types(results.iter().map(show_val_type)),
    };
    format!(
        "({}) -> {results}",
        show_types(signature.params.iter().map(show_val_type))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal binary module: a type section and an import section built by hand.
    fn module(types: &[(&[u8], &[u8])], imports: &[(&str, &str, u8)]) -> Vec<u8> {
        fn section(id: u8, body: Vec<u8>) -> Vec<u8> {
            let mut out = vec![id, body.len() as u8];
            out.extend(body);
            out
        }
        fn name(text: &str) -> Vec<u8> {
            let mut out = vec![text.len() as u8];
            out.extend(text.as_bytes());
            out
        }
        let mut type_body = vec![types.len() as u8];
        for (params, results) in types {
            type_body.push(0x60);
            type_body.push(params.len() as u8);
            type_body.extend(*params);
            type_body.push(results.len() as u8);
            type_body.extend(*results);
        }
        let mut import_body = vec![imports.len() as u8];
        for (module, field, type_index) in imports {
            import_body.extend(name(module));
            import_body.extend(name(field));
            import_body.extend([0x00, *type_index]);
        }
        let mut bytes = b"\0asm\x01\0\0\0".to_vec();
        bytes.extend(section(1, type_body));
        bytes.extend(section(2, import_body));
        bytes
    }

    const I32: u8 = 0x7f;
    const I64: u8 = 0x7e;

    #[test]
    fn known_imports_pass() {
        let bytes = module(
            &[(&[I32, I32, I32], &[I64]), (&[I32], &[]), (&[I32], &[I64])],
            &[
                ("wali", "SYS_read", 0),
                ("wali", "__proc_exit", 1),
                ("wali", "SYS_exit", 1),
                ("wali", "SYS_exit", 2),
            ],
        );
        assert_eq!(check_module(&bytes), Vec::<String>::new());
    }

    #[test]
    fn bad_imports_are_named() {
        let bytes = module(
            &[(&[I32, I32, I32], &[I32]), (&[I32], &[I64])],
            &[
                ("wali", "SYS_read", 0),
                ("env", "SYS_close", 1),
                ("wali", "SYS_nonexistent", 1),
            ],
        );
        let problems = check_module(&bytes);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].starts_with(
            "wali.SYS_read: signature (i32, i32, i32) -> i32 is not one of (i32, i32, i32) -> i64"
        ));
        assert!(problems[1].contains("not `wali`"));
        assert!(problems[2].contains("not in walic's import table"));
    }

    #[test]
    fn garbage_does_not_validate() {
        assert!(check_module(b"\0asm\x01\0\0\0\x01\x05")[0].contains("does not validate"));
    }
}
