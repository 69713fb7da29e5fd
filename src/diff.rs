//! A line diff between the learner's text and the lesson's solution, for
//! the spoiler-guarded solution view. Files are a few hundred lines at most,
//! so the quadratic longest-common-subsequence table is cheap and exact.

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Line {
    Same(String),
    /// Only in the learner's text.
    Removed(String),
    /// Only in the solution.
    Added(String),
}

/// Above this many lines on either side the diff falls back to "remove all,
/// add all" rather than build a large table.
const MAX_LINES: usize = 2000;

pub fn lines(mine: &str, solution: &str) -> Vec<Line> {
    let a: Vec<&str> = mine.lines().collect();
    let b: Vec<&str> = solution.lines().collect();
    if a.len() > MAX_LINES || b.len() > MAX_LINES {
        return a
            .iter()
            .map(|l| Line::Removed(l.to_string()))
            .chain(b.iter().map(|l| Line::Added(l.to_string())))
            .collect();
    }
    // lcs[i][j]: longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push(Line::Same(a[i].to_string()));
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push(Line::Added(b[j].to_string()));
            j += 1;
        } else {
            out.push(Line::Removed(a[i].to_string()));
            i += 1;
        }
    }
    out
}

/// Whether the texts differ at all, ignoring a trailing newline.
pub fn differs(mine: &str, solution: &str) -> bool {
    mine.trim_end() != solution.trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_line_is_removed_then_added() {
        let d = lines("a\nb\nc\n", "a\nB\nc\n");
        assert_eq!(
            d,
            vec![
                Line::Same("a".into()),
                Line::Added("B".into()),
                Line::Removed("b".into()),
                Line::Same("c".into()),
            ]
        );
    }

    #[test]
    fn applying_the_diff_gives_the_solution_back() {
        let mine = "receivers:\nexporters:\n  debug: {}\n";
        let solution =
            "receivers:\n  otlp:\n    protocols:\n      http:\nexporters:\n  debug: {}\n";
        let rebuilt: Vec<String> = lines(mine, solution)
            .into_iter()
            .filter_map(|l| match l {
                Line::Same(s) | Line::Added(s) => Some(s),
                Line::Removed(_) => None,
            })
            .collect();
        assert_eq!(rebuilt.join("\n") + "\n", solution);
        assert!(differs(mine, solution));
        assert!(!differs("x\n", "x"));
    }

    #[test]
    fn empty_sides() {
        assert_eq!(lines("", "x"), vec![Line::Added("x".into())]);
        assert_eq!(lines("x", ""), vec![Line::Removed("x".into())]);
        assert!(lines("", "").is_empty());
    }
}
