//! Links the runtime library with a hand-written C stand-in for a compiled module
//! (`fake_module.c`) and checks start-up, arguments, the environment file, the mmap allocator,
//! signal delivery at a poll point, threads with atomic wait/notify, setjmp/longjmp through the
//! guard trampoline, exit statuses and trap reports — the runtime's side of the compiler contract.

use std::path::PathBuf;
use std::process::Command;

/// The runtime library to link: `$WALIC_RUNTIME_LIB`, else the newest `libwalic_runtime.a` of
/// the target directory's profiles (cargo does not build the staticlib for integration tests;
/// `cargo build -p walic-runtime [--release]` does).
fn library() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("WALIC_RUNTIME_LIB") {
        return Some(PathBuf::from(p));
    }
    let exe = std::env::current_exe().ok()?;
    let target = exe.parent()?.parent()?.parent()?.to_path_buf();
    ["debug", "release"]
        .iter()
        .map(|profile| target.join(profile).join("libwalic_runtime.a"))
        .filter_map(|p| Some((std::fs::metadata(&p).ok()?.modified().ok()?, p)))
        .max()
        .map(|(_, p)| p)
}

fn build() -> Option<PathBuf> {
    let Some(lib) = library() else {
        eprintln!("libwalic_runtime.a not built (cargo build -p walic-runtime); skipping");
        return None;
    };
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fake_module");
    let status = Command::new("cc")
        .args(["-O1", "-no-pie", "-o"])
        .arg(&out)
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fake_module.c"))
        .arg(lib)
        .args(["-lpthread", "-ldl", "-lm"])
        .status()
        .expect("run cc");
    assert!(status.success(), "cc failed");
    Some(out)
}

fn run(exe: &PathBuf, env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = Command::new(exe);
    cmd.args(["one", "two words"]).env_clear().env("FOO", "bar");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run fake module");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn runtime_contract() {
    let Some(exe) = build() else {
        return;
    };
    let (status, stdout, stderr) = run(&exe, &[]);
    let expected = "\
data: hello data sp=65536
argv[0]=PROG len=LEN
argv[1]=one len=3
argv[2]=two words len=9
oob argv: -14
envfile r=1 path=/proc/self/fd/3
env FOO=bar
size=2
mmap a=131072 b=139264 c=159744 size=3
munmap b=0
reuse d=139264 (b=139264) zero=0
mremap moved=1 keeps=42
mremap grow in place? -12 (c=159744) err
fixed below: -1
grow=5 size=5
sigaction=0
sigaction 128=-22
pending flag=1 got=0
after poll got=10
oldact handler=1
spawned tid>0: 1
thread ran
wait=2 got=14 pending=0
setjmp=0 guarded result site=3 val=1 chain=0
";
    let prog = exe.to_string_lossy().into_owned();
    let expected = expected
        .replace("PROG", &prog)
        .replace("LEN", &prog.len().to_string());
    assert_eq!(stdout, expected, "stderr: {stderr}");
    assert_eq!(status, 3, "__proc_exit(3)");

    let (status, _, stderr) = run(&exe, &[("TRAP", "1")]);
    assert_eq!(
        (status, stderr.as_str()),
        (134, "walic: wasm trap: unreachable in function trapfn\n")
    );
    let (status, _, stderr) = run(&exe, &[("OOB", "1")]);
    assert_eq!(status, 134);
    assert!(stderr.starts_with("walic: wasm trap: out of bounds memory access in function "));
    let (status, _, stderr) = run(&exe, &[("LJ", "1")]);
    assert_eq!(
        (status, stderr.as_str()),
        (
            134,
            "walic: longjmp to a function that has already returned\n"
        )
    );
}
