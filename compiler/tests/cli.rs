//! The `walic` executable from the outside: a copied walic links alone, linking is
//! deterministic, `walic run` caches, and `walic binfmt` against a fake binfmt_misc directory
//! (`WALIC_BINFMT_DIR`), so nothing of the system changes. C programs through `walic run` (args,
//! environment, stdin, exit status, signals, concurrency) are tested in
//! `tests/toolchain/check-run.sh`, where the C toolchain is.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const WALIC: &str = env!("CARGO_BIN_EXE_walic");

/// A fresh directory for one test.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("walic-cli-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn hello_module(dir: &Path) -> PathBuf {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/programs/hello.wat");
    let path = dir.join("hello.wasm");
    std::fs::write(&path, wat::parse_file(source).unwrap()).unwrap();
    path
}

fn walic(walic: &Path, args: &[&str], env: &[(&str, &Path)]) -> Output {
    let mut command = Command::new(walic);
    command.args(args).env_remove("WALIC_RUNTIME");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("walic runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_copied_walic_links_alone_and_deterministically() {
    let dir = scratch("copied");
    let module = hello_module(&dir);
    let alone = dir.join("alone");
    std::fs::create_dir(&alone).unwrap();
    let copy = alone.join("walic");
    std::fs::copy(WALIC, &copy).unwrap();
    let (first, second) = (dir.join("first"), dir.join("second"));
    for output in [&first, &second] {
        let result = walic(
            &copy,
            &[module.to_str().unwrap(), "-o", output.to_str().unwrap()],
            &[],
        );
        assert!(result.status.success(), "{}", stderr(&result));
    }
    assert_eq!(
        std::fs::read(&first).unwrap(),
        std::fs::read(&second).unwrap()
    );
    let ran = Command::new(&first).output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&ran.stdout),
        "Hello, walic!\n".repeat(3)
    );
    // Nothing was left beside the copy, and the temporary runtime copies are gone.
    assert_eq!(std::fs::read_dir(&alone).unwrap().count(), 1);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_runtime_override_that_does_not_exist_is_one_line() {
    let dir = scratch("override");
    let module = hello_module(&dir);
    let result = walic(
        Path::new(WALIC),
        &[
            module.to_str().unwrap(),
            "-o",
            dir.join("x").to_str().unwrap(),
        ],
        &[("WALIC_RUNTIME", &dir.join("missing.a"))],
    );
    assert!(!result.status.success());
    assert_eq!(stderr(&result).lines().count(), 1, "{}", stderr(&result));
    assert!(stderr(&result).contains("WALIC_RUNTIME="));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn run_compiles_once_then_reuses_the_cache_entry() {
    let dir = scratch("run");
    let module = hello_module(&dir);
    let cache = dir.join("cache");
    let entries = || -> Vec<PathBuf> {
        match std::fs::read_dir(cache.join("walic/programs")) {
            Ok(dir) => dir.map(|e| e.unwrap().path()).collect(),
            Err(_) => Vec::new(),
        }
    };
    let run = || {
        walic(
            Path::new(WALIC),
            &["run", module.to_str().unwrap()],
            &[("XDG_CACHE_HOME", &cache)],
        )
    };
    let first = run();
    assert_eq!(
        String::from_utf8_lossy(&first.stdout),
        "Hello, walic!\n".repeat(3)
    );
    assert!(first.status.success(), "{}", stderr(&first));
    let created = entries();
    assert_eq!(
        created.len(),
        1,
        "one entry, no temporary left: {created:?}"
    );
    let modified = std::fs::metadata(&created[0]).unwrap().modified().unwrap();
    let second = run();
    assert_eq!(second.stdout, first.stdout);
    assert_eq!(entries(), created);
    assert_eq!(
        std::fs::metadata(&created[0]).unwrap().modified().unwrap(),
        modified
    );
    // Other options are another program.
    let optimized_less = walic(
        Path::new(WALIC),
        &["run", "-O0", module.to_str().unwrap()],
        &[("XDG_CACHE_HOME", &cache)],
    );
    assert_eq!(optimized_less.stdout, first.stdout);
    assert_eq!(entries().len(), 2);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn run_of_a_missing_module_is_one_line() {
    let dir = scratch("run-missing");
    let result = walic(
        Path::new(WALIC),
        &["run", dir.join("nope.wasm").to_str().unwrap()],
        &[("XDG_CACHE_HOME", &dir)],
    );
    assert_eq!(result.status.code(), Some(1));
    assert_eq!(stderr(&result).lines().count(), 1);
    assert!(
        stderr(&result).starts_with("walic: error: reading "),
        "{}",
        stderr(&result)
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// `walic binfmt ACTION` against the fake binfmt_misc directory `dir`.
fn binfmt(dir: &Path, action: &str) -> Output {
    walic(
        Path::new(WALIC),
        &["binfmt", action],
        &[("WALIC_BINFMT_DIR", dir)],
    )
}

#[test]
fn binfmt_without_binfmt_misc_mounted_is_one_line() {
    let dir = scratch("binfmt-unmounted");
    for action in ["status", "install", "uninstall"] {
        let result = binfmt(&dir, action);
        assert_eq!(result.status.code(), Some(1));
        assert_eq!(
            stderr(&result).trim_end(),
            format!(
                "walic: error: binfmt_misc is not mounted at {0} (as root: mount -t binfmt_misc \
                 binfmt_misc {0})",
                dir.display()
            )
        );
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn binfmt_install_status_uninstall_on_a_fake_directory() {
    let dir = scratch("binfmt");
    std::fs::write(dir.join("register"), "").unwrap();
    std::fs::write(dir.join("status"), "enabled\n").unwrap();
    let status = binfmt(&dir, "status");
    assert!(status.status.success(), "{}", stderr(&status));
    assert!(String::from_utf8_lossy(&status.stdout).starts_with("walic: not registered"));

    let install = binfmt(&dir, "install");
    assert!(install.status.success(), "{}", stderr(&install));
    let walic_path = std::fs::canonicalize(WALIC).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.join("register")).unwrap(),
        format!(
            r":walic:M::\x00asm\x01\x00\x00\x00::{}:P",
            walic_path.display()
        )
    );

    // What the kernel shows once the line is registered.
    let entry = format!(
        "enabled\ninterpreter {}\nflags: P\noffset 0\nmagic 0061736d01000000\n",
        walic_path.display()
    );
    std::fs::write(dir.join("walic"), &entry).unwrap();
    let status = binfmt(&dir, "status");
    assert_eq!(
        String::from_utf8_lossy(&status.stdout),
        format!(
            "walic: registered, enabled, interpreter {} (this walic), flags P\n",
            walic_path.display()
        )
    );
    std::fs::write(
        dir.join("walic"),
        entry.replace(walic_path.to_str().unwrap(), "/old/walic"),
    )
    .unwrap();
    let status = binfmt(&dir, "status");
    assert!(String::from_utf8_lossy(&status.stdout).contains("(not this walic, which is "));

    let uninstall = binfmt(&dir, "uninstall");
    assert!(uninstall.status.success(), "{}", stderr(&uninstall));
    assert!(std::fs::read_to_string(dir.join("walic"))
        .unwrap()
        .starts_with("-1"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn binfmt_install_that_cannot_write_is_one_line() {
    let dir = scratch("binfmt-unwritable");
    // A `register` that cannot be written to (root may write any file, but not a directory).
    std::fs::create_dir(dir.join("register")).unwrap();
    let result = binfmt(&dir, "install");
    assert_eq!(result.status.code(), Some(1));
    assert_eq!(stderr(&result).lines().count(), 1, "{}", stderr(&result));
    assert!(
        stderr(&result).starts_with(&format!(
            "walic: error: cannot write {}/register: ",
            dir.display()
        )),
        "{}",
        stderr(&result)
    );
    std::fs::remove_dir_all(dir).unwrap();
}
