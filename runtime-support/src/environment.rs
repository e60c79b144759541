//! The program's environment (`__get_init_envfile`, ABI.md §2.1).
//!
//! WALI's libc reads its environment from a file of `NAME=value` lines whose path the runtime
//! reports. A walic program must see its real process environment, like a native program, and
//! never a stale file: on the first call the runtime writes the `environ` it was started with into
//! an anonymous memory file (`memfd_create`, close-on-exec) and reports `/proc/self/fd/N`. The
//! descriptor is closed as soon as the libc has opened that path ([`release_if_env_file`], called
//! by the open/openat imports) or at `__deinit`, whichever comes first.
//!
//! The file format cannot carry a newline inside a value, so entries containing `\n` are left out
//! (they cannot be passed to a WALI program at all); empty entries are left out too (musl's
//! start-up would fail on an empty line).
//!
//! Override: if the variable `WALI_ENV_FILE` is set, its value is reported as the path instead
//! (the file is used as it is, like iwasm's `--env-file`); the libc treats an unreadable file as an
//! empty environment. The reference runtime's `/tmp/wali_env.<pid>` files are never read.

use core::ffi::c_char;
use core::sync::atomic::{AtomicI32, Ordering};
use std::io::Write;
use std::os::fd::FromRawFd;

use walic_loader::vmctx::VmContext;

use crate::guest;

/// The memfd holding the environment, or -1.
static ENV_FD: AtomicI32 = AtomicI32::new(-1);

/// The lines of the file for an environment (one `entry\n` per usable entry).
pub(crate) fn env_file_contents<'a>(entries: impl Iterator<Item = &'a [u8]>) -> Vec<u8> {
    let mut out = Vec::new();
    for e in entries {
        if e.is_empty() || e.contains(&b'\n') {
            continue;
        }
        out.extend_from_slice(e);
        out.push(b'\n');
    }
    out
}

/// The process environment as `environ` holds it.
fn environ_entries() -> Vec<&'static [u8]> {
    extern "C" {
        static environ: *const *const c_char;
    }
    let mut out = Vec::new();
    // SAFETY: environ is the NULL-terminated array libc set up; nothing modifies it here.
    unsafe {
        let mut p = environ;
        while !p.is_null() && !(*p).is_null() {
            out.push(core::ffi::CStr::from_ptr(*p).to_bytes());
            p = p.add(1);
        }
    }
    out
}

/// Writes the environment into a new memfd; returns its descriptor.
fn create_env_file() -> Option<i32> {
    // SAFETY: memfd_create with a static name.
    let fd = unsafe { libc::memfd_create(c"walic-environment".as_ptr(), libc::MFD_CLOEXEC) };
    if fd < 0 {
        return None;
    }
    let contents = env_file_contents(environ_entries().into_iter());
    // SAFETY: fd is ours; the File is forgotten below so the descriptor stays open.
    let mut file = unsafe { std::fs::File::from_raw_fd(fd) };
    let ok = file.write_all(&contents).is_ok();
    core::mem::forget(file);
    if !ok {
        // SAFETY: our descriptor.
        unsafe { libc::close(fd) };
        return None;
    }
    Some(fd)
}

/// `__get_init_envfile(buf, size)`: 1 with the path in `buf`, 1 with an empty string if `size` is
/// too small, 0 for no environment.
#[no_mangle]
pub extern "C" fn walic_import___get_init_envfile(
    _vmctx: *mut VmContext,
    a0: u64,
    a1: u64,
    _a2: u64,
    _a3: u64,
    _a4: u64,
    _a5: u64,
) -> i64 {
    let (buf, size) = (a0 as u32, a1 as u32);
    let mut path: Vec<u8> = match std::env::var_os("WALI_ENV_FILE") {
        Some(p) => std::os::unix::ffi::OsStrExt::as_bytes(p.as_os_str()).to_vec(),
        None => {
            let mut fd = ENV_FD.load(Ordering::Acquire);
            if fd < 0 {
                match create_env_file() {
                    Some(new) => {
                        if let Err(existing) =
                            ENV_FD.compare_exchange(-1, new, Ordering::AcqRel, Ordering::Acquire)
                        {
                            // SAFETY: our descriptor, not published.
                            unsafe { libc::close(new) };
                            fd = existing;
                        } else {
                            fd = new;
                        }
                    }
                    None => return 0,
                }
            }
            format!("/proc/self/fd/{fd}").into_bytes()
        }
    };
    if size == 0 {
        return 1;
    }
    // The whole buffer must lie inside memory, whatever part of it is written.
    if let Err(errno) = guest::translate_nonnull(buf, size as u64) {
        return errno;
    }
    if path.len() + 1 > size as usize {
        path.clear(); // Too small: an empty string.
    }
    path.push(0);
    match guest::write_bytes(buf, &path) {
        Ok(()) => 1,
        Err(errno) => errno,
    }
}

/// Closes the environment memfd (idempotent).
pub(crate) fn release() {
    let fd = ENV_FD.swap(-1, Ordering::AcqRel);
    if fd >= 0 {
        // SAFETY: the descriptor was ours.
        unsafe { libc::close(fd) };
    }
}

/// Called by the open/openat imports after a successful open of the path at wasm address `path`:
/// if it names the environment file, the libc has it open now and the runtime's descriptor is
/// closed.
#[allow(dead_code)] // Called by the open/openat imports (`syscalls/`).
pub(crate) fn release_if_env_file(path: u32) {
    let fd = ENV_FD.load(Ordering::Acquire);
    if fd < 0 || path == 0 {
        return;
    }
    let name = format!("/proc/self/fd/{fd}\0");
    // The path is read again through the fault-tolerant accessor: another thread may have
    // unmapped it since the kernel read it (then it is simply not the environment file).
    let mut bytes = vec![0u8; name.len()];
    if guest::read_bytes(path, &mut bytes).is_ok() && bytes == name.as_bytes() {
        release();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_become_lines() {
        let entries: [&[u8]; 5] = [b"A=1", b"", b"B=two words", b"BAD=x\ny", b"C="];
        assert_eq!(
            env_file_contents(entries.into_iter()),
            b"A=1\nB=two words\nC=\n".to_vec()
        );
    }

    #[test]
    fn env_file_holds_the_real_environment() {
        let fd = create_env_file().expect("memfd");
        let text = std::fs::read(format!("/proc/self/fd/{fd}")).unwrap();
        // SAFETY: our descriptor.
        unsafe { libc::close(fd) };
        let text = String::from_utf8_lossy(&text);
        let path = std::env::var("PATH").unwrap_or_default();
        if !path.contains('\n') && !path.is_empty() {
            assert!(text.lines().any(|l| l == format!("PATH={path}")));
        }
    }
}
