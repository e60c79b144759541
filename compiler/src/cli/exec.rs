//! Replacing walic by the compiled program with execv(2), so the program runs exactly as if
//! started directly: same process id, arguments, environment, standard streams, signal mask,
//! and its own exit status and signals.
//!
//! Rust's start-up code sets SIGPIPE to "ignore" in walic, and an ignored signal stays ignored
//! across exec; `std::process::Command::exec` instead resets it to the default and also clears
//! the signal mask. Neither is what the user started walic with, so the disposition is recorded
//! before Rust's start-up runs (an `.init_array` constructor) and restored just before exec, and
//! execv is called directly.

use std::ffi::{CString, OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

static SIGPIPE_IGNORED_AT_START: AtomicBool = AtomicBool::new(false);

extern "C" fn record_inherited_sigpipe() {
    // SAFETY: querying (not changing) a signal's disposition into a zeroed sigaction we own.
    unsafe {
        let mut current: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(libc::SIGPIPE, std::ptr::null(), &mut current) == 0 {
            let ignored = current.sa_sigaction == libc::SIG_IGN;
            SIGPIPE_IGNORED_AT_START.store(ignored, Ordering::Relaxed);
        }
    }
}

/// Runs before `main` and before Rust's runtime changes SIGPIPE (glibc calls `.init_array`
/// entries first).
#[used]
#[link_section = ".init_array"]
static RECORD_INHERITED_SIGPIPE: extern "C" fn() = record_inherited_sigpipe;

fn c_string(s: &OsStr) -> std::io::Result<CString> {
    CString::new(s.as_bytes()).map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{} contains a NUL byte", s.to_string_lossy()),
        )
    })
}

/// Executes `program` with `argv0` and `args`; returns only on failure.
pub fn exec(program: &Path, argv0: &OsStr, args: &[OsString]) -> std::io::Error {
    let path = match c_string(program.as_os_str()) {
        Ok(path) => path,
        Err(e) => return e,
    };
    let argv: std::io::Result<Vec<CString>> = std::iter::once(argv0)
        .chain(args.iter().map(OsString::as_os_str))
        .map(c_string)
        .collect();
    let argv = match argv {
        Ok(argv) => argv,
        Err(e) => return e,
    };
    let mut pointers: Vec<*const libc::c_char> = argv.iter().map(|a| a.as_ptr()).collect();
    pointers.push(std::ptr::null());
    let disposition = if SIGPIPE_IGNORED_AT_START.load(Ordering::Relaxed) {
        libc::SIG_IGN
    } else {
        libc::SIG_DFL
    };
    // SAFETY: `path` and every `argv` string outlive the call; `pointers` is NULL-terminated.
    // execv uses the current `environ`, which walic never changes.
    unsafe {
        libc::signal(libc::SIGPIPE, disposition);
        libc::execv(path.as_ptr(), pointers.as_ptr());
    }
    std::io::Error::last_os_error()
}
