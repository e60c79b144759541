//! The comment header of a differential test program: its arguments, environment, standard input,
//! fixtures, time limit and the expected WALI outcome when it legitimately differs from native.
//!
//! The format is documented in `tests/README.md`. Parsing is strict: an unknown directive, a
//! malformed value or a `case:` without a name is an error that fails the program, so a typo cannot
//! silently weaken a test.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Default time limit of one run of one build.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// How a process ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Termination {
    /// It exited with this status (0..=255).
    Exit(i32),
    /// It was killed by this signal number.
    Signal(i32),
}

impl Termination {
    /// Whether this is `exit(0)`.
    pub fn is_success(self) -> bool {
        self == Termination::Exit(0)
    }
}

impl fmt::Display for Termination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Termination::Exit(status) => write!(f, "exit status {status}"),
            Termination::Signal(signal) => match signal_name(signal) {
                Some(name) => write!(f, "killed by {name}"),
                None => write!(f, "killed by signal {signal}"),
            },
        }
    }
}

/// Signal names accepted by `wasm-signal:` and `native-signal:` (x86-64 Linux numbers).
const SIGNALS: &[(&str, i32)] = &[
    ("SIGHUP", 1),
    ("SIGINT", 2),
    ("SIGQUIT", 3),
    ("SIGILL", 4),
    ("SIGTRAP", 5),
    ("SIGABRT", 6),
    ("SIGBUS", 7),
    ("SIGFPE", 8),
    ("SIGKILL", 9),
    ("SIGUSR1", 10),
    ("SIGSEGV", 11),
    ("SIGUSR2", 12),
    ("SIGPIPE", 13),
    ("SIGALRM", 14),
    ("SIGTERM", 15),
    ("SIGSTKFLT", 16),
    ("SIGCHLD", 17),
    ("SIGCONT", 18),
    ("SIGSTOP", 19),
    ("SIGTSTP", 20),
    ("SIGTTIN", 21),
    ("SIGTTOU", 22),
    ("SIGURG", 23),
    ("SIGXCPU", 24),
    ("SIGXFSZ", 25),
    ("SIGVTALRM", 26),
    ("SIGPROF", 27),
    ("SIGWINCH", 28),
    ("SIGIO", 29),
    ("SIGPWR", 30),
    ("SIGSYS", 31),
];

/// The name of a signal number, e.g. `SIGSEGV`.
pub fn signal_name(signal: i32) -> Option<&'static str> {
    SIGNALS
        .iter()
        .find(|(_, n)| *n == signal)
        .map(|(name, _)| *name)
}

fn parse_signal(text: &str) -> Result<i32, String> {
    let text = text.trim();
    if let Ok(n) = text.parse::<i32>() {
        return Ok(n);
    }
    let upper = text.to_ascii_uppercase();
    let name = if upper.starts_with("SIG") {
        upper
    } else {
        format!("SIG{upper}")
    };
    SIGNALS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, number)| *number)
        .ok_or_else(|| format!("unknown signal `{text}`"))
}

/// What may be left out of the comparison (`ignore:`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ignored {
    /// Standard output is not compared.
    pub stdout: bool,
    /// Standard error is not compared.
    pub stderr: bool,
    /// The files left in the run directory are not compared.
    pub files: bool,
}

/// Where standard input comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stdin {
    /// `/dev/null`.
    Empty,
    /// These bytes (`stdin:`).
    Bytes(Vec<u8>),
    /// This file (`stdin-file:`), resolved against the program's directory.
    File(PathBuf),
}

/// Everything one run of a program needs, and what its outcome must be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    /// The case name (`case:`), or `None` for a program without cases.
    pub name: Option<String>,
    /// Arguments after `argv[0]`.
    pub args: Vec<String>,
    /// Environment variables, in order, as `(name, value)`.
    pub env: Vec<(String, String)>,
    /// Standard input.
    pub stdin: Stdin,
    /// Fixtures to copy into the run directory, relative to the program's directory.
    pub files: Vec<PathBuf>,
    /// Time limit of each run.
    pub timeout: Duration,
    /// Comparisons left out.
    pub ignore: Ignored,
    /// How the WALI build must end (`wasm-exit:`/`wasm-signal:`).
    pub wasm_termination: Option<Termination>,
    /// Prefixes of the WALI build's stderr lines (`wasm-stderr:`), when declared.
    pub wasm_stderr: Option<Vec<String>>,
    /// How the native build must end (`native-exit:`/`native-signal:`).
    pub native_termination: Option<Termination>,
}

impl Default for Case {
    fn default() -> Self {
        Case {
            name: None,
            args: Vec::new(),
            env: Vec::new(),
            stdin: Stdin::Empty,
            files: Vec::new(),
            timeout: DEFAULT_TIMEOUT,
            ignore: Ignored::default(),
            wasm_termination: None,
            wasm_stderr: None,
            native_termination: None,
        }
    }
}

/// How a program is built: the program-wide directives.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildFlags {
    /// Extra compiler flags for both builds (`cflags:`).
    pub cflags: Vec<String>,
    /// Extra compiler flags for the WALI build only (`wasm-cflags:`).
    pub wasm_cflags: Vec<String>,
    /// Options for walic (`walic-flags:`).
    pub walic_flags: Vec<String>,
}

impl BuildFlags {
    /// The list a program-wide directive `key` extends, if `key` is one.
    fn list(&mut self, key: &str) -> Option<&mut Vec<String>> {
        match key {
            "cflags" => Some(&mut self.cflags),
            "wasm-cflags" => Some(&mut self.wasm_cflags),
            "walic-flags" => Some(&mut self.walic_flags),
            _ => None,
        }
    }
}

/// A parsed header: program-wide settings and the cases to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// How the program is built.
    pub build: BuildFlags,
    /// The cases: one unnamed case, or one per `case:` line.
    pub cases: Vec<Case>,
}

/// Reads and parses the header of the program at `path`.
pub fn read(path: &Path) -> Result<Header, String> {
    let source = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let directory = path.parent().unwrap_or(Path::new("."));
    parse(&source, directory)
}

/// Parses the header of `source`; `stdin-file:` paths are resolved against `directory`.
pub fn parse(source: &str, directory: &Path) -> Result<Header, String> {
    let mut build = BuildFlags::default();
    let mut common = Case::default();
    let mut cases: Vec<Case> = Vec::new();
    for (index, line) in source.lines().enumerate() {
        let Some(comment) = line.strip_prefix("//") else {
            break;
        };
        let Some((key, value)) = directive(comment) else {
            continue;
        };
        let context = |message: String| format!("line {}: {key}: {message}", index + 1);
        if let Some(list) = build.list(key) {
            if !cases.is_empty() {
                return Err(context(
                    "is program-wide; put it before the first `case:`".into(),
                ));
            }
            list.extend(split_words(value).map_err(context)?);
            continue;
        }
        if key == "case" {
            let name = value.trim();
            if name.is_empty() || name.contains(char::is_whitespace) || name.contains('/') {
                return Err(context("needs one name without spaces or `/`".into()));
            }
            if cases.iter().any(|c| c.name.as_deref() == Some(name)) {
                return Err(context(format!("case `{name}` appears twice")));
            }
            cases.push(Case {
                name: Some(name.to_string()),
                ..common.clone()
            });
            continue;
        }
        let case = cases.last_mut().unwrap_or(&mut common);
        apply(case, key, value, directory).map_err(context)?;
    }
    if cases.is_empty() {
        cases.push(common);
    }
    Ok(Header { build, cases })
}

/// Splits `// key: value` into its key and value; `None` for prose.
fn directive(comment: &str) -> Option<(&str, &str)> {
    let comment = comment.strip_prefix(' ').unwrap_or(comment);
    let (key, value) = comment.split_once(':')?;
    let is_key = key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    is_key.then(|| (key, value.strip_prefix(' ').unwrap_or(value)))
}

fn apply(case: &mut Case, key: &str, value: &str, directory: &Path) -> Result<(), String> {
    match key {
        "args" => case.args.extend(split_words(value)?),
        "args-generate" => {
            let (count, template) = value
                .trim()
                .split_once(char::is_whitespace)
                .ok_or("needs `N TEMPLATE`")?;
            let count: usize = count
                .parse()
                .map_err(|_| format!("`{count}` is not a count"))?;
            let template = match split_words(template)?.as_slice() {
                [one] => one.clone(),
                _ => return Err("the template must be one word".into()),
            };
            case.args
                .extend((0..count).map(|i| template.replace("{}", &i.to_string())));
        }
        "env" => {
            for word in split_words(value)? {
                let (name, value) = word
                    .split_once('=')
                    .ok_or_else(|| format!("`{word}` is not NAME=value"))?;
                if name.is_empty() {
                    return Err(format!("`{word}` has an empty name"));
                }
                case.env.retain(|(n, _)| n != name);
                case.env.push((name.to_string(), value.to_string()));
            }
        }
        "stdin" => {
            let bytes = unescape(value)?;
            match &mut case.stdin {
                Stdin::Bytes(existing) => existing.extend(bytes),
                Stdin::File(_) => return Err("`stdin:` and `stdin-file:` together".into()),
                Stdin::Empty => case.stdin = Stdin::Bytes(bytes),
            }
        }
        "stdin-file" => {
            if matches!(case.stdin, Stdin::Bytes(_)) {
                return Err("`stdin:` and `stdin-file:` together".into());
            }
            case.stdin = Stdin::File(directory.join(single_word(value)?));
        }
        "files" => case
            .files
            .extend(split_words(value)?.into_iter().map(PathBuf::from)),
        "timeout" => {
            let seconds: f64 = value
                .trim()
                .parse()
                .map_err(|_| format!("`{}` is not a number of seconds", value.trim()))?;
            if !(seconds > 0.0 && seconds <= 600.0) {
                return Err("must be between 0 and 600 seconds".into());
            }
            case.timeout = Duration::from_secs_f64(seconds);
        }
        "ignore" => {
            for word in split_words(value)? {
                match word.as_str() {
                    "stdout" => case.ignore.stdout = true,
                    "stderr" => case.ignore.stderr = true,
                    "files" => case.ignore.files = true,
                    other => {
                        return Err(format!("cannot ignore `{other}` (stdout, stderr or files)"))
                    }
                }
            }
        }
        "wasm-exit" => case.wasm_termination = Some(Termination::Exit(parse_status(value)?)),
        "wasm-signal" => case.wasm_termination = Some(Termination::Signal(parse_signal(value)?)),
        "native-exit" => case.native_termination = Some(Termination::Exit(parse_status(value)?)),
        "native-signal" => {
            case.native_termination = Some(Termination::Signal(parse_signal(value)?))
        }
        "wasm-stderr" => case
            .wasm_stderr
            .get_or_insert_with(Vec::new)
            .push(value.trim_end().to_string()),
        other => return Err(format!("unknown directive `{other}` (see tests/README.md)")),
    }
    Ok(())
}

fn parse_status(text: &str) -> Result<i32, String> {
    match text.trim().parse::<i32>() {
        Ok(status) if (0..=255).contains(&status) => Ok(status),
        _ => Err(format!("`{}` is not an exit status 0..=255", text.trim())),
    }
}

fn single_word(text: &str) -> Result<String, String> {
    match split_words(text)?.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err("needs exactly one word".into()),
    }
}

/// Splits `text` into shell-like words (see tests/README.md).
pub fn split_words(text: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut current: Option<String> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => words.extend(current.take()),
            '\'' => {
                let word = current.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err("unterminated '".into()),
                    }
                }
            }
            '"' => {
                let word = current.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => word.push(c),
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err("unterminated \"".into()),
                        },
                        Some(c) => word.push(c),
                        None => return Err("unterminated \"".into()),
                    }
                }
            }
            '\\' => {
                let escaped = chars.next().ok_or("a trailing backslash")?;
                current.get_or_insert_with(String::new).push(escaped);
            }
            c => current.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(current);
    Ok(words)
}

/// Decodes the escapes of `stdin:` text.
pub fn unescape(text: &str) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let mut rest = text.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        rest = tail;
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        let (&e, tail) = rest.split_first().ok_or("a trailing backslash")?;
        rest = tail;
        match e {
            b'n' => bytes.push(b'\n'),
            b't' => bytes.push(b'\t'),
            b'r' => bytes.push(b'\r'),
            b'0' => bytes.push(0),
            b'\\' => bytes.push(b'\\'),
            b'x' => {
                let hex = rest.get(..2).and_then(|h| std::str::from_utf8(h).ok());
                let value = hex
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or("\\x needs two hex digits")?;
                bytes.push(value);
                rest = &rest[2..];
            }
            other => return Err(format!("unknown escape \\{}", other as char)),
        }
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(source: &str) -> Header {
        parse(source, Path::new("/p")).unwrap()
    }

    #[test]
    fn shell_words() {
        assert_eq!(
            split_words(r#"a "b c" '' d\ e "x\"y" 'q"r'"#).unwrap(),
            ["a", "b c", "", "d e", "x\"y", "q\"r"]
        );
        assert_eq!(split_words("  ").unwrap(), Vec::<String>::new());
        assert_eq!(split_words(r#""a\nb""#).unwrap(), ["a\\nb"]);
        assert!(split_words("'open").is_err());
        assert!(split_words("\"open").is_err());
    }

    #[test]
    fn escapes() {
        assert_eq!(unescape(r"a\nb\t\\\x41\0").unwrap(), b"a\nb\t\\A\0");
        assert!(unescape(r"\q").is_err());
        assert!(unescape(r"\x4").is_err());
    }

    #[test]
    fn full_header() {
        let header = parse_ok(
            "// Prose line: with a colon.\n\
             // args: a \"b c\" ''\n\
             // args-generate: 3 n{}\n\
             // env: A=1 EMPTY= 'S=x y'\n\
             // stdin: hi\\n\n\
             // stdin: there\n\
             // timeout: 2.5\n\
             // ignore: files\n\
             // cflags: -DX=1\n\
             // wasm-cflags: -nostartfiles\n\
             // walic-flags: --strict-indirect-calls\n\
             // wasm-exit: 134\n\
             // wasm-stderr: walic: wasm trap: unreachable\n\
             // native-signal: SIGILL\n\
             #include <stdio.h>\n\
             // args: not header\n",
        );
        assert_eq!(header.build.cflags, ["-DX=1"]);
        assert_eq!(header.build.wasm_cflags, ["-nostartfiles"]);
        assert_eq!(header.build.walic_flags, ["--strict-indirect-calls"]);
        let [case] = header.cases.as_slice() else {
            panic!()
        };
        assert_eq!(case.args, ["a", "b c", "", "n0", "n1", "n2"]);
        assert_eq!(
            case.env,
            [
                ("A".into(), "1".into()),
                ("EMPTY".into(), "".into()),
                ("S".into(), "x y".into())
            ]
        );
        assert_eq!(case.stdin, Stdin::Bytes(b"hi\nthere".to_vec()));
        assert_eq!(case.timeout, Duration::from_millis(2500));
        assert!(case.ignore.files && !case.ignore.stdout);
        assert_eq!(case.wasm_termination, Some(Termination::Exit(134)));
        assert_eq!(case.native_termination, Some(Termination::Signal(4)));
        assert_eq!(
            case.wasm_stderr.as_deref(),
            Some(&["walic: wasm trap: unreachable".to_string()][..])
        );
    }

    #[test]
    fn cases_inherit_and_extend() {
        let header = parse_ok("// env: A=1\n// args: x\n// case: one\n// case: two\n// args: y\n// env: A=2 B=3\n// timeout: 4\n");
        let [one, two] = header.cases.as_slice() else {
            panic!()
        };
        assert_eq!(one.name.as_deref(), Some("one"));
        assert_eq!(one.args, ["x"]);
        assert_eq!(two.args, ["x", "y"]);
        assert_eq!(
            two.env,
            [("A".into(), "2".into()), ("B".into(), "3".into())]
        );
        assert_eq!(two.timeout, Duration::from_secs(4));
        assert_eq!(one.timeout, DEFAULT_TIMEOUT);
    }

    #[test]
    fn errors() {
        for bad in [
            "// argz: a\n",
            "// timeout: soon\n",
            "// wasm-exit: 300\n",
            "// native-signal: SIGNOPE\n",
            "// env: NOEQUALS\n",
            "// case: a\n// case: a\n",
            "// case: a\n// cflags: -O0\n",
            "// case: a\n// walic-flags: -O0\n",
            "// stdin: x\n// stdin-file: f\n",
            "// ignore: exit\n",
        ] {
            assert!(parse(bad, Path::new("/p")).is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn stdin_file_is_relative_to_program() {
        let header = parse_ok("// stdin-file: in.txt\n");
        assert_eq!(
            header.cases[0].stdin,
            Stdin::File(PathBuf::from("/p/in.txt"))
        );
    }

    #[test]
    fn signal_names() {
        assert_eq!(parse_signal("SIGSEGV"), Ok(11));
        assert_eq!(parse_signal("fpe"), Ok(8));
        assert_eq!(parse_signal("9"), Ok(9));
        assert_eq!(Termination::Signal(11).to_string(), "killed by SIGSEGV");
        assert_eq!(Termination::Exit(3).to_string(), "exit status 3");
    }
}
