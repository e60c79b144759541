//! Running one build of a program the way a user would: in its own empty directory, with a
//! controlled environment, standard input from a file or `/dev/null`, standard output and error
//! captured in files, a time limit, and nothing left running afterwards.
//!
//! Also the generic "run a tool with a time limit" used for the builds.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::header::{Case, Stdin, Termination};

/// The name the executable has in its run directory; it runs as `./prog`.
pub const EXECUTABLE_NAME: &str = "prog";

/// `PATH` given to programs whose header does not set it.
pub const DEFAULT_PATH: &str = "/usr/local/bin:/usr/bin:/bin";

/// Starts `command` in its own process group, waits at most `timeout`, and kills the whole group
/// when the time is up or when the leader has exited (children it left behind must not outlive
/// the test). Returns the leader's status, or `None` on timeout.
pub fn run_with_timeout(
    command: &mut Command,
    timeout: Duration,
) -> io::Result<Option<ExitStatus>> {
    command.process_group(0);
    let mut child = command.spawn()?;
    let group = child.id() as i32;
    let (sender, receiver) = mpsc::channel();
    let waiter = std::thread::spawn(move || {
        let status = child.wait();
        // The receiver may already be gone after a timeout; nothing to do then.
        let _ = sender.send(());
        status
    });
    let timed_out = receiver.recv_timeout(timeout).is_err();
    kill_group(group);
    let status = waiter.join().expect("the waiting thread does not panic")?;
    Ok((!timed_out).then_some(status))
}

fn kill_group(group: i32) {
    // SAFETY: kill(2) with a negative pid signals the process group `group`, which is the group
    // this module created for the child (process_group(0) makes the child's pid its group id);
    // nothing else can be in it. An already empty group just yields ESRCH.
    unsafe {
        libc::kill(-group, libc::SIGKILL);
    }
}

/// Converts an exit status into a [`Termination`].
pub fn termination_of(status: ExitStatus) -> Termination {
    match (status.code(), status.signal()) {
        (Some(code), _) => Termination::Exit(code),
        (None, Some(signal)) => Termination::Signal(signal),
        (None, None) => Termination::Exit(-1),
    }
}

/// One entry of a run directory after the run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A regular file: permission bits and contents.
    File {
        /// `st_mode & 0o7777`.
        mode: u32,
        /// The contents.
        contents: Vec<u8>,
    },
    /// A directory and its permission bits.
    Directory {
        /// `st_mode & 0o7777`.
        mode: u32,
    },
    /// A symbolic link and its target.
    Symlink {
        /// Where it points.
        target: PathBuf,
    },
    /// Anything else (a FIFO, a socket, an unreadable file), described.
    Other(String),
}

/// What one run produced.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// How it ended; `None` when it was killed at the time limit.
    pub termination: Option<Termination>,
    /// Standard output.
    pub stdout: Vec<u8>,
    /// Standard error.
    pub stderr: Vec<u8>,
    /// The files left in the run directory, by relative path (the executable excluded).
    pub files: BTreeMap<String, Entry>,
    /// Wall time of the run.
    pub duration: Duration,
}

/// Runs `executable` for `case` in the fresh directory `directory` (created here), with
/// `program_dir` as the source of fixtures; output files go beside `directory`.
pub fn run_case(
    executable: &Path,
    case: &Case,
    program_dir: &Path,
    directory: &Path,
) -> Result<Outcome, String> {
    let run_error = |what: &str, error: io::Error| format!("{what}: {error}");
    fs::create_dir_all(directory)
        .map_err(|e| run_error(&format!("cannot create {}", directory.display()), e))?;
    let installed = directory.join(EXECUTABLE_NAME);
    if fs::hard_link(executable, &installed).is_err() {
        fs::copy(executable, &installed)
            .map_err(|e| run_error(&format!("cannot copy {}", executable.display()), e))?;
    }
    for fixture in &case.files {
        let source = program_dir.join(fixture);
        let target = directory.join(fixture);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| run_error("cannot create a fixture directory", e))?;
        }
        fs::copy(&source, &target)
            .map_err(|e| run_error(&format!("fixture {}", source.display()), e))?;
    }

    let side = directory
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("run");
    let parent = directory.parent().unwrap_or(Path::new("."));
    let stdout_path = parent.join(format!("{side}.stdout"));
    let stderr_path = parent.join(format!("{side}.stderr"));
    let stdin = match &case.stdin {
        Stdin::Empty => File::open("/dev/null"),
        Stdin::File(path) => File::open(path),
        Stdin::Bytes(bytes) => {
            let path = parent.join(format!("{side}.stdin"));
            fs::write(&path, bytes).and_then(|()| File::open(&path))
        }
    }
    .map_err(|e| run_error("cannot open standard input", e))?;
    let stdout =
        File::create(&stdout_path).map_err(|e| run_error("cannot create the stdout file", e))?;
    let stderr =
        File::create(&stderr_path).map_err(|e| run_error("cannot create the stderr file", e))?;

    // `env -i NAME=value… ./prog args…` gives the program exactly these variables in exactly this
    // order (std::process::Command would sort them) and argv[0] = "./prog".
    let mut command = Command::new("/usr/bin/env");
    command.arg("-i");
    command.args(
        case.env
            .iter()
            .map(|(name, value)| format!("{name}={value}")),
    );
    if !case.env.iter().any(|(name, _)| name == "PATH") {
        command.arg(format!("PATH={DEFAULT_PATH}"));
    }
    command.arg(format!("./{EXECUTABLE_NAME}")).args(&case.args);
    command
        .current_dir(directory)
        .env_clear()
        .stdin(stdin)
        .stdout(stdout)
        .stderr(stderr);

    let started = Instant::now();
    let status = run_with_timeout(&mut command, case.timeout)
        .map_err(|e| run_error("cannot start /usr/bin/env", e))?;
    let duration = started.elapsed();

    let stdout = fs::read(&stdout_path).map_err(|e| run_error("cannot read stdout", e))?;
    let stderr = fs::read(&stderr_path).map_err(|e| run_error("cannot read stderr", e))?;
    let mut files = BTreeMap::new();
    snapshot(directory, directory, &mut files);
    files.remove(EXECUTABLE_NAME);
    Ok(Outcome {
        termination: status.map(termination_of),
        stdout,
        stderr,
        files,
        duration,
    })
}

/// Records every entry under `dir` into `files`, by path relative to `root`.
fn snapshot(root: &Path, dir: &Path, files: &mut BTreeMap<String, Entry>) {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            let relative = dir.strip_prefix(root).unwrap_or(dir).display().to_string();
            files.insert(
                format!("{relative}/"),
                Entry::Other(format!("unreadable directory: {error}")),
            );
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let relative = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .into_owned();
        let Ok(metadata) = fs::symlink_metadata(&path) else {
            continue;
        };
        let mode = metadata.mode() & 0o7777;
        let kind = metadata.file_type();
        let recorded = if kind.is_symlink() {
            Entry::Symlink {
                target: fs::read_link(&path).unwrap_or_default(),
            }
        } else if kind.is_dir() {
            snapshot(root, &path, files);
            Entry::Directory { mode }
        } else if kind.is_file() {
            match fs::read(&path) {
                Ok(contents) => Entry::File { mode, contents },
                Err(error) => Entry::Other(format!("unreadable file (mode {mode:o}): {error}")),
            }
        } else if kind.is_fifo() {
            Entry::Other(format!("FIFO, mode {mode:o}"))
        } else if kind.is_socket() {
            Entry::Other(format!("socket, mode {mode:o}"))
        } else {
            Entry::Other(format!("special file, mode {mode:o}"))
        };
        files.insert(relative, recorded);
    }
}

/// Removes a directory tree even where a program made parts of it read-only.
pub fn remove_tree(path: &Path) {
    if fs::remove_dir_all(path).is_ok() {
        return;
    }
    fn make_writable(path: &Path) {
        if let Ok(metadata) = fs::symlink_metadata(path) {
            if metadata.is_dir() {
                let _ = fs::set_permissions(path, fs::Permissions::from_mode(0o700));
                if let Ok(entries) = fs::read_dir(path) {
                    for entry in entries.flatten() {
                        make_writable(&entry.path());
                    }
                }
            }
        }
    }
    make_writable(path);
    let _ = fs::remove_dir_all(path);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeout_kills_the_group() {
        let started = Instant::now();
        let status = run_with_timeout(
            Command::new("sh").args(["-c", "sleep 30 & sleep 30"]),
            Duration::from_millis(200),
        )
        .unwrap();
        assert!(status.is_none());
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn status_and_signal() {
        let status = run_with_timeout(
            Command::new("sh").args(["-c", "exit 7"]),
            Duration::from_secs(10),
        )
        .unwrap()
        .unwrap();
        assert_eq!(termination_of(status), Termination::Exit(7));
        let status = run_with_timeout(
            Command::new("sh").args(["-c", "kill -SEGV $$"]),
            Duration::from_secs(10),
        )
        .unwrap()
        .unwrap();
        assert_eq!(termination_of(status), Termination::Signal(11));
    }

    #[test]
    fn runs_a_script_as_prog() {
        let root = std::env::temp_dir().join(format!("walic-tests-run-{}", std::process::id()));
        remove_tree(&root);
        fs::create_dir_all(&root).unwrap();
        let script = root.join("script");
        fs::write(&script, "#!/bin/sh\necho \"$0|$#|$1|$2\"\nenv\ncat\necho err >&2\necho data > out.txt\nmkdir d\nexit 3\n").unwrap();
        fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
        let case = Case {
            args: vec!["a b".into(), "".into()],
            env: vec![("Z".into(), "1".into()), ("A".into(), "".into())],
            stdin: Stdin::Bytes(b"input\n".to_vec()),
            ..Case::default()
        };
        let outcome = run_case(&script, &case, &root, &root.join("native")).unwrap();
        assert_eq!(outcome.termination, Some(Termination::Exit(3)));
        let stdout = String::from_utf8(outcome.stdout).unwrap();
        assert!(stdout.starts_with("./prog|2|a b|\n"), "{stdout}");
        let z = stdout.find("Z=1").unwrap();
        let a = stdout.find("A=\n").unwrap();
        let path = stdout.find("PATH=").unwrap();
        assert!(z < a && a < path, "{stdout}");
        assert!(stdout.ends_with("input\n"), "{stdout}");
        assert_eq!(outcome.stderr, b"err\n");
        assert_eq!(outcome.files.keys().collect::<Vec<_>>(), ["d", "out.txt"]);
        assert!(
            matches!(&outcome.files["out.txt"], Entry::File { contents, .. } if contents == b"data\n")
        );
        remove_tree(&root);
    }
}
