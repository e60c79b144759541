//! The tools a differential test needs, found exactly where a user has them after
//! `scripts/setup.sh` and `cargo build --release`, and the two builds of a program.
//!
//! - native: `gcc -O2 <cflags> prog.c -o prog -lm -lpthread`;
//! - WALI: `scripts/wali-cc -O2 <cflags> prog.c -o prog.wasm -lm -lpthread <wasm-cflags>`, then
//!   `target/release/walic <walic-flags> prog.wasm -o prog`.
//!
//! A missing tool is an error with a one-line reason that says how to get it; nothing is skipped.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::header::BuildFlags;
use crate::run::{run_with_timeout, termination_of};

/// The longest any one compiler invocation may take.
const BUILD_TIMEOUT: Duration = Duration::from_secs(600);

/// Where the tools are (each either found or the reason it is not).
#[derive(Clone, Debug)]
pub struct Toolchain {
    /// The native C compiler.
    pub gcc: Result<PathBuf, String>,
    /// The WALI C compiler driver.
    pub wali_cc: Result<PathBuf, String>,
    /// The walic compiler.
    pub walic: Result<PathBuf, String>,
}

/// The repository root (the workspace that holds this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The cargo target directory: `CARGO_TARGET_DIR` when set, else `<workspace>/target`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                workspace_root().join(dir)
            }
        }
        None => workspace_root().join("target"),
    }
}

fn find_in_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

fn executable_at(path: PathBuf, how_to_get_it: &str) -> Result<PathBuf, String> {
    if is_executable(&path) {
        Ok(path)
    } else {
        Err(format!("{} not found ({how_to_get_it})", path.display()))
    }
}

impl Toolchain {
    /// Finds the tools. `WALIC` and `WALI_CC` override where walic and wali-cc are looked for.
    pub fn locate() -> Toolchain {
        let root = workspace_root();
        let gcc = find_in_path("gcc")
            .ok_or_else(|| "gcc not found in PATH (run scripts/setup.sh)".to_string());
        let wali_cc = match std::env::var_os("WALI_CC") {
            Some(path) => executable_at(PathBuf::from(path), "set by WALI_CC"),
            None => executable_at(
                root.join("scripts/wali-cc"),
                "it is part of the repository; run scripts/setup.sh",
            ),
        };
        let walic = match std::env::var_os("WALIC") {
            Some(path) => executable_at(PathBuf::from(path), "set by WALIC"),
            None => executable_at(
                target_dir().join("release/walic"),
                "run cargo build --release --workspace",
            ),
        };
        Toolchain {
            gcc,
            wali_cc,
            walic,
        }
    }
}

/// Runs one build step; on failure returns a one-line reason followed by the tool's output.
fn run_tool(what: &str, command: &mut Command) -> Result<(), String> {
    let log = tempfile_path(what);
    let log_file = std::fs::File::create(&log)
        .map_err(|e| format!("{what}: cannot create a log file: {e}"))?;
    let log_err = log_file.try_clone().map_err(|e| format!("{what}: {e}"))?;
    command
        .stdin(Stdio::null())
        .stdout(log_file)
        .stderr(log_err);
    let status =
        run_with_timeout(command, BUILD_TIMEOUT).map_err(|e| format!("{what}: cannot start: {e}"));
    let output = std::fs::read_to_string(&log).unwrap_or_default();
    let _ = std::fs::remove_file(&log);
    match status? {
        None => Err(format!(
            "{what}: timed out after {} s",
            BUILD_TIMEOUT.as_secs()
        )),
        Some(status) if status.success() => Ok(()),
        Some(status) => {
            let first = output
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("(no output)");
            let mut message = format!("{what} failed ({}): {first}", termination_of(status));
            let detail: String = output
                .lines()
                .take(40)
                .map(|l| format!("    {l}\n"))
                .collect();
            if !detail.is_empty() {
                message.push('\n');
                message.push_str(detail.trim_end_matches('\n'));
            }
            Err(message)
        }
    }
}

fn tempfile_path(what: &str) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let tag: String = what
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(20)
        .collect();
    std::env::temp_dir().join(format!("walic-tests-{}-{n}-{tag}.log", std::process::id()))
}

/// The whitespace-separated words of environment variable `name` (none when unset).
fn env_words(name: &str) -> Vec<String> {
    std::env::var(name)
        .map(|v| v.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default()
}

/// The products of building one program.
#[derive(Clone, Debug)]
pub struct Built {
    /// The native executable.
    pub native: Result<PathBuf, String>,
    /// The WALI module, when `wali-cc` succeeded.
    pub wasm_module: Option<PathBuf>,
    /// The executable walic made from the module.
    pub wasm: Result<PathBuf, String>,
}

/// Builds `source` both ways into `out_dir`, as `native` and `wasm` (and `prog.wasm`).
pub fn build_program(
    tools: &Toolchain,
    source: &Path,
    flags: &BuildFlags,
    out_dir: &Path,
) -> Built {
    if let Err(error) = std::fs::create_dir_all(out_dir) {
        let reason = format!("cannot create {}: {error}", out_dir.display());
        return Built {
            native: Err(reason.clone()),
            wasm_module: None,
            wasm: Err(reason),
        };
    }
    let include = source.parent().unwrap_or(Path::new("."));
    let common = |command: &mut Command, output: &Path| {
        command
            .arg("-O2")
            .arg("-I")
            .arg(include)
            .args(&flags.cflags)
            .arg(source)
            .arg("-o")
            .arg(output)
            .args(["-lm", "-lpthread"]);
    };

    let native_path = out_dir.join("native");
    let native = tools.gcc.clone().and_then(|gcc| {
        let mut command = Command::new(gcc);
        common(&mut command, &native_path);
        run_tool("gcc", &mut command).map(|()| native_path.clone())
    });

    let module_path = out_dir.join("prog.wasm");
    let module = tools.wali_cc.clone().and_then(|wali_cc| {
        let mut command = Command::new(wali_cc);
        common(&mut command, &module_path);
        // E.g. `-O0`, to run the whole suite on -O0 modules (later -O options win).
        command.args(env_words("WALIC_TEST_WASM_CFLAGS"));
        command.args(&flags.wasm_cflags);
        run_tool("wali-cc", &mut command).map(|()| module_path.clone())
    });
    let wasm_path = out_dir.join("wasm");
    let wasm = module.clone().and_then(|module| {
        let walic = tools.walic.clone()?;
        let mut command = Command::new(walic);
        // E.g. `--no-frame-promotion`, to run the whole suite with other options.
        command.args(env_words("WALIC_TEST_WALIC_FLAGS"));
        command
            .args(&flags.walic_flags)
            .arg(&module)
            .arg("-o")
            .arg(&wasm_path);
        run_tool("walic", &mut command).map(|()| wasm_path.clone())
    });
    Built {
        native,
        wasm_module: module.ok(),
        wasm,
    }
}
