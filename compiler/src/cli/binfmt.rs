//! `walic binfmt install|uninstall|status`: a binfmt_misc entry that makes the kernel run wasm
//! modules through `walic run`, so `./prog.wasm` just runs.
//!
//! The entry, named `walic`, matches the 8 bytes every wasm module starts with (`\0asm` and
//! version one) and names the absolute path of this walic executable as interpreter, with flag
//! `P` (preserve argv[0]). The kernel then starts `walic MODULE-PATH ORIGINAL-ARGV0 ARGS...`.
//! Without `F` the interpreter is looked up at every start, so replacing walic takes effect at
//! once.
//!
//! That command line is the same shape as `walic prog.wasm -o prog`, so walic recognizes the
//! kernel's start otherwise: the auxiliary vector's AT_EXECFN is the file the user executed,
//! which for a binfmt start is the module itself (and is repeated as argv[1]), while for any
//! ordinary start it is walic.
//!
//! `WALIC_BINFMT_DIR` replaces `/proc/sys/fs/binfmt_misc`; it exists for the tests, which
//! exercise every path against a directory of plain files without touching the system.

use anyhow::Context as _;
use std::ffi::{CStr, OsString};
use std::io::{Read as _, Write as _};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// The entry's name under the binfmt_misc directory.
const ENTRY: &str = "walic";
/// The wasm magic number and version 1, in binfmt_misc's escaped form.
const MAGIC: &str = r"\x00asm\x01\x00\x00\x00";
/// Preserve argv[0]: the program sees the name it was started as.
const FLAGS: &str = "P";

/// The binfmt_misc directory.
fn directory() -> PathBuf {
    std::env::var_os("WALIC_BINFMT_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/proc/sys/fs/binfmt_misc"))
}

/// Fails with one line when binfmt_misc is not mounted at `dir`.
fn check_mounted(dir: &Path) -> anyhow::Result<()> {
    if dir.join("register").exists() {
        return Ok(());
    }
    anyhow::bail!(
        "binfmt_misc is not mounted at {} (as root: mount -t binfmt_misc binfmt_misc {})",
        dir.display(),
        dir.display()
    )
}

/// Writes `text` to the control file `path` (never creating it), with a one-line error that
/// says root is needed when it is not writable.
fn write_control(path: &Path, text: &str) -> anyhow::Result<()> {
    let result = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .and_then(|mut file| file.write_all(text.as_bytes()));
    result.map_err(|e| {
        let hint = match e.raw_os_error() {
            Some(libc::EACCES | libc::EPERM | libc::EROFS) => " (changing binfmt_misc needs root)",
            _ => "",
        };
        anyhow::anyhow!("cannot write {}: {e}{hint}", path.display())
    })
}

/// The registration line for interpreter `walic`.
fn registration(walic: &Path) -> anyhow::Result<String> {
    let path = walic.to_str().context("walic's path is not UTF-8")?;
    // The kernel splits the line at ':' and limits the interpreter path.
    if path.contains(':') || path.len() > 127 {
        anyhow::bail!("walic's path {path} cannot be registered (it contains ':' or is too long)");
    }
    Ok(format!(":{ENTRY}:M::{MAGIC}::{path}:{FLAGS}"))
}

/// A registered entry, as the kernel describes it in `<dir>/<name>`.
#[derive(Debug, PartialEq, Eq)]
struct Entry {
    enabled: bool,
    interpreter: String,
    flags: String,
}

fn parse_entry(text: &str) -> Entry {
    let mut entry = Entry {
        enabled: false,
        interpreter: String::new(),
        flags: String::new(),
    };
    for line in text.lines() {
        if line == "enabled" {
            entry.enabled = true;
        } else if let Some(path) = line.strip_prefix("interpreter ") {
            entry.interpreter = path.to_string();
        } else if let Some(flags) = line.strip_prefix("flags: ") {
            entry.flags = flags.to_string();
        }
    }
    entry
}

fn read_entry(dir: &Path) -> anyhow::Result<Option<Entry>> {
    let path = dir.join(ENTRY);
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(Some(parse_entry(&text))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(anyhow::anyhow!("cannot read {}: {e}", path.display())),
    }
}

fn current_walic() -> anyhow::Result<PathBuf> {
    std::env::current_exe().context("locating the walic executable")
}

/// `walic binfmt install`: registers (or re-registers) the entry for this walic.
pub fn install() -> anyhow::Result<()> {
    let dir = directory();
    check_mounted(&dir)?;
    let walic = current_walic()?;
    let line = registration(&walic)?;
    if let Some(old) = read_entry(&dir)? {
        if old.interpreter == walic.to_string_lossy() && old.flags == FLAGS && old.enabled {
            println!(
                "walic: binfmt_misc entry `{ENTRY}` already runs wasm modules with {}",
                walic.display()
            );
            return Ok(());
        }
        write_control(&dir.join(ENTRY), "-1")?;
    }
    write_control(&dir.join("register"), &line)?;
    println!(
        "walic: registered binfmt_misc entry `{ENTRY}`: wasm modules now run with `{} run`",
        walic.display()
    );
    Ok(())
}

/// `walic binfmt uninstall`: removes the entry, if there is one.
pub fn uninstall() -> anyhow::Result<()> {
    let dir = directory();
    check_mounted(&dir)?;
    if read_entry(&dir)?.is_none() {
        println!("walic: no binfmt_misc entry `{ENTRY}` to remove");
        return Ok(());
    }
    write_control(&dir.join(ENTRY), "-1")?;
    println!("walic: removed binfmt_misc entry `{ENTRY}`");
    Ok(())
}

/// `walic binfmt status`: says whether wasm modules run through walic, and through which one.
pub fn status() -> anyhow::Result<()> {
    let dir = directory();
    check_mounted(&dir)?;
    let global = std::fs::read_to_string(dir.join("status")).unwrap_or_default();
    if global.trim() == "disabled" {
        println!(
            "binfmt_misc at {}: disabled (no handler runs)",
            dir.display()
        );
    }
    match read_entry(&dir)? {
        None => println!(
            "walic: not registered (binfmt_misc at {}; `walic binfmt install` as root)",
            dir.display()
        ),
        Some(entry) => {
            let state = if entry.enabled { "enabled" } else { "disabled" };
            let walic = current_walic()?;
            let whose = if entry.interpreter == walic.to_string_lossy() {
                "this walic".to_string()
            } else {
                format!("not this walic, which is {}", walic.display())
            };
            println!(
                "walic: registered, {state}, interpreter {} ({whose}), flags {}",
                entry.interpreter,
                if entry.flags.is_empty() {
                    "none"
                } else {
                    &entry.flags
                }
            );
        }
    }
    Ok(())
}

/// The kernel started walic for a wasm module: `(module, argv0, args)` from the command line
/// `walic MODULE ARGV0 ARGS...`. None for every ordinary start (see the module docs).
pub fn invocation() -> Option<(PathBuf, OsString, Vec<OsString>)> {
    // SAFETY: getauxval only reads the auxiliary vector; AT_EXECFN, when present, points to a
    // NUL-terminated string the kernel placed on the initial stack, valid for the process's life.
    let executed = unsafe {
        let pointer = libc::getauxval(libc::AT_EXECFN) as *const libc::c_char;
        if pointer.is_null() {
            return None;
        }
        CStr::from_ptr(pointer)
    };
    let mut args = std::env::args_os().skip(1);
    let module = args.next()?;
    if module.as_bytes() != executed.to_bytes() || !starts_with_wasm_magic(Path::new(&module)) {
        return None;
    }
    let argv0 = args.next().unwrap_or_else(|| module.clone());
    Some((PathBuf::from(module), argv0, args.collect()))
}

fn starts_with_wasm_magic(path: &Path) -> bool {
    let mut magic = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut file| file.read_exact(&mut magic))
        .is_ok()
        && &magic == b"\0asm"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_line_matches_wasm_magic_with_preserved_argv0() {
        assert_eq!(
            registration(Path::new("/usr/local/bin/walic")).unwrap(),
            r":walic:M::\x00asm\x01\x00\x00\x00::/usr/local/bin/walic:P"
        );
        assert!(registration(Path::new("/odd:path/walic")).is_err());
    }

    #[test]
    fn parses_the_kernel_entry_description() {
        let text =
            "enabled\ninterpreter /usr/bin/walic\nflags: P\noffset 0\nmagic 0061736d01000000\n";
        assert_eq!(
            parse_entry(text),
            Entry {
                enabled: true,
                interpreter: "/usr/bin/walic".into(),
                flags: "P".into()
            }
        );
        assert!(!parse_entry("disabled\ninterpreter /x\nflags: \n").enabled);
    }

    #[test]
    fn an_ordinary_start_is_not_a_binfmt_start() {
        assert_eq!(invocation(), None);
    }
}
