//! A readable line diff of two outputs, for failure reports.
//!
//! Outputs are bytes; they are shown lossily as UTF-8 with control characters (other than tab)
//! escaped, so a stray NUL or a missing final newline is visible. The diff is a longest-common-
//! subsequence diff with a few lines of context, bounded in size: past [`MAX_CELLS`] it falls back to
//! showing the first differing line, and past [`MAX_SHOWN`] lines it is cut.

/// The largest `lines(a) * lines(b)` table the LCS diff builds.
const MAX_CELLS: usize = 4_000_000;
/// The most diff lines shown.
const MAX_SHOWN: usize = 80;
/// Unchanged lines shown around each change.
const CONTEXT: usize = 3;

/// Splits `bytes` into display lines; a final line without a newline is marked.
fn display_lines(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let mut lines: Vec<String> = text.split_inclusive('\n').map(show_line).collect();
    if let Some(last) = lines.last_mut() {
        if !text.ends_with('\n') {
            last.push_str("  (no newline at end)");
        }
    }
    lines
}

fn show_line(line: &str) -> String {
    let line = line.strip_suffix('\n').unwrap_or(line);
    let mut shown = String::with_capacity(line.len());
    for c in line.chars() {
        match c {
            '\t' => shown.push(c),
            c if c.is_control() => shown.push_str(&c.escape_default().to_string()),
            c => shown.push(c),
        }
    }
    shown
}

/// One line of an edit script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Edit {
    Same(usize, usize),
    Removed(usize),
    Added(usize),
}

fn edit_script(a: &[String], b: &[String]) -> Vec<Edit> {
    let (n, m) = (a.len(), b.len());
    // lcs[i][j] = length of the LCS of a[i..] and b[j..].
    let mut lcs = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[at(i, j)] = if a[i] == b[j] {
                lcs[at(i + 1, j + 1)] + 1
            } else {
                lcs[at(i + 1, j)].max(lcs[at(i, j + 1)])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut edits = Vec::new();
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            edits.push(Edit::Same(i, j));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[at(i + 1, j)] >= lcs[at(i, j + 1)]) {
            edits.push(Edit::Removed(i));
            i += 1;
        } else {
            edits.push(Edit::Added(j));
            j += 1;
        }
    }
    edits
}

/// A diff of `expected` (lines marked `-`) against `actual` (lines marked `+`), with labels naming
/// the two sides. Empty when they are equal.
pub fn diff(expected_label: &str, expected: &[u8], actual_label: &str, actual: &[u8]) -> String {
    if expected == actual {
        return String::new();
    }
    let a = display_lines(expected);
    let b = display_lines(actual);
    let mut out = format!("    --- {expected_label}\n    +++ {actual_label}\n");
    if a.len().saturating_mul(b.len()) > MAX_CELLS {
        let first = a
            .iter()
            .zip(&b)
            .position(|(x, y)| x != y)
            .unwrap_or(a.len().min(b.len()));
        out.push_str(&format!(
            "    (too long for a full diff: {} vs {} lines; first difference at line {})\n",
            a.len(),
            b.len(),
            first + 1
        ));
        out.push_str(&format!(
            "    -{}\n    +{}\n",
            a.get(first).map_or("<end>", |s| s),
            b.get(first).map_or("<end>", |s| s)
        ));
        return out;
    }
    let edits = edit_script(&a, &b);
    let changed: Vec<usize> = edits
        .iter()
        .enumerate()
        .filter(|(_, e)| !matches!(e, Edit::Same(..)))
        .map(|(k, _)| k)
        .collect();
    let near_change = |k: usize| changed.iter().any(|&c| c.abs_diff(k) <= CONTEXT);
    let mut shown = 0;
    let mut skipped = false;
    for (k, edit) in edits.iter().enumerate() {
        if !near_change(k) {
            skipped = true;
            continue;
        }
        if skipped {
            out.push_str("    …\n");
            skipped = false;
        }
        if shown == MAX_SHOWN {
            out.push_str("    … (diff cut)\n");
            return out;
        }
        shown += 1;
        match *edit {
            Edit::Same(i, _) => out.push_str(&format!("     {}\n", a[i])),
            Edit::Removed(i) => out.push_str(&format!("    -{}\n", a[i])),
            Edit::Added(j) => out.push_str(&format!("    +{}\n", b[j])),
        }
    }
    if skipped {
        out.push_str("    …\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_is_empty() {
        assert_eq!(diff("a", b"x\ny\n", "b", b"x\ny\n"), "");
    }

    #[test]
    fn shows_changes_with_context() {
        let a: String = (0..20).map(|i| format!("{i}\n")).collect();
        let b = a.replace("10\n", "ten\n");
        let d = diff("native", a.as_bytes(), "wasm", b.as_bytes());
        assert!(d.contains("    -10\n    +ten\n"), "{d}");
        assert!(d.contains("     9\n") && d.contains("     11\n"), "{d}");
        assert!(!d.contains("     2\n"), "{d}");
        assert!(d.starts_with("    --- native\n    +++ wasm\n"));
    }

    #[test]
    fn marks_missing_newline_and_controls() {
        let d = diff("a", b"x\n", "b", b"x");
        assert!(d.contains("no newline"), "{d}");
        let d = diff("a", b"a\0b\n", "b", b"ab\n");
        assert!(d.contains("a\\u{0}b"), "{d}");
    }

    #[test]
    fn empty_side() {
        let d = diff("a", b"", "b", b"hello\n");
        assert!(d.contains("+hello"), "{d}");
    }
}
