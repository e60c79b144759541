//! The WALI import table: every name a WALI module may import from module `wali`, with the wasm
//! signatures real binaries use.
//!
//! Syscalls come from `imports.tsv` (a copy of `shared/wali/imports.tsv`, kept identical by a test);
//! the auxiliary imports are those of ABI.md §2 and §1.6 item 6.

/// A wasm value type as it appears in an import signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValType {
    /// i32
    I32,
    /// i64
    I64,
}

/// One wasm signature an import may be declared with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    /// Parameter types.
    pub params: Vec<ValType>,
    /// Result types (zero or one).
    pub results: Vec<ValType>,
}

/// Whether the WALI specification requires a runtime to implement an import.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// A runtime must implement it.
    Implemented,
    /// The libc may import it; a runtime must link it (walic returns `-ENOSYS` unless noted).
    Unimplemented,
    /// An auxiliary (non-syscall) import.
    Auxiliary,
}

/// One importable `wali` name.
#[derive(Clone, Debug)]
pub struct ImportInfo {
    /// The import name, e.g. `SYS_read` or `__proc_exit`.
    pub name: String,
    /// The x86-64 syscall number, for syscalls.
    pub syscall_number: Option<u32>,
    /// Spec status.
    pub status: Status,
    /// Every signature seen in the WALI libc and real binaries.
    pub signatures: Vec<Signature>,
}

/// The table as shipped with walic.
pub const IMPORTS_TSV: &str = include_str!("imports.tsv");

/// Auxiliary imports (ABI.md §2 and §1.6 item 6) and their signatures.
const AUXILIARY: &[(&str, &str)] = &[
    ("__init", "() -> i32"),
    ("__deinit", "() -> i32"),
    ("__proc_exit", "(i32) -> nil"),
    ("__cl_get_argc", "() -> i32"),
    ("__cl_get_argv_len", "(i32) -> i32"),
    ("__cl_copy_argv", "(i32, i32) -> i32"),
    ("__get_init_envfile", "(i32, i32) -> i32"),
    ("__wasm_thread_spawn", "(i32, i32) -> i32"),
    ("setjmp", "(i32) -> i32"),
    ("_setjmp", "(i32) -> i32"),
    ("sigsetjmp", "(i32, i32) -> i32"),
    ("longjmp", "(i32, i32) -> nil"),
    ("_longjmp", "(i32, i32) -> nil"),
];

/// The names whose calls are compiled as the first return of a setjmp (ABI.md §8).
pub const SETJMP_IMPORTS: &[&str] = &["setjmp", "_setjmp", "sigsetjmp"];

/// Parses a signature written as in imports.tsv: `(i32, i64) -> i64` or `() -> nil`.
pub fn parse_signature(text: &str) -> Option<Signature> {
    let (params, result) = text.trim().split_once("->")?;
    let params = params.trim().strip_prefix('(')?.strip_suffix(')')?;
    let parse_type = |t: &str| match t.trim() {
        "i32" => Some(ValType::I32),
        "i64" => Some(ValType::I64),
        _ => None,
    };
    let params = if params.trim().is_empty() {
        Vec::new()
    } else {
        params
            .split(',')
            .map(parse_type)
            .collect::<Option<Vec<_>>>()?
    };
    let results = match result.trim() {
        "nil" => Vec::new(),
        other => vec![parse_type(other)?],
    };
    Some(Signature { params, results })
}

/// Every importable name: the syscalls of imports.tsv followed by the auxiliary imports.
pub fn all() -> Vec<ImportInfo> {
    let mut imports: Vec<ImportInfo> = IMPORTS_TSV
        .lines()
        .filter(|line| !line.starts_with('#') && !line.starts_with("nr\t") && !line.is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            let status = if fields[2] == "impl" {
                Status::Implemented
            } else {
                Status::Unimplemented
            };
            ImportInfo {
                name: fields[1].to_string(),
                syscall_number: fields[0].parse().ok(),
                status,
                signatures: fields[3]
                    .split('|')
                    .map(|s| parse_signature(s).expect("imports.tsv signature"))
                    .collect(),
            }
        })
        .collect();
    imports.extend(AUXILIARY.iter().map(|(name, sig)| ImportInfo {
        name: name.to_string(),
        syscall_number: None,
        status: Status::Auxiliary,
        signatures: vec![parse_signature(sig).expect("auxiliary signature")],
    }));
    imports
}

/// The entry for `name`, if walic knows it.
pub fn lookup(name: &str) -> Option<ImportInfo> {
    all().into_iter().find(|i| i.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_every_syscall_and_auxiliary() {
        let all = all();
        let syscalls = all.iter().filter(|i| i.syscall_number.is_some()).count();
        assert_eq!(syscalls, 272);
        let implemented = all
            .iter()
            .filter(|i| i.status == Status::Implemented)
            .count();
        assert_eq!(implemented, 140);
        assert!(lookup("__wasm_thread_spawn").is_some());
        assert!(lookup("SYS_nonexistent").is_none());
    }

    #[test]
    fn exit_has_both_signatures() {
        let exit = lookup("SYS_exit").unwrap();
        assert_eq!(exit.signatures.len(), 2);
        assert!(exit.signatures.iter().any(|s| s.results.is_empty()));
    }

    #[test]
    fn copy_matches_shared_contract() {
        let shared = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/wali/imports.tsv");
        if let Ok(text) = std::fs::read_to_string(shared) {
            assert_eq!(
                text, IMPORTS_TSV,
                "loader/src/imports.tsv differs from {shared}"
            );
        }
    }

    #[test]
    fn signatures_parse() {
        let s = parse_signature("(i32, i64) -> i64").unwrap();
        assert_eq!(s.params, vec![ValType::I32, ValType::I64]);
        assert_eq!(s.results, vec![ValType::I64]);
        assert!(parse_signature("() -> nil").unwrap().params.is_empty());
        assert!(parse_signature("(f32) -> i32").is_none());
    }
}
