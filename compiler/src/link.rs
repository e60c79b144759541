//! Linking: the compiled object plus the runtime library into an executable, with the system C
//! compiler as linker driver.
//!
//! The runtime archive comes from [`crate::runtime_archive`] (embedded in walic, or
//! `$WALIC_RUNTIME`); walic never searches the system for it. The link is static and non-PIE:
//! generated code uses absolute addresses (`is_pic=false`) and the executable must run on
//! machines without walic.

use crate::error::{Error, Result};
use crate::runtime_archive::TempDir;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The linker command line for `objects` and `runtime` into `out`.
fn link_command(objects: &[PathBuf], runtime: &Path, out: &Path) -> Command {
    let mut cmd = Command::new("cc");
    // --gc-sections drops the runtime code a program never calls and --strip-debug the runtime's
    // line tables: a hello world shrinks from 7 MB to 1.4 MB and links faster. Symbols stay, so
    // profilers and debuggers still name functions.
    cmd.arg("-no-pie").arg("-static").arg("-o").arg(out);
    cmd.args(["-Wl,--gc-sections", "-Wl,--strip-debug"]);
    cmd.args(objects);
    cmd.arg(runtime);
    cmd.args(["-lpthread", "-ldl", "-lm", "-lrt", "-lutil", "-lc"]);
    cmd
}

/// Links object files (given as bytes) with the runtime archive into the executable `out`.
pub fn link(objects: &[&[u8]], runtime: &Path, out: &Path) -> Result<()> {
    let dir = TempDir::new()?;
    let mut paths = Vec::new();
    for (i, bytes) in objects.iter().enumerate() {
        let path = dir.path().join(format!("module{i}.o"));
        std::fs::write(&path, bytes)
            .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
        paths.push(path);
    }
    let output = link_command(&paths, runtime, out)
        .output()
        .map_err(|e| Error::io("running the system linker `cc`", e))?;
    if output.status.success() {
        return Ok(());
    }
    // glibc's notes about name lookup in static programs concern runtime code that walic programs
    // never call; left in, they would bury the linker's real complaint.
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    let mut text = String::new();
    for (i, line) in lines.iter().enumerate() {
        let glibc_note = |l: &str| l.contains("in statically linked applications requires");
        let introduces_note = lines.get(i + 1).is_some_and(|next| glibc_note(next));
        if !glibc_note(line) && !introduces_note {
            text.push_str(line);
            text.push('\n');
        }
    }
    let command = format!("{:?}", link_command(&paths, runtime, out));
    Err(Error::Link {
        command,
        status: output.status.to_string(),
        output: text,
    })
}
