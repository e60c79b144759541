//! Runs spec-test modules through walic: compile in spec-test mode, link with the runtime built
//! with its `spectest-driver` feature, and talk to the program over stdin/stdout.

use std::io::{BufRead, BufReader, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::{Answer, Engine, InstanceOutcome};

/// How long one module's program may run before it is killed.
const PROGRAM_TIMEOUT: Duration = Duration::from_secs(60);

/// The walic engine.
pub struct WalicEngine {
    runtime: PathBuf,
    work_dir: PathBuf,
    next: AtomicUsize,
}

impl WalicEngine {
    /// An engine linking with the spec-driver runtime archive `runtime`, writing programs into
    /// `work_dir`.
    pub fn new(runtime: PathBuf, work_dir: PathBuf) -> WalicEngine {
        WalicEngine {
            runtime,
            work_dir,
            next: AtomicUsize::new(0),
        }
    }

    fn options() -> walic::CompileOptions {
        // The specification's call_indirect traps on every type mismatch.
        walic::CompileOptions {
            spectest: true,
            strict_indirect_calls: true,
            ..Default::default()
        }
    }

    /// Compiles, turning a compiler panic into an error so one bad module cannot stop the suite.
    fn compile(wasm: &[u8]) -> Result<Vec<u8>, String> {
        match catch_unwind(AssertUnwindSafe(|| walic::compile(wasm, &Self::options()))) {
            Ok(Ok(object)) => Ok(object),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err("walic panicked".to_string()),
        }
    }
}

impl Engine for WalicEngine {
    fn compile_only(&self, wasm: &[u8]) -> Result<(), String> {
        Self::compile(wasm).map(|_| ())
    }

    fn run(&self, wasm: &[u8], requests: &[String]) -> InstanceOutcome {
        let object = match Self::compile(wasm) {
            Ok(object) => object,
            Err(e) => return InstanceOutcome::Failed(format!("compile: {e}")),
        };
        let exe = self.work_dir.join(format!(
            "module{}",
            self.next.fetch_add(1, Ordering::Relaxed)
        ));
        if let Err(e) = walic::link(&[&object], &self.runtime, &exe) {
            return InstanceOutcome::Failed(format!("link: {e}"));
        }
        let outcome = converse(&exe, requests);
        let _ = std::fs::remove_file(&exe);
        outcome
    }
}

/// Runs the program, sends every request, and collects the answers.
fn converse(exe: &Path, requests: &[String]) -> InstanceOutcome {
    let mut child = match Command::new(exe)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => return InstanceOutcome::Failed(format!("cannot run {}: {e}", exe.display())),
    };
    let mut input = requests.join("\n");
    input.push('\n');
    let mut stdin = child.stdin.take().expect("piped stdin");
    let writer = std::thread::spawn(move || {
        // The program may exit early (instantiation trap); a broken pipe is expected then.
        let _ = stdin.write_all(input.as_bytes());
    });
    let stdout = child.stdout.take().expect("piped stdout");
    let reader = std::thread::spawn(move || {
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .collect::<Vec<String>>()
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() > PROGRAM_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(_) => break None,
        }
    };
    let _ = writer.join();
    let lines = reader.join().unwrap_or_default();
    let mut stderr = String::new();
    if let Some(mut err) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut err, &mut stderr);
    }
    let Some(status) = status else {
        return InstanceOutcome::Failed(format!("timed out after {PROGRAM_TIMEOUT:?}"));
    };
    let mut lines = lines.into_iter();
    match lines.next().as_deref() {
        Some("ready") => {}
        Some(line) if line.starts_with("trap ") => {
            return InstanceOutcome::InstantiationTrap(line["trap ".len()..].to_string());
        }
        other => {
            return InstanceOutcome::Failed(format!(
                "program did not start ({status}, first line {other:?}): {}",
                stderr.trim()
            ))
        }
    }
    let answers: Vec<Answer> = lines.map(|line| Answer::parse(&line)).collect();
    if answers.len() < requests.len() {
        let mut answers = answers;
        answers.push(Answer::Error(format!(
            "program ended ({status}): {}",
            stderr.trim()
        )));
        return InstanceOutcome::Answers(answers);
    }
    InstanceOutcome::Answers(answers)
}
