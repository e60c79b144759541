//! Deciding whether the WALI build behaved like the native build, by the rules of
//! `tests/README.md`: exit statuses (or declared WALI/native outcomes), standard output, standard
//! error (or the declared WALI stderr lines) and the files left behind.

use std::collections::BTreeSet;

use crate::header::{Case, Termination};
use crate::run::{Entry, Outcome};
use crate::text_diff::diff;

/// One way the two runs disagreed: a one-line summary and, where useful, a diff.
#[derive(Clone, Debug)]
pub struct Mismatch {
    /// One line: what differs.
    pub summary: String,
    /// Indented detail (a diff, both values), possibly empty.
    pub detail: String,
}

fn mismatch(summary: impl Into<String>, detail: impl Into<String>) -> Mismatch {
    Mismatch {
        summary: summary.into(),
        detail: detail.into(),
    }
}

fn show(termination: Option<Termination>) -> String {
    termination.map_or_else(|| "timed out".to_string(), |t| t.to_string())
}

/// Compares the native and WALI outcomes of `case`; empty when the case passes.
pub fn compare(case: &Case, native: &Outcome, wasm: &Outcome) -> Vec<Mismatch> {
    let mut mismatches = Vec::new();
    compare_terminations(case, native.termination, wasm.termination, &mut mismatches);
    if !case.ignore.stdout {
        let d = diff("native stdout", &native.stdout, "wasm stdout", &wasm.stdout);
        if !d.is_empty() {
            mismatches.push(mismatch("stdout differs", d));
        }
    }
    if let Some(expected) = &case.wasm_stderr {
        if let Some(m) = check_declared_stderr(expected, &wasm.stderr) {
            mismatches.push(m);
        }
    } else if !case.ignore.stderr {
        let d = diff("native stderr", &native.stderr, "wasm stderr", &wasm.stderr);
        if !d.is_empty() {
            mismatches.push(mismatch("stderr differs", d));
        }
    }
    if !case.ignore.files {
        compare_files(native, wasm, &mut mismatches);
    }
    mismatches
}

fn compare_terminations(
    case: &Case,
    native: Option<Termination>,
    wasm: Option<Termination>,
    out: &mut Vec<Mismatch>,
) {
    match (case.native_termination, case.wasm_termination) {
        (None, None) => {
            if native != wasm {
                out.push(mismatch(
                    format!("native: {}, wasm: {}", show(native), show(wasm)),
                    "",
                ));
            }
        }
        (None, Some(expected_wasm)) => {
            if wasm != Some(expected_wasm) {
                out.push(mismatch(
                    format!("wasm: {}, expected {expected_wasm}", show(wasm)),
                    "",
                ));
            }
            match native {
                Some(t) if !t.is_success() => {}
                other => out.push(mismatch(
                    format!("native: {}, expected a failure", show(other)),
                    "",
                )),
            }
        }
        (Some(expected_native), expected_wasm) => {
            let expected_wasm = expected_wasm.unwrap_or(expected_native);
            if native != Some(expected_native) {
                out.push(mismatch(
                    format!("native: {}, expected {expected_native}", show(native)),
                    "",
                ));
            }
            if wasm != Some(expected_wasm) {
                out.push(mismatch(
                    format!("wasm: {}, expected {expected_wasm}", show(wasm)),
                    "",
                ));
            }
        }
    }
}

fn check_declared_stderr(expected: &[String], actual: &[u8]) -> Option<Mismatch> {
    let text = String::from_utf8_lossy(actual);
    let lines: Vec<&str> = text.lines().collect();
    let matches = lines.len() == expected.len()
        && lines
            .iter()
            .zip(expected)
            .all(|(line, prefix)| line.starts_with(prefix.as_str()));
    if matches {
        return None;
    }
    let wanted: String = expected.iter().map(|line| format!("{line}…\n")).collect();
    Some(mismatch(
        "wasm stderr is not the declared one",
        diff(
            "declared wasm stderr (line prefixes)",
            wanted.as_bytes(),
            "wasm stderr",
            actual,
        ),
    ))
}

fn describe(entry: &Entry) -> String {
    match entry {
        Entry::File { mode, contents } => format!("file, mode {mode:o}, {} bytes", contents.len()),
        Entry::Directory { mode } => format!("directory, mode {mode:o}"),
        Entry::Symlink { target } => format!("symlink to {}", target.display()),
        Entry::Other(description) => description.clone(),
    }
}

fn compare_files(native: &Outcome, wasm: &Outcome, out: &mut Vec<Mismatch>) {
    let names: BTreeSet<&String> = native.files.keys().chain(wasm.files.keys()).collect();
    for name in names {
        match (native.files.get(name), wasm.files.get(name)) {
            (Some(a), Some(b)) if a == b => {}
            (
                Some(Entry::File {
                    mode: ma,
                    contents: ca,
                }),
                Some(Entry::File {
                    mode: mb,
                    contents: cb,
                }),
            ) => {
                if ma != mb {
                    out.push(mismatch(
                        format!("file {name}: mode {ma:o} natively, {mb:o} in wasm"),
                        "",
                    ));
                }
                if ca != cb {
                    out.push(mismatch(
                        format!("file {name}: contents differ"),
                        diff(&format!("native {name}"), ca, &format!("wasm {name}"), cb),
                    ));
                }
            }
            (a, b) => out.push(mismatch(
                format!(
                    "file {name}: {} natively, {} in wasm",
                    a.map_or("absent".to_string(), describe),
                    b.map_or("absent".to_string(), describe)
                ),
                "",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::time::Duration;

    fn outcome(termination: Termination, stdout: &str, stderr: &str) -> Outcome {
        Outcome {
            termination: Some(termination),
            stdout: stdout.into(),
            stderr: stderr.into(),
            files: BTreeMap::new(),
            duration: Duration::ZERO,
        }
    }

    #[test]
    fn equal_runs_pass() {
        let a = outcome(Termination::Exit(0), "x\n", "");
        assert!(compare(&Case::default(), &a, &a.clone()).is_empty());
    }

    #[test]
    fn status_and_output_differences_are_reported() {
        let a = outcome(Termination::Exit(0), "x\n", "");
        let b = outcome(Termination::Exit(1), "y\n", "e\n");
        let m = compare(&Case::default(), &a, &b);
        let summaries: Vec<&str> = m.iter().map(|m| m.summary.as_str()).collect();
        assert_eq!(
            summaries,
            [
                "native: exit status 0, wasm: exit status 1",
                "stdout differs",
                "stderr differs"
            ]
        );
    }

    #[test]
    fn declared_trap() {
        let case = Case {
            wasm_termination: Some(Termination::Exit(134)),
            wasm_stderr: Some(vec!["walic: wasm trap: unreachable".into()]),
            ..Case::default()
        };
        let native = outcome(Termination::Signal(4), "before\n", "");
        let wasm = outcome(
            Termination::Exit(134),
            "before\n",
            "walic: wasm trap: unreachable in function main\n",
        );
        assert!(compare(&case, &native, &wasm).is_empty());
        let wasm_wrong = outcome(
            Termination::Exit(134),
            "before\n",
            "walic: wasm trap: out of bounds memory access in function f\n",
        );
        assert_eq!(compare(&case, &native, &wasm_wrong).len(), 1);
        let native_ok = outcome(Termination::Exit(0), "before\n", "");
        assert_eq!(
            compare(&case, &native_ok, &wasm)[0].summary,
            "native: exit status 0, expected a failure"
        );
        let native_declared = Case {
            native_termination: Some(Termination::Signal(8)),
            ..case
        };
        assert_eq!(
            compare(&native_declared, &native, &wasm)[0].summary,
            "native: killed by SIGILL, expected killed by SIGFPE"
        );
    }

    #[test]
    fn files_are_compared() {
        let mut a = outcome(Termination::Exit(0), "", "");
        let mut b = a.clone();
        a.files.insert(
            "f".into(),
            Entry::File {
                mode: 0o644,
                contents: b"1\n".to_vec(),
            },
        );
        b.files.insert(
            "f".into(),
            Entry::File {
                mode: 0o600,
                contents: b"2\n".to_vec(),
            },
        );
        a.files
            .insert("only-native".into(), Entry::Directory { mode: 0o755 });
        let m = compare(&Case::default(), &a, &b);
        let summaries: Vec<&str> = m.iter().map(|m| m.summary.as_str()).collect();
        assert_eq!(
            summaries,
            [
                "file f: mode 644 natively, 600 in wasm",
                "file f: contents differ",
                "file only-native: directory, mode 755 natively, absent in wasm"
            ]
        );
    }
}
