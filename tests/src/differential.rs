//! The differential suite driver: finds the programs under `tests/programs/`, builds each once
//! both ways, runs every case natively and through WALI on a small worker pool, compares the
//! outcomes, runs the import check over every module built, and reports.
//!
//! The report names each failing test with a one-line reason as it finishes, then gives the
//! details (diffs of both outputs) of every failure, and closes with the line
//! `N passed, N failed`.

use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use crate::compare::compare;
use crate::header::{self, Case, Header, Termination};
use crate::import_check;
use crate::run::{remove_tree, run_case, run_with_timeout, termination_of, Outcome};
use crate::toolchain::{build_program, workspace_root, Built, Toolchain};

/// Options of one run of the suite.
#[derive(Clone, Debug)]
pub struct Options {
    /// Substrings; a test runs when its name contains one of them (all run when empty).
    pub filters: Vec<String>,
    /// Number of worker threads.
    pub jobs: usize,
    /// Keep every build and run directory, not only those of failures.
    pub keep: bool,
    /// Where the test programs are (`tests/programs`).
    pub programs_dir: PathBuf,
    /// Where the README's example programs are (`examples`); they are tested too.
    pub examples_dir: PathBuf,
}

impl Options {
    /// Options from the command line (`[FILTER…]`; arguments starting with `-` are cargo's and
    /// ignored) and the environment (`WALIC_TEST_FILTER`, `WALIC_TEST_JOBS`, `WALIC_TEST_KEEP`).
    pub fn from_env_and_args(args: impl Iterator<Item = String>) -> Options {
        let mut filters: Vec<String> = args
            .filter(|a| !a.starts_with('-') && !a.is_empty())
            .collect();
        if let Ok(filter) = std::env::var("WALIC_TEST_FILTER") {
            filters.extend(
                filter
                    .split([',', ' '])
                    .filter(|f| !f.is_empty())
                    .map(String::from),
            );
        }
        let jobs = std::env::var("WALIC_TEST_JOBS")
            .ok()
            .and_then(|j| j.parse().ok())
            .filter(|&j| j > 0)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
        let keep = std::env::var_os("WALIC_TEST_KEEP").is_some_and(|v| !v.is_empty() && v != "0");
        let root = workspace_root();
        Options {
            filters,
            jobs,
            keep,
            programs_dir: root.join("tests/programs"),
            examples_dir: root.join("examples"),
        }
    }

    fn selects(&self, name: &str) -> bool {
        self.filters.is_empty() || self.filters.iter().any(|f| name.contains(f.as_str()))
    }
}

/// One program found under the programs directory.
#[derive(Debug)]
struct Program {
    /// `<area>/<name>`.
    name: String,
    source: PathBuf,
    header: Result<Header, String>,
    build: OnceLock<Built>,
}

/// One test's result.
#[derive(Clone, Debug)]
pub struct TestResult {
    /// The test's name.
    pub name: String,
    /// Whether it passed.
    pub passed: bool,
    /// One line: why it failed, or how long the runs took.
    pub summary: String,
    /// Everything else worth showing for a failure.
    pub detail: String,
}

/// Finds `<programs_dir>/<area>/<name>.c` and `<examples_dir>/<name>.c` (area `examples`), sorted
/// by name.
fn discover(programs_dir: &Path, examples_dir: &Path) -> Result<Vec<Program>, String> {
    let mut programs = Vec::new();
    let areas = std::fs::read_dir(programs_dir)
        .map_err(|e| format!("cannot read {}: {e}", programs_dir.display()))?;
    let mut directories: Vec<(String, PathBuf)> = areas
        .flatten()
        .filter(|area| area.path().is_dir())
        .map(|area| (area.file_name().to_string_lossy().into_owned(), area.path()))
        .collect();
    if examples_dir.is_dir() {
        directories.push(("examples".to_string(), examples_dir.to_path_buf()));
    }
    for (area, directory) in directories {
        let Ok(entries) = std::fs::read_dir(&directory) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "c") && path.is_file() {
                let name = format!(
                    "{area}/{}",
                    path.file_stem().unwrap_or_default().to_string_lossy()
                );
                let header = header::read(&path);
                programs.push(Program {
                    name,
                    source: path,
                    header,
                    build: OnceLock::new(),
                });
            }
        }
    }
    programs.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(programs)
}

fn case_name(program: &Program, case: &Case) -> String {
    match &case.name {
        Some(name) => format!("{}#{name}", program.name),
        None => program.name.clone(),
    }
}

fn seconds(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

/// Runs one case: builds the program (once), runs both builds, compares.
fn run_one(tools: &Toolchain, program: &Program, case: &Case, work: &Path) -> TestResult {
    let name = case_name(program, case);
    let failed = |summary: String, detail: String| TestResult {
        name: name.clone(),
        passed: false,
        summary,
        detail,
    };
    let build_dir = work.join("build").join(&program.name);
    let built = program.build.get_or_init(|| {
        let header = program
            .header
            .as_ref()
            .expect("only programs with a header are run");
        build_program(tools, &program.source, &header.build, &build_dir)
    });
    let run_dir = work.join("run").join(name.replace('#', "@"));
    remove_tree(&run_dir);
    let program_dir = program.source.parent().unwrap_or(Path::new("."));

    let native = match &built.native {
        Ok(executable) => run_case(executable, case, program_dir, &run_dir.join("native")),
        Err(reason) => Err(format!("native build: {reason}")),
    };
    let wasm = match &built.wasm {
        Ok(executable) => run_case(executable, case, program_dir, &run_dir.join("wasm")),
        Err(reason) => Err(format!("wasm build: {reason}")),
    };
    let kept = format!("    (kept: {})\n", run_dir.display());
    match (native, wasm) {
        (Ok(native), Ok(wasm)) => {
            let mismatches = compare(case, &native, &wasm);
            if mismatches.is_empty() {
                return TestResult {
                    name,
                    passed: true,
                    summary: format!(
                        "native {}, wasm {}",
                        seconds(native.duration),
                        seconds(wasm.duration)
                    ),
                    detail: String::new(),
                };
            }
            let summary = mismatches
                .iter()
                .map(|m| m.summary.as_str())
                .collect::<Vec<_>>()
                .join("; ");
            let mut detail: String = mismatches
                .iter()
                .filter(|m| !m.detail.is_empty())
                .map(|m| format!("  {}:\n{}", m.summary, m.detail))
                .collect();
            detail.push_str(&show_outcome("native", &native));
            detail.push_str(&show_outcome("wasm", &wasm));
            detail.push_str(&kept);
            failed(summary, detail)
        }
        (native, wasm) => {
            let mut reasons = Vec::new();
            let mut detail = String::new();
            for (side, result) in [("native", &native), ("wasm", &wasm)] {
                match result {
                    Err(reason) => {
                        let mut lines = reason.lines();
                        reasons.push(lines.next().unwrap_or_default().to_string());
                        detail.extend(lines.map(|l| format!("{l}\n")));
                    }
                    Ok(outcome) => {
                        reasons.push(format!(
                            "({side} ran: {})",
                            lone_run_verdict(case, side, outcome)
                        ));
                        detail.push_str(&show_outcome(side, outcome));
                    }
                }
            }
            detail.push_str(&kept);
            failed(reasons.join("; "), detail)
        }
    }
}

/// What one side's run says on its own, when there is nothing to compare it with: how it ended,
/// against what the header declares for that side.
fn lone_run_verdict(case: &Case, side: &str, outcome: &Outcome) -> String {
    let Some(termination) = outcome.termination else {
        return "timed out".into();
    };
    let expected = if side == "native" {
        match (case.native_termination, case.wasm_termination) {
            (Some(t), _) => Some(t),
            (None, Some(_)) => {
                return if termination.is_success() {
                    format!("{termination}, expected a failure")
                } else {
                    format!("{termination}, as expected")
                };
            }
            (None, None) => None,
        }
    } else {
        case.wasm_termination.or(case.native_termination)
    };
    match expected {
        Some(t) if t != termination => format!("{termination}, expected {t}"),
        Some(_) => format!("{termination}, as expected"),
        None => termination.to_string(),
    }
}

/// The end of an output, for failure reports.
fn show_outcome(side: &str, outcome: &Outcome) -> String {
    let status = outcome
        .termination
        .map_or_else(|| "timed out".to_string(), |t: Termination| t.to_string());
    let mut out = format!(
        "  {side}: {status}, {} ({} bytes stdout, {} bytes stderr)\n",
        seconds(outcome.duration),
        outcome.stdout.len(),
        outcome.stderr.len()
    );
    if !outcome.stderr.is_empty() {
        let text = String::from_utf8_lossy(&outcome.stderr);
        let lines: Vec<&str> = text.lines().collect();
        let start = lines.len().saturating_sub(10);
        out.push_str(&format!(
            "  {side} stderr{}:\n",
            if start > 0 { " (last 10 lines)" } else { "" }
        ));
        for line in &lines[start..] {
            out.push_str(&format!("    {line}\n"));
        }
    }
    out
}

/// Runs the import check (ours, and the toolchain's `tests/toolchain/check-imports.*` when there
/// is one) on one module.
fn check_imports(module: &Path) -> Vec<String> {
    let mut problems = import_check::check_file(module);
    if let Some(script) = toolchain_import_checker() {
        let mut command = script_command(&script);
        command.arg(module).stdin(std::process::Stdio::null());
        match command.output() {
            Ok(output) if output.status.success() => {}
            Ok(output) => {
                let text = String::from_utf8_lossy(&output.stdout).into_owned()
                    + &String::from_utf8_lossy(&output.stderr);
                problems.push(format!(
                    "{} failed ({})",
                    script.display(),
                    termination_of(output.status)
                ));
                problems.extend(
                    text.lines()
                        .filter(|l| !l.trim().is_empty())
                        .map(|l| format!("  {l}")),
                );
            }
            Err(error) => problems.push(format!("cannot run {}: {error}", script.display())),
        }
    }
    problems
}

/// The toolchain's scripts `tests/toolchain/check-*.{sh,py}`, sorted.
fn toolchain_scripts() -> Vec<PathBuf> {
    let dir = workspace_root().join("tests/toolchain");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("check-"))
        })
        .filter(|p| p.extension().is_some_and(|e| e == "sh" || e == "py"))
        .collect();
    found.sort();
    found
}

fn is_import_checker(script: &Path) -> bool {
    script.file_stem().is_some_and(|s| s == "check-imports")
}

fn toolchain_import_checker() -> Option<PathBuf> {
    toolchain_scripts()
        .into_iter()
        .find(|s| is_import_checker(s))
}

/// Runs one of the toolchain's own checks (`tests/toolchain/check-<name>.*`, other than the import
/// checker) with a fresh output directory as its one argument; one test, `toolchain/<name>`.
fn run_toolchain_check(script: &Path, name: String, work: &Path) -> TestResult {
    let stem = script
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let out_dir = work.join("toolchain").join(&stem);
    remove_tree(&out_dir);
    let log_path = work.join("toolchain").join(format!("{stem}.log"));
    let outcome = std::fs::create_dir_all(&out_dir).and_then(|()| {
        let log = std::fs::File::create(&log_path)?;
        let mut command = script_command(script);
        command
            .arg(&out_dir)
            .current_dir(workspace_root())
            .stdin(std::process::Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log);
        run_with_timeout(&mut command, Duration::from_secs(600))
    });
    let output = std::fs::read_to_string(&log_path).unwrap_or_default();
    let last_line = output
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("(no output)")
        .to_string();
    let detail: String = output.lines().map(|l| format!("    {l}\n")).collect();
    match outcome {
        Ok(Some(status)) if status.success() => TestResult {
            name,
            passed: true,
            summary: last_line,
            detail: String::new(),
        },
        Ok(Some(status)) => TestResult {
            name,
            passed: false,
            summary: format!(
                "{} failed ({}): {last_line}",
                script.display(),
                termination_of(status)
            ),
            detail,
        },
        Ok(None) => TestResult {
            name,
            passed: false,
            summary: format!("{} timed out", script.display()),
            detail,
        },
        Err(error) => TestResult {
            name,
            passed: false,
            summary: format!("cannot run {}: {error}", script.display()),
            detail,
        },
    }
}

/// A command that runs `script`: through bash or python3 by its extension, else directly.
fn script_command(script: &Path) -> std::process::Command {
    let interpreter = match script.extension().and_then(|e| e.to_str()) {
        Some("sh") => Some("bash"),
        Some("py") => Some("python3"),
        _ => None,
    };
    match interpreter {
        Some(interpreter) => {
            let mut command = std::process::Command::new(interpreter);
            command.arg(script);
            command
        }
        None => std::process::Command::new(script),
    }
}

/// Runs the suite and prints the report; returns whether everything passed.
pub fn run_suite(options: &Options) -> bool {
    let started = Instant::now();
    let tools = Toolchain::locate();
    let work = std::env::temp_dir().join(format!("walic-differential-{}", std::process::id()));
    remove_tree(&work);

    let programs = match discover(&options.programs_dir, &options.examples_dir) {
        Ok(programs) => programs,
        Err(reason) => {
            println!("FAIL differential suite: {reason}");
            println!("0 passed, 1 failed");
            return false;
        }
    };
    let mut results: Vec<TestResult> = Vec::new();
    let mut queue: VecDeque<(usize, usize)> = VecDeque::new();
    for (p, program) in programs.iter().enumerate() {
        match &program.header {
            Err(reason) => {
                if options.selects(&program.name) {
                    results.push(TestResult {
                        name: program.name.clone(),
                        passed: false,
                        summary: format!("bad header: {reason}"),
                        detail: String::new(),
                    });
                }
            }
            Ok(header) => {
                for (c, case) in header.cases.iter().enumerate() {
                    if options.selects(&case_name(program, case)) {
                        queue.push_back((p, c));
                    }
                }
            }
        }
    }
    for result in &results {
        println!("FAIL {}: {}", result.name, result.summary);
    }
    let total_cases = queue.len();
    println!(
        "differential: {total_cases} cases of {} programs, {} workers; gcc: {}, wali-cc: {}, walic: {}",
        programs.len(),
        options.jobs,
        show_tool(&tools.gcc),
        show_tool(&tools.wali_cc),
        show_tool(&tools.walic)
    );

    let queue = Mutex::new(queue);
    let finished: Mutex<Vec<TestResult>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..options.jobs.max(1) {
            scope.spawn(|| loop {
                let Some((p, c)) = queue.lock().expect("queue lock").pop_front() else {
                    break;
                };
                let program = &programs[p];
                let case = &program
                    .header
                    .as_ref()
                    .expect("queued programs have headers")
                    .cases[c];
                let result = run_one(&tools, program, case, &work);
                if result.passed {
                    println!("ok   {} ({})", result.name, result.summary);
                    if !options.keep {
                        remove_tree(&work.join("run").join(result.name.replace('#', "@")));
                    }
                } else {
                    println!("FAIL {}: {}", result.name, result.summary);
                }
                finished.lock().expect("results lock").push(result);
            });
        }
    });
    let mut finished = finished.into_inner().expect("results lock");
    finished.sort_by(|a, b| a.name.cmp(&b.name));
    results.extend(finished);

    // The import check of every module that was built.
    let checker = toolchain_import_checker();
    for program in &programs {
        let Some(module) = program.build.get().and_then(|b| b.wasm_module.clone()) else {
            continue;
        };
        let name = format!("imports:{}", program.name);
        let problems = check_imports(&module);
        let result = if problems.is_empty() {
            TestResult {
                name,
                passed: true,
                summary: String::new(),
                detail: String::new(),
            }
        } else {
            let summary = if problems.len() == 1 {
                problems[0].clone()
            } else {
                format!("{} (and {} more problems)", problems[0], problems.len() - 1)
            };
            TestResult {
                name,
                passed: false,
                summary,
                detail: problems.iter().map(|p| format!("    {p}\n")).collect(),
            }
        };
        println!(
            "{} {}{}",
            if result.passed { "ok  " } else { "FAIL" },
            result.name,
            if result.passed {
                String::new()
            } else {
                format!(": {}", result.summary)
            }
        );
        results.push(result);
    }
    if let Some(script) = checker {
        println!("import check: also ran {}", script.display());
    }
    for script in toolchain_scripts().iter().filter(|s| !is_import_checker(s)) {
        let name = format!(
            "toolchain/{}",
            script
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .trim_start_matches("check-")
        );
        if !options.selects(&name) {
            continue;
        }
        let result = run_toolchain_check(script, name, &work);
        println!(
            "{} {}: {}",
            if result.passed { "ok  " } else { "FAIL" },
            result.name,
            result.summary
        );
        results.push(result);
    }

    let failures: Vec<&TestResult> = results.iter().filter(|r| !r.passed).collect();
    if !failures.is_empty() {
        println!("\nfailures:");
        for failure in &failures {
            println!("\n---- {}: {}", failure.name, failure.summary);
            print!("{}", failure.detail);
        }
        println!("\nfailed:");
        for failure in &failures {
            println!(
                "    {}: {}",
                failure.name,
                failure.summary.lines().next().unwrap_or_default()
            );
        }
    }
    if failures.is_empty() && !options.keep {
        remove_tree(&work);
    } else {
        println!("\nbuilds and failed runs kept in {}", work.display());
    }
    let by_area = area_counts(&results);
    println!("\nby area: {by_area}");
    println!("differential suite took {}", seconds(started.elapsed()));
    println!(
        "{}",
        closing_line(results.len() - failures.len(), failures.len())
    );
    failures.is_empty() && !results.is_empty()
}

fn show_tool(tool: &Result<PathBuf, String>) -> String {
    match tool {
        Ok(path) => path.display().to_string(),
        Err(_) => "MISSING".to_string(),
    }
}

fn area_counts(results: &[TestResult]) -> String {
    let mut areas: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for result in results {
        let area = result
            .name
            .trim_start_matches("imports:")
            .split('/')
            .next()
            .unwrap_or_default()
            .to_string();
        let entry = areas.entry(area).or_default();
        if result.passed {
            entry.0 += 1;
        } else {
            entry.1 += 1;
        }
    }
    areas
        .iter()
        .map(|(area, (p, f))| format!("{area} {p}/{}", p + f))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The closing line CI reads.
pub fn closing_line(passed: usize, failed: usize) -> String {
    format!("{passed} passed, {failed} failed")
}

/// The entry point of `tests/tests/differential.rs`: options from the command line and the
/// environment, the suite, and the exit status (non-zero on any failure).
pub fn main() -> ! {
    let options = Options::from_env_and_args(std::env::args().skip(1));
    let passed = run_suite(&options);
    std::process::exit(if passed { 0 } else { 1 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_select_by_substring() {
        let options = Options {
            filters: vec!["stdio".into(), "#many".into()],
            jobs: 1,
            keep: false,
            programs_dir: PathBuf::new(),
            examples_dir: PathBuf::new(),
        };
        assert!(options.selects("stdio/printf"));
        assert!(options.selects("argv/print#many"));
        assert!(!options.selects("math/basic"));
        let all = Options {
            filters: vec![],
            ..options
        };
        assert!(all.selects("anything"));
    }

    #[test]
    fn closing_line_format() {
        assert_eq!(closing_line(3, 0), "3 passed, 0 failed");
    }

    #[test]
    fn every_program_header_parses() {
        let root = workspace_root();
        let programs = discover(&root.join("tests/programs"), &root.join("examples")).unwrap();
        assert!(programs.iter().any(|p| p.name == "examples/wc"));
        for program in &programs {
            if let Err(reason) = &program.header {
                panic!("{}: {reason}", program.name);
            }
        }
    }

    #[test]
    fn verdict_of_a_lone_run() {
        let outcome = Outcome {
            termination: Some(Termination::Signal(8)),
            stdout: vec![],
            stderr: vec![],
            files: BTreeMap::new(),
            duration: Duration::ZERO,
        };
        let trap = Case {
            wasm_termination: Some(Termination::Exit(134)),
            ..Case::default()
        };
        assert_eq!(
            lone_run_verdict(&trap, "native", &outcome),
            "killed by SIGFPE, as expected"
        );
        assert_eq!(
            lone_run_verdict(&trap, "wasm", &outcome),
            "killed by SIGFPE, expected exit status 134"
        );
    }
}
